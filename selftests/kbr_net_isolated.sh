#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An isolated VM network on a kbridge: no uplink and no address on the
# bridge (IPv6 off and strict reverse-path filtering on it); a fourth VM
# runs dnsmasq (DHCP without a gateway, as libvirt gives an isolated
# network, and DNS).  The VMs reach each other and nothing else, even
# one that routes through the host's address; the host, which routes
# for its other networks, and an outside host do not reach them either.
#
#   vm1, vm2, vm3 --- p1..p3 ---+
#                               kb0 (no address)          (host)
#   srv 192.0.2.2 --- p4 -------+
#                               wan 203.0.113.1/24 --- eth0 203.0.113.10
#                                                        (outside)

ALL_TESTS="
	leases
	names
	vms_reach_each_other
	nothing_else
	showmacs
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vmnet_lib.sh
source "$(dirname "$0")/vmnet_lib.sh"

HOST=kbr-iso-host-$$
NS=$HOST	# nsx runs here
OUT=kbr-iso-out-$$
SRV=kbr-iso-srv-$$
VMS=(kbr-iso-vm1-$$ kbr-iso-vm2-$$ kbr-iso-vm3-$$)
PORT=8080

vm_ip()
{
	ip_of "${VMS[$1 - 1]}"
}

leases()
{
	local i vm

	dhcp_all "$TMPD/iso.leases" "" "${VMS[@]}"
	for i in 1 2 3; do
		vm=${VMS[i - 1]}
		[ "$(<"$TMPD/$vm.dns")" = 192.0.2.2 ]
		check_err $? "vm$i's DNS server is '$(<"$TMPD/$vm.dns")', want 192.0.2.2"
		[ -z "$(ip -n "$vm" route show default)" ]
		check_err $? "vm$i has a default route"
	done
	log_test "three VMs get leases without a gateway from dnsmasq on a fourth"
}

names()
{
	resolves "${VMS[0]}" vm3 "$(vm_ip 3)"
	log_test "VMs resolve each other's DHCP names through the fourth VM"
}

vms_reach_each_other()
{
	local i j got

	for i in 1 2 3; do
		for j in 1 2 3; do
			[ "$i" = "$j" ] && continue
			pingx "${VMS[i - 1]}" "$(vm_ip "$j")"
			check_err $? "vm$i cannot ping vm$j"
		done
	done
	peerecho_start "${VMS[2]}" "$PORT" vm3srv
	for i in 1 2; do
		got=$(peerecho "${VMS[i - 1]}" "$(vm_ip 3)" "$PORT" 2>&1)
		[ "$got" = "$(vm_ip "$i")" ]
		check_err $? "vm$i to vm3's service: it saw '$got', want $(vm_ip "$i")"
	done
	log_test "VMs reach each other (ping, TCP) under their own addresses"
}

nothing_else()
{
	local got vm1=${VMS[0]}

	# vm1 tries to get out through the host, whose address it knows:
	# the host must neither answer it nor forward for it, one way or
	# the other (the outside must not see a frame from the VM subnet).
	ip -n "$vm1" route add default via 203.0.113.1 dev eth0 onlink
	capture_bg "$OUT" eth0 "$TMPD/out.cap" src net 192.0.2.0/24
	captures_ready "$TMPD/out.cap"
	unreachable "$vm1" 203.0.113.1 "$(vm_ip 2)"
	check_err $? "vm1 pings the host's address"
	unreachable "$vm1" 203.0.113.10 "$(vm_ip 2)"
	check_err $? "vm1 pings the outside"
	got=$(peerecho "$vm1" 203.0.113.10 "$PORT" 2>&1)
	check_fail $? "vm1 reached the outside's service (it saw '$got')"
	captures_stop
	# (tcpdump ends its output with an empty line when stopped)
	! grep -q . "$TMPD/out.cap"
	check_err $? "frames from the VM subnet reached the outside: $(head -n 3 "$TMPD/out.cap")"
	ip -n "$vm1" route del default via 203.0.113.1 dev eth0 onlink
	# The host and the outside try to get in, the outside with a route
	# to the VM subnet through the host.
	ip -n "$OUT" route add 192.0.2.0/24 via 203.0.113.1
	unreachable "$HOST" "$(vm_ip 1)" 203.0.113.10
	check_err $? "the host pings vm1"
	unreachable "$OUT" "$(vm_ip 1)" 203.0.113.1
	check_err $? "the outside pings vm1"
	peerecho_start "$vm1" "$PORT" vm1srv
	got=$(ip netns exec "$OUT" python3 "$PEERECHO" ask "$(vm_ip 1)" "$PORT" 2>&1)
	check_fail $? "the outside reached vm1's service (answer '$got')"
	got=$(ip netns exec "$HOST" python3 "$PEERECHO" ask "$(vm_ip 1)" "$PORT" 2>&1)
	check_fail $? "the host reached vm1's service (answer '$got')"
	! grep -q '^203\.0\.113\.' "$TMPD/vm1srv.log" "$TMPD/vm3srv.log"
	check_err $? "a VM's service saw the host or the outside"
	! grep -q '^192\.0\.2\.' "$TMPD/www.log"
	check_err $? "the outside's service saw a VM: $(<"$TMPD/www.log")"
	! ip -n "$HOST" address show dev kb0 | grep -q inet
	check_err $? "kb0 has an address: $(ip -n "$HOST" address show dev kb0)"
	ip -n "$OUT" route del 192.0.2.0/24 via 203.0.113.1
	log_test "VMs, host and outside cannot reach each other (controls: each reaches its own side)"
}

showmacs()
{
	behind "$HOST" "${VMS[@]}"
	log_test "kbrctl showmacs lists each VM behind its port"
}

setup()
{
	# The host forwards, as a host with other (routed, NAT) networks
	# does, and has a default route to the outside.
	vmnet_host "$HOST" "$OUT" "" "${VMS[@]}" || return 1
	ip -n "$HOST" route add default via 203.0.113.10 || return 1
	# Off the VMs' network: no IPv6 on kb0 (else its link-local address
	# puts the host on it), and strict reverse-path filtering on kb0,
	# which has no route back: the host then neither answers ARP there
	# for its other addresses nor accepts or forwards what VMs send it.
	ip netns exec "$HOST" sysctl -qw net.ipv6.conf.kb0.disable_ipv6=1 \
		net.ipv4.conf.kb0.rp_filter=1 || return 1
	vm_create "$SRV" "$HOST" kb0 p4 || return 1
	ip -n "$SRV" address add 192.0.2.2/24 dev eth0 || return 1
	# dhcp-option=3 with no value: no gateway (libvirt's isolated
	# networks); --no-ping: see kbr_net_nat.sh
	dnsmasq_start "$SRV" iso --strict-order --bind-dynamic --no-ping \
		--interface=eth0 --except-interface=lo \
		--dhcp-range=192.0.2.100,192.0.2.199,255.255.255.0 \
		--dhcp-option=3 --dhcp-authoritative || return 1
	peerecho_start "$OUT" "$PORT" www
}

vmnet_main
