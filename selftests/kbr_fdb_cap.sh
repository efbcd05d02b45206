#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Learned-entry caps (topology in fwd_lib.sh): the bridge's (setfdbmax)
# and a port's (setportfdbmax): new sources refused and counted, moves
# allowed, frames still forwarded.

ALL_TESTS="
	fdb_cap
	port_fdb_cap
"
FWD_ATTACH=1

# shellcheck source=fwd_lib.sh
source "$(dirname "$0")/fwd_lib.sh"

# learned_new: how many of the flood's addresses 02:00:00:00:01:XX the
# bridge learned.
learned_new()
{
	nsx kbrctl -j showmacs kb0 |
		jq '[.[] | select(.mac | startswith("02:00:00:00:01:"))] | length'
}

learned_new_ge()
{
	[ "$(learned_new)" -ge "$1" ]
}

# port_learned PORT OP N: the port's learned count compares
port_learned()
{
	test "$(port_stat "$1" fdb_learned)" "$2" "$3"
}

fdb_cap()
{
	local i n refused

	if ! command -v python3 >/dev/null; then
		log_skip "python3 not installed" "learned-entry cap"
		return
	fi
	nsx kbrctl -j show kb0 | jq -e '.[0].fdb_max_learned == 65536' >/dev/null
	check_err $? "the default cap is not 65536"
	nsx kbrctl setfdbmax kb0 3
	check_err $? "setfdbmax kb0 3 failed"
	n=$(nsx kbrctl -j show kb0 | jq '.[0].fdb_learned')
	# Room for three more than now: a flood of 20 new sources.
	nsx kbrctl setfdbmax kb0 $((n + 3))
	ip netns exec "${H[1]}" python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
for i in range(20):
    s.send(b"\xff" * 6 + bytes([2, 0, 0, 0, 1, i]) + b"\x88\xb5" + bytes(46))
'
	check_err $? "sending the flood failed"
	busywait 5000 learned_new_ge 3
	[ "$(learned_new)" -eq 3 ]
	check_err $? "learned $(learned_new) of the flood's addresses, want 3"
	refused=$(nsx kbrctl -j show kb0 | jq '.[0].fdb_learn_refused')
	[ "$refused" -ge 17 ]
	check_err $? "refused counter $refused, want at least 17"

	# Beyond the cap frames are still forwarded, by flooding.
	pingx "${H[2]}" 192.0.2.3
	check_err $? "no forwarding at the cap"
	nsx kbrctl setfdbmax kb0 0
	nsx kbrctl -j show kb0 | jq -e '.[0].fdb_max_learned == 0' >/dev/null
	check_err $? "setfdbmax 0 not shown"
	expect_output "setfdbmax nosuch" 1 "" "set fdb max failed: No such device" \
		nsx kbrctl setfdbmax nosuch 1
	log_test "learned-entry cap: new sources refused and counted"
}

port_fdb_cap()
{
	local moves

	if ! command -v python3 >/dev/null; then
		log_skip "python3 not installed" "per-port learned-entry cap"
		return
	fi
	# Nothing left of fdb_cap's flood: its addresses would move here.
	nsx kbrctl flush kb0
	# A port whose far end has no stack: it learns only what we send.
	ip -n "$SW" link add p4 type veth peer name p4h
	ip -n "$SW" link set p4h addrgenmode none
	ip -n "$SW" link set p4h up
	nsx kbrctl addif kb0 p4 && ip -n "$SW" link set p4 up
	check_err $? "addif kb0 p4 failed"
	[ "$(port_stat p4 fdb_max_learned)" -eq 0 ]
	check_err $? "a new port has a cap"
	nsx kbrctl setportfdbmax kb0 p4 2
	check_err $? "setportfdbmax kb0 p4 2 failed"
	[ "$(port_stat p4 fdb_max_learned)" -eq 2 ]
	check_err $? "the port's cap is not shown"

	# Ten new sources on p4: two learned, eight refused there.
	nsx python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("p4h", 0))
for i in range(10):
    s.send(b"\xff" * 6 + bytes([2, 0, 0, 0, 1, i]) + b"\x88\xb5" + bytes(46))
'
	check_err $? "sending the flood failed"
	busywait 5000 port_learned p4 -ge 2
	[ "$(port_stat p4 fdb_learned)" -eq 2 ] && [ "$(learned_new)" -eq 2 ]
	check_err $? "p4 learned $(port_stat p4 fdb_learned), showmacs has $(learned_new) of the flood, want 2"
	[ "$(port_stat p4 fdb_learn_refused)" -eq 8 ]
	check_err $? "p4 refused $(port_stat p4 fdb_learn_refused), want 8"

	# The other ports learn as before.
	pingx "${H[2]}" 192.0.2.3
	check_err $? "h2 does not reach h3 with p4 at its cap"
	[ "$(port_stat p2 fdb_learned)" -ge 1 ] && [ "$(port_stat p3 fdb_learned)" -ge 1 ]
	check_err $? "p2/p3 did not learn"

	# An address moving onto the full port is not refused: no entry is
	# added, and refusing would leave it pointing at the wrong port.
	moves=$(nsx kbrctl -j show kb0 | jq '.[0].fdb_moves')
	nsx python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("p4h", 0))
s.send(b"\xff" * 6 + bytes([2, 0, 0, 0, 0, 2]) + b"\x88\xb5" + bytes(46))
'
	busywait 5000 port_learned p4 -eq 3
	check_err $? "h2's address did not move onto the full port"
	[ "$(nsx kbrctl -j show kb0 | jq '.[0].fdb_moves')" -gt "$moves" ]
	check_err $? "the move was not counted"
	pingx "${H[2]}" 192.0.2.3 && busywait 5000 port_learned p4 -eq 2
	check_err $? "h2's address did not move back"

	expect_output "setportfdbmax missing port" 1 "" \
		"interface nosuch does not exist!" \
		nsx kbrctl setportfdbmax kb0 nosuch 1
	expect_output "setportfdbmax not a port" 1 "" \
		"device lo is not a port of kb0" nsx kbrctl setportfdbmax kb0 lo 1
	expect_output "setportfdbmax missing bridge" 1 "" \
		"bridge nosuch does not exist!" nsx kbrctl setportfdbmax nosuch p4 1
	[ "$(port_stat p4 fdb_max_learned)" -eq 2 ]
	check_err $? "a refused setportfdbmax changed the cap"
	nsx kbrctl setportfdbmax kb0 p4 0
	[ "$(port_stat p4 fdb_max_learned)" -eq 0 ]
	check_err $? "setportfdbmax 0 not shown"
	ip -n "$SW" link del p4
	nsx kbrctl flush kb0
	log_test "per-port cap: a port's new sources refused and counted, moves allowed"
}

fwd_run
