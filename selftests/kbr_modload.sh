#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: alone (it unloads kbridge)
#
# Loading and unloading kbridge.ko with bridges present, in several
# network namespaces, made both ways, some up, some with ports: every
# unload removes them all and releases the ports, and the module loads
# again; then an unload while a ping flood crosses a bridge.  run.sh
# fails the test on any kernel report in dmesg.
#
#   init netns: kbm0 (kbrctl), kbm1 (ip link, up)
#   netns A: kbm0 (kbrctl, up, RSTP running) with port va (veth va/vb)
#   netns B: kbm2 (ip link)
#   flood: netns F1 -- f1/f2 ports of kbf0 (RSTP) in B -- netns F2

ALL_TESTS="
	load_unload_cycles
	unload_under_flood
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd rmmod

A=kbr-modA-$$
B=kbr-modB-$$
F1=kbr-modF1-$$
F2=kbr-modF2-$$
CYCLES=${KBR_MODLOAD_CYCLES:-50}

populate()
{
	kbrctl addbr kbm0 &&
		ip link add kbm1 type kbridge && ip link set kbm1 up &&
		ip netns exec "$A" kbrctl addbr kbm0 &&
		ip netns exec "$A" kbrctl addif kbm0 va &&
		ip netns exec "$A" kbrctl stp kbm0 rstp &&
		ip -n "$A" link set kbm0 up &&
		ip -n "$B" link add kbm2 type kbridge
}

# Dumps, not lookups by name: a missing name makes the kernel run
# modprobe for "netdev-NAME", which costs half a second under TCG.
none_left()
{
	local left

	left=$({ ip -j link show; ip -n "$A" -j link show
		ip -n "$B" -j link show; } |
		jq -r '.[] | select((.ifname | startswith("kbm")) or .master) | .ifname')
	[ -z "$left" ]
}

load_unload_cycles()
{
	local i

	rmmod kbridge
	check_err $? "initial rmmod failed"
	for ((i = 1; i <= CYCLES && RET == 0; i++)); do
		insmod "$KBR_KMOD"
		check_err $? "cycle $i: insmod failed"
		populate
		check_err $? "cycle $i: creating bridges failed"
		rmmod kbridge
		check_err $? "cycle $i: rmmod with bridges present failed"
		none_left
		check_err $? "cycle $i: bridges left after rmmod"
	done
	kbr_load
	check_err $? "final insmod failed"
	kbrctl addbr kbm9 && kbrctl delbr kbm9
	check_err $? "the module does not work after the cycles"
	log_test "$CYCLES load/unload cycles with bridges in three namespaces"
}

unload_under_flood()
{
	local i pids=()

	ns_create "$F1" "$F2" || { check_err 1 "namespaces"; return; }
	ip -n "$B" link add f1 type veth peer name eth0 netns "$F1" &&
		ip -n "$B" link add f2 type veth peer name eth0 netns "$F2" &&
		ip -n "$B" link add kbf0 type kbridge &&
		ip -n "$B" link set f1 master kbf0 &&
		ip -n "$B" link set f2 master kbf0 &&
		ip -n "$B" link set f1 up && ip -n "$B" link set f2 up &&
		ip netns exec "$B" kbrctl stp kbf0 rstp &&
		ip -n "$B" link set kbf0 up
	check_err $? "building the flood topology failed"
	for i in 1 2; do
		ip -n "kbr-modF$i-$$" addr add "192.0.2.$i/24" dev eth0
		ip -n "kbr-modF$i-$$" link set eth0 up
	done
	# RSTP: the ports hear no BPDU and are edge ports after 3 s.
	busywait 10000 ip netns exec "$F1" ping -c1 -W1 192.0.2.2 >/dev/null
	check_err $? "no traffic across kbf0"

	for i in 1 2; do
		ip netns exec "kbr-modF$i-$$" ping -f -q -w 30 "192.0.2.$((3 - i))" \
			>/dev/null 2>&1 &
		pids+=($!)
	done
	sleep 1
	kill -0 "${pids[@]}"
	check_err $? "the ping floods are not running"
	rmmod kbridge
	check_err $? "rmmod during a flood failed"
	ip -n "$B" -j link show | jq -e 'all(.[]; .master == null)' >/dev/null
	check_err $? "ports still enslaved after rmmod"
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	kbr_load
	check_err $? "insmod after the flood failed"
	log_test "rmmod while a ping flood crosses a bridge"
}

cleanup()
{
	lib_cleanup
	kbr_load
}
trap cleanup EXIT

ns_create "$A" "$B"
ip -n "$A" link add va type veth peer name vb
tests_run
