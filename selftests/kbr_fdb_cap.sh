#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Learned-entry caps (topology in fwd_lib.sh): the bridge's (setfdbmax)
# with either policy (setfdbpolicy): new sources refused and counted, or
# learned by evicting the oldest entry of the port that holds the most;
# and a port's (setportfdbmax): new sources refused and counted, moves
# allowed, frames still forwarded.  The cap on static entries
# (setfdbstaticmax): fdb add beyond it refused, counted, says why.

ALL_TESTS="
	fdb_cap
	fdb_evict
	port_fdb_cap
	static_cap
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

port_evicted()
{
	test "$(port_stat "$1" fdb_evicted)" "$2" "$3"
}

br_stat()
{
	nsx kbrctl -j show kb0 | jq ".[0].$1"
}

# sources NETNS DEV BYTE FIRST N: N broadcast frames out of DEV in NETNS,
# in order, from the new sources 02:00:00:00:BYTE:FIRST onwards
sources()
{
	ip netns exec "$1" python3 -c '
import socket, sys
dev, b, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
for i in range(first, first + n):
    s.send(b"\xff" * 6 + bytes([2, 0, 0, 0, b, i]) + b"\x88\xb5" + bytes(46))
' "$2" "$3" "$4" "$5"
}

# stackless_port NAME: a port whose far end (NAMEh) has no stack: it
# learns only what the test sends
stackless_port()
{
	ip -n "$SW" link add "$1" type veth peer name "$1h" &&
		ip -n "$SW" link set "$1h" addrgenmode none &&
		ip -n "$SW" link set "$1h" up &&
		nsx kbrctl addif kb0 "$1" && ip -n "$SW" link set "$1" up
}

evictions_shown()
{
	[ "$(grep -c '^fdb evict kb0 ' "$TMPD/mon.out")" -eq "$1" ]
}

# bmon_probe: mon_probe (fwd_lib.sh) for "bridge monitor fdb", into
# bmon.out
bmon_probe()
{
	nsx kbrctl fdb add kb0 p1 02:00:00:00:00:58 &&
		nsx kbrctl fdb del kb0 p1 02:00:00:00:00:58
	grep -Eqx 'Deleted 02:00:00:00:00:58 dev p1 master kb0 static ?' \
		"$TMPD/bmon.out"
}

# bmon_evictions N: "bridge monitor fdb" saw N of p4's entries go
bmon_evictions()
{
	[ "$(grep -Ec '^Deleted 02:00:00:00:01:[0-9a-f]{2} dev p4 master kb0 ?$' \
		"$TMPD/bmon.out")" -eq "$1" ]
}

# has_entry MAC PORT: MAC is learned behind PORT
has_entry()
{
	nsx kbrctl -j showmacs kb0 | jq -e --arg m "$1" --arg p "$2" \
		'any(.[]; .mac == $m and .ifname == $p and .flags == ["learned"])' \
		>/dev/null
}

fdb_cap()
{
	local i n refused

	if ! command -v python3 >/dev/null; then
		log_skip "python3 not installed" "learned-entry cap"
		return
	fi
	nsx kbrctl -j show kb0 |
		jq -e '.[0] | .fdb_max_learned == 65536 and .fdb_policy == "evict"' >/dev/null
	check_err $? "the default is not a cap of 65536 that evicts"
	nsx kbrctl setfdbpolicy kb0 refuse &&
		nsx kbrctl -j show kb0 | jq -e '.[0].fdb_policy == "refuse"' >/dev/null
	check_err $? "setfdbpolicy kb0 refuse not shown"
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
	expect_output "setfdbpolicy nosuch" 1 "" \
		"set fdb policy failed: No such device" \
		nsx kbrctl setfdbpolicy nosuch evict
	expect_output "setfdbpolicy bad value" 1 "" \
		"bad fdb policy value: evict or refuse" \
		nsx kbrctl setfdbpolicy kb0 drop
	nsx kbrctl -j show kb0 | jq -e '.[0].fdb_policy == "refuse"' >/dev/null
	check_err $? "a refused setfdbpolicy changed the policy"
	nsx kbrctl setfdbpolicy kb0 evict
	log_test "learned-entry cap, refuse: new sources refused and counted"
}

fdb_evict()
{
	local n ev0 ref0 first

	if ! command -v python3 >/dev/null; then
		log_skip "python3 not installed" "fair eviction"
		return
	fi
	nsx kbrctl flush kb0
	# h1, h2 and h3 learned: one entry on each of p1 to p3.
	pingx "${H[1]}" 192.0.2.2 && pingx "${H[2]}" 192.0.2.3
	check_err $? "h1 to h3 do not reach each other"
	stackless_port p4
	check_err $? "adding p4 failed"
	n=$(br_stat fdb_learned)
	[ "$n" -eq 3 ]
	check_err $? "$n learned entries, want h1 to h3's"
	# Room for six more; four ports: a fair share is two.
	nsx kbrctl setfdbmax kb0 $((n + 6))
	ev0=$(br_stat fdb_evicted)
	ref0=$(br_stat fdb_learn_refused)
	# Not through nsx: $! must be kbrctl itself.
	ip netns exec "$SW" kbrctl monitor fdb >"$TMPD/mon.out" &
	MON_PID=$!
	busywait 10000 mon_probe 'fdb del kb0 02:00:00:00:00:58 dev p1 vlan 0'
	check_err $? "kbrctl monitor fdb shows nothing"
	ip netns exec "$SW" bridge monitor fdb >"$TMPD/bmon.out" &
	MON2_PID=$!
	busywait 10000 bmon_probe
	check_err $? "bridge monitor fdb shows nothing"

	# Six new sources on p4 fill the table; fourteen more each evict
	# p4's oldest entry: p4 holds the most.
	sources "$SW" p4h 1 0 6 && busywait 5000 port_learned p4 -eq 6
	check_err $? "p4 learned $(port_stat p4 fdb_learned) of the first six"
	sources "$SW" p4h 1 6 14 && busywait 5000 port_evicted p4 -eq 14
	check_err $? "p4 lost $(port_stat p4 fdb_evicted) entries, want 14"
	[ "$(port_stat p4 fdb_learned)" -eq 6 ] && [ "$(learned_new)" -eq 6 ]
	check_err $? "p4 holds $(port_stat p4 fdb_learned), want 6"
	has_entry 02:00:00:00:00:01 p1 && has_entry 02:00:00:00:00:02 p2 &&
		has_entry 02:00:00:00:00:03 p3
	check_err $? "a host's entry went: $(nsx kbrctl showmacs kb0 | tr '\n' '|')"
	[ "$(port_stat p1 fdb_evicted)" -eq 0 ] &&
		[ "$(port_stat p2 fdb_evicted)" -eq 0 ] &&
		[ "$(port_stat p3 fdb_evicted)" -eq 0 ]
	check_err $? "p1 to p3 lost entries"
	[ "$(br_stat fdb_evicted)" -eq $((ev0 + 14)) ] &&
		[ "$(br_stat fdb_learn_refused)" -eq "$ref0" ]
	check_err $? "bridge: $(br_stat fdb_evicted) evicted (was $ev0), $(br_stat fdb_learn_refused) refused (was $ref0)"
	busywait 5000 evictions_shown 14
	check_err $? "monitor: $(grep -c '^fdb evict ' "$TMPD/mon.out") evictions, want 14"
	# Announced once a second at most: the fourteen came within
	# milliseconds (one send of 14 frames), so one line, or a few if
	# the guest stalled for seconds meanwhile; never one an eviction.
	[ "$(grep -m1 '^fdb evicting ' "$TMPD/mon.out")" == \
		"fdb evicting kb0 dev p4 evicted 1" ] &&
		[ "$(grep -c '^fdb evicting ' "$TMPD/mon.out")" -lt 14 ]
	check_err $? "monitor: $(grep '^fdb evicting ' "$TMPD/mon.out" | tr '\n' '|'), want p4's first, not one each"
	# Oldest first: the first six evicted are the first six learned.
	first=$(grep '^fdb evict kb0 ' "$TMPD/mon.out" | head -n 6 |
		awk '$5 == "dev" && $6 == "p4" { print $4 }' | sort | tr '\n' ' ')
	[ "$first" == "$(printf '02:00:00:00:01:%02x ' 0 1 2 3 4 5)" ]
	check_err $? "the first six evicted: $first"
	busywait 5000 bmon_evictions 14
	check_err $? "bridge monitor fdb: $(grep -c '^Deleted 02:00:00:00:01:' "$TMPD/bmon.out") of p4's entries deleted, want 14"

	# A new host on p2, which holds less than p4, evicts p4's oldest.
	sources "${H[2]}" eth0 2 1 1 && busywait 5000 port_learned p4 -eq 5
	check_err $? "a new source on p2 left p4 at $(port_stat p4 fdb_learned)"
	has_entry 02:00:00:00:02:01 p2 && [ "$(port_stat p2 fdb_evicted)" -eq 0 ]
	check_err $? "the new source on p2 was not learned, or p2 lost an entry"

	# The port that held the most leaves (eviction remembered it); a
	# flood on a new port fills the table again and churns its own.
	ip -n "$SW" link del p4
	stackless_port p5
	check_err $? "adding p5 failed"
	sources "$SW" p5h 3 0 20 && busywait 5000 port_evicted p5 -eq 15
	check_err $? "p5 lost $(port_stat p5 fdb_evicted) entries, want 15"
	[ "$(port_stat p5 fdb_learned)" -eq 5 ]
	check_err $? "p5 holds $(port_stat p5 fdb_learned), want 5"
	has_entry 02:00:00:00:00:01 p1 && has_entry 02:00:00:00:00:03 p3 &&
		has_entry 02:00:00:00:02:01 p2
	check_err $? "an entry of p1 to p3 went"
	pingx "${H[2]}" 192.0.2.3
	check_err $? "h2 does not reach h3 at the cap"

	# Eviction looks anew at a table filled anew.  p5 (remembered as
	# holding the most) is flushed; it learns two, a new p6 three, and
	# the table is full again; five ports, a fair share is one.  A new
	# source on p2, which holds two, evicts p6's oldest: p6 holds the
	# most now.  (Taking p5 again, which holds no more than p2, p2 would
	# lose h2.)
	nsx kbrctl flush kb0 p5 && stackless_port p6
	check_err $? "flushing p5 or adding p6 failed"
	sources "$SW" p5h 4 0 2 && busywait 5000 port_learned p5 -eq 2 &&
		sources "$SW" p6h 5 0 3 && busywait 5000 port_learned p6 -eq 3
	check_err $? "p5 learned $(port_stat p5 fdb_learned) of 2, p6 $(port_stat p6 fdb_learned) of 3"
	[ "$(br_stat fdb_learned)" -eq $((n + 6)) ]
	check_err $? "$(br_stat fdb_learned) learned, want the cap, $((n + 6))"
	sources "${H[2]}" eth0 2 2 1 && busywait 5000 port_evicted p6 -eq 1
	check_err $? "a new source on p2 evicted none of p6's"
	has_entry 02:00:00:00:02:02 p2 && has_entry 02:00:00:00:00:02 p2 &&
		[ "$(port_stat p2 fdb_evicted)" -eq 0 ] &&
		[ "$(port_stat p5 fdb_evicted)" -eq 15 ] &&
		fdb_lacks 02:00:00:00:05:00
	check_err $? "not p6's oldest went: $(nsx kbrctl showmacs kb0 | tr '\n' '|')"

	kill "$MON_PID" "$MON2_PID"
	wait "$MON_PID" "$MON2_PID" 2>/dev/null
	MON_PID=
	MON2_PID=
	ip -n "$SW" link del p5
	ip -n "$SW" link del p6
	nsx kbrctl setfdbmax kb0 65536
	nsx kbrctl flush kb0
	log_test "learned-entry cap, evict: a flooding port churns its own entries, oldest first; the others keep theirs"
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

# static_flags MAC: the entry's flags, as JSON
static_flags()
{
	nsx kbrctl -j showmacs kb0 | jq -c --arg m "$1" '.[] | select(.mac == $m) | .flags'
}

static_cap()
{
	nsx kbrctl flush kb0 all
	nsx kbrctl -j show kb0 |
		jq -e '.[0] | .fdb_max_static == 65536 and .fdb_static == 0 and
			.fdb_static_refused == 0' >/dev/null
	check_err $? "the default is not a cap of 65536 static entries, none made"
	nsx kbrctl setfdbstaticmax kb0 2 &&
		nsx kbrctl fdb add kb0 p3 02:00:00:00:00:71 &&
		nsx kbrctl fdb add kb0 p3 02:00:00:00:00:72
	check_err $? "two static entries under a cap of two failed"
	# Learned entries do not count; making h2's static would be a third.
	pingx "${H[2]}" 192.0.2.3 && busywait 5000 h2_learned
	check_err $? "h2 was not learned"
	expect_output "fdb add beyond the static cap" 1 "" \
		"$(printf '%s\n' "can't add fdb entry: No space left on device" \
			"Error: The bridge holds as many static entries as its cap allows.")" \
		nsx kbrctl fdb add kb0 p2 02:00:00:00:00:02
	[ "$(static_flags 02:00:00:00:00:02)" == '["learned"]' ] &&
		[ "$(br_stat fdb_static)" -eq 2 ] &&
		[ "$(br_stat fdb_static_refused)" -eq 1 ]
	check_err $? "the refused add changed something: h2 $(static_flags 02:00:00:00:00:02), $(br_stat fdb_static) static, $(br_stat fdb_static_refused) refused"
	# Deleting one makes room: h2's learned entry becomes static.
	nsx kbrctl fdb del kb0 p3 02:00:00:00:00:71 &&
		nsx kbrctl fdb add kb0 p2 02:00:00:00:00:02
	check_err $? "fdb add after a delete failed"
	[ "$(static_flags 02:00:00:00:00:02)" == '["static"]' ] &&
		[ "$(br_stat fdb_static)" -eq 2 ]
	check_err $? "h2 is $(static_flags 02:00:00:00:00:02), $(br_stat fdb_static) static"
	# Lowering the cap drops nothing; 0 lifts it.
	nsx kbrctl setfdbstaticmax kb0 1 &&
		[ "$(br_stat fdb_static)" -eq 2 ] && [ "$(br_stat fdb_max_static)" -eq 1 ]
	check_err $? "lowering the cap to 1: $(br_stat fdb_static) static"
	nsx kbrctl setfdbstaticmax kb0 0 &&
		nsx kbrctl fdb add kb0 p3 02:00:00:00:00:73 &&
		[ "$(br_stat fdb_static)" -eq 3 ]
	check_err $? "no cap: a third static entry failed"
	expect_output "setfdbstaticmax nosuch" 1 "" \
		"set fdb static max failed: No such device" \
		nsx kbrctl setfdbstaticmax nosuch 1
	# flush all drops static entries, and their count with them.
	nsx kbrctl flush kb0 all &&
		[ "$(br_stat fdb_static)" -eq 0 ]
	check_err $? "after flush all: $(br_stat fdb_static) static"
	nsx kbrctl setfdbstaticmax kb0 65536
	log_test "static-entry cap: fdb add beyond it refused with a reason and counted, nothing else changed"
}

fwd_run
