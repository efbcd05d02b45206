#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libvirt's NAT network (its "default") with a kbridge as the switch:
# the bridge has the host's address on the VM subnet, dnsmasq on it
# serves DHCP and DNS as libvirt runs it, and nftables masquerades the
# VMs to the outside and refuses connections opened from there (the
# rules libvirt installs).  Real dnsmasq, udhcpc and nftables.
#
#   vm1, vm2, vm3 --- p1..p3 --- kb0 192.0.2.1/24    (host)
#                                 | routed, masqueraded
#                                wan 203.0.113.1/24 --- eth0 203.0.113.10
#                                                        (outside, "www")

ALL_TESTS="
	leases
	names
	outbound_nat
	inbound_refused
	showmacs
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vmnet_lib.sh
source "$(dirname "$0")/vmnet_lib.sh"
require_cmd nft

HOST=kbr-nat-host-$$
NS=$HOST	# nsx runs here
OUT=kbr-nat-out-$$
VMS=(kbr-nat-vm1-$$ kbr-nat-vm2-$$ kbr-nat-vm3-$$)
PORT=8080

# vm_ip N: the address vmN's lease gave it
vm_ip()
{
	ip_of "${VMS[$1 - 1]}"
}

leases()
{
	local i vm

	dhcp_all "$TMPD/nat.leases" 192.0.2.1 "${VMS[@]}"
	for i in 1 2 3; do
		vm=${VMS[i - 1]}
		[[ $(vm_ip "$i") =~ ^192\.0\.2\.(1[0-9][0-9])$ ]]
		check_err $? "vm$i's address '$(vm_ip "$i")' is outside the range"
		[ "$(<"$TMPD/$vm.dns")" = 192.0.2.1 ]
		check_err $? "vm$i's DNS server is '$(<"$TMPD/$vm.dns")', want the bridge's 192.0.2.1"
	done
	[ "$(wc -l <"$TMPD/nat.leases")" -eq 3 ]
	check_err $? "dnsmasq's leases: $(<"$TMPD/nat.leases")"
	log_test "three VMs get leases from dnsmasq on the kbridge"
}

names()
{
	resolves "${VMS[0]}" vm2 "$(vm_ip 2)"
	resolves "${VMS[0]}" vm3 "$(vm_ip 3)"
	resolves "${VMS[2]}" vm1 "$(vm_ip 1)"
	resolves "${VMS[1]}" www.outside.test 203.0.113.10
	grep -q "query\[A\] vm2 from $(vm_ip 1)" "$TMPD/nat.log"
	check_err $? "dnsmasq's log has no query for vm2 from vm1"
	log_test "VMs resolve each other's DHCP names and the outside through dnsmasq"
}

outbound_nat()
{
	local i got

	for i in 1 2 3; do
		got=$(peerecho "${VMS[i - 1]}" www.outside.test "$PORT" 2>&1)
		[ "$got" = 203.0.113.1 ]
		check_err $? "vm$i to www.outside.test: outside saw '$got', want the host's 203.0.113.1"
	done
	! grep -q '^192\.0\.2\.' "$TMPD/www.log"
	check_err $? "a VM's own address reached the outside: $(<"$TMPD/www.log")"
	pingx "${VMS[0]}" 203.0.113.10
	check_err $? "vm1 cannot ping the outside"
	pingx "${VMS[0]}" "$(vm_ip 2)"
	check_err $? "vm1 cannot ping vm2 across kb0"
	pingx "${VMS[2]}" 192.0.2.1
	check_err $? "vm3 cannot ping the host's bridge address"
	log_test "VMs reach the outside by name, masqueraded to the host's address"
}

inbound_refused()
{
	local got

	# The outside is given a route to the VM subnet, so only the
	# host's rules can be what stops it.
	ip -n "$OUT" route add 192.0.2.0/24 via 203.0.113.1
	peerecho_start "${VMS[0]}" "$PORT" vm1srv
	got=$(peerecho "${VMS[1]}" "$(vm_ip 1)" "$PORT" 2>&1)
	[ "$got" = "$(vm_ip 2)" ]
	check_err $? "control: vm2 to vm1's service got '$got'"
	got=$(ip netns exec "$OUT" python3 "$PEERECHO" ask "$(vm_ip 1)" "$PORT" 2>&1)
	check_fail $? "the outside opened a connection to vm1 (answer '$got')"
	! grep -q 203.0.113 "$TMPD/vm1srv.log"
	check_err $? "vm1's service saw a connection from outside: $(<"$TMPD/vm1srv.log")"
	unreachable "$OUT" "$(vm_ip 1)" 203.0.113.1
	check_err $? "the outside pings vm1"
	ip -n "$OUT" route del 192.0.2.0/24 via 203.0.113.1
	log_test "the outside cannot open a connection to a VM (control: a VM can)"
}

showmacs()
{
	behind "$HOST" "${VMS[@]}"
	log_test "kbrctl showmacs lists each VM behind its port"
}

setup()
{
	vmnet_host "$HOST" "$OUT" 192.0.2.1 "${VMS[@]}" || return 1
	# What libvirt installs for a NAT network, in nftables' words:
	# masquerade what leaves the subnet (not multicast or broadcast),
	# let the VMs out and the replies back in, refuse the rest.
	ip netns exec "$HOST" nft -f - <<-EOF || return 1
		table ip kbr_nat {
			chain postrouting {
				type nat hook postrouting priority srcnat; policy accept;
				ip saddr 192.0.2.0/24 ip daddr 224.0.0.0/24 return
				ip saddr 192.0.2.0/24 ip daddr 255.255.255.255 return
				ip saddr 192.0.2.0/24 ip daddr != 192.0.2.0/24 masquerade
			}
			chain forward {
				type filter hook forward priority filter; policy accept;
				iifname "kb0" oifname "kb0" accept
				oifname "kb0" ip daddr 192.0.2.0/24 ct state established,related accept
				oifname "kb0" reject
				iifname "kb0" ip saddr 192.0.2.0/24 accept
				iifname "kb0" reject
			}
		}
	EOF
	# libvirt's dnsmasq arguments for its default network, plus a
	# <dns><host> record for the outside service, and --no-ping:
	# dnsmasq pings an address before leasing it and, single-threaded,
	# answers no one else for the 3 s that takes; every address here
	# is on this bridge, and the three VMs boot at once.
	dnsmasq_start "$HOST" nat --strict-order --bind-dynamic --no-ping \
		--interface=kb0 --except-interface=lo \
		--dhcp-range=192.0.2.100,192.0.2.199,255.255.255.0 \
		--dhcp-no-override --dhcp-authoritative --dhcp-lease-max=100 \
		--host-record=www.outside.test,203.0.113.10 || return 1
	peerecho_start "$OUT" "$PORT" www
}

vmnet_main
