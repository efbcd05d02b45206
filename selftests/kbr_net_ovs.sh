#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The mixed host, Open vSwitch flavour: a cloud stack's OVS bridge owns
# the provider network on each host, with its own VMs; a kbridge for
# other VMs (a netns and a tap) is linked to it by a veth pair.  The OVS
# VMs keep talking while the kbridge is linked in and taken out; the
# kbridge's VMs reach the provider gateway and the outside; and with two
# such hosts on one provider network, VMs on host A reach VMs on host B
# through both switches of each.
#
#   outside 203.0.113.10 --- gw (192.0.2.1, 203.0.113.1, forwarding)
#                             |
#            provider network (a Linux bridge: the physical switch)
#              |                                   |
#   host A: eth1 - br-prov (OVS) - ovmA1 .11     host B: the same,
#                    kbl                           ovmB1 .12, kvmB1 .31
#                     |  (veth pair)
#                    ovl - kb0 (kbridge) - kvmA1 .21 (netns)
#                                        - kvmA2 .22 (tap, tapvm.py)
#
# Each host has its own ovsdb-server and ovs-vswitchd (ovs_lib.sh's
# ovs_ns_*), so the script runs beside others.

ALL_TESTS="
	provider_network
	link_kbridge
	learned_both_sides
	two_hosts
	unlink_kbridge
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vmnet_lib.sh
source "$(dirname "$0")/vmnet_lib.sh"
# shellcheck source=ovs_lib.sh
source "$(dirname "$0")/ovs_lib.sh"
require_cmd ovs-vsctl
require_cmd ovsdb-server
require_cmd ovs-vswitchd

S=$$
PROV=kbr-ovs-prov-$S
GW=kbr-ovs-gw-$S
OUT=kbr-ovs-out-$S
HA=kbr-ovs-hosta-$S
HB=kbr-ovs-hostb-$S
OVMA1=kbr-ovs-ovma1-$S
OVMB1=kbr-ovs-ovmb1-$S
KVMA1=kbr-ovs-kvma1-$S
KVMB1=kbr-ovs-kvmb1-$S
PORT=8080
TAP_PID=

# vm_static VM ADDR: VM's eth0 up at ADDR/24, default route via the
# provider gateway
vm_static()
{
	ip -n "$1" -batch - <<-EOF
		address add $2/24 dev eth0
		link set eth0 up
		route add default via 192.0.2.1
	EOF
}

# ovs_vm HOST VM ADDR PORT: VM plugged into HOST's OVS bridge on PORT, as
# the cloud stack plugs its VMs
ovs_vm()
{
	ns_create "$2" &&
	ip -n "$1" link add "$4" type veth peer name eth0 netns "$2" &&
	ip -n "$1" link set "$4" up &&
	ovs_ns "$1" ovs-vsctl add-port br-prov "$4" &&
	vm_static "$2" "$3"
}

# link_host HOST KVM ADDR: HOST's kbridge kb0 made and linked to its OVS
# bridge by the veth pair ovl (kbridge) - kbl (OVS), with the netns VM
# KVM at ADDR on port p1
link_host()
{
	local host=$1

	kbrctl -n "$host" addbr kb0 &&
	ip -n "$host" -batch - <<-EOF &&
		link add ovl type veth peer name kbl
		link set kb0 up
		link set ovl up
		link set kbl up
	EOF
	ovs_ns "$host" ovs-vsctl add-port br-prov kbl &&
	kbrctl -n "$host" addif kb0 ovl &&
	vm_create "$2" "$host" kb0 p1 &&
	vm_static "$2" "$3"
}

provider_network()
{
	pingx "$OVMA1" 192.0.2.1
	check_err $? "ovmA1 cannot ping the provider gateway"
	pingx "$OVMA1" 192.0.2.12
	check_err $? "ovmA1 cannot ping ovmB1 on host B"
	pingx "$OVMB1" 203.0.113.10
	check_err $? "ovmB1 cannot ping the outside"
	log_test "before: the OVS VMs reach the gateway, each other and the outside"
}

link_kbridge()
{
	watch_start "$OVMA1" 192.0.2.12
	check_err $? "ovmA1 does not reach ovmB1: $(<"$TMPD/watch")"
	link_host "$HA" "$KVMA1" 192.0.2.21
	check_err $? "linking host A's kbridge to its OVS bridge failed"
	# The second VM is a tap held by a process, as QEMU holds one.
	ip netns exec "$HA" python3 "$(dirname "$0")/tapvm.py" kvma2 \
		02:00:00:00:22:22 192.0.2.22 >"$TMPD/tapvm.out" 2>&1 &
	TAP_PID=$!
	# python3 starting beside other scripts: not a timing check
	busywait 20000 grep -q ready "$TMPD/tapvm.out"
	check_err $? "the tap did not come up: $(<"$TMPD/tapvm.out")"
	kbrctl -n "$HA" addif kb0 kvma2 && ip -n "$HA" link set kvma2 up
	check_err $? "addif kb0 kvma2 failed"
	nap 1
	watch_check "during: ovmA1's pings to ovmB1"

	pingx "$KVMA1" 192.0.2.1
	check_err $? "kvmA1 cannot ping the provider gateway"
	pingx "$KVMA1" 203.0.113.10
	check_err $? "kvmA1 cannot ping the outside"
	pingx "$KVMA1" 192.0.2.11
	check_err $? "kvmA1 cannot ping ovmA1 across the veth pair"
	pingx "$GW" 192.0.2.22
	check_err $? "the gateway cannot ping the tap VM kvmA2"
	pingx "$OUT" 192.0.2.22
	check_err $? "the outside cannot ping the tap VM kvmA2"
	pingx "$OVMA1" 192.0.2.1
	check_err $? "after: ovmA1 cannot ping the gateway"
	log_test "host A's kbridge linked to OVS: its VMs (netns, tap) reach the gateway and the outside; OVS VMs uninterrupted"
}

learned_both_sides()
{
	local gw_mac kvm_mac

	gw_mac=$(ip -n "$GW" -j link show eth0 | jq -r '.[0].address')
	kvm_mac=$(vm_mac "$KVMA1")
	kbrctl -n "$HA" -j showmacs kb0 |
		jq -e --arg m "$gw_mac" 'any(.[]; .mac == $m and .ifname == "ovl")' >/dev/null
	check_err $? "kb0 has not learned the gateway's $gw_mac on the link ovl"
	ovs_ns "$HA" ovs-appctl fdb/show br-prov >"$TMPD/ovsfdb"
	# ovs-appctl fdb/show: port VLAN MAC age; the port is OVS's number
	# for kbl
	awk -v n="$(ovs_ns "$HA" ovs-vsctl get Interface kbl ofport)" -v m="$kvm_mac" \
		'$1 == n && $3 == m { found = 1 } END { exit !found }' "$TMPD/ovsfdb"
	check_err $? "OVS has not learned kvmA1's $kvm_mac on kbl: $(<"$TMPD/ovsfdb")"
	log_test "each switch learned the other side's hosts behind the veth pair"
}

two_hosts()
{
	local got

	link_host "$HB" "$KVMB1" 192.0.2.31
	check_err $? "linking host B's kbridge to its OVS bridge failed"
	pingx "$KVMA1" 192.0.2.31
	check_err $? "kvmA1 on host A cannot ping kvmB1 on host B"
	pingx "$KVMB1" 192.0.2.11
	check_err $? "kvmB1 on host B cannot ping ovmA1 on host A"
	pingx "$OVMB1" 192.0.2.22
	check_err $? "ovmB1 on host B cannot ping the tap VM kvmA2 on host A"
	peerecho_start "$KVMB1" "$PORT" kvmb1srv
	got=$(ip netns exec "$KVMA1" python3 "$PEERECHO" ask 192.0.2.31 "$PORT" 2>&1)
	[ "$got" = 192.0.2.21 ]
	check_err $? "kvmA1 to kvmB1's service: it saw '$got'"
	log_test "two hosts: kbridge VMs on A and B reach each other through both switches of each"
}

unlink_kbridge()
{
	watch_start "$OVMA1" 192.0.2.12
	check_err $? "ovmA1 does not reach ovmB1 before the unlink"
	kill "$TAP_PID" 2>/dev/null && wait "$TAP_PID" 2>/dev/null
	TAP_PID=
	ovs_ns "$HA" ovs-vsctl del-port br-prov kbl &&
		ip -n "$HA" link set kb0 down && kbrctl -n "$HA" delbr kb0 &&
		ip -n "$HA" link del ovl
	check_err $? "taking host A's kbridge out failed"
	nap 1
	watch_check "during the unlink: ovmA1's pings to ovmB1"
	pingx "$OVMA1" 192.0.2.1
	check_err $? "after: ovmA1 cannot ping the gateway"
	pingx "$KVMB1" 192.0.2.1
	check_err $? "after: kvmB1 on host B cannot ping the gateway"
	ovs_ns "$HA" ovs-vsctl list-ports br-prov >"$TMPD/ports"
	[ "$(sort "$TMPD/ports" | tr '\n' ' ')" = "eth1 oa1 " ]
	check_err $? "host A's OVS ports: $(tr '\n' ' ' <"$TMPD/ports")"
	log_test "host A's kbridge taken out: OVS VMs uninterrupted, host B's unaffected"
}

setup()
{
	local h

	ns_create "$PROV" "$GW" "$OUT" "$HA" "$HB" || return 1
	# the physical network: a switch with the gateway and both hosts
	ip -n "$PROV" -batch - <<-EOF || return 1
		link add sw type bridge
		link set sw up
		link add gwp type veth peer name eth0 netns $GW
		link add upa type veth peer name eth1 netns $HA
		link add upb type veth peer name eth1 netns $HB
		link set gwp master sw
		link set upa master sw
		link set upb master sw
		link set gwp up
		link set upa up
		link set upb up
	EOF
	ip -n "$GW" -batch - <<-EOF || return 1
		link add eth1 type veth peer name eth0 netns $OUT
		address add 192.0.2.1/24 dev eth0
		address add 203.0.113.1/24 dev eth1
		link set eth0 up
		link set eth1 up
	EOF
	ip netns exec "$GW" sysctl -qw net.ipv4.ip_forward=1 || return 1
	ip -n "$OUT" -batch - <<-EOF || return 1
		address add 203.0.113.10/24 dev eth0
		link set eth0 up
		route add 192.0.2.0/24 via 203.0.113.1
	EOF
	for h in "$HA" "$HB"; do
		ovs_ns_start "$h" || return 1
		ovs_ns "$h" ovs-vsctl add-br br-prov -- add-port br-prov eth1 ||
			return 1
		ip -n "$h" link set eth1 up || return 1
	done
	ovs_vm "$HA" "$OVMA1" 192.0.2.11 oa1 || return 1
	ovs_vm "$HB" "$OVMB1" 192.0.2.12 ob1 || return 1
}

cleanup()
{
	[ -n "$TAP_PID" ] && kill "$TAP_PID" 2>/dev/null
	ovs_ns_stop_all
}

vmnet_main
