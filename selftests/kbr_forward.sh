#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ports and forwarding: addif/delif and ip link master/nomaster, show's
# port list, pings across the bridge and to its own address, learning and
# showmacs (brctl's layout, ../shared/reference/brctl-output.txt), ageing,
# known unicast to one port, unknown unicast and broadcast to all, and
# addif/delif/showmacs/setageing errors byte for byte.
#
#   +----------------+    +----------------+    +----------------+
#   | h1             |    | h2             |    | h3             |
#   | eth0           |    | eth0           |    | eth0           |
#   | 02:..:00:01    |    | 02:..:00:02    |    | 02:..:00:03    |
#   | 192.0.2.1/24   |    | 192.0.2.2/24   |    | 192.0.2.3/24   |
#   | 2001:db8::1/64 |    | 2001:db8::2/64 |    | 2001:db8::3/64 |
#   +-------|--------+    +-------|--------+    +-------|--------+
#           |                     |                     |
#   +-------|---------------------|---------------------|--------+
#   | sw    p1                    p2                    p3       |
#   |       | kbrctl addif        | ip link master      | addif  |
#   |       +---------------------+---------------------+        |
#   |                    kb0 192.0.2.254/24                      |
#   +------------------------------------------------------------+

ALL_TESTS="
	ports_both_ways
	show_ports
	ping_all
	learning
	showmacs_layout
	unicast_not_flooded
	broadcast_flooded
	ageing
	delif
	errors
	flood_off
	bcast_flood_off
	mcast_flood_off
	isolated
	learning_off
	hairpin
	port_down_flush
	bridge_down
	fdb_cap
	port_fdb_cap
	fdb_static
	fdb_errors
	fdb_show_all
	monitor_events
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd tcpdump

SW=kbr-fwd-sw-$$
NS=$SW		# nsx runs here
H=([1]=kbr-fwd-h1-$$ [2]=kbr-fwd-h2-$$ [3]=kbr-fwd-h3-$$)
PORT_MAC=()	# [n]: pN's address, read at setup
PORTS=		# the same as JSON: {"p1": MAC, ...}
TMPD=
CAP_PID=
FRAME=

# jq helpers on `kbrctl -j showmacs` entries; $p is a port name "pN".
# shellcheck disable=SC2016
JQ_DEFS='
def well_formed:
	(.port_no | type) == "number" and (.ifname | type) == "string" and
	(.mac | test("^([0-9a-f]{2}:){5}[0-9a-f]{2}$")) and .vlan == 0 and
	(.is_local | type) == "boolean" and (.flags | type) == "array" and
	all(.flags[]; IN("local", "static", "learned")) and
	(.age | type) == "number";
def portnum: .[1:] | tonumber;
def local_of($p; $ports):
	.ifname == $p and .port_no == ($p | portnum) and .mac == $ports[$p] and
	.is_local == true and any(.flags[]; . == "local") and .age == 0;
def learned_on($p):
	.ifname == $p and .port_no == ($p | portnum) and .vlan == 0 and
	.is_local == false and any(.flags[]; . == "learned") and
	(.age | type == "number" and . >= 0 and . < 60);
'

# show_want PORT...: brctl's "show kb0", first port on the bridge's line.
show_want()
{
	local mac first=$1

	shift
	mac=$(ip -n "$SW" -j link show kb0 | jq -r '.[0].address')
	printf 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n'
	printf 'kb0\t\t8000.%s\tno\t\t%s' "${mac//:/}" "$first"
	[ $# -eq 0 ] || printf '\n\t\t\t\t\t\t\t%s' "$@"
}

# capture_start NS FILTER [DIRECTION]: tcpdump on NS's eth0 in the background, one
# line per frame with its MAC addresses, ending after the first frame;
# returns once it listens (the filter is set by then).
capture_start()
{
	: >"$TMPD/cap.out"
	: >"$TMPD/cap.err"
	# Not through a function: $! must be tcpdump itself.
	ip netns exec "$1" tcpdump -i eth0 -Q "${3:-inout}" -c 1 -l -nn -e \
		--immediate-mode "$2" >"$TMPD/cap.out" 2>"$TMPD/cap.err" &
	CAP_PID=$!
	busywait 10000 capture_listening
}

capture_listening()
{
	[[ $(<"$TMPD/cap.err") == *"listening on"* ]]
}

# capture_frame: wait for the captured frame, stop, set FRAME to it.
capture_frame()
{
	FRAME=
	busywait 5000 test -s "$TMPD/cap.out" && read -r FRAME <"$TMPD/cap.out"
	capture_stop
}

capture_stop()
{
	[ -z "$CAP_PID" ] && return
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=
}

kb0_carrier()
{
	ip -n "$SW" -j link show kb0 | jq -e '.[0].flags | index("LOWER_UP")' >/dev/null
}

ports_both_ways()
{
	nsx kbrctl addif kb0 p1
	check_err $? "kbrctl addif kb0 p1 failed"
	ip -n "$SW" link set p2 master kb0
	check_err $? "ip link set p2 master kb0 failed"
	nsx kbrctl addif kb0 p3
	check_err $? "kbrctl addif kb0 p3 failed"

	ip -n "$SW" -j link show master kb0 |
		jq -e '[.[].ifname] | sort == ["p1","p2","p3"]' >/dev/null
	check_err $? "ip link show master kb0: $(ip -n "$SW" -j link show master kb0 | jq -c '[.[].ifname]')"

	# With ports up the bridge has a carrier.
	busywait 5000 kb0_carrier
	check_err $? "kb0 has no carrier with three ports up"

	log_test "addif and ip link set master"
}

show_ports()
{
	expect_output "show kb0" 0 "$(show_want p1 p2 p3)" "" nsx kbrctl show kb0

	nsx kbrctl -j show kb0 | jq -e '.[0] | .ifname == "kb0" and
		.stp_enabled == false and .interfaces == ["p1","p2","p3"]' >/dev/null
	check_err $? "kbrctl -j show kb0: $(nsx kbrctl -j show kb0)"

	log_test "show lists ports in port order, brctl's layout"
}

ping_all()
{
	local pair a b

	# The first one may wait for the ports to forward.
	busywait 5000 pingx "${H[1]}" 192.0.2.2
	check_err $? "h1 cannot ping h2 over IPv4"
	pingx "${H[1]}" 2001:db8::2
	check_err $? "h1 cannot ping h2 over IPv6"
	for pair in 13 23; do
		a=${pair:0:1}
		b=${pair:1:1}
		pingx "${H[a]}" "192.0.2.$b"
		check_err $? "h$a cannot ping h$b over IPv4"
		pingx "${H[a]}" "2001:db8::$b"
		check_err $? "h$a cannot ping h$b over IPv6"
	done
	for a in 1 2 3; do
		pingx "${H[a]}" 192.0.2.254
		check_err $? "h$a cannot ping the bridge's address"
		pingx "$SW" "192.0.2.$a"
		check_err $? "the bridge's address cannot ping h$a"
	done

	log_test "ping between hosts (IPv4, IPv6) and to/from the bridge"
}

learning()
{
	local fdb bad

	fdb=$(nsx kbrctl -j showmacs kb0)
	check_err $? "kbrctl -j showmacs kb0 failed"

	# Each host once, learned behind its port; each port's own address
	# local on it.
	bad=$(jq -nr --argjson fdb "$fdb" --argjson ports "$PORTS" "$JQ_DEFS"'
		($fdb[] | select(well_formed | not) | "malformed \(tojson)"),
		((range(1; 4) | tostring) as $n
		| ("02:00:00:00:00:0" + $n) as $mac
		| [$fdb[] | select(.mac == $mac)] as $e
		| (if ($e | length) == 1 and ($e[0] | learned_on("p" + $n))
		   then empty else "h\($n): \($e | tojson)" end),
		  (if any($fdb[]; local_of("p" + $n; $ports))
		   then empty else "no local entry for p\($n)" end))') &&
		[ -z "$bad" ]
	check_err $? "showmacs: ${bad//$'\n'/; } in $fdb"

	log_test "hosts learned on their ports, ports' addresses local"
}

showmacs_layout()
{
	local out body line mac prev='' n hosts='' re_any re_host

	out=$(nsx kbrctl showmacs kb0)
	check_err $? "kbrctl showmacs kb0 failed"
	[ "${out%%$'\n'*}" == $'port no\tmac addr\t\tis local?\tageing timer' ]
	check_err $? "header: $(printf %q "${out%%$'\n'*}")"

	# "%3i\t%s\t%s\t\t%4i.%.2i", sorted by address.
	re_any=$'^[ 0-9]{2}[0-9]\t([0-9a-f]{2}:){5}[0-9a-f]{2}\t(yes|no)\t\t[ 0-9]{3}[0-9]\\.[0-9]{2}$'
	body=${out#*$'\n'}
	while IFS= read -r line; do
		[[ $line =~ $re_any ]]
		check_err $? "line $(printf %q "$line")"
		mac=${line:4:17}
		! [[ $mac < $prev ]]
		check_err $? "not sorted by address: $prev before $mac"
		prev=$mac
		case $mac in
		02:00:00:00:00:0[123])
			n=${mac: -1}
			hosts+=$n
			# Seen less than 100 s ago.
			re_host="^  $n"$'\t'"$mac"$'\tno\t\t(   [0-9]|  [0-9]{2})\\.[0-9]{2}$'
			[[ $line =~ $re_host ]]
			check_err $? "h$n's line $(printf %q "$line")"
			;;
		esac
	done <<<"$body"
	[ "$hosts" == 123 ]
	check_err $? "learned host lines, in order: '$hosts', want '123'"

	for n in 1 2 3; do
		[[ $'\n'$body$'\n' == *$'\n'"  $n"$'\t'"${PORT_MAC[n]}"$'\tyes\t\t   0.00\n'* ]]
		check_err $? "no local line for p$n ${PORT_MAC[n]}"
	done

	log_test "showmacs: brctl's layout, sorted by address"
}

unicast_not_flooded()
{
	# Both ends known to the bridge before the capture starts.
	pingx "${H[1]}" 192.0.2.2
	check_err $? "h1 cannot ping h2"
	# Nobody has this address: frames to it are unknown unicast.
	ip -n "${H[1]}" neigh replace 192.0.2.99 lladdr 02:00:00:00:00:99 dev eth0
	check_err $? "static neighbour on h1 failed"

	# Unicast from h1 that is not for h3: h3 sees it only if flooded.
	# (h3's own neighbour probes may draw replies to it any time.)
	capture_start "${H[3]}" 'ether src 02:00:00:00:00:01 and
		not ether dst 02:00:00:00:00:03 and not ether multicast'
	check_err $? "tcpdump on h3 did not start: $(<"$TMPD/cap.err")"
	pingx "${H[1]}" 192.0.2.2
	check_err $? "h1 cannot ping h2"
	# Flooded, this is the first such frame, unless h1 -> h2 was too.
	pingx "${H[1]}" 192.0.2.99 1 1
	capture_frame
	[[ $FRAME == *" 02:00:00:00:00:01 > 02:00:00:00:00:99, "* ]]
	check_err $? "h3 saw: ${FRAME:-nothing}; want h1's frame to 02:00:00:00:00:99"

	ip -n "${H[1]}" neigh del 192.0.2.99 dev eth0
	log_test "known unicast to its port only, unknown unicast flooded"
}

broadcast_flooded()
{
	# A frame of our own, not an ARP request: h1 may know h2's address
	# already (from h2's own ARP probes) and then send no broadcast.
	capture_start "${H[3]}" 'ether src 02:00:00:00:00:01 and ether broadcast and
		ether proto 0x88b5'
	check_err $? "tcpdump on h3 did not start: $(<"$TMPD/cap.err")"
	send_frame "${H[1]}" 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff
	check_err $? "sending a broadcast from h1 failed"
	capture_frame
	[[ $FRAME == *" 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5)"* ]]
	check_err $? "h3 saw: ${FRAME:-nothing}; want h1's broadcast"

	log_test "broadcast reaches every port"
}

# only_local: no learned entry left, each port's own one still there.
only_local()
{
	nsx kbrctl -j showmacs kb0 | jq -e --argjson ports "$PORTS" "$JQ_DEFS"'
		. as $fdb | all(.[]; .is_local) and
		all($ports | keys[]; . as $p | any($fdb[]; local_of($p; $ports)))' >/dev/null
}

ageing()
{
	local ns

	# Quiet from now on: no neighbour entries left to probe, and no
	# link-local addresses to solicit routers from.
	for ns in "$SW" "${H[@]}"; do
		ip -n "$ns" neigh flush all
	done
	nsx kbrctl setageing kb0 2
	check_err $? "kbrctl setageing kb0 2 failed"

	busywait 10000 only_local
	check_err $? "10 s after setageing 2, want only the ports' own entries: $(nsx kbrctl -j showmacs kb0)"

	nsx kbrctl setageing kb0 300
	check_err $? "kbrctl setageing kb0 300 failed"
	log_test "setageing: learned entries age out, local ones stay"
}

delif()
{
	pingx "${H[1]}" 192.0.2.2 && pingx "${H[1]}" 192.0.2.3
	check_err $? "h1 cannot reach h2 and h3 before delif"

	nsx kbrctl delif kb0 p3
	check_err $? "kbrctl delif kb0 p3 failed"
	ip -n "$SW" link set p2 nomaster
	check_err $? "ip link set p2 nomaster failed"

	expect_output "show kb0 after delif" 0 "$(show_want p1)" "" nsx kbrctl show kb0

	! pingx "${H[1]}" 192.0.2.3 1 1
	check_err $? "h1 still reaches h3"
	! pingx "${H[1]}" 192.0.2.2 1 1
	check_err $? "h1 still reaches h2"
	nsx kbrctl -j showmacs kb0 | jq -e --argjson ports "$PORTS" 'all(.[];
		(.port_no | IN(2, 3) | not) and (.ifname | IN("p2", "p3") | not) and
		(.mac | IN($ports.p2, $ports.p3, "02:00:00:00:00:02", "02:00:00:00:00:03") | not))' >/dev/null
	check_err $? "entries of removed ports left: $(nsx kbrctl -j showmacs kb0)"

	nsx kbrctl addif kb0 p2 p3
	check_err $? "kbrctl addif kb0 p2 p3 failed"
	nsx kbrctl -j show kb0 | jq -e '.[0].interfaces == ["p1","p2","p3"]' >/dev/null
	check_err $? "after addif again: $(nsx kbrctl -j show kb0)"
	busywait 5000 pingx "${H[1]}" 192.0.2.2 && pingx "${H[1]}" 192.0.2.3
	check_err $? "h1 cannot reach h2 and h3 after addif again"

	log_test "delif and nomaster, then addif again"
}

errors()
{
	local before err rc re

	nsx kbrctl addbr kb1 && ip -n "$SW" link add p4 type veth peer name p4peer
	check_err $? "creating kb1 and p4 failed"
	before=$(nsx kbrctl -j show)

	expect_output "addif kb0 nosuch" 1 "" "interface nosuch does not exist!" \
		nsx kbrctl addif kb0 nosuch
	expect_output "addif nosuch p1" 1 "" "bridge nosuch does not exist!" \
		nsx kbrctl addif nosuch p1
	expect_output "addif kb0 kb1" 1 "" \
		"device kb1 is a bridge device itself; can't add a bridge device to a bridge device." \
		nsx kbrctl addif kb0 kb1
	expect_output "addif kb1 p1" 1 "" \
		"device p1 is already a member of a bridge; can't add it to bridge kb1." \
		nsx kbrctl addif kb1 p1
	expect_output "addif kb0 p1" 1 "" \
		"device p1 is already a member of a bridge; can't add it to bridge kb0." \
		nsx kbrctl addif kb0 p1
	# brctl's line, and maybe the kernel's extack after it.
	err=$(nsx kbrctl addif kb0 lo 2>&1 >/dev/null)
	rc=$?
	re=$'^can\'t add lo to bridge kb0: Invalid argument(\nError: [^\n]+\\.)?$'
	[ "$rc" -eq 1 ] && [[ $err =~ $re ]]
	check_err $? "addif kb0 lo: exit status $rc, stderr $(printf %q "$err")"
	[ "$(nsx kbrctl -j show)" == "$before" ]
	check_err $? "a refused addif changed the ports: $(nsx kbrctl -j show)"

	expect_output "delif kb0 p4" 1 "" "device p4 is not a port of kb0" \
		nsx kbrctl delif kb0 p4
	expect_output "showmacs nosuch" 1 "" \
		"read of forward table failed: No such device" \
		nsx kbrctl showmacs nosuch
	expect_output "setageing kb0 abc" 1 "" "bad ageing time value" \
		nsx kbrctl setageing kb0 abc
	expect_output "setageing nosuch 10" 1 "" \
		"set ageing time failed: No such device" \
		nsx kbrctl setageing nosuch 10

	nsx kbrctl delbr kb1
	ip -n "$SW" link del p4
	log_test "addif/delif/showmacs/setageing errors, brctl's messages"
}

# A frame that must not reach a capture is followed, a second later (the
# window these checks always had), by a sentinel: a frame of ethertype
# SENTINEL (local experimental 2) that must, out of the same port.  The
# capture's filter takes both and stops at the first, which must be the
# sentinel: that proves the capture was live through the window.
SENTINEL=88b6

# sentinel_first: the capture's first frame is the sentinel.
sentinel_first()
{
	capture_frame
	[[ $FRAME == *"ethertype Unknown (0x$SENTINEL)"* ]]
}

flood_off()
{
	ip -n "${H[1]}" neigh replace 192.0.2.99 lladdr 02:00:00:00:00:99 dev eth0
	nsx kbrctl setportflag kb0 p3 flood off
	check_err $? "setportflag kb0 p3 flood off failed"
	capture_start "${H[3]}" "ether dst 02:00:00:00:00:99 or ether proto 0x$SENTINEL"
	check_err $? "tcpdump on h3 did not start: $(<"$TMPD/cap.err")"
	pingx "${H[1]}" 192.0.2.99 1 1
	# Broadcast still reaches p3.
	send_frame "${H[1]}" 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff "$SENTINEL"
	sentinel_first
	check_err $? "with flood off, h3 saw first ${FRAME:-nothing}; want the sentinel, not the unknown unicast"

	capture_start "${H[2]}" 'ether dst 02:00:00:00:00:99'
	pingx "${H[1]}" 192.0.2.99 1 1
	capture_frame
	[ -n "$FRAME" ]
	check_err $? "unknown unicast no longer reaches p2"

	nsx kbrctl setportflag kb0 p3 flood on
	capture_start "${H[3]}" 'ether dst 02:00:00:00:00:99'
	pingx "${H[1]}" 192.0.2.99 1 1
	capture_frame
	[ -n "$FRAME" ]
	check_err $? "unknown unicast does not reach p3 with flood on again"
	ip -n "${H[1]}" neigh del 192.0.2.99 dev eth0
	log_test "setportflag flood: unknown unicast kept off a port"
}

bcast_flood_off()
{
	nsx kbrctl setportflag kb0 p3 bcast_flood off
	check_err $? "setportflag kb0 p3 bcast_flood off failed"
	ip -n "${H[1]}" neigh flush dev eth0
	capture_start "${H[3]}" "(arp and ether src 02:00:00:00:00:01) or ether proto 0x$SENTINEL"
	check_err $? "tcpdump on h3 did not start: $(<"$TMPD/cap.err")"
	pingx "${H[1]}" 192.0.2.2
	check_err $? "h1 cannot ping h2 with bcast_flood off on p3"
	# Unicast to h3 still reaches p3.
	send_frame "${H[1]}" 02:00:00:00:00:01 02:00:00:00:00:03 "$SENTINEL"
	sentinel_first
	check_err $? "with bcast_flood off, h3 saw first ${FRAME:-nothing}; want the sentinel, not h1's ARP broadcast"
	nsx kbrctl setportflag kb0 p3 bcast_flood on
	log_test "setportflag bcast_flood: broadcast kept off a port"
}

mcast_flood_off()
{
	local g=01:00:5e:00:00:fb

	nsx kbrctl setportflag kb0 p3 mcast_flood off
	check_err $? "setportflag kb0 p3 mcast_flood off failed"
	capture_start "${H[3]}" "ether dst $g or ether proto 0x$SENTINEL"
	check_err $? "tcpdump on h3 did not start: $(<"$TMPD/cap.err")"
	send_frame "${H[1]}" 02:00:00:00:00:01 "$g"
	sleep 1
	# Broadcast still reaches p3.
	send_frame "${H[1]}" 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff "$SENTINEL"
	sentinel_first
	check_err $? "with mcast_flood off, h3 saw first ${FRAME:-nothing}; want the sentinel, not the multicast"

	capture_start "${H[2]}" "ether dst $g"
	send_frame "${H[1]}" 02:00:00:00:00:01 "$g"
	capture_frame
	[ -n "$FRAME" ]
	check_err $? "multicast no longer reaches p2"
	nsx kbrctl setportflag kb0 p3 mcast_flood on
	log_test "setportflag mcast_flood: multicast kept off a port"
}

isolated()
{
	nsx kbrctl setportflag kb0 p1 isolated on &&
		nsx kbrctl setportflag kb0 p2 isolated on
	check_err $? "setportflag isolated on failed"
	! pingx "${H[1]}" 192.0.2.2 1 1
	check_err $? "two isolated ports talk to each other"
	pingx "${H[1]}" 192.0.2.3
	check_err $? "an isolated port cannot reach a non-isolated one"
	pingx "${H[2]}" 192.0.2.254
	check_err $? "an isolated port cannot reach the bridge's address"
	nsx kbrctl setportflag kb0 p1 isolated off &&
		nsx kbrctl setportflag kb0 p2 isolated off
	busywait 5000 pingx "${H[1]}" 192.0.2.2
	check_err $? "ports do not talk again after isolated off"
	log_test "setportflag isolated: isolated ports never talk to each other"
}

h2_learned()
{
	nsx kbrctl -j showmacs kb0 | jq -e 'any(.[]; .mac == "02:00:00:00:00:02")' >/dev/null
}

learning_off()
{
	nsx kbrctl setportflag kb0 p2 learning off
	check_err $? "setportflag kb0 p2 learning off failed"
	nsx kbrctl setageing kb0 1
	busywait 10000 eval '! h2_learned'
	check_err $? "h2's entry did not age out"
	pingx "${H[1]}" 192.0.2.2
	check_err $? "h1 cannot reach h2 behind a port that does not learn"
	! h2_learned
	check_err $? "a port with learning off learned h2"
	nsx kbrctl setageing kb0 300
	nsx kbrctl setportflag kb0 p2 learning on
	pingx "${H[1]}" 192.0.2.2 && busywait 5000 h2_learned
	check_err $? "learning on again does not learn h2"
	log_test "setportflag learning: a port that does not learn"
}

hairpin()
{
	local x=02:00:00:00:00:77

	if ! command -v python3 >/dev/null; then
		log_skip "python3 not installed" "hairpin"
		return
	fi
	# x is learned behind p1, where h1 is.
	send_frame "${H[1]}" "$x" ff:ff:ff:ff:ff:ff
	check_err $? "sending a frame from h1 failed"

	capture_start "${H[1]}" "ether dst $x or ether proto 0x$SENTINEL" in
	check_err $? "tcpdump on h1 did not start: $(<"$TMPD/cap.err")"
	send_frame "${H[1]}" 02:00:00:00:00:01 "$x"
	sleep 1
	# From h2 to h1: out of p1, where the hairpin would have sent it.
	send_frame "${H[2]}" 02:00:00:00:00:02 02:00:00:00:00:01 "$SENTINEL"
	sentinel_first
	check_err $? "without hairpin, h1 got first ${FRAME:-nothing}; want the sentinel, not its own frame back"

	expect_output "hairpin on" 0 "" "" nsx kbrctl hairpin kb0 p1 on
	send_frame "${H[1]}" "$x" ff:ff:ff:ff:ff:ff
	capture_start "${H[1]}" "ether dst $x" in
	send_frame "${H[1]}" 02:00:00:00:00:01 "$x"
	capture_frame
	[ -n "$FRAME" ]
	check_err $? "hairpin on: the frame did not come back"

	nsx kbrctl hairpin kb0 p1 off
	expect_output "hairpin bad port" 1 "" "interface nosuch does not exist!" \
		nsx kbrctl hairpin kb0 nosuch on
	log_test "hairpin: a frame leaves by its ingress port only when on"
}

h3_learned()
{
	nsx kbrctl -j showmacs kb0 | jq -e 'any(.[]; .mac == "02:00:00:00:00:03")' >/dev/null
}

port_down_flush()
{
	pingx "${H[1]}" 192.0.2.3 && busywait 5000 h3_learned
	check_err $? "h3 not learned"
	ip -n "$SW" link set p3 down
	! h3_learned
	check_err $? "h3's entry outlived its port going down"
	ip -n "$SW" link set p3 up
	busywait 5000 pingx "${H[1]}" 192.0.2.3
	check_err $? "h1 cannot reach h3 after p3 came back"
	log_test "a port going down forgets the hosts behind it"
}

bridge_down()
{
	ip -n "$SW" link set kb0 down
	! pingx "${H[1]}" 192.0.2.2 1 1
	check_err $? "a bridge that is down still forwards"
	ip -n "$SW" link set kb0 up
	busywait 5000 pingx "${H[1]}" 192.0.2.2
	check_err $? "no forwarding after the bridge came back up"
	log_test "a bridge that is down forwards nothing"
}

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

# port_stat PORT KEY: a port's field in kbrctl -j show.
port_stat()
{
	nsx kbrctl -j show kb0 |
		jq --arg p "$1" --arg k "$2" '.[0].ports[] | select(.ifname == $p) | .[$k]'
}

# port_learned PORT OP N: the port's learned count compares
port_learned()
{
	test "$(port_stat "$1" fdb_learned)" "$2" "$3"
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

# entry MAC: the -j showmacs entry of MAC, compact, or nothing.
entry()
{
	nsx kbrctl -j showmacs kb0 | jq -c --arg m "$1" '.[] | select(.mac == $m)'
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
	pingx "${H[1]}" 192.0.2.2
	nsx kbrctl setageing kb0 300
	pingx "${H[1]}" 192.0.2.2 && busywait 5000 h2_learned
	nsx kbrctl flush kb0
	check_err $? "flush kb0 failed"
	! h2_learned && [ -n "$(entry "$s")" ]
	check_err $? "flush: h2 $(h2_learned && echo kept), static $(entry "$s")"
	nsx kbrctl flush kb0 all
	[ -z "$(entry "$s")" ]
	check_err $? "flush all kept the static entry"

	nsx kbrctl fdb add kb0 p3 "$s" && nsx kbrctl fdb del kb0 p3 "$s"
	check_err $? "fdb add/del failed"
	[ -z "$(entry "$s")" ]
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

h1_on_p1()
{
	[ "$(entry 02:00:00:00:00:01 | jq .port_no)" == 1 ]
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
	! nsx kbrctl fdb show kb0 | grep -q 02:00:00:00:00:77
	check_err $? "kb3's entry shows in kb0's table"
	nsx kbrctl -j fdb show | jq -e 'any(.[]; .mac == "02:00:00:00:00:77" and
		.master == "kb3" and .ifname == "p7")' >/dev/null
	check_err $? "-j fdb show without a bridge lacks kb3's entry"
	nsx kbrctl delif kb3 p7 && nsx kbrctl delbr kb3
	ip -n "$SW" link del p7
	log_test "fdb show without a bridge: every kbridge's table"
}

mon_has()
{
	grep -Eqx "$1" "$TMPD/mon.out"
}

mon_probe()
{
	nsx kbrctl fdb add kb0 p1 02:00:00:00:00:58 &&
		nsx kbrctl fdb del kb0 p1 02:00:00:00:00:58
	mon_has 'fdb del kb0 02:00:00:00:00:58 dev p1 vlan 0'
}

monitor_events()
{
	local line

	# Not through nsx: $! must be kbrctl itself.
	ip netns exec "$SW" kbrctl monitor fdb port >"$TMPD/mon.out" &
	MON_PID=$!
	busywait 10000 mon_probe
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
	busywait 10000 grep -q 02:00:00:00:00:58 "$TMPD/mon.out"
	line=$(grep -m1 '"action":"add"' "$TMPD/mon.out")
	jq -e '.object == "fdb" and .master == "kb0" and .ifname == "p1" and
		.mac == "02:00:00:00:00:58" and .vlan == 0' <<<"$line" >/dev/null
	check_err $? "kbrctl -j monitor fdb: $line"
	kill "$MON_PID"
	wait "$MON_PID" 2>/dev/null
	MON_PID=
	log_test "monitor: learn, move, age, add, del, flush, port add/del"
}

setup()
{
	local i name mac

	TMPD=$(mktemp -d) || return 1
	ns_create "$SW" "${H[@]}" || return 1
	nsx kbrctl addbr kb0 || return 1
	ip -n "$SW" -batch - <<-EOF || return 1
		link add p1 type veth peer name eth0 address 02:00:00:00:00:01 netns ${H[1]}
		link add p2 type veth peer name eth0 address 02:00:00:00:00:02 netns ${H[2]}
		link add p3 type veth peer name eth0 address 02:00:00:00:00:03 netns ${H[3]}
		address add 192.0.2.254/24 dev kb0
		link set kb0 up
		link set p1 up
		link set p2 up
		link set p3 up
	EOF
	# No link-local address on the hosts: no router solicitations
	# that would refresh the bridge's entries while they should age.
	for i in 1 2 3; do
		ip -n "${H[i]}" -batch - <<-EOF || return 1
			link set eth0 addrgenmode none
			address add 192.0.2.$i/24 dev eth0
			address add 2001:db8::$i/64 dev eth0 nodad
			link set eth0 up
		EOF
	done

	while read -r name mac; do
		PORT_MAC[${name#p}]=$mac
	done < <(ip -n "$SW" -j link show | jq -r '.[] | select(.ifname | test("^p[1-3]$")) |
		"\(.ifname) \(.address)"')
	[ "${#PORT_MAC[@]}" -eq 3 ] || return 1
	PORTS=$(printf '{"p1":"%s","p2":"%s","p3":"%s"}' \
		"${PORT_MAC[1]}" "${PORT_MAC[2]}" "${PORT_MAC[3]}")
}

cleanup()
{
	[ -n "${MON_PID:-}" ] && kill "$MON_PID" 2>/dev/null
	capture_stop
	lib_cleanup
	[ -n "$TMPD" ] && rm -rf "$TMPD"
}
trap cleanup EXIT

if ! setup; then
	echo "Bail out! setup failed"
	exit "$ksft_fail"
fi
tests_run
