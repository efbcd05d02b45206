#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Creating and deleting kbridges both ways, "ip link add/del ... type
# kbridge" and "kbrctl addbr/delbr", and that both give the same device.
#
#   +---------------------------------------------+
#   | netns (private to this test)                |
#   |   kb0 (ip link)   kb1 (kbrctl)   br0 (bridge.ko, side by side)
#   +---------------------------------------------+

ALL_TESTS="
	create_ip_link
	create_kbrctl
	same_device_both_ways
	delete_crosswise
	show_sorted
	show_empty
	set_address_and_mtu
	beside_linux_bridge
	events_monitor
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

NS=kbr-create-$$

# Everything runs in a namespace of its own.
create_ip_link()
{
	local line mac re

	nsx ip link add kb0 type kbridge
	check_err $? "ip link add kb0 type kbridge failed"

	nsx kbrctl -j show | jq -e '.[] | select(.ifname == "kb0")' >/dev/null
	check_err $? "kbrctl show does not list kb0"

	line=$(nsx kbrctl show kb0 | tail -n 1)
	re=$'^kb0\t\t8000\\.[0-9a-f]{12}\tno\t\t$'
	[[ "$line" =~ $re ]]
	check_err $? "kbrctl show kb0 line: $(printf %q "$line")"

	nsx ip -d -j link show kb0 | jq -e '.[0].linkinfo.info_kind == "kbridge"' >/dev/null
	check_err $? "ip link does not show kind kbridge"

	# Random, locally administered, unicast.
	mac=$(nsx ip -j link show kb0 | jq -r '.[0].address')
	[ $((0x${mac:0:2} & 3)) -eq 2 ]
	check_err $? "MAC $mac is not locally administered unicast"
	[ "${line:10:12}" == "${mac//:/}" ]
	check_err $? "bridge id ${line:5:17} is not 8000 and the MAC $mac"

	# Up without a port: no carrier.
	nsx ip link set kb0 up
	nsx ip -j link show kb0 | jq -e '.[0].flags | index("NO-CARRIER")' >/dev/null
	check_err $? "kb0 has a carrier without ports"
	nsx ip link set kb0 down

	log_test "ip link add NAME type kbridge"
}

create_kbrctl()
{
	nsx kbrctl addbr kb1
	check_err $? "kbrctl addbr kb1 failed"

	nsx ip -d -j link show kb1 | jq -e '.[0].linkinfo.info_kind == "kbridge"' >/dev/null
	check_err $? "kbrctl addbr did not make a kbridge"

	nsx kbrctl -j show kb1 | jq -e '.[0].ifname == "kb1" and .[0].stp_enabled == false' >/dev/null
	check_err $? "kbrctl -j show kb1"

	log_test "kbrctl addbr NAME"
}

# Everything but the identity (name, index, address) must be equal.
link_shape()
{
	nsx ip -d -s -j link show "$1" |
		jq '.[0] | del(.ifname, .ifindex, .address, .stats64)'
}

same_device_both_ways()
{
	local a b

	# Up once, like kb0 was: the qdisc shows it.
	nsx ip link set kb1 up && nsx ip link set kb1 down
	a=$(link_shape kb0)
	b=$(link_shape kb1)
	[ -n "$a" ] && [ "$a" == "$b" ]
	check_err $? "kb0 and kb1 differ: $(diff <(echo "$a") <(echo "$b") | tr '\n' ' ')"

	log_test "ip link and kbrctl make the same device"
}

delete_crosswise()
{
	nsx kbrctl delbr kb0
	check_err $? "kbrctl delbr of a bridge made by ip link failed"
	nsx ip link del kb1
	check_err $? "ip link del of a bridge made by kbrctl failed"
	[ "$(nsx ip -j link show type kbridge | jq length)" -eq 0 ]
	check_err $? "bridges left after deletion"

	# ip link deletes a bridge that is up; kbrctl would refuse.
	nsx kbrctl addbr kb2 && nsx ip link set kb2 up && nsx ip link del kb2
	check_err $? "ip link del of an up bridge failed"

	log_test "delete with the other tool"
}

show_sorted()
{
	local names

	nsx kbrctl addbr kbB && nsx ip link add kbA type kbridge &&
		nsx kbrctl addbr Zz && nsx kbrctl addbr kb_1
	check_err $? "creating four bridges failed"

	names=$(nsx kbrctl show | cut -f1 | tr '\n' ' ')
	[ "$names" == "bridge name Zz kbA kbB kb_1 " ]
	check_err $? "show order: $names"

	[ "$(nsx kbrctl show | head -n 1)" == $'bridge name\tbridge id\t\tSTP enabled\tinterfaces' ]
	check_err $? "show header differs from brctl's"

	nsx kbrctl -j show | jq -e 'length == 4 and ([.[].ifname] == ["Zz","kbA","kbB","kb_1"])' >/dev/null
	check_err $? "kbrctl -j show"

	for b in kbB kbA Zz kb_1; do
		nsx kbrctl delbr "$b"
	done
	log_test "show lists bridges sorted by name"
}

show_empty()
{
	expect_output "show without bridges" 0 "" "" nsx kbrctl show
	expect_output "-j show without bridges" 0 "[]" "" nsx kbrctl -j show
	log_test "show without bridges prints nothing"
}

set_address_and_mtu()
{
	nsx ip link add kb3 address 02:11:22:33:44:55 type kbridge
	check_err $? "ip link add with an address failed"
	nsx kbrctl show kb3 | grep -q $'^kb3\t\t8000.021122334455\t'
	check_err $? "bridge id does not follow the address"

	nsx ip link add kb4 address 01:00:5e:00:00:01 type kbridge 2>/dev/null
	check_fail $? "a multicast address was accepted"
	nsx ip link add kb4 link-netnsid 0 type kbridge 2>/dev/null
	check_fail $? "link-netnsid was accepted"
	nsx ip link show kb4 >/dev/null 2>&1
	check_fail $? "a refused ip link add left kb4 behind"

	nsx ip link set kb3 mtu 9000
	check_err $? "mtu 9000 refused"
	nsx ip link set kb3 mtu 67 2>/dev/null
	check_fail $? "mtu 67 accepted"
	[ "$(nsx ip -j link show kb3 | jq '.[0].mtu')" -eq 9000 ]
	check_err $? "mtu changed by a refused request"

	nsx ip link del kb3
	log_test "address and MTU"
}

beside_linux_bridge()
{
	if ! nsx ip link add br0 type bridge 2>/dev/null; then
		log_skip "bridge.ko not available" "kbridge beside the Linux bridge"
		return
	fi
	nsx kbrctl addbr kb5
	check_err $? "kbrctl addbr with bridge.ko loaded failed"

	expect_output "kbrctl show br0" 1 "" "device br0 is not a bridge!" \
		nsx kbrctl show br0
	nsx kbrctl -j show | jq -e 'length == 1' >/dev/null
	check_err $? "kbrctl show lists a Linux bridge"
	if command -v brctl >/dev/null; then
		! nsx brctl show | grep -q kb5
		check_err $? "brctl show lists a kbridge"
	fi

	nsx ip link del br0
	nsx kbrctl delbr kb5
	log_test "kbridge beside the Linux bridge"
}

monitor_has()
{
	grep -qx "$1" "$MON_OUT"
}

events_monitor()
{
	local re=' ifindex [0-9]+ id 8000\.[0-9a-f]{12} stp no'

	MON_OUT=$(mktemp)
	# Not through nsx: $! must be kbrctl itself, not a subshell.
	ip netns exec "$NS" kbrctl monitor >"$MON_OUT" &
	MON_PID=$!
	# Subscribed once a probe bridge shows up.
	probe()
	{
		nsx kbrctl addbr kbev0 && nsx kbrctl delbr kbev0
		grep -q 'del.*kbev0' "$MON_OUT"
	}
	busywait 10000 probe
	check_err $? "kbrctl monitor printed no event"

	nsx ip link add kbev1 type kbridge && nsx kbrctl addbr kbev2 &&
		nsx kbrctl delbr kbev1 && nsx ip link del kbev2
	check_err $? "creating and deleting kbev1/kbev2 failed"
	for e in "add kbev1" "add kbev2" "del kbev1" "del kbev2"; do
		busywait 5000 grep -Eqx "bridge $e$re" "$MON_OUT"
		check_err $? "no event \"bridge $e\": $(tr '\n' '|' <"$MON_OUT")"
	done
	kill "$MON_PID"
	wait "$MON_PID" 2>/dev/null

	: >"$MON_OUT"
	ip netns exec "$NS" kbrctl -j monitor >"$MON_OUT" &
	MON_PID=$!
	busywait 10000 probe
	nsx kbrctl addbr kbev3 && nsx kbrctl delbr kbev3
	busywait 5000 grep -q kbev3 "$MON_OUT"
	grep kbev3 "$MON_OUT" | jq -se 'map(.action) == ["add","del"] and
		all(.object == "bridge" and .ifname == "kbev3")' >/dev/null
	check_err $? "kbrctl -j monitor: $(grep kbev3 "$MON_OUT" | tr '\n' '|')"
	kill "$MON_PID"
	wait "$MON_PID" 2>/dev/null
	MON_PID=
	rm -f "$MON_OUT"
	log_test "kbrctl monitor: bridge add/del events, text and JSON"
}

cleanup()
{
	[ -n "${MON_PID:-}" ] && kill "$MON_PID" 2>/dev/null
	lib_cleanup
}
trap cleanup EXIT

ns_create "$NS"
tests_run
