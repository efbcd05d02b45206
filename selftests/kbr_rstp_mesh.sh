#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RSTP beyond kbr_rstp.sh's ring of kbridges: the ring with a Linux
# bridge on 802.1D in it (ports facing it fall back, counted, and the
# tree is 802.1D's), and a full mesh of four RSTP kbridges (exactly the
# prescribed alternates, no storm, a failed link replaced, the outage a
# pinging host sees printed), and kbrctl migrate bringing two kbridges
# back to RSTP once the 802.1D bridge they shared a segment with is
# gone, and path costs by 802.1D-2004's table and range.  Apart from
# kbr_rstp.sh so that the two run side by side.

ALL_TESTS="
	rstp_linux_peer
	rstp_mesh
	rstp_migrate
	rstp_path_costs
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

rstp_ring

# A Linux bridge running 802.1D as s2, between two RSTP kbridges: s1's
# p12 and s3's p32 hear its configuration BPDUs and speak 802.1D there
# (Port Protocol Migration), s1-s3 stays RSTP, and the tree is the one
# 802.1D builds.
rstp_linux_peer()
{
	local c r

	ring_destroy
	if ! ring_build kb lb kb; then
		check_err 1 "ring setup failed"
		log_test "RSTP: a Linux bridge on 802.1D in the ring"
		return
	fi
	converge
	check_err $? "no single blocked port after $CONVERGE_MS ms: $(blocked)"
	[ "$(blocked)" == "3:p32" ]
	check_err $? "blocked: $(blocked), want 3:p32"
	[ "$(root_id 2)" == "$(bridge_id 1)" ]
	check_err $? "the Linux bridge's root is $(root_id 2), want $(bridge_id 1)"
	busywait 5000 stp_peer_ports 0
	check_err $? "s1 does not fall back to 802.1D towards the Linux bridge (to_stp $(counter 1 p12 to_stp))"
	[ "$(counter 1 p12 to_stp)" -ge 1 ] && [ "$(counter 1 p13 to_stp)" -eq 0 ]
	check_err $? "fallbacks to 802.1D counted: p12 $(counter 1 p12 to_stp), p13 $(counter 1 p13 to_stp); want 1 or more, 0"
	c=$(counter 1 p13 config_tx)
	r=$(counter 1 p13 rst_tx)
	sleep 2
	[ "$(counter 1 p13 config_tx)" -eq "$c" ] && [ "$(counter 1 p13 rst_tx)" -gt "$r" ]
	check_err $? "s1 does not speak RSTP alone to s3: config_tx $c -> $(counter 1 p13 config_tx), rst_tx $r -> $(counter 1 p13 rst_tx)"
	pingx "$(ns h2)" 192.0.2.3 && pingx "$(ns h1)" 192.0.2.2
	check_err $? "hosts do not reach each other through the Linux bridge"
	log_test "RSTP: a Linux bridge on 802.1D in the ring is answered in 802.1D, the tree is right"
}

# The full mesh: four RSTP kbridges m1..m4 (priorities 0x1000..0x4000),
# each linked to each (pIJ in mI faces mJ, cost 2000), each with a host hI
# at 192.0.2.1I.  Root m1; m2, m3 and m4 reach it directly; on each link
# between two others the lower id is designated: m3's p32, m4's p42 and
# p43 are the alternates.
mx() { local n=$1; shift; netns_exec "$(ns "m$n")" "$@"; }
MESH_PORTS="1:p12 1:p13 1:p14 2:p21 2:p23 2:p24 3:p31 3:p32 3:p34 4:p41 4:p42 4:p43"

mesh_build()
{
	local i j p

	for i in 1 2 3 4; do
		ns_create "$(ns "m$i")" "$(ns "mh$i")" || return 1
	done
	for i in 1 2 3 4; do
		for j in 1 2 3 4; do
			[ "$i" -lt "$j" ] || continue
			ip -n "$(ns "m$i")" link add "p$i$j" type veth peer \
				name "p$j$i" netns "$(ns "m$j")" || return 1
		done
	done
	for i in 1 2 3 4; do
		ip -n "$(ns "m$i")" link add ph type veth peer name eth0 \
			address "02:00:00:00:01:0$i" netns "$(ns "mh$i")"
		ip -n "$(ns "mh$i")" -batch - <<-EOF
			link set eth0 addrgenmode none
			link set eth0 up
			address add 192.0.2.1$i/24 dev eth0
		EOF
		kb_stp_setup "$(ns "m$i")" "$((i * 0x1000))" rstp || return 1
		for p in $MESH_PORTS "$i:ph"; do
			[ "${p%%:*}" == "$i" ] || continue
			p=${p#*:}
			echo "link set $p addrgenmode none"
			echo "link set $p master sw"
			echo "link set $p up"
		done | ip -n "$(ns "m$i")" -batch - || return 1
		ip -n "$(ns "m$i")" -batch - <<-EOF
			link set sw addrgenmode none
			link set sw up
		EOF
	done
}

# mesh_blocked: the mesh ports in blocking state, "N:port ...", and those
# disabled, "N:port:down", if every other mesh port forwards;
# "unsettled" if one does none of these
mesh_blocked()
{
	local i p st out=
	declare -A ms=()

	for i in 1 2 3 4; do
		while read -r p st; do
			ms[$i:$p]=$st
		done < <(mx "$i" kbrctl -j showstp sw |
			 jq -r '.[0].ports[] | "\(.ifname) \(.state)"')
	done
	for p in $MESH_PORTS; do
		case ${ms[$p]:-} in
		blocking) out+="$p " ;;
		disabled) out+="$p:down " ;;
		forwarding) ;;
		*) echo unsettled; return ;;
		esac
	done
	echo "${out% }"
}

mesh_is()
{
	[ "$(mesh_blocked)" == "$1" ]
}

rstp_mesh()
{
	local i n pp ms

	if ! mesh_build; then
		check_err 1 "mesh setup failed"
		log_test "RSTP: a full mesh of four kbridges"
		return
	fi
	busywait "$CONVERGE_MS" mesh_is "3:p32 4:p42 4:p43"
	check_err $? "mesh blocked ports: $(mesh_blocked), want 3:p32 4:p42 4:p43"
	for i in 2 3 4; do
		[ "$(mx "$i" kbrctl -j showstp sw | jq -r '.[0].designated_root')" == \
		  "$(mx 1 kbrctl -j showstp sw | jq -r '.[0].bridge_id')" ]
		check_err $? "m$i's root is not m1"
	done
	# No storm: h1's broadcast reaches h2, h3 and h4 once each.
	for i in 2 3 4; do
		capture_bg "$(ns "mh$i")" eth0 "$TMPD/mh$i" -Q in 'ether proto 0x88b5'
	done
	captures_ready "$TMPD/mh2" "$TMPD/mh3" "$TMPD/mh4"
	send_frame "$(ns mh1)" 02:00:00:00:01:01 ff:ff:ff:ff:ff:ff
	sleep 4
	captures_stop
	for i in 2 3 4; do
		n=$(grep -c "ethertype Unknown (0x88b5)" "$TMPD/mh$i")
		[ "$n" -eq 1 ]
		check_err $? "mh$i got $n copies of mh1's broadcast, want 1"
	done
	# m1-m2 fails: m2 goes through m3 (lower id than m4) at cost 4000;
	# m3's p32 and m4's p42, designated now, forward; m2's p24 and
	# m4's p43 are the alternates.
	pingx "$(ns mh1)" 192.0.2.12
	ip netns exec "$(ns mh1)" ping -D -i 0.01 -W 1 192.0.2.12 >"$TMPD/mping" 2>&1 &
	pp=$!
	sleep 1
	n=$(now_us)
	ip -n "$(ns m1)" link set p12 down
	# The tree asserted here; its speed is the ring's failover's and
	# rstp_sim's ("hello 1 mesh": no tick needed) to check, so the
	# bound is the ring's convergence bound: polling four bridges
	# takes seconds under TCG.  By kbrctl monitor, m4's p42, the last
	# port, forwarded 0.09 s after the failure.
	busywait "$CONVERGE_MS" mesh_is "1:p12:down 2:p21:down 2:p24 4:p43"
	check_err $? "after m1-m2 failed, blocked: $(mesh_blocked), want 2:p24 4:p43 (p12, p21 down)"
	log_info "mesh: the new tree $((($(now_us) - n) / 1000)) ms after the failure (as polled)"
	sleep 2
	kill "$pp"
	wait "$pp" 2>/dev/null
	ms=$(longest_gap_ms "$TMPD/mping" "$n")
	[ -n "$ms" ]
	check_err $? "mh1's pings to mh2 got no reply a second after the failure: $(tail -3 "$TMPD/mping")"
	log_info "mesh: outage mh1 to mh2 when m1-m2 fails: longest gap $ms ms"
	ip -n "$(ns m1)" link set p12 up
	busywait "$CONVERGE_MS" mesh_is "3:p32 4:p42 4:p43"
	check_err $? "after m1-m2 came back, blocked: $(mesh_blocked)"
	pingx "$(ns mh4)" 192.0.2.12 && pingx "$(ns mh3)" 192.0.2.11
	check_err $? "hosts do not reach each other at the end"
	log_test "RSTP: a full mesh of four kbridges: the prescribed alternates, no storm, a failure replaced"
}

# qx N ...: in namespace qN; qsend N PORT: N's PORT sends RST BPDUs
qx() { local n=$1; shift; netns_exec "$(ns "q$n")" "$@"; }
qsend()
{
	qx "$1" kbrctl -j showstp sw |
		jq -r --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .send_rstp'
}
qsends_are() { [ "$(qsend a pa) $(qsend c pc)" == "$1" ]; }
qrole()
{
	qx "$1" kbrctl -j showstp sw |
		jq -r --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .role'
}
qroles_are() { [ "$(qrole a pa) $(qrole c pc)" == "$1" ]; }

# One segment (qh's Linux bridge hub, STP off, so that it passes BPDUs
# on) shared by RSTP kbridges qa (0x1000, port pa) and qc (0x2000, pc)
# and a Linux bridge ql on 802.1D (priority 0, the root, pl).  pa and
# pc hear ql's configuration BPDUs and speak 802.1D.  Once ql is gone
# nothing on the segment sends an RST BPDU, so the two go on in 802.1D
# (802.1D-2004 17.24: a port goes back only on hearing one), until
# migrate on the designated port pa sends them again.
rstp_migrate()
{
	local title="RSTP: migrate brings ports back to RSTP once the 802.1D bridge is gone"
	local i p r c out

	for i in a c l h; do
		ns_create "$(ns "q$i")" || { setup_failed "$title"; return; }
	done
	for i in a c l; do
		ip -n "$(ns qh)" link add "h$i" type veth peer name "p$i" \
			netns "$(ns "q$i")" || { setup_failed "$title"; return; }
	done
	ip -n "$(ns qh)" link add hub type bridge stp_state 0 &&
	for i in a c l; do
		ip -n "$(ns qh)" link set "h$i" master hub up
	done
	ip -n "$(ns qh)" link set hub up
	ip -n "$(ns ql)" link add sw type bridge stp_state 1 priority 0 \
		hello_time 100 forward_delay $((FD * 100)) \
		max_age $((MAX_AGE * 100)) || { setup_failed "$title"; return; }
	for i in a c; do
		if ! kb_stp_setup "$(ns "q$i")" \
			"$([ "$i" == a ] && echo 0x1000 || echo 0x2000)" rstp; then
			setup_failed "$title"
			return
		fi
	done
	for i in a c l; do
		ip -n "$(ns "q$i")" -batch - <<-EOF
			link set p$i addrgenmode none
			link set p$i master sw
			link set p$i up
			link set sw addrgenmode none
			link set sw up
		EOF
	done

	# ql sends every hello (1 s); 5 s is margin.
	busywait 6000 qsends_are "false false"
	check_err $? "pa and pc did not fall back to 802.1D with ql on the segment: send_rstp $(qsend a pa) $(qsend c pc)"
	ip -n "$(ns qh)" link del hl
	# ql's information ages out in 3 x hello; then pa, on the better
	# bridge, is designated and pc its root port: $CONVERGE_MS bounds it.
	busywait "$CONVERGE_MS" qroles_are "designated root"
	check_err $? "with ql gone, pa and pc are $(qrole a pa) and $(qrole c pc), want designated and root"
	# Nothing sends RSTP: still 802.1D after more than the migrate
	# time (3 s) has passed.
	sleep 4
	qsends_are "false false"
	check_err $? "pa and pc went back to RSTP with no mcheck: send_rstp $(qsend a pa) $(qsend c pc)"
	c=$(qx a kbrctl -j showstp sw | jq '.[0].ports[0].counters.config_tx')
	[ "$c" -gt 0 ]
	check_err $? "pa sent no configuration BPDU in 802.1D mode"

	out=$(qx a kbrctl migrate sw pa 2>&1)
	check_err $? "migrate sw pa failed: $out"
	# pa's next hello (1 s) carries RSTP; pc answers at once: 3 s
	# is margin.
	busywait 3000 qsends_are "true true"
	check_err $? "after migrate: send_rstp $(qsend a pa) $(qsend c pc), want true true"
	r=$(qx a kbrctl -j showstp sw | jq -r '.[0].ports[0].counters | "\(.config_tx) \(.rst_tx)"')
	sleep 2
	p=$(qx a kbrctl -j showstp sw | jq -r '.[0].ports[0].counters | "\(.config_tx) \(.rst_tx)"')
	[ "${p% *}" -eq "${r% *}" ] && [ "${p#* }" -gt "${r#* }" ]
	check_err $? "pa after migrate: config_tx rst_tx went from $r to $p, want RST only"
	[ "$(qrole a pa) $(qrole c pc)" == "designated root" ]
	check_err $? "after migrate: pa $(qrole a pa), pc $(qrole c pc)"

	# Errors: no such device, not a port, 802.1D mode.
	out=$(qx a kbrctl migrate sw lo 2>&1)
	check_err $(($? != 1)) "migrate sw lo did not exit 1"
	[ "$out" == "device lo is not a port of sw" ]
	check_err $? "migrate sw lo said: $out"
	out=$(qx a kbrctl migrate sw nosuch 2>&1)
	[ "$out" == "interface nosuch does not exist!" ]
	check_err $? "migrate sw nosuch said: $out"
	qx c kbrctl stp sw on
	out=$(qx c kbrctl migrate sw pc 2>&1)
	check_err $(($? != 1)) "migrate in 802.1D mode did not exit 1"
	[ "$out" == $'can\'t migrate port pc of sw: Operation not supported\nError: The bridge does not run RSTP: mcheck needs it up with RSTP on.' ]
	check_err $? "migrate in 802.1D mode said: $out"
	log_test "$title"
}

# pcost PORT: PORT's path cost on the lone kbridge in namespace pc
pcost()
{
	netns_exec "$(ns pc)" kbrctl -j showstp kb0 |
		jq -r --arg p "$1" '.[0].ports[] | select(.ifname == $p) | .path_cost'
}
pcosts_are() { [ "$(pcost p1) $(pcost d1)" == "$1" ]; }

# Path costs follow the mode: the Linux bridge's table in 802.1D mode
# (a veth is 10 Gb/s: 2; a dummy's speed is unknown, taken as 10 Mb/s:
# 100), 802.1D-2004 table 17-3 in RSTP mode (2000 and 2000000), and
# each mode's range when set (brctl's 65535, RSTP's 200000000).
rstp_path_costs()
{
	local q out p

	q=$(ns pc)
	if ! ns_create "$q" || ! ip netns exec "$q" kbrctl addbr kb0; then
		check_err 1 "setup failed"
		log_test "RSTP: path costs by 802.1D-2004's table and range, brctl's in 802.1D mode"
		return
	fi
	ip -n "$q" link add p1 type veth peer name p1b
	ip -n "$q" link add d1 type dummy
	for p in p1 p1b d1 kb0; do
		ip -n "$q" link set "$p" up
	done
	ip netns exec "$q" kbrctl addif kb0 p1 && ip netns exec "$q" kbrctl addif kb0 d1
	check_err $? "addif p1, d1 failed"
	pcosts_are "2 100"
	check_err $? "802.1D costs of a veth and a dummy: $(pcost p1) $(pcost d1), want 2 100"
	ip netns exec "$q" kbrctl stp kb0 rstp
	pcosts_are "2000 2000000"
	check_err $? "RSTP costs of a veth and a dummy: $(pcost p1) $(pcost d1), want 2000 2000000"
	ip netns exec "$q" kbrctl setpathcost kb0 p1 200000000
	check_err $? "setpathcost 200000000 refused in RSTP mode"
	out=$(ip netns exec "$q" kbrctl setpathcost kb0 p1 200000001 2>&1)
	check_err $(($? != 1)) "setpathcost 200000001 did not exit 1"
	[ "$out" == "set path cost failed: Numerical result out of range" ]
	check_err $? "setpathcost 200000001 said: $out"
	pcosts_are "200000000 2000000"
	check_err $? "costs after 200000001 was refused: $(pcost p1) $(pcost d1)"
	bridge -n "$q" link set dev p1 cost 150000
	check_err $? "bridge link set cost 150000 refused in RSTP mode"
	# Back to 802.1D: the speed's cost again, a set one clamped.
	ip netns exec "$q" kbrctl stp kb0 on
	pcosts_are "65535 100"
	check_err $? "802.1D costs after RSTP: $(pcost p1) $(pcost d1), want 65535 (clamped) 100"
	out=$(ip netns exec "$q" kbrctl setpathcost kb0 d1 70000 2>&1)
	[ "$out" == "set path cost failed: Numerical result out of range" ]
	check_err $? "setpathcost 70000 in 802.1D mode said: $out"
	out=$(bridge -n "$q" link set dev d1 cost 70000 2>&1)
	check_err $(($? == 0)) "bridge link set cost 70000 taken in 802.1D mode"
	[[ $out == *"Path cost must be 1 to 65535 in 802.1D mode"* ]]
	check_err $? "bridge link set cost 70000 in 802.1D mode said: $out"
	pcosts_are "65535 100"
	check_err $? "refused costs changed something: $(pcost p1) $(pcost d1)"
	log_test "RSTP: path costs by 802.1D-2004's table and range, brctl's in 802.1D mode"
}

stp_run
