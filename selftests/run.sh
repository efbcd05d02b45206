#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run kbridge selftests in the (guest) kernel this runs on: every program
# in the Makefile's TEST_PROGS, or those named.  Each one's test cases
# count; so does a script that dies, and so does any kernel report
# (BUG, WARNING, KASAN, lockdep, kmemleak, a new taint) in its dmesg.
# Ends with "N passed, N failed[, N skipped]"; exit 0 only if none failed.

cd "$(dirname "$0")" || exit 1
export PATH=$PWD/../userspace:$PWD:$PATH

BAD_DMESG='BUG:|kernel BUG|WARNING:|Oops|KASAN|UBSAN|general protection fault|'\
'possible circular locking|possible recursive locking|inconsistent lock state|'\
'suspicious RCU usage|unreferenced object|suspected memory leak|'\
'INFO: task .* blocked|Call Trace'
# Out-of-tree (O) and unsigned (E) module taints are expected.
OK_TAINT=$(((1 << 12) | (1 << 13)))
TEST_TIMEOUT=${KBR_TEST_TIMEOUT:-900}

pass=0
fail=0
skip=0

if [ $# -gt 0 ]; then
	tests=("$@")
else
	read -ra tests <<<"$(make -s --no-print-directory list)"
fi

# kernel_report NAME: the kernel's complaints since NAME's start marker.
kernel_report()
{
	dmesg | sed -n "/kbr-selftest: start $1\$/,\$p" | grep -E "$BAD_DMESG"
	local t

	t=$(cat /proc/sys/kernel/tainted)
	if [ $((t & ~OK_TAINT)) -ne 0 ]; then
		echo "kernel tainted: $t"
	fi
}

echo "KTAP version 1"
echo "1..${#tests[@]}"
n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	out=$(mktemp)
	echo "# selftest: $t"
	echo "kbr-selftest: start $t" >/dev/kmsg
	start=$(date +%s)
	timeout "$TEST_TIMEOUT" "./$t" 2>&1 | tee "$out" | sed 's/^/  /'
	rc=${PIPESTATUS[0]}
	echo "kbr-selftest: end $t" >/dev/kmsg

	p=$(grep -Ec '^ok .*# SKIP' "$out")
	skip=$((skip + p))
	p=$(grep -E '^ok ' "$out" | grep -vc '# SKIP')
	f=$(grep -Ec '^not ok ' "$out")
	pass=$((pass + p))
	fail=$((fail + f))

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
	echo "$verdict $n selftests: $t ($(($(date +%s) - start)) s)"
	rm -f "$out"
done

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

summary="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && summary+=", $skip skipped"
echo "# $summary"
[ "$fail" -eq 0 ]
