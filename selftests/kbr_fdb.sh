#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The forwarding database by hand (topology in fwd_lib.sh): static
# entries (fdb add/del, flush), their errors, fdb show across bridges,
# iproute2's bridge fdb show beside a Linux bridge's,
# local entries shared by ports with one address, kbrctl monitor's fdb
# and port events, and iproute2's bridge monitor fdb.

ALL_TESTS="
	fdb_static
	fdb_errors
	fdb_show_all
	bridge_fdb_show
	monitor_events
	bridge_monitor_fdb
	shared_address
"
FWD_ATTACH=1

# shellcheck source=fwd_lib.sh
source "$(dirname "$0")/fwd_lib.sh"

# local_on MAC PORT: one entry for MAC, local, behind PORT.
local_on()
{
	nsx kbrctl -j showmacs kb0 | jq -e --arg m "$1" --arg p "$2" \
		'[.[] | select(.mac == $m)] | length == 1 and .[0].is_local and
		.[0].ifname == $p' >/dev/null
}

h1_on_p1()
{
	[ "$(entry 02:00:00:00:00:01 | jq .port_no)" == 1 ]
}

fdb_static()
{
	local s=02:00:00:00:00:55 e

	nsx kbrctl fdb add kb0 p3 "$s"
	check_err $? "fdb add kb0 p3 $s failed"
	e=$(entry "$s")
	jq -e '.port_no == 3 and .flags == ["static"] and .is_local == false and
		.age == 0' <<<"$e" >/dev/null
	check_err $? "static entry: $e"
	nsx kbrctl fdb show kb0 | grep -qx "$s dev p3 master kb0 static"
	check_err $? "fdb show: $(nsx kbrctl fdb show kb0 | grep "$s")"

	# Frames to it go to h3 only.
	capture_start "${H[3]}" "ether dst $s"
	send_frame "${H[1]}" 02:00:00:00:00:01 "$s"
	capture_frame
	[ -n "$FRAME" ]
	check_err $? "a frame to the static address did not reach h3"

	# It never moves, and never ages.
	send_frame "${H[1]}" "$s" ff:ff:ff:ff:ff:ff
	nsx kbrctl setageing kb0 1
	sleep 2
	[ "$(entry "$s" | jq '.port_no')" == 3 ]
	check_err $? "the static entry moved or aged: $(entry "$s")"

	# flush forgets learned entries only; flush all, static ones too.
	# The learned one is of an address nobody sends from again (a host's
	# own may be learned again from its next frame, right after).
	nsx kbrctl setageing kb0 300
	send_frame "${H[1]}" 02:00:00:00:00:5a ff:ff:ff:ff:ff:ff &&
		busywait 5000 fdb_has 02:00:00:00:00:5a
	check_err $? "02:00:00:00:00:5a was not learned"
	nsx kbrctl flush kb0
	check_err $? "flush kb0 failed"
	fdb_lacks 02:00:00:00:00:5a && [ -n "$(entry "$s")" ]
	check_err $? "flush: learned $(entry 02:00:00:00:00:5a), static $(entry "$s")"
	nsx kbrctl flush kb0 all
	fdb_lacks "$s"
	check_err $? "flush all kept the static entry"

	nsx kbrctl fdb add kb0 p3 "$s" && nsx kbrctl fdb del kb0 p3 "$s"
	check_err $? "fdb add/del failed"
	fdb_lacks "$s"
	check_err $? "fdb del kept the entry"
	log_test "static entries: forwarded to, never move or age, flush, del"
}

fdb_errors()
{
	local before after

	ip -n "$SW" link add p5 type veth peer name p6
	nsx kbrctl addbr kb2 && nsx kbrctl addif kb2 p5
	before=$(nsx kbrctl -j showmacs kb0)
	expect_output "fdb add bad mac" 1 "" "bad mac address '02:00:00:00:00'" \
		nsx kbrctl fdb add kb0 p1 02:00:00:00:00
	expect_output "fdb add vlan 4095" 1 "" \
		"$(printf '%s\n' "can't add fdb entry: Numerical result out of range" \
			"Error: integer out of range.")" \
		nsx kbrctl fdb add kb0 p1 02:00:00:00:00:56 vlan 4095
	expect_output "fdb add port of another bridge" 1 "" \
		"device p5 is not a port of kb0" \
		nsx kbrctl fdb add kb0 p5 02:00:00:00:00:56
	expect_output "fdb add multicast" 1 "" \
		"$(printf '%s\n' "can't add fdb entry: Invalid argument" \
			"Error: The address must be unicast and not zero.")" \
		nsx kbrctl fdb add kb0 p1 01:00:5e:00:00:01
	expect_output "fdb del missing" 1 "" \
		"$(printf '%s\n' "can't delete fdb entry: No such file or directory" \
			"Error: No entry for the address.")" \
		nsx kbrctl fdb del kb0 p1 02:00:00:00:00:57
	expect_output "flush port of another bridge" 1 "" \
		"device p5 is not a port of kb0" nsx kbrctl flush kb0 p5
	# The hosts may be learned meanwhile (their ARP probes): nothing may
	# be gone, no static entry may differ, the refused ones are absent.
	after=$(nsx kbrctl -j showmacs kb0)
	jq -e --argjson b "$before" '
		def statics: [.[] | select(.flags | index("learned") | not) | .mac] | sort;
		([$b[].mac] - [.[].mac] == []) and (statics == ($b | statics)) and
		all(.[]; .mac != "02:00:00:00:00:56" and .mac != "02:00:00:00:00:57")
	' <<<"$after" >/dev/null
	check_err $? "a refused request changed the FDB: $before -> $after"
	nsx kbrctl delif kb2 p5 && nsx kbrctl delbr kb2
	ip -n "$SW" link del p5
	log_test "fdb add/del and flush errors: clear message, nothing changed"
}

fdb_show_all()
{
	local out

	ip -n "$SW" link add p7 type veth peer name p8
	nsx kbrctl addbr kb3 && nsx kbrctl addif kb3 p7 &&
		nsx kbrctl fdb add kb3 p7 02:00:00:00:00:77
	check_err $? "a second bridge with a static entry failed"
	out=$(nsx kbrctl fdb show)
	grep -q "^02:00:00:00:00:77 dev p7 master kb3 static$" <<<"$out"
	check_err $? "fdb show without a bridge lacks kb3's static entry"
	grep -q "^${PORT_MAC[1]} dev p1 master kb0 local$" <<<"$out"
	check_err $? "fdb show without a bridge lacks kb0's entries"
	# Bridges by name: kb0's lines before kb3's.
	[ "$(grep -o 'master kb[03]' <<<"$out" | uniq | tr '\n' ' ')" == \
	  "master kb0 master kb3 " ]
	check_err $? "bridges not in name order"
	out=$(nsx kbrctl fdb show kb0) && ! grep -q 02:00:00:00:00:77 <<<"$out"
	check_err $? "kb3's entry shows in kb0's table"
	nsx kbrctl -j fdb show | jq -e 'any(.[]; .mac == "02:00:00:00:00:77" and
		.master == "kb3" and .ifname == "p7")' >/dev/null
	check_err $? "-j fdb show without a bridge lacks kb3's entry"
	nsx kbrctl delif kb3 p7 && nsx kbrctl delbr kb3
	ip -n "$SW" link del p7
	log_test "fdb show without a bridge: every kbridge's table"
}

# fdb_kinds BRIDGE: the kinds of entry "bridge -j fdb show" lists for
# BRIDGE (learned, static, permanent), without what names them (address,
# port, bridge).  Entries with a VLAN are left out: the Linux bridge keeps
# local entries in VLAN 1 too while it does not filter VLANs, kbridge in
# VLAN 0 only.
fdb_kinds()
{
	ip netns exec "$SW" bridge -j fdb show | jq -c --arg b "$1" '
		[.[] | select(.master == $b and .vlan == null) |
		 del(.mac, .ifname, .master)] | unique'
}

# iproute2's "bridge fdb show" lists kbridge's table, as kbrctl does and
# in the form it lists a Linux bridge's.
bridge_fdb_show()
{
	local s=02:00:00:00:00:56 lmac=02:00:00:00:00:57 k l want got

	modprobe bridge
	nsx kbrctl fdb add kb0 p3 "$s" && pingx "${H[1]}" 192.0.2.2 &&
		busywait 5000 h2_learned
	check_err $? "static entry or learning failed"
	# Every kbridge entry, as kbrctl lists it: local entries are
	# iproute2's "permanent", static "static", learned "".
	want=$(nsx kbrctl -j fdb show kb0 | jq -c '[.[] | [.mac, .ifname,
		(if .vlan == 0 then null else .vlan end),
		(if (.flags | index("local")) then "permanent"
		 elif (.flags | index("static")) then "static" else "" end)]] |
		sort')
	got=$(ip netns exec "$SW" bridge -j fdb show | jq -c '[.[] |
		select(.master == "kb0") | [.mac, .ifname, .vlan, .state]] | sort')
	[ "$(jq length <<<"$want")" -ge 6 ] && [ "$want" == "$got" ]
	check_err $? "bridge fdb show lists $got; kbrctl $want"
	ip netns exec "$SW" bridge fdb show | grep -qx "$s dev p3 master kb0 static"
	check_err $? "bridge fdb show: $(ip netns exec "$SW" bridge fdb show | grep "$s")"

	# A Linux bridge with the same kinds of entry: the same keys and
	# values but for the names.
	ip -n "$SW" link add lb0 address 02:00:00:00:00:58 type bridge &&
		ip -n "$SW" link add lp1 address "$lmac" type veth peer name lp2 \
			address 02:00:00:00:00:01 &&
		ip -n "$SW" link add lp3 type veth peer name lp4 &&
		ip -n "$SW" link set lp1 master lb0 &&
		ip -n "$SW" link set lp3 master lb0 &&
		ip netns exec "$SW" bridge fdb add "$s" dev lp3 master static
	check_err $? "cannot build the Linux bridge to compare with"
	ip -n "$SW" link set lp2 up && ip -n "$SW" link set lp1 up &&
		ip -n "$SW" link set lp4 up && ip -n "$SW" link set lp3 up &&
		ip -n "$SW" link set lb0 up
	# lp2 sends as h1 (02:00:00:00:00:01) into lb0.
	ip netns exec "$SW" python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("lp2", 0))
s.send(bytes.fromhex("ffffffffffff020000000001") + b"\x88\xb5" + bytes(46))'
	busywait 5000 sh -c "ip netns exec $SW bridge -j fdb show br lb0 |
		jq -e 'any(.[]; .mac == \"02:00:00:00:00:01\" and
			.ifname == \"lp1\")' >/dev/null"
	check_err $? "the Linux bridge did not learn h1's address"
	k=$(fdb_kinds kb0)
	l=$(fdb_kinds lb0)
	[ "$(jq length <<<"$k")" -eq 3 ] && [ "$k" == "$l" ]
	check_err $? "bridge -j fdb show: kbridge $k, Linux bridge $l"

	ip -n "$SW" link del lb0 && ip -n "$SW" link del lp1 &&
		ip -n "$SW" link del lp3 && nsx kbrctl fdb del kb0 p3 "$s"
	check_err $? "cleaning up failed"
	log_test "bridge fdb show: kbridge's table, as a Linux bridge's is listed"
}

# mon_json_probe: the same for kbrctl -j monitor fdb.
mon_json_probe()
{
	nsx kbrctl fdb add kb0 p1 02:00:00:00:00:58 &&
		nsx kbrctl fdb del kb0 p1 02:00:00:00:00:58
	grep -q '"action":"add".*02:00:00:00:00:58' "$TMPD/mon.out"
}

monitor_events()
{
	local line

	# Not through nsx: $! must be kbrctl itself.
	ip netns exec "$SW" kbrctl monitor fdb port >"$TMPD/mon.out" &
	MON_PID=$!
	busywait 10000 mon_probe 'fdb del kb0 02:00:00:00:00:58 dev p1 vlan 0'
	check_err $? "no fdb add/del events: $(tr '\n' '|' <"$TMPD/mon.out")"

	send_frame "${H[1]}" 02:00:00:00:00:59 ff:ff:ff:ff:ff:ff
	busywait 5000 mon_has 'fdb learn kb0 02:00:00:00:00:59 dev p1 vlan 0'
	check_err $? "no learn event"

	# h1's address, learned behind p1, shows up behind p2: a move,
	# counted.
	send_frame "${H[1]}" 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff
	busywait 5000 h1_on_p1
	send_frame "${H[2]}" 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff
	busywait 5000 mon_has 'fdb move kb0 02:00:00:00:00:01 dev p2 vlan 0'
	check_err $? "no move event"
	nsx kbrctl -j show kb0 | jq -e '.[0].fdb_moves >= 1' >/dev/null
	check_err $? "moves not counted"
	send_frame "${H[1]}" 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff
	busywait 5000 mon_has 'fdb move kb0 02:00:00:00:00:01 dev p1 vlan 0'
	check_err $? "no move event back to p1"

	nsx kbrctl delif kb0 p3 && nsx kbrctl addif kb0 p3
	busywait 5000 mon_has 'port del kb0 p3 port_no 3'
	check_err $? "no port del event"
	busywait 5000 mon_has 'port add kb0 p3 port_no 3'
	check_err $? "no port add event"

	nsx kbrctl flush kb0 p2
	busywait 5000 mon_has 'fdb flush kb0 dev p2'
	check_err $? "no flush event"

	nsx kbrctl setageing kb0 1
	busywait 10000 mon_has 'fdb age kb0 02:00:00:00:00:59 dev p1 vlan 0'
	check_err $? "no age event"
	nsx kbrctl setageing kb0 300
	kill "$MON_PID"
	wait "$MON_PID" 2>/dev/null

	ip netns exec "$SW" kbrctl -j monitor fdb >"$TMPD/mon.out" &
	MON_PID=$!
	busywait 10000 mon_json_probe
	check_err $? "no add event from kbrctl -j monitor fdb: $(<"$TMPD/mon.out")"
	line=$(grep -m1 '"action":"add".*02:00:00:00:00:58' "$TMPD/mon.out")
	jq -e '.object == "fdb" and .master == "kb0" and .ifname == "p1" and
		.mac == "02:00:00:00:00:58" and .vlan == 0' <<<"$line" >/dev/null
	check_err $? "kbrctl -j monitor fdb: $line"
	kill "$MON_PID"
	wait "$MON_PID" 2>/dev/null
	MON_PID=
	log_test "monitor: learn, move, age, add, del, flush, port add/del"
}

# bmon_has LINE: "bridge monitor fdb" printed LINE (a trailing blank
# aside).
bmon_has()
{
	mon_has "$1 ?"
}

# iproute2's "bridge monitor fdb" sees kbridge's table change as a Linux
# bridge's: entries added, learned, moved, deleted, flushed, aged out, a
# port's local entry with the port, a bridge's own with the bridge.
bridge_monitor_fdb()
{
	local q qmac kbmac what

	# A port whose address is not the bridge's (that one's local entry
	# would go to the bridge, not away).
	for q in p3 p2; do
		qmac=$(ip -n "$SW" -j link show "$q" | jq -r '.[0].address')
		[ "$qmac" != "$(ip -n "$SW" -j link show kb0 | jq -r '.[0].address')" ] &&
			break
	done
	# Not through nsx: $! must be bridge itself.
	ip netns exec "$SW" bridge monitor fdb >"$TMPD/mon.out" &
	MON_PID=$!
	busywait 10000 mon_probe \
		"Deleted 02:00:00:00:00:58 dev p1 master kb0 static ?"
	check_err $? "bridge monitor fdb: no static entry deleted: $(tr '\n' '|' <"$TMPD/mon.out")"
	# Listening now: the probe's first add may have come before.
	nsx kbrctl fdb add kb0 p1 02:00:00:00:00:58 &&
		busywait 5000 bmon_has "02:00:00:00:00:58 dev p1 master kb0 static"
	check_err $? "bridge monitor fdb: no static entry added: $(tr '\n' '|' <"$TMPD/mon.out")"
	nsx kbrctl fdb del kb0 p1 02:00:00:00:00:58

	# One step at a time: each event before the next action.
	send_frame "${H[1]}" 02:00:00:00:00:5b ff:ff:ff:ff:ff:ff
	busywait 5000 bmon_has "02:00:00:00:00:5b dev p1 master kb0"
	check_err $? "bridge monitor fdb: nothing learned"
	send_frame "${H[2]}" 02:00:00:00:00:5b ff:ff:ff:ff:ff:ff
	busywait 5000 bmon_has "02:00:00:00:00:5b dev p2 master kb0"
	check_err $? "bridge monitor fdb: no move"
	nsx kbrctl flush kb0 p2
	busywait 5000 bmon_has "Deleted 02:00:00:00:00:5b dev p2 master kb0"
	check_err $? "bridge monitor fdb: no flush"
	grep -Ec "^(Deleted )?02:00:00:00:00:5b " "$TMPD/mon.out" | grep -qx 3
	check_err $? "02:00:00:00:00:5b: not one line each for learned, moved, flushed: $(grep 5b "$TMPD/mon.out" | tr '\n' '|')"

	send_frame "${H[1]}" 02:00:00:00:00:5c ff:ff:ff:ff:ff:ff
	nsx kbrctl setageing kb0 1
	nsx kbrctl delif kb0 "$q" && nsx kbrctl addif kb0 "$q" &&
		nsx kbrctl addbr kbm &&
		kbmac=$(ip -n "$SW" -j link show kbm | jq -r '.[0].address')
	check_err $? "delif, addif, addbr failed"
	# Ageing time 1 s: the collector looks every 0.1 s; 10 s are
	# ample under TCG.  kbm's lines before kbm goes: the monitor
	# names a device it has not seen yet by asking the kernel.
	for what in "02:00:00:00:00:5c dev p1 master kb0" \
		    "Deleted 02:00:00:00:00:5c dev p1 master kb0" \
		    "Deleted $qmac dev $q master kb0 permanent" \
		    "$qmac dev $q master kb0 permanent" \
		    "$kbmac dev kbm master kbm permanent" \
		    "ip link set kbm address 02:00:00:00:00:5d" \
		    "Deleted $kbmac dev kbm master kbm permanent" \
		    "02:00:00:00:00:5d dev kbm master kbm permanent" \
		    "kbrctl delbr kbm" \
		    "Deleted 02:00:00:00:00:5d dev kbm master kbm permanent"; do
		case $what in
		ip*|kbrctl*)
			# shellcheck disable=SC2086
			nsx $what
			check_err $? "$what failed"
			continue ;;
		esac
		busywait 10000 bmon_has "$what"
		check_err $? "bridge monitor fdb did not print '$what': $(tr '\n' '|' <"$TMPD/mon.out")"
	done
	nsx kbrctl setageing kb0 300
	kill "$MON_PID"
	wait "$MON_PID" 2>/dev/null
	MON_PID=
	log_test "bridge monitor fdb: added, learned, moved, deleted, flushed, aged, local"
}

# Ports with one address share its local entry: it moves to the port
# left when its holder goes, and goes when that one's address changes.
# (fe:... is above the random addresses of p1-p3: kb0 keeps its own.)
shared_address()
{
	local a=fe:00:00:00:aa:01 b=fe:00:00:00:aa:02

	ip -n "$SW" -batch - <<-EOF
		link add s1 address $a type veth peer name s1b
		link add s2 address $a type veth peer name s2b
		link set s1 up
		link set s2 up
	EOF
	check_err $? "creating s1 and s2"
	nsx kbrctl addif kb0 s1 s2
	check_err $? "kbrctl addif kb0 s1 s2 failed"
	local_on "$a" s1
	check_err $? "$a is not one local entry on s1: $(entry "$a")"

	nsx kbrctl delif kb0 s1
	check_err $? "kbrctl delif kb0 s1 failed"
	local_on "$a" s2
	check_err $? "the shared entry did not move to s2: $(entry "$a")"

	ip -n "$SW" link set s2 address "$b"
	fdb_lacks "$a" && local_on "$b" s2
	check_err $? "after s2's address changed: $(entry "$a") $(entry "$b")"
	nsx kbrctl delif kb0 s2
	check_err $? "kbrctl delif kb0 s2 failed"
	fdb_lacks "$b"
	check_err $? "s2's entry outlived the port: $(entry "$b")"
	ip -n "$SW" link del s1
	ip -n "$SW" link del s2
	log_test "ports with one address share its local entry; it follows them"
}

fwd_run
