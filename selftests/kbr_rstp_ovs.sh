#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RSTP with Open vSwitch's: stp_lib.sh's ring with an OVS bridge running
# RSTP (other_config rstp_enable) as s2, between two RSTP kbridges.  All
# three agree on the root and on s3's p32 as the one alternate, and when
# the s1-OVS link fails the tree is rebuilt through OVS (the outage a
# pinging host sees is printed).
#
# ovsdb-server and ovs-vswitchd run in the guest's own namespace, where
# the OVS bridge and its three ports live: the script runs alone.
# run.sh: alone

ALL_TESTS="
	rstp_ovs_ring
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"
# shellcheck source=ovs_lib.sh
source "$(dirname "$0")/ovs_lib.sh"

require_cmd ovs-vsctl
require_cmd ovsdb-server
require_cmd ovs-vswitchd

rstp_ring

OVS_BR=kbrovs
OVS_STARTED=0

# The OVS side's port names (the init namespace is shared).
O21=kbro21
O23=kbro23
OH=kbroh

# ovs_teardown: the OVS bridge and daemons gone, if they were started
ovs_teardown()
{
	[ "$OVS_STARTED" -eq 1 ] || return 0
	ovs-vsctl --if-exists del-br "$OVS_BR" 2>/dev/null
	ovs_stop
	OVS_STARTED=0
}

# ovs_ring: s1 and s3 RSTP kbridges (stp_lib.sh's priorities), s2 an OVS
# bridge in this namespace with priority 0x2000 and the same timers; the
# hosts as in ring_build.
ovs_ring()
{
	local i p

	for i in 1 2 3; do
		ns_create "$(ns "h$i")" || return 1
	done
	for i in 1 3; do
		ns_create "$(ns "s$i")" || return 1
	done
	ip link add "$O21" type veth peer name p12 netns "$(ns s1)" &&
	ip link add "$O23" type veth peer name p32 netns "$(ns s3)" &&
	ip -n "$(ns s3)" link add p31 type veth peer name p13 \
		netns "$(ns s1)" &&
	ip link add "$OH" type veth peer name eth0 netns "$(ns h2)" \
		address 02:00:00:00:00:02 || return 1
	for i in 1 3; do
		ip -n "$(ns "s$i")" link add ph type veth peer name eth0 \
			address "02:00:00:00:00:0$i" netns "$(ns "h$i")" ||
			return 1
	done
	for i in 1 2 3; do
		ip -n "$(ns "h$i")" -batch - <<-EOF
			link set eth0 addrgenmode none
			link set eth0 up
			address add 192.0.2.$i/24 dev eth0
		EOF
	done
	for i in 1 3; do
		kb_stp_setup "$(ns "s$i")" "${PRIO[$i]}" rstp &&
		ring_ports_up "$i" &&
		ip -n "$(ns "s$i")" link set sw up || return 1
	done
	OVS_STARTED=1
	ovs_start || return 1
	ovs-vsctl add-br "$OVS_BR" -- set bridge "$OVS_BR" \
		rstp_enable=true \
		other_config:rstp-priority=$((PRIO[2])) \
		other_config:rstp-hello-time=1 \
		other_config:rstp-max-age="$MAX_AGE" \
		other_config:rstp-forward-delay="$FD" || return 1
	for p in "$O21" "$O23" "$OH"; do
		ip link set "$p" addrgenmode none 2>/dev/null
		ovs-vsctl add-port "$OVS_BR" "$p" && ip link set "$p" up ||
			return 1
	done
	ip link set "$OVS_BR" up
}

# ovs_role PORT: OVS's RSTP role for PORT (Root, Designated, ...)
ovs_role()
{
	ovs-vsctl get port "$1" rstp_status:rstp_port_role 2>/dev/null |
		tr -d '"'
}

# ovs_state PORT: its RSTP state (Forwarding, Discarding, ...)
ovs_state()
{
	ovs-vsctl get port "$1" rstp_status:rstp_port_state 2>/dev/null |
		tr -d '"'
}

# ovs_root_cost: the OVS bridge's root path cost
ovs_root_cost()
{
	ovs-vsctl get bridge "$OVS_BR" rstp_status:rstp_root_path_cost \
		2>/dev/null | tr -d '"'
}

# kb_blocked: the kbridge ring ports that block, "N:port ...", and those
# disabled, "N:port:down"; "unsettled" if one is in another state
kb_blocked()
{
	local sp st out=

	for sp in 1:p12 1:p13 3:p31 3:p32; do
		st=$(port_state "${sp%%:*}" "${sp#*:}")
		case $st in
		blocking) out+="$sp " ;;
		disabled) out+="$sp:down " ;;
		forwarding) ;;
		*) echo unsettled; return ;;
		esac
	done
	echo "${out% }"
}

# the tree: s1 the root; OVS reaches it on O21 (2000), s3 on p31 (2000)
# rather than through OVS (4000): s3's p32 is the alternate, OVS's O23
# designated
tree_is_ring()
{
	[ "$(kb_blocked)" == "3:p32" ] &&
		[ "$(ovs_role "$O21") $(ovs_role "$O23")" == "Root Designated" ] &&
		[ "$(ovs_state "$O21") $(ovs_state "$O23")" == "Forwarding Forwarding" ]
}

# after s1-OVS fails: OVS reaches s1 through s3 (O23 root), s3's p32
# designated and forwarding
tree_is_failed()
{
	[ "$(kb_blocked)" == "1:p12:down" ] &&
		[ "$(ovs_role "$O23") $(ovs_state "$O23")" == "Root Forwarding" ]
}

rstp_ovs_ring()
{
	local title="RSTP: an Open vSwitch RSTP bridge in a ring of kbridges agrees on the tree, failover through it"
	local pp start ms root

	if ! ovs_ring; then
		setup_failed "$title"
		return
	fi
	busywait "$CONVERGE_MS" tree_is_ring
	check_err $? "tree: kbridges blocked $(kb_blocked), OVS $O21 $(ovs_role "$O21")/$(ovs_state "$O21"), $O23 $(ovs_role "$O23")/$(ovs_state "$O23")"
	root=$(bridge_id 1)
	[ "$(root_id 3)" == "$root" ] && [ "$(ovs_root_cost)" == 2000 ] &&
		[ "$(port_role 3 p32)" == alternate ]
	check_err $? "s3's root $(root_id 3) (want $root), OVS root path cost $(ovs_root_cost) (want 2000), s3 p32 $(port_role 3 p32)"
	[ "$(counter 1 p12 rst_rx)" -gt 0 ] && [ "$(counter 1 p12 to_stp)" -eq 0 ]
	check_err $? "s1's p12 hears OVS: rst_rx $(counter 1 p12 rst_rx), to_stp $(counter 1 p12 to_stp)"
	pingx "$(ns h1)" 192.0.2.2 && pingx "$(ns h3)" 192.0.2.2
	check_err $? "hosts do not reach h2 behind OVS"

	ip netns exec "$(ns h1)" ping -D -i 0.01 -W 1 192.0.2.2 >"$TMPD/oping" 2>&1 &
	pp=$!
	sleep 1
	start=$(now_us)
	ip -n "$(ns s1)" link set p12 down
	busywait "$CONVERGE_MS" tree_is_failed
	check_err $? "after s1-OVS failed: kbridges blocked $(kb_blocked), OVS $O23 $(ovs_role "$O23")/$(ovs_state "$O23")"
	log_info "the new tree $((($(now_us) - start) / 1000)) ms after the failure (as polled)"
	sleep 2
	kill "$pp"
	wait "$pp" 2>/dev/null
	ms=$(longest_gap_ms "$TMPD/oping" "$start")
	[ -n "$ms" ]
	check_err $? "h1's pings to h2 got no reply a second after the failure: $(tail -3 "$TMPD/oping")"
	log_info "outage h1 to h2 (behind OVS) when s1-OVS fails: longest gap $ms ms"
	ip -n "$(ns s1)" link set p12 up
	busywait "$CONVERGE_MS" tree_is_ring
	check_err $? "the tree did not return: kbridges blocked $(kb_blocked)"
	log_test "$title"
}

ovs_cleanup()
{
	ovs_teardown
	ip link del "$O21" 2>/dev/null
	ip link del "$O23" 2>/dev/null
	ip link del "$OH" 2>/dev/null
	cleanup
}

trap ovs_cleanup EXIT
tests_run
