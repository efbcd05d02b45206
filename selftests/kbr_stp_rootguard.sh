#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Root guard on a lone kbridge (see stp_lib.sh's guard_setup), in 802.1D
# and in RSTP mode (802.1Q's restrictedRole): superior BPDUs block the
# port and never move the root.

ALL_TESTS="
	root_guard
	root_guard_rstp
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

# guard_test MODE KIND TITLE: root guard with STP MODE (on, rstp), the
# superior BPDU bpdu.py's KIND
guard_test()
{
	local own sender

	if ! guard_setup || ! gx kbrctl stp kb0 "$1"; then
		setup_failed "$3"
		return
	fi
	busywait "$CONVERGE_MS" gstate_is forwarding
	own=$(gx kbrctl -j showstp kb0 | jq -r '.[0].bridge_id')

	# Without the guard a superior BPDU takes the root away.
	guard_bpdu "$2"
	busywait 3000 groot_is 0000.020000000001
	check_err $? "a superior BPDU did not move the root: $(groot)"
	busywait "$CONVERGE_MS" groot_is "$own"
	check_err $? "the superior root did not age out"

	gx kbrctl setportflag kb0 p1 rootguard on
	check_err $? "setportflag rootguard on failed"
	busywait "$CONVERGE_MS" gstate_is forwarding
	# Superior BPDUs every 0.5 s from one process while the checks run:
	# RSTP ages one out in 3 x its hello (3 s), which a slow kernel's
	# checks can outlast, and a python start per BPDU (seconds on the
	# debug kernel) stretched the gaps past it. The wait for the first
	# one covers the sender's start-up, not a protocol timer.
	guard_bpdu_every 0.5 "$2" &
	sender=$!
	busywait 20000 groot_guarded
	check_err $? "no superior BPDU reached p1 in 20 s"
	busywait 3000 gstate_is blocking
	check_err $? "a superior BPDU on a rootguard port left it $(gport state)"
	[ "$(groot)" == "$own" ] &&
		[ "$(gport flags)" == '["ROOT_INCONSISTENT"]' ] &&
		[ "$(gport counters | jq .root_guard)" -ge 1 ]
	check_err $? "root $(groot), flags $(gport flags), counters $(gport counters)"
	if [ "$1" == rstp ]; then
		[ "$(gport role)" == '"alternate"' ]
		check_err $? "a rootguard port with the best information is $(gport role), want alternate"
	fi
	kill "$sender"
	wait "$sender" 2>/dev/null
	# Once the superior information ages out (max age) the port is
	# designated again and forwards.
	busywait "$CONVERGE_MS" gstate_is forwarding
	check_err $? "p1 did not come back after the superior BPDUs stopped"
	[ "$(gport flags)" == '[]' ]
	check_err $? "flags $(gport flags) after recovery"
	ip netns del "$(ns g)"
	ip netns del "$(ns gh)"
	NETNS_LIST=()
	log_test "$3"
}

root_guard()
{
	guard_test on config "rootguard: superior BPDUs block the port, never move the root"
}

root_guard_rstp()
{
	guard_test rstp rst "rootguard with RSTP: superior BPDUs make the port alternate, never move the root"
}

stp_run
