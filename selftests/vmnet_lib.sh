# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The pieces of a VM host's network, for the scenario scripts
# (kbr_net_*.sh): VMs as network namespaces plugged into a kbridge, a real
# DHCP client in each (busybox's udhcpc), dnsmasq as libvirt runs it, and
# a TCP service that tells each client the address it came from.  Source
# after lib.sh, and end the script with vmnet_main: its exit trap stops
# every daemon started here (vmnet_cleanup), on failure too.

VMNET_PIDS=()
PEERECHO=$KBR_TOP/selftests/peerecho.py

# vm_create VM HOSTNS BR PORT: netns VM whose eth0 is the peer of PORT in
# HOSTNS, PORT up and a port of BR.
vm_create()
{
	local vm=$1 hostns=$2 br=$3 port=$4

	ns_create "$vm" || return 1
	ip -n "$hostns" link add "$port" type veth peer name eth0 netns "$vm" ||
		return 1
	ip -n "$hostns" link set "$port" up || return 1
	ip -n "$vm" link set eth0 up || return 1
	kbrctl -n "$hostns" addif "$br" "$port"
}

# vmnet_host HOST OUT BRADDR VM...: the VM host HOST with kb0 (at
# BRADDR/24 if not empty) and the uplink wan (203.0.113.1/24, forwarding
# on) to the outside OUT (eth0, 203.0.113.10/24); the Nth VM on port pN.
vmnet_host()
{
	local host=$1 out=$2 braddr=$3 vm i=0

	shift 3
	ns_create "$host" "$out" || return 1
	kbrctl -n "$host" addbr kb0 || return 1
	ip -n "$host" -batch - <<-EOF || return 1
		link add wan type veth peer name eth0 netns $out
		link set kb0 up
		address add 203.0.113.1/24 dev wan
		link set wan up
	EOF
	if [ -n "$braddr" ]; then
		ip -n "$host" address add "$braddr/24" dev kb0 || return 1
	fi
	ip netns exec "$host" sysctl -qw net.ipv4.ip_forward=1 || return 1
	ip -n "$out" -batch - <<-EOF || return 1
		address add 203.0.113.10/24 dev eth0
		link set eth0 up
	EOF
	for vm in "$@"; do
		i=$((i + 1))
		vm_create "$vm" "$host" kb0 "p$i" || return 1
	done
}

# vm_mac VM: the MAC address of VM's eth0
vm_mac()
{
	ip -n "$1" -j link show eth0 | jq -r '.[0].address'
}

# vm_exec VM CMD...: CMD in VM, with the resolv.conf its lease gave it
# (ip netns exec gives each command its own mount namespace, so the bind
# mount is gone when CMD ends).
vm_exec()
{
	local vm=$1

	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$vm" sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' \
		"$TMPD/$vm.resolv" "$@"
}

# dnsmasq_start NS NAME ARGS...: dnsmasq in NS as root (its leases and
# log in $TMPD/NAME.leases and NAME.log; no config file, /etc/hosts or
# upstream server of this machine's), returning once it serves.
dnsmasq_start()
{
	local ns=$1 name=$2

	shift 2
	: >"$TMPD/$name.log"
	ip netns exec "$ns" timeout -k 5 600 dnsmasq --keep-in-foreground \
		--conf-file=/dev/null --no-hosts --no-resolv --pid-file \
		--user=root --group=root --log-dhcp --log-queries \
		--log-facility="$TMPD/$name.log" \
		--dhcp-leasefile="$TMPD/$name.leases" "$@" \
		2>"$TMPD/$name.err" &
	VMNET_PIDS+=($!)
	# dnsmasq starting beside other scripts: not a timing check
	if ! busywait 20000 grep -q "started, version" "$TMPD/$name.log"; then
		check_err 1 "dnsmasq $name did not start: $(cat "$TMPD/$name.err" "$TMPD/$name.log")"
		return 1
	fi
}

# dhcp VM HOSTNAME: a lease for VM's eth0 from whatever DHCP server
# answers, asking for HOSTNAME to be registered.  udhcpc's event script
# applies it as a guest would (address, default route, resolv.conf) and
# keeps what was offered in
# $TMPD/VM.ip, VM.router, VM.dns and VM.resolv.  Fails with no lease
# after 8 discovers 2 s apart: three leases at once took 17 s on the
# debug kernel beside another script, 5 s on the stock one.
dhcp()
{
	local vm=$1 host=$2

	rm -f "$TMPD/$vm".{ip,router,dns,resolv}
	ip netns exec "$vm" env VMNET_OUT="$TMPD/$vm" timeout -k 5 60 \
		busybox udhcpc -i eth0 -f -q -n -t 8 -T 2 -x hostname:"$host" \
		-s "$KBR_TOP/selftests/udhcpc-event" >"$TMPD/$vm.dhcp" 2>&1 &&
		[ -s "$TMPD/$vm.ip" ]
}

# lease_of LEASES MAC: the address LEASES (dnsmasq's lease file) gives MAC
lease_of()
{
	awk -v m="$2" '$2 == m { print $3 }' "$1"
}

# ip_of VM: the address VM's lease gave it
ip_of()
{
	cat "$TMPD/$1.ip" 2>/dev/null
}

# dhcp_all LEASES ROUTER VM...: the VMs boot at once, as VMs on a host
# do, and ask for leases, the Nth as host name vmN; each must get the
# address dnsmasq's LEASES file has for its MAC, as a /24 on its eth0,
# and ROUTER as its gateway (none if empty).
dhcp_all()
{
	local leases=$1 router=$2 vm i=0 pids=() leased

	shift 2
	for vm in "$@"; do
		i=$((i + 1))
		dhcp "$vm" "vm$i" &
		pids+=($!)
	done
	i=0
	for vm in "$@"; do
		i=$((i + 1))
		if ! wait "${pids[i - 1]}"; then
			check_err 1 "vm$i got no lease: $(<"$TMPD/$vm.dhcp")"
			continue
		fi
		leased=$(lease_of "$leases" "$(vm_mac "$vm")")
		[ -n "$leased" ] && [ "$leased" = "$(ip_of "$vm")" ]
		check_err $? "vm$i has $(ip_of "$vm"), dnsmasq leased it '$leased'"
		ip -n "$vm" -j address show eth0 |
			jq -e --arg a "$(ip_of "$vm")" \
				'any(.[0].addr_info[]; .local == $a and .prefixlen == 24)' >/dev/null
		check_err $? "vm$i's eth0 does not carry $(ip_of "$vm")/24"
		[ "$(<"$TMPD/$vm.router")" = "$router" ]
		check_err $? "vm$i's gateway is '$(<"$TMPD/$vm.router")', want '$router'"
	done
}

# resolves VM NAME WANT: VM's resolver (its lease's DNS server) gives
# NAME the address WANT
resolves()
{
	local got

	got=$(vm_exec "$1" python3 -c '
import socket, sys
print(socket.gethostbyname(sys.argv[1]))' "$2" 2>&1)
	[ "$got" = "$3" ]
	check_err $? "${1%-*} resolves $2 to '$got', want $3"
}

# behind HOST VM...: HOST's kb0 has learned the Nth VM's MAC on pN
behind()
{
	local host=$1 vm i=0

	shift
	for vm in "$@"; do
		i=$((i + 1))
		kbrctl -n "$host" -j showmacs kb0 |
			jq -e --arg m "$(vm_mac "$vm")" --arg p "p$i" \
				'any(.[]; .mac == $m and .ifname == $p and (.is_local | not))' \
				>/dev/null
		check_err $? "showmacs kb0 lacks vm$i's $(vm_mac "$vm") on p$i"
	done
}

# peerecho_start NS PORT NAME: a TCP service on PORT in NS answering each
# connection with the peer's address, logging each peer in
# $TMPD/NAME.log; returns once it listens.
peerecho_start()
{
	: >"$TMPD/$3.log"
	ip netns exec "$1" timeout -k 5 600 python3 "$PEERECHO" serve "$2" \
		>"$TMPD/$3.log" 2>&1 &
	VMNET_PIDS+=($!)
	# python3 starting beside other scripts: not a timing check
	if ! busywait 20000 grep -q listening "$TMPD/$3.log"; then
		check_err 1 "peer echo $3 did not start: $(<"$TMPD/$3.log")"
		return 1
	fi
}

# peerecho VM HOST PORT: connect from VM (with its lease's resolver) to
# HOST (a name or an address), print the address the service saw; fails
# if no answer within 3 s.
peerecho()
{
	vm_exec "$1" python3 "$PEERECHO" ask "$2" "$3"
}

# A ping every WATCH_EVERY s through a change, and the longest silence
# it saw: the scenarios' bound for a host or VM kept reachable through a
# change is one second without a reply.
WATCH_EVERY=0.1
WATCH_MAX_GAP=1.0
WATCH_PID=

# watch_replies: the sequence numbers of the watch's echo replies (not
# of its errors, "From ... Destination Host Unreachable"), iputils' or
# busybox's
watch_replies()
{
	sed -n 's/^[0-9]* bytes from .* \(icmp_\)\{0,1\}seq=\([0-9]*\) .*/\2/p' "$TMPD/watch"
}

# watch_start NS DEST: NS pings DEST until watch_check; returns once five
# replies came (fails if they did not within 10 s)
watch_start()
{
	ip netns exec "$1" "${PING[@]}" -n -i "$WATCH_EVERY" -W 1 -w 120 "$2" \
		>"$TMPD/watch" 2>&1 &
	WATCH_PID=$!
	busywait 10000 watch_replied 5 && return 0
	kill -INT "$WATCH_PID" 2>/dev/null
	wait "$WATCH_PID" 2>/dev/null
	WATCH_PID=
	return 1
}

# watch_replied N: the watch has had N replies
watch_replied()
{
	[ "$(watch_replies | wc -l)" -ge "$1" ]
}

# watch_gap: the longest time (s) between two replies of the stopped
# watch, from their sequence numbers; silence at the end, up to the last
# request sent, counts too
watch_gap()
{
	local sent

	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$TMPD/watch")
	[ -n "$sent" ] || return 1
	# (iputils numbers its requests from 1, busybox from 0)
	watch_replies |
		awk -v every="$WATCH_EVERY" -v sent="$sent" \
		    -v base="$([ "${PING[0]}" = busybox ] && echo 0 || echo 1)" '
			{ if (NR > 1 && $1 - last > gap) gap = $1 - last; last = $1 }
			END { if (sent + base - last > gap) gap = sent + base - last
			      printf "%.1f\n", gap * every }'
}

# watch_check WHAT: stop the watch; its longest silence is within
# WATCH_MAX_GAP, else the test fails saying WHAT went unanswered
watch_check()
{
	local gap

	# (here, not in watch_gap's subshell: only this shell can wait for
	# ping, and ping's summary must be written before it is read)
	kill -INT "$WATCH_PID" 2>/dev/null
	wait "$WATCH_PID" 2>/dev/null
	WATCH_PID=
	gap=$(watch_gap)
	log_info "$1: longest silence ${gap:-?} s"
	awk -v g="$gap" -v m="$WATCH_MAX_GAP" 'BEGIN { exit !(g != "" && g <= m) }'
	check_err $? "$1 went unanswered for ${gap:-?} s (at most $WATCH_MAX_GAP): $(<"$TMPD/watch")"
}

# The demos of scripts/demo-net ("make demo SCENARIO=NAME").  They keep
# their files in DEMO_DIR, which is in the command line of their daemons.
DEMO_DIR=/tmp/kbridge-demo
# the namespaces the demos make, as scripts/demo-net lists them
DEMO_NETNS=$(bash -c '. "$0"; echo "$DEMO_NETNS"' "$KBR_TOP/scripts/demo-net")

# run_demo NAME: scripts/demo NAME in a namespace of its own, its output
# in $TMPD/NAME; it must end well (it stops at the first command that
# fails) and leave no namespace, device or daemon of its own behind
run_demo()
{
	local ns=kbr-demo-$$ rc left

	# (last in NETNS_LIST until the demo is over: killed, lib_cleanup
	# removes it)
	ns_create "$ns" || { check_err 1 "no namespace for the demo"; return 1; }
	# (a new namespace has lo and the tunnel modules' fallback devices)
	ip -n "$ns" -br link | awk '{ print $1 }' >"$TMPD/links.before"
	ip netns exec "$ns" timeout 300 "$KBR_TOP/scripts/demo" "$1" >"$TMPD/$1" 2>&1
	rc=$?
	check_err "$rc" "the $1 demo failed ($rc): $(tail -n 8 "$TMPD/$1")"
	left=$(ip netns list | awk '{ print $1 }' | grep -xF "${DEMO_NETNS// /$'\n'}")
	check_err "${#left}" "the $1 demo left namespaces: $left"
	# a veth whose peer's namespace is going goes with it, soon
	busywait 5000 demo_no_devices "$ns"
	check_err $? "the $1 demo left devices: $(demo_devices "$ns")"
	left=$(ip netns exec "$ns" nft list tables)
	check_err "${#left}" "the $1 demo left nftables tables: $left"
	left=$(pgrep -a -f "$DEMO_DIR")
	check_err "${#left}" "the $1 demo left processes running: $left"
	ip netns del "$ns"
	NETNS_LIST=("${NETNS_LIST[@]:0:${#NETNS_LIST[@]}-1}")
}

# demo_devices NS: NS's devices that a new namespace does not have
demo_devices()
{
	ip -n "$1" -br link | awk '{ print $1 }' | grep -vxF -f "$TMPD/links.before"
}

demo_no_devices()
{
	[ -z "$(demo_devices "$1")" ]
}

# demo_shows NAME REGEX WHAT: the NAME demo's output has a line matching
# REGEX (grep's), else it does not show WHAT
demo_shows()
{
	grep -q -- "$2" "$TMPD/$1"
	check_err $? "the $1 demo does not show $3"
}

# vmnet_alive: one of VMNET_PIDS is still running
vmnet_alive()
{
	local pid

	for pid in "${VMNET_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null && return 0
	done
	return 1
}

# vmnet_cleanup: every daemon started here stopped (SIGTERM, then
# SIGKILL after 5 s).
vmnet_cleanup()
{
	local i

	[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
	[ ${#VMNET_PIDS[@]} -gt 0 ] || return 0
	# Each was started under "timeout -k 5": SIGTERM reaches the
	# daemon through timeout, and SIGKILL 5 s later if it is still there.
	kill "${VMNET_PIDS[@]}" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		vmnet_alive || break
		nap 0.1
	done
	kill -KILL "${VMNET_PIDS[@]}" 2>/dev/null
	wait "${VMNET_PIDS[@]}" 2>/dev/null
	VMNET_PIDS=()
}

# vmnet_main: setup, then the tests; at exit the script's cleanup (if
# it has one), then every daemon and namespace stopped and removed.
# shellcheck disable=SC2154 # retmsg, ksft_fail: lib.sh's
vmnet_main()
{
	trap 'declare -F cleanup >/dev/null && cleanup; vmnet_cleanup; lib_cleanup' EXIT
	if ! setup || [ "$RET" -ne 0 ]; then
		echo "Bail out! setup failed: $retmsg"
		exit "$ksft_fail"
	fi
	tests_run
}

require_cmd dnsmasq
require_cmd busybox
require_cmd python3
