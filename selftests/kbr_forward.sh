#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ports and forwarding (topology in fwd_lib.sh): addif/delif and ip link
# master/nomaster, show's port list, pings across the bridge and to its
# own address, learning and showmacs (brctl's layout), ageing, known
# unicast to one port, unknown unicast and broadcast to all, ports and
# bridges going down, and addif/delif/showmacs/setageing errors byte for
# byte.

FWD_ATTACH=0	# ports_both_ways attaches them
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
	port_down_flush
	bridge_down
"

# shellcheck source=fwd_lib.sh
source "$(dirname "$0")/fwd_lib.sh"

# only_local: no learned entry left, each port's own one still there.
only_local()
{
	nsx kbrctl -j showmacs kb0 | jq -e --argjson ports "$PORTS" "$JQ_DEFS"'
		. as $fdb | all(.[]; .is_local) and
		all($ports | keys[]; . as $p | any($fdb[]; local_of($p; $ports)))' >/dev/null
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
	send_frame "${H[1]}" 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff
	check_err $? "sending a broadcast from h1 failed"
	capture_frame
	[[ $FRAME == *" 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5)"* ]]
	check_err $? "h3 saw: ${FRAME:-nothing}; want h1's broadcast"

	log_test "broadcast reaches every port"
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

	# p1 is still a port: h1 reaches kb0's own address.
	unreachable "${H[1]}" 192.0.2.3 192.0.2.254
	check_err $? "h1 still reaches h3"
	unreachable "${H[1]}" 192.0.2.2 192.0.2.254
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

port_down_flush()
{
	pingx "${H[1]}" 192.0.2.3 && busywait 5000 h3_learned
	check_err $? "h3 not learned"
	ip -n "$SW" link set p3 down
	fdb_lacks 02:00:00:00:00:03
	check_err $? "h3's entry outlived its port going down"
	ip -n "$SW" link set p3 up
	busywait 5000 pingx "${H[1]}" 192.0.2.3
	check_err $? "h1 cannot reach h3 after p3 came back"
	log_test "a port going down forgets the hosts behind it"
}

bridge_down()
{
	# The control: h1 reaches h2 within the same second right before.
	pingx "${H[1]}" 192.0.2.2 1 1
	check_err $? "control: h1 got no reply from h2 within 1 s"
	ip -n "$SW" link set kb0 down
	! pingx "${H[1]}" 192.0.2.2 1 1
	check_err $? "a bridge that is down still forwards"
	ip -n "$SW" link set kb0 up
	busywait 5000 pingx "${H[1]}" 192.0.2.2
	check_err $? "no forwarding after the bridge came back up"
	log_test "a bridge that is down forwards nothing"
}

fwd_run
