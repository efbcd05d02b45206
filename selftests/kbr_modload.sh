#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading kbridge.ko with bridges present, in several
# network namespaces, made both ways, some up: every unload removes them
# all, and the module loads again.  run.sh fails the test on any kernel
# report in dmesg.
#
#   init netns: kbm0 (kbrctl), kbm1 (ip link, up)
#   netns A: kbm0 (kbrctl, up)   netns B: kbm2 (ip link)

ALL_TESTS="
	load_unload_cycles
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd rmmod

A=kbr-modA-$$
B=kbr-modB-$$
CYCLES=${KBR_MODLOAD_CYCLES:-50}

populate()
{
	kbrctl addbr kbm0 &&
		ip link add kbm1 type kbridge && ip link set kbm1 up &&
		ip netns exec "$A" kbrctl addbr kbm0 &&
		ip -n "$A" link set kbm0 up &&
		ip -n "$B" link add kbm2 type kbridge
}

# Dumps, not lookups by name: a missing name makes the kernel run
# modprobe for "netdev-NAME", which costs half a second under TCG.
none_left()
{
	local left

	left=$({ ip -j link show; ip -n "$A" -j link show
		ip -n "$B" -j link show; } | jq -r '.[].ifname' | grep '^kbm')
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

cleanup()
{
	lib_cleanup
	kbr_load
}
trap cleanup EXIT

ns_create "$A" "$B"
tests_run
