# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the forwarding selftests (kbr_forward.sh: ports, forwarding,
# learning and ageing; kbr_port_flags.sh; kbr_fdb.sh: static entries,
# fdb show, monitor; kbr_fdb_cap.sh: learned-entry caps): sources lib.sh
# and builds their one topology.  A script sets ALL_TESTS and FWD_ATTACH
# (1: the ports are on the bridge before its first test; 0: they are
# not), sources this file, defines its tests and calls fwd_run.
#
#   +----------------+    +----------------+    +----------------+
#   | h1             |    | h2             |    | h3             |
#   | eth0           |    | eth0           |    | eth0           |
#   | 02:..:00:01    |    | 02:..:00:02    |    | 02:..:00:03    |
#   | 192.0.2.1/24   |    | 192.0.2.2/24   |    | 192.0.2.3/24   |
#   | 2001:db8::1/64 |    | 2001:db8::2/64 |    | 2001:db8::3/64 |
#   +-------|--------+    +-------|--------+    +-------|--------+
#           |                     |                     |
#   +-------|---------------------|---------------------|--------+
#   | sw    p1                    p2                    p3       |
#   |       +---------------------+---------------------+        |
#   |                    kb0 192.0.2.254/24                      |
#   +------------------------------------------------------------+

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_cmd tcpdump
if [[ ${FWD_ATTACH:-} != [01] ]]; then
	echo "Bail out! FWD_ATTACH must be 0 or 1"
	exit "$ksft_fail"
fi

FWD_NAME=${0##*/}
FWD_NAME=${FWD_NAME%.sh}
FWD_NAME=kbr-${FWD_NAME#kbr_}
SW=$FWD_NAME-sw-$$
NS=$SW		# nsx runs here
H=([1]=$FWD_NAME-h1-$$ [2]=$FWD_NAME-h2-$$ [3]=$FWD_NAME-h3-$$)
PORT_MAC=()	# [n]: pN's address, read at setup
PORTS=		# the same as JSON: {"p1": MAC, ...}
MON_PID=	# a kbrctl monitor running, killed at cleanup
MON2_PID=	# and a second monitor

# jq helpers on `kbrctl -j showmacs` entries; $p is a port name "pN".
# shellcheck disable=SC2016,SC2034
JQ_DEFS='
def well_formed:
	(.port_no | type) == "number" and (.ifname | type) == "string" and
	(.mac | test("^([0-9a-f]{2}:){5}[0-9a-f]{2}$")) and .vlan == 0 and
	(.is_local | type) == "boolean" and (.flags | type) == "array" and
	all(.flags[]; IN("local", "static", "learned")) and
	(.age | type) == "number";
def portnum: .[1:] | tonumber;
def local_of($p; $ports):
	.ifname == $p and .port_no == ($p | portnum) and .mac == $ports[$p] and
	.is_local == true and any(.flags[]; . == "local") and .age == 0;
def learned_on($p):
	.ifname == $p and .port_no == ($p | portnum) and .vlan == 0 and
	.is_local == false and any(.flags[]; . == "learned") and
	(.age | type == "number" and . >= 0 and . < 60);
'

# show_want PORT...: brctl's "show kb0", first port on the bridge's line.
show_want()
{
	local mac first=$1

	shift
	mac=$(ip -n "$SW" -j link show kb0 | jq -r '.[0].address')
	printf 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n'
	printf 'kb0\t\t8000.%s\tno\t\t%s' "${mac//:/}" "$first"
	[ $# -eq 0 ] || printf '\n\t\t\t\t\t\t\t%s' "$@"
}

kb0_carrier()
{
	ip -n "$SW" -j link show kb0 | jq -e '.[0].flags | index("LOWER_UP")' >/dev/null
}

# fdb_has MAC, fdb_lacks MAC: kb0's table has (has no) entry for MAC.
# Both fail when showmacs does: "! fdb_has" would pass then.
fdb_has()
{
	nsx kbrctl -j showmacs kb0 |
		jq -e --arg m "$1" 'arrays | any(.[]; .mac == $m)' >/dev/null
}

fdb_lacks()
{
	nsx kbrctl -j showmacs kb0 |
		jq -e --arg m "$1" 'arrays | all(.[]; .mac != $m)' >/dev/null
}

h2_learned()
{
	fdb_has 02:00:00:00:00:02
}

h3_learned()
{
	fdb_has 02:00:00:00:00:03
}

# entry MAC: the -j showmacs entry of MAC, compact, or nothing.
entry()
{
	nsx kbrctl -j showmacs kb0 | jq -c --arg m "$1" '.[] | select(.mac == $m)'
}

# port_stat PORT KEY: a port's field in kbrctl -j show.
port_stat()
{
	nsx kbrctl -j show kb0 |
		jq --arg p "$1" --arg k "$2" '.[0].ports[] | select(.ifname == $p) | .[$k]'
}

# A frame that must not reach a capture is followed, a second later (the
# window these checks always had), by a sentinel: a frame of ethertype
# SENTINEL (local experimental 2) that must, out of the same port.  The
# capture's filter takes both and stops at the first, which must be the
# sentinel: that proves the capture was live through the window.
SENTINEL=88b6

# sentinel_first: the capture's first frame is the sentinel.
sentinel_first()
{
	capture_frame
	[[ $FRAME == *"ethertype Unknown (0x$SENTINEL)"* ]]
}

fwd_setup()
{
	local i name mac

	ns_create "$SW" "${H[@]}" || return 1
	nsx kbrctl addbr kb0 || return 1
	ip -n "$SW" -batch - <<-EOF || return 1
		link add p1 type veth peer name eth0 address 02:00:00:00:00:01 netns ${H[1]}
		link add p2 type veth peer name eth0 address 02:00:00:00:00:02 netns ${H[2]}
		link add p3 type veth peer name eth0 address 02:00:00:00:00:03 netns ${H[3]}
		address add 192.0.2.254/24 dev kb0
		link set kb0 up
		link set p1 up
		link set p2 up
		link set p3 up
	EOF
	# No link-local address on the hosts: no router solicitations
	# that would refresh the bridge's entries while they should age.
	for i in 1 2 3; do
		ip -n "${H[i]}" -batch - <<-EOF || return 1
			link set eth0 addrgenmode none
			address add 192.0.2.$i/24 dev eth0
			address add 2001:db8::$i/64 dev eth0 nodad
			link set eth0 up
		EOF
	done

	while read -r name mac; do
		PORT_MAC[${name#p}]=$mac
	done < <(ip -n "$SW" -j link show | jq -r '.[] | select(.ifname | test("^p[1-3]$")) |
		"\(.ifname) \(.address)"')
	[ "${#PORT_MAC[@]}" -eq 3 ] || return 1
	# shellcheck disable=SC2034 # for the scripts
	PORTS=$(printf '{"p1":"%s","p2":"%s","p3":"%s"}' \
		"${PORT_MAC[1]}" "${PORT_MAC[2]}" "${PORT_MAC[3]}")
	[ "$FWD_ATTACH" = 1 ] || return 0
	nsx kbrctl addif kb0 p1 p2 p3 || return 1
	busywait 5000 kb0_carrier && busywait 5000 pingx "${H[1]}" 192.0.2.2
}

# mon_has LINE: a monitor writing to mon.out printed LINE (a regex)
mon_has()
{
	grep -Eqx "$1" "$TMPD/mon.out"
}

# mon_probe LINE: a static entry added and deleted; a monitor that
# listens prints LINE for the deletion.
mon_probe()
{
	nsx kbrctl fdb add kb0 p1 02:00:00:00:00:58 &&
		nsx kbrctl fdb del kb0 p1 02:00:00:00:00:58
	mon_has "$1"
}

fwd_cleanup()
{
	[ -n "$MON_PID" ] && kill "$MON_PID" 2>/dev/null
	[ -n "$MON2_PID" ] && kill "$MON2_PID" 2>/dev/null
	lib_cleanup
}

# fwd_run: build the topology, run the script's tests, clean up on exit.
fwd_run()
{
	trap fwd_cleanup EXIT
	if ! fwd_setup; then
		echo "Bail out! setup failed"
		exit "$ksft_fail"
	fi
	tests_run
}
