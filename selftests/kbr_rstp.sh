#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RSTP (kbrctl stp BR rstp) on stp_lib.sh's ring of three kbridges: the
# same tree as 802.1D, RST BPDUs on the wire (tshark decodes them), a
# broadcast goes round once, a failed link is replaced by proposal and
# agreement rather than by timers (the outage a pinging host sees is
# printed), the topology change flushes what was learned at once,
# management, BPDU guard, edge and p2p settings work, a kbridge running
# 802.1D in the ring is answered in 802.1D, malformed BPDUs are counted,
# and the mode shows and switches; apart from the ring, the tx hold count
# limits BPDUs on the wire.  kbr_rstp_mesh.sh has the rest.

ALL_TESTS="
	rstp_ring_converges
	no_storm
	rstp_failover
	rstp_management
	rstp_bpdu_guard
	rstp_edge_ports
	rstp_p2p
	rstp_with_stp_bridge
	rstp_bpdu_decode
	rstp_malformed_bpdus
	rstp_loop_guard
	rstp_silent_failure
	rstp_mode_errors
	rstp_tx_hold_count
	rstp_unknown_role
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

rstp_ring

# A source h2 sends from once, before a failure, and never again.
SILENT=02:00:00:00:00:99

# mode N: the mode switch N's -j show and -j showstp report, "show showstp"
mode()
{
	echo "$(sx "$1" kbrctl -j show sw | jq -r '.[0].stp_mode')" \
	     "$(sx "$1" kbrctl -j showstp sw | jq -r '.[0].stp_mode')"
}

# roles: "N:port role" of every ring port, in RING_PORTS order
roles()
{
	local sp out=

	for sp in $RING_PORTS; do
		out+="$sp $(sx "${sp%%:*}" kbrctl -j showstp sw |
			jq -r --arg p "${sp#*:}" '.[0].ports[] | select(.ifname == $p) | .role') "
	done
	echo "${out% }"
}

rstp_ring_converges()
{
	local i sp

	if ! ring_build kb kb kb; then
		check_err 1 "ring setup failed"
		log_test "RSTP: a ring of three kbridges converges"
		return
	fi
	converge
	check_err $? "no single blocked port after $CONVERGE_MS ms: $(blocked)"
	# The same tree as 802.1D's (stp_lib.sh): p32 is s3's alternate.
	[ "$(blocked)" == "3:p32" ]
	check_err $? "blocked: $(blocked), want 3:p32"
	for i in 2 3; do
		[ "$(root_id "$i")" == "$(bridge_id 1)" ]
		check_err $? "s$i's root is $(root_id "$i"), want $(bridge_id 1)"
	done
	[ "$(roles)" == "1:p12 designated 1:p13 designated 2:p21 root 2:p23 designated 3:p31 root 3:p32 alternate" ]
	check_err $? "roles: $(roles)"
	for i in 1 2 3; do
		[ "$(mode "$i")" == "rstp rstp" ]
		check_err $? "s$i reports mode $(mode "$i"), want rstp"
		sx "$i" kbrctl show | grep -Eq "^sw	+[0-9a-f.]+	yes"
		check_err $? "s$i's show does not say STP enabled yes: $(sx "$i" kbrctl show)"
	done
	# RST BPDUs only, both ways on every ring link.
	for sp in $RING_PORTS; do
		[ "$(counter "${sp%%:*}" "${sp#*:}" rst_tx)" -gt 0 ] ||
		[ "$sp" == 3:p32 ]
		check_err $? "$sp sent no RST BPDU"
		[ "$(counter "${sp%%:*}" "${sp#*:}" rst_rx)" -gt 0 ] ||
		[ "$sp" == 2:p23 ]
		check_err $? "$sp received no RST BPDU"
		[ "$(counter "${sp%%:*}" "${sp#*:}" config_tx)" -eq 0 ]
		check_err $? "$sp sent 802.1D configuration BPDUs"
	done
	pingx "$(ns h2)" 192.0.2.3 && pingx "$(ns h3)" 192.0.2.1
	check_err $? "hosts do not reach each other over the tree"
	# The links came up by proposal and agreement (FD is 4 s): s1's
	# designated p13 proposed and heard s3's root port p31 agree.
	[ "$(counter 1 p13 proposal_tx)" -ge 1 ] && [ "$(counter 1 p13 agreement_rx)" -ge 1 ] &&
		[ "$(counter 3 p31 proposal_rx)" -ge 1 ] && [ "$(counter 3 p31 agreement_tx)" -ge 1 ]
	check_err $? "proposal/agreement counters: p13 tx $(counter 1 p13 proposal_tx) rx $(counter 1 p13 agreement_rx), p31 rx $(counter 3 p31 proposal_rx) tx $(counter 3 p31 agreement_tx)"
	# showstp's text: brctl's lines, then per port role, edge, point
	# to point and oper edge in the same columns.  p32: an alternate
	# on a veth (full duplex); ph: an edge port by autoedge.
	showstp_has 3 p32 alternate no yes no
	check_err $? "s3's showstp text for p32: $(sx 3 kbrctl showstp sw | grep -A9 '^p32 ')"
	showstp_has 1 ph designated no yes yes
	check_err $? "s1's showstp text for ph: $(sx 1 kbrctl showstp sw | grep -A9 '^ph ')"
	log_test "RSTP: a ring of three kbridges converges to 802.1D's tree, RST BPDUs only"
}

# showstp_has N PORT ROLE EDGE P2P OPER_EDGE: kbridge N's text showstp
# has PORT's block with its 802.1D lines and these RSTP ones
showstp_has()
{
	local want

	want=$(printf ' role\t\t\t%-15s\t\tedge\t\t%15s\n point to point\t\t%-15s\t\toper edge\t%15s' \
		"$3" "$4" "$5" "$6")
	sx "$1" kbrctl showstp sw | awk -v p="$2" '
		$1 == p && $2 ~ /^\(/ { on = 1 }
		on && /^$/ { exit }
		on' >"$TMPD/block"
	[ "$(sed -n 2p "$TMPD/block" | cut -f1)" == " port id" ] &&
		[ "$(sed -n 7,8p "$TMPD/block")" == "$want" ] &&
		[ "$(sed -n 9p "$TMPD/block" | cut -f1)" == " flags" ]
}

# on_p31 MAC: s3 has MAC behind p31, the way from s2 before the failure
on_p31()
{
	sx 3 kbrctl -j showmacs sw |
		jq -e --arg m "$1" 'any(.[]; .mac == $m and .ifname == "p31")' >/dev/null
}

rstp_failover()
{
	local mon start fwd ms pp flushes

	# s3 learns a source of h2's behind p31 (s2-s1-s3 while p32 is
	# blocked), one that is silent afterwards: only a flush takes it
	# away before the ageing time (300 s).
	send_frame "$(ns h2)" "$SILENT" ff:ff:ff:ff:ff:ff
	busywait 2000 on_p31 "$SILENT"
	check_err $? "s3 did not learn $SILENT behind p31: $(sx 3 kbrctl -j showmacs sw)"

	flushes=$(counter 3 p31 tc_flush)
	ip netns exec "$(ns s3)" kbrctl monitor stp > >(stamp >"$TMPD/mon3") &
	mon=$!
	# What a host sees: h1 pings h2 every 10 ms through the failure.
	ip netns exec "$(ns h1)" ping -D -i 0.01 -W 1 192.0.2.2 >"$TMPD/ping" 2>&1 &
	pp=$!
	sleep 1
	start=$(now_us)
	ip -n "$(ns s1)" link set p12 down
	busywait $((2 * FD * 1000 + 3 * HOP_SLACK_MS)) test_port_forwarding 3 p32
	check_err $? "p32 did not take over after the s1-s2 link failed: $(port_state 3 p32)"
	busywait 2000 grep -q " state sw p32 forwarding\$" "$TMPD/mon3"
	check_err $? "no forwarding line for p32 in s3's monitor: $(cat "$TMPD/mon3")"
	# s2 reaches the root through s3 now: p32 serves their link.
	grep -q " stp role sw p32 designated\$" "$TMPD/mon3"
	check_err $? "no role line for p32 in s3's monitor: $(cat "$TMPD/mon3")"
	kill "$mon"
	fwd=$(line_us "$TMPD/mon3" forwarding)
	if [ -n "$fwd" ]; then
		ms=$(((fwd - start) / 1000))
		log_info "failover: link down to p32 forwarding in $ms ms"
		# Timers would take 2 x FD (8 s), an edge port found by
		# silence 3 s; proposal and agreement take the few BPDUs
		# they need (measured 0.1 s, 0.5 s on the debug kernel).
		# 2 s is below both other paths, with 1.5 s to spare.
		[ "$ms" -lt 2000 ]
		check_err $? "p32 forwarded $ms ms after the failure: not within 2 s, so not by agreement"
	else
		check_err 1 "no time for p32 forwarding: $(cat "$TMPD/mon3")"
	fi
	sleep 2
	kill "$pp"
	wait "$pp" 2>/dev/null
	ms=$(longest_gap_ms "$TMPD/ping" "$start")
	[ -n "$ms" ]
	check_err $? "h1's pings to h2 got no reply a second after the failure: $(tail -3 "$TMPD/ping")"
	log_info "outage: longest gap between h1's ping replies from h2 (every 10 ms): $ms ms"
	# The topology change flushed s3's entry at once (the 3 s of pings
	# above are ample), not in an ageing time or a forward delay.
	forgot 3 "$SILENT"
	check_err $? "s3 still knows $SILENT after the topology change: $(sx 3 kbrctl -j showmacs sw)"
	[ "$(counter 3 p31 tc_flush)" -gt "$flushes" ]
	check_err $? "s3's p31 tc_flush did not count the flush: $flushes, then $(counter 3 p31 tc_flush)"
	pingx "$(ns h3)" 192.0.2.2 && pingx "$(ns h1)" 192.0.2.2
	check_err $? "h3 or h1 cannot reach h2 around the ring"

	ip -n "$(ns s1)" link set p12 up
	busywait "$CONVERGE_MS" test_blocked 3:p32
	check_err $? "the tree did not return after the link came back: $(blocked)"
	busywait 5000 pingx "$(ns h1)" 192.0.2.2
	check_err $? "h1 cannot reach h2 after the link came back"
	log_test "RSTP: a failed link is replaced by agreement within 2 s, learned entries flushed"
}

rstp_management()
{
	# s1's priority goes above s2's and s3's: s2 (0x2000) is the
	# root, s3 reaches it directly, and on s1-s3 s3 (0x3000) is now
	# the better designated bridge: p13 alternate.  The old root's
	# information goes round the ring once more before it dies
	# (rstp_sim's "managed"); a few seconds bound it.
	sx 1 kbrctl setbridgeprio sw 0x4000
	busywait 10000 root_is 3 "$(bridge_id 2)"
	check_err $? "s2 did not become the root after s1's priority went up: $(root_id 3)"
	busywait 10000 test_blocked 1:p13
	check_err $? "blocked: $(blocked), want 1:p13"
	[ "$(port_role 1 p13) $(port_role 3 p32)" == "alternate root" ]
	check_err $? "roles of p13 and p32: $(port_role 1 p13) $(port_role 3 p32)"
	sx 1 kbrctl setbridgeprio sw 0x1000
	busywait 10000 test_blocked 3:p32
	check_err $? "the tree did not return with s1's priority: $(blocked)"
	# A path cost: s3's direct link to s1 at 5000 makes the way
	# through s2 (2000 + 2000: RSTP's cost of a 10 Gb/s veth) cheaper:
	# p32 root, p31 alternate.
	sx 3 kbrctl setpathcost sw p31 5000
	busywait 5000 role_is 3 p31 alternate
	check_err $? "p31 is $(port_role 3 p31) at cost 5000, want alternate"
	[ "$(port_role 3 p32)" == root ] &&
		[ "$(sx 3 kbrctl -j showstp sw | jq '.[0].root_path_cost')" -eq 4000 ]
	check_err $? "s3: p32 $(port_role 3 p32), root path cost $(sx 3 kbrctl -j showstp sw | jq '.[0].root_path_cost')"
	sx 3 kbrctl setpathcost sw p31 2000
	busywait 5000 test_blocked 3:p32
	check_err $? "the tree did not return with p31 at cost 2000: $(blocked)"
	# A port priority shows in the RSTP port id: 48 / 4 = 0xc.
	sx 3 kbrctl setportprio sw ph 48
	[ "$(sx 3 kbrctl -j showstp sw | jq -r '.[0].ports[] | select(.ifname == "ph") | .port_id')" == c003 ]
	check_err $? "ph's port id at priority 48: $(sx 3 kbrctl -j showstp sw | jq -r '.[0].ports[] | select(.ifname == "ph") | .port_id')"
	log_test "RSTP: bridge priority, path cost and port priority change the tree"
}

# guard_trips: BPDU guard's trips on s1's ph
guard_trips()
{
	counter 1 ph bpdu_guard
}

ph_disabled()
{
	[ "$(port_state 1 ph)" == disabled ]
}

rstp_bpdu_guard()
{
	local n

	n=$(guard_trips)
	sx 1 kbrctl setportflag sw ph bpduguard on
	check_err $? "bpduguard on failed"
	bpdu_send config
	busywait 3000 ph_disabled
	check_err $? "a BPDU on a guarded port left it $(port_state 1 ph)"
	[ "$(guard_trips)" -eq $((n + 1)) ] && [ "$(port_role 1 ph)" == disabled ]
	check_err $? "trips $(guard_trips) (was $n), role $(port_role 1 ph)"
	# The tree does not hear the BPDU's claim to be the root.
	[ "$(root_id 1)" == "$(bridge_id 1)" ]
	check_err $? "s1's root is $(root_id 1) after the guarded BPDU"
	# A mode change keeps the port out; only the flag lets it back.
	sx 1 kbrctl stp sw on && sx 1 kbrctl stp sw rstp
	check_err $? "switching s1's mode failed"
	sleep 4
	ph_disabled
	check_err $? "ph is $(port_state 1 ph) after a mode change, want disabled"
	sx 1 kbrctl setportflag sw ph bpduguard off
	# Back, silent: an edge port after 3 s (the migrate time).
	busywait $(((3 + 2) * 1000)) test_port_forwarding 1 ph
	check_err $? "ph is $(port_state 1 ph) after bpduguard off"
	log_test "RSTP: BPDU guard disables a port a BPDU reaches, and lets it back"
}

# stp_flag N PORT KEY: a boolean of PORT's in -j showstp (oper_edge...)
stp_flag()
{
	sx "$1" kbrctl -j showstp sw |
		jq -r --arg p "$2" --arg k "$3" '.[0].ports[] | select(.ifname == $p) | .[$k]'
}

flag_is()
{
	[ "$(stp_flag "$1" "$2" "$3")" == "$4" ]
}

# h1_bounce: h1's link goes down and up: s1's ph loses its carrier
h1_bounce()
{
	ip -n "$(ns h1)" link set eth0 down &&
		busywait 2000 eval "[ \"\$(port_state 1 ph)\" == disabled ]" &&
		ip -n "$(ns h1)" link set eth0 up
}

rstp_edge_ports()
{
	local c

	# Admin edge: ph forwards as soon as its link is up.  AutoEdge
	# would take 3 s (the migrate time), the timers 2 x FD (8 s);
	# 1.5 s is half the first, with 1.5 s for TCG.
	sx 1 kbrctl setportflag sw ph edge on
	check_err $? "edge on failed"
	h1_bounce
	check_err $? "h1's link did not go down and up"
	busywait 1500 test_port_forwarding 1 ph
	check_err $? "edge port ph is $(port_state 1 ph) 1.5 s after link up"
	flag_is 1 ph oper_edge true
	check_err $? "ph: oper_edge $(stp_flag 1 ph oper_edge)"
	# A BPDU (a TCN: it claims nothing) makes it a bridge port at
	# once, one that speaks 802.1D to its sender: Port Protocol
	# Migration listens for 802.1D once the migrate time (3 s) has
	# passed since the port came up (17.26), hence the wait.
	sleep 3
	bpdu_send tcn
	busywait 2000 flag_is 1 ph oper_edge false
	check_err $? "ph is still an edge port after a BPDU"
	c=$(counter 1 ph config_tx)
	sleep 2
	[ "$(counter 1 ph config_tx)" -gt "$c" ]
	check_err $? "ph does not speak 802.1D to the TCN's sender"
	# Neither edge nor AutoEdge: after its link comes back, only the
	# timers, 2 x FD (8 s).  At 4 s (half-way, and 1 s past
	# AutoEdge's 3 s) it must still discard.
	sx 1 kbrctl setportflag sw ph edge off && sx 1 kbrctl setportflag sw ph autoedge off
	check_err $? "edge off, autoedge off failed"
	h1_bounce
	check_err $? "h1's link did not go down and up"
	sleep 4
	[ "$(port_state 1 ph)" == blocking ] && flag_is 1 ph oper_edge false
	check_err $? "ph is $(port_state 1 ph) 4 s after coming back with neither edge nor autoedge, want blocking"
	busywait $(((2 * FD + 3) * 1000)) test_port_forwarding 1 ph
	check_err $? "ph never forwarded by the timers: $(port_state 1 ph)"
	sx 1 kbrctl setportflag sw ph autoedge on
	[ "$(sx 1 kbrctl -j show sw | jq -c '.[0].ports[] | select(.ifname == "ph") | .flags | index("autoedge") != null')" == true ]
	check_err $? "autoedge is not back on ph"
	log_test "RSTP: edge ports forward at once, a BPDU makes them bridge ports, autoedge off leaves the timers"
}

# p12_down: s1's p12 is disabled (its link went down)
p12_down()
{
	[ "$(port_state 1 p12)" == disabled ]
}

rstp_p2p()
{
	local i

	# veth is full duplex: point-to-point by default.
	[ "$(stp_flag 1 p12 p2p) $(stp_flag 1 p12 oper_p2p)" == "auto true" ]
	check_err $? "p12: p2p $(stp_flag 1 p12 p2p), oper_p2p $(stp_flag 1 p12 oper_p2p)"
	# The s1-s2 link taken for shared: no agreement (it counts on a
	# point-to-point link only), so p12, designated, learns only when
	# fdWhile (FD, 4 s) runs out.  With AutoEdge off on p12 (else 3 s
	# of silence would make it an edge port), 1.5 s after the link is
	# back it must still discard, where a point-to-point link forwards
	# within tens of milliseconds.
	for i in "1 p12" "2 p21"; do
		# shellcheck disable=SC2086
		sx ${i% *} kbrctl setportflag sw ${i#* } p2p off
	done
	sx 1 kbrctl setportflag sw p12 autoedge off
	[ "$(stp_flag 1 p12 p2p) $(stp_flag 1 p12 oper_p2p)" == "off false" ]
	check_err $? "p12 after p2p off: p2p $(stp_flag 1 p12 p2p), oper_p2p $(stp_flag 1 p12 oper_p2p)"
	ip -n "$(ns s1)" link set p12 down
	busywait 2000 p12_down
	check_err $? "p12 is $(port_state 1 p12) after its link went down"
	ip -n "$(ns s1)" link set p12 up
	sleep 1.5
	[ "$(port_state 1 p12)" == blocking ]
	check_err $? "p12 is $(port_state 1 p12) 1.5 s after coming back on a link taken for shared, want blocking"
	converge
	check_err $? "no single blocked port after p12 came back: $(blocked)"
	for i in "1 p12" "2 p21"; do
		# shellcheck disable=SC2086
		sx ${i% *} kbrctl setportflag sw ${i#* } p2p auto
	done
	sx 1 kbrctl setportflag sw p12 autoedge on
	ip -n "$(ns s1)" link set p12 down
	busywait 2000 p12_down
	check_err $? "p12 is $(port_state 1 p12) after its link went down"
	ip -n "$(ns s1)" link set p12 up
	busywait 1500 test_port_forwarding 1 p12
	check_err $? "p12 does not forward within 1.5 s of coming back on a point-to-point link"
	converge
	check_err $? "no single blocked port at the end: $(blocked)"
	log_test "RSTP: p2p off takes a link for shared (no agreement), auto for point-to-point"
}

rstp_with_stp_bridge()
{
	local c r f

	# s2 goes back to 802.1D; s1 and s3 hear its configuration BPDUs
	# and answer it in kind on those ports (Port Protocol Migration).
	f=$(counter 1 p12 to_stp)
	sx 2 kbrctl stp sw on
	[ "$(mode 2)" == "stp stp" ]
	check_err $? "s2 reports mode $(mode 2) after stp on"
	busywait "$CONVERGE_MS" stp_peer_ports "$f"
	check_err $? "s1 does not fall back to 802.1D towards s2 (to_stp $f -> $(counter 1 p12 to_stp))"
	converge
	check_err $? "no single blocked port with s2 on 802.1D: $(blocked)"
	[ "$(blocked)" == "3:p32" ]
	check_err $? "blocked: $(blocked), want 3:p32"
	# s1-s3 stays RSTP: over 2 hellos, RST BPDUs and no other.
	c=$(counter 1 p13 config_tx)
	r=$(counter 1 p13 rst_tx)
	sleep 2
	[ "$(counter 1 p13 config_tx)" -eq "$c" ] && [ "$(counter 1 p13 rst_tx)" -gt "$r" ]
	check_err $? "s1 does not speak RSTP alone to s3: config_tx $c -> $(counter 1 p13 config_tx), rst_tx $r -> $(counter 1 p13 rst_tx)"
	pingx "$(ns h2)" 192.0.2.3 && pingx "$(ns h1)" 192.0.2.2
	check_err $? "hosts do not reach each other with s2 on 802.1D"
	sx 2 kbrctl stp sw rstp
	[ "$(mode 2)" == "rstp rstp" ]
	check_err $? "s2 reports mode $(mode 2) after stp rstp"
	log_test "RSTP: a bridge on 802.1D in the ring is answered in 802.1D, the tree is the same"
}

rstp_bpdu_decode()
{
	local out n

	if ! command -v tshark >/dev/null; then
		log_fail "tshark not installed" "RSTP: tshark decodes our RST BPDUs"
		return
	fi
	# RST BPDUs s1, the root, sends to h1 on its designated port ph.
	ip netns exec "$(ns h1)" timeout 10 tcpdump -i eth0 -c 3 -w "$TMPD/rst.pcap" \
		'ether dst 01:80:c2:00:00:00' 2>/dev/null
	decode "$TMPD/rst.pcap" && decoded_clean
	check_err $? "tshark: $(grep -Ei "malformed|expert|error" <<<"$DECODED" | head -3)"
	out=$DECODED
	n=$(grep -c "BPDU Type: Rapid/Multiple Spanning Tree (0x02)" <<<"$out")
	[ "$n" -eq 3 ] &&
		grep -q "Protocol Version Identifier: Rapid Spanning Tree (2)" <<<"$out" &&
		grep -q "Port Role: Designated" <<<"$out" &&
		grep -q "Forwarding: Yes" <<<"$out" &&
		grep -q "Learning: Yes" <<<"$out" &&
		grep -q "Root Identifier: 4096 / 0 / " <<<"$out" &&
		grep -q "Root Path Cost: 0" <<<"$out" &&
		grep -q "Port identifier: 0x8003" <<<"$out" &&
		grep -q "Max Age: 6" <<<"$out" &&
		grep -q "Hello Time: 1" <<<"$out" &&
		grep -q "Forward Delay: $FD" <<<"$out" &&
		grep -q "Version 1 Length: 0" <<<"$out"
	check_err $? "tshark reads other fields: $(grep -E "BPDU|Version|Role|Forwarding|Learning|Identifier|Cost|Age|Time|Delay" <<<"$out" | head -24)"

	# Both ways on s1-s2 as the link comes back: s1's proposal, s2's
	# agreement.  Captured on p21, which only loses its carrier.
	capture_bg "$(ns s2)" p21 "$TMPD/pa" -U -w "$TMPD/pa.pcap" \
		'ether dst 01:80:c2:00:00:00'
	captures_ready "$TMPD/pa"
	ip -n "$(ns s1)" link set p12 down && ip -n "$(ns s1)" link set p12 up
	sleep 3
	captures_stop
	decode "$TMPD/pa.pcap" && decoded_clean &&
		grep -q "Proposal: Yes" <<<"$DECODED" &&
		grep -q "Agreement: Yes" <<<"$DECODED"
	check_err $? "no clean proposal and agreement: $(grep -E "BPDU flags|Proposal|Agreement|Role|malformed|Expert" <<<"$DECODED" | head -24)"
	converge
	check_err $? "no single blocked port after s1-s2 came back: $(blocked)"
	log_test "RSTP: tshark decodes our RST BPDUs cleanly, flags, role, proposal and agreement included"
}

rstp_malformed_bpdus()
{
	local before after root

	# In RSTP mode too: 802.1D's broken BPDUs (but "version": a
	# configuration BPDU of version 1 is one, 9.3.4) and RST BPDUs
	# too short or of version 1.  ph is an edge port: they must not
	# make it a bridge port either.
	root=$(root_id 1)
	before=$(rx_bad 1 ph)
	bpdu_send short proto type maxage0 oldmsg fdhuge llc rstshort rstv1
	busywait 5000 rx_bad_ge $((before + 9))
	after=$(rx_bad 1 ph)
	[ "$after" -eq $((before + 9)) ]
	check_err $? "rx_bad went from $before to $after, want +9"
	sleep 1
	[ "$(root_id 1)" == "$root" ] && test_blocked 3:p32 &&
		flag_is 1 ph oper_edge true
	check_err $? "malformed BPDUs changed something: root $(root_id 1) (was $root), blocked $(blocked), ph oper_edge $(stp_flag 1 ph oper_edge)"
	log_test "RSTP: malformed BPDUs, RST ones included, are counted and ignored"
}

# stp_flags N PORT: the STP flags of PORT on kbridge N, as JSON
stp_flags()
{
	sx "$1" kbrctl -j showstp sw |
		jq -c --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .flags'
}
loop_inconsistent() { [ "$(stp_flags 3 p32)" == '["LOOP_INCONSISTENT"]' ]; }

# Loop guard on s3's alternate p32: s2's p23 sends BPDUs that never
# arrive (tc drops them on its way out; other frames pass).  Once p32's
# information ages out it stays discarding, flagged and counted, rather
# than forwarding as a designated port; when BPDUs come back it is the
# alternate again.
rstp_loop_guard()
{
	local trips mon

	sx 3 kbrctl setportflag sw p32 loopguard on
	check_err $? "setportflag loopguard on failed"
	trips=$(counter 3 p32 loop_guard)
	ip netns exec "$(ns s3)" kbrctl monitor stp >"$TMPD/mon-lg" &
	mon=$!
	{ command tc -n "$(ns s2)" qdisc add dev p23 clsact &&
	  command tc -n "$(ns s2)" filter add dev p23 egress protocol all \
		flower dst_mac 01:80:c2:00:00:00 action drop; } 2>"$TMPD/tc.err"
	check_err $? "tc could not drop s2's BPDUs on p23: $(<"$TMPD/tc.err")"
	# The information ages out in 3 x hello (3 s); 2 s of margin.
	busywait 5000 loop_inconsistent
	check_err $? "p32 not loop inconsistent once its BPDUs stopped: flags $(stp_flags 3 p32), role $(port_role 3 p32)"
	[ "$(counter 3 p32 loop_guard)" -gt "$trips" ]
	check_err $? "loop_guard counter $(counter 3 p32 loop_guard), was $trips"
	# As a designated port it would forward within 2 x FD (8 s), or
	# as an edge port after 3 s of silence: it must do neither.
	sleep $((2 * FD + 1))
	test_blocked 3:p32 && loop_inconsistent
	check_err $? "p32 after $((2 * FD + 1)) s without BPDUs: $(port_state 3 p32), flags $(stp_flags 3 p32)"
	kill "$mon"
	wait "$mon" 2>/dev/null
	! grep -q " state sw p32 forwarding" "$TMPD/mon-lg"
	check_err $? "p32 forwarded meanwhile: $(cat "$TMPD/mon-lg")"
	no_storm_quiet
	check_err $? "copies of h1's broadcast while loop guard held p32: $STORM_COPIES(want 1 each)"
	command tc -n "$(ns s2)" qdisc del dev p23 clsact
	# s2's p23 sends every hello (1 s); 2 s of margin.
	busywait 3000 role_is 3 p32 alternate
	check_err $? "p32 is $(port_role 3 p32) once BPDUs came back, want alternate"
	[ "$(stp_flags 3 p32)" == '[]' ]
	check_err $? "p32's flags once BPDUs came back: $(stp_flags 3 p32)"
	sx 3 kbrctl setportflag sw p32 loopguard off
	log_test "RSTP: loop guard keeps an alternate whose BPDUs stop discarding, until they return"
}

# s1-s2 fails silently: tc drops every frame both ways, carriers stay
# up.  Nothing tells s2 but the silence: its root port's information
# ages out in 3 x hello (3 s), and s2 reaches the root through s3, whose
# p32 forwards.  h1's pings to h2 come back within that and a 2 s
# margin, and no broadcast loops meanwhile.
rstp_silent_failure()
{
	local pp start ms i

	ip netns exec "$(ns h1)" ping -D -i 0.01 -W 1 192.0.2.2 >"$TMPD/sping" 2>&1 &
	pp=$!
	sleep 1
	start=$(now_us)
	for i in 1:p12 2:p21; do
		command tc -n "$(ns "s${i%%:*}")" qdisc add dev "${i#*:}" clsact &&
		command tc -n "$(ns "s${i%%:*}")" filter add dev "${i#*:}" \
			egress matchall action drop
		check_err $? "tc could not drop frames on $i"
	done
	busywait 5000 test_port_forwarding 3 p32
	check_err $? "p32 did not forward within 3 x hello + 2 s of the silent failure: $(port_state 3 p32)"
	[ "$(port_role 2 p23)" == root ]
	check_err $? "s2's p23 is $(port_role 2 p23), want root"
	sleep 2
	kill "$pp"
	wait "$pp" 2>/dev/null
	ms=$(longest_gap_ms "$TMPD/sping" "$start")
	[ -n "$ms" ] && [ "$ms" -lt 5000 ]
	check_err $? "h1's pings to h2: longest gap ${ms:-none} ms, want under 5000 (3 x hello + 2 s)"
	log_info "silent failure: longest gap between h1's ping replies from h2: ${ms:-none} ms"
	no_storm_quiet
	check_err $? "copies of h1's broadcast after the silent failure: $STORM_COPIES(want 1 each)"
	command tc -n "$(ns s1)" qdisc del dev p12 clsact
	command tc -n "$(ns s2)" qdisc del dev p21 clsact
	busywait "$CONVERGE_MS" test_blocked 3:p32
	check_err $? "the tree did not return once s1-s2 passed frames again: $(blocked)"
	log_test "RSTP: a silent link failure is found in 3 x hello and replaced, no storm"
}

rstp_mode_errors()
{
	local out

	out=$(sx 1 kbrctl stp sw fast 2>&1)
	check_err $(($? != 1)) "stp sw fast did not exit 1"
	[ "$out" == "expect on/off for argument" ]
	check_err $? "stp sw fast said: $out"
	# RSTP's forward delay is 4 to 30 s (17.14); 802.1D's from 2.
	out=$(sx 1 kbrctl setfd sw 3 2>&1)
	check_err $(($? != 1)) "setfd 3 in RSTP mode did not exit 1"
	sx 1 kbrctl -j showstp sw | jq -e --argjson fd "$FD" '.[0].bridge_forward_delay == $fd' >/dev/null
	check_err $? "setfd 3 in RSTP mode changed the forward delay"
	log_info "setfd 3 in RSTP mode: $out"
	sx 1 kbrctl stp sw off
	check_err $? "stp off failed"
	[ "$(sx 1 kbrctl -j show sw | jq -r '.[0] | "\(.stp_enabled) \(.stp_mode)"')" == "false rstp" ]
	check_err $? "stp off: $(sx 1 kbrctl -j show sw)"
	sx 1 kbrctl setfd sw 2
	check_err $? "setfd 2 with STP off failed"
	sx 1 kbrctl -j showstp sw | jq -e '.[0].bridge_forward_delay == 2' >/dev/null
	check_err $? "setfd 2 with STP off did not take"
	sx 1 kbrctl stp sw rstp
	check_err $? "stp rstp failed"
	[ "$(sx 1 kbrctl -j show sw | jq -r '.[0] | "\(.stp_enabled) \(.stp_mode)"')" == "true rstp" ]
	check_err $? "stp rstp: $(sx 1 kbrctl -j show sw)"
	sx 1 kbrctl -j showstp sw | jq -e '.[0].bridge_forward_delay == 4' >/dev/null
	check_err $? "turning RSTP on did not clamp a forward delay of 2 s to 4 s"
	log_test "RSTP: bad mode words and forward delays are refused, STP off keeps the mode"
}

# tx_burst H: tx hold count H on the lone kb0, then 20 RST BPDUs to its
# p1, each news to it (the root path cost goes 0, 10, 0, ...), so that
# each gives its designated port p2 news to send; echoes how many RST
# BPDUs p2's host saw from it in the 0.9 s from the first sent after the
# burst began (python may take a second to start under load; the hello
# of 10 s makes a periodic BPDU in the window unlikely, and it would
# count against H anyway).  A window under a second holds at most one
# tick of RSTP's clock: at most H + 1.
tx_burst()
{
	local out=$TMPD/txhold.$1 kinds=() i t0

	lx kbrctl settxholdcount kb0 "$1" || return 1
	capture_bg "$(ns "${LONE}h2")" eth0 "$out" -tt "ether src $P2MAC and ether dst 01:80:c2:00:00:00"
	captures_ready "$out"
	for ((i = 0; i < 10; i++)); do
		kinds+=(rstcost rst)
	done
	t0=$EPOCHREALTIME
	lone_bpdu "${kinds[@]}"
	sleep 2
	captures_stop
	awk -v t0="$t0" '$1 < t0 || !/802\.1w/ { next }
		!t { t = $1 } $1 < t + 0.9 { n++ } END { print n + 0 }' "$out"
}

# A lone RSTP kbridge kb0 (hello 1 s) in namespace $LONE, its ports p1
# and p2 to hosts ${LONE}h1 and ${LONE}h2; lx runs there, lone_bpdu
# sends bpdu.py's kinds from ${LONE}h1 to p1.
lx() { netns_exec "$(ns "$LONE")" "$@"; }
lone_bpdu()
{
	ip netns exec "$(ns "${LONE}h1")" python3 "$(dirname "$0")/bpdu.py" eth0 "$@"
}

# lone_setup NAME: that bridge in namespace NAME
lone_setup()
{
	local t h1 h2 i

	LONE=$1
	t=$(ns "$LONE")
	h1=$(ns "${LONE}h1")
	h2=$(ns "${LONE}h2")
	ns_create "$t" "$h1" "$h2" &&
	lx kbrctl addbr kb0 &&
	lx kbrctl sethello kb0 1 &&
	lx kbrctl stp kb0 rstp || return 1
	ip -n "$t" link add p1 type veth peer name eth0 netns "$h1" &&
	ip -n "$t" link add p2 type veth peer name eth0 netns "$h2" || return 1
	for i in p1 p2; do
		lx kbrctl addif kb0 "$i" && ip -n "$t" link set "$i" up || return 1
	done
	ip -n "$h1" link set eth0 addrgenmode none up
	ip -n "$h2" link set eth0 addrgenmode none up
	ip -n "$t" link set kb0 up
	P2MAC=$(ip -n "$t" -j link show p2 | jq -r '.[0].address')
}

# l_role_is PORT ROLE: PORT of the lone kb0 has ROLE
l_role_is()
{
	[ "$(lx kbrctl -j showstp kb0 |
		jq -r --arg p "$1" '.[0].ports[] | select(.ifname == $p) | .role')" == "$2" ]
}

# l_counter PORT NAME: a counter of the lone kb0's PORT
l_counter()
{
	lx kbrctl -j showstp kb0 |
		jq --arg p "$1" --arg c "$2" '.[0].ports[] | select(.ifname == $p) | .counters[$c]'
}

rstp_tx_hold_count()
{
	local title="RSTP: the tx hold count limits BPDUs a port sends at once"
	local t n2 n10 out n

	if ! lone_setup t; then
		setup_failed "$title"
		return
	fi
	t=$(ns t)

	lx kbrctl sethello kb0 10
	ip netns exec "$t" kbrctl -j showstp kb0 | jq -e '.[0].tx_hold_count == 6' >/dev/null
	check_err $? "tx hold count not 6 by default: $(ip netns exec "$t" kbrctl -j showstp kb0 | jq '.[0].tx_hold_count')"
	for n in 0 11 300; do
		out=$(ip netns exec "$t" kbrctl settxholdcount kb0 "$n" 2>&1)
		check_err $(($? != 1)) "settxholdcount $n did not exit 1"
		[ "$out" == $'set tx hold count failed: Numerical result out of range\nError: TX hold count must be 1 to 10.' ]
		check_err $? "settxholdcount $n said: $out"
	done
	out=$(ip netns exec "$t" kbrctl settxholdcount kb0 x 2>&1)
	[ "$out" == "bad tx hold count value" ]
	check_err $? "settxholdcount x said: $out"
	out=$(ip netns exec "$t" kbrctl settxholdcount nosuch 2 2>&1)
	[ "$out" == "set tx hold count failed: No such device" ]
	check_err $? "settxholdcount nosuch said: $out"
	ip netns exec "$t" kbrctl -j showstp kb0 | jq -e '.[0].tx_hold_count == 6' >/dev/null
	check_err $? "a refused tx hold count changed it"

	# p1 takes its host for the root's designated port first.
	lone_bpdu rst
	# It runs the machines as it takes the BPDU; 3 s is margin.
	busywait 3000 l_role_is p1 root
	check_err $? "p1 did not become the root port on its host's RST BPDU"
	n2=$(tx_burst 2)
	n10=$(tx_burst 10)
	log_info "BPDUs p2 sent in 0.9 s for 20 changes: $n2 with tx hold count 2, $n10 with 10"
	[ "$n2" -ge 1 ] && [ "$n2" -le 3 ]
	check_err $? "tx hold count 2: p2 sent $n2 BPDUs in 0.9 s, want 1 to 3"
	[ "$n10" -ge 8 ] && [ "$n10" -le 11 ]
	check_err $? "tx hold count 10: p2 sent $n10 BPDUs in 0.9 s, want 8 to 11"

	# Kept across STP off and a mode change.
	ip netns exec "$t" kbrctl stp kb0 off && ip netns exec "$t" kbrctl stp kb0 on &&
		ip netns exec "$t" kbrctl stp kb0 rstp
	ip netns exec "$t" kbrctl -j showstp kb0 | jq -e '.[0].tx_hold_count == 10' >/dev/null
	check_err $? "tx hold count not kept across stp off, on, rstp"
	log_test "$title"
}

# An RST BPDU whose role is Unknown (no bridge sends one) is taken as a
# configuration BPDU, as 802.1D-2004 9.2.9 says: the designated port's
# information, here the root's; and it is counted.
rstp_unknown_role()
{
	local title="RSTP: an RST BPDU of Unknown role is taken as 9.2.9 says, and counted"

	if ! lone_setup u; then
		setup_failed "$title"
		return
	fi
	[ "$(l_counter p1 role_unknown_rx)" -eq 0 ]
	check_err $? "role_unknown_rx is $(l_counter p1 role_unknown_rx) before any BPDU"
	lone_bpdu rstunknown
	# The machines run as the BPDU comes in; 3 s is margin.
	busywait 3000 l_role_is p1 root
	check_err $? "p1 is $(lx kbrctl -j showstp kb0 | jq -c '.[0].ports[0].role'), want root: the BPDU not taken as the root's"
	[ "$(lx kbrctl -j showstp kb0 | jq -r '.[0].designated_root')" == 0000.020000000001 ]
	check_err $? "root $(lx kbrctl -j showstp kb0 | jq -r '.[0].designated_root'), want 0000.020000000001"
	[ "$(l_counter p1 role_unknown_rx) $(l_counter p1 rst_rx) $(l_counter p1 rx_bad)" == "1 1 0" ]
	check_err $? "p1 role_unknown_rx rst_rx rx_bad: $(l_counter p1 role_unknown_rx) $(l_counter p1 rst_rx) $(l_counter p1 rx_bad), want 1 1 0"
	log_test "$title"
}

stp_run
