#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzzing, short enough for every run (KBR_FUZZ_MESSAGES and
# KBR_FUZZ_FRAMES make it long): generated generic-netlink requests
# against bridges, ports, foreign devices and devices that do not exist,
# as root and without CAP_NET_ADMIN; then malformed and random frames
# into the ports of a bridge with STP on (802.1D and RSTP) and off.  The kernel must answer
# every request, drop and count bad frames, keep forwarding good ones,
# and log nothing (run.sh checks dmesg).

ALL_TESTS="
	netlink_fuzz_root
	netlink_fuzz_unprivileged
	wire_fuzz_stp_on
	wire_fuzz_stp_off
	wire_fuzz_rstp
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd python3

MESSAGES=${KBR_FUZZ_MESSAGES:-4000}
FRAMES=${KBR_FUZZ_FRAMES:-3000}
SEED=${KBR_FUZZ_SEED:-$RANDOM}
NS=kbr-fuzz-$$
A=kbr-fuzz-a-$$
B=kbr-fuzz-b-$$
DIR=$(cd "$(dirname "$0")" && pwd)

# The netlink fuzzer's targets: two kbridges with ports, a Linux bridge
# with a port, free veths, lo.
nl_setup()
{
	local i

	nsx kbrctl addbr kbfuzz0 && nsx kbrctl addbr kbfuzz1 || return 1
	for i in 0 1 2 3 4 5; do
		ip -n "$NS" link add "fz$i" type veth peer name "fzp$i" || return 1
		ip -n "$NS" link set "fz$i" up
		ip -n "$NS" link set "fzp$i" up
	done
	nsx kbrctl addif kbfuzz0 fz0 fz1 && nsx kbrctl addif kbfuzz1 fz2 ||
		return 1
	modprobe bridge
	ip -n "$NS" link add lbfuzz type bridge &&
		ip -n "$NS" link set fz3 master lbfuzz
}

readback()
{
	local br

	nsx kbrctl show >/dev/null || return 1
	for br in $(nsx kbrctl -j show | jq -r '.[].ifname'); do
		nsx kbrctl showmacs "$br" >/dev/null &&
			nsx kbrctl showstp "$br" >/dev/null &&
			nsx kbrctl fdb show "$br" >/dev/null || return 1
	done
}

# consistent: what kbrctl reads (genetlink) agrees with rtnetlink: the
# same kbridges, each with the ports rtnetlink gives it as their master;
# every FDB entry points at one of them (or the bridge).  Prints what
# disagrees.
consistent()
{
	local br want got ports bad

	want=$(ip -n "$NS" -j -d link show type kbridge | jq -r '[.[].ifname] | sort | join(" ")')
	got=$(nsx kbrctl -j show | jq -r '[.[].ifname] | sort | join(" ")')
	if [ "$want" != "$got" ]; then
		echo "kbridges: kbrctl lists '$got', rtnetlink '$want'"
		return 1
	fi
	for br in $got; do
		want=$(ip -n "$NS" -j link show master "$br" | jq -r '[.[].ifname] | sort | join(" ")')
		ports=$(nsx kbrctl -j show "$br" | jq -c '.[0].interfaces | arrays')
		if [ -z "$ports" ]; then
			echo "$br: kbrctl -j show $br lists no interfaces array"
			return 1
		fi
		got=$(jq -r 'sort | join(" ")' <<<"$ports")
		if [ "$want" != "$got" ]; then
			echo "$br: kbrctl lists ports '$got', rtnetlink '$want'"
			return 1
		fi
		bad=$(nsx kbrctl -j showmacs "$br" | jq -c --arg br "$br" --argjson p "$ports" \
			'[.[] | select(.ifname != $br and (.ifname as $i | $p | index($i) | not))]')
		if [ "$bad" != "[]" ]; then
			echo "$br: FDB entries on no port: $bad"
			return 1
		fi
	done
}

# settings_stick: valid settings made after the fuzz read back as set.
settings_stick()
{
	local want got

	nsx kbrctl addbr kbfuzz9 &&
		ip -n "$NS" link add fzs type veth peer name fzsp &&
		nsx kbrctl addif kbfuzz9 fzs || return 1
	nsx kbrctl stp kbfuzz9 on && nsx kbrctl setbridgeprio kbfuzz9 4096 &&
		nsx kbrctl setfd kbfuzz9 5 && nsx kbrctl sethello kbfuzz9 3 &&
		nsx kbrctl setmaxage kbfuzz9 11 && nsx kbrctl setageing kbfuzz9 77 &&
		nsx kbrctl setpathcost kbfuzz9 fzs 1234 &&
		nsx kbrctl setportprio kbfuzz9 fzs 7 &&
		nsx kbrctl setportflag kbfuzz9 fzs flood off &&
		nsx kbrctl fdb add kbfuzz9 fzs 02:00:00:00:99:01 || return 1
	want='true 1000 5 3 11 77 1234 7 false 02:00:00:00:99:01'
	got=$(nsx kbrctl -j showstp kbfuzz9 | jq -r '.[0] | [.stp_enabled,
		(.bridge_id | split(".")[0]), .bridge_forward_delay,
		.bridge_hello_time, .bridge_max_age, .ageing_time,
		.ports[0].path_cost, .ports[0].priority] | join(" ")')
	got+=" $(nsx kbrctl -j show kbfuzz9 | jq -r '.[0].ports[0].flags | index("flood") != null')"
	got+=" $(nsx kbrctl -j showmacs kbfuzz9 | jq -r '.[] | select(.is_local | not) | .mac')"
	ip -n "$NS" link del kbfuzz9
	ip -n "$NS" link del fzs
	[ "$want" == "$got" ] || { echo "read back '$got', want '$want'"; return 1; }
}

netlink_fuzz_root()
{
	local out

	out=$(nsx "$DIR/kbr_nl_fuzz" -n "$MESSAGES" -s "$SEED" kbfuzz0 \
	      kbfuzz1 fz0 fz1 fz2 fz3 fz4 fz5 fzp0 lbfuzz lo)
	check_err $? "$(tail -n 3 <<<"$out")"
	log_info "$(grep '^# seed' <<<"$out" | cut -c3-)"
	# The fuzz creates and deletes bridges of its own: whatever is
	# left must read back whole, agree with rtnetlink, and take valid
	# settings as before.
	readback
	check_err $? "the bridges left do not read back after the fuzz"
	out=$(consistent)
	check_err $? "state after the fuzz: $out"
	out=$(settings_stick)
	check_err $? "settings after the fuzz: $out"
	log_test "netlink fuzz as root: $MESSAGES generated requests, all answered"
}

netlink_fuzz_unprivileged()
{
	local out before after

	if ! command -v setpriv >/dev/null; then
		log_skip "setpriv not installed" "netlink fuzz without CAP_NET_ADMIN"
		return
	fi
	before=$(nsx kbrctl -j show; nsx kbrctl -j showmacs kbfuzz0 2>/dev/null)
	out=$(nsx setpriv --reuid=65534 --regid=65534 --clear-groups \
	      --inh-caps=-all "$DIR/kbr_nl_fuzz" -e -n "$((MESSAGES / 2))" \
	      -s "$((SEED + 1))" kbfuzz0 kbfuzz1 fz0 fz1 fz2 fz3 fz4 lo)
	check_err $? "$(tail -n 3 <<<"$out")"
	log_info "$(grep '^# seed' <<<"$out" | cut -c3-)"
	after=$(nsx kbrctl -j show; nsx kbrctl -j showmacs kbfuzz0 2>/dev/null)
	# Timers and ages move on; the bridges, ports and entries may not.
	strip()
	{
		jq -c 'if type == "array" then map(del(.age, .gc_timer)) else . end' 2>/dev/null
	}
	[ "$(strip <<<"$before")" == "$(strip <<<"$after")" ]
	check_err $? "requests without CAP_NET_ADMIN changed something"
	log_test "netlink fuzz without CAP_NET_ADMIN: every change EPERM, nothing changed"
}

# A bridge between hosts A (the fuzzer, 192.0.2.1) and B (192.0.2.2).
wire_setup()
{
	ns_create "$A" "$B" || return 1
	nsx kbrctl addbr kbw0 || return 1
	ip -n "$NS" link add w1 type veth peer name eth0 netns "$A"
	ip -n "$NS" link add w2 type veth peer name eth0 netns "$B"
	nsx kbrctl addif kbw0 w1 w2 || return 1
	ip -n "$A" address add 192.0.2.1/24 dev eth0
	ip -n "$B" address add 192.0.2.2/24 dev eth0
	ip -n "$A" link set eth0 up && ip -n "$B" link set eth0 up &&
		ip -n "$NS" link set w1 up && ip -n "$NS" link set w2 up &&
		ip -n "$NS" link set kbw0 up
}

ports_forwarding()
{
	nsx kbrctl -j showstp kbw0 |
		jq -e '.[0].ports | all(.state == "forwarding")' >/dev/null
}

# w1_bad: malformed BPDUs counted on w1 so far
w1_bad()
{
	nsx kbrctl -j showstp kbw0 |
		jq '.[0].ports[] | select(.ifname == "w1") | .counters.rx_bad'
}

wire_fuzz()
{
	local stp=$1 sent bad

	# Short timers first: a running forward delay timer keeps its value.
	nsx kbrctl sethello kbw0 1 && nsx kbrctl setfd kbw0 2 &&
		nsx kbrctl stp kbw0 "$stp"
	busywait 15000 ports_forwarding
	check_err $? "ports not forwarding before the fuzz"
	bad=$(w1_bad)
	sent=$(ip netns exec "$A" python3 "$DIR/wirefuzz.py" eth0 "$FRAMES" "$SEED")
	check_err $? "the wire fuzzer failed"
	log_info "STP $stp: $sent of $FRAMES frames sent (seed $SEED)"
	# With RSTP, a valid BPDU in the fuzz may have w1 carry a root's
	# information, and w2 start over: an edge port again within 3 s.
	busywait 10000 pingx "$A" 192.0.2.2
	check_err $? "good frames no longer cross the bridge"
	if [ "$stp" == on ]; then
		bad=$(($(w1_bad) - bad))
		log_info "malformed BPDUs counted on w1: $bad"
		[ "$bad" -gt 0 ]
		check_err $? "no malformed BPDU was counted"
		ports_forwarding
		check_err $? "the fuzz moved a port out of forwarding"
	elif [ "$stp" == rstp ]; then
		# Valid BPDUs among the fuzz may move roles for a while;
		# the malformed ones are counted.
		bad=$(($(w1_bad) - bad))
		log_info "malformed BPDUs counted on w1: $bad"
		[ "$bad" -gt 0 ]
		check_err $? "no malformed BPDU was counted"
	fi
}

wire_fuzz_stp_on()
{
	if ! wire_setup; then
		check_err 1 "setup failed"
		log_test "wire fuzz, STP on"
		return
	fi
	wire_fuzz on
	log_test "wire fuzz with STP on: bad frames dropped and counted, good ones pass"
}

wire_fuzz_stp_off()
{
	wire_fuzz off
	log_test "wire fuzz with STP off: nothing breaks, good frames pass"
}

wire_fuzz_rstp()
{
	wire_fuzz rstp
	log_test "wire fuzz with RSTP: bad frames dropped and counted, good ones pass"
}

cleanup()
{
	lib_cleanup
}
trap cleanup EXIT

if ! ns_create "$NS" || ! nl_setup; then
	echo "Bail out! setup failed"
	exit "$ksft_fail"
fi
tests_run
