#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port flags (topology in fwd_lib.sh): setportflag flood, bcast_flood,
# mcast_flood, isolated and learning, and hairpin: what each keeps off a
# port, and that it comes back when turned on again.  iproute2's "bridge
# link show" and "bridge link set", and "ip link set ... type
# bridge_slave", report and change kbridge's ports and their flags as
# they do a Linux bridge's.

ALL_TESTS="
	flood_off
	bcast_flood_off
	mcast_flood_off
	isolated
	learning_off
	hairpin
	bridge_link_show
	ip_link_bridge_slave
	bridge_link_state
"
FWD_ATTACH=1

# shellcheck source=fwd_lib.sh
source "$(dirname "$0")/fwd_lib.sh"

flood_off()
{
	ip -n "${H[1]}" neigh replace 192.0.2.99 lladdr 02:00:00:00:00:99 dev eth0
	nsx kbrctl setportflag kb0 p3 flood off
	check_err $? "setportflag kb0 p3 flood off failed"
	capture_start "${H[3]}" "ether dst 02:00:00:00:00:99 or ether proto 0x$SENTINEL"
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
	# An isolated port still reaches a port that is not.
	unreachable "${H[1]}" 192.0.2.2 192.0.2.3
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

learning_off()
{
	nsx kbrctl setportflag kb0 p2 learning off
	check_err $? "setportflag kb0 p2 learning off failed"
	nsx kbrctl setageing kb0 1
	busywait 10000 fdb_lacks 02:00:00:00:00:02
	check_err $? "h2's entry did not age out"
	pingx "${H[1]}" 192.0.2.2
	check_err $? "h1 cannot reach h2 behind a port that does not learn"
	fdb_lacks 02:00:00:00:00:02
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


# port_link DEV: "bridge -j -d link show" for DEV, without what names the
# device rather than its settings as a port.
port_link()
{
	ip netns exec "$SW" bridge -j -d link show dev "$1" |
		jq -c '.[0] | del(.ifindex, .ifname, .link, .master, .flags, .mtu)'
}

# same_as_linux WHAT: p3 (kbridge) and lv0 (a Linux bridge port) report
# the same port settings.
same_as_linux()
{
	local k l

	k=$(port_link p3)
	l=$(port_link lv0)
	[ -n "$k" ] && [ "$k" = "$l" ]
	check_err $? "$1: kbridge's p3 reports $k, the Linux bridge's lv0 $l"
}

# linux_twin: a Linux bridge lb0 in the switch's namespace, its port lv0
# forwarding, to compare p3 with.
linux_twin()
{
	ip -n "$SW" link add lb0 type bridge &&
		ip -n "$SW" link add lv0 type veth peer name lv0p &&
		ip -n "$SW" link set lv0 master lb0 &&
		ip -n "$SW" link set lv0p up && ip -n "$SW" link set lv0 up &&
		ip -n "$SW" link set lb0 up
	check_err $? "cannot build the Linux bridge to compare with"
	busywait 5000 sh -c "ip netns exec $SW bridge -j link show dev lv0 |
		jq -e '.[0].state == \"forwarding\"' >/dev/null"
	check_err $? "the Linux bridge's lv0 never forwarded"
}

# p3 back to the defaults (cost: STP's for a 10 Gb/s veth).
p3_defaults()
{
	ip netns exec "$SW" bridge link set dev p3 learning on flood on \
		mcast_flood on bcast_flood on isolated off hairpin off \
		guard off root_block off priority 32 &&
		nsx kbrctl setpathcost kb0 p3 2
	check_err $? "cannot restore p3"
}

bridge_link_show()
{
	local ports line what want mon

	linux_twin

	ports=$(ip netns exec "$SW" bridge -j link show |
		jq -c '[.[] | select(.master == "kb0") | .ifname] | sort')
	[ "$ports" = '["p1","p2","p3"]' ]
	check_err $? "bridge link show lists $ports as kb0's ports; want p1, p2, p3"

	line=$(ip netns exec "$SW" bridge link show dev p3)
	[[ $line == *"master kb0 state forwarding priority 32 cost 2 "* ]]
	check_err $? "bridge link show dev p3: '$line'"

	same_as_linux "defaults"

	# What kbridge does not have is refused with its reason, and a
	# request with it changes nothing, not even what it could do.
	for what in "learning off fastleave on:fastleave" \
		    "flood off neigh_suppress on:neigh_suppress" \
		    "guard on state 5:" \
		    "mcast_router 2:mcast_router" \
		    "learning_sync on:learning_sync" \
		    "mcast_to_unicast on:mcast_to_unicast" \
		    "vlan_tunnel on:vlan_tunnel" "locked on:locked" \
		    "backup_port p2:backup ports" \
		    "hwmode veb master:this bridge setting"; do
		want=${what#*:}
		what=${what%%:*}
		# shellcheck disable=SC2086
		line=$(refused "$want" ip netns exec "$SW" bridge link set dev p3 $what)
		check_err $? "bridge link set dev p3 $what: '$line'; want it refused for $want"
	done
	# kb0 itself has no bridge link settings (its VLANs: kbr_vlan.sh).
	line=$(refused "bridge device" ip netns exec "$SW" bridge link set dev kb0 self learning off)
	check_err $? "bridge link set dev kb0 self learning off: '$line'; want it refused for the bridge device"
	same_as_linux "after refused bridge link sets"
	# As reported, they are taken.
	ip netns exec "$SW" bridge link set dev p3 mcast_router 1 fastleave off
	check_err $? "bridge link set dev p3 mcast_router 1 fastleave off refused"

	ip netns exec "$SW" bridge monitor link > "$TMPD/brmon" 2>&1 &
	mon=$!
	sleep 0.5
	for dev in p3 lv0; do
		ip netns exec "$SW" bridge link set dev "$dev" learning off \
			flood off mcast_flood off bcast_flood off isolated on \
			hairpin on guard on root_block on priority 7 cost 250
		check_err $? "cannot change $dev's settings with bridge link set"
	done
	sleep 0.5
	kill "$mon"
	wait "$mon" 2>/dev/null
	grep -q "p3.*master kb0.*priority 7 cost 250" "$TMPD/brmon"
	check_err $? "bridge monitor link saw no change of p3: $(cat "$TMPD/brmon")"
	same_as_linux "every flag flipped, priority 7, cost 250"
	line=$(nsx kbrctl -j show kb0 | jq -c '.[0].ports[] | select(.ifname == "p3")')
	echo "$line" | jq -e '(.flags | sort) ==
		["autoedge", "bpduguard", "hairpin", "isolated", "rootguard"]' >/dev/null
	check_err $? "kbrctl does not see what bridge link set changed: $line"

	p3_defaults
	ip -n "$SW" link del lb0
	ip -n "$SW" link del lv0
	log_test "bridge link show and set: kbridge's ports as iproute2 shows and sets a Linux bridge's"
}

# iproute2's "ip link set PORT type bridge_slave ...": what "bridge link
# set" changes, checked alike, and fdb_flush; "ip -d link show" names
# kbridge as the master's kind.
ip_link_bridge_slave()
{
	local before line what want s=02:00:00:00:00:57

	ip -n "$SW" -d -j link show p3 |
		jq -e '.[0].linkinfo.info_slave_kind == "kbridge"' >/dev/null
	check_err $? "ip -d link show p3: $(ip -n "$SW" -d -j link show p3 | jq -c '.[0].linkinfo')"

	linux_twin
	for dev in p3 lv0; do
		ip -n "$SW" link set "$dev" type bridge_slave learning off \
			flood off mcast_flood off bcast_flood off isolated on \
			hairpin on guard on root_block on priority 7 cost 250
		check_err $? "ip link set $dev type bridge_slave ... failed"
	done
	same_as_linux "ip link set type bridge_slave: every flag flipped, priority 7, cost 250"

	# Refused with the reason, and nothing changes.
	before=$(port_link p3)
	for what in "learning on state 5:" \
		    "flood on neigh_suppress on:neigh_suppress" \
		    "learning on group_fwd_mask 8:no such port setting" \
		    "learning on locked on:locked" \
		    "proxy_arp off proxy_arp_wifi on:proxy ARP" \
		    "priority 64:" "cost 0:"; do
		want=${what#*:}
		what=${what%%:*}
		# shellcheck disable=SC2086
		line=$(refused "$want" ip -n "$SW" link set p3 type bridge_slave $what)
		check_err $? "ip link set p3 type bridge_slave $what: '$line'; want it refused${want:+ for $want}"
	done
	[ "$(port_link p3)" == "$before" ]
	check_err $? "a refused ip link set changed p3: $(port_link p3)"
	p3_defaults

	# fdb_flush: what was learned behind p3 goes, a static entry stays.
	nsx kbrctl fdb add kb0 p3 "$s" && pingx "${H[3]}" 192.0.2.1 &&
		busywait 5000 h3_learned
	check_err $? "static entry or learning behind p3 failed"
	ip -n "$SW" link set p3 type bridge_slave fdb_flush &&
		fdb_lacks 02:00:00:00:00:03 && fdb_has "$s" &&
		fdb_has 02:00:00:00:00:01
	check_err $? "ip link set p3 type bridge_slave fdb_flush: $(nsx kbrctl showmacs kb0 | tr '\n' '|')"
	nsx kbrctl fdb del kb0 p3 "$s"
	ip -n "$SW" link del lb0
	ip -n "$SW" link del lv0
	log_test "ip link set PORT type bridge_slave: kbridge's ports as a Linux bridge's"
}

# refused WANT CMD...: CMD fails and says WANT (anything, if empty).
# Prints what it said, or that it did not fail.
refused()
{
	local out

	if out=$("${@:2}" 2>&1); then
		echo "accepted: $out"
		return 1
	fi
	echo "$out"
	[[ $out == *"$1"* ]]
}

# brmon_has REGEX: "bridge monitor link" printed a line matching REGEX.
brmon_has()
{
	grep -Eq "$1" "$TMPD/brmon"
}

# p3_back: after its last "Deleted" line, bridge monitor link printed p3
# forwarding.
p3_back()
{
	awk '/^Deleted .*p3.*master kb0/ { gone = 1; back = 0 }
	     gone && /^[0-9]+: p3.*master kb0.*state forwarding/ { back = 1 }
	     END { exit !back }' "$TMPD/brmon"
}

# A port's state set by hand, where the spanning tree is off, as the
# Linux bridge allows: frames stop and flow again, and "bridge monitor
# link" sees each transition, and ports leaving and joining.
bridge_link_state()
{
	local dev line what want

	linux_twin
	ip netns exec "$SW" bridge monitor link >"$TMPD/brmon" 2>&1 &
	MON_PID=$!
	busywait 5000 sh -c "ip netns exec $SW bridge link set dev p3 priority 32;
		grep -q 'p3.*master kb0' $TMPD/brmon"
	check_err $? "bridge monitor link does not listen: $(cat "$TMPD/brmon")"

	for dev in p3 lv0; do
		ip netns exec "$SW" bridge link set dev "$dev" state 1
		check_err $? "bridge link set dev $dev state 1 failed"
	done
	same_as_linux "state 1 (listening) set by hand"
	unreachable "${H[1]}" 192.0.2.3 192.0.2.2
	check_err $? "h3 answers behind a listening p3"
	busywait 5000 brmon_has "p3.*master kb0 state listening"
	check_err $? "bridge monitor link: no listening p3: $(cat "$TMPD/brmon")"
	# Blocking holds too (a Linux bridge without STP puts a blocking
	# port straight back to forwarding).
	ip netns exec "$SW" bridge link set dev p3 state 4 &&
		[ "$(ip netns exec "$SW" bridge -j link show dev p3 | jq -r '.[0].state')" == blocking ]
	check_err $? "bridge link set dev p3 state 4: $(ip netns exec "$SW" bridge link show dev p3)"
	unreachable "${H[1]}" 192.0.2.3 192.0.2.2
	check_err $? "h3 answers behind a blocking p3"

	# ip link set ends in a NETDEV_CHANGE: the state holds through it.
	ip -n "$SW" link set p3 type bridge_slave state 2 &&
		ip -n "$SW" link set p3 alias "learning by hand"
	check_err $? "ip link set p3 type bridge_slave state 2, alias failed"
	[ "$(ip netns exec "$SW" bridge -j link show dev p3 | jq -r '.[0].state')" == learning ]
	check_err $? "state 2 did not hold: $(ip netns exec "$SW" bridge link show dev p3)"
	ip -n "$SW" link set p3 type bridge_slave state 3
	check_err $? "ip link set p3 type bridge_slave state 3 failed"
	pingx "${H[1]}" 192.0.2.3
	check_err $? "h3 does not answer behind a forwarding p3"

	# Refused with the reason, nothing changed: with the spanning tree
	# on; a live state for a port that is down; no such state.
	nsx kbrctl stp kb0 on
	line=$(refused "turn it off first" ip netns exec "$SW" bridge link set dev p3 state 3)
	check_err $? "bridge link set dev p3 state 3 with STP on: '$line'"
	nsx kbrctl stp kb0 off
	ip -n "$SW" link set p3 down
	for what in "state 3:can only be disabled" "state 5:"; do
		want=${what#*:}
		what=${what%%:*}
		# shellcheck disable=SC2086
		line=$(refused "$want" ip netns exec "$SW" bridge link set dev p3 $what)
		check_err $? "bridge link set dev p3 $what while down: '$line'; want it refused${want:+ for $want}"
	done
	[ "$(ip netns exec "$SW" bridge -j link show dev p3 | jq -r '.[0].state')" == disabled ]
	check_err $? "p3 is down but $(ip netns exec "$SW" bridge link show dev p3)"
	# A link change sets the state again, as on the Linux bridge.
	ip -n "$SW" link set p3 up
	busywait 5000 pingx "${H[1]}" 192.0.2.3
	check_err $? "p3 does not forward again once up"

	nsx kbrctl delif kb0 p3 && nsx kbrctl addif kb0 p3
	check_err $? "kbrctl delif, addif kb0 p3 failed"
	busywait 5000 brmon_has "^Deleted .*p3.*master kb0"
	check_err $? "bridge monitor link: p3 did not leave: $(cat "$TMPD/brmon")"
	busywait 5000 p3_back
	check_err $? "bridge monitor link: p3 not back and forwarding: $(cat "$TMPD/brmon")"
	busywait 5000 pingx "${H[1]}" 192.0.2.3
	check_err $? "h3 unreachable after p3 came back"
	kill "$MON_PID"
	wait "$MON_PID" 2>/dev/null
	MON_PID=
	ip -n "$SW" link del lb0
	ip -n "$SW" link del lv0
	log_test "bridge link set state, where STP is off; bridge monitor link sees states and ports"
}

fwd_run
