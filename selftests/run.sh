#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run kbridge selftests in the (guest) kernel this runs on: every program
# in the Makefile's TEST_PROGS, or those named.  Each one's test cases
# count; so does a script that dies, and so does any kernel report
# (BUG, WARNING, KASAN, lockdep, kmemleak, a new taint) in its dmesg.
# Ends with "N passed, N failed[, N skipped]"; exit 0 only if none failed.
#
# Scheduling: the scripts run KBR_JOBS at a time (default: one per CPU),
# longest first by the seconds in ./times (./times.debug with
# KBR_DEBUG_KERNEL=1; a script not listed there counts as the longest).
# A script whose header has the line "# run.sh: alone" (it unloads
# kbridge, or asserts kernel-wide counts) runs after all the others,
# with nothing else running; so does one with
# "# run.sh: alone on the debug kernel" when KBR_DEBUG_KERNEL=1.  Every
# script has its own namespaces; what they share is loaded once before
# the first starts (see preload), so no script loads a module while
# others run.
#
# Output: one KTAP stream in the order the scripts were given, each
# script's lines together, whatever order they finish in.  Each script's
# output is also kept in ./.results/out/ while it runs (a guest that times
# out still leaves it), and the seconds each took in .results/times.run.
#
# Kernel reports: the kernel log is followed into .results/out/.klog from
# the start (the ring buffer may wrap in a long run).  A script is charged
# with every report between its start marker and the moment its result is
# read, so a report raised while two scripts ran fails both; so is a bad
# taint bit that appeared meanwhile.  At the end kbridge is unloaded
# (which waits for namespaces still going away), and a report or a taint
# bit no script was charged with (say, from an RCU callback after the
# last script ended) fails the run.

cd "$(dirname "$0")" || exit 1
export PATH=$PWD/../userspace:$PWD:$PATH

BAD_DMESG='BUG:|kernel BUG|WARNING:|Oops|KASAN|UBSAN|general protection fault|'\
'possible circular locking|possible recursive locking|inconsistent lock state|'\
'suspicious RCU usage|unreferenced object|suspected memory leak|'\
'INFO: task .* blocked|Call Trace'
# Out-of-tree (O) and unsigned (E) module taints are expected.
OK_TAINT=$(((1 << 12) | (1 << 13)))
TEST_TIMEOUT=${KBR_TEST_TIMEOUT:-900}
JOBS=${KBR_JOBS:-$(nproc)}
KBR_KMOD=${KBR_KMOD:-$PWD/../kmod/kbridge.ko}

RES=$PWD/.results
OUT=$RES/out
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
: >"$RES/times.run"

pass=0
fail=0
skip=0

if [ $# -gt 0 ]; then
	tests=("$@")
else
	read -ra tests <<<"$(make -s --no-print-directory list)"
fi
declare -A seen
for t in "${tests[@]}"; do
	if [[ $t == */* || ! -x $t || -n ${seen[$t]:-} ]]; then
		echo "Bail out! '$t': give each selftest once, by its name in selftests/"
		exit 1
	fi
	seen[$t]=1
done
if ! [[ $JOBS =~ ^[1-9][0-9]*$ ]]; then
	echo "Bail out! KBR_JOBS must be a positive number, not '$JOBS'"
	exit 1
fi
KLOG=$OUT/.klog
# Markers in the kernel log carry this run's tag: the log holds every
# earlier run of the same boot.
MARK="kbr-selftest ${$}-${EPOCHREALTIME//[!0-9]/}:"

bad_taint()
{
	echo $(($(cat /proc/sys/kernel/tainted) & ~OK_TAINT))
}

# preload: kbridge, and the modules scripts load for their ports,
# floods, Open vSwitch and the VM networks' nftables rules.  A module
# loaded while another script runs would change that script's world:
# ip_gre adds gre0, gretap0 and erspan0 to every namespace, and
# kbr_errors.sh checks that a refused command leaves its links alone.
preload()
{
	local m

	if [ ! -d /sys/module/kbridge ] && ! insmod "$KBR_KMOD"; then
		echo "Bail out! cannot load $KBR_KMOD"
		exit 1
	fi
	for m in bridge 8021q bonding vxlan ip_gre tun pktgen openvswitch \
		 nf_tables nft_ct nft_chain_nat nft_masq nft_reject_ipv4; do
		modprobe -q "$m" 2>/dev/null
	done
}

# seconds NAME: NAME's time in ./times (on the debug kernel in
# ./times.debug, where the order differs), 100000 when not listed.
TIMES=./times
[ "${KBR_DEBUG_KERNEL:-}" = 1 ] && [ -e times.debug ] && TIMES=./times.debug
seconds()
{
	local s

	s=$(awk -v t="$1" '$1 == t { print $2 }' "$TIMES" 2>/dev/null)
	echo "${s:-100000}"
}

# is_alone NAME: NAME's header has "# run.sh: alone", or "# run.sh: alone
# on the debug kernel" and this is a run with KBR_DEBUG_KERNEL=1.
is_alone()
{
	grep -q '^# run.sh: alone' "$1" || return 1
	grep -q '^# run.sh: alone on the debug kernel' "$1" || return 0
	[ "${KBR_DEBUG_KERNEL:-}" = 1 ]
}

declare -A pid_of start_of taint_of index_of
idx=0
for t in "${tests[@]}"; do
	index_of[$t]=$idx
	idx=$((idx + 1))
done

# launch NAME: start NAME in the background, output to $OUT/NAME.
launch()
{
	local t=$1

	echo "$MARK start $t" >/dev/kmsg
	start_of[$t]=$(date +%s)
	taint_of[$t]=$(bad_taint)
	timeout "$TEST_TIMEOUT" "./$t" >"$OUT/$t" 2>&1 </dev/null &
	pid_of[$!]=$t
}

# klog_has MARKER: wait (5 s at most) for the follower to have written
# this run's MARKER to $KLOG.
klog_has()
{
	local i

	for ((i = 0; i < 50; i++)); do
		grep -q "$MARK $1\$" "$KLOG" && return 0
		sleep 0.1
	done
	return 1
}

# kernel_report NAME: the kernel's complaints since NAME's start marker,
# also kept in $OUT/.charged for the sweep at the end.
kernel_report()
{
	local t

	klog_has "end $1"
	if ! grep -q "$MARK start $1\$" "$KLOG"; then
		echo "no start marker in the kernel log"
		return
	fi
	sed -n "/$MARK start $1\$/,\$p" "$KLOG" | grep -E "$BAD_DMESG" |
		tee -a "$OUT/.charged"
	t=$(($(bad_taint) & ~taint_of[$1]))
	if [ "$t" -ne 0 ]; then
		echo "kernel tainted: $(cat /proc/sys/kernel/tainted)"
		echo "taint $t" >>"$OUT/.charged"
	fi
}

# finish NAME RC SECONDS: count NAME's results and write its KTAP block
# to $OUT/NAME.ktap.
finish()
{
	local t=$1 rc=$2 secs=$3 p f s verdict report

	echo "$t $secs" >>"$RES/times.run"
	s=$(grep -Ec '^ok .*# SKIP' "$OUT/$t")
	p=$(grep -E '^ok ' "$OUT/$t" | grep -vc '# SKIP')
	f=$(grep -Ec '^not ok ' "$OUT/$t")
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	{
		echo "# selftest: $t"
		sed 's/^/  /' "$OUT/$t"
		verdict=ok
		if [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
			echo "# $t: exit status $rc without a failed case (died? timeout is 124)"
			fail=$((fail + 1))
			verdict="not ok"
		fi
		[ "$f" -gt 0 ] && verdict="not ok"
		report=$(kernel_report "$t")
		if [ -n "$report" ]; then
			echo "# $t: kernel report in dmesg:"
			while IFS= read -r line; do
				echo "#   $line"
			done <<<"$report"
			fail=$((fail + 1))
			verdict="not ok"
		fi
		[ "$rc" -eq 4 ] && [ "$verdict" == ok ] && verdict="ok # SKIP"
		echo "$verdict $((index_of[$t] + 1)) selftests: $t ($secs s)"
	} >"$OUT/$t.ktap"
}

# flush: print the finished blocks that are next in the given order.
next=0
flush()
{
	while [ "$next" -lt "${#tests[@]}" ] &&
	      [ -e "$OUT/${tests[$next]}.ktap" ]; do
		cat "$OUT/${tests[$next]}.ktap"
		next=$((next + 1))
	done
}

# reap: wait for one running script; its end marker goes out at once,
# its results are read by done_reaped (after the next script started:
# reading them takes seconds on the debug kernel).
reaped=()
reap()
{
	local pid rc=0 t

	wait -n -p pid "${!pid_of[@]}" || rc=$?
	t=${pid_of[$pid]}
	unset "pid_of[$pid]"
	echo "$MARK end $t" >/dev/kmsg
	reaped+=("$t $rc $(($(date +%s) - start_of[$t]))")
}

done_reaped()
{
	local r

	for r in "${reaped[@]}"; do
		# shellcheck disable=SC2086 # "NAME RC SECONDS"
		finish $r
	done
	reaped=()
	flush
}

# run_pool JOBS NAME...: run the NAMEs, at most JOBS at a time.
run_pool()
{
	local jobs=$1 t
	shift

	for t in "$@"; do
		while [ "${#pid_of[@]}" -ge "$jobs" ]; do
			reap
		done
		launch "$t"
		done_reaped
	done
	while [ "${#pid_of[@]}" -gt 0 ]; do
		reap
		done_reaped
	done
}

shared=()
alone=()
while read -r _ t; do
	if is_alone "$t"; then
		alone+=("$t")
	else
		shared+=("$t")
	fi
done < <(for t in "${tests[@]}"; do echo "$(seconds "$t") $t"; done |
	 sort -k1,1nr -s)

echo "KTAP version 1"
echo "1..${#tests[@]}"
echo "# $JOBS at a time: ${shared[*]}; then alone: ${alone[*]}"
dmesg -w >"$KLOG" 2>&1 &
klog_pid=$!
trap 'kill "$klog_pid" 2>/dev/null' EXIT
echo "$MARK run start" >/dev/kmsg
run_taint=$(bad_taint)
: >"$OUT/.charged"
preload
run_pool "$JOBS" "${shared[@]}"
run_pool 1 "${alone[@]}"

# Unloading waits for the namespaces scripts deleted and the kernel still
# tears down: what that reports comes before the sweep.
for _ in $(seq 20); do
	[ -d /sys/module/kbridge ] || break
	rmmod kbridge 2>/dev/null || sleep 0.5
done
if [ -d /sys/module/kbridge ]; then
	echo "# kbridge did not unload after the run: refcount $(cat /sys/module/kbridge/refcnt)"
	fail=$((fail + 1))
fi

# A debug kernel keeps kmemleak: ask it once more at the end.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	if [ -n "$leaks" ]; then
		echo "# kmemleak:"
		echo "$leaks" | head -n 40 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
fi

# The sweep: reports no script was charged with, once the follower has
# the end marker.
echo "$MARK run end" >/dev/kmsg
if ! klog_has "run end"; then
	echo "# the kernel log follower lost the end marker"
	fail=$((fail + 1))
fi
kill "$klog_pid"
wait "$klog_pid" 2>/dev/null
trap - EXIT
late=$(sed -n "/$MARK run start\$/,\$p" "$KLOG" | grep -E "$BAD_DMESG" |
       grep -vxFf "$OUT/.charged")
if [ -n "$late" ]; then
	echo "# kernel report outside every script's run:"
	echo "$late" | head -n 40 | sed 's/^/#   /'
	fail=$((fail + 1))
fi
t=$(($(bad_taint) & ~run_taint))
while read -r _ bits; do
	t=$((t & ~bits))
done < <(grep '^taint ' "$OUT/.charged")
if [ "$t" -ne 0 ]; then
	echo "# kernel tainted outside every script's run: $(cat /proc/sys/kernel/tainted)"
	fail=$((fail + 1))
fi

summary="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && summary+=", $skip skipped"
echo "# $summary"
[ "$fail" -eq 0 ]
