#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: alone (it unloads kbridge)
#
# Faults under load: a pktgen flood through a bridge with STP on while
# concurrent loops change everything there is to change (STP on/off, its
# mode (802.1D or RSTP) and timers, priorities and costs, ports in and
# out, port flags and RSTP's edge and p2p settings, links
# down and up, MTUs and addresses, ageing, caps, static entries, flushes,
# VLAN filtering on and off, its protocol, memberships and PVIDs),
# read everything there is to read, and churn other bridges; then scale
# (many bridges, many ports on one), then the module goes while it all
# runs.  The kernel must log nothing (run.sh checks dmesg) and the bridge
# must still forward afterwards.
#
# KBR_STRESS_SECONDS (default 20), KBR_STRESS_BRIDGES (100) and
# KBR_STRESS_PORTS (64) make it long: "make stress".

ALL_TESTS="
	concurrent_changes
	tap_close_under_load
	loop_storm
	many_bridges
	many_ports
	unload_under_load
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

SECONDS_=${KBR_STRESS_SECONDS:-20}
BRIDGES=${KBR_STRESS_BRIDGES:-100}
PORTS=${KBR_STRESS_PORTS:-64}
NS=kbr-stress-$$
H=()
PIDS=()

setup()
{
	local i

	ns_create "$NS" || return 1
	nsx kbrctl addbr ks0 || return 1
	for i in 1 2 3 4; do
		H[i]=kbr-stress-h$i-$$
		ns_create "${H[i]}" || return 1
		ip -n "$NS" link add "p$i" type veth peer name eth0 netns "${H[i]}"
		ip -n "${H[i]}" address add "192.0.2.$i/24" dev eth0
		ip -n "${H[i]}" link set eth0 up
		ip -n "$NS" link set "p$i" up
		nsx kbrctl addif ks0 "p$i" || return 1
	done
	nsx kbrctl sethello ks0 1 && nsx kbrctl setfd ks0 2 &&
		nsx kbrctl stp ks0 on && ip -n "$NS" link set ks0 up
}

# loop SECONDS CMD...: CMD again and again, errors ignored; the number of
# rounds lands in $TMPD/CMD
loop()
{
	local end=$((SECONDS + $1)) n=0

	shift
	while [ "$SECONDS" -lt "$end" ]; do
		"$@" >/dev/null 2>&1
		n=$((n + 1))
	done
	echo "$n" >"$TMPD/$1"
}

r() { echo $((RANDOM % $1)); }

stp_churn()
{
	local modes=(on off rstp)

	nsx kbrctl stp ks0 "${modes[$(r 3)]}"
	# 2 and 3 s are refused while RSTP runs (its least is 4 s).
	nsx kbrctl setfd ks0 $((2 + $(r 4)))
	nsx kbrctl sethello ks0 $((1 + $(r 2)))
	nsx kbrctl setmaxage ks0 $((6 + $(r 4)))
	nsx kbrctl setbridgeprio ks0 $(($(r 16) * 4096))
	nsx kbrctl setpathcost ks0 "p$((1 + $(r 4)))" $((1 + $(r 100)))
	nsx kbrctl setportprio ks0 "p$((1 + $(r 4)))" "$(r 64)"
	nsx kbrctl settxholdcount ks0 $((1 + $(r 10)))
}

port_churn()
{
	local p=p$((3 + $(r 2)))
	local flag

	flag=$(echo learning flood mcast_flood bcast_flood isolated hairpin \
		bpduguard rootguard edge autoedge loopguard | tr ' ' '\n' | shuf -n 1)
	nsx kbrctl delif ks0 "$p"
	nsx kbrctl addif ks0 "$p"
	nsx kbrctl setportflag ks0 "$p" "$flag" "$( [ "$(r 2)" -eq 0 ] && echo on || echo off)"
	nsx kbrctl setportflag ks0 "p$((1 + $(r 4)))" p2p "$(echo on off auto | tr ' ' '\n' | shuf -n 1)"
	# Refused unless ks0 runs RSTP just now.
	nsx kbrctl migrate ks0 "p$((1 + $(r 4)))" 2>/dev/null
	nsx kbrctl setportfdbmax ks0 "$p" "$(r 50)"
}

link_churn()
{
	ip -n "$NS" link set p2 down
	ip -n "$NS" link set p2 up
	ip -n "$NS" link set p4 mtu $((1280 + $(r 300)))
	ip -n "$NS" link set p4 address "02:40:00:00:00:$(printf %02x "$(r 256)")"
}

fdb_churn()
{
	nsx kbrctl flush ks0
	nsx kbrctl setageing ks0 "$(r 3)"
	nsx kbrctl setfdbmax ks0 "$(r 2000)"
	nsx kbrctl setfdbpolicy ks0 "$( [ "$(r 2)" -eq 0 ] && echo evict || echo refuse)"
	nsx kbrctl setfdbstaticmax ks0 "$(r 3)"
	nsx kbrctl fdb add ks0 p2 "02:50:00:00:00:$(printf %02x "$(r 256)")"
	nsx kbrctl fdb del ks0 p2 "02:50:00:00:00:$(printf %02x "$(r 256)")"
	nsx kbrctl flush ks0 p1 all
}

vlan_churn()
{
	local p=p$((1 + $(r 4))) v=$((1 + $(r 4094)))

	nsx kbrctl setvlanfiltering ks0 "$( [ "$(r 2)" -eq 0 ] && echo on || echo off)"
	nsx kbrctl setvlanproto ks0 "$( [ "$(r 4)" -eq 0 ] && echo 802.1ad || echo 802.1q)"
	nsx kbrctl vlan add ks0 "$p" "$v-$((v + $(r $((4095 - v)))))"
	nsx kbrctl vlan add ks0 "$p" $((1 + $(r 4094))) pvid untagged
	nsx kbrctl vlan del ks0 "$p" "$v"
	nsx kbrctl vlan add ks0 self "$v"
	nsx kbrctl setdefaultpvid ks0 "$(r 3)"
	nsx kbrctl vlan show >/dev/null
}

readers()
{
	nsx kbrctl show
	nsx kbrctl -j showstp ks0
	nsx kbrctl showmacs ks0
	nsx kbrctl fdb show
	nsx kbrctl -j show
}

bridge_churn()
{
	local b

	b=kbx$(r 4)

	nsx kbrctl addbr "$b"
	ip -n "$NS" link add "${b}a" type veth peer name "${b}b"
	nsx kbrctl addif "$b" "${b}a" "${b}b"
	nsx kbrctl stp "$b" "$( [ "$(r 2)" -eq 0 ] && echo on || echo rstp)"
	ip -n "$NS" link set "${b}a" up
	ip -n "$NS" link set "${b}b" up
	ip -n "$NS" link set "$b" up
	ip -n "$NS" link del "$b"
	ip -n "$NS" link del "${b}a"
}

concurrent_changes()
{
	local pid

	flood_start "${H[1]}" 02:30:00:00:00:00 1024 MACSRC_RND
	check_err $? "no pktgen"
	loop "$SECONDS_" stp_churn &
	PIDS+=($!)
	loop "$SECONDS_" port_churn &
	PIDS+=($!)
	loop "$SECONDS_" link_churn &
	PIDS+=($!)
	loop "$SECONDS_" fdb_churn &
	PIDS+=($!)
	loop "$SECONDS_" vlan_churn &
	PIDS+=($!)
	loop "$SECONDS_" readers &
	PIDS+=($!)
	loop "$SECONDS_" bridge_churn &
	PIDS+=($!)
	for pid in "${PIDS[@]}"; do
		wait "$pid"
	done
	flood_stop
	log_info "rounds: STP $(<"$TMPD/stp_churn"), ports $(<"$TMPD/port_churn"), links $(<"$TMPD/link_churn"), FDB $(<"$TMPD/fdb_churn"), VLANs $(<"$TMPD/vlan_churn"), readers $(<"$TMPD/readers"), other bridges $(<"$TMPD/bridge_churn")"
	PIDS=()

	# Back to a plain bridge: it must forward.
	nsx kbrctl stp ks0 off
	nsx kbrctl setvlanfiltering ks0 off
	nsx kbrctl setvlanproto ks0 802.1q
	for p in p1 p2 p3 p4; do
		nsx kbrctl addif ks0 "$p" 2>/dev/null
		ip -n "$NS" link set "$p" up
		for f in learning flood mcast_flood bcast_flood; do
			nsx kbrctl setportflag ks0 "$p" "$f" on
		done
		for f in isolated bpduguard rootguard; do
			nsx kbrctl setportflag ks0 "$p" "$f" off
		done
		nsx kbrctl setportfdbmax ks0 "$p" 0
	done
	nsx kbrctl setfdbmax ks0 0 && nsx kbrctl setageing ks0 300
	ip -n "$NS" link set p4 mtu 1500
	pingx "${H[2]}" 192.0.2.3 2 5
	check_err $? "the bridge does not forward after the churn"
	log_test "$SECONDS_ s of concurrent changes under a flood"
}

# port_gone BR PORT: PORT is no longer a port of BR
port_gone()
{
	nsx kbrctl -j show "$1" |
		jq -e --arg p "$2" '.[0].interfaces | arrays | index($p) == null' >/dev/null
}

# fdb_mac MAC: the port ks0 has learned MAC on ("" if none)
fdb_mac()
{
	nsx kbrctl -j showmacs ks0 | jq -r --arg m "$1" '.[] | select(.mac == $m) | .ifname'
}

# vm_learned MAC: on vm0
vm_learned()
{
	[ "$(fdb_mac "$1")" == vm0 ]
}

# ping_vm N: H[2] pings the Nth VM until it answers
ping_vm()
{
	ip netns exec "${H[2]}" ping -q -c 1 -W 2 "192.0.2.5$1" >/dev/null 2>&1
}

# rx PORT: PORT's received frames
rx()
{
	ip -n "$NS" -s -j link show "$1" | jq '.[0].stats64.rx.packets'
}

tx()
{
	ip -n "$NS" -s -j link show "$1" | jq '.[0].stats64.tx.packets'
}

# A VM's tap on the bridge, flooded; the VM goes away (its process is
# killed, which closes the tap): the port and its entries go with it.
tap_close_under_load()
{
	local i pid tx0

	modprobe tun
	check_err $? "no tun"
	flood_start "${H[1]}" 02:30:00:00:00:00 1024 MACSRC_RND
	check_err $? "no pktgen"
	for i in 1 2 3; do
		ip netns exec "$NS" python3 "$(dirname "$0")/tapvm.py" vm0 \
			"02:60:00:00:00:0$i" "192.0.2.5$i" >"$TMPD/tapvm$i" 2>&1 &
		pid=$!
		# python3 starting under the flood: not a timing check
		busywait 20000 grep -q ready "$TMPD/tapvm$i"
		check_err $? "round $i: the tap did not come up: $(cat "$TMPD/tapvm$i")"
		nsx kbrctl addif ks0 vm0 && ip -n "$NS" link set vm0 up
		check_err $? "round $i: the tap does not join the bridge"
		tx0=$(tx vm0)
		busywait 20000 ping_vm "$i"
		check_err $? "round $i: the VM does not answer through the flood"
		vm_learned "02:60:00:00:00:0$i"
		check_err $? "round $i: the VM's MAC is not learned on its tap"
		[ "$(tx vm0)" -gt $((tx0 + 100)) ]
		check_err $? "round $i: the flood does not reach the tap"
		kill -9 "$pid"
		wait "$pid" 2>/dev/null
		busywait 10000 port_gone ks0 vm0
		check_err $? "round $i: the closed tap is still a port"
		[ -z "$(fdb_mac "02:60:00:00:00:0$i")" ]
		check_err $? "round $i: the VM's entry outlived its tap"
	done
	flood_stop
	pingx "${H[2]}" 192.0.2.3 2 5
	check_err $? "the bridge does not forward after the taps went"
	log_test "3 VMs' taps closed under a flood"
}

# loop_storm_start: kls with a sender port and two loops (veth pairs with
# both ends on kls), STP off; one broadcast starts the storm.
loop_storm_start()
{
	nsx kbrctl addbr kls || return 1
	ip -n "$NS" link add si type veth peer name sp || return 1
	ip -n "$NS" link add la type veth peer name lb || return 1
	ip -n "$NS" link add lc type veth peer name ld || return 1
	nsx kbrctl addif kls sp la lb lc ld || return 1
	nsx kbrctl sethello kls 1 && nsx kbrctl setfd kls 2 || return 1
	for p in si sp la lb lc ld kls; do
		ip -n "$NS" link set "$p" up || return 1
	done
	# The loop ports' own IPv6 chatter (MLD, DAD) may have started the
	# storm already, and then this send may find the queue full: fine.
	nsx python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("si", 0))
s.send(b"\xff" * 6 + bytes.fromhex("020000000077") + b"\x88\xb5" + bytes(46))
' 2>/dev/null
	return 0
}

# storming PORT: PORT received more than 1,000 frames in a second
storming()
{
	local n

	n=$(rx "$1")
	sleep 1
	[ "$(rx "$1")" -gt $((n + 1000)) ]
}

# A physical loop with STP off is the user's choice: the storm must not
# take the host with it, and "kbrctl stp on" must end it.
loop_storm()
{
	local n start

	loop_storm_start
	check_err $? "setting up the loop failed"
	storming la
	check_err $? "no storm with STP off (the loop does not loop)"
	sleep 3
	start=$(date +%s%3N)
	timeout 60 ip netns exec "$NS" kbrctl show kls >/dev/null
	check_err $? "kbrctl show does not answer during the storm"
	log_info "kbrctl show during the storm: $(($(date +%s%3N) - start)) ms"
	timeout 60 ip netns exec "$NS" kbrctl stp kls on
	check_err $? "kbrctl stp on does not answer during the storm"
	sleep 2
	! storming la && ! storming lc
	check_err $? "the storm goes on with STP on"
	# Converged: each loop has one end blocked, and stays quiet.
	busywait 20000 port_forwarding la
	check_err $? "la does not reach forwarding"
	[ "$(stp_state lb)" == blocking ] && [ "$(stp_state ld)" == blocking ]
	check_err $? "loop ends not blocked: lb $(stp_state lb), ld $(stp_state ld)"
	n=$(rx la)
	sleep 3
	[ "$(rx la)" -lt $((n + 20)) ]
	check_err $? "frames still loop after convergence: $(($(rx la) - n)) in 3 s"
	ip -n "$NS" link del kls
	ip -n "$NS" link del si
	ip -n "$NS" link del la
	ip -n "$NS" link del lc
	log_test "a loop storm with STP off: the host survives, STP on ends it"
}

stp_state()
{
	nsx kbrctl -j showstp kls |
		jq -r --arg p "$1" '.[0].ports[] | select(.ifname == $p) | .state'
}

port_forwarding()
{
	[ "$(stp_state "$1")" == forwarding ]
}

many_bridges()
{
	local i start=$SECONDS

	for ((i = 0; i < BRIDGES; i++)); do
		echo "link add kbm$i type kbridge"
	done | ip -n "$NS" -batch -
	check_err $? "creating $BRIDGES bridges failed"
	[ "$(nsx kbrctl -j show | jq '[.[] | select(.ifname | startswith("kbm"))] | length')" -eq "$BRIDGES" ]
	check_err $? "kbrctl show does not list $BRIDGES bridges"
	for ((i = 0; i < BRIDGES; i++)); do
		echo "link del kbm$i"
	done | ip -n "$NS" -batch -
	check_err $? "deleting them failed"
	log_info "$BRIDGES bridges created and deleted in $((SECONDS - start)) s"
	log_test "$BRIDGES bridges created, listed, deleted"
}

# all_designated BR: every port of BR has the RSTP role designated
all_designated()
{
	nsx kbrctl -j showstp "$1" |
		jq -e '.[0].ports | length > 0 and all(.role == "designated")' >/dev/null
}

many_ports()
{
	local i start=$SECONDS ports=()

	nsx kbrctl addbr kbp || return
	for ((i = 0; i < PORTS; i++)); do
		echo "link add q$i type veth peer name qp$i"
	done | ip -n "$NS" -batch -
	for ((i = 0; i < PORTS; i++)); do
		ports+=("q$i")
	done
	nsx kbrctl addif kbp "${ports[@]}"
	check_err $? "adding $PORTS ports failed"
	nsx kbrctl stp kbp on
	for ((i = 0; i < PORTS; i++)); do
		echo "link set q$i up"
		echo "link set qp$i up"
	done | ip -n "$NS" -batch -
	ip -n "$NS" link set kbp up
	[ "$(nsx kbrctl -j showstp kbp | jq '.[0].ports | length')" -eq "$PORTS" ]
	check_err $? "showstp does not list $PORTS ports"
	# RSTP over them all: each port, with no bridge beyond it, is
	# designated as soon as the machines run (5 s is margin).
	nsx kbrctl stp kbp rstp
	busywait 5000 all_designated kbp
	check_err $? "with RSTP on $PORTS ports, roles: $(nsx kbrctl -j showstp kbp | jq -c '[.[0].ports[].role] | group_by(.) | map({(.[0]): length}) | add')"
	ip -n "$NS" link del kbp
	check_err $? "deleting the bridge with $PORTS ports failed"
	for ((i = 0; i < PORTS; i++)); do
		echo "link del q$i"
	done | ip -n "$NS" -batch -
	log_info "$PORTS ports added, shown and torn down in $((SECONDS - start)) s"
	log_test "one bridge with $PORTS ports, 802.1D then RSTP on"
}

# unload: rmmod kbridge, its complaint kept in $TMPD/rmmod.err
unload()
{
	rmmod kbridge 2>"$TMPD/rmmod.err"
}

unload_under_load()
{
	local i

	# RSTP on the flooded bridge: its flushes may be in flight.
	nsx kbrctl stp ks0 rstp
	for i in 1 2 3; do
		nsx kbrctl addbr "kbu$i"
		ip -n "$NS" link add "u$i" type veth peer name "up$i"
		nsx kbrctl addif "kbu$i" "u$i"
		nsx kbrctl stp "kbu$i" "$( [ "$i" -eq 2 ] && echo rstp || echo on)"
		ip -n "$NS" link set "u$i" up
		ip -n "$NS" link set "up$i" up
		ip -n "$NS" link set "kbu$i" up
	done
	flood_start "${H[1]}" 02:30:00:00:00:00 1024 MACSRC_RND
	loop 10 readers &
	PIDS+=($!)
	sleep 2
	# Each netlink dump holds a reference on the module while it runs,
	# and the readers dump all the time: rmmod refuses ("in use") when
	# it meets one, so it is tried again while the load goes on.
	busywait 5000 unload
	check_err $? "rmmod under load failed for 5 s: $(<"$TMPD/rmmod.err")"
	kill -0 "${PIDS[0]}"
	check_err $? "the readers stopped before rmmod went through"
	flood_stop
	kill "${PIDS[@]}" 2>/dev/null
	wait "${PIDS[@]}" 2>/dev/null
	PIDS=()
	! nsx kbrctl show >/dev/null 2>&1 || [ -z "$(nsx kbrctl -j show | jq -r '.[]')" ]
	check_err $? "bridges survived the unload"
	kbr_load
	check_err $? "the module does not load again"
	log_test "rmmod with STP bridges, a flood and readers running"
}

cleanup()
{
	flood_stop
	[ ${#PIDS[@]} -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null
	lib_cleanup
}
trap cleanup EXIT

if ! setup; then
	echo "Bail out! setup failed"
	exit "$ksft_fail"
fi
tests_run
