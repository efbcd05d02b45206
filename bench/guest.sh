#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/guest.sh: the benchmark guest's side of "make bench" (scripts/bench
# boots the guest and turns what this prints into tables and plots).
#
# Usage: guest.sh OUT SECONDS ROUNDS TEST...
#   TEST is one of
#     CONTENDER:SIZE           pps of SIZE-byte frames (64 B: kbridge:60)
#     flood:CONTENDER:PORTS    unknown-unicast flood copies per second
#     rtt:CONTENDER            100 pings 10 ms apart
#     tcp:CONTENDER            one iperf3 TCP stream
#     fdb:CONTENDER:N          learn N new sources in one pass, then forward
#                              to N known destinations; dump, ageing, flush
#     newsrc:CONTENDER         pps of 64 B frames each from a new source:
#                              kbridge-evict, kbridge-refuse, ovs-evict (a
#                              cap of 1,000), linuxbr (no cap in 6.1)
#     stp:CONTENDER:TIMERS:FAILURE  two bridges, two paths: convergence and
#                              outage; TIMERS min or default, FAILURE down
#                              (carrier lost) or silent (tc drops all)
#   CONTENDER: direct mirred kbridge linuxbr ovs kbridge-vlan linuxbr-vlan
#   (stp: kbridge kbridge-rstp linuxbr ovs ovs-rstp; fdb: kbridge linuxbr)
# Appends one JSON object per measurement to OUT.
#
# Topology (BENCHMARKS.md):
#   netns gen: g0 ==veth== p0 [switch in the init netns] p1 ==veth== s0 :netns sink
# "direct" is g0 ==veth== s0 with nothing between.  pktgen sends on g0 at
# full speed to the sink's MAC; the sink drops at tc ingress (a matchall
# drop: the same cost behind every contender).  Counters are read from
# /proc/PID/net/dev of processes parked in the namespaces and time from
# $EPOCHREALTIME, so nothing forks while frames are counted.

set -u
OUT=$1 SECS=$2 ROUNDS=$3
shift 3
cd "$(dirname "$0")/.." || exit 1
# ovs_start, ovs_stop
# shellcheck source=selftests/ovs_lib.sh
source selftests/ovs_lib.sh
export PATH=$PWD/userspace:$PATH
KMOD=${KBR_KMOD:-$PWD/kmod/kbridge.ko}
PARKED=()
FIFO=

die()
{
	echo "bench: $*" >&2
	exit 1
}

# nap SECONDS: sleep without forking (a read that times out on a FIFO
# nobody writes to).
nap()
{
	read -r -t "$1" -u 9 _
}

# rx_of PID DEV: $RX = DEV's received packets in PID's netns.
rx_of()
{
	local name rp rest

	RX=0
	while read -r name _ rp rest; do
		if [ "$name" = "$2:" ]; then
			RX=$rp
			return
		fi
	done <"/proc/$1/net/dev"
}

# sent_of PID: $SENT = frames pktgen has sent on g0 in PID's netns.
sent_of()
{
	local k v rest

	SENT=0
	while read -r k v rest; do
		if [ "$k" = "pkts-sofar:" ]; then
			SENT=$v
			return
		fi
	done <"/proc/$1/net/pktgen/g0"
}

# softnet_drops: $DROPS = the sum of every CPU's backlog drops.
softnet_drops()
{
	local a b rest

	DROPS=0
	while read -r a b rest; do
		DROPS=$((DROPS + 16#$b))
	done </proc/net/softnet_stat
}

park()
{
	ip netns exec "$1" sleep 100000 &
	PARKED+=($!)
	PARK=$!
}

teardown()
{
	local p

	ip netns exec gen sh -c 'echo stop > /proc/net/pktgen/pgctrl' \
		2>/dev/null
	for p in "${PARKED[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	PARKED=()
	ip link del kb0 2>/dev/null
	ip link del kb1 2>/dev/null
	ip link del br0 2>/dev/null
	ip link del br1 2>/dev/null
	pgrep -x ovs-vswitchd >/dev/null && ovs_stop
	for p in gen sink ha hb; do
		ip netns del "$p" 2>/dev/null
	done
	for p in p0 p1 p2 p3 p4 p5 p6 p7 p8 p9 p10 p11 p12 p13 p14 p15 \
		 pa pb l1 l2; do
		ip link del "$p" 2>/dev/null
	done
}

# no_ipv6 [NS]: no IPv6 chatter (DAD, MLD, RS) in NS.
no_ipv6()
{
	local x=()

	[ $# -gt 0 ] && x=(ip netns exec "$1")
	"${x[@]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
}

# switch_up CONTENDER PORT...: PORTs (in the init netns, up) joined by
# CONTENDER.
switch_up()
{
	local c=$1 p

	shift
	case $c in
	kbridge | kbridge-vlan)
		kbrctl addbr kb0 || return 1
		if [ "$c" = kbridge-vlan ]; then
			kbrctl setvlanfiltering kb0 on || return 1
		fi
		for p in "$@"; do
			kbrctl addif kb0 "$p" || return 1
		done
		ip link set kb0 up
		;;
	linuxbr | linuxbr-vlan)
		ip link add br0 type bridge stp_state 0 \
			vlan_filtering "$([ "$c" = linuxbr-vlan ] && echo 1 || echo 0)" ||
			return 1
		for p in "$@"; do
			ip link set "$p" master br0 || return 1
		done
		ip link set br0 up
		;;
	ovs)
		ovs_start || return 1
		ovs-vsctl add-br ob0 || return 1
		for p in "$@"; do
			ovs-vsctl add-port ob0 "$p" || return 1
		done
		ip link set ob0 up
		;;
	mirred)
		# The null forwarder: what arrives on one port leaves by the
		# other (both ways: the ping that goes first needs its reply).
		[ $# -eq 2 ] || return 1
		for p in "$1:$2" "$2:$1"; do
			tc qdisc add dev "${p%:*}" clsact &&
				tc filter add dev "${p%:*}" ingress matchall \
					action mirred egress redirect dev "${p#*:}" ||
				return 1
		done
		;;
	*)
		return 1
		;;
	esac
}

# topology CONTENDER NSINKS [keep]: gen's g0 behind p0, NSINKS sink veths
# s1.. behind p1.., all joined by CONTENDER ("direct": g0 to s1, no
# switch).  The sinks drop what they receive at tc ingress unless "keep".
topology()
{
	local c=$1 n=$2 keep=${3:-} i ports=(p0)

	ip netns add gen && ip netns add sink || return 1
	no_ipv6 gen && no_ipv6 sink
	if [ "$c" = direct ]; then
		ip link add g0 netns gen type veth peer name s1 netns sink ||
			return 1
	else
		ip link add p0 type veth peer name g0 netns gen || return 1
		for i in $(seq 1 "$n"); do
			ip link add "p$i" type veth peer name "s$i" netns sink ||
				return 1
			ports+=("p$i")
		done
		for i in "${ports[@]}"; do
			ip link set "$i" up
		done
		switch_up "$c" "${ports[@]}" || return 1
	fi
	ip -n gen addr add 10.9.0.1/24 dev g0 && ip -n gen link set g0 up
	for i in $(seq 1 "$n"); do
		ip -n sink link set "s$i" up
	done
	ip -n sink addr add 10.9.0.2/24 dev s1
	# One ping so that every switch learns the sink (and its ARP entry).
	for i in 1 2 3 4 5; do
		ip netns exec gen ping -q -c 1 -W 2 10.9.0.2 >/dev/null && break
	done
	[ "$i" -lt 5 ] || return 1
	[ -n "$keep" ] && return 0
	for i in $(seq 1 "$n"); do
		tc -n sink qdisc add dev "s$i" clsact &&
			tc -n sink filter add dev "s$i" ingress matchall action drop ||
			return 1
	done
}

# pktgen NS DEV SIZE DSTMAC [COMMAND...]: send SIZE-byte frames on DEV in
# NS to DSTMAC ("count 0": endless) with the extra pktgen COMMANDs; returns
# when pktgen is done.
pktgen()
{
	local ns=$1 dev=$2 size=$3 mac=$4

	shift 4
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$ns" env D="$dev" S="$size" M="$mac" sh -c '
		echo rem_device_all > /proc/net/pktgen/kpktgend_0
		echo "add_device $D" > /proc/net/pktgen/kpktgend_0
		for c in "count 0" "clone_skb 0" "pkt_size $S" "delay 0" \
			 "dst 10.9.0.2" "dst_mac $M" "flag NO_TIMESTAMP" "$@"; do
			echo "$c" > "/proc/net/pktgen/$D" || exit 1
		done
		exec echo start > /proc/net/pktgen/pgctrl' sh "$@"
}

# pktgen_start SIZE DSTMAC [COMMAND...]: an endless flood on gen's g0.
pktgen_start()
{
	pktgen gen g0 "$@" &
	PARKED+=($!)
}

# snapshot SINKPID GENPID NSINKS: $SNAP = "time delivered sent drops",
# without forking; the time is taken right after the delivered counters
# (bash competes with pktgen for the one vCPU: anything read between them
# would skew the rate).
snapshot()
{
	local i rx=0 t

	for ((i = 1; i <= $3; i++)); do
		rx_of "$1" "s$i"
		rx=$((rx + RX))
	done
	t=$EPOCHREALTIME
	sent_of "$2"
	softnet_drops
	SNAP="$t $rx $SENT $DROPS"
}

# window NSINKS: park a process in gen and sink, warm up the flood that
# runs, count SECS seconds; $WIN = '"seconds":..,"delivered":..,...'
# (JSON members).
window()
{
	local n=$1 gen sink t0 t1 rx0 rx1 tx0 tx1 d0 d1

	park sink
	sink=$PARK
	park gen
	gen=$PARK
	nap 1
	sent_of "$gen"
	[ "$SENT" -gt 0 ] || nap 1
	# Warm up, then count.
	nap 1
	snapshot "$sink" "$gen" "$n"
	read -r t0 rx0 tx0 d0 <<<"$SNAP"
	nap "$SECS"
	snapshot "$sink" "$gen" "$n"
	read -r t1 rx1 tx1 d1 <<<"$SNAP"
	WIN=$(printf '"seconds":%s,"delivered":%d,"offered":%d,"softnet_drops":%d' \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')" \
		"$((rx1 - rx0))" "$((tx1 - tx0))" "$((d1 - d0))")
}

# failed TEST CONTENDER ROUND WHAT [MEMBERS]: record a failed measurement.
failed()
{
	echo "{\"test\":\"$1\",\"contender\":\"$2\",\"round\":$3${5:+,$5},\"error\":\"$4\"}" \
		>>"$OUT"
	teardown
	return 1
}

# measure NAME CONTENDER SIZE NSINKS ROUND: one measurement, one JSON line.
measure()
{
	local name=$1 c=$2 size=$3 n=$4 round=$5 mac
	local id="\"size\":$size,\"ports\":$((n + 1))"

	teardown
	topology "$c" "$n" ||
		failed "$name" "$c" "$round" "setup failed" "$id" || return 1
	mac=$(ip -n sink -j link show s1 | jq -r '.[0].address')
	# Unknown unicast for the flood test: nobody has this address.
	[ "$name" = flood ] && mac=02:99:99:99:99:99
	pktgen_start "$size" "$mac"
	window "$n"
	echo "{\"test\":\"$name\",\"contender\":\"$c\",$id,\"round\":$round,$WIN}" \
		>>"$OUT"
	teardown
}

# newsrc CONTENDER ROUND: 64 B frames to the sink, each from a source
# address the switch has not seen (pktgen counts through 1,000,000), so
# that every frame is learned anew.  With a cap of 1,000: kbridge-evict
# (the default policy: each frame evicts the oldest entry of p0, which
# holds the most; the sink's on p1 stays), kbridge-refuse (none is
# learned: the lockless refusal), ovs-evict (mac-table-size 1000, Open
# vSwitch's own fair eviction).  linuxbr has no cap in 6.1: it learns
# every one, its table growing.  Set beside the same switch's 64 B rate
# with one source, the difference is the cost per frame of learning.
newsrc()
{
	local c=$1 round=$2 mac id='"size":60,"ports":2'

	teardown
	topology "${c%-*}" 1 ||
		failed newsrc "$c" "$round" "setup failed" "$id" || return 1
	case $c in
	kbridge-evict) kbrctl setfdbmax kb0 1000 ;;
	kbridge-refuse)
		kbrctl setfdbmax kb0 1000 && kbrctl setfdbpolicy kb0 refuse ;;
	ovs-evict) ovs-vsctl set bridge ob0 other_config:mac-table-size=1000 ;;
	linuxbr) true ;;
	*) failed newsrc "$c" "$round" "no such contender" "$id"; return 1 ;;
	esac || failed newsrc "$c" "$round" "setting the cap failed" "$id" ||
		return 1
	mac=$(ip -n sink -j link show s1 | jq -r '.[0].address')
	pktgen_start 60 "$mac" "src_mac 02:00:00:00:00:00" \
		"src_mac_count 1000000"
	window 1
	echo "{\"test\":\"newsrc\",\"contender\":\"$c\",$id,\"round\":$round,$WIN}" \
		>>"$OUT"
	teardown
}

# rtt CONTENDER ROUND: 100 pings 10 ms apart from gen to sink.
rtt()
{
	local c=$1 round=$2 out

	teardown
	topology "$c" 1 keep || failed rtt "$c" "$round" "setup failed" ||
		return 1
	out=$(ip netns exec gen ping -n -q -c 100 -i 0.01 -W 1 10.9.0.2)
	# 100 packets transmitted, 100 received, 0% packet loss, time 1017ms
	# rtt min/avg/max/mdev = 0.070/0.100/0.300/0.020 ms
	awk -v c="$c" -v r="$round" '
		/packets transmitted/ { sent = $1; got = $4 }
		/^rtt/ { split($4, v, "/") }
		END {
			if (!sent || !(1 in v))
				exit 1
			printf "{\"test\":\"rtt\",\"contender\":\"%s\",\"round\":%d,\"sent\":%d,\"received\":%d,\"min_ms\":%s,\"avg_ms\":%s,\"max_ms\":%s,\"mdev_ms\":%s}\n",
			       c, r, sent, got, v[1], v[2], v[3], v[4]
		}' <<<"$out" >>"$OUT" || failed rtt "$c" "$round" "no ping summary"
	teardown
}

# features DEV: the offload features DEV has on, as a JSON array.
features()
{
	ethtool -k "$1" 2>/dev/null |
		awk -F': ' '$2 ~ /^on/ {
			sub(/^[ \t]+/, "", $1)
			printf "%s\"%s\"", n++ ? "," : "", $1
		} END { print "" }' | sed 's/^/[/; s/$/]/'
}

# tcp CONTENDER ROUND: one iperf3 TCP stream from gen to sink for SECS
# seconds, and how big the frames the sink received were (GSO/GRO kept
# through the switch: tens of kilobytes; lost: 1514 bytes).
tcp()
{
	local c=$1 round=$2 j rx0 rx1 f='[]' dev

	teardown
	topology "$c" 1 keep || failed tcp "$c" "$round" "setup failed" ||
		return 1
	case $c in
	kbridge*) dev=kb0 ;;
	linuxbr*) dev=br0 ;;
	ovs) dev=ob0 ;;
	*) dev= ;;
	esac
	[ -n "$dev" ] && f=$(features "$dev")
	ip netns exec sink iperf3 -s -1 -D -B 10.9.0.2 >/dev/null 2>&1
	nap 1
	rx0=$(ip -n sink -j -s link show s1 | jq -c '.[0].stats64.rx')
	j=$(ip netns exec gen iperf3 -c 10.9.0.2 -t "$SECS" -J 2>/dev/null)
	rx1=$(ip -n sink -j -s link show s1 | jq -c '.[0].stats64.rx')
	jq -nc --arg c "$c" --argjson r "$round" --argjson a "$rx0" \
		--argjson b "$rx1" --argjson f "$f" --argjson j "$j" '
		{test: "tcp", contender: $c, round: $r,
		 bits_per_second: $j.end.sum_received.bits_per_second,
		 retransmits: $j.end.sum_sent.retransmits,
		 sink_bytes_per_frame: (($b.bytes - $a.bytes) /
					([$b.packets - $a.packets, 1] | max)),
		 features: $f}' >>"$OUT" 2>/dev/null ||
		failed tcp "$c" "$round" "iperf3 failed"
	pkill -x iperf3
	teardown
}

# kmem: $KMEM = kernel memory that an FDB can take, in kB: slab plus
# vmalloc (a large hash table's bucket array is vmalloc'ed).
kmem()
{
	local k v rest

	KMEM=0
	while read -r k v rest; do
		case $k in
		Slab: | VmallocUsed:) KMEM=$((KMEM + v)) ;;
		esac
	done </proc/meminfo
}

# learned CONTENDER: how many addresses the switch has learned behind p1.
# kbridge has a counter; the Linux bridge is counted from a dump.
learned()
{
	case $1 in
	kbridge) kbrctl -j show kb0 | jq '.[0].fdb_learned' ;;
	linuxbr)
		bridge fdb show br br0 | grep ' dev p1 master br0' |
			grep -vc permanent
		;;
	esac
}

# gc_cost FUNCTION [COMMAND...]: guest microseconds one run of the FDB
# ageing collector FUNCTION took (ftrace function_graph; waits up to 12 s
# for a run, after COMMAND if given, which may start one), or null.
gc_cost()
{
	local t=/sys/kernel/debug/tracing f=$1 us i

	shift

	if ! { echo 0 >"$t/tracing_on" && echo nop >"$t/current_tracer" &&
		echo "$f" >"$t/set_graph_function" &&
		echo "$f" >"$t/set_ftrace_filter" &&
		echo 1 >"$t/max_graph_depth" &&
		echo function_graph >"$t/current_tracer" &&
		echo >"$t/trace" && echo 1 >"$t/tracing_on"; } 2>/dev/null; then
		echo null
		return
	fi
	[ $# -gt 0 ] && "$@"
	us=
	for i in $(seq 1 24); do
		nap 0.5
		# " 0) ! 1234.567 us |  kbr_fdb_gc [kbridge]();"
		us=$(awk -v f="$f" 'index($0, f) && / us / {
			for (i = 1; i < NF; i++)
				if ($(i + 1) == "us") { print $i; exit }
		}' "$t/trace")
		[ -n "$us" ] && break
	done
	echo 0 >"$t/tracing_on"
	echo nop >"$t/current_tracer"
	echo >"$t/set_ftrace_filter"
	echo >"$t/set_graph_function"
	echo "${us:-null}"
}

# timed COMMAND...: $SECS_TAKEN = how long COMMAND ran (guest time).
timed()
{
	local t0=$EPOCHREALTIME

	"$@" >/dev/null
	SECS_TAKEN=$(awk -v a="$t0" -v b="$EPOCHREALTIME" \
		'BEGIN { printf "%.6f", b - a }')
}

# fdb_scale CONTENDER N ROUND: N new source addresses arrive on p1 in one
# pass (pktgen on s1, src_mac_count N, to gen's address); then gen sends to
# those N addresses for SECS seconds (known unicast, dst_mac_count N); then
# one ageing-collector run is timed, the table dumped and flushed.
fdb_scale()
{
	local c=$1 n=$2 round=$3 gmac m0 m1 l0 l1 res d0 d1 gc refile win
	local id="\"entries\":$n" dump flush gcf

	teardown
	topology "$c" 1 ||
		failed fdb "$c" "$round" "setup failed" "$id" || return 1
	case $c in
	kbridge) kbrctl setfdbmax kb0 0 && gcf=kbr_fdb_gc ;;
	linuxbr) gcf=br_fdb_cleanup ;;
	*) false ;;
	esac || failed fdb "$c" "$round" "no FDB test for $c" "$id" ||
		return 1
	tc -n gen qdisc add dev g0 clsact &&
		tc -n gen filter add dev g0 ingress matchall action drop
	gmac=$(ip -n gen -j link show g0 | jq -r '.[0].address')
	d0=$(ip -n gen -j -s link show g0 | jq '.[0].stats64.rx.packets')
	l0=$(learned "$c")
	kmem
	m0=$KMEM
	pktgen sink s1 60 "$gmac" "count $n" "src_mac 02:00:00:00:00:00" \
		"src_mac_count $n" "dst 10.9.0.1"
	# "Result: OK: 51234567(c51200000+d34567) usec, 1000000 (60byte,0frags)"
	res=$(ip netns exec sink cat /proc/net/pktgen/s1 |
		awk '/Result: OK:/ { print $3; exit }')
	res=${res%%(*}
	d1=$(ip -n gen -j -s link show g0 | jq '.[0].stats64.rx.packets')
	l1=$(learned "$c")
	kmem
	m1=$KMEM
	pktgen_start 60 02:00:00:00:00:00 "dst_mac_count $n"
	window 1
	win=$WIN
	ip netns exec gen sh -c 'echo stop > /proc/net/pktgen/pgctrl'
	refile=null
	if [ "$c" = linuxbr ]; then
		# The Linux bridge's collector runs when the oldest entry is
		# due and walks every entry; a new ageing time makes it run
		# now.
		gc=$(gc_cost "$gcf" ip link set br0 type bridge ageing_time 30000)
	else
		# kbridge's runs every slot (10 s here) and looks only at the
		# entries due in it: none yet.  A new ageing time files every
		# entry again, once.
		gc=$(gc_cost "$gcf")
		refile=$(gc_cost "$gcf" kbrctl setageing kb0 600)
	fi
	case $c in
	kbridge)
		timed kbrctl showmacs kb0
		dump=$SECS_TAKEN
		timed kbrctl flush kb0
		;;
	linuxbr)
		timed bridge fdb show br br0
		dump=$SECS_TAKEN
		timed ip link set br0 type bridge fdb_flush
		;;
	esac
	flush=$SECS_TAKEN
	echo "{\"test\":\"fdb\",\"contender\":\"$c\",$id,\"round\":$round,\"learned\":$((l1 - l0)),\"learn_frames_delivered\":$((d1 - d0)),\"learn_usec\":${res:-null},\"kmem_kb\":$((m1 - m0)),\"gc_usec\":$gc,\"gc_refile_usec\":$refile,\"dump_seconds\":$dump,\"flush_seconds\":$flush,$win}" \
		>>"$OUT"
	teardown
}

# stp_bridges CONTENDER HELLO MAXAGE FD: X (root: priority 4096) with ports
# pa l1 l2 and Y with pb m1 m2, STP on with the given timers (seconds).  Y's
# m2 costs 20000, more than a 10G port's default in both 802.1D-1998 (2)
# and RSTP's table (2000), so Y's root port is m1 and m2 is the blocked
# alternate.  With RSTP the host ports pa and pb are edge ports (admin
# edge), as a host's port is configured on a switch; 802.1D has no such
# setting.
stp_bridges()
{
	local c=$1 h=$2 a=$3 f=$4 x y

	case $c in
	kbridge | kbridge-rstp)
		for x in kb0 kb1; do
			kbrctl addbr "$x" && kbrctl sethello "$x" "$h" &&
				kbrctl setmaxage "$x" "$a" || return 1
			if [ "$c" = kbridge ]; then
				kbrctl setfd "$x" "$f" && kbrctl stp "$x" on
			else
				# (RSTP's forward delay is 4 s or more)
				kbrctl setfd "$x" $((f < 4 ? 4 : f)) &&
					kbrctl stp "$x" rstp
			fi || return 1
		done
		kbrctl setbridgeprio kb0 4096 || return 1
		for x in kb0:pa kb0:l1 kb0:l2 kb1:pb kb1:m1 kb1:m2; do
			kbrctl addif "${x%:*}" "${x#*:}" || return 1
		done
		kbrctl setpathcost kb1 m2 20000 || return 1
		if [ "$c" = kbridge-rstp ]; then
			kbrctl setportflag kb0 pa edge on &&
				kbrctl setportflag kb1 pb edge on || return 1
		fi
		ip link set kb0 up && ip link set kb1 up
		;;
	linuxbr)
		for x in br0:4096 br1:32768; do
			ip link add "${x%:*}" type bridge stp_state 1 \
				priority "${x#*:}" hello_time $((h * 100)) \
				max_age $((a * 100)) forward_delay $((f * 100)) ||
				return 1
		done
		for x in br0:pa br0:l1 br0:l2 br1:pb br1:m1 br1:m2; do
			ip link set "${x#*:}" master "${x%:*}" || return 1
		done
		ip link set m2 type bridge_slave cost 20000 || return 1
		ip link set br0 up && ip link set br1 up
		;;
	ovs | ovs-rstp)
		ovs_start || return 1
		for x in ob0:4096 ob1:32768; do
			y=${x%:*}
			ovs-vsctl add-br "$y" || return 1
			if [ "$c" = ovs ]; then
				ovs-vsctl set bridge "$y" stp_enable=true \
					other_config:stp-priority="${x#*:}" \
					other_config:stp-hello-time="$h" \
					other_config:stp-max-age="$a" \
					other_config:stp-forward-delay="$f"
			else
				# (RSTP's forward delay is 4 s or more)
				ovs-vsctl set bridge "$y" rstp_enable=true \
					other_config:rstp-priority="${x#*:}" \
					other_config:rstp-hello-time="$h" \
					other_config:rstp-max-age="$a" \
					other_config:rstp-forward-delay=$((f < 4 ? 4 : f))
			fi || return 1
		done
		for x in ob0:pa ob0:l1 ob0:l2 ob1:pb ob1:m1 ob1:m2; do
			ovs-vsctl add-port "${x%:*}" "${x#*:}" || return 1
		done
		if [ "$c" = ovs ]; then
			ovs-vsctl set port m2 other_config:stp-path-cost=20000
		else
			ovs-vsctl set port m2 other_config:rstp-path-cost=20000 &&
				ovs-vsctl set port pa \
					other_config:rstp-port-admin-edge=true &&
				ovs-vsctl set port pb \
					other_config:rstp-port-admin-edge=true
		fi || return 1
		ip link set ob0 up && ip link set ob1 up
		;;
	*)
		return 1
		;;
	esac
}

# stp CONTENDER TIMERS FAILURE ROUND: host a (netns ha) on X, host b (hb) on
# Y, two links X-Y (l1-m1 forwarding, l2-m2 blocked).  a pings b every
# 10 ms from the moment the ports come up: the first reply is the initial
# convergence.  Three seconds after it, l1-m1 fails: its carrier goes
# ("down") or tc drops everything on it ("silent"); the outage is the
# longest gap between replies from then on.
stp()
{
	local c=$1 timers=$2 fail=$3 round=$4 h=1 a=6 f=2 span l t0 n1 n2 tf log
	local id="\"timers\":\"$timers\",\"failure\":\"$fail\"" ping

	[ "$timers" = default ] && h=2 a=20 f=15
	# long enough for max age + 2 x forward delay, with room to spare
	span=$((a + 2 * f + 10))
	teardown
	ip netns add ha && ip netns add hb && no_ipv6 ha && no_ipv6 hb &&
		ip link add pa type veth peer name a0 netns ha &&
		ip link add pb type veth peer name b0 netns hb &&
		ip link add l1 type veth peer name m1 &&
		ip link add l2 type veth peer name m2 &&
		stp_bridges "$c" "$h" "$a" "$f" ||
		failed stp "$c" "$round" "setup failed" "$id" || return 1
	ip -n ha addr add 10.9.1.1/24 dev a0 && ip -n ha link set a0 up &&
		ip -n hb addr add 10.9.1.2/24 dev b0 && ip -n hb link set b0 up
	log=$(mktemp)
	t0=$EPOCHREALTIME
	for l in pa pb l1 m1 l2 m2; do
		ip link set "$l" up
	done
	ip netns exec ha ping -D -n -i 0.01 -W 1 10.9.1.2 >"$log" 2>&1 &
	ping=$!
	for ((l = 0; l < 2 * (2 * f + a + 20); l++)); do
		grep -q 'bytes from' "$log" && break
		nap 0.5
	done
	# Which link carries the pings (the failure must hit their path).
	rx_of "$$" l1
	n1=$RX
	rx_of "$$" l2
	n2=$RX
	nap 3
	rx_of "$$" l1
	n1=$((RX - n1))
	rx_of "$$" l2
	n2=$((RX - n2))
	id+=",\"path\":\"$([ "$n1" -gt "$n2" ] && echo l1 || echo l2)\""
	tf=$EPOCHREALTIME
	if [ "$fail" = down ]; then
		ip link set l1 down
	else
		for l in l1 m1; do
			tc qdisc add dev "$l" clsact &&
				tc filter add dev "$l" ingress matchall action drop
		done
	fi
	nap "$span"
	kill -INT "$ping"
	wait "$ping"
	# [1764470000.123456] 64 bytes from 10.9.1.2: icmp_seq=12 ttl=64 ...
	awk -v c="$c" -v r="$round" -v id="$id" -v t0="$t0" -v tf="$tf" \
		-v w="$span" '
		/packets transmitted/ { sent = $1 }
		/bytes from/ {
			t = substr($1, 2, length($1) - 2) + 0
			split($6, q, "=")
			s = q[2] + 0
			if (!first)
				first = t
			if (t <= tf) {
				last_before = t; seq_before = s
				next
			}
			gap = t - (prev > tf ? prev : tf)
			if (gap > outage)
				outage = gap
			if (!after++)
				seq_first_after = s
			prev = t; seq_last = s
		}
		END {
			printf "{\"test\":\"stp\",\"contender\":\"%s\",%s,\"round\":%d,", c, id, r
			if (!first) {
				printf "\"error\":\"no reply\"}\n"
				exit
			}
			printf "\"converged_seconds\":%.3f,", first - t0
			if (!after) {
				printf "\"outage_seconds\":null,\"recovered\":false,\"waited_seconds\":%d}\n", w
				exit
			}
			# replies that stopped again before the end: no recovery
			ok = prev >= tf + w - 1
			if (!ok && tf + w - prev > outage)
				outage = tf + w - prev
			# pings sent after the failure that got no reply
			printf "\"outage_seconds\":%.3f,\"lost\":%d,\"recovered\":%s}\n",
			       outage, (sent ? sent : seq_last) - seq_before - after,
			       ok ? "true" : "false"
		}' "$log" >>"$OUT"
	rm -f "$log"
	teardown
}

[ "$(nproc)" -eq 1 ] || echo "bench: $(nproc) CPUs (icount runs use one)" >&2
modprobe pktgen || die "no pktgen"
modprobe veth && modprobe sch_ingress 2>/dev/null
# Floods put a copy per port on the backlog at once: room for 16 ports'
# worth of pktgen bursts, so that copies are counted, not dropped.
sysctl -qw net.core.netdev_max_backlog=10000
lsmod | grep -q '^kbridge ' || insmod "$KMOD" || die "cannot load $KMOD"
no_ipv6
FIFO=$(mktemp -u)
if ! mkfifo "$FIFO" || ! exec 9<>"$FIFO"; then
	die "no FIFO"
fi
rm -f "$FIFO"
trap teardown EXIT

# Rounds alternate the order (ABBA...) so that nothing slow drifts into
# one contender only.
tests=("$@")
for r in $(seq 1 "$ROUNDS"); do
	order=("${tests[@]}")
	if [ $((r % 2)) -eq 0 ]; then
		order=()
		for ((i = ${#tests[@]} - 1; i >= 0; i--)); do
			order+=("${tests[i]}")
		done
	fi
	for t in "${order[@]}"; do
		IFS=: read -r a b c d <<<"$t"
		# Rates get rounds (ABBA); the rest is measured once.
		case $a in
		rtt | tcp | fdb | stp) [ "$r" -eq 1 ] || continue ;;
		esac
		case $a in
		flood) measure flood "$b" 60 "$((c - 1))" "$r" ;;
		newsrc) newsrc "$b" "$r" ;;
		rtt) rtt "$b" "$r" ;;
		tcp) tcp "$b" "$r" ;;
		fdb) fdb_scale "$b" "$c" "$r" ;;
		stp) stp "$b" "$c" "$d" "$r" ;;
		*) measure pps "$a" "$b" 1 "$r" ;;
		esac
		echo "# round $r $t: $(tail -n 1 "$OUT")" >&2
	done
done
