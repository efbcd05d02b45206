#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bridges live in their network namespace: each namespace sees its own,
# a bridge cannot be moved out, and deleting a namespace frees its
# bridges (the module's "created"/"freed" debug lines pair up).
#
#   netns A: kbnsA0 (kbrctl), kbnsA1 (ip link, up), kbsame
#   netns B: kbnsB0 (kbrctl), kbsame

ALL_TESTS="
	same_name_two_namespaces
	no_move_between_namespaces
	no_reach_into_other_namespace
	netns_delete_frees_bridges
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

A=kbr-nsA-$$
B=kbr-nsB-$$
DYNDBG=/sys/kernel/debug/dynamic_debug/control

same_name_two_namespaces()
{
	ip netns exec "$A" kbrctl addbr kbsame &&
		ip netns exec "$B" kbrctl addbr kbsame
	check_err $? "the same name in two namespaces was refused"

	ip netns exec "$A" kbrctl -j show |
		jq -e '[.[].ifname] == ["kbnsA0","kbnsA1","kbsame"]' >/dev/null
	check_err $? "A sees: $(ip netns exec "$A" kbrctl -j show | jq -c '[.[].ifname]')"
	ip netns exec "$B" kbrctl -j show |
		jq -e '[.[].ifname] == ["kbnsB0","kbsame"]' >/dev/null
	check_err $? "B sees: $(ip netns exec "$B" kbrctl -j show | jq -c '[.[].ifname]')"
	# kbrctl -n enters the namespace itself, as ip -n does.
	[ "$(kbrctl -n "$A" show)" == "$(ip netns exec "$A" kbrctl show)" ] &&
		[ "$(kbrctl -n "$B" -j show)" == "$(ip netns exec "$B" kbrctl -j show)" ]
	check_err $? "kbrctl -n sees other bridges than ip netns exec: $(kbrctl -n "$A" show)"
	kbrctl -n "$B" -j show | jq -e '[.[].ifname] == ["kbnsB0","kbsame"]' >/dev/null
	check_err $? "kbrctl -n B sees: $(kbrctl -n "$B" -j show)"
	log_test "each namespace sees its own bridges"
}

no_move_between_namespaces()
{
	ip -n "$A" link set kbnsA0 netns "$B" 2>/dev/null
	check_fail $? "a bridge moved to another namespace"
	ip -n "$A" link show kbnsA0 >/dev/null 2>&1
	check_err $? "kbnsA0 left A"
	log_test "a bridge stays in its namespace"
}

no_reach_into_other_namespace()
{
	expect_output "delbr from B" 1 "" \
		"bridge kbnsA0 doesn't exist; can't delete it" \
		ip netns exec "$B" kbrctl delbr kbnsA0
	log_test "kbrctl reaches only its own namespace"
}

freed()
{
	dmesg | sed -n "/kbr-netns: mark $$\$/,\$p" | grep -c "kbridge: bridge $1 freed"
}

all_freed()
{
	[ "$(freed kbnsA0)" -eq 1 ] && [ "$(freed kbnsA1)" -eq 1 ] &&
		[ "$(freed kbsame)" -eq 1 ]
}

netns_delete_frees_bridges()
{
	if [ ! -w "$DYNDBG" ]; then
		log_skip "no dynamic debug control" "deleting a namespace frees its bridges"
		return
	fi
	echo 'module kbridge +p' >"$DYNDBG"
	echo "kbr-netns: mark $$" >/dev/kmsg

	ip netns del "$A"
	NETNS_LIST=("$B")
	busywait 20000 all_freed
	check_err $? "A's bridges not all freed: kbnsA0 $(freed kbnsA0), kbnsA1 $(freed kbnsA1), kbsame $(freed kbsame)"

	ip netns exec "$B" kbrctl -j show |
		jq -e '[.[].ifname] == ["kbnsB0","kbsame"]' >/dev/null
	check_err $? "B lost bridges when A went away"
	echo 'module kbridge -p' >"$DYNDBG"
	log_test "deleting a namespace frees its bridges"
}

cleanup()
{
	lib_cleanup
}
trap cleanup EXIT

ns_create "$A" "$B"
ip netns exec "$A" kbrctl addbr kbnsA0
ip -n "$A" link add kbnsA1 type kbridge
ip -n "$A" link set kbnsA1 up
ip netns exec "$B" kbrctl addbr kbnsB0
tests_run
