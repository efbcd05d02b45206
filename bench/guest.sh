#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/guest.sh: the benchmark guest's side of "make bench" (scripts/bench
# boots the guest and turns what this prints into tables and plots).
#
# Usage: guest.sh OUT SECONDS ROUNDS TEST...
#   TEST is CONTENDER:SIZE (64 B pps: kbridge:60) or flood:CONTENDER:PORTS.
#   CONTENDER: direct mirred kbridge linuxbr ovs kbridge-vlan linuxbr-vlan
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

ovs_start()
{
	mountpoint -q /etc/openvswitch ||
		mount -t tmpfs tmpfs /etc/openvswitch || return 1
	mkdir -p /var/run/openvswitch /var/log/openvswitch
	rm -f /etc/openvswitch/conf.db
	ovsdb-tool create /etc/openvswitch/conf.db \
		/usr/share/openvswitch/vswitch.ovsschema || return 1
	# (their log lines go to /var/log/openvswitch, not to the console)
	ovsdb-server --remote=punix:/var/run/openvswitch/db.sock \
		--pidfile --detach --log-file 2>/dev/null || return 1
	ovs-vsctl --no-wait init || return 1
	modprobe openvswitch || return 1
	ovs-vswitchd --pidfile --detach --log-file 2>/dev/null || return 1
}

ovs_stop()
{
	ovs-appctl -t ovs-vswitchd exit 2>/dev/null
	ovs-appctl -t ovsdb-server exit 2>/dev/null
	rmmod openvswitch 2>/dev/null
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
	ip link del br0 2>/dev/null
	pgrep -x ovs-vswitchd >/dev/null && ovs_stop
	ip netns del gen 2>/dev/null
	ip netns del sink 2>/dev/null
	for p in p0 p1 p2 p3 p4 p5 p6 p7 p8 p9 p10 p11 p12 p13 p14 p15; do
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

# topology CONTENDER NSINKS: gen's g0 behind p0, NSINKS sink veths s1..
# behind p1.., all joined by CONTENDER ("direct": g0 to s1, no switch).
topology()
{
	local c=$1 n=$2 i ports=(p0)

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
	for i in $(seq 1 "$n"); do
		tc -n sink qdisc add dev "s$i" clsact &&
			tc -n sink filter add dev "s$i" ingress matchall action drop ||
			return 1
	done
}

# pktgen_start SIZE DSTMAC: an endless flood of SIZE-byte frames on g0.
pktgen_start()
{
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec gen env S="$1" M="$2" sh -c '
		echo rem_device_all > /proc/net/pktgen/kpktgend_0
		echo "add_device g0" > /proc/net/pktgen/kpktgend_0
		for c in "count 0" "clone_skb 0" "pkt_size $S" "delay 0" \
			 "dst 10.9.0.2" "dst_mac $M" "flag NO_TIMESTAMP"; do
			echo "$c" > /proc/net/pktgen/g0 || exit 1
		done
		exec echo start > /proc/net/pktgen/pgctrl' &
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

# measure NAME CONTENDER SIZE NSINKS ROUND: one measurement, one JSON line.
measure()
{
	local name=$1 c=$2 size=$3 n=$4 round=$5 mac gen sink
	local t0 t1 rx0 rx1 tx0 tx1 d0 d1

	teardown
	if ! topology "$c" "$n"; then
		teardown
		printf '{"test":"%s","contender":"%s","size":%d,"ports":%d,"error":"setup failed"}\n' \
			"$name" "$c" "$size" "$((n + 1))" >>"$OUT"
		return 1
	fi
	mac=$(ip -n sink -j link show s1 | jq -r '.[0].address')
	# Unknown unicast for the flood test: nobody has this address.
	[ "$name" = flood ] && mac=02:99:99:99:99:99
	park sink
	sink=$PARK
	park gen
	gen=$PARK
	pktgen_start "$size" "$mac"
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
	printf '{"test":"%s","contender":"%s","size":%d,"ports":%d,"round":%d,"seconds":%s,"delivered":%d,"offered":%d,"softnet_drops":%d}\n' \
		"$name" "$c" "$size" "$((n + 1))" "$round" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')" \
		"$((rx1 - rx0))" "$((tx1 - tx0))" "$((d1 - d0))" >>"$OUT"
	teardown
}

[ "$(nproc)" -eq 1 ] || echo "bench: $(nproc) CPUs (icount runs use one)" >&2
modprobe pktgen || die "no pktgen"
modprobe veth && modprobe sch_ingress 2>/dev/null
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
		IFS=: read -r a b c <<<"$t"
		if [ "$a" = flood ]; then
			measure flood "$b" 60 "$((c - 1))" "$r"
		else
			measure pps "$a" "$b" 1 "$r"
		fi
		echo "# round $r $t: $(tail -n 1 "$OUT")" >&2
	done
done
