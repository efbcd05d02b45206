#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The FDB at scale, on scale_lib.sh's bridge fed by pktgen (every check
# is on this bridge's own counts and table, so it runs beside others):
#  - ageing by the ring of due-time slots: idle entries go within the
#    ageing time and a slot, never before; one refreshed all along stays
#    for three ageing times; a shorter ageing time applies at once to
#    entries filed under a long one;
#  - a dump that the FDB changes under (kbr_recv_shim.so adds an entry
#    between its parts): the kernel flags it, kbrctl reads it to its end,
#    asks again and prints one consistent table.
# (kbr_fdb_large.sh has the large tables, which need the machine alone.)

ALL_TESTS="
	ageing_ring
	fdb_dump_interrupted
"

# shellcheck source=scale_lib.sh
source "$(dirname "$0")/scale_lib.sh"

# ms_since T0: milliseconds since T0 (date +%s%N)
ms_since()
{
	echo $((($(date +%s%N) - $1) / 1000000))
}

learned_at_most()
{
	[ "$(br_stat fdb_learned)" -le "$1" ]
}

ageing_ring()
{
	local n=2000 t0 learned now ms h2mac ping_pid p0

	h2mac=$(ip -n "$H2" -j link show eth0 | jq -r '.[0].address')
	nsx kbrctl flush kb0
	nsx kbrctl setageing kb0 4
	# h2 is seen every 0.5 s until its entry is checked, at least 13 s
	# on: the entry must never age.  (It once ended after 13 s and the
	# check came more than an ageing time after the last ping on the
	# debug kernel: the entry had rightly gone.)
	p0=$(date +%s%N)
	ip netns exec "$H2" ping -q -i 0.5 192.0.2.254 >/dev/null 2>&1 &
	ping_pid=$!
	# Every entry is learned after t0: none may go before t0 + 4 s.
	pktgen_run "$n" "$n" >/dev/null
	check_err $? "pktgen failed"
	t0=$PKTGEN_T0
	learned=$(br_stat fdb_learned)
	# What matters is that they age, not that all made it (a debug
	# kernel drops many at the backlog).
	[ "$learned" -ge $((n / 10)) ]
	check_err $? "learned $learned of $n addresses"

	sleep 2
	# Late learning (frames still on the backlog) may add a few; a read
	# that ends 4 s after t0 or later may see them go.
	now=$(br_stat fdb_learned)
	ms=$(ms_since "$t0")
	[ "$now" -ge "$learned" ] || [ "$ms" -ge 4000 ]
	check_err $? "$((learned - now)) entries aged out within $ms ms of the first frame, ageing time 4 s"
	# Due at 4 s, collected within a slot (0.4 s): 7 s from learning
	# leaves room for a slow guest.  h2's own entry stays.
	busywait 5000 learned_at_most 1
	ms=$(ms_since "$t0")
	check_err $? "$(br_stat fdb_learned) entries left $ms ms after learning, ageing time 4 s"
	log_info "$learned idle entries aged out by $ms ms after the first frame (ageing time 4 s)"
	ms=$(ms_since "$p0")
	[ "$ms" -ge 13000 ] || sleep "$(((13000 - ms) / 1000 + 1))"
	h2_entry "$h2mac"
	check_err $? "h2, seen every 0.5 s for $(ms_since "$p0") ms, aged out (ageing time 4 s)"
	kill "$ping_pid"
	wait "$ping_pid"

	nsx kbrctl setageing kb0 3600
	pktgen_run "$n" "$n" >/dev/null
	check_err $? "pktgen failed"
	t0=$(date +%s%N)
	nsx kbrctl setageing kb0 2
	busywait 6000 learned_at_most 0
	check_err $? "$(br_stat fdb_learned) entries filed under ageing 3600 s left $(ms_since "$t0") ms after setageing 2"
	nsx kbrctl setageing kb0 300
	log_test "ageing: idle entries go on time, refreshed ones stay, a new ageing time applies at once"
}

fdb_dump_interrupted()
{
	local n=3000 got uniq out log flagged new=02:ee:00:00:00:77

	nsx kbrctl setageing kb0 3600
	for _ in 1 2 3; do
		pktgen_run "$n" "$n" >/dev/null
		check_err $? "pktgen failed"
		got=$(br_stat fdb_learned)
		[ "$got" -ge "$n" ] && break
	done
	[ "$got" -ge "$n" ]
	check_err $? "learned $got addresses, want $n"

	out=$TMPD/dump
	log=$TMPD/shim.log
	nsx env LD_PRELOAD="$KBR_TOP/selftests/kbr_recv_shim.so" KBR_SHIM_LOG="$log" \
		KBR_SHIM_CMD="kbrctl fdb add kb0 p2 $new" \
		kbrctl fdb show kb0 >"$out" 2>&1
	check_err $? "fdb show failed: $(tail -n 2 "$out")"
	flagged=$(cat "$log")
	[ "${flagged:-0}" -ge 1 ]
	check_err $? "the dump was not interrupted (no part flagged NLM_F_DUMP_INTR)"
	got=$(awk '$1 ~ /^02:10:/' "$out" | wc -l)
	uniq=$(awk '$1 ~ /^02:10:/ { print $1 }' "$out" | sort -u | wc -l)
	[ "$got" -eq "$n" ] && [ "$uniq" -eq "$n" ]
	check_err $? "fdb show printed $got learned addresses ($uniq distinct), want $n once each"
	grep -q "^$new " "$out"
	check_err $? "the entry added during the dump is missing from the retry"
	log_info "$flagged message(s) flagged NLM_F_DUMP_INTR; one table printed"
	nsx kbrctl fdb del kb0 p2 "$new"
	nsx kbrctl flush kb0
	log_test "an FDB dump changed under kbrctl is read again, printed once"
}

scale_run
