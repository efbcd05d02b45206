#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libvirt's routed network with a kbridge as the switch: the bridge has
# the host's address on the VM subnet, dnsmasq on it leases addresses
# with the bridge as gateway, and the host routes, without NAT, between
# the VMs and the outside, which has a route back.  nftables lets only
# the VM subnet through, as libvirt's rules do.
#
#   vm1, vm2 --- p1, p2 --- kb0 192.0.2.1/24           (host, routing)
#                          wan 203.0.113.1/24 --- eth0 203.0.113.10
#                                                   (outside, a route
#                                                    to 192.0.2.0/24)

ALL_TESTS="
	leases
	both_ways
	one_hop
	foreign_source_refused
	showmacs
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vmnet_lib.sh
source "$(dirname "$0")/vmnet_lib.sh"
require_cmd nft

HOST=kbr-rt-host-$$
OUT=kbr-rt-out-$$
VMS=(kbr-rt-vm1-$$ kbr-rt-vm2-$$)
PORT=8080

vm_ip()
{
	ip_of "${VMS[$1 - 1]}"
}

leases()
{
	dhcp_all "$TMPD/rt.leases" 192.0.2.1 "${VMS[@]}"
	log_test "two VMs get leases from dnsmasq on the kbridge, the bridge as gateway"
}

both_ways()
{
	local i got

	for i in 1 2; do
		got=$(peerecho "${VMS[i - 1]}" 203.0.113.10 "$PORT" 2>&1)
		[ "$got" = "$(vm_ip "$i")" ]
		check_err $? "vm$i to the outside's service: it saw '$got', want vm$i's own $(vm_ip "$i")"
		got=$(ip netns exec "$OUT" python3 "$PEERECHO" ask "$(vm_ip "$i")" "$PORT" 2>&1)
		[ "$got" = 203.0.113.10 ]
		check_err $? "the outside to vm$i's service: it saw '$got', want 203.0.113.10"
	done
	log_test "VMs and the outside open connections both ways, no address translated"
}

# ttl_of NS DEST: the TTL of DEST's echo reply to NS
ttl_of()
{
	ip netns exec "$1" "${PING[@]}" -c 1 -W 2 "$2" 2>/dev/null |
		sed -n 's/.* ttl=\([0-9]*\) .*/\1/p'
}

one_hop()
{
	local ttl

	pingx "$OUT" "$(vm_ip 1)"
	check_err $? "the outside cannot ping vm1"
	# Both ends are Linux (initial TTL 64): the host is one hop.
	ttl=$(ttl_of "$OUT" "$(vm_ip 1)")
	[ "$ttl" = 63 ]
	check_err $? "vm1's reply reached the outside with TTL '$ttl', want 63"
	ttl=$(ttl_of "${VMS[0]}" 203.0.113.10)
	[ "$ttl" = 63 ]
	check_err $? "the outside's reply reached vm1 with TTL '$ttl', want 63"
	ttl=$(ttl_of "${VMS[0]}" "$(vm_ip 2)")
	[ "$ttl" = 64 ]
	check_err $? "vm2's reply reached vm1 with TTL '$ttl', want 64 (switched, not routed)"
	log_test "the host is one routed hop; VM to VM is switched"
}

foreign_source_refused()
{
	local got vm1=${VMS[0]}

	# vm1 sends from an address that is not the VM subnet's, and the
	# routes to it and back exist: only the host's rules stop it.
	ip -n "$vm1" address add 198.51.100.5/32 dev eth0
	ip -n "$HOST" route add 198.51.100.5/32 dev kb0
	ip -n "$OUT" route add 198.51.100.0/24 via 203.0.113.1
	got=$(vm_exec "$vm1" python3 -c '
import socket, sys
s = socket.socket()
s.settimeout(3)
s.bind(("198.51.100.5", 0))
s.connect(("203.0.113.10", int(sys.argv[1])))
print(s.recv(64).decode().strip())' "$PORT" 2>&1)
	check_fail $? "vm1 reached the outside from 198.51.100.5 (it saw '$got')"
	! grep -q 198.51.100.5 "$TMPD/www.log"
	check_err $? "the outside's service saw 198.51.100.5"
	got=$(peerecho "$vm1" 203.0.113.10 "$PORT" 2>&1)
	[ "$got" = "$(vm_ip 1)" ]
	check_err $? "control: vm1 from its lease's address got '$got'"
	ip -n "$OUT" route del 198.51.100.0/24 via 203.0.113.1
	ip -n "$HOST" route del 198.51.100.5/32 dev kb0
	ip -n "$vm1" address del 198.51.100.5/32 dev eth0
	log_test "a VM sending from outside its subnet is refused (control: from its lease's address it is not)"
}

showmacs()
{
	behind "$HOST" "${VMS[@]}"
	log_test "kbrctl showmacs lists each VM behind its port"
}

setup()
{
	vmnet_host "$HOST" "$OUT" 192.0.2.1 "${VMS[@]}" || return 1
	ip -n "$OUT" route add 192.0.2.0/24 via 203.0.113.1 || return 1
	# What libvirt installs for a routed network, in nftables' words:
	# the subnet in and out of the bridge, nothing else.
	ip netns exec "$HOST" nft -f - <<-EOF || return 1
		table ip kbr_routed {
			chain forward {
				type filter hook forward priority filter; policy accept;
				iifname "kb0" oifname "kb0" accept
				oifname "kb0" ip daddr 192.0.2.0/24 accept
				oifname "kb0" reject
				iifname "kb0" ip saddr 192.0.2.0/24 accept
				iifname "kb0" reject
			}
		}
	EOF
	# --no-ping: see kbr_net_nat.sh
	dnsmasq_start "$HOST" rt --strict-order --bind-dynamic --no-ping \
		--interface=kb0 --except-interface=lo \
		--dhcp-range=192.0.2.100,192.0.2.199,255.255.255.0 \
		--dhcp-no-override --dhcp-authoritative || return 1
	peerecho_start "$OUT" "$PORT" www
	peerecho_start "${VMS[0]}" "$PORT" vm1srv
	peerecho_start "${VMS[1]}" "$PORT" vm2srv
}

vmnet_main
