#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Privileges: changing bridges needs CAP_NET_ADMIN in the user namespace
# that owns the network namespace; reading does not.
#
#   netns NS: kbp0 (made by root)
#   nobody in NS: addbr/delbr refused, show allowed
#   nobody in a user namespace of its own with a netns of its own: root
#   there, may manage bridges there and sees nothing of NS (what it
#   makes there is charged to its memory cgroup: kbr_memcg.sh)

ALL_TESTS="
	nobody_addbr
	nobody_delbr
	nobody_changes
	nobody_show
	userns_own_netns
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

trap lib_cleanup EXIT

ns_create "$NS"
nsx kbrctl addbr kbp0
tests_run
