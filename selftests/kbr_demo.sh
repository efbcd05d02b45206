#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make demo SCENARIO=...": each of scripts/demo's VM host network demos
# runs to the end in a namespace of its own (the demo stops at the
# first command that fails), shows what README says it shows, and
# leaves nothing behind.  The kernel paths are the kbr_net_*.sh
# scripts'; this checks the demos, on the stock kernel only.  The docker
# demo loads br_netfilter, which changes every Linux bridge in the guest:
# kbr_net_docker.sh, which runs alone, runs it.

ALL_TESTS="
	demo_nat
	demo_isolated
	demo_routed
	demo_bridged
	demo_ovs
	demo_errors
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vmnet_lib.sh
source "$(dirname "$0")/vmnet_lib.sh"
require_cmd nft
require_cmd ovs-vsctl

skip_debug()
{
	[ "${KBR_DEBUG_KERNEL:-}" = 1 ] || return 1
	log_skip "the demos run on the stock kernel (their paths: kbr_net_*.sh)" "$1"
}

demo_nat()
{
	skip_debug "make demo SCENARIO=nat" && return
	run_demo nat
	[ "$(grep -c '^udhcpc: lease of 192\.0\.2\.1[0-9][0-9] obtained from 192\.0\.2\.1,' "$TMPD/nat")" -eq 2 ]
	check_err $? "the nat demo does not show two leases from the bridge"
	demo_shows nat '^192\.0\.2\.1[0-9][0-9] *vm2$' "vm2's name resolved"
	demo_shows nat '^203\.0\.113\.1$' "the outside seeing the host's address"
	demo_shows nat '^kb0.*vm1$' "kbrctl show"
	log_test "make demo SCENARIO=nat"
}

demo_isolated()
{
	skip_debug "make demo SCENARIO=isolated" && return
	run_demo isolated
	[ "$(grep -c '^udhcpc: lease of .* obtained from 192\.0\.2\.2,' "$TMPD/isolated")" -eq 2 ]
	check_err $? "the isolated demo does not show two leases from srv"
	demo_shows isolated '^2 packets transmitted, 2 received' "vm1 pinging vm2"
	log_test "make demo SCENARIO=isolated"
}

demo_routed()
{
	skip_debug "make demo SCENARIO=routed" && return
	run_demo routed
	demo_shows routed '^192\.0\.2\.1[0-9][0-9]$' "the outside seeing vm1's own address"
	[ "$(grep -c '^2 packets transmitted, 2 received' "$TMPD/routed")" -eq 2 ]
	check_err $? "the routed demo does not show pings both ways"
	log_test "make demo SCENARIO=routed"
}

demo_bridged()
{
	skip_debug "make demo SCENARIO=bridged" && return
	run_demo bridged
	demo_shows bridged '^udhcpc: lease of .* obtained from 192\.0\.2\.1,' "vm1's lease from the LAN"
	demo_shows bridged 'inet 192\.0\.2\.10/24 scope global kb0' "the address on kb0"
	demo_shows bridged 'inet 192\.0\.2\.10/24 scope global eth9' "the address on the NIC"
	log_test "make demo SCENARIO=bridged"
}

demo_ovs()
{
	skip_debug "make demo SCENARIO=ovs" && return
	run_demo ovs
	[ "$(grep -c '^2 packets transmitted, 2 received' "$TMPD/ovs")" -eq 2 ]
	check_err $? "the ovs demo does not show kvm1 reaching the gateway and ovm1"
	demo_shows ovs 'Port kbl' "kbl in ovs-vsctl show"
	log_test "make demo SCENARIO=ovs"
}

demo_errors()
{
	local ns=kbr-demo-err-$$

	expect_output "unknown scenario" 1 "" \
		"demo: no scenario 'bogus'; there are: nat isolated routed bridged ovs docker" \
		"$KBR_TOP/scripts/demo" --check bogus
	# A demo refuses to start where something of its own name exists,
	# and leaves that alone.
	ns_create "$ns" || return
	kbrctl -n "$ns" addbr kb0
	expect_output "kb0 exists" 1 "" \
		"demo: a device kb0 exists; the demo makes and removes its own (run it with make demo)" \
		ip netns exec "$ns" "$KBR_TOP/scripts/demo" nat
	ip -n "$ns" link show kb0 >/dev/null 2>&1
	check_err $? "the refused demo removed kb0"
	log_test "make demo: an unknown scenario, and a demo where its kb0 exists, refused"
}

tests_run
