#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1D spanning tree: a ring of three switches, each in its own
# namespace with a host, linked by veth pairs; short timers (hello 1 s,
# forward delay 2 s, max age 6 s).
#
#              h1
#              |
#        +---- s1 (prio 0x1000: the root) ----+
#        p12                                  p13
#        |                                    |
#        p21                                  p31
#   h2 - s2 (0x2000) p23 ------------- p32 s3 (0x3000) - h3
#
# Every ring port costs 2 (veth: 10 Gb/s).  802.1D picks: root s1; root
# ports p21 and p31; on the s2-s3 segment s2 is designated (lower id), so
# p32 is the one blocked port.  A switch is a kbridge ("kb") or a Linux
# bridge ("lb") with the same priority, cost and timers: the tree must be
# the same either way.

ALL_TESTS="
	stp_errors
	ring_converges
	no_storm
	showstp_layout
	bpdu_decode
	root_moves
	failover
	tcn_fast_ageing
	malformed_bpdus
	bpdu_guard
	root_guard
	stp_off_floods_bpdus
	interop_linux_ring
	interop_linux_nonroot
	interop_linux_root
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd python3
require_cmd tcpdump

PRIO=([1]=0x1000 [2]=0x2000 [3]=0x3000)
KIND=()
TMPD=
MAX_AGE=6
FD=2
# 802.1D's bound for a blocked port to take over: max age + 2 forward
# delays; a slow (TCG) guest gets a few seconds more.
CONVERGE_MS=$(((MAX_AGE + 2 * FD + 8) * 1000))

ns() { echo "kbr-stp-$1-$$"; }
sx() { local n=$1; shift; ip netns exec "$(ns "s$n")" "$@"; }

# The ring's ports, "switch:port".
RING_PORTS="1:p12 1:p13 2:p21 2:p23 3:p31 3:p32"

# port_state N PORT
port_state()
{
	if [ "${KIND[$1]}" == kb ]; then
		sx "$1" kbrctl -j showstp sw |
			jq -r --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .state'
	else
		sx "$1" bridge -j link show dev "$2" | jq -r '.[0].state'
	fi
}

# root_id N: the root as switch N sees it, brctl's notation
root_id()
{
	if [ "${KIND[$1]}" == kb ]; then
		sx "$1" kbrctl -j showstp sw | jq -r '.[0].designated_root'
	else
		# sysfs: 6.1's IFLA_BR_ROOT_ID is the bridge's own id
		sx "$1" cat /sys/class/net/sw/bridge/root_id
	fi
}

bridge_id()
{
	if [ "${KIND[$1]}" == kb ]; then
		sx "$1" kbrctl -j showstp sw | jq -r '.[0].bridge_id'
	else
		sx "$1" cat /sys/class/net/sw/bridge/bridge_id
	fi
}

# blocked: the ring ports in blocking state, "N:port ..."
blocked()
{
	local sp out=

	for sp in $RING_PORTS; do
		[ "$(port_state "${sp%%:*}" "${sp#*:}")" == blocking ] &&
			out+="$sp "
	done
	echo "${out% }"
}

# settled: every ring port forwarding or blocking, one blocking
settled()
{
	local sp st n=0

	for sp in $RING_PORTS; do
		st=$(port_state "${sp%%:*}" "${sp#*:}")
		case $st in
		blocking) n=$((n + 1)) ;;
		forwarding) ;;
		*) return 1 ;;
		esac
	done
	[ "$n" -eq 1 ]
}

# ring_build K1 K2 K3: three switches of kinds kb/lb, their hosts, STP on
ring_build()
{
	local i p

	KIND=([1]=$1 [2]=$2 [3]=$3)
	for i in 1 2 3; do
		ns_create "$(ns "s$i")" "$(ns "h$i")" || return 1
	done
	# The ring: pNM in sN faces sM.
	ip -n "$(ns s1)" link add p12 type veth peer name p21 netns "$(ns s2)"
	ip -n "$(ns s2)" link add p23 type veth peer name p32 netns "$(ns s3)"
	ip -n "$(ns s3)" link add p31 type veth peer name p13 netns "$(ns s1)"
	for i in 1 2 3; do
		ip -n "$(ns "s$i")" link add ph type veth peer name eth0 \
			address "02:00:00:00:00:0$i" netns "$(ns "h$i")"
		ip -n "$(ns "h$i")" -batch - <<-EOF
			link set eth0 addrgenmode none
			link set eth0 up
			address add 192.0.2.$i/24 dev eth0
		EOF
		if [ "${KIND[$i]}" == kb ]; then
			sx "$i" kbrctl addbr sw &&
			sx "$i" kbrctl setbridgeprio sw "${PRIO[$i]}" &&
			sx "$i" kbrctl sethello sw 1 &&
			sx "$i" kbrctl setmaxage sw "$MAX_AGE" &&
			sx "$i" kbrctl setfd sw "$FD" &&
			sx "$i" kbrctl stp sw on || return 1
		else
			ip -n "$(ns "s$i")" link add sw type bridge stp_state 1 \
				priority $((PRIO[i])) hello_time 100 \
				forward_delay $((FD * 100)) \
				max_age $((MAX_AGE * 100)) || return 1
		fi
		for p in $(ip -n "$(ns "s$i")" -j link show type veth |
			   jq -r '.[].ifname'); do
			ip -n "$(ns "s$i")" link set "$p" addrgenmode none
			ip -n "$(ns "s$i")" link set "$p" master sw || return 1
			ip -n "$(ns "s$i")" link set "$p" up
		done
		ip -n "$(ns "s$i")" link set sw addrgenmode none
		ip -n "$(ns "s$i")" link set sw up
	done
}

ring_destroy()
{
	local i

	for i in 1 2 3; do
		ip netns del "$(ns "s$i")" 2>/dev/null
		ip netns del "$(ns "h$i")" 2>/dev/null
	done
	NETNS_LIST=()
}

# converge: wait for the tree; logs how long it took
converge()
{
	local start=$SECONDS

	busywait "$CONVERGE_MS" settled || return 1
	log_info "converged in about $((SECONDS - start)) s: blocked $(blocked)"
}

# pingx NS DEST: a reply within 2 s, three tries
pingx()
{
	local i

	for i in 1 2 3; do
		ip netns exec "$1" ping -q -c 1 -W 2 "$2" >/dev/null 2>&1 &&
			return 0
	done
	return 1
}

stp_errors()
{
	local n

	n=$(ns e1)
	ns_create "$n" || return
	ip netns exec "$n" kbrctl addbr kb0
	ip -n "$n" link add v1 type veth peer name v2
	ip netns exec "$n" kbrctl addif kb0 v1
	ex() { ip netns exec "$n" "$@"; }

	expect_output "showstp missing bridge" 1 "" \
		"bridge nosuch does not exist!" ex kbrctl showstp nosuch
	expect_output "showstp not a bridge" 1 "" \
		"device lo is not a bridge!" ex kbrctl showstp lo
	expect_output "stp bad keyword" 1 "" "expect on/off for argument" \
		ex kbrctl stp kb0 maybe
	expect_output "stp missing bridge" 1 "" \
		"set stp status failed: No such device" ex kbrctl stp nosuch on
	ex kbrctl stp kb0 on
	expect_output "setfd 1 with STP on" 1 "" \
		"set forward delay failed: Numerical result out of range" \
		ex kbrctl setfd kb0 1
	expect_output "setfd 31 with STP on" 1 "" \
		"set forward delay failed: Numerical result out of range" \
		ex kbrctl setfd kb0 31
	expect_output "sethello 0.5" 1 "" \
		"set hello timer failed: Numerical result out of range" \
		ex kbrctl sethello kb0 0.5
	expect_output "sethello 11" 1 "" \
		"set hello timer failed: Numerical result out of range" \
		ex kbrctl sethello kb0 11
	expect_output "setmaxage 5" 1 "" \
		"set max age failed: Numerical result out of range" \
		ex kbrctl setmaxage kb0 5
	expect_output "setmaxage 41" 1 "" \
		"set max age failed: Numerical result out of range" \
		ex kbrctl setmaxage kb0 41
	expect_output "setbridgeprio 70000" 1 "" \
		"set bridge priority failed: Numerical result out of range" \
		ex kbrctl setbridgeprio kb0 70000
	expect_output "setbridgeprio bad" 1 "" "bad priority" \
		ex kbrctl setbridgeprio kb0 abc
	expect_output "setpathcost 0" 1 "" \
		"set path cost failed: Numerical result out of range" \
		ex kbrctl setpathcost kb0 v1 0
	expect_output "setpathcost 70000" 1 "" \
		"set path cost failed: Numerical result out of range" \
		ex kbrctl setpathcost kb0 v1 70000
	expect_output "setportprio 64" 1 "" \
		"set port priority failed: Numerical result out of range" \
		ex kbrctl setportprio kb0 v1 64
	expect_output "setpathcost missing port" 1 "" \
		"set path cost failed: No such device" \
		ex kbrctl setpathcost kb0 nosuch 5
	expect_output "setpathcost not a port" 1 "" \
		"set path cost failed: No such file or directory" \
		ex kbrctl setpathcost kb0 v2 5
	expect_output "setportprio not a port" 1 "" \
		"set port priority failed: No such file or directory" \
		ex kbrctl setportprio kb0 lo 5
	expect_output "setfd missing bridge" 1 "" \
		"set forward delay failed: No such device" \
		ex kbrctl setfd nosuch 5
	expect_output "setfd not a bridge" 1 "" \
		"set forward delay failed: Operation not supported" \
		ex kbrctl setfd lo 5

	# Nothing changed by the refusals.
	ex kbrctl -j showstp kb0 | jq -e '.[0] | .bridge_forward_delay == 15 and
		.bridge_hello_time == 2 and .bridge_max_age == 20 and
		(.bridge_id | startswith("8000.")) and
		.ports[0].path_cost == 2 and .ports[0].port_id == "8001"' >/dev/null
	check_err $? "a refused setting changed something: $(ex kbrctl -j showstp kb0)"

	# Without STP any forward delay goes; turning STP on clamps it.
	ex kbrctl stp kb0 off && ex kbrctl setfd kb0 1 && ex kbrctl stp kb0 on
	ex kbrctl -j showstp kb0 | jq -e '.[0].bridge_forward_delay == 2' >/dev/null
	check_err $? "forward delay 1 s not clamped to 2 s when STP came on"
	ex kbrctl setfd kb0 31 2>/dev/null
	ex kbrctl stp kb0 off && ex kbrctl setfd kb0 31 && ex kbrctl stp kb0 on
	ex kbrctl -j showstp kb0 | jq -e '.[0].bridge_forward_delay == 30' >/dev/null
	check_err $? "forward delay 31 s not clamped to 30 s when STP came on"

	# Settings that are taken show up.
	ex kbrctl setbridgeprio kb0 4096 && ex kbrctl setportprio kb0 v1 2 &&
		ex kbrctl setpathcost kb0 v1 100 && ex kbrctl setfd kb0 2.5 &&
		ex kbrctl sethello kb0 1.5 && ex kbrctl setmaxage kb0 7
	check_err $? "valid settings refused"
	ex kbrctl -j showstp kb0 | jq -e '.[0] | (.bridge_id | startswith("1000.")) and
		.bridge_forward_delay == 2.5 and .bridge_hello_time == 1.5 and
		.bridge_max_age == 7 and .ports[0].port_id == "0801" and
		.ports[0].path_cost == 100' >/dev/null
	check_err $? "settings not shown: $(ex kbrctl -j showstp kb0)"
	ex kbrctl show kb0 | grep -q "^kb0		1000\.[0-9a-f]*	yes		v1$"
	check_err $? "show's STP column is not yes: $(ex kbrctl show kb0)"
	ip netns del "$n"
	NETNS_LIST=()
	log_test "STP settings: brctl's errors and ranges, nothing changed on error"
}

ring_converges()
{
	local i root

	if ! ring_build kb kb kb; then
		check_err 1 "ring setup failed"
		log_test "a ring of three kbridges converges"
		return
	fi
	converge
	check_err $? "no single blocked port after $CONVERGE_MS ms: $(blocked)"
	[ "$(blocked)" == "3:p32" ]
	check_err $? "blocked: $(blocked), want 3:p32"
	root=$(bridge_id 1)
	[[ $root == 1000.* ]]
	check_err $? "s1's bridge id is $root"
	for i in 2 3; do
		[ "$(root_id "$i")" == "$root" ]
		check_err $? "s$i's root is $(root_id "$i"), want $root"
	done
	[ "$(sx 2 kbrctl -j showstp sw | jq '.[0].root_port')" == \
	  "$(sx 2 kbrctl -j showstp sw | jq '.[0].ports[] | select(.ifname == "p21") | .port_no')" ]
	check_err $? "s2's root port is not p21"
	[ "$(sx 3 kbrctl -j showstp sw | jq '.[0].root_path_cost')" -eq 2 ]
	check_err $? "s3's root path cost is not 2"
	pingx "$(ns h2)" 192.0.2.3 && pingx "$(ns h3)" 192.0.2.1
	check_err $? "hosts do not reach each other over the tree"
	log_test "a ring of three kbridges converges: root s1, p32 blocked"
}

# count_frames NS FILE: tcpdump on NS's eth0 for our probe frames
count_start()
{
	ip netns exec "$1" timeout 6 tcpdump -i eth0 -nn -l -Q in \
		'ether proto 0x88b5' >"$2" 2>"$2.err" &
}

no_storm()
{
	local i n pids=()

	for i in 2 3; do
		count_start "$(ns "h$i")" "$TMPD/h$i"
		pids+=($!)
	done
	for i in 2 3; do
		busywait 5000 grep -q "listening on" "$TMPD/h$i.err"
	done
	ip netns exec "$(ns h1)" python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
s.send(b"\xff" * 6 + bytes.fromhex("020000000001") + b"\x88\xb5" + bytes(46))
'
	wait "${pids[@]}" 2>/dev/null
	for i in 2 3; do
		n=$(grep -c "ethertype Unknown (0x88b5)" "$TMPD/h$i")
		[ "$n" -eq 1 ]
		check_err $? "h$i got $n copies of h1's broadcast, want 1"
	done
	log_test "a broadcast reaches every host exactly once: no storm"
}

root_hello_runs()
{
	sx 1 kbrctl -j showstp sw | jq -e '.[0] | .hello_timer > 0 and
		all(.ports[]; .counters.config_tx > 0)' >/dev/null
}

showstp_layout()
{
	local out re

	out=$(sx 3 kbrctl showstp sw)
	# brctl's layout (../shared/reference/brctl-output.txt), timers
	# and addresses as patterns.
	T='[ 0-9]{4}\.[0-9]{2}'
	I='[0-9a-f]{4}\.[0-9a-f]{12}'
	re="^sw
 bridge id		3000\.[0-9a-f]{12}
 designated root	1000\.[0-9a-f]{12}
 root port		   [12]			path cost		   2
 max age		   6\.00			bridge max age		   6\.00
 hello time		   1\.00			bridge hello time	   1\.00
 forward delay		   2\.00			bridge forward delay	   2\.00
 ageing time		 300\.00
 hello timer		$T			tcn timer		$T
 topology change timer	$T			gc timer		$T
 flags			(TOPOLOGY_CHANGE )?(TOPOLOGY_CHANGE_DETECTED )?


p31 \([12]\)
 port id		800[12]			state		     forwarding
 designated root	1000\.[0-9a-f]{12}	path cost		   2
 designated bridge	1000\.[0-9a-f]{12}	message age timer	$T
 designated port	80[0-9a-f]{2}			forward delay timer	$T
 designated cost	   0			hold timer		$T
 flags			(CONFIG_PENDING )?(TOPOLOGY_CHANGE_ACK )?

p32 \([12]\)
 port id		800[12]			state		       blocking
 designated root	1000\.[0-9a-f]{12}	path cost		   2
 designated bridge	2000\.[0-9a-f]{12}	message age timer	$T
 designated port	80[0-9a-f]{2}			forward delay timer	$T
 designated cost	   2			hold timer		$T
 flags			(CONFIG_PENDING )?(TOPOLOGY_CHANGE_ACK )?

ph \(3\)
 port id		8003			state		     forwarding
 designated root	$I	path cost		   2
 designated bridge	$I	message age timer	$T
 designated port	8003			forward delay timer	$T
 designated cost	   2			hold timer		$T
 flags			(CONFIG_PENDING )?(TOPOLOGY_CHANGE_ACK )?$"
	[[ $out =~ $re ]]
	check_err $? "showstp of s3 is not brctl's layout:
$out"
	# A blocked port's information ages: its message age timer runs.
	sx 3 kbrctl -j showstp sw | jq -e '.[0].ports[] | select(.ifname == "p32") |
		.message_age_timer > 0 and .counters.config_rx > 0' >/dev/null
	check_err $? "p32's message age timer or BPDU counter does not run"
	busywait 3000 root_hello_runs
	check_err $? "the root's hello timer or BPDU counters do not run: $(sx 1 kbrctl -j showstp sw)"
	log_test "showstp: brctl's layout, every field; -j with counters"
}

# tshark_clean FILE: every packet a BPDU tshark decodes without complaint
tshark_clean()
{
	local out

	out=$(tshark -r "$1" -V 2>&1) || return 1
	grep -q "Spanning Tree Protocol" <<<"$out" &&
		! grep -Eqi "malformed|expert info \((error|warning)" <<<"$out"
}

bpdu_decode()
{
	local out n

	if ! command -v tshark >/dev/null; then
		log_skip "tshark not installed" "tshark decodes our BPDUs"
		return
	fi
	# Configuration BPDUs the root sends to h1.
	ip netns exec "$(ns h1)" timeout 10 tcpdump -i eth0 -c 3 -w "$TMPD/cfg.pcap" \
		'ether dst 01:80:c2:00:00:00' 2>/dev/null
	tshark_clean "$TMPD/cfg.pcap"
	check_err $? "tshark: $(tshark -r "$TMPD/cfg.pcap" -V 2>&1 | grep -Ei "malformed|expert|error" | head -3)"
	out=$(tshark -r "$TMPD/cfg.pcap" -V 2>/dev/null)
	n=$(grep -c "BPDU Type: Configuration (0x00)" <<<"$out")
	[ "$n" -eq 3 ] &&
		grep -q "Root Identifier: 4096 / 0 / " <<<"$out" &&
		grep -q "Root Path Cost: 0" <<<"$out" &&
		grep -q "Port identifier: 0x8003" <<<"$out" &&
		grep -q "Max Age: 6" <<<"$out" &&
		grep -q "Hello Time: 1" <<<"$out" &&
		grep -q "Forward Delay: 2" <<<"$out"
	check_err $? "tshark reads other fields: $(grep -E "BPDU Type|Identifier|Cost|Age|Time|Delay" <<<"$out" | head -12)"

	# A topology change notification, from s2's root port to s1.
	ip netns exec "$(ns s1)" timeout 20 tcpdump -i p12 -c 1 -w "$TMPD/tcn.pcap" \
		'ether dst 01:80:c2:00:00:00 and ether[20] = 0x80' 2>/dev/null &
	n=$!
	sleep 1
	ip -n "$(ns s2)" link add py type veth peer name pyh
	ip -n "$(ns s2)" link set pyh up
	sx 2 kbrctl addif sw py && ip -n "$(ns s2)" link set py up
	wait "$n"
	tshark_clean "$TMPD/tcn.pcap" &&
		tshark -r "$TMPD/tcn.pcap" -V 2>/dev/null |
		grep -q "BPDU Type: Topology Change Notification (0x80)"
	check_err $? "no clean TCN: $(tshark -r "$TMPD/tcn.pcap" -V 2>&1 | tail -8)"
	ip -n "$(ns s2)" link del py
	converge
	log_test "tshark decodes our configuration and TCN BPDUs cleanly"
}

root_moves()
{
	local mon

	sx 1 kbrctl monitor stp >"$TMPD/mon" 2>&1 &
	mon=$!
	sleep 0.5
	sx 3 kbrctl setbridgeprio sw 0x0800
	busywait "$CONVERGE_MS" root_is 1 "$(bridge_id 3)"
	check_err $? "s3 with the lowest priority did not become the root"
	converge
	check_err $? "no single blocked port after the root moved: $(blocked)"
	# Root s3; s1 and s2 reach it directly; on s1-s2, s1 (0x1000) wins.
	[ "$(blocked)" == "2:p21" ]
	check_err $? "blocked: $(blocked), want 2:p21"
	kill "$mon"
	grep -q "^stp root sw $(bridge_id 3) port [12] cost 2$" "$TMPD/mon" &&
		grep -q "^stp topology_change sw yes$" "$TMPD/mon"
	check_err $? "monitor stp on s1 missed the new root or the topology change: $(cat "$TMPD/mon")"

	sx 3 kbrctl setbridgeprio sw "${PRIO[3]}"
	busywait "$CONVERGE_MS" root_is 3 "$(bridge_id 1)"
	check_err $? "the root did not go back to s1"
	converge && [ "$(blocked)" == "3:p32" ]
	check_err $? "the tree did not return: blocked $(blocked)"
	log_test "a lower priority moves the root, and back"
}

# The failover's bounds.  Each timer hop may take up to HOP_SLACK_MS more
# than its nominal time (TCG is slow, another script runs beside this
# one, the debug kernel is slower still), never less: timers do not fire
# early.  A time read from a kernel timestamp gets TICK_MS less (the wire
# carries message age in 1/256 s, jiffies round); a hop between two
# monitor lines gets READ_LAG_MS less, since each line is stamped when
# read and the first may be read later than the second.
HOP_SLACK_MS=1000
[ "${KBR_DEBUG_KERNEL:-}" = 1 ] && HOP_SLACK_MS=3000
TICK_MS=10
READ_LAG_MS=250

# now_us: the wall clock in microseconds
now_us() { echo "${EPOCHREALTIME/./}"; }

# stamp: each line read, after the time it was read (now_us)
stamp()
{
	local l

	while IFS= read -r l; do
		echo "$(now_us) $l"
	done
}

# within WHAT US LO_MS HI_MS: WHAT took US microseconds, at least LO_MS
# and at most HI_MS milliseconds
within()
{
	local ms=$(($2 / 1000))

	[ "$ms" -ge "$3" ] && [ "$ms" -le "$4" ]
	check_err $? "$1 took $ms ms, want $3 to $4 ms"
	log_info "$1: $ms ms (bounds $3 to $4 ms)"
}

# line_us FILE STATE: when the stamped monitor FILE showed p32 in STATE
line_us()
{
	awk -v s="$2" '$2 == "stp" && $3 == "state" && $5 == "p32" &&
		       $6 == s { print $1; exit }' "$1"
}

# pcap_has_frame FILE: a 24-byte file header, a 16-byte record header and
# at least a minimal frame
pcap_has_frame()
{
	[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge 100 ]
}

# failover_test: the s1-s2 link fails; p32 must take over.
#
# 802.1D-1998 8.6.2, 8.6.11, 8.7: p32 holds s1's information, refreshed
# by every BPDU s2 relays.  Once s2 loses its root port it sends only
# worse information, which p32 ignores (s2 is the designated bridge
# there), so the stored information decides: p32 goes listening when its
# message age reaches max age, that is MAX_AGE - A after the last BPDU
# rooted at s1 arrived (A: that BPDU's message age, T: tcpdump's kernel
# timestamp of it), learning a forward delay later and forwarding
# another one after that.  An all-kbridge s3 shows each hop in its
# monitor; a Linux bridge s3 is polled, so only the whole is bounded.
failover_test()
{
	local start cap mon listen learn fwd t_info age info due

	# Not sx: $! must be the process to kill.  The last failover's
	# capture goes first: it would pass for this one's being live.
	rm -f "$TMPD/p32.pcap"
	ip netns exec "$(ns s3)" tcpdump -U -Q in -i p32 -w "$TMPD/p32.pcap" \
		'ether dst 01:80:c2:00:00:00' 2>/dev/null &
	cap=$!
	mon=
	if [ "${KIND[3]}" == kb ]; then
		ip netns exec "$(ns s3)" kbrctl monitor stp > >(stamp >"$TMPD/mon3") &
		mon=$!
	fi
	# The capture is live: a BPDU arrives once a hello time.
	busywait 5000 pcap_has_frame "$TMPD/p32.pcap"
	check_err $? "no BPDU captured on p32 before the failure"

	start=$(now_us)
	ip -n "$(ns s1)" link set p12 down
	busywait $(((MAX_AGE + 2 * FD) * 1000 + 3 * HOP_SLACK_MS)) test_port_forwarding 3 p32
	check_err $? "p32 did not take over after the s1-s2 link failed: $(port_state 3 p32)"
	fwd=$(now_us)
	if [ -n "$mon" ]; then
		busywait 2000 grep -q " state sw p32 forwarding\$" "$TMPD/mon3"
		check_err $? "no forwarding line for p32 in s3's monitor: $(cat "$TMPD/mon3")"
		kill "$mon"
		fwd=$(line_us "$TMPD/mon3" forwarding)
	fi
	kill "$cap" && wait "$cap"
	read -r t_info age < <(tshark -r "$TMPD/p32.pcap" -T fields \
		-e frame.time_epoch -e stp.msg_age \
		-Y "stp.type == 0 && stp.root.prio == $((PRIO[1]))" 2>/dev/null | tail -n 1)
	if [ -z "$age" ] || [ -z "$fwd" ]; then
		check_err 1 "no BPDU rooted at s1 on p32 or no forwarding time ($fwd); the BPDUs: $(tshark -r "$TMPD/p32.pcap" -T fields -e frame.time_epoch -e stp.type -e stp.root.prio -e stp.msg_age 2>&1 | tail -n 4 | tr '\n' ' ')"
	else
		# When it arrived and when p32's information expires, in
		# microseconds.
		info=$(awk -v t="$t_info" 'BEGIN { printf "%.0f", t * 1000000 }')
		due=$(awk -v t="$t_info" -v a="$age" -v m="$MAX_AGE" \
			'BEGIN { printf "%.0f", (t + m - a) * 1000000 }')
		log_info "failover: the last BPDU rooted at s1 came $(((start - info) / 1000)) ms before the failure, message age $age s"
		within "failover: link down to p32 forwarding" $((fwd - start)) \
			$(((due - start) / 1000 + 2 * FD * 1000 - TICK_MS)) \
			$(((due - start) / 1000 + 2 * FD * 1000 + 3 * HOP_SLACK_MS))
	fi
	if [ -n "$mon" ] && [ -n "$age" ]; then
		listen=$(line_us "$TMPD/mon3" listening)
		learn=$(line_us "$TMPD/mon3" learning)
		if [ -z "$listen" ] || [ -z "$learn" ]; then
			check_err 1 "p32 skipped listening or learning: $(cat "$TMPD/mon3")"
		else
			within "hop 1: s1's information on p32 ages out (listening)" \
				$((listen - due)) $((-TICK_MS)) "$HOP_SLACK_MS"
			within "hop 2: listening to learning" $((learn - listen)) \
				$((FD * 1000 - READ_LAG_MS)) $((FD * 1000 + HOP_SLACK_MS))
			within "hop 3: learning to forwarding" $((fwd - learn)) \
				$((FD * 1000 - READ_LAG_MS)) $((FD * 1000 + HOP_SLACK_MS))
		fi
	fi
	pingx "$(ns h1)" 192.0.2.2
	check_err $? "h1 cannot reach h2 around the ring"

	start=$(date +%s%N)
	ip -n "$(ns s1)" link set p12 up
	busywait "$CONVERGE_MS" test_blocked 3:p32
	check_err $? "the tree did not return after the link came back: $(blocked)"
	log_info "restore: p32 blocked again after $((($(date +%s%N) - start) / 1000000)) ms"
	converge
	# Entries learned around the ring age in the topology change that
	# follows: kbridge ages them in forward delay.  A Linux bridge keeps
	# forwarding to an entry until its garbage collector runs, which
	# may be long after (6.1 does not reschedule it when a topology
	# change starts): with one in the ring, h2 speaks first.
	if [[ " ${KIND[*]} " == *" lb "* ]]; then
		busywait 15000 pingx "$(ns h2)" 192.0.2.1
		check_err $? "h2 cannot reach h1 after the link came back"
	fi
	busywait 15000 pingx "$(ns h1)" 192.0.2.2
	check_err $? "h1 cannot reach h2 after the link came back"
}

root_is()
{
	[ "$(root_id "$1")" == "$2" ]
}

# tc N: switch N (a kbridge) signals a topology change
tc()
{
	sx "$1" kbrctl -j showstp sw |
		jq -e '.[0].flags | index("TOPOLOGY_CHANGE")' >/dev/null
}

no_tc()
{
	! tc "$1"
}

# knows N MAC: kbridge N has an FDB entry for MAC
knows()
{
	sx "$1" kbrctl -j showmacs sw |
		jq -e --arg m "$2" 'any(.[]; .mac == $m)' >/dev/null
}

forgot()
{
	! knows "$@"
}

# rx_bad N PORT
rx_bad()
{
	sx "$1" kbrctl -j showstp sw |
		jq --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .counters.rx_bad'
}

rx_bad_ge()
{
	[ "$(rx_bad 1 ph)" -ge "$1" ]
}

test_port_forwarding()
{
	[ "$(port_state "$1" "$2")" == forwarding ]
}

test_blocked()
{
	settled && [ "$(blocked)" == "$1" ]
}

failover()
{
	failover_test
	log_test "failover: the blocked port takes over, then the tree returns"
}

tcn_fast_ageing()
{
	local mac=02:00:00:00:00:01

	sx 3 kbrctl setageing sw 300
	# Wait for the last topology change to end everywhere.
	busywait 20000 no_tc 3
	check_err $? "a topology change does not end"
	pingx "$(ns h1)" 192.0.2.3
	knows 3 "$mac"
	check_err $? "s3 did not learn h1"
	sleep $((FD + 1))
	knows 3 "$mac"
	check_err $? "h1 aged out of s3 with no topology change"

	# A new port on s2 goes forwarding: s2 tells the root, the root
	# tells everybody, and every bridge ages in forward delay.
	ip -n "$(ns s2)" link add px type veth peer name pxh
	ip -n "$(ns s2)" link set pxh up
	sx 2 kbrctl addif sw px && ip -n "$(ns s2)" link set px up
	busywait 15000 tc 3
	check_err $? "s3 never saw the topology change"
	busywait 5000 forgot 3 "$mac"
	check_err $? "h1's entry on s3 did not age in forward delay"
	sx 1 kbrctl -j showstp sw | jq -e '.[0].ports[] | select(.ifname == "p12") |
		.counters.tcn_rx > 0' >/dev/null
	check_err $? "the root received no TCN from s2"
	ip -n "$(ns s2)" link del px
	log_test "topology change: TCN to the root, learned entries age in forward delay"
}

# bpdu_send KIND: a BPDU from h1 (see bpdu.py)
bpdu_send()
{
	ip netns exec "$(ns h1)" python3 "$(dirname "$0")/bpdu.py" eth0 "$1"
}

malformed_bpdus()
{
	local before after root k

	root=$(root_id 1)
	before=$(rx_bad 1 ph)
	for k in short proto version type maxage0 oldmsg fdhuge llc; do
		bpdu_send "$k"
	done
	busywait 5000 rx_bad_ge $((before + 8))
	after=$(rx_bad 1 ph)
	[ "$after" -eq $((before + 8)) ]
	check_err $? "rx_bad went from $before to $after, want +8"
	sleep 1
	[ "$(root_id 1)" == "$root" ] && settled && [ "$(blocked)" == "3:p32" ]
	check_err $? "malformed BPDUs changed the tree: root $(root_id 1), blocked $(blocked)"
	log_test "malformed BPDUs are counted and ignored"
}

# A lone kbridge with STP on and one port p1 to host namespace gh.
guard_setup()
{
	local g gh

	g=$(ns g)
	gh=$(ns gh)
	ns_create "$g" "$gh" || return 1
	ip netns exec "$g" kbrctl addbr kb0 &&
	ip netns exec "$g" kbrctl sethello kb0 1 &&
	ip netns exec "$g" kbrctl setmaxage kb0 "$MAX_AGE" &&
	ip netns exec "$g" kbrctl setfd kb0 "$FD" &&
	ip netns exec "$g" kbrctl stp kb0 on || return 1
	ip -n "$g" link add p1 type veth peer name eth0 netns "$gh"
	ip netns exec "$g" kbrctl addif kb0 p1 || return 1
	ip -n "$gh" link set eth0 addrgenmode none
	ip -n "$g" link set p1 up && ip -n "$gh" link set eth0 up &&
	ip -n "$g" link set kb0 up
}

gx() { ip netns exec "$(ns g)" "$@"; }

# gport KEY: p1's field in showstp -j
gport()
{
	gx kbrctl -j showstp kb0 | jq -c --arg k "$1" '.[0].ports[0][$k]'
}

gstate_is() { [ "$(gport state)" == "\"$1\"" ]; }
gcarrier()
{
	ip -n "$(ns g)" -j link show kb0 | jq -e '.[0].flags | index("LOWER_UP")' >/dev/null
}
gstate_not() { [ "$(gport state)" != "\"$1\"" ]; }

guard_bpdu()
{
	ip netns exec "$(ns gh)" python3 "$(dirname "$0")/bpdu.py" eth0 "$1"
}

bpdu_guard()
{
	if ! guard_setup; then
		check_err 1 "setup failed"
		log_test "bpduguard"
		return
	fi
	# As the Linux bridge: no carrier before a port forwards.
	! gcarrier
	check_err $? "kb0 has a carrier while p1 is $(gport state)"
	busywait "$CONVERGE_MS" gstate_is forwarding
	check_err $? "p1 never forwarded: $(gport state)"
	busywait 3000 gcarrier
	check_err $? "kb0 has no carrier with p1 forwarding"
	gx kbrctl setportflag kb0 p1 bpduguard on
	check_err $? "setportflag bpduguard on failed"
	guard_bpdu config
	busywait 3000 gstate_is disabled
	check_err $? "a BPDU on a bpduguard port left it $(gport state)"
	busywait 3000 eval '! gcarrier'
	check_err $? "kb0 kept its carrier with its only port disabled"
	[ "$(gport flags)" == '["BPDU_GUARD"]' ] &&
		[ "$(gport counters | jq .bpdu_guard)" -eq 1 ]
	check_err $? "flags $(gport flags), counters $(gport counters)"
	gx kbrctl showstp kb0 | grep -q "^ flags			BPDU_GUARD $"
	check_err $? "showstp does not show the BPDU_GUARD flag"
	# It stays out, link flaps or not, until the flag goes.
	ip -n "$(ns g)" link set p1 down && ip -n "$(ns g)" link set p1 up
	sleep 1
	gstate_is disabled
	check_err $? "a link flap brought a guarded port back"
	gx kbrctl setportflag kb0 p1 bpduguard off
	busywait "$CONVERGE_MS" gstate_is forwarding
	check_err $? "bpduguard off did not bring p1 back: $(gport state)"

	# With a recovery time the port comes back by itself.
	gx kbrctl setguardrecovery kb0 2 &&
		gx kbrctl setportflag kb0 p1 bpduguard on
	guard_bpdu tcn
	busywait 3000 gstate_is disabled
	check_err $? "a TCN on a bpduguard port left it $(gport state)"
	busywait 5000 gstate_not disabled
	check_err $? "p1 did not recover 2 s after BPDU guard tripped"
	gx kbrctl -j showstp kb0 | jq -e '.[0].bpdu_guard_recovery == 2' >/dev/null
	check_err $? "the recovery time is not shown"
	expect_output "setguardrecovery bad" 1 "" "bad recovery time value" \
		gx kbrctl setguardrecovery kb0 x
	expect_output "setguardrecovery 0.5" 1 "" \
		"set bpdu guard recovery failed: Numerical result out of range" \
		gx kbrctl setguardrecovery kb0 0.5
	expect_output "setportflag bpduguard not a port" 1 "" \
		"device lo is not a port of kb0" \
		gx kbrctl setportflag kb0 lo bpduguard on
	ip netns del "$(ns g)"
	ip netns del "$(ns gh)"
	NETNS_LIST=()
	log_test "bpduguard: a BPDU disables the port until the flag goes or recovery"
}

groot()
{
	gx kbrctl -j showstp kb0 | jq -r '.[0].designated_root'
}

groot_is()
{
	[ "$(groot)" == "$1" ]
}

root_guard()
{
	local own

	if ! guard_setup; then
		check_err 1 "setup failed"
		log_test "rootguard"
		return
	fi
	busywait "$CONVERGE_MS" gstate_is forwarding
	own=$(gx kbrctl -j showstp kb0 | jq -r '.[0].bridge_id')

	# Without the guard a superior BPDU takes the root away.
	guard_bpdu config
	busywait 3000 groot_is 0000.020000000001
	check_err $? "a superior BPDU did not move the root: $(groot)"
	busywait "$CONVERGE_MS" groot_is "$own"
	check_err $? "the superior root did not age out"

	gx kbrctl setportflag kb0 p1 rootguard on
	check_err $? "setportflag rootguard on failed"
	busywait "$CONVERGE_MS" gstate_is forwarding
	guard_bpdu config
	busywait 3000 gstate_is blocking
	check_err $? "a superior BPDU on a rootguard port left it $(gport state)"
	[ "$(groot)" == "$own" ] &&
		[ "$(gport flags)" == '["ROOT_INCONSISTENT"]' ] &&
		[ "$(gport counters | jq .root_guard)" -ge 1 ]
	check_err $? "root $(groot), flags $(gport flags), counters $(gport counters)"
	# Once the superior information ages out (max age) the port is
	# designated again and forwards.
	busywait "$CONVERGE_MS" gstate_is forwarding
	check_err $? "p1 did not come back after the superior BPDUs stopped"
	[ "$(gport flags)" == '[]' ]
	check_err $? "flags $(gport flags) after recovery"
	ip netns del "$(ns g)"
	ip netns del "$(ns gh)"
	NETNS_LIST=()
	log_test "rootguard: superior BPDUs block the port, never move the root"
}

stp_off_floods_bpdus()
{
	local n pid

	ring_destroy
	n=$(ns f)
	ns_create "$n" "$(ns h1)" "$(ns h2)" || return
	ip netns exec "$n" kbrctl addbr kb0
	for i in 1 2; do
		ip -n "$n" link add "p$i" type veth peer name eth0 netns "$(ns "h$i")"
		ip netns exec "$n" kbrctl addif kb0 "p$i"
		ip -n "$n" link set "p$i" up
		ip -n "$(ns "h$i")" link set eth0 up
	done
	ip -n "$n" link set kb0 up
	ip netns exec "$(ns h2)" timeout 5 tcpdump -i eth0 -nn -l -Q in \
		'ether dst 01:80:c2:00:00:00' >"$TMPD/bpdu" 2>"$TMPD/bpdu.err" &
	pid=$!
	busywait 5000 grep -q "listening on" "$TMPD/bpdu.err"
	bpdu_send tcn
	wait "$pid"
	[ "$(wc -l <"$TMPD/bpdu")" -ge 1 ]
	check_err $? "a BPDU was not flooded by a bridge with STP off"
	ip netns exec "$n" kbrctl -j showstp kb0 | jq -e '.[0].ports |
		all(.state == "forwarding")' >/dev/null
	check_err $? "with STP off, not every port is forwarding"
	ip netns del "$n"
	ip netns del "$(ns h1)"
	ip netns del "$(ns h2)"
	NETNS_LIST=()
	log_test "STP off: every port forwards, BPDUs are flooded"
}

# interop K1 K2 K3: the same tree and failover as the all-kbridge ring
interop()
{
	local root

	ring_destroy
	if ! ring_build "$@"; then
		check_err 1 "ring setup failed"
		return
	fi
	converge
	check_err $? "no single blocked port: $(blocked)"
	[ "$(blocked)" == "3:p32" ]
	check_err $? "blocked: $(blocked), want 3:p32"
	root=$(bridge_id 1)
	[ "$(root_id 2)" == "$root" ] && [ "$(root_id 3)" == "$root" ]
	check_err $? "roots: $(root_id 2), $(root_id 3), want $root"
	failover_test
}

interop_linux_ring()
{
	modprobe bridge
	interop lb lb lb
	log_test "reference: an all-Linux ring, same ids: root s1, p32 blocked"
}

interop_linux_nonroot()
{
	interop kb lb kb
	log_test "interop: a Linux bridge in the ring, kbridge the root"
}

interop_linux_root()
{
	interop lb kb kb
	log_test "interop: a Linux bridge the root of kbridges"
}

setup()
{
	TMPD=$(mktemp -d)
}

cleanup()
{
	ring_destroy
	lib_cleanup
	ip -all netns list 2>/dev/null | awk '{ print $1 }' |
		grep -- "-$$\$" | xargs -r -n1 ip netns del 2>/dev/null
	[ -n "$TMPD" ] && rm -rf "$TMPD"
}
trap cleanup EXIT

setup
tests_run
