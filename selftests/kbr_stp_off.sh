#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A kbridge with STP off: every port forwards and BPDUs are flooded as
# any multicast.

ALL_TESTS="
	stp_off_floods_bpdus
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

stp_off_floods_bpdus()
{
	local n

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
	capture_start "$(ns h2)" 'ether dst 01:80:c2:00:00:00' in
	bpdu_send tcn
	capture_frame
	[ -n "$FRAME" ]
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

stp_run
