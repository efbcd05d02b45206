#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: alone (its floods run at full speed for tens of seconds and hold
# back softirqs, timers included, on their CPU: beside it, a spanning tree
# script once saw its tree move)
#
# Large tables, on scale_lib.sh's bridge fed by pktgen:
#  - a port with more entries behind it than a sweep of the table looks
#    at in one RCU section is deleted: every one of its entries goes;
#  - a million learned addresses: "kbrctl fdb show" and iproute2's "bridge
#    fdb show" bring every one back exactly once (resumable dumps, each
#    part going on where the last one ended), and a flush drops them all.

ALL_TESTS="
	port_delete_large
	fdb_dump_1m
"

# shellcheck source=scale_lib.sh
source "$(dirname "$0")/scale_lib.sh"

# More than KBR_SWEEP_BATCH x KBR_SWEEP_BATCHES (256 x 64 = 16384)
# entries behind p1: deleting p1 sweeps them in batches, and at least
# once leaves RCU and finds its place again by key.  None of p1's may
# stay, h2's must.
port_delete_large()
{
	local n=20000 least=16385 pass learned h2mac p1mac

	h2mac=$(ip -n "$H2" -j link show eth0 | jq -r '.[0].address')
	p1mac=$(ip -n "$SW" -j link show p1 | jq -r '.[0].address')
	nsx kbrctl setageing kb0 3600
	pingx "$H2" 192.0.2.254 && busywait 5000 h2_entry "$h2mac"
	check_err $? "h2 not learned"
	# As in fdb_dump_1m, a pass may miss a few sources.
	for pass in 1 2 3 4 5 6 7 8; do
		pktgen_run "$n" "$n" >/dev/null
		check_err $? "pktgen failed"
		learned=$(br_stat fdb_learned)
		log_info "pass $pass: $learned learned"
		[ "$learned" -gt "$n" ] && break
	done
	# h2's entry is one of them.
	[ "$learned" -gt "$least" ]
	check_err $? "learned $learned addresses, want more than $least"

	nsx kbrctl delif kb0 p1
	check_err $? "delif kb0 p1 failed"
	[ "$(br_stat fdb_learned)" -eq 1 ] && h2_entry "$h2mac"
	check_err $? "after delif: $(br_stat fdb_learned) learned, want h2's entry alone"
	nsx kbrctl -j showmacs kb0 | jq -e --arg p "$p1mac" --arg d "$DST" \
		'all(.[]; .mac != $p and .mac != $d and (.mac | startswith("02:10:") | not))' \
		>/dev/null
	check_err $? "entries of p1 left: $(nsx kbrctl -j showmacs kb0 |
		jq -c --arg p "$p1mac" --arg d "$DST" '[.[] | select(.mac == $p or
			.mac == $d or (.mac | startswith("02:10:")))][:5]')"

	# p1 back as the other tests know it.
	nsx kbrctl addif kb0 p1 && nsx kbrctl fdb add kb0 p1 "$DST" &&
		nsx kbrctl flush kb0 && nsx kbrctl setageing kb0 300
	check_err $? "p1 not restored"
	log_test "a port with $n entries deleted: every one of them goes, h2's stays"
}

fdb_dump_1m()
{
	local pass n start ms res out

	nsx kbrctl setfdbmax kb0 0
	nsx kbrctl setageing kb0 3600
	# Backlog drops and hash-table growth may miss a few sources in one
	# pass; a pass over the same sequence only learns what is missing.
	for pass in 1 2 3 4 5 6 7 8; do
		res=$(pktgen_run "$MILLION" "$MILLION")
		check_err $? "pktgen failed"
		n=$(br_stat fdb_learned)
		log_info "pass $pass: $n learned; pktgen $res"
		[ "$n" -ge "$MILLION" ] && break
	done
	# The hosts' own addresses may be learned too.
	[ "$n" -ge "$MILLION" ] && [ "$n" -le $((MILLION + 2)) ]
	check_err $? "learned $n addresses, want $MILLION and the hosts"

	out=$TMPD/dump
	start=$(date +%s%N)
	nsx kbrctl fdb show kb0 >"$out"
	check_err $? "fdb show failed"
	ms=$((($(date +%s%N) - start) / 1000000))
	log_info "fdb show of $MILLION learned entries: $ms ms"
	n=$(awk '$1 ~ /^02:10:/ { print $1 }' "$out" | sort -u | wc -l)
	[ "$n" -eq "$MILLION" ]
	check_err $? "fdb show brought back $n distinct addresses, want $MILLION"
	# iproute2's too, through the bridge device's ndo_fdb_dump.
	start=$(date +%s%N)
	ip netns exec "$SW" bridge fdb show >"$out"
	check_err $? "bridge fdb show failed"
	ms=$((($(date +%s%N) - start) / 1000000))
	log_info "bridge fdb show of them: $ms ms"
	n=$(awk '$1 ~ /^02:10:/ && / master kb0/ { print $1 }' "$out" |
		sort | uniq -c | awk '$1 == 1' | wc -l)
	[ "$n" -eq "$MILLION" ]
	check_err $? "bridge fdb show listed $n addresses once each, want $MILLION"

	start=$(date +%s%N)
	nsx kbrctl flush kb0
	check_err $? "flush failed"
	log_info "flush of $MILLION entries: $((($(date +%s%N) - start) / 1000000)) ms"
	[ "$(br_stat fdb_learned)" -eq 0 ]
	check_err $? "entries left after the flush"
	nsx kbrctl setfdbmax kb0 65536
	log_test "a dump of $MILLION entries comes back complete"
}

scale_run
