#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1D spanning tree, the ring's dynamics (see stp_lib.sh): the root
# moves and comes back, the blocked port takes over within its timers
# when a link fails, a topology change ages learned entries in forward
# delay.

ALL_TESTS="
	ring_converges
	root_moves
	failover
	tcn_fast_ageing
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

root_moves()
{
	local mon

	# The monitor reports a change of the flag: the topology change of
	# the ring coming up must be over on s1 (max age + forward delay
	# after its last TCN) before the root moves.
	busywait 20000 no_tc 1
	check_err $? "s1's topology change does not end"
	# Not through sx: $! must be kbrctl itself.
	kbrctl -n "$(ns s1)" monitor stp >"$TMPD/mon" 2>&1 &
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

stp_run
