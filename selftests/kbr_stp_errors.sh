#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1D spanning tree settings on one kbridge: brctl's errors and
# ranges; a refused setting changes nothing.

ALL_TESTS="
	stp_errors
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

stp_errors()
{
	local n

	n=$(ns e1)
	ns_create "$n" || return
	ip netns exec "$n" kbrctl addbr kb0
	ip -n "$n" link add v1 type veth peer name v2
	ip netns exec "$n" kbrctl addif kb0 v1
	ex() { ip netns exec "$n" "$@"; }

	expect_output "showstp missing bridge" 1 "" \
		"bridge nosuch does not exist!" ex kbrctl showstp nosuch
	expect_output "showstp not a bridge" 1 "" \
		"device lo is not a bridge!" ex kbrctl showstp lo
	expect_output "stp bad keyword" 1 "" "expect on/off for argument" \
		ex kbrctl stp kb0 maybe
	expect_output "stp missing bridge" 1 "" \
		"set stp status failed: No such device" ex kbrctl stp nosuch on
	ex kbrctl stp kb0 on
	expect_output "setfd 1 with STP on" 1 "" \
		"set forward delay failed: Numerical result out of range" \
		ex kbrctl setfd kb0 1
	expect_output "setfd 31 with STP on" 1 "" \
		"set forward delay failed: Numerical result out of range" \
		ex kbrctl setfd kb0 31
	expect_output "sethello 0.5" 1 "" \
		"set hello timer failed: Numerical result out of range" \
		ex kbrctl sethello kb0 0.5
	expect_output "sethello 11" 1 "" \
		"set hello timer failed: Numerical result out of range" \
		ex kbrctl sethello kb0 11
	expect_output "setmaxage 5" 1 "" \
		"set max age failed: Numerical result out of range" \
		ex kbrctl setmaxage kb0 5
	expect_output "setmaxage 41" 1 "" \
		"set max age failed: Numerical result out of range" \
		ex kbrctl setmaxage kb0 41
	expect_output "setbridgeprio 70000" 1 "" \
		"set bridge priority failed: Numerical result out of range" \
		ex kbrctl setbridgeprio kb0 70000
	expect_output "setbridgeprio bad" 1 "" "bad priority" \
		ex kbrctl setbridgeprio kb0 abc
	expect_output "setpathcost 0" 1 "" \
		"set path cost failed: Numerical result out of range" \
		ex kbrctl setpathcost kb0 v1 0
	expect_output "setpathcost 70000" 1 "" \
		"set path cost failed: Numerical result out of range" \
		ex kbrctl setpathcost kb0 v1 70000
	expect_output "setportprio 64" 1 "" \
		"set port priority failed: Numerical result out of range" \
		ex kbrctl setportprio kb0 v1 64
	expect_output "setpathcost missing port" 1 "" \
		"set path cost failed: No such device" \
		ex kbrctl setpathcost kb0 nosuch 5
	expect_output "setpathcost not a port" 1 "" \
		"set path cost failed: No such file or directory" \
		ex kbrctl setpathcost kb0 v2 5
	expect_output "setportprio not a port" 1 "" \
		"set port priority failed: No such file or directory" \
		ex kbrctl setportprio kb0 lo 5
	expect_output "setfd missing bridge" 1 "" \
		"set forward delay failed: No such device" \
		ex kbrctl setfd nosuch 5
	expect_output "setfd not a bridge" 1 "" \
		"set forward delay failed: Operation not supported" \
		ex kbrctl setfd lo 5

	# Nothing changed by the refusals.
	ex kbrctl -j showstp kb0 | jq -e '.[0] | .bridge_forward_delay == 15 and
		.bridge_hello_time == 2 and .bridge_max_age == 20 and
		(.bridge_id | startswith("8000.")) and
		.ports[0].path_cost == 2 and .ports[0].port_id == "8001"' >/dev/null
	check_err $? "a refused setting changed something: $(ex kbrctl -j showstp kb0)"

	# Without STP any forward delay goes; turning STP on clamps it.
	ex kbrctl stp kb0 off && ex kbrctl setfd kb0 1 && ex kbrctl stp kb0 on
	ex kbrctl -j showstp kb0 | jq -e '.[0].bridge_forward_delay == 2' >/dev/null
	check_err $? "forward delay 1 s not clamped to 2 s when STP came on"
	ex kbrctl setfd kb0 31 2>/dev/null
	ex kbrctl stp kb0 off && ex kbrctl setfd kb0 31 && ex kbrctl stp kb0 on
	ex kbrctl -j showstp kb0 | jq -e '.[0].bridge_forward_delay == 30' >/dev/null
	check_err $? "forward delay 31 s not clamped to 30 s when STP came on"

	# Settings that are taken show up.
	ex kbrctl setbridgeprio kb0 4096 && ex kbrctl setportprio kb0 v1 2 &&
		ex kbrctl setpathcost kb0 v1 100 && ex kbrctl setfd kb0 2.5 &&
		ex kbrctl sethello kb0 1.5 && ex kbrctl setmaxage kb0 7
	check_err $? "valid settings refused"
	ex kbrctl -j showstp kb0 | jq -e '.[0] | (.bridge_id | startswith("1000.")) and
		.bridge_forward_delay == 2.5 and .bridge_hello_time == 1.5 and
		.bridge_max_age == 7 and .ports[0].port_id == "0801" and
		.ports[0].path_cost == 100' >/dev/null
	check_err $? "settings not shown: $(ex kbrctl -j showstp kb0)"
	ex kbrctl show kb0 | grep -q "^kb0		1000\.[0-9a-f]*	yes		v1$"
	check_err $? "show's STP column is not yes: $(ex kbrctl show kb0)"
	ip netns del "$n"
	NETNS_LIST=()
	log_test "STP settings: brctl's errors and ranges, nothing changed on error"
}

stp_run
