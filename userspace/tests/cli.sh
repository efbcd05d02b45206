#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kbrctl's command line without a kernel: usage, argument counts, value
# parsing, byte for byte against brctl 1.7.1 (../shared/reference), with
# "kbrctl" in place of "brctl".  KTAP output; exit 0 pass, 1 fail.

KBRCTL=${1:-./kbrctl}
n=0
failed=0

# run NAME WANT_RC WANT_STDOUT WANT_STDERR ARGS...
run()
{
	local name=$1 want_rc=$2 want_out=$3 want_err=$4 out err rc
	shift 4

	out=$("$KBRCTL" "$@" 2>/tmp/kbrctl-cli.err; echo "rc=$?")
	rc=${out##*rc=}
	out=${out%rc=*}
	err=$(cat /tmp/kbrctl-cli.err)
	n=$((n + 1))
	if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ] ||
	   [ "$err" != "$want_err" ]; then
		failed=$((failed + 1))
		echo "not ok $n $name"
		echo "#   rc $rc (want $want_rc)"
		printf '#   stdout: %q\n#   want:   %q\n' "$out" "$want_out"
		printf '#   stderr: %q\n#   want:   %q\n' "$err" "$want_err"
	else
		echo "ok $n $name"
	fi
}

usage=$(printf '%s\n' \
	"Usage: kbrctl [commands]" \
	"commands:" \
	"	addbr     	<bridge>		add bridge" \
	"	delbr     	<bridge>		delete bridge" \
	"	addif     	<bridge> <device>	add interface to bridge" \
	"	delif     	<bridge> <device>	delete interface from bridge" \
	"	hairpin   	<bridge> <port> {on|off}	turn hairpin on/off" \
	"	setageing 	<bridge> <time>		set ageing time" \
	"	setbridgeprio	<bridge> <prio>		set bridge priority" \
	"	setfd     	<bridge> <time>		set bridge forward delay" \
	"	sethello  	<bridge> <time>		set hello time" \
	"	setmaxage 	<bridge> <time>		set max message age" \
	"	setpathcost	<bridge> <port> <cost>	set path cost" \
	"	setportprio	<bridge> <port> <prio>	set port priority" \
	"	show      	[ <bridge> ]		show a list of bridges" \
	"	showmacs  	<bridge>		show a list of mac addrs" \
	"	showstp   	<bridge>		show bridge stp info" \
	"	stp       	<bridge> {on|off}	turn stp on/off")
brctl_usage=$usage
usage+=$'\n'
usage+=$(printf '%s\n' \
	"extensions:" \
	"	setportflag	<bridge> <port> <flag> {on|off}	flag: learning flood mcast_flood" \
	"					bcast_flood isolated hairpin bpduguard rootguard" \
	"					edge autoedge loopguard; p2p {on|off|auto}" \
	"	setfdbmax 	<bridge> <n>		cap learned addresses (0: none)" \
	"	setfdbpolicy	<bridge> {evict|refuse}	at the cap: evict or refuse" \
	"	setfdbstaticmax	<bridge> <n>	cap static entries (0: none)" \
	"	setguardrecovery	<bridge> <time>	BPDU guard lets ports back (0: never)" \
	"	settxholdcount	<bridge> <n>	RSTP: BPDUs a port sends a second (1-10)" \
	"	migrate   	<bridge> <port>	RSTP: try RST BPDUs again (mcheck)" \
	"	setportfdbmax	<bridge> <port> <n>	cap addresses learned on a port" \
	"	fdb       	{add|del} <bridge> <port> <mac> [vlan <vid>]	static entries" \
	"			show [<bridge> [port <port>]]	the whole table" \
	"	flush     	<bridge> [<port>] [vlan <vid>] [all]	forget learned (all: and" \
	"			static) entries" \
	"	setvlanfiltering	<bridge> {on|off}	802.1Q VLAN filtering" \
	"	setvlanproto	<bridge> {802.1q|802.1ad}	the tag VLANs switch on" \
	"	setdefaultpvid	<bridge> <vid>	the VLAN new ports join (0: none)" \
	"	vlan      	{add|del} <bridge> {<port>|self} <vid>[-<vid>] [pvid] [untagged]" \
	"			show [-s] [-c] [<bridge>]	memberships" \
	"	monitor   	[bridge] [port] [fdb] [stp] [all]	print events" \
	"options:" \
	"	-j, --json	JSON output" \
	"	-n, --netns <name>	in network namespace <name>" \
	"	-V, --version	print the version" \
	"	-h, --help	this text")
usage+=$'\n'

echo "KTAP version 1"
echo "1..26"

# The usage text is brctl's, checked against the captured reference too.
ref=$(dirname "$0")/../../../shared/reference/brctl-output.txt
if [ -r "$ref" ]; then
	refusage=$(sed -n '/^Usage: brctl/,$p' "$ref" | sed 's/brctl/kbrctl/')
	[ "$refusage" == "$brctl_usage" ] || echo "# usage differs from $ref"
fi

run "no arguments: usage, exit 1" 1 "$usage" "" 
run "-h: usage, exit 0" 0 "$usage" "" -h
run "unknown command" 1 "$usage" "never heard of command [foo]" foo
run "unknown option" 1 "$usage" \
	"$(printf '%s\n' "$KBRCTL: invalid option -- 'x'" "Unknown option '?'")" -x
run "-n with a namespace that is not there" 1 "" \
	'Cannot open network namespace "kbr-no-such-netns": No such file or directory' \
	-n kbr-no-such-netns show
run "-n with a path" 1 "" 'Invalid netns name "a/b"' -n a/b show
run "-n without a name" 1 "$usage" \
	"$(printf '%s\n' "$KBRCTL: option requires an argument -- 'n'" "Unknown option '?'")" -n
run "addbr without bridge" 1 \
	$'Incorrect number of arguments for command\nUsage: kbrctl addbr <bridge>\t\tadd bridge\n' "" addbr
run "delbr without bridge" 1 \
	$'Incorrect number of arguments for command\nUsage: kbrctl delbr <bridge>\t\tdelete bridge\n' "" delbr
run "hairpin with two arguments" 1 \
	$'Incorrect number of arguments for command\nUsage: kbrctl hairpin <bridge> <port> {on|off}\tturn hairpin on/off\n' \
	"" hairpin br0 eth0
n=$((n + 1))
if "$KBRCTL" -V | grep -Eqx 'kbrctl, [0-9a-f]{7,}.*|kbrctl, v?[0-9].*'; then
	echo "ok $n -V prints the version"
else
	failed=$((failed + 1))
	echo "not ok $n -V prints the version: $("$KBRCTL" -V)"
fi
run "setageing bad value" 1 "" "bad ageing time value" setageing br0 abc
run "setfd bad value" 1 "" "bad forward delay value" setfd br0 x
run "sethello bad value" 1 "" "bad hello timer value" sethello br0 x
run "setmaxage bad value" 1 "" "bad max age value" setmaxage br0 x
run "setbridgeprio bad value" 1 "" "bad priority" setbridgeprio br0 x
run "setpathcost bad value" 1 "" "bad path cost value" setpathcost br0 eth0 x
run "stp bad keyword" 1 "" "expect on/off for argument" stp br0 maybe
run "hairpin bad keyword" 1 "" "expect on/off for argument" hairpin br0 eth0 maybe
run "setportflag p2p bad keyword" 1 "" "expect on/off/auto for argument" setportflag br0 eth0 p2p maybe
run "setportflag unknown flag" 1 "" \
	"unknown port flag 'x' (learning, flood, mcast_flood, bcast_flood, isolated, hairpin, bpduguard, rootguard, edge, autoedge, loopguard, p2p)" \
	setportflag br0 eth0 x on
run "setfdbmax bad value" 1 "" "bad fdb max value" setfdbmax br0 12x
run "setportfdbmax bad value" 1 "" "bad fdb max value" setportfdbmax br0 eth0 1x
run "setfdbpolicy bad value" 1 "" "bad fdb policy value: evict or refuse" \
	setfdbpolicy br0 drop
run "setfdbstaticmax bad value" 1 "" "bad fdb static max value" \
	setfdbstaticmax br0 -1
run "fdb add bad mac" 1 "" "bad mac address 'zz:00'" fdb add br0 lo zz:00
run "fdb add bad vlan" 1 "" "bad vlan id 'x'" fdb add br0 lo 02:00:00:00:00:01 vlan x
run "fdb add missing port" 1 "" "interface nosuch does not exist!" \
	fdb add br0 nosuch 02:00:00:00:00:01
run "setportflag bad keyword" 1 "" "expect on/off for argument" \
	setportflag br0 eth0 isolated maybe
long=$(printf 'b%.0s' {1..9000})
run "an argument too long for a request" 1 "" \
	"kbrctl: argument 1 is too long (9000 bytes, at most 255)" addbr "$long"

rm -f /tmp/kbrctl-cli.err
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
