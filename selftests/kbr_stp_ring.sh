#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1D spanning tree, the ring's basics (see stp_lib.sh): it converges
# to the right tree, a broadcast goes round once, showstp prints brctl's
# layout, iproute2 reads the ports' counters, tshark decodes our BPDUs,
# malformed BPDUs are counted and ignored.

ALL_TESTS="
	ring_converges
	no_storm
	showstp_layout
	stp_xstats
	bpdu_decode
	malformed_bpdus
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

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

# The counters "ip -j link xstats type bridge_slave" gives of s3's
# ports, as the Linux bridge keeps them, between two showstp snapshots
# (BPDUs keep coming): each port, each counter.
xstats_between()
{
	local lo hi x

	lo=$(sx 3 kbrctl -j showstp sw) &&
		x=$(sx 3 ip -j link xstats type bridge_slave) &&
		hi=$(sx 3 kbrctl -j showstp sw) || return 1
	jq -en --argjson lo "$lo" --argjson x "$x" --argjson hi "$hi" '
		def linux: {rx_bpdu: (.config_rx + .rst_rx),
			    tx_bpdu: (.config_tx + .rst_tx),
			    rx_tcn: .tcn_rx, tx_tcn: .tcn_tx,
			    transition_blk: .to_blocking,
			    transition_fwd: .to_forwarding};
		def by_port: map({(.ifname): (.counters | linux)}) | add;
		($lo[0].ports | by_port) as $l |
		($hi[0].ports | by_port) as $h |
		($x | map({(.ifname): .stp}) | add) as $m |
		($m | keys) == ($l | keys) and
		all($l | keys[]; . as $p | all($l[$p] | keys[]; . as $k |
			$l[$p][$k] <= $m[$p][$k] and $m[$p][$k] <= $h[$p][$k])) and
		$m.p31.rx_bpdu > 0 and $m.p31.transition_fwd > 0 and
		$m.p32.rx_bpdu > 0 and $m.ph.tx_bpdu > 0' >/dev/null
}

stp_xstats()
{
	local out

	# Counters move between the snapshots now and then (hello time
	# 1 s): a few tries.
	for _ in 1 2 3; do
		xstats_between && break
	done
	check_err $? "ip link xstats type bridge_slave differs from showstp: $(sx 3 ip -j link xstats type bridge_slave)"
	out=$(sx 3 ip link xstats type bridge_slave dev p31)
	[[ $out =~ ^p31\ +$'\n'\ +STP\ BPDU:\ +RX:\ [1-9][0-9]*\ TX:\ [0-9]+ ]]
	check_err $? "ip link xstats type bridge_slave dev p31: $out"
	log_test "ip link xstats type bridge_slave: the ports' STP counters"
}

bpdu_decode()
{
	local out n

	# A dependency (scripts/install-deps): missing, it is a failure.
	if ! command -v tshark >/dev/null; then
		log_fail "tshark not installed" "tshark decodes our BPDUs"
		return
	fi
	# Configuration BPDUs the root sends to h1.
	ip netns exec "$(ns h1)" timeout 10 tcpdump -i eth0 -c 3 -w "$TMPD/cfg.pcap" \
		'ether dst 01:80:c2:00:00:00' 2>/dev/null
	decode "$TMPD/cfg.pcap" && decoded_clean
	check_err $? "tshark: $(grep -Ei "malformed|expert|error" <<<"$DECODED" | head -3)"
	out=$DECODED
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
	# py's address is above every other: a kbridge takes its smallest
	# port address, and s2's bridge id must not change.  (Going back up
	# when py left, it made s2's BPDUs inferior to what s3 had stored
	# for p32, which aged out a max age later and went listening:
	# malformed_bpdus failed whenever py's random address was s2's
	# smallest.)
	ip -n "$(ns s2)" link add py address fe:ff:ff:ff:ff:fe type veth peer name pyh
	ip -n "$(ns s2)" link set pyh up
	sx 2 kbrctl addif sw py && ip -n "$(ns s2)" link set py up
	wait "$n"
	decode "$TMPD/tcn.pcap" && decoded_clean &&
		grep -q "BPDU Type: Topology Change Notification (0x80)" <<<"$DECODED"
	check_err $? "no clean TCN: $(tail -8 <<<"$DECODED")"
	ip -n "$(ns s2)" link del py
	converge
	log_test "tshark decodes our configuration and TCN BPDUs cleanly"
}

malformed_bpdus()
{
	local before after root now sp states=

	root=$(root_id 1)
	before=$(rx_bad 1 ph)
	bpdu_send short proto version type maxage0 oldmsg fdhuge llc
	busywait 5000 rx_bad_ge $((before + 8))
	after=$(rx_bad 1 ph)
	[ "$after" -eq $((before + 8)) ]
	check_err $? "rx_bad went from $before to $after, want +8"
	sleep 1
	now=$(root_id 1)
	if ! { [ "$now" == "$root" ] && settled &&
		[ "$(blocked_now)" == "3:p32" ]; }; then
		# What the check saw, not a later query.
		for sp in $RING_PORTS; do
			states+=" $sp ${STATE[$sp]:-?}"
		done
		check_err 1 "malformed BPDUs changed the tree: root $now (was $root),$states"
	fi
	log_test "malformed BPDUs are counted and ignored"
}

stp_run
