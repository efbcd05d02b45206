#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# completion.sh COMPLETION KBRCTL: kbrctl's bash completion (COMPLETION)
# run word by word as bash runs it (COMP_WORDS, COMP_CWORD), against
# made-up devices: "ip" is a function here.  Every command KBRCTL's help
# lists must complete.  Prints "ok"/"not ok" lines; exit 1 if any failed.

# shellcheck source=userspace/kbrctl.bash-completion
source "$1"
kbrctl=$2
pass=0
fail=0

# Two kbridges with ports, other devices; namespace "red": one kbridge.
ip()
{
	local where=

	if [ "$1" = -n ]; then
		where=$2
		shift 2
	fi
	case "$where $*" in
	" netns list")
		printf 'vm1 (id: 0)\nvm2\n' ;;
	"red -o link show type kbridge")
		echo "4: kr: <BROADCAST,MULTICAST> mtu 1500" ;;
	" -o link show type kbridge")
		printf '5: kb0: <BROADCAST> mtu 1500\n6: kb1: <BROADCAST> mtu 1500\n' ;;
	" -o link show master kb0")
		printf '7: p1@if2: <BROADCAST> mtu 1500\n8: p2@if3: <BROADCAST> mtu 1500\n' ;;
	" -o link show master kb1")
		echo "9: q1@if4: <BROADCAST> mtu 1500" ;;
	" -o link show")
		printf '%s\n' "1: lo: <LOOPBACK> mtu 65536" \
			"2: eth0: <BROADCAST> mtu 1500" \
			"5: kb0: <BROADCAST> mtu 1500" \
			"6: kb1: <BROADCAST> mtu 1500" \
			"7: p1@if2: <BROADCAST> mtu 1500 master kb0 state UP" \
			"8: p2@if3: <BROADCAST> mtu 1500 master kb0 state UP" \
			"9: q1@if4: <BROADCAST> mtu 1500 master kb1 state UP" \
			"10: tap0: <BROADCAST> mtu 1500" ;;
	esac
}

# expect LINE WANT: completing LINE (the last word is the one being
# typed, empty after a blank) offers exactly the words WANT.
expect()
{
	local got

	# As bash gives them: the line, the cursor at its end, the words
	# split at blanks and at COMP_WORDBREAKS' ":" and "=".
	COMP_LINE=$1
	COMP_POINT=${#1}
	read -ra COMP_WORDS <<<"${1//[:=]/ : }"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_kbrctl
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	# shellcheck disable=SC2086
	if [ "$got" == "$(printf '%s\n' $2 | sort | tr '\n' ' ')" ]; then
		echo "ok '$1' -> $2"
		pass=$((pass + 1))
	else
		echo "not ok '$1' -> '$got', want '$2'"
		fail=$((fail + 1))
	fi
}

# Every command of "kbrctl -h", and nothing else.
cmds=$("$kbrctl" -h 2>&1 | sed -n 's/^\t\([a-z]*\)\s.*/\1/p' | tr '\n' ' ')
if [ "$(echo "$cmds" | wc -w)" -ge 25 ]; then
	expect "kbrctl " "$cmds"
else
	echo "not ok kbrctl -h lists these commands: $cmds"
	fail=$((fail + 1))
fi
expect "kbrctl add" "addbr addif"
expect "kbrctl -" "-j --json -n --netns -V --version -h --help"
expect "kbrctl -n " "vm1 vm2"
expect "kbrctl -n red show " "kr"
expect "kbrctl -j showmacs k" "kb0 kb1"
expect "kbrctl addbr " ""
expect "kbrctl delif " "kb0 kb1"
expect "kbrctl delif kb0 " "p1 p2"
expect "kbrctl delif kb0 p1 " "p1 p2"
expect "kbrctl addif kb1 " "lo eth0 tap0"
expect "kbrctl hairpin kb1 " "q1"
expect "kbrctl hairpin kb1 q1 " "on off"
expect "kbrctl stp kb0 " "on off stp rstp"
expect "kbrctl setvlanproto kb0 " "802.1q 802.1ad"
expect "kbrctl setfdbpolicy kb0 " "evict refuse"
expect "kbrctl setfdbpolicy " "kb0 kb1"
expect "kbrctl setfdbstaticmax " "kb0 kb1"
expect "kbrctl setportflag kb0 p2 " "learning flood mcast_flood bcast_flood
	isolated hairpin bpduguard rootguard edge autoedge loopguard p2p"
expect "kbrctl setportflag kb0 p2 edge " "on off"
expect "kbrctl setportflag kb0 p2 p2p " "on off auto"
expect "kbrctl setpathcost kb0 " "p1 p2"
expect "kbrctl setpathcost kb0 p1 " ""
expect "kbrctl fdb " "add del show"
expect "kbrctl fdb add kb0 " "p1 p2"
expect "kbrctl fdb add kb0 p1 02:00:00:00:00:01 " "vlan"
expect "kbrctl fdb add kb0 p1 02:00:00:00:00:01 vlan 10 " ""
expect "kbrctl fdb add kb0 p1 02:00" ""
expect "kbrctl --netns=red show " "kr"
expect "kbrctl --netns red delif kr " ""
expect "kbrctl fdb show kb1 " "port"
expect "kbrctl fdb show kb1 port " "q1"
expect "kbrctl flush kb0 " "p1 p2 vlan all"
expect "kbrctl flush kb0 vlan " ""
expect "kbrctl flush kb0 p1 " "vlan all"
expect "kbrctl flush kb0 vlan 10 " "all"
expect "kbrctl flush kb0 all " ""
expect "kbrctl vlan add kb0 p1 10 pvid " "untagged"
expect "kbrctl vlan add kb0 " "p1 p2 self"
expect "kbrctl vlan add kb0 p1 10 " "pvid untagged"
expect "kbrctl vlan show " "-s -c kb0 kb1"
expect "kbrctl monitor fdb " "bridge port fdb stp all"

echo "# completion: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
