#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1D spanning tree, BPDU guard on a lone kbridge (see stp_lib.sh's
# guard_setup): a BPDU disables the port until the flag goes or the
# recovery time passes.

ALL_TESTS="
	bpdu_guard
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

bpdu_guard()
{
	if ! guard_setup; then
		check_err 1 "setup failed"
		log_test "bpduguard"
		return
	fi
	# As the Linux bridge: no carrier before a port forwards.
	gno_carrier
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
	busywait 3000 gno_carrier
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

stp_run
