# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by kbr_fdb_scale.sh, kbr_fdb_large.sh and kbr_fdb_flood.sh (the
# FDB at scale): the bridge they feed with pktgen from the host side of a
# port.  A script sets ALL_TESTS, sources this file, defines its tests
# and calls scale_run.
#
#   +---------------------+        +-------------------------------+
#   | h1  eth0 (pktgen) --|--------|-- p1   kb0 (kbridge)    p2 --|-- h2
#   +---------------------+        | sw                            |
#                                  +-------------------------------+
#
# Every frame goes to a static entry behind p1 itself, so the bridge
# learns its source and drops it: the flood measures learning, not
# flooding.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCALE_NAME=${0##*/}
SCALE_NAME=${SCALE_NAME%.sh}
SCALE_NAME=${SCALE_NAME//_/-}
SW=$SCALE_NAME-sw-$$
NS=$SW		# nsx runs here
H1=$SCALE_NAME-h1-$$
H2=$SCALE_NAME-h2-$$
DST=02:ee:00:00:00:01
# KBR_FDB_SCALE_ENTRIES: how many addresses the dump test learns (a debug
# kernel's per-object metadata does not fit a million in the guest)
# shellcheck disable=SC2034 # for the scripts
MILLION=${KBR_FDB_SCALE_ENTRIES:-1000000}

# pg FILE CMD: one pktgen command, in h1's namespace.
pg()
{
	ip netns exec "$H1" sh -c "echo '$2' > /proc/net/pktgen/$1"
}

# pktgen_run COUNT SOURCES [FLAG]: COUNT frames out of h1's eth0 with
# SOURCES distinct source addresses from 02:10:00:00:00:00, sequential or
# (FLAG MACSRC_RND) random.  Prints pktgen's result line.  $PKTGEN_T0:
# the time (date +%s%N) just before the first frame, when not run in a
# subshell.
pktgen_run()
{
	pg kpktgend_0 rem_device_all || return 1
	pg kpktgend_0 "add_device eth0" || return 1
	pg eth0 "count $1"
	pg eth0 "clone_skb 0"
	pg eth0 "pkt_size 60"
	pg eth0 "delay 0"
	pg eth0 "dst_mac $DST"
	pg eth0 "src_mac 02:10:00:00:00:00"
	pg eth0 "src_mac_count $2"
	pg eth0 "flag ${3:-!MACSRC_RND}"
	# shellcheck disable=SC2034 # for the scripts
	PKTGEN_T0=$(date +%s%N)
	pg pgctrl start || return 1
	ip netns exec "$H1" grep -m1 Result: /proc/net/pktgen/eth0
}

br_stat()
{
	nsx kbrctl -j show kb0 | jq ".[0].$1"
}

# h2_entry MAC: kb0's table has an entry for MAC
h2_entry()
{
	nsx kbrctl -j showmacs kb0 |
		jq -e --arg m "$1" 'any(.[]; .mac == $m)' >/dev/null
}

scale_setup()
{
	if ! modprobe pktgen; then
		echo "Bail out! no pktgen"
		return 1
	fi
	ns_create "$SW" "$H1" "$H2" || return 1
	nsx kbrctl addbr kb0 || return 1
	ip -n "$SW" -batch - <<-EOF || return 1
		link add p1 type veth peer name eth0 netns $H1
		link add p2 type veth peer name eth0 netns $H2
		address add 192.0.2.254/24 dev kb0
		link set kb0 up
		link set p1 up
		link set p2 up
	EOF
	ip -n "$H1" link set eth0 addrgenmode none || return 1
	ip -n "$H1" link set eth0 up || return 1
	ip -n "$H2" -batch - <<-EOF || return 1
		link set eth0 addrgenmode none
		address add 192.0.2.2/24 dev eth0
		link set eth0 up
	EOF
	nsx kbrctl addif kb0 p1 p2 || return 1
	nsx kbrctl fdb add kb0 p1 $DST
}

# scale_run: build the topology, run the script's tests, clean up on exit.
scale_run()
{
	if ! scale_setup; then
		echo "Bail out! setup failed"
		exit "$ksft_fail"
	fi
	tests_run
}
