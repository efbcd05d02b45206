#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VMs bridged onto the host's NIC (libvirt's "bridged" network, a
# bridge the host owns): the NIC, carrying the host's address and
# default route, becomes a port of a kbridge, and the address and route
# move to the bridge while the LAN keeps pinging the host; VMs then get
# leases from the LAN's DHCP server as if they were on the LAN.  Undone,
# the address is back on the NIC.
#
#   lan: eth0 192.0.2.1/24 (gateway, dnsmasq) ---- eth0 (the host's NIC)
#                                                   192.0.2.10/24
#   becomes
#   lan ---- eth0 --+ kb0 192.0.2.10/24, default via 192.0.2.1  (host)
#                   +-- p1 --- vm1
#                   +-- p2 --- vm2

ALL_TESTS="
	move_to_bridge
	leases
	vms_on_lan
	showmacs
	move_back
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vmnet_lib.sh
source "$(dirname "$0")/vmnet_lib.sh"

HOST=kbr-brd-host-$$
NS=$HOST	# nsx runs here
LAN=kbr-brd-lan-$$
VMS=(kbr-brd-vm1-$$ kbr-brd-vm2-$$)
PORT=8080
move_to_bridge()
{
	local start

	if ! watch_start "$LAN" 192.0.2.10; then
		check_err 1 "the LAN does not reach the host before the move: $(<"$TMPD/watch")"
		log_test "the host's address and route move to the bridge"
		return
	fi
	# In one batch: the bridge takes the NIC's MAC (the LAN's ARP
	# caches stay right, now and after the move back: without it the
	# move back went unanswered until the LAN asked again), the NIC
	# joins, its address and route go onto the bridge.
	start=${EPOCHREALTIME//[!0-9]/}
	ip -n "$HOST" -batch - <<-EOF
		link set kb0 address $(ip -n "$HOST" -j link show eth0 | jq -r '.[0].address')
		link set eth0 master kb0
		address flush dev eth0
		address add 192.0.2.10/24 dev kb0
		route add default via 192.0.2.1 dev kb0
	EOF
	check_err $? "the move failed"
	log_info "the move took $(((${EPOCHREALTIME//[!0-9]/} - start) / 1000)) ms"
	nap 1
	watch_check "the LAN's pings to the host"
	[ -z "$(ip -n "$HOST" -4 address show dev eth0)" ] &&
		ip -n "$HOST" -j -4 address show dev kb0 |
		jq -e '.[0].addr_info[0].local == "192.0.2.10"' >/dev/null
	check_err $? "the address is not on kb0 alone"
	[ "$(ip -n "$HOST" route show default)" = "default via 192.0.2.1 dev kb0 " ] ||
		[ "$(ip -n "$HOST" route show default)" = "default via 192.0.2.1 dev kb0" ]
	check_err $? "default route: $(ip -n "$HOST" route show default)"
	pingx "$HOST" 192.0.2.1
	check_err $? "the host cannot reach its gateway through kb0"
	log_test "the host's address and route move to the bridge, the LAN's pings answered throughout"
}

leases()
{
	dhcp_all "$TMPD/lan.leases" 192.0.2.1 "${VMS[@]}"
	log_test "VMs on the bridge get leases from the LAN's DHCP server"
}

vms_on_lan()
{
	local i got

	for i in 1 2; do
		pingx "${VMS[i - 1]}" 192.0.2.1
		check_err $? "vm$i cannot ping the LAN's gateway"
		pingx "${VMS[i - 1]}" 192.0.2.10
		check_err $? "vm$i cannot ping the host"
		got=$(peerecho "${VMS[i - 1]}" 192.0.2.1 "$PORT" 2>&1)
		[ "$got" = "$(ip_of "${VMS[i - 1]}")" ]
		check_err $? "vm$i to the LAN's service: it saw '$got'"
	done
	peerecho_start "${VMS[0]}" "$PORT" vm1srv
	got=$(ip netns exec "$LAN" python3 "$PEERECHO" ask "$(ip_of "${VMS[0]}")" "$PORT" 2>&1)
	[ "$got" = 192.0.2.1 ]
	check_err $? "the LAN to vm1's service: it saw '$got'"
	log_test "VMs are on the LAN: gateway, host and services both ways"
}

showmacs()
{
	behind "$HOST" "${VMS[@]}"
	nsx kbrctl -j showmacs kb0 |
		jq -e --arg m "$(ip -n "$LAN" -j link show eth0 | jq -r '.[0].address')" \
			'any(.[]; .mac == $m and .ifname == "eth0")' >/dev/null
	check_err $? "showmacs lacks the LAN gateway's MAC on eth0"
	log_test "kbrctl showmacs lists the VMs on their ports and the LAN on the NIC"
}

move_back()
{
	watch_start "$LAN" 192.0.2.10
	check_err $? "the LAN does not reach the host before the move back"
	ip -n "$HOST" -batch - <<-EOF
		address flush dev kb0
		link set eth0 nomaster
		address add 192.0.2.10/24 dev eth0
		route add default via 192.0.2.1 dev eth0
	EOF
	check_err $? "the move back failed"
	nap 1
	watch_check "the LAN's pings to the host"
	ip -n "$HOST" link set kb0 down && nsx kbrctl delbr kb0
	check_err $? "kb0 could not be deleted"
	ip -n "$HOST" -j -4 address show dev eth0 |
		jq -e '.[0].addr_info[0].local == "192.0.2.10"' >/dev/null
	check_err $? "the address is not back on eth0"
	pingx "$HOST" 192.0.2.1
	check_err $? "the host cannot reach its gateway through eth0"
	log_test "undone: the address and route are back on the NIC, the LAN's pings answered throughout"
}

setup()
{
	local i

	ns_create "$HOST" "$LAN" || return 1
	ip -n "$HOST" -batch - <<-EOF || return 1
		link add eth0 type veth peer name eth0 netns $LAN
		address add 192.0.2.10/24 dev eth0
		link set eth0 up
		route add default via 192.0.2.1
	EOF
	ip -n "$LAN" -batch - <<-EOF || return 1
		address add 192.0.2.1/24 dev eth0
		link set eth0 up
	EOF
	nsx kbrctl addbr kb0 || return 1
	ip -n "$HOST" link set kb0 up || return 1
	for i in 1 2; do
		vm_create "${VMS[i - 1]}" "$HOST" kb0 "p$i" || return 1
	done
	# The LAN's DHCP server (a home router's, say); --no-ping: see
	# kbr_net_nat.sh
	dnsmasq_start "$LAN" lan --bind-dynamic --no-ping --port=0 \
		--interface=eth0 --except-interface=lo \
		--dhcp-range=192.0.2.100,192.0.2.199,255.255.255.0 \
		--dhcp-option=option:router,192.0.2.1 --dhcp-authoritative || return 1
	peerecho_start "$LAN" "$PORT" lansrv
	pingx "$HOST" 192.0.2.1
}

vmnet_main
