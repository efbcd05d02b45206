#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1Q VLAN filtering: access ports and a tagged trunk between two
# kbridges, VLANs that stay apart, tags on the wire, PVID changes, priority
# tags, non-members dropped and counted, one MAC in two VLANs, the bridge
# device's own VLANs with VLAN devices routing between them, 802.1ad, a
# trunk to a VLAN-filtering Linux bridge, every error, and scale.
#
#   h1 (VLAN 10) -- p1 --+                    +-- p3 -- h3 (VLAN 10)
#   h2 (VLAN 20) -- p2 --+ s1 == t1 ~ t2 == s2 +-- p4 -- h4 (VLAN 20)
#   h5 (eth0.10) -- p5 --+   (trunk: 10, 20)   +-- l1 ~ lb (Linux bridge)
#
# Every host has an address in 192.0.2.0/24, VLANs or not: only the
# VLANs keep 10 and 20 apart.

ALL_TESTS="
	vlan_errors
	vlan_show_layout
	bridge_vlan
	access_and_trunk
	bridge_vlan_stats
	broadcast_stays_in_vlan
	trunk_tags
	self_tagging_host
	pvid_change
	priority_tagged
	non_member_dropped
	same_mac_two_vlans
	self_routing
	linux_bridge_trunk
	qinq_8021ad
	vlan_scale
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd python3
require_cmd tcpdump

P=kbr-vlan-$$
PORTS=${KBR_VLAN_PORTS:-32}

ns() { echo "$P-$1"; }
sx() { local n=$1; shift; netns_exec "$(ns "$n")" "$@"; }

# no_ping HOST DEST CONTROL: no reply from DEST within a second, while
# CONTROL, in HOST's own VLAN, replies within a second right before.
no_ping()
{
	unreachable "$(ns "$1")" "$2" "$3"
}

# host NAME SWITCH PORT ADDR: a namespace NAME whose eth0 is the peer of
# PORT, a port of SWITCH's kbridge "sw".
host()
{
	ns_create "$(ns "$1")" || return 1
	ip -n "$(ns "$2")" link add "$3" type veth peer name eth0 \
		netns "$(ns "$1")" || return 1
	# No IPv6 link-local address: its DAD, router solicitations and
	# MLD reports would come at any time (again after a MAC change)
	# and re-learn what a test has just flushed.
	ip -n "$(ns "$1")" link set eth0 addrgenmode none
	ip -n "$(ns "$1")" link set eth0 up
	[ -n "$4" ] && ip -n "$(ns "$1")" address add "$4/24" dev eth0
	ip -n "$(ns "$2")" link set "$3" up
	sx "$2" kbrctl addif sw "$3"
}

switch()
{
	ns_create "$(ns "$1")" && sx "$1" kbrctl addbr sw &&
		sx "$1" kbrctl setvlanfiltering sw on &&
		ip -n "$(ns "$1")" link set sw up
}

# access SWITCH PORT VID: the port is an untagged member of VID only.
access()
{
	sx "$1" kbrctl vlan add sw "$2" "$3" pvid untagged &&
		sx "$1" kbrctl vlan del sw "$2" 1
}

setup()
{
	local i

	switch s1 && switch s2 || return 1
	host h1 s1 p1 192.0.2.1 && access s1 p1 10 || return 1
	host h2 s1 p2 192.0.2.2 && access s1 p2 20 || return 1
	host h3 s2 p3 192.0.2.3 && access s2 p3 10 || return 1
	host h4 s2 p4 192.0.2.4 && access s2 p4 20 || return 1
	# The trunk: tagged 10 and 20, nothing untagged.
	ip -n "$(ns s1)" link add t1 type veth peer name t2 netns "$(ns s2)" ||
		return 1
	for i in 1 2; do
		ip -n "$(ns "s$i")" link set "t$i" up
		sx "s$i" kbrctl addif sw "t$i" &&
			sx "s$i" kbrctl vlan del sw "t$i" 1 &&
			sx "s$i" kbrctl vlan add sw "t$i" 10-20 || return 1
		sx "s$i" kbrctl vlan del sw "t$i" 11-19 || return 1
	done
}

vlans_of()
{
	sx "$1" kbrctl -j vlan show sw |
		jq -c --arg p "$2" '[.[] | select(.ifname == $p) | .vlans[] |
			[.vlan, (.vlanEnd // .vlan), .flags]]'
}

vlan_errors()
{
	local before after

	before=$(sx s1 kbrctl -j vlan show)
	expect_output "vid 0" 1 "" "bad vlan id '0': 1 to 4094" \
		sx s1 kbrctl vlan add sw p1 0
	expect_output "vid 4095" 1 "" "bad vlan id '4095': 1 to 4094" \
		sx s1 kbrctl vlan add sw p1 4095
	expect_output "reversed range" 1 "" \
		"bad vlan range '20-10': it ends before it starts" \
		sx s1 kbrctl vlan add sw p1 20-10
	expect_output "pvid range" 1 "" "a pvid is one vlan, not a range" \
		sx s1 kbrctl vlan add sw p1 10-12 pvid
	expect_output "bad keyword" 1 "" \
		"unexpected argument 'tagged'
Usage: kbrctl vlan {add|del} <bridge> {<port>|self} <vid>[-<vid>] [pvid] [untagged]
       kbrctl vlan show [-s] [-c] [<bridge>]" \
		sx s1 kbrctl vlan add sw p1 30 tagged
	expect_output "no such port" 1 "" "interface nosuch does not exist!" \
		sx s1 kbrctl vlan add sw nosuch 30
	ip -n "$(ns s1)" link add dummyx type veth peer name dummyy
	expect_output "not a port" 1 "" "device dummyx is not a port of sw" \
		sx s1 kbrctl vlan add sw dummyx 30
	ip -n "$(ns s1)" link del dummyx
	expect_output "no bridge" 1 "" "bridge nobr does not exist!" \
		sx s1 kbrctl vlan add nobr p1 30
	expect_output "del non-member" 1 "" \
		"can't delete vlan 30 on p1: No such file or directory
Error: Not a member of that VLAN." \
		sx s1 kbrctl vlan del sw p1 30
	expect_output "filtering keyword" 1 "" "expect on/off for argument" \
		sx s1 kbrctl setvlanfiltering sw maybe
	expect_output "protocol" 1 "" \
		"bad vlan protocol '802.1x': 802.1q or 802.1ad" \
		sx s1 kbrctl setvlanproto sw 802.1x
	expect_output "default pvid" 1 "" \
		"bad vlan id '4095': 0 (none) or 1 to 4094" \
		sx s1 kbrctl setdefaultpvid sw 4095
	expect_output "flush vid" 1 "" "bad vlan id '0': 1 to 4094" \
		sx s1 kbrctl flush sw vlan 0
	after=$(sx s1 kbrctl -j vlan show)
	[ "$before" == "$after" ]
	check_err $? "a refused request changed the VLANs"
	log_test "vlan errors: clear message, exit 1, nothing changed"
}

# iproute2's "bridge vlan show" layout (6.1: one VLAN a line; -c folds).
vlan_show_layout()
{
	local want

	want="port              vlan-id  
sw                1 PVID Egress Untagged
p1                10 PVID Egress Untagged
p2                20 PVID Egress Untagged
t1                10
                  20"
	expect_output "vlan show" 0 "$want" "" sx s1 kbrctl vlan show sw
	[ "$(vlans_of s1 t1)" == '[[10,10,null],[20,20,null]]' ]
	check_err $? "vlan show -j of t1: $(vlans_of s1 t1)"
	[ "$(sx s1 kbrctl -j show sw | jq -r '.[0] | "\(.vlan_filtering) \(.vlan_protocol) \(.default_pvid)"')" == "true 802.1Q 1" ]
	check_err $? "show -j lacks the VLAN settings"
	log_test "vlan show: iproute2's layout, JSON"
}

# linux_twin: in namespace lv, a VLAN-filtering Linux bridge set up as
# s1's kbridge (sw: its own VLAN 1; p1 and p2: 10 and 20, untagged PVIDs;
# t1: 10 and 20 tagged), its devices created in the same order, so that
# "bridge vlan show" should list both alike.
linux_twin()
{
	local lv i

	modprobe bridge
	lv=$(ns lv)
	ns_create "$lv" &&
		ip -n "$lv" link add sw type bridge vlan_filtering 1 || return 1
	for i in p1 p2 t1; do
		ip -n "$lv" link add "$i" type veth peer name "x$i" &&
			ip -n "$lv" link set "$i" master sw &&
			ip -n "$lv" link set "$i" up || return 1
	done
	ip -n "$lv" link set sw up &&
		sx lv bridge vlan add dev p1 vid 10 pvid untagged &&
		sx lv bridge vlan add dev p2 vid 20 pvid untagged &&
		sx lv bridge vlan add dev t1 vid 10 &&
		sx lv bridge vlan add dev t1 vid 20 || return 1
	for i in p1 p2 t1; do
		sx lv bridge vlan del dev "$i" vid 1 || return 1
	done
}

# same_bridge_vlan WHAT: "bridge [-compressvlans|-s] -j vlan show" is the
# same for s1's kbridge and its Linux twin, but for the counters (the
# twin has no traffic) and the order of ports in -s (by ifindex hash).
# (iproute2 6.1 takes -c for -color, not -compressvlans.)
same_bridge_vlan()
{
	local c k l no_counters

	no_counters='sort_by(.ifname) | map(.vlans |= map(del(.rx_bytes,
		.rx_packets, .tx_bytes, .tx_packets)))'
	for c in "" -compressvlans -s; do
		# shellcheck disable=SC2086
		k=$(sx s1 bridge $c -j vlan show | jq -c "$no_counters")
		# shellcheck disable=SC2086
		l=$(sx lv bridge $c -j vlan show | jq -c "$no_counters")
		[ -n "$k" ] && [ "$k" == "$l" ]
		check_err $? "$1: bridge $c -j vlan show: kbridge $k, Linux bridge $l"
	done
}

# iproute2's "bridge vlan" on kbridge's ports and on the bridge device
# ("self"), checked against kbrctl and against a Linux bridge.
bridge_vlan()
{
	local before json line what want n

	before=$(sx s1 kbrctl vlan show sw)
	for what in "" -c; do
		# shellcheck disable=SC2086
		expect_output "bridge ${what/c/compressvlans} vlan show" 0 \
			"$(sx s1 kbrctl vlan show $what sw)" "" \
			sx s1 bridge ${what/c/compressvlans} vlan show
	done
	expect_output "bridge vlan show dev t1" 0 "port              vlan-id  
t1                10
                  20" "" sx s1 bridge vlan show dev t1
	linux_twin
	check_err $? "cannot build the Linux bridge to compare with"
	same_bridge_vlan "as set up"

	# The same changes on both: ranges (one untagged), a new PVID, the
	# bridge device's own VLANs, a VLAN that is no member deleted (no
	# error); then a hole in a range.
	for what in "add dev t1 vid 30-32" "add dev p1 vid 40 pvid untagged" \
		    "add dev p2 vid 100-103 untagged" "add dev sw vid 30 self" \
		    "del dev p2 vid 99" "" "del dev t1 vid 31"; do
		if [ -z "$what" ]; then
			same_bridge_vlan "after bridge vlan add"
			continue
		fi
		for n in s1 lv; do
			# shellcheck disable=SC2086
			sx "$n" bridge vlan $what
			check_err $? "bridge vlan $what on $n failed"
		done
	done
	same_bridge_vlan "after bridge vlan del"
	# kbrctl sees what bridge changed.
	json=$(sx s1 kbrctl -j vlan show sw)
	[ "$(vlans_of s1 t1)" == '[[10,10,null],[20,20,null],[30,30,null],[32,32,null]]' ] &&
		echo "$json" | jq -e '.[] | select(.ifname == "p1") | .vlans[] |
			select(.vlan == 40) | .flags == ["PVID", "Egress Untagged"]' >/dev/null &&
		echo "$json" | jq -e '.[] | select(.ifname == "sw") |
			[.vlans[].vlan] == [1, 30]' >/dev/null
	check_err $? "kbrctl does not see what bridge vlan changed: $json"
	# bridge sees what kbrctl changes.
	sx s1 kbrctl vlan add sw t1 50
	sx s1 bridge vlan show dev t1 | grep -q "^ *50$"
	check_err $? "bridge vlan show misses a VLAN kbrctl added: $(sx s1 bridge vlan show dev t1)"

	# Refused with the reason, and nothing changes; "bridge vlan del"
	# has no extack (rtnetlink's dellink hook has none): errno only.
	json=$(sx s1 kbrctl -j vlan show)
	for what in "add dev p1 vid 4095:The VLAN id must be 1 to 4094" \
		    "add dev p1 vid 0:The VLAN id must be 1 to 4094" \
		    "add dev p1 vid 4090-4095:The VLAN id must be 1 to 4094" \
		    "add dev t1 vid 60 tunnel_info id 600:kbridge has no vlan_tunnel" \
		    "del dev t1 vid 4095:Invalid argument"; do
		want=${what#*:}
		what=${what%%:*}
		# shellcheck disable=SC2086
		if line=$(sx s1 bridge vlan $what 2>&1); then
			false
		else
			[[ $line == *"$want"* ]]
		fi
		check_err $? "bridge vlan $what: '$line'; want it refused for $want"
	done
	[ "$(sx s1 kbrctl -j vlan show)" == "$json" ]
	check_err $? "a refused bridge vlan request changed the VLANs"

	for what in "add dev p1 vid 10 pvid untagged" "del dev p1 vid 40" \
		    "del dev p2 vid 100-103" \
		    "del dev t1 vid 30" "del dev t1 vid 32-50" \
		    "del dev sw vid 30 self"; do
		# shellcheck disable=SC2086
		sx s1 bridge vlan $what
		check_err $? "bridge vlan $what (restoring s1) failed"
	done
	[ "$(sx s1 kbrctl vlan show sw)" == "$before" ]
	check_err $? "s1 not restored: $(sx s1 kbrctl vlan show sw)"
	ip netns del "$(ns lv)"
	log_test "bridge vlan show, add, del: kbridge as iproute2 shows and sets a Linux bridge"
}

access_and_trunk()
{
	pingx "$(ns h1)" 192.0.2.3
	check_err $? "h1 does not reach h3 in VLAN 10 over the trunk"
	pingx "$(ns h2)" 192.0.2.4
	check_err $? "h2 does not reach h4 in VLAN 20 over the trunk"
	no_ping h1 192.0.2.4 192.0.2.3 && no_ping h1 192.0.2.2 192.0.2.3 &&
		no_ping h2 192.0.2.3 192.0.2.4
	check_err $? "a host reaches another VLAN"
	log_test "access ports and a trunk: same VLAN reaches, others never"
}

# capture HOST: our probes (ethertype 88b5), tagged frames and ICMP on
# HOST's eth0, to $TMPD/HOST, until captures_stop.  ("icmp" goes before
# "vlan": what follows "vlan" in a filter is read inside the tag.)
# s1's VLAN counters as [port, VLAN, flags, rx_bytes, rx_packets,
# tx_bytes, tx_packets] rows, as kbrctl or as iproute2 gives them.
counters_kbrctl()
{
	sx s1 kbrctl -j vlan show -s sw | jq -c '[.[] | .ifname as $i |
		.vlans[] | [$i, .vlan, (.flags // []), .rx_bytes,
		.rx_packets, .tx_bytes, .tx_packets]] | sort'
}

counters_bridge()
{
	sx s1 bridge -s -j vlan show | jq -c '[.[] | .ifname as $i |
		.vlans[] | [$i, .vid, (.flags // []), .rx_bytes,
		.rx_packets, .tx_bytes, .tx_packets]] | sort'
}

# iproute2's "bridge -s vlan show" reads each membership's counters
# (rtnetlink's link xstats): those kbrctl shows, moving with the traffic
# of their own VLAN only.
bridge_vlan_stats()
{
	local k b before after out re

	# Nothing should be on the wire now; a few tries in case.
	for _ in 1 2 3; do
		k=$(counters_kbrctl) && b=$(counters_bridge) &&
			[ "$k" == "$(counters_kbrctl)" ] && break
	done
	[ -n "$b" ] && [ "$b" != "[]" ] && [ "$b" == "$k" ]
	check_err $? "bridge -s vlan show: $b; kbrctl vlan show -s: $k"

	# Five pings from h1 to h3 in VLAN 10: in at p1, out at t1, the
	# replies back; at least 84 bytes each (ICMP echo of 56 bytes, IP).
	# None of them in VLAN 20, where h2 and h4 may refresh their ARP
	# entries meanwhile (a frame or two each way, seen under load):
	# fewer than five frames there.
	before=$(counters_bridge)
	ip netns exec "$(ns h1)" ping -q -c 5 -i 0.2 -W 1 192.0.2.3 >/dev/null
	check_err $? "h1 does not reach h3 in VLAN 10"
	after=$(counters_bridge)
	jq -en --argjson a "$before" --argjson b "$after" '
		def at($r; $p; $v; $i):
			[$r[] | select(.[0] == $p and .[1] == $v)][0][$i];
		def moved($p; $v; $i): at($b; $p; $v; $i) - at($a; $p; $v; $i);
		moved("p1"; 10; 4) >= 5 and moved("t1"; 10; 6) >= 5 and
		moved("t1"; 10; 4) >= 5 and moved("p1"; 10; 6) >= 5 and
		moved("p1"; 10; 3) >= 5 * 84 and moved("t1"; 10; 5) >= 5 * 84 and
		moved("p2"; 20; 4) < 5 and moved("p2"; 20; 6) < 5 and
		moved("t1"; 20; 4) < 5 and moved("t1"; 20; 6) < 5' >/dev/null
	check_err $? "VLAN counters do not follow five pings in VLAN 10: $before -> $after"

	out=$(sx s1 bridge -s vlan show dev p1)
	re="^port +vlan-id *
p1 +10 PVID Egress Untagged *
 +RX: [1-9][0-9]* bytes [1-9][0-9]* packets *
 +TX: [1-9][0-9]* bytes [1-9][0-9]* packets *$"
	[[ $out =~ $re ]]
	check_err $? "bridge -s vlan show dev p1: $out"
	log_test "bridge -s vlan show: each membership's counters, as kbrctl's"
}

capture()
{
	capture_bg "$(ns "$1")" eth0 "$TMPD/$1" icmp or ether proto 0x88b5 or vlan
}

# vlan_live FROM TO: a capture on TO that must not see a frame is proven
# live through its window: a second after the frame, a ping from FROM to
# TO (same VLAN) whose request it must show.  (A fixed window alone was
# outlasted by slow senders on the debug kernel, and passed falsely.)
vlan_live()
{
	pingx "$(ns "$1")" "192.0.2.${2#h}"
	check_err $? "$1 does not reach $2: no proof that $2's capture is live"
	busywait 5000 grep -q "192.0.2.${1#h} > 192.0.2.${2#h}: ICMP echo request" "$TMPD/$2"
	check_err $? "$2's capture did not show $1's ping: it was not live"
}

PROBE="ffffffffffff02000000aa0188b5$(printf '%092d' 0)"

count_probes()
{
	grep -c "0x88b5" "$TMPD/$1"
}

broadcast_stays_in_vlan()
{
	local h n

	for h in h2 h3 h4; do
		capture "$h"
	done
	captures_ready "$TMPD"/h{2,3,4}
	send_raw "$(ns h1)" "$PROBE"
	sleep 1
	vlan_live h2 h4
	vlan_live h4 h2
	captures_stop
	n=$(count_probes h3)
	[ "$n" -eq 1 ]
	check_err $? "h3 (VLAN 10) got $n copies of h1's broadcast, want 1"
	for h in h2 h4; do
		n=$(count_probes "$h")
		[ "$n" -eq 0 ]
		check_err $? "$h (VLAN 20) got $n copies of a VLAN 10 broadcast"
	done
	log_test "a broadcast stays in its VLAN: 1 copy in VLAN 10, none in 20"
}

trunk_tags()
{
	capture_bg "$(ns s2)" t2 "$TMPD/t2" ether proto 0x88b5 or vlan
	capture h3
	captures_ready "$TMPD/t2" "$TMPD/h3"
	send_raw "$(ns h1)" "$PROBE"
	send_raw "$(ns h2)" "${PROBE/aa01/aa02}"
	sleep 1
	captures_stop
	grep -q "02:00:00:00:aa:01 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 64: vlan 10," "$TMPD/t2"
	check_err $? "no 802.1Q tag with VLAN 10 on the trunk: $(cat "$TMPD/t2")"
	grep -q "02:00:00:00:aa:02 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 64: vlan 20," "$TMPD/t2"
	check_err $? "no 802.1Q tag with VLAN 20 on the trunk"
	grep -q "02:00:00:00:aa:01 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 60" "$TMPD/h3"
	check_err $? "the access port does not send untagged: $(cat "$TMPD/h3")"
	log_test "tags on the trunk are 802.1Q with the VLAN; access ports untagged"
}

self_tagging_host()
{
	host h5 s1 p5 "" && sx s1 kbrctl vlan del sw p5 1 &&
		sx s1 kbrctl vlan add sw p5 10
	check_err $? "setting up h5"
	ip -n "$(ns h5)" link add link eth0 name eth0.10 type vlan id 10 &&
		ip -n "$(ns h5)" address add 192.0.2.5/24 dev eth0.10 &&
		ip -n "$(ns h5)" link set eth0.10 up
	pingx "$(ns h5)" 192.0.2.1 && pingx "$(ns h5)" 192.0.2.3
	check_err $? "a host tagging VLAN 10 itself does not reach h1 and h3"
	no_ping h5 192.0.2.2 192.0.2.3
	check_err $? "it reaches VLAN 20"
	log_test "a host that tags its own frames on a trunk port"
}

pvid_change()
{
	sx s1 kbrctl vlan add sw p1 20 pvid untagged
	pingx "$(ns h1)" 192.0.2.4
	check_err $? "h1 with PVID 20 does not reach h4"
	sx s1 kbrctl vlan del sw p1 10
	no_ping h1 192.0.2.3 192.0.2.4
	check_err $? "h1 still reaches VLAN 10"
	sx s1 kbrctl vlan add sw p1 10 pvid untagged
	sx s1 kbrctl vlan del sw p1 20
	pingx "$(ns h1)" 192.0.2.3 && no_ping h1 192.0.2.4 192.0.2.3
	check_err $? "back to PVID 10: h1 reaches the wrong VLAN"
	log_test "PVID changes take effect at once"
}

priority_tagged()
{
	local tagged

	# 802.1Q, priority 5, VID 0
	tagged="ffffffffffff02000000aa0381000000"
	tagged="${tagged:0:28}a00088b5$(printf '%088d' 0)"
	capture h3
	capture h4
	captures_ready "$TMPD/h3" "$TMPD/h4"
	send_raw "$(ns h1)" "$tagged"
	sleep 1
	vlan_live h2 h4
	captures_stop
	grep -q "02:00:00:00:aa:03 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5)" "$TMPD/h3"
	check_err $? "a priority-tagged frame is not delivered in the PVID's VLAN"
	[ "$(count_probes h4)" -eq 0 ]
	check_err $? "a priority-tagged frame leaked into VLAN 20"
	log_test "priority-tagged (VID 0) frames take the PVID"
}

port_vlan_dropped()
{
	sx "$1" kbrctl -j show sw | jq --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .vlan_dropped'
}

non_member_dropped()
{
	local before after frame

	# 802.1Q VID 30: p1 is not a member
	frame="ffffffffffff02000000aa048100001e88b5$(printf '%088d' 0)"
	before=$(port_vlan_dropped s1 p1)
	capture h3
	captures_ready "$TMPD/h3"
	send_raw "$(ns h1)" "$frame"
	send_raw "$(ns h1)" "$frame"
	sleep 1
	vlan_live h1 h3
	captures_stop
	after=$(port_vlan_dropped s1 p1)
	[ "$after" -ge $((before + 2)) ]
	check_err $? "frames of a non-member VLAN not counted: $before -> $after"
	[ "$(count_probes h3)" -eq 0 ]
	check_err $? "a frame of VLAN 30 went through"
	log_test "frames of a VLAN the port is not in: dropped and counted"
}

same_mac_two_vlans()
{
	local mac n

	mac=$(ip -n "$(ns h1)" -j link show eth0 | jq -r '.[0].address')
	ip -n "$(ns h2)" link set eth0 address "$mac"
	pingx "$(ns h1)" 192.0.2.3 && pingx "$(ns h2)" 192.0.2.4
	check_err $? "hosts sharing a MAC in two VLANs do not both reach"
	n=$(sx s2 kbrctl -j showmacs sw | jq --arg m "$mac" '[.[] | select(.mac == $m)] | map(.vlan) | sort == [10, 20]')
	[ "$n" == true ]
	check_err $? "s2 does not have the MAC in VLAN 10 and 20: $(sx s2 kbrctl fdb show sw)"
	sx s2 kbrctl fdb show sw | grep -q "^$mac dev t2 vlan 10 master sw" &&
		sx s2 kbrctl fdb show sw | grep -q "^$mac dev t2 vlan 20 master sw"
	check_err $? "fdb show lacks the VLANs"
	# h2 and h4 would confirm each other's ARP entries a few seconds
	# after the pings (a unicast probe and its answer), and s2 would
	# learn h2 in VLAN 20 again after the flush: their entries are
	# made permanent first.
	ip -n "$(ns h2)" neigh replace 192.0.2.4 dev eth0 nud permanent \
		lladdr "$(ip -n "$(ns h4)" -j link show eth0 | jq -r '.[0].address')" &&
		ip -n "$(ns h4)" neigh replace 192.0.2.2 dev eth0 nud permanent \
			lladdr "$mac"
	check_err $? "cannot pin h2's and h4's ARP entries"
	sx s2 kbrctl flush sw vlan 20
	n=$(sx s2 kbrctl -j showmacs sw | jq --arg m "$mac" '[.[] | select(.mac == $m)] | map(.vlan)')
	[ "$(jq -c . <<<"$n")" == "[10]" ]
	check_err $? "flush vlan 20 left $n"
	ip -n "$(ns h2)" link set eth0 address 02:00:00:00:00:02
	ip -n "$(ns h2)" neigh del 192.0.2.4 dev eth0
	ip -n "$(ns h4)" neigh del 192.0.2.2 dev eth0
	log_test "one MAC in two VLANs: two entries, both forward; flush by VLAN"
}

# s1 routes between VLANs 10 and 20 on VLAN devices of its bridge.
self_routing()
{
	sx s1 kbrctl vlan add sw self 10 && sx s1 kbrctl vlan add sw self 20 &&
		sx s1 kbrctl vlan add sw t1 30 &&
		ip -n "$(ns s1)" link add link sw name sw.10 type vlan id 10 &&
		ip -n "$(ns s1)" link add link sw name sw.20 type vlan id 20 &&
		ip -n "$(ns s1)" address add 10.10.0.254/24 dev sw.10 &&
		ip -n "$(ns s1)" address add 10.20.0.254/24 dev sw.20 &&
		ip -n "$(ns s1)" link set sw.10 up && ip -n "$(ns s1)" link set sw.20 up &&
		sx s1 sysctl -qw net.ipv4.ip_forward=1
	check_err $? "setting up the router"
	ip -n "$(ns h1)" address add 10.10.0.1/24 dev eth0 &&
		ip -n "$(ns h1)" route add 10.20.0.0/24 via 10.10.0.254 &&
		ip -n "$(ns h4)" address add 10.20.0.4/24 dev eth0 &&
		ip -n "$(ns h4)" route add 10.10.0.0/24 via 10.20.0.254
	pingx "$(ns h1)" 10.10.0.254
	check_err $? "h1 does not reach its gateway on sw.10"
	pingx "$(ns h1)" 10.20.0.4
	check_err $? "h1 (VLAN 10) does not reach h4 (VLAN 20) through the router"
	# Without the bridge device in VLAN 20, no route.
	sx s1 kbrctl vlan del sw self 20
	no_ping h1 10.20.0.4 10.10.0.254
	check_err $? "routed into VLAN 20 with the bridge device not in it"
	sx s1 kbrctl vlan add sw self 20
	log_test "the bridge device's own VLANs: VLAN devices on it route"
}

# A trunk from s2 to a Linux bridge with vlan_filtering 1 and hosts in
# VLANs 10 and 20.
linux_bridge_trunk()
{
	local lb

	modprobe bridge
	lb=$(ns lb)
	ns_create "$lb" && ip -n "$lb" link add br0 type bridge vlan_filtering 1 &&
		ip -n "$(ns s2)" link add l1 type veth peer name l2 netns "$lb" &&
		ip -n "$(ns s2)" link set l1 up && sx s2 kbrctl addif sw l1 &&
		sx s2 kbrctl vlan del sw l1 1 && sx s2 kbrctl vlan add sw l1 10 &&
		sx s2 kbrctl vlan add sw l1 20 &&
		ip -n "$lb" link set l2 master br0 && ip -n "$lb" link set l2 up &&
		sx lb bridge vlan add dev l2 vid 10 && sx lb bridge vlan add dev l2 vid 20 &&
		sx lb bridge vlan del dev l2 vid 1
	check_err $? "setting up the Linux bridge"
	ns_create "$(ns h6)" "$(ns h7)"
	ip -n "$lb" link add q6 type veth peer name eth0 netns "$(ns h6)"
	ip -n "$lb" link add q7 type veth peer name eth0 netns "$(ns h7)"
	ip -n "$(ns h6)" address add 192.0.2.6/24 dev eth0
	ip -n "$(ns h7)" address add 192.0.2.7/24 dev eth0
	ip -n "$(ns h6)" link set eth0 up && ip -n "$(ns h7)" link set eth0 up
	ip -n "$lb" link set q6 master br0 && ip -n "$lb" link set q7 master br0
	sx lb bridge vlan add dev q6 vid 10 pvid untagged
	sx lb bridge vlan add dev q7 vid 20 pvid untagged
	ip -n "$lb" link set q6 up && ip -n "$lb" link set q7 up &&
		ip -n "$lb" link set br0 up
	pingx "$(ns h6)" 192.0.2.1 && pingx "$(ns h6)" 192.0.2.3
	check_err $? "a Linux bridge host in VLAN 10 does not reach h1 and h3"
	pingx "$(ns h7)" 192.0.2.4
	check_err $? "a Linux bridge host in VLAN 20 does not reach h4"
	no_ping h6 192.0.2.4 192.0.2.3 && no_ping h7 192.0.2.3 192.0.2.4
	check_err $? "VLANs mix across the Linux bridge trunk"
	log_test "a trunk to a Linux bridge with vlan_filtering 1"
}

# Two kbridges as provider bridges (802.1ad): customer ports in S-VLAN
# 100, the customers' own 802.1Q VLAN 10 inside.
qinq_8021ad()
{
	local i

	for i in 7 8; do
		switch "s$i" && sx "s$i" kbrctl setvlanproto sw 802.1ad
		check_err $? "setting up s$i"
	done
	host c1 s7 pc1 "" && access s7 pc1 100 &&
		host c2 s8 pc2 "" && access s8 pc2 100
	check_err $? "setting up the customers"
	ip -n "$(ns s7)" link add u7 type veth peer name u8 netns "$(ns s8)"
	for i in 7 8; do
		ip -n "$(ns "s$i")" link set "u$i" up
		sx "s$i" kbrctl addif sw "u$i" && sx "s$i" kbrctl vlan del sw "u$i" 1 &&
			sx "s$i" kbrctl vlan add sw "u$i" 100
		check_err $? "the provider trunk on s$i"
	done
	for i in 1 2; do
		ip -n "$(ns "c$i")" link add link eth0 name eth0.10 type vlan id 10
		ip -n "$(ns "c$i")" address add "198.51.100.$i/24" dev eth0.10
		ip -n "$(ns "c$i")" link set eth0.10 up
	done
	capture_bg "$(ns s8)" u8 "$TMPD/u8"
	captures_ready "$TMPD/u8"
	pingx "$(ns c1)" 198.51.100.2
	check_err $? "customer VLAN 10 does not cross the 802.1ad trunk"
	sleep 1
	captures_stop
	grep -q "ethertype 802.1Q-QinQ (0x88a8), length [0-9]*: vlan 100, p 0, ethertype 802.1Q (0x8100), vlan 10, p 0, ethertype IPv4" "$TMPD/u8"
	check_err $? "no S-tag 100 around C-tag 10 on the trunk: $(head -n 3 "$TMPD/u8")"
	[ "$(sx s7 kbrctl -j show sw | jq -r '.[0].vlan_protocol')" == 802.1ad ]
	check_err $? "show -j does not say 802.1ad"
	log_test "802.1ad: customers' 802.1Q frames cross an S-VLAN trunk intact"
}

# Every VLAN on 32 ports, each range in one request; a dump of it all.
vlan_scale()
{
	local i start ms n

	for ((i = 0; i < PORTS; i++)); do
		echo "link add v$i type veth peer name vp$i"
	done | ip -n "$(ns s8)" -batch -
	for ((i = 0; i < PORTS; i++)); do
		sx s8 kbrctl addif sw "v$i" || break
	done
	start=$(date +%s%N)
	for ((i = 0; i < PORTS; i++)); do
		sx s8 kbrctl vlan add sw "v$i" 1-4094 || break
	done
	ms=$((($(date +%s%N) - start) / 1000000))
	check_err $? "vlan add 1-4094 failed"
	log_info "vlan add 1-4094 on $PORTS ports: $ms ms"
	start=$(date +%s%N)
	n=$(sx s8 kbrctl -j vlan show -s sw | jq '[.[] | select(.ifname | startswith("v")) | .vlans | length] | add')
	ms=$((($(date +%s%N) - start) / 1000000))
	log_info "vlan show -s of $((PORTS * 4094)) memberships: $ms ms"
	[ "$n" -eq $((PORTS * 4094)) ]
	check_err $? "vlan show -s listed $n memberships, want $((PORTS * 4094))"
	# Added without flags, VLAN 1 is no longer the untagged PVID (as
	# with the Linux bridge): one range per port.
	start=$(date +%s%N)
	n=$(sx s8 kbrctl vlan show -c sw | grep -c "^v[0-9]* *1-4094$")
	ms=$((($(date +%s%N) - start) / 1000000))
	log_info "vlan show of them, ranges folded: $ms ms"
	[ "$n" -eq "$PORTS" ]
	check_err $? "vlan show folded $n ports to 1-4094, want $PORTS"
	# iproute2 too, folded and (32 KiB a port: the dump makes room)
	# one by one.
	n=$(sx s8 bridge -compressvlans vlan show | grep -c "^v[0-9]* *1-4094$")
	[ "$n" -eq "$PORTS" ]
	check_err $? "bridge -compressvlans vlan show listed $n ports as 1-4094, want $PORTS"
	start=$(date +%s%N)
	n=$(sx s8 bridge -j vlan show | jq '[.[] | select(.ifname | startswith("v")) | .vlans[] | select(.vlanEnd == null)] | length')
	ms=$((($(date +%s%N) - start) / 1000000))
	log_info "bridge -j vlan show of them, one by one: $ms ms"
	[ "$n" -eq $((PORTS * 4094)) ]
	check_err $? "bridge vlan show listed $n single VLANs, want $((PORTS * 4094))"
	# Their counters: 180 KiB a port, a dump resumes inside a port.
	start=$(date +%s%N)
	n=$(sx s8 bridge -s -j vlan show | jq '[.[] | select(.ifname | startswith("v")) | .ifname as $i | .vlans[] | "\($i) \(.vid)"] | [length, (unique | length)]' | jq -c .)
	ms=$((($(date +%s%N) - start) / 1000000))
	log_info "bridge -s -j vlan show of them: $ms ms"
	[ "$n" == "[$((PORTS * 4094)),$((PORTS * 4094))]" ]
	check_err $? "bridge -s vlan show listed [all, distinct] $n memberships, want $((PORTS * 4094)) once each"
	# One port's, in one message sized beforehand (rtnetlink warns if
	# it falls short): the STP counters, and as many VLANs as fit in a
	# netlink attribute (64 KiB).
	sx s8 ip -j stats show dev v0 group xstats_slave subgroup bridge suite stp |
		jq -e '.[0].ifname == "v0" and .[0].stp.rx_bpdu == 0' >/dev/null
	check_err $? "ip stats show dev v0 group xstats_slave: $(sx s8 ip -j stats show dev v0 group xstats_slave subgroup bridge suite stp)"
	for ((i = 0; i < PORTS; i++)); do
		echo "link del v$i"
	done | ip -n "$(ns s8)" -batch -
	log_test "every VLAN on $PORTS ports, one request each; show dumps it all"
}

cleanup()
{
	lib_cleanup
}
trap cleanup EXIT

if ! setup; then
	echo "Bail out! setup failed"
	exit "$ksft_fail"
fi
tests_run
