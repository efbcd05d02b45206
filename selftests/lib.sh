# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for kbridge selftests, after tools/testing/selftests/net/forwarding:
# a test script sets ALL_TESTS, sources this file, defines one function per
# test that calls check_err/check_fail and ends with log_test, then calls
# tests_run.  Output is KTAP; the exit status is 0 pass, 1 fail, 4 skip.

KBR_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KBR_KMOD=${KBR_KMOD:-$KBR_TOP/kmod/kbridge.ko}
# ns between the frames of an endless pktgen flood: 0, full speed.  The
# debug kernel (no preemption, KASAN, kmemleak) needs a delay of at least
# 100 us, where pktgen sleeps instead of spinning: a spinning pktgen thread
# keeps its vCPU from reporting RCU quiescent states, grace periods crawl,
# every freed skb's kmemleak metadata waits in an RCU callback, and a netns
# deletion (synchronize_rcu under RTNL) stalls for minutes while memory runs
# out.  check-debug uses 1 ms.
KBR_FLOOD_DELAY_NS=${KBR_FLOOD_DELAY_NS:-0}
export PATH=$KBR_TOP/userspace:$KBR_TOP/selftests:$PATH

ksft_fail=1
ksft_skip=4

RET=0
retmsg=
EXIT_STATUS=0
n_test=0
NETNS_LIST=()
# The script's scratch directory, made when this file is sourced and
# removed by lib_cleanup.
TMPD=

# check_err ERR MSG: remember the first failure of this test.  Any
# non-zero ERR is a failure (an exit status of 4 is not a skip here).
check_err()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -ne 0 ]; then
		RET=$ksft_fail
		retmsg=$msg
	fi
}

# check_fail ERR MSG: the command was meant to fail.
check_fail()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -eq 0 ]; then
		RET=1
		retmsg=$msg
	fi
}

# log_test NAME: report the test that just ran, then reset.
log_test()
{
	local name=$1

	n_test=$((n_test + 1))
	if [ "$RET" -eq "$ksft_skip" ]; then
		echo "ok $n_test $name # SKIP $retmsg"
	elif [ "$RET" -ne 0 ]; then
		echo "not ok $n_test $name"
		echo "#   $retmsg"
		EXIT_STATUS=$ksft_fail
	else
		echo "ok $n_test $name"
	fi
	RET=0
	retmsg=
}

log_skip()
{
	RET=$ksft_skip
	retmsg=$1
	log_test "$2"
}

# log_fail MSG NAME: NAME failed with MSG (say, it could not run).
log_fail()
{
	RET=$ksft_fail
	retmsg=$1
	log_test "$2"
}

log_info()
{
	echo "# $*"
}

# nap SECONDS: sleep without a process (a read that times out on a pipe
# nobody writes to).  A process costs 40 ms of a vCPU in the TCG guest,
# and the scripts poll thousands of times.
nap()
{
	read -rt "$1" -u "$NAP_FD"
}

# busywait TIMEOUT_MS CMD...: poll CMD until it succeeds or time is up.
busywait()
{
	local timeout_ms=$1 start now
	shift

	start=${EPOCHREALTIME//[!0-9]/}
	while true; do
		"$@" && return 0
		now=${EPOCHREALTIME//[!0-9]/}
		[ $(((now - start) / 1000)) -gt "$timeout_ms" ] && return 1
		nap 0.1
	done
}

# expect_output NAME WANT_RC WANT_STDOUT WANT_STDERR CMD...: run CMD and
# compare its exit status and both outputs exactly.  Its stderr goes
# through one file: not in a subshell or two background jobs at once.
expect_output()
{
	local name=$1 want_rc=$2 want_out=$3 want_err=$4 out err rc
	shift 4

	out=$("$@" 2>"$TMPD/expect.err")
	rc=$?
	err=$(<"$TMPD/expect.err")
	if [ "$rc" != "$want_rc" ]; then
		check_err 1 "$name: exit status $rc, want $want_rc (stderr: $err)"
	elif [ "$out" != "$want_out" ]; then
		check_err 1 "$name: stdout $(printf %q "$out"), want $(printf %q "$want_out")"
	elif [ "$err" != "$want_err" ]; then
		check_err 1 "$name: stderr $(printf %q "$err"), want $(printf %q "$want_err")"
	fi
}

require_cmd()
{
	if ! command -v "$1" >/dev/null; then
		echo "1..0 # SKIP $1 not installed"
		exit $ksft_skip
	fi
}

# netns_exec NS CMD...: CMD in network namespace NS.  kbrctl and ip
# enter it themselves (-n), which saves ip netns exec's process (50 ms of
# a vCPU in the TCG guest): the scripts run them thousands of times.
netns_exec()
{
	local ns=$1 cmd=$2

	shift 2
	case $cmd in
	kbrctl|ip)
		"$cmd" -n "$ns" "$@" ;;
	*)
		ip netns exec "$ns" "$cmd" "$@" ;;
	esac
}

# nsx CMD...: CMD in the script's own namespace, $NS
nsx()
{
	netns_exec "$NS" "$@"
}

# pingx NS DEST [WAIT [TRIES]]: an echo reply from DEST within WAIT (2)
# seconds, in at most TRIES (3) tries: the first may be lost to ARP in a
# slow guest.  A ping meant to go unanswered takes TRIES 1.
pingx()
{
	local i

	for ((i = 0; i < ${4:-3}; i++)); do
		ip netns exec "$1" "${PING[@]}" -q -c 1 -W "${3:-2}" "$2" \
			>/dev/null 2>&1 && return 0
	done
	return 1
}

# unreachable NS DEST CONTROL [WAIT]: DEST does not answer NS within WAIT
# (1) seconds.  CONTROL, which NS does reach, answers one ping within the
# same WAIT right before: the silence is then the network's, not a slow
# kernel's or a broken host's.  A failed control is the test's message.
unreachable()
{
	local wait=${4:-1}

	if ! pingx "$1" "$3" "$wait" 1; then
		check_err 1 "control: $1 got no reply from $3 within $wait s"
		return 1
	fi
	! pingx "$1" "$2" "$wait" 1
}

# send_raw NS HEX [DEV]: the frame HEX (destination address first, no
# FCS) out of NS's DEV (eth0).
send_raw()
{
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[2], 0))
s.send(bytes.fromhex(sys.argv[1]))
' "$2" "${3:-eth0}"
}

# send_frame NS SRC DST [TYPE [DEV]]: one minimal Ethernet frame from
# SRC to DST, ethertype TYPE (hex, 88b5: local experimental), out of NS's
# DEV (eth0).
send_frame()
{
	local zeros

	printf -v zeros '%092d' 0	# 46 bytes of payload
	send_raw "$1" "${3//:/}${2//:/}${4:-88b5}$zeros" "${5:-eth0}"
}

# flood_start NS SRC COUNT [FLAG [DST]]: pktgen sends 60-byte frames to
# DST (default broadcast) out of NS's eth0 until flood_stop, from COUNT
# source addresses counting up from SRC (FLAG MACSRC_RND: in random order;
# "" for none), KBR_FLOOD_DELAY_NS apart.  One flood at a time per script.
FLOOD_NS=
FLOOD_PID=
flood_start()
{
	modprobe pktgen || return 1
	FLOOD_NS=$1
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$1" env D="$KBR_FLOOD_DELAY_NS" S="$2" N="$3" F="${4:-}" \
		T="${5:-ff:ff:ff:ff:ff:ff}" sh -c '
		echo rem_device_all > /proc/net/pktgen/kpktgend_0
		echo "add_device eth0" > /proc/net/pktgen/kpktgend_0
		for c in "count 0" "clone_skb 0" "pkt_size 60" "delay $D" \
			 "dst_mac $T" "src_mac $S" "src_mac_count $N" \
			 ${F:+"flag $F"}; do
			echo "$c" > /proc/net/pktgen/eth0
		done
		exec echo start > /proc/net/pktgen/pgctrl' &
	FLOOD_PID=$!
}

# flood_stop: a stop sent before the flood started is lost: it is sent
# again while the flood runs (5 s at most).
flood_stop()
{
	local i

	[ -n "$FLOOD_NS" ] || return 0
	for ((i = 0; i < 50; i++)); do
		kill -0 "$FLOOD_PID" 2>/dev/null || break
		ip netns exec "$FLOOD_NS" sh -c 'echo stop > /proc/net/pktgen/pgctrl' \
			2>/dev/null
		nap 0.1
	done
	wait "$FLOOD_PID" 2>/dev/null
	FLOOD_NS=
	FLOOD_PID=
}

# One-frame captures, for "this frame arrives" and "which comes first".
# capture_start NS FILTER [DIRECTION [DEV]]: tcpdump on NS's DEV (eth0)
# in the background, DIRECTION (inout) frames only, one line per frame
# with its MAC addresses, ending after the first frame.  Returns once it
# listens (its filter is set by then); if it never does, the test fails.
CAP_PID=
# shellcheck disable=SC2034 # for the scripts
FRAME=
capture_start()
{
	capture_stop
	: >"$TMPD/cap.out"
	: >"$TMPD/cap.err"
	# Not through a function: $! must be tcpdump itself.
	ip netns exec "$1" tcpdump -i "${4:-eth0}" -Q "${3:-inout}" -c 1 -l \
		-nn -e --immediate-mode "$2" >"$TMPD/cap.out" 2>"$TMPD/cap.err" &
	CAP_PID=$!
	busywait 10000 capture_listening
	check_err $? "tcpdump in $1 did not start: $(<"$TMPD/cap.err")"
}

capture_listening()
{
	[[ $(<"$TMPD/cap.err") == *"listening on"* ]]
}

# capture_frame: wait for the captured frame (5 s), stop, set FRAME to
# it (empty if none came).
capture_frame()
{
	FRAME=
	# shellcheck disable=SC2034 # for the scripts
	busywait 5000 test -s "$TMPD/cap.out" && read -r FRAME <"$TMPD/cap.out"
	capture_stop
}

capture_stop()
{
	[ -n "$CAP_PID" ] || return 0
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=
}

# Captures of every frame through a window, for counting.
# capture_bg NS DEV OUT TCPDUMP_ARGS...: tcpdump -e -nn -l of NS's DEV
# into OUT (its stderr into OUT.err) in the background, until
# captures_stop (30 s at most); its pid joins CAPS.
CAPS=()
capture_bg()
{
	local ns=$1 dev=$2 out=$3

	shift 3
	# Not through a function: $! must be what kill reaches (timeout
	# passes the signal on to tcpdump).
	ip netns exec "$ns" timeout 30 tcpdump -i "$dev" -e -nn -l "$@" \
		>"$out" 2>"$out.err" &
	CAPS+=($!)
}

# captures_ready OUT...: each capture listens, else the test fails: a
# capture that never started would pass every "no frame here" check.
captures_ready()
{
	local out

	for out in "$@"; do
		busywait 10000 grep -q "listening on" "$out.err"
		check_err $? "tcpdump into ${out##*/} did not start: $(<"$out.err")"
	done
}

# captures_stop: end every capture in CAPS.
captures_stop()
{
	[ ${#CAPS[@]} -gt 0 ] || return 0
	kill "${CAPS[@]}" 2>/dev/null
	wait "${CAPS[@]}" 2>/dev/null
	CAPS=()
}

# kbr_load: make sure kbridge.ko (from this tree) is loaded.
kbr_load()
{
	[ -d /sys/module/kbridge ] && return 0
	insmod "$KBR_KMOD"
}

# ns_create NAME...: network namespaces removed by cleanup.
ns_create()
{
	local ns

	for ns in "$@"; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
		NETNS_LIST+=("$ns")
	done
}

# lib_cleanup: what this file made (a script's own cleanup calls it).
lib_cleanup()
{
	local ns

	capture_stop
	captures_stop
	flood_stop
	for ns in "${NETNS_LIST[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	NETNS_LIST=()
	[ -n "$TMPD" ] && rm -rf "$TMPD"
	TMPD=
}

# tests_run: print the KTAP plan, run ALL_TESTS (or those in $TESTS, as
# in the kernel's forwarding selftests: some need those before them),
# each followed by the seconds it took, exit with the verdict.
tests_run()
{
	local t start

	echo "KTAP version 1"
	# shellcheck disable=SC2086
	set -- ${TESTS:-$ALL_TESTS}
	echo "1..$#"
	for t in "$@"; do
		start=$SECONDS
		# Not a local: the tests' own variables would shadow it.
		TESTS_RUN_RESULTS=$n_test
		if declare -F "$t" >/dev/null; then
			"$t"
			# A test that returns early without a result fails:
			# else a broken setup would pass unseen.
			[ "$n_test" -gt "$TESTS_RUN_RESULTS" ] ||
				log_fail "returned without a result" "$t"
		else
			log_fail "no test named $t" "$t"
		fi
		echo "# $t: $((SECONDS - start)) s"
	done
	exit "$EXIT_STATUS"
}

require_cmd ip
require_cmd jq
# gojq for every jq in these scripts: the same language, started in
# 35 ms in the TCG guest where jq 1.6 takes 250 ms (it compiles its
# builtins at every start), and the scripts run jq thousands of times.
# Required, not preferred: "jq -e" on empty input (a kbrctl that failed
# before printing) exits 4 in gojq but 0 in jq 1.6, and the checks here
# rely on it failing.  gojq prints object keys sorted; nothing here
# compares jq's output text with key order in it.
require_cmd gojq
jq() { gojq "$@"; }
# iputils' ping if there is one, else busybox's (busybox-static is a
# dependency); both take -q -c -W alike.
if command -v ping >/dev/null; then
	PING=(ping)
else
	require_cmd busybox
	PING=(busybox ping)
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP must run as root"
	exit $ksft_skip
fi
if ! kbr_load; then
	echo "Bail out! cannot load $KBR_KMOD"
	exit $ksft_fail
fi
TMPD=$(mktemp -d) || exit $ksft_fail
trap lib_cleanup EXIT
mkfifo "$TMPD/nap" && exec {NAP_FD}<>"$TMPD/nap" || exit $ksft_fail
