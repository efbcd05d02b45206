#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1D spanning tree, the ring's dynamics (see stp_lib.sh): the root
# moves and comes back, the blocked port takes over within its timers
# when a link fails, a topology change ages learned entries in forward
# delay, and the hello and TCN timers stop when their role ends, however
# often it comes and goes.

ALL_TESTS="
	ring_converges
	root_moves
	failover
	tcn_fast_ageing
	hello_timer_follows_root
	tcn_timer_stops_on_ack
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

# always CMD...: CMD holds at ten tries a quarter of a second apart.  A
# timer left running re-arms every hello time (1 s here), so it is
# pending at every one of them.
always()
{
	local i

	for i in 1 2 3 4 5 6 7 8 9 10; do
		"$@" || return 1
		nap 0.25	# fails: it times out
	done
	return 0
}

# timers N: kbridge N's root, timers and flags, for a failure message
timers()
{
	sx "$1" kbrctl -j showstp sw | jq -c '.[0] | {designated_root, bridge_id,
		hello_timer, tcn_timer, topology_change_timer, flags}'
}

# hello_running N, hello_stopped N: kbridge N's hello timer
hello_running()
{
	sx "$1" kbrctl -j showstp sw | jq -e '.[0].hello_timer > 0' >/dev/null
}

hello_stopped()
{
	sx "$1" kbrctl -j showstp sw | jq -e '.[0].hello_timer == 0' >/dev/null
}

not_root()
{
	[ "$(root_id "$1")" != "$(bridge_id "$1")" ]
}

# 802.1D-1998 8.7.3: only the root runs the hello timer.  s3, cut off
# from the ring, is its own root and says hello; back in the ring, s1's
# next BPDU takes the role from it, and its hello timer is stopped under
# stp_lock, maybe while the timer's callback waits for that lock on the
# other CPU (a callback that re-armed the timer whenever STP was on left
# it running then, for good).  Five times; then, the tree settled,
# neither s3 nor s2 may run a hello timer.  A timer never stopped fails
# this at the first sample; the race itself is a microsecond window a
# second, which a test can only hope to hit.
hello_timer_follows_root()
{
	local i

	for i in 1 2 3 4 5; do
		ip -n "$(ns s3)" -batch - <<-EOF
			link set p31 down
			link set p32 down
		EOF
		# The far ends (p13, p23) hear of it through linkwatch (up
		# to 1 s); these waits end as soon as the state is there.
		busywait 10000 hello_running 3
		check_err $? "s3, cut off and its own root, runs no hello timer"
		ip -n "$(ns s3)" -batch - <<-EOF
			link set p31 up
			link set p32 up
		EOF
		# s1 says hello every second.
		busywait 10000 not_root 3
		check_err $? "s3 back in the ring stays the root"
	done
	converge && [ "$(blocked)" == "3:p32" ] && root_is 3 "$(bridge_id 1)"
	check_err $? "the tree did not return: root $(root_id 3), blocked $(blocked)"
	always hello_stopped 3
	check_err $? "s3 runs a hello timer without being the root: $(timers 3)"
	always hello_stopped 2
	check_err $? "s2 runs a hello timer without being the root: $(timers 2)"
	log_test "hello timer: only the root's runs, after the role came and went five times"
}

# tcn_quiet N PORT COUNT: kbridge N has no topology change to tell, its
# TCN timer is stopped, and its root port PORT has sent COUNT TCNs
tcn_quiet()
{
	sx "$1" kbrctl -j showstp sw |
		jq -e --arg p "$2" --argjson n "$3" '.[0] |
			.tcn_timer == 0 and
			((.flags // []) | index("TOPOLOGY_CHANGE_DETECTED") == null) and
			([.ports[] | select(.ifname == $p) | .counters.tcn_tx] == [$n])' \
		>/dev/null
}

tcn_tx()
{
	sx "$1" kbrctl -j showstp sw |
		jq -r --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .counters.tcn_tx'
}

detection_over()
{
	sx "$1" kbrctl -j showstp sw |
		jq -e '(.[0].flags // []) | index("TOPOLOGY_CHANGE_DETECTED") == null' >/dev/null
}

# 802.1D-1998 8.7.6, 8.6.15: a bridge that is not the root repeats its
# TCN every hello time until the root acknowledges it, and no longer.
# The host ports of s2 and s3 go down and up: back in forwarding, each
# bridge detects a topology change and tells s1 through its root port,
# and s1's acknowledgement stops the TCN timer under stp_lock, maybe
# while its callback waits for that lock (one that re-armed the timer
# whenever STP was on then sent another TCN, and the root started its
# topology change over).  Three times; then neither may run a TCN timer
# nor send another TCN.  A timer never stopped fails this at the first
# sample; the race itself is a microsecond window a second, which a
# test can only hope to hit.
tcn_timer_stops_on_ack()
{
	local i n2 n3 t2 t3

	t2=$(tcn_tx 2 p21)
	t3=$(tcn_tx 3 p31)
	for i in 1 2 3; do
		ip -n "$(ns s2)" link set ph down
		ip -n "$(ns s3)" link set ph down
		ip -n "$(ns s2)" link set ph up
		ip -n "$(ns s3)" link set ph up
		# Listening and learning: two forward delays, a hop's slack
		# each and one more.  A port is forwarding and its bridge
		# has detected the change under one hold of stp_lock; s1
		# answers a TCN at once, the hold timer willing (1 s).
		busywait $((2 * FD * 1000 + 3 * HOP_SLACK_MS)) \
			test_port_forwarding 2 ph &&
			busywait $((2 * FD * 1000 + 3 * HOP_SLACK_MS)) \
			test_port_forwarding 3 ph
		check_err $? "the host ports did not return to forwarding"
		busywait $((1000 + HOP_SLACK_MS)) detection_over 2 &&
			busywait $((1000 + HOP_SLACK_MS)) detection_over 3
		check_err $? "s1 did not acknowledge the topology change of s2 or s3"
	done
	n2=$(tcn_tx 2 p21)
	n3=$(tcn_tx 3 p31)
	[ "$n2" -ge $((t2 + 3)) ] && [ "$n3" -ge $((t3 + 3)) ]
	check_err $? "s2 sent $((n2 - t2)) TCNs, s3 $((n3 - t3)), want 3 or more each"
	always tcn_quiet 2 p21 "$n2"
	check_err $? "s2 still tells the root of a change it acknowledged: sent $(($(tcn_tx 2 p21) - n2)) more; $(timers 2)"
	always tcn_quiet 3 p31 "$n3"
	check_err $? "s3 still tells the root of a change it acknowledged: sent $(($(tcn_tx 3 p31) - n3)) more; $(timers 3)"
	log_test "TCN timer: stops when the root acknowledges, three changes in a row"
}

stp_run
