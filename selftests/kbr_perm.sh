#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Privileges: changing bridges needs CAP_NET_ADMIN in the user namespace
# that owns the network namespace; reading does not.
#
#   netns NS: kbp0 (made by root)
#   nobody in NS: addbr/delbr refused, show allowed
#   nobody in a user namespace of its own with a netns of its own: root
#   there, may manage bridges there and sees nothing of NS; the memory
#   its VLAN memberships take is charged to its memory cgroup

ALL_TESTS="
	nobody_addbr
	nobody_delbr
	nobody_changes
	nobody_show
	userns_own_netns
	userns_memcg
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd setpriv

NS=kbr-perm-$$

nobody()
{
	nsx setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

nobody_addbr()
{
	expect_output "addbr as nobody" 1 "" \
		"add bridge failed: Operation not permitted" \
		nobody kbrctl addbr kbp1
	nsx ip link show kbp1 >/dev/null 2>&1
	check_fail $? "nobody created kbp1"
	log_test "addbr without CAP_NET_ADMIN: EPERM"
}

nobody_delbr()
{
	expect_output "delbr as nobody" 1 "" \
		"can't delete bridge kbp0: Operation not permitted" \
		nobody kbrctl delbr kbp0
	nsx ip link show kbp0 >/dev/null 2>&1
	check_err $? "nobody deleted kbp0"
	log_test "delbr without CAP_NET_ADMIN: EPERM"
}

nobody_changes()
{
	local cmd out

	for cmd in "addif kbp0 lo" "delif kbp0 lo" "setageing kbp0 10" \
		"setfdbmax kbp0 5" "setfdbpolicy kbp0 refuse" \
		"setfdbstaticmax kbp0 5" "flush kbp0" \
		"hairpin kbp0 lo on" \
		"setportflag kbp0 lo flood off" \
		"fdb add kbp0 lo 02:00:00:00:00:01"; do
		# shellcheck disable=SC2086
		out=$(nobody kbrctl $cmd 2>&1)
		[ $? -eq 1 ] && [[ $out == *"Operation not permitted"* ]]
		check_err $? "kbrctl $cmd as nobody: $out"
	done
	nsx kbrctl -j show kbp0 | jq -e '.[0] | .ageing_time == 300 and
		.fdb_max_learned == 65536 and .fdb_policy == "evict" and
		.fdb_max_static == 65536 and
		.interfaces == []' >/dev/null
	check_err $? "a refused request changed kbp0"
	log_test "every other change without CAP_NET_ADMIN: EPERM"
}

nobody_show()
{
	nobody kbrctl -j show | jq -e '[.[].ifname] == ["kbp0"]' >/dev/null
	check_err $? "nobody cannot list bridges"
	nobody kbrctl show kbp0 | grep -q $'^kbp0\t'
	check_err $? "nobody cannot show kbp0"
	log_test "show without CAP_NET_ADMIN"
}

userns_own_netns()
{
	local out

	if ! nobody unshare -Urn true 2>/dev/null; then
		log_skip "unprivileged user namespaces disabled" \
			"root of a user namespace manages its own bridges"
		return
	fi
	out=$(nobody unshare -Urn sh -c \
		'kbrctl addbr kbu0 && kbrctl -j show && kbrctl delbr kbu0 && kbrctl -j show')
	check_err $? "addbr/delbr in an own user+net namespace failed"
	[ "$(jq -sc 'map([.[].ifname])' <<<"$out")" == '[["kbu0"],[]]' ]
	check_err $? "unexpected view from the user namespace: $out"

	# Its namespace of its own only: NS's bridge is out of sight.
	out=$(nobody unshare -Urn kbrctl delbr kbp0 2>&1)
	check_fail $? "a user namespace deleted a bridge of another netns"
	nsx ip link show kbp0 >/dev/null 2>&1
	check_err $? "kbp0 is gone"

	# Static entries it makes are capped like anyone's.
	out=$(nobody unshare -Urn sh -c '
		ip link add d0 type dummy && kbrctl addbr kbu0 &&
		kbrctl addif kbu0 d0 && kbrctl setfdbstaticmax kbu0 1 &&
		kbrctl fdb add kbu0 d0 02:00:00:00:00:81 || exit 2
		kbrctl fdb add kbu0 d0 02:00:00:00:00:82 2>&1
		echo "rc $?"
		kbrctl -j show kbu0 | jq -c ".[0] | [.fdb_static, .fdb_static_refused]"')
	[ "$out" == "$(printf '%s\n' "can't add fdb entry: No space left on device" \
		"Error: The bridge holds as many static entries as its cap allows." \
		"rc 1" "[1,1]")" ]
	check_err $? "the static cap in a user namespace: $out"
	log_test "root of a user namespace manages its own bridges, capped"
}

# A memory cgroup of the script's, $CG, with cgroup2 mounted if it was
# not (the guest mounts none); userns_memcg makes them.
CG=
CG_MOUNTED=

# cg_current: bytes charged to $CG
cg_current()
{
	cat "$CG/memory.current"
}

userns_memcg()
{
	local root=/sys/fs/cgroup out before added deleted v

	if ! nobody unshare -Urn true 2>/dev/null; then
		log_skip "unprivileged user namespaces disabled" \
			"a user namespace's VLAN memberships charged to its memory cgroup"
		return
	fi
	if [ ! -e "$root/cgroup.controllers" ]; then
		mount -t cgroup2 none "$root" && CG_MOUNTED=$root
	fi
	if ! grep -qw memory "$root/cgroup.controllers" 2>/dev/null ||
		! echo +memory >"$root/cgroup.subtree_control"; then
		log_skip "no cgroup2 memory controller" \
			"a user namespace's VLAN memberships charged to its memory cgroup"
		return
	fi
	CG=$root/kbr-perm-$$
	mkdir "$CG"
	check_err $? "mkdir $CG failed"
	# In the cgroup, as nobody become root of its own namespaces: a
	# bridge, two ports, 2 x 4,093 VLAN memberships, then no bridge.
	# shellcheck disable=SC2016 # expanded by the inner shells
	out=$(sh -c 'echo $$ >"$1/cgroup.procs" &&
		exec setpriv --reuid=65534 --regid=65534 --clear-groups \
			unshare -Urn sh -c "$2" - "$1"' - "$CG" '
		cg=$1
		ip link add d1 type dummy && ip link add d2 type dummy &&
			kbrctl addbr kbu0 && kbrctl addif kbu0 d1 d2 || exit 1
		echo "$(cat "$cg/memory.current")"
		kbrctl vlan add kbu0 d1 2-4094 &&
			kbrctl vlan add kbu0 d2 2-4094 || exit 1
		added=$(cat "$cg/memory.current")
		echo "$added"
		kbrctl delif kbu0 d1 d2 && kbrctl delbr kbu0 || exit 1
		# Freed after a grace period: up to 5 s.
		for i in $(seq 50); do
			[ "$(cat "$cg/memory.current")" -lt $((added - 819200)) ] &&
				break
			sleep 0.1
		done
		echo "$(cat "$cg/memory.current")"' 2>&1)
	check_err $? "making VLAN memberships in the cgroup failed: $out"
	readarray -t v <<<"$out"
	before=${v[0]} added=${v[1]} deleted=${v[2]}
	log_info "cgroup memory: $before after the bridge, $added with the memberships, $deleted with the bridge gone"
	# Some 200 bytes a membership (the entry and its per-CPU counters);
	# unaccounted, the cgroup grew by some 57 kB.  Half of it must show,
	# and go with the bridge.
	[ "$((added - before))" -ge $((8186 * 100)) ] 2>/dev/null
	check_err $? "8,186 memberships charged $((added - before)) bytes to the cgroup"
	[ "$((added - deleted))" -ge $((8186 * 100)) ] 2>/dev/null
	check_err $? "deleting the bridge gave back $((added - deleted)) bytes"
	log_test "a user namespace's VLAN memberships charged to its memory cgroup"
}

cleanup()
{
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
	[ -n "$CG_MOUNTED" ] && umount "$CG_MOUNTED"
	lib_cleanup
}
trap cleanup EXIT

ns_create "$NS"
nsx kbrctl addbr kbp0
tests_run
