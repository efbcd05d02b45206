#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Memory a user causes is charged to that user's memory cgroup.  In a
# cgroup of its own (cgroup2, mounted privately), nobody becomes root of
# its own user and network namespaces, makes a bridge there and:
#
#   memcg_memberships: makes 8,186 VLAN memberships: they are charged to
#     the cgroup, and given back when the bridge goes
#   memcg_limit: adds VLAN ranges with "bridge -batch" until the
#     cgroup's limit: ENOMEM with the extack, a range that failed changed
#     nothing, no task was OOM-killed, and the host (netns NS, outside the
#     cgroup) still adds memberships
#   memcg_learned: its bridge learns sources from frames pktgen sends (a
#     kernel thread, in no cgroup): the entries are charged to the cgroup
#     of the bridge's creator; at the cgroup's limit they are not learned
#     and fdb_learn_nomem counts them

ALL_TESTS="
	memcg_memberships
	memcg_limit
	memcg_learned
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd setpriv
require_cmd bridge

NS=kbr-memcg-$$

# cgroup2 mounted privately at $CG_MOUNT (the guest mounts none, a host
# may mount v1 at the usual place), with a cgroup per test under it.
CG_MOUNT=
CGS=()
CG=

# memcg_setup NAME TAG: $CG, a new cgroup TAG-PID with the memory
# controller and no swap.  Without user namespaces or the controller,
# NAME skips; returns 1 then and when it fails.
memcg_setup()
{
	CG=
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare -Urn true 2>/dev/null; then
		log_skip "unprivileged user namespaces disabled" "$1"
		return 1
	fi
	if [ -z "$CG_MOUNT" ]; then
		# Not under $TMPD, which nobody may not enter; once mounted,
		# the directory is the cgroup root's, 0755.
		CG_MOUNT=$(mktemp -d /tmp/kbr-cgroup.XXXXXX) || CG_MOUNT=
		if [ -n "$CG_MOUNT" ] && ! mount -t cgroup2 none "$CG_MOUNT"; then
			rmdir "$CG_MOUNT"
			CG_MOUNT=
		fi
	fi
	if [ -z "$CG_MOUNT" ] ||
		! grep -qw memory "$CG_MOUNT/cgroup.controllers" ||
		! echo +memory >"$CG_MOUNT/cgroup.subtree_control"; then
		log_skip "no cgroup2 memory controller" "$1"
		return 1
	fi
	if ! mkdir "$CG_MOUNT/$2-$$"; then
		log_fail "mkdir $CG_MOUNT/$2-$$ failed" "$1"
		return 1
	fi
	CG=$CG_MOUNT/$2-$$
	CGS+=("$CG")
	# With swap, reclaim at the limit would swap the tasks out, and
	# their faults back in would meet the limit.
	if [ -e "$CG/memory.swap.max" ] && ! echo 0 >"$CG/memory.swap.max"; then
		log_fail "memory.swap.max refused 0" "$1"
		return 1
	fi
}

# in_cg SCRIPT ARG...: SCRIPT in bash, in cgroup $CG, as nobody become
# root of its own user and network namespaces; $1 is $CG, then ARGs.
# SCRIPT may call st: the cgroup's memory.stat percpu and
# slab_unreclaimable bytes, on one line.
in_cg()
{
	local script=$1

	shift
	# shellcheck disable=SC2016 # expanded by the inner shells
	bash -c 'echo $$ >"$1/cgroup.procs" && s=$2 && shift 2 &&
		exec setpriv --reuid=65534 --regid=65534 --clear-groups \
			unshare -Urn bash -c "$s" - "$@"' - "$CG" '
		st() {
			awk "\$1 == \"percpu\" { p = \$2 } \$1 == \"slab_unreclaimable\" { s = \$2 } END { print p, s }" "$1/memory.stat"
		}
		'"$script" "$CG" "$@"
}

# share_dir: $SHARE_DIR, a directory nobody may enter (not $TMPD)
SHARE_DIR=
share_dir()
{
	[ -n "$SHARE_DIR" ] && return
	SHARE_DIR=$(mktemp -d /tmp/kbr-memcg.XXXXXX) || return 1
	chmod 0755 "$SHARE_DIR"
}

# memory.events KEY of $CG
cg_event()
{
	awk -v k="$1" '$1 == k { print $2 }' "$CG/memory.events"
}

memcg_memberships()
{
	local name="a user namespace's VLAN memberships charged to its memory cgroup"
	local out v n=8186

	memcg_setup "$name" memberships || return
	# A bridge, two ports, 2 x 4,093 VLAN memberships, then no bridge;
	# percpu (the counters) and slab_unreclaimable (the memberships)
	# after each step.
	# shellcheck disable=SC2016 # expanded by the inner shell
	if ! out=$(in_cg '
		ip link add d1 type dummy && ip link add d2 type dummy &&
			kbrctl addbr kbu0 && kbrctl addif kbu0 d1 d2 || exit 1
		st "$1"
		kbrctl vlan add kbu0 d1 2-4094 &&
			kbrctl vlan add kbu0 d2 2-4094 || exit 1
		st "$1"
		kbrctl delif kbu0 d1 d2 && kbrctl delbr kbu0 || exit 1
		sleep 2		# frees wait for a grace period
		st "$1"' 2>&1) ||
		! [[ $out =~ ^([0-9]+\ [0-9]+$'\n'?){3}$ ]]; then
		check_err 1 "making VLAN memberships in the cgroup failed: $out"
		log_test "$name"
		return
	fi
	# shellcheck disable=SC2206 # numbers only, checked above
	v=($out)
	log_info "cgroup percpu/slab bytes: ${v[0]}/${v[1]} with the bridge, ${v[2]}/${v[3]} with $n memberships, ${v[4]}/${v[5]} with the bridge gone"
	# Per membership: its per-CPU counters (32 bytes on each of two or
	# more CPUs) and a 32-byte slab object, with a share of a chunk;
	# unaccounted, neither grows.  Half must show, and go with the bridge.
	[ $((v[2] - v[0])) -ge $((n * 32)) ] && [ $((v[3] - v[1])) -ge $((n * 16)) ]
	check_err $? "$n memberships charged $((v[2] - v[0])) percpu and $((v[3] - v[1])) slab bytes"
	[ $((v[2] - v[4])) -ge $((n * 32)) ] && [ $((v[3] - v[5])) -ge $((n * 16)) ]
	check_err $? "deleting the bridge gave back $((v[2] - v[4])) percpu and $((v[3] - v[5])) slab bytes"
	log_test "$name"
}

# VLANs per interface of kbu0 ("kbrctl -j vlan show" on stdin), as
# {"d1": 2, ...}, and whether d1's VLAN 100 is untagged.
vlan_counts()
{
	jq -c '[.[] | {(.ifname): ([.vlans[] | ((.vlanEnd // .vlan) - .vlan + 1)] | add)}] | add'
}

memcg_limit()
{
	local name="a user namespace at its memory cgroup's limit: ENOMEM, a failed range changes nothing, nothing killed"
	local out counts d failed=0 before after

	memcg_setup "$name" limit || return
	# memory.max and memory.high delegated, as a container manager
	# would: the namespace sets them.  At the limit a write to a pipe or
	# a new page of a file would be charged (and OOM-kill): what bridge
	# says is appended to a file whose page is there already.
	if ! chown 65534 "$CG/memory.max" "$CG/memory.high" || ! share_dir ||
		! echo "bridge -batch:" >"$SHARE_DIR/batch.out" ||
		! chown 65534 "$SHARE_DIR/batch.out"; then
		log_fail "no delegated memory.max or output file" "$name"
		return
	fi
	# What the namespace runs is read (and its page cache charged) here,
	# outside the cgroup: at the limit the kernel, not a page fault of
	# the tools, must be what fails.
	bridge -V >/dev/null && kbrctl -V >/dev/null 2>&1
	# Four ports; d1 joins VLAN 100 untagged through "bridge -batch",
	# which then waits on its pipe.  Its first command done, memory.high
	# set to 0 and back gives the cgroup's per-CPU charge stocks back and
	# reclaims its page cache (it never OOM-kills), and the limit is set
	# 128 KiB above what the cgroup holds.  Each port is then asked for
	# VLANs 2-4094 (one write: the writer ends, and needs no memory
	# while a request takes the 128 KiB): about 750 KB each (a 32-byte
	# membership, its per-CPU counters and a share of a chunk, with 2
	# CPUs), so each fails, and gives back what it took: bridge goes on
	# with the 128 KiB.  Only builtins run in the cgroup from then on.
	# Then the limit goes, and each port's VLANs are listed.
	# shellcheck disable=SC2016 # expanded by the inner shell
	out=$(in_cg '
		for d in d1 d2 d3 d4; do ip link add $d type dummy || exit 1; done
		kbrctl addbr kbu0 && kbrctl addif kbu0 d1 d2 d3 d4 || exit 1
		{
			echo "vlan add dev d1 vid 100 untagged"
			for ((i = 0; i < 200; i++)); do
				kbrctl -j vlan show kbu0 | grep -q "\"vlan\":100" &&
					break
				sleep 0.1
			done
			ranges=$(printf "vlan add dev %s vid 2-4094\n" d1 d2 d3 d4)
			echo 0 >"$1/memory.high" && echo max >"$1/memory.high" &&
				read -r cur <"$1/memory.current" &&
				echo $((cur + 131072)) >"$1/memory.max" || exit 1
			echo "$ranges"
		} | bridge -force -batch - >>"$2" 2>&1
		rc=${PIPESTATUS[1]}
		echo max >"$1/memory.max"
		cat "$2"
		echo "rc $rc"
		echo "vlans $(kbrctl -j vlan show kbu0)"
		kbrctl delbr kbu0' "$SHARE_DIR/batch.out" 2>&1)
	grep -v '^vlans' <<<"$out" | sed 's/^/# /'
	grep -qx "Error: Out of memory adding VLANs." <<<"$out"
	check_err $? "no request failed with the extack"
	grep -qx "rc 1" <<<"$out"
	check_err $? "bridge -batch did not exit 1"
	counts=$(sed -n 's/^vlans //p' <<<"$out" | vlan_counts)
	log_info "VLANs per port: $counts"
	# Each port has what it had: a range that failed changed nothing,
	# d1's VLAN 100 stays untagged.  (Had one fitted, it would have all.)
	for d in d1 d2 d3 d4; do
		before=1
		[ "$d" == d1 ] && before=2
		after=$(jq -r --arg d "$d" '.[$d]' <<<"$counts")
		if [ "$after" == "$before" ]; then
			failed=$((failed + 1))
		elif [ "$after" != 4094 ]; then
			check_err 1 "$d has $after VLANs: neither all nor the $before it had"
		fi
	done
	[ "$failed" == 4 ]
	check_err $? "$((4 - failed)) of the 4 ranges fitted: the limit was not met"
	if [ "$(jq -r .d1 <<<"$counts")" == 2 ]; then
		sed -n 's/^vlans //p' <<<"$out" | jq -e '.[] | select(.ifname == "d1") |
			.vlans[] | select(.vlan == 100) | .flags | index("Egress Untagged")' >/dev/null
		check_err $? "d1's failed range changed VLAN 100"
	fi
	[ "$(cg_event max)" -ge 1 ] && [ "$(cg_event oom)" == 0 ] &&
		[ "$(cg_event oom_kill)" == 0 ]
	check_err $? "memory.events: $(tr '\n' ' ' <"$CG/memory.events")"
	# The host still makes memberships.
	nsx ip link add h1 type dummy && nsx kbrctl addbr kbm0 &&
		nsx kbrctl addif kbm0 h1 && nsx kbrctl vlan add kbm0 h1 2-4094 &&
		nsx kbrctl delbr kbm0
	check_err $? "the host could not add VLANs after the cgroup's limit"
	log_test "$name"
}

# learned_flood PID SRC SOURCES FRAMES: pktgen sends FRAMES broadcast
# frames out of e1 in PID's network namespace, from SOURCES addresses
# counting up from SRC, KBR_FLOOD_DELAY_NS apart; returns when they are
# sent.
learned_flood()
{
	modprobe pktgen || return 1
	# shellcheck disable=SC2016 # expanded by the inner shell
	nsenter --net="/proc/$1/ns/net" env D="$KBR_FLOOD_DELAY_NS" S="$2" \
		N="$3" C="$4" sh -c '
		pg() { echo "$2" >"/proc/net/pktgen/$1"; }
		pg kpktgend_0 rem_device_all && pg kpktgend_0 "add_device e1" &&
		for c in "count $C" "clone_skb 0" "pkt_size 60" "delay $D" \
			"dst_mac ff:ff:ff:ff:ff:ff" "src_mac $S" \
			"src_mac_count $N" "flag !MACSRC_RND"; do
			pg e1 "$c" || exit 1
		done
		pg pgctrl start'
}

# The bridge creator's output, $TMPD/learned.out: KEY's line, KEY gone.
learned_line()
{
	sed -n "s/^$1 //p" "$TMPD/learned.out"
}

# cg_slab: $CG's slab_unreclaimable bytes
cg_slab()
{
	awk '$1 == "slab_unreclaimable" { print $2 }' "$CG/memory.stat"
}

# learned_counts PID: "LEARNED NOMEM" of kbu0 in PID's network namespace
learned_counts()
{
	nsenter --net="/proc/$1/ns/net" kbrctl -j show kbu0 |
		jq -r '.[0] | "\(.fdb_learned) \(.fdb_learn_nomem)"'
}

# learned_all PID N: kbu0 learned or counted N sources in all
learned_all()
{
	local l m

	read -r l m <<<"$(learned_counts "$1")"
	[ $((l + m)) == "$2" ]
}

# learned_rx PID: frames d1 took in (in PID's network namespace): past
# the backlog, each reached the bridge
learned_rx()
{
	nsenter --net="/proc/$1/ns/net" ip -j -s link show d1 |
		jq '.[0].stats64.rx.packets'
}

# learned_go: the bridge's creator goes on (if it still waits).
learned_go()
{
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout 30 bash -c 'echo go >"$1"' - "$SHARE_DIR/go"
}

memcg_learned()
{
	local name="learned entries charged to the cgroup of the bridge's creator, not learned at its limit"
	local n=1000 n2=8000 pid ns st lim a b i rx

	memcg_setup "$name" learned || return
	if ! share_dir || ! mkfifo -m 0666 "$SHARE_DIR/go"; then
		log_fail "no fifo" "$name"
		return
	fi
	# The bridge's creator makes the bridge (no IPv6: nothing but pktgen
	# sends) and waits; from outside the cgroup, with no task in it to
	# start at its limit, pktgen (a kernel thread, in no cgroup) sends:
	# first $n new sources; then, with the cgroup's limit 32 KiB above
	# what it holds, $n2 more once.  An entry takes 128 bytes.  After
	# each, what the cgroup holds and the bridge's counters; then the
	# limit goes and the creator deletes the bridge.
	# shellcheck disable=SC2016 # expanded by the inner shell
	in_cg '
		echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
		ip link add d1 type veth peer name e1 && ip link set d1 up &&
			ip link set e1 up && kbrctl addbr kbu0 &&
			kbrctl addif kbu0 d1 && ip link set kbu0 up || exit 1
		echo "pid $$"
		read -r _ <"$2"
		ip link set kbu0 down && kbrctl delbr kbu0 || exit 1' "$SHARE_DIR/go" >"$TMPD/learned.out" 2>&1 &
	pid=$!
	busywait 20000 grep -q "^pid " "$TMPD/learned.out"
	ns=$(learned_line pid)
	if [ -z "$ns" ]; then
		log_fail "the bridge's creator did not start: $(<"$TMPD/learned.out")" "$name"
		echo 1 >"$CG/cgroup.kill"
		return
	fi
	st=("$(cg_slab)")
	# A frame the backlog drops (other scripts flood too) is sent again.
	for ((i = 0; i < 5; i++)); do
		learned_flood "$ns" 02:00:00:10:00:00 "$n" "$n" ||
			check_err 1 "pktgen failed"
		a=$(learned_counts "$ns")
		[ "${a% *}" == "$n" ] && break
	done
	st+=("$(cg_slab)")
	read -r lim <"$CG/memory.current"
	echo $((lim + 32768)) >"$CG/memory.max"
	# $n2 new sources at the limit; new ones again if another script's
	# flood crowded so many out of the backlog that none met the limit
	# (3 times at most).
	rx=$(learned_rx "$ns")
	for i in 2 3 4; do
		learned_flood "$ns" "02:00:00:${i}0:00:00" "$n2" "$n2" ||
			check_err 1 "pktgen failed"
		# A frame is counted on d1 as it is queued: the backlog may
		# hold some still (2 s: at a frame a millisecond it is done).
		busywait 2000 learned_all "$ns" $((n + $(learned_rx "$ns") - rx))
		b=$(learned_counts "$ns")
		[ "${b#* }" -ge 1 ] && break
	done
	rx=$(($(learned_rx "$ns") - rx))
	echo max >"$CG/memory.max"
	learned_go
	wait "$pid"
	check_err $? "the bridge's creator failed: $(<"$TMPD/learned.out")"
	sleep 2		# frees wait for a grace period
	st+=("$(cg_slab)")

	log_info "learned, not learned for want of memory: $a after $n sources, $b after $n2 more at the limit; slab bytes ${st[0]} before, ${st[1]} after, ${st[2]} with the bridge gone"
	if [ -z "$a" ] || [ -z "$b" ]; then
		check_err 1 "no counters from kbrctl"
		log_test "$name"
		return
	fi
	# All learned and charged here: half of 128 bytes each must show.
	[ "$a" == "$n 0" ]
	check_err $? "$n sources: learned, not learned for want of memory: $a"
	[ $((st[1] - st[0])) -ge $((n * 64)) ]
	check_err $? "$n learned entries charged $((st[1] - st[0])) slab bytes"
	# At the limit fewer are learned: 32 KiB and what the cgroup holds
	# charged ahead on each CPU (65 pages a CPU at most: 520 KiB with 2)
	# take 4,416 at most.  Each source that reached the bridge (all but
	# those another script's flood crowded out of the backlog) is either
	# learned or counted.
	read -r a b <<<"$b"
	log_info "at the limit: $rx frames reached the bridge, $((a - n)) learned, $b not"
	[ $((a - n)) -le $((n2 * 6 / 10)) ] && [ "$b" -ge 1 ] &&
		[ $((a - n + b)) == "$rx" ]
	check_err $? "at the limit $rx frames reached the bridge: $((a - n)) more learned, $b not for want of memory"
	[ "$(cg_event oom_kill)" == 0 ]
	check_err $? "memory.events: $(tr '\n' ' ' <"$CG/memory.events")"
	[ $((st[1] - st[2])) -ge $((n * 64)) ]
	check_err $? "deleting the bridge gave back $((st[1] - st[2])) slab bytes"
	log_test "$name"
}

cleanup()
{
	local cg

	# A test that failed half way may leave a task in its cgroup.
	for cg in "${CGS[@]}"; do
		echo 1 2>/dev/null >"$cg/cgroup.kill" &&
			busywait 5000 grep -qx "populated 0" "$cg/cgroup.events"
		rmdir "$cg" 2>/dev/null
	done
	[ -n "$CG_MOUNT" ] && umount "$CG_MOUNT" 2>/dev/null &&
		rmdir "$CG_MOUNT"
	[ -n "$SHARE_DIR" ] && rm -rf "$SHARE_DIR"
	lib_cleanup
}
trap cleanup EXIT

ns_create "$NS"
tests_run
