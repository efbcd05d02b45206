# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the kbr_stp_*.sh selftests (802.1D spanning tree): sources
# lib.sh, builds their topologies and checks a failover.  A script sets
# ALL_TESTS, sources this file, defines its tests and calls stp_run.
#
# The ring: three switches, each in its own namespace with a host, linked
# by veth pairs; short timers (hello 1 s, forward delay 2 s, max age 6 s).
#
#              h1
#              |
#        +---- s1 (prio 0x1000: the root) ----+
#        p12                                  p13
#        |                                    |
#        p21                                  p31
#   h2 - s2 (0x2000) p23 ------------- p32 s3 (0x3000) - h3
#
# Every ring port costs 2 (veth: 10 Gb/s).  802.1D picks: root s1; root
# ports p21 and p31; on the s2-s3 segment s2 is designated (lower id), so
# p32 is the one blocked port.  A switch is a kbridge ("kb") or a Linux
# bridge ("lb") with the same priority, cost and timers: the tree must be
# the same either way.
#
# The lone switch of the guard tests: a kbridge "kb0" with STP on, one
# port p1 to a host namespace (guard_setup).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_cmd python3
require_cmd tcpdump

PRIO=([1]=0x1000 [2]=0x2000 [3]=0x3000)
KIND=()
MAX_AGE=6
FD=2
# 802.1D's bound for a blocked port to take over: max age + 2 forward
# delays; a slow (TCG) guest gets a few seconds more.
CONVERGE_MS=$(((MAX_AGE + 2 * FD + 8) * 1000))

ns() { echo "kbr-stp-$1-$$"; }
sx() { local n=$1; shift; netns_exec "$(ns "s$n")" "$@"; }

# The ring's ports, "switch:port".
RING_PORTS="1:p12 1:p13 2:p21 2:p23 3:p31 3:p32"

# port_state N PORT
port_state()
{
	if [ "${KIND[$1]}" == kb ]; then
		sx "$1" kbrctl -j showstp sw |
			jq -r --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .state'
	else
		sx "$1" bridge -j link show dev "$2" | jq -r '.[0].state'
	fi
}

# root_id N: the root as switch N sees it, brctl's notation
root_id()
{
	if [ "${KIND[$1]}" == kb ]; then
		sx "$1" kbrctl -j showstp sw | jq -r '.[0].designated_root'
	else
		# sysfs: 6.1's IFLA_BR_ROOT_ID is the bridge's own id
		sx "$1" cat /sys/class/net/sw/bridge/root_id
	fi
}

bridge_id()
{
	if [ "${KIND[$1]}" == kb ]; then
		sx "$1" kbrctl -j showstp sw | jq -r '.[0].bridge_id'
	else
		sx "$1" cat /sys/class/net/sw/bridge/bridge_id
	fi
}

# ring_states: STATE["N:port"], the state of every port of the three
# switches, one query each
declare -A STATE
ring_states()
{
	local i p st

	STATE=()
	for i in 1 2 3; do
		while read -r p st; do
			STATE[$i:$p]=$st
		done < <(if [ "${KIND[$i]}" == kb ]; then
				sx "$i" kbrctl -j showstp sw |
					jq -r '.[0].ports[] | "\(.ifname) \(.state)"'
			 else
				sx "$i" bridge -j link show |
					jq -r '.[] | "\(.ifname) \(.state)"'
			 fi)
	done
}

# blocked_now: the ring ports STATE has in blocking state, "N:port ..."
blocked_now()
{
	local sp out=

	for sp in $RING_PORTS; do
		[ "${STATE[$sp]:-}" == blocking ] && out+="$sp "
	done
	echo "${out% }"
}

# blocked: the same, queried now
blocked()
{
	ring_states
	blocked_now
}

# settled: every ring port forwarding or blocking, one blocking
settled()
{
	local sp n=0

	ring_states
	for sp in $RING_PORTS; do
		case ${STATE[$sp]:-} in
		blocking) n=$((n + 1)) ;;
		forwarding) ;;
		*) return 1 ;;
		esac
	done
	[ "$n" -eq 1 ]
}

# kb_stp_setup NS PRIO MODE: kbridge sw in namespace NS, priority PRIO,
# hello 1 s, $MAX_AGE and $FD, STP on in MODE (on, rstp)
kb_stp_setup()
{
	local n=$1

	netns_exec "$n" kbrctl addbr sw &&
	netns_exec "$n" kbrctl setbridgeprio sw "$2" &&
	netns_exec "$n" kbrctl sethello sw 1 &&
	netns_exec "$n" kbrctl setmaxage sw "$MAX_AGE" &&
	netns_exec "$n" kbrctl setfd sw "$FD" &&
	netns_exec "$n" kbrctl stp sw "$3"
}

# ring_ports_up N: switch N's two ring ports and ph join its sw, up
ring_ports_up()
{
	local p

	for p in $RING_PORTS "$1:ph"; do
		[ "${p%%:*}" == "$1" ] || continue
		p=${p#*:}
		echo "link set $p addrgenmode none"
		echo "link set $p master sw"
		echo "link set $p up"
	done | ip -n "$(ns "s$1")" -batch -
}

# ring_build K1 K2 K3: three switches of kinds kb/lb, their hosts, STP on
ring_build()
{
	local i p

	KIND=([1]=$1 [2]=$2 [3]=$3)
	for i in 1 2 3; do
		ns_create "$(ns "s$i")" "$(ns "h$i")" || return 1
	done
	# The ring: pNM in sN faces sM.
	ip -n "$(ns s1)" link add p12 type veth peer name p21 netns "$(ns s2)"
	ip -n "$(ns s2)" link add p23 type veth peer name p32 netns "$(ns s3)"
	ip -n "$(ns s3)" link add p31 type veth peer name p13 netns "$(ns s1)"
	for i in 1 2 3; do
		ip -n "$(ns "s$i")" link add ph type veth peer name eth0 \
			address "02:00:00:00:00:0$i" netns "$(ns "h$i")"
		ip -n "$(ns "h$i")" -batch - <<-EOF
			link set eth0 addrgenmode none
			link set eth0 up
			address add 192.0.2.$i/24 dev eth0
		EOF
		if [ "${KIND[$i]}" == kb ]; then
			kb_stp_setup "$(ns "s$i")" "${PRIO[$i]}" \
				"${STP_MODE:-on}" || return 1
		else
			ip -n "$(ns "s$i")" link add sw type bridge stp_state 1 \
				priority $((PRIO[i])) hello_time 100 \
				forward_delay $((FD * 100)) \
				max_age $((MAX_AGE * 100)) || return 1
		fi
		# Its two ring ports and ph, in one ip run.
		ring_ports_up "$i" || return 1
		ip -n "$(ns "s$i")" -batch - <<-EOF
			link set sw addrgenmode none
			link set sw up
		EOF
	done
}

ring_destroy()
{
	local i

	for i in 1 2 3; do
		ip netns del "$(ns "s$i")" 2>/dev/null
		ip netns del "$(ns "h$i")" 2>/dev/null
	done
	NETNS_LIST=()
}

# converge: wait for the tree; logs how long it took
converge()
{
	local start=$SECONDS

	busywait "$CONVERGE_MS" settled || return 1
	log_info "converged in about $((SECONDS - start)) s: blocked $(blocked)"
}

ring_converges()
{
	local i root

	if ! ring_build kb kb kb; then
		check_err 1 "ring setup failed"
		log_test "a ring of three kbridges converges"
		return
	fi
	converge
	check_err $? "no single blocked port after $CONVERGE_MS ms: $(blocked)"
	[ "$(blocked)" == "3:p32" ]
	check_err $? "blocked: $(blocked), want 3:p32"
	root=$(bridge_id 1)
	[[ $root == 1000.* ]]
	check_err $? "s1's bridge id is $root"
	for i in 2 3; do
		[ "$(root_id "$i")" == "$root" ]
		check_err $? "s$i's root is $(root_id "$i"), want $root"
	done
	[ "$(sx 2 kbrctl -j showstp sw | jq '.[0].root_port')" == \
	  "$(sx 2 kbrctl -j showstp sw | jq '.[0].ports[] | select(.ifname == "p21") | .port_no')" ]
	check_err $? "s2's root port is not p21"
	[ "$(sx 3 kbrctl -j showstp sw | jq '.[0].root_path_cost')" -eq 2 ]
	check_err $? "s3's root path cost is not 2"
	pingx "$(ns h2)" 192.0.2.3 && pingx "$(ns h3)" 192.0.2.1
	check_err $? "hosts do not reach each other over the tree"
	log_test "a ring of three kbridges converges: root s1, p32 blocked"
}

# The failover's bounds.  Each timer hop may take up to HOP_SLACK_MS more
# than its nominal time (TCG is slow, another script runs beside this
# one, the debug kernel is slower still), never less: timers do not fire
# early.  A time read from a kernel timestamp gets TICK_MS less (the wire
# carries message age in 1/256 s, jiffies round at HZ >= 250); a hop
# between two monitor lines gets READ_LAG_MS less, since each line is
# stamped when read and the first may be read later than the second.
HOP_SLACK_MS=1000
READ_LAG_MS=250
if [ "${KBR_DEBUG_KERNEL:-}" = 1 ]; then
	HOP_SLACK_MS=3000
	READ_LAG_MS=750
fi
TICK_MS=10

# now_us: the wall clock in microseconds
now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }

# stamp: each line read, after the time it was read (as now_us; no fork)
stamp()
{
	local l

	while IFS= read -r l; do
		printf '%s %s\n' "${EPOCHREALTIME//[!0-9]/}" "$l"
	done
}

# within WHAT US LO_MS HI_MS: WHAT took US microseconds, at least LO_MS
# and at most HI_MS milliseconds
within()
{
	local ms=$(($2 / 1000))

	[ "$ms" -ge "$3" ] && [ "$ms" -le "$4" ]
	check_err $? "$1 took $ms ms, want $3 to $4 ms"
	log_info "$1: $ms ms (bounds $3 to $4 ms)"
}

# line_us FILE STATE: when the stamped monitor FILE showed p32 in STATE
line_us()
{
	awk -v s="$2" '$2 == "stp" && $3 == "state" && $5 == "p32" &&
		       $6 == s { print $1; exit }' "$1"
}

# pcap_has_frame FILE: a 24-byte file header, a 16-byte record header and
# at least a minimal frame
pcap_has_frame()
{
	[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge 100 ]
}

# last_config_bpdu FILE PRIO: the last configuration BPDU in the pcap
# FILE whose root has priority PRIO (the whole 16 bits): "US AGE", when
# it was captured (microseconds since the epoch, the kernel's timestamp)
# and its message age (1/256 s, as on the wire).  Nothing if there is
# none.  (python3 starts in a second under TCG, tshark in five or more.)
last_config_bpdu()
{
	python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
end = "<" if d[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
nsec = d[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
off, last = 24, None
while off + 16 <= len(d):
    sec, frac, incl, _ = struct.unpack(end + "IIII", d[off:off + 16])
    f = d[off + 16:off + 16 + incl]
    off += 16 + incl
    # 802.3 length, LLC 42 42 03, protocol 0, type 0 (configuration)
    if (len(f) >= 49 and f[14:17] == b"\x42\x42\x03" and
            f[17:19] == b"\0\0" and f[20] == 0 and
            struct.unpack(">H", f[22:24])[0] == int(sys.argv[2])):
        us = sec * 1000000 + (frac // 1000 if nsec else frac)
        last = "%d %d" % (us, struct.unpack(">H", f[44:46])[0])
if last:
    print(last)
' "$1" "$2"
}

# failover_test: the s1-s2 link fails; p32 must take over.
#
# 802.1D-1998 8.6.2, 8.6.11, 8.7: p32 holds s1's information, refreshed
# by every BPDU s2 relays.  Once s2 loses its root port it sends only
# worse information, which p32 ignores (s2 is the designated bridge
# there), so the stored information decides: p32 goes listening when its
# message age reaches max age, that is MAX_AGE - A after the last BPDU
# rooted at s1 arrived (A: that BPDU's message age, T: tcpdump's kernel
# timestamp of it), learning a forward delay later and forwarding
# another one after that.  An all-kbridge s3 shows each hop in its
# monitor; a Linux bridge s3 is polled, so only the whole is bounded.
failover_test()
{
	local start cap mon listen learn fwd age info due

	# Not sx: $! must be the process to kill.  The last failover's
	# capture goes first: it would pass for this one's being live.
	rm -f "$TMPD/p32.pcap"
	ip netns exec "$(ns s3)" tcpdump -U -Q in -i p32 -w "$TMPD/p32.pcap" \
		'ether dst 01:80:c2:00:00:00' 2>/dev/null &
	cap=$!
	mon=
	if [ "${KIND[3]}" == kb ]; then
		ip netns exec "$(ns s3)" kbrctl monitor stp > >(stamp >"$TMPD/mon3") &
		mon=$!
	fi
	# The capture is live: a BPDU arrives once a hello time, from the
	# moment tcpdump listens.  Starting it took more than 5 s once, on
	# the debug kernel with the host busy: no timer bounds this wait,
	# and it ends at the first BPDU.
	busywait 30000 pcap_has_frame "$TMPD/p32.pcap"
	check_err $? "no BPDU captured on p32 before the failure"

	start=$(now_us)
	ip -n "$(ns s1)" link set p12 down
	busywait $(((MAX_AGE + 2 * FD) * 1000 + 3 * HOP_SLACK_MS)) test_port_forwarding 3 p32
	check_err $? "p32 did not take over after the s1-s2 link failed: $(port_state 3 p32)"
	fwd=$(now_us)
	if [ -n "$mon" ]; then
		busywait 2000 grep -q " state sw p32 forwarding\$" "$TMPD/mon3"
		check_err $? "no forwarding line for p32 in s3's monitor: $(cat "$TMPD/mon3")"
		kill "$mon"
		fwd=$(line_us "$TMPD/mon3" forwarding)
	fi
	kill "$cap" && wait "$cap"
	read -r info age < <(last_config_bpdu "$TMPD/p32.pcap" $((PRIO[1])))
	if [ -z "$age" ] || [ -z "$fwd" ]; then
		check_err 1 "no BPDU rooted at s1 on p32 ($(stat -c %s "$TMPD/p32.pcap") bytes captured) or no forwarding time ($fwd)"
	else
		# When p32's information expires, in microseconds.
		due=$((info + MAX_AGE * 1000000 - age * 1000000 / 256))
		log_info "failover: the last BPDU rooted at s1 came $(((start - info) / 1000)) ms before the failure, message age $((age * 1000 / 256)) ms"
		within "failover: link down to p32 forwarding" $((fwd - start)) \
			$(((due - start) / 1000 + 2 * FD * 1000 - TICK_MS)) \
			$(((due - start) / 1000 + 2 * FD * 1000 + 3 * HOP_SLACK_MS))
	fi
	if [ -n "$mon" ] && [ -n "$age" ]; then
		listen=$(line_us "$TMPD/mon3" listening)
		learn=$(line_us "$TMPD/mon3" learning)
		if [ -z "$listen" ] || [ -z "$learn" ]; then
			check_err 1 "p32 skipped listening or learning: $(cat "$TMPD/mon3")"
		else
			within "hop 1: s1's information on p32 ages out (listening)" \
				$((listen - due)) $((-TICK_MS)) "$HOP_SLACK_MS"
			within "hop 2: listening to learning" $((learn - listen)) \
				$((FD * 1000 - READ_LAG_MS)) $((FD * 1000 + HOP_SLACK_MS))
			within "hop 3: learning to forwarding" $((fwd - learn)) \
				$((FD * 1000 - READ_LAG_MS)) $((FD * 1000 + HOP_SLACK_MS))
		fi
	fi
	pingx "$(ns h1)" 192.0.2.2
	check_err $? "h1 cannot reach h2 around the ring"

	start=$(date +%s%N)
	ip -n "$(ns s1)" link set p12 up
	busywait "$CONVERGE_MS" test_blocked 3:p32
	check_err $? "the tree did not return after the link came back: $(blocked)"
	log_info "restore: p32 blocked again after $((($(date +%s%N) - start) / 1000000)) ms"
	converge
	# Entries learned around the ring age in the topology change that
	# follows: kbridge ages them in forward delay.  A Linux bridge keeps
	# forwarding to an entry until its garbage collector runs, which
	# may be long after (6.1 does not reschedule it when a topology
	# change starts): with one in the ring, h2 speaks first.
	if [[ " ${KIND[*]} " == *" lb "* ]]; then
		busywait 15000 pingx "$(ns h2)" 192.0.2.1
		check_err $? "h2 cannot reach h1 after the link came back"
	fi
	busywait 15000 pingx "$(ns h1)" 192.0.2.2
	check_err $? "h1 cannot reach h2 after the link came back"
}

# no_storm: on a converged ring, h1's broadcast reaches h2 and h3 once each
# no_storm_quiet: h1's broadcast reaches h2 and h3 once each; fails if
# not.  STORM_COPIES says how many each got.
no_storm_quiet()
{
	local i n ret=0

	for i in 2 3; do
		capture_bg "$(ns "h$i")" eth0 "$TMPD/h$i" -Q in 'ether proto 0x88b5'
	done
	captures_ready "$TMPD/h2" "$TMPD/h3"
	send_frame "$(ns h1)" 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff
	# A loop would bring copies within milliseconds; 4 s is about the
	# window this check always had.
	sleep 4
	captures_stop
	STORM_COPIES=
	for i in 2 3; do
		n=$(grep -c "ethertype Unknown (0x88b5)" "$TMPD/h$i")
		STORM_COPIES+="h$i $n "
		[ "$n" -eq 1 ] || ret=1
	done
	return $ret
}

no_storm()
{
	no_storm_quiet
	check_err $? "copies of h1's broadcast: $STORM_COPIES(want 1 each)"
	log_test "a broadcast reaches every host exactly once: no storm"
}

# decode FILE: tshark's verbose decoding of FILE (stdout and stderr) in
# DECODED; fails if tshark does.  One run per capture: tshark takes five
# seconds or more to start under TCG.
decode()
{
	DECODED=$(tshark -r "$1" -V 2>&1)
}

# decoded_clean: DECODED has a BPDU and no complaint
decoded_clean()
{
	grep -q "Spanning Tree Protocol" <<<"$DECODED" &&
		! grep -Eqi "malformed|expert info \((error|warning)" <<<"$DECODED"
}

# rstp_ring: the ring (and the mesh) run RSTP, with its least forward
# delay (802.1D-2004 17.14); with no proposal and agreement, a designated
# port would forward only after 2 x FD.
rstp_ring()
{
	STP_MODE=rstp
	FD=4
	CONVERGE_MS=$(((MAX_AGE + 2 * FD + 8) * 1000))
}

# port_role N PORT: PORT's RSTP role on kbridge N; role_is N PORT ROLE
port_role()
{
	sx "$1" kbrctl -j showstp sw |
		jq -r --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .role'
}

role_is()
{
	[ "$(port_role "$1" "$2")" == "$3" ]
}

# counter N PORT NAME: a spanning tree counter of PORT on kbridge N
counter()
{
	sx "$1" kbrctl -j showstp sw |
		jq --arg p "$2" --arg c "$3" \
			'.[0].ports[] | select(.ifname == $p) | .counters[$c]'
}

# longest_gap_ms FILE US: the longest time between two replies in the
# output of ping -D, if replies came until a second after US (now_us's
# microseconds); nothing if they did not
longest_gap_ms()
{
	awk -F'[][]' -v t="$2" '/bytes from/ {
		if (last != "" && $2 - last > max)
			max = $2 - last
		last = $2
	} END { if (last * 1000000 > t + 1000000) printf "%d", max * 1000 }' "$1"
}

# stp_peer_ports N: s1's p12 fell back to 802.1D more than N times so
# far, and s3's p32 hears configuration BPDUs
stp_peer_ports()
{
	[ "$(counter 1 p12 to_stp)" -gt "$1" ] && [ "$(counter 3 p32 config_rx)" -gt 0 ]
}

root_is()
{
	[ "$(root_id "$1")" == "$2" ]
}

# tc N, no_tc N: switch N (a kbridge) signals (does not signal) a
# topology change.  Both fail when showstp does: "! tc" would pass then.
# This tc hides iproute2's: call that one as "command tc".
tc()
{
	sx "$1" kbrctl -j showstp sw |
		jq -e '.[0].flags | arrays | index("TOPOLOGY_CHANGE") != null' >/dev/null
}

no_tc()
{
	sx "$1" kbrctl -j showstp sw |
		jq -e '.[0].flags | arrays | index("TOPOLOGY_CHANGE") == null' >/dev/null
}

# knows N MAC: kbridge N has an FDB entry for MAC
knows()
{
	sx "$1" kbrctl -j showmacs sw |
		jq -e --arg m "$2" 'any(.[]; .mac == $m)' >/dev/null
}

# forgot N MAC: kbridge N has none (fails when showmacs does)
forgot()
{
	sx "$1" kbrctl -j showmacs sw |
		jq -e --arg m "$2" 'arrays | all(.[]; .mac != $m)' >/dev/null
}

# rx_bad N PORT
rx_bad()
{
	sx "$1" kbrctl -j showstp sw |
		jq --arg p "$2" '.[0].ports[] | select(.ifname == $p) | .counters.rx_bad'
}

rx_bad_ge()
{
	[ "$(rx_bad 1 ph)" -ge "$1" ]
}

test_port_forwarding()
{
	[ "$(port_state "$1" "$2")" == forwarding ]
}

test_blocked()
{
	settled && [ "$(blocked_now)" == "$1" ]
}

# bpdu_send KIND...: BPDUs from h1 (see bpdu.py)
bpdu_send()
{
	ip netns exec "$(ns h1)" python3 "$(dirname "$0")/bpdu.py" eth0 "$@"
}

# A lone kbridge with STP on and one port p1 to host namespace gh.
guard_setup()
{
	local g gh

	g=$(ns g)
	gh=$(ns gh)
	ns_create "$g" "$gh" || return 1
	ip netns exec "$g" kbrctl addbr kb0 &&
	ip netns exec "$g" kbrctl sethello kb0 1 &&
	ip netns exec "$g" kbrctl setmaxage kb0 "$MAX_AGE" &&
	ip netns exec "$g" kbrctl setfd kb0 "$FD" &&
	ip netns exec "$g" kbrctl stp kb0 on || return 1
	ip -n "$g" link add p1 type veth peer name eth0 netns "$gh"
	ip netns exec "$g" kbrctl addif kb0 p1 || return 1
	ip -n "$gh" link set eth0 addrgenmode none
	ip -n "$g" link set p1 up && ip -n "$gh" link set eth0 up &&
	ip -n "$g" link set kb0 up
}

gx() { netns_exec "$(ns g)" "$@"; }

# gport KEY: p1's field in showstp -j
gport()
{
	gx kbrctl -j showstp kb0 | jq -c --arg k "$1" '.[0].ports[0][$k]'
}

gstate_is() { [ "$(gport state)" == "\"$1\"" ]; }
# gcarrier, gno_carrier: kb0 has (has no) carrier; both fail when ip does.
gcarrier()
{
	ip -n "$(ns g)" -j link show kb0 |
		jq -e '.[0].flags | arrays | index("LOWER_UP") != null' >/dev/null
}
gno_carrier()
{
	ip -n "$(ns g)" -j link show kb0 |
		jq -e '.[0].flags | arrays | index("LOWER_UP") == null' >/dev/null
}
gstate_not() { [ "$(gport state)" != "\"$1\"" ]; }

guard_bpdu()
{
	ip netns exec "$(ns gh)" python3 "$(dirname "$0")/bpdu.py" eth0 "$1"
}

# guard_bpdu_every SECS KIND: KIND again every SECS s until killed
guard_bpdu_every()
{
	exec ip netns exec "$(ns gh)" python3 "$(dirname "$0")/bpdu.py" \
		--every "$1" eth0 "$2"
}

# groot_guarded: p1's root guard has refused a superior BPDU
groot_guarded()
{
	[ "$(gport counters | jq .root_guard)" -ge 1 ]
}

groot()
{
	gx kbrctl -j showstp kb0 | jq -r '.[0].designated_root'
}

groot_is()
{
	[ "$(groot)" == "$1" ]
}

# interop K1 K2 K3: the same tree and failover as the all-kbridge ring
interop()
{
	local root

	ring_destroy
	if ! ring_build "$@"; then
		check_err 1 "ring setup failed"
		return
	fi
	converge
	check_err $? "no single blocked port: $(blocked)"
	[ "$(blocked)" == "3:p32" ]
	check_err $? "blocked: $(blocked), want 3:p32"
	root=$(bridge_id 1)
	[ "$(root_id 2)" == "$root" ] && [ "$(root_id 3)" == "$root" ]
	check_err $? "roots: $(root_id 2), $(root_id 3), want $root"
	failover_test
}

cleanup()
{
	ring_destroy
	lib_cleanup
	ip -all netns list 2>/dev/null | awk '{ print $1 }' |
		grep -- "-$$\$" | xargs -r -n1 ip netns del 2>/dev/null
}

# setup_failed TITLE: the test TITLE fails for want of its setup
setup_failed()
{
	check_err 1 "setup failed"
	log_test "$1"
}

# stp_run: run the script's tests, with cleanup on exit.
stp_run()
{
	trap cleanup EXIT
	tests_run
}
