#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbrctl's errors for addbr/delbr/show are brctl's, byte for byte
# (../shared/reference/brctl-output.txt), exit status 1, and a refused
# request changes nothing.
#
#   netns: kb0 (a kbridge), lo, br0 (a Linux bridge, if bridge.ko loads)

ALL_TESTS="
	addbr_exists
	delbr_up
	delbr_missing
	delbr_not_bridge
	show_errors
	addbr_bad_names
	netlink_negative
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

NS=kbr-errors-$$

snapshot()
{
	nsx ip -j link show | jq -c '[.[] | {ifname, flags}]'
}

addbr_exists()
{
	local before

	before=$(snapshot)
	expect_output "addbr twice" 1 "" \
		"device kb0 already exists; can't create bridge with the same name" \
		nsx kbrctl addbr kb0
	expect_output "addbr lo" 1 "" \
		"device lo already exists; can't create bridge with the same name" \
		nsx kbrctl addbr lo
	[ "$(snapshot)" == "$before" ]
	check_err $? "a refused addbr changed the links"
	log_test "addbr of an existing name"
}

delbr_up()
{
	nsx ip link set kb0 up
	expect_output "delbr of an up bridge" 1 "" \
		"bridge kb0 is still up; can't delete it" nsx kbrctl delbr kb0
	nsx ip link show kb0 >/dev/null 2>&1
	check_err $? "kb0 is gone after a refused delbr"
	nsx ip link set kb0 down
	log_test "delbr of a bridge that is up"
}

delbr_missing()
{
	expect_output "delbr nosuch" 1 "" \
		"bridge nosuch doesn't exist; can't delete it" \
		nsx kbrctl delbr nosuch
	log_test "delbr of a missing bridge"
}

delbr_not_bridge()
{
	expect_output "delbr lo" 1 "" \
		"$(printf '%s\n' "can't delete bridge lo: Operation not supported" \
			"Error: Device is not a kbridge.")" \
		nsx kbrctl delbr lo
	nsx ip link show lo >/dev/null
	check_err $? "lo is gone"
	log_test "delbr of a device that is not a kbridge"
}

show_errors()
{
	local line

	expect_output "show nosuch" 1 "" "bridge nosuch does not exist!" \
		nsx kbrctl show nosuch
	expect_output "show lo" 1 "" "device lo is not a bridge!" \
		nsx kbrctl show lo
	expect_output "show two missing" 1 "" \
		"$(printf '%s\n' "bridge a does not exist!" "bridge b does not exist!")" \
		nsx kbrctl show a b
	line=$(nsx kbrctl show kb0 | tail -n 1)
	expect_output "show kb0 nosuch" 1 \
		"$(printf 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n%s' "$line")" \
		"bridge nosuch does not exist!" nsx kbrctl show kb0 nosuch
	log_test "show of missing bridges and non-bridges"
}

addbr_bad_names()
{
	local before

	before=$(snapshot)
	expect_output "addbr 'a b'" 1 "" \
		"$(printf '%s\n' "add bridge failed: Invalid argument" "Error: Invalid bridge name.")" \
		nsx kbrctl addbr "a b"
	expect_output "addbr ''" 1 "" \
		"$(printf '%s\n' "add bridge failed: Invalid argument" "Error: Invalid bridge name.")" \
		nsx kbrctl addbr ""
	nsx kbrctl addbr kb0123456789abcdef 2>/dev/null
	check_fail $? "a 18-character name was accepted"
	[ "$(snapshot)" == "$before" ]
	check_err $? "a refused addbr changed the links"
	log_test "addbr of invalid names"
}

netlink_negative()
{
	local out

	out=$(nsx kbr_nl_neg)
	check_err $? "$(echo "$out" | grep -A1 '^not ok' | tr '\n' ' ')"
	log_test "raw netlink: errno and extack of refused requests"
}

cleanup()
{
	lib_cleanup
}
trap cleanup EXIT

ns_create "$NS"
nsx kbrctl addbr kb0
tests_run
