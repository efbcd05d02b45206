#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: alone (teardown_under_load floods at full speed on the stock
# kernel, which is kept away from the timing scripts.  On the debug
# kernel its flood under a namespace teardown
# piles up RCU work: beside the spanning tree tests the teardown outlasted
# its 30 s wait, and with a 120 s wait the guest's processes were killed,
# most likely out of memory; its dmesg was lost)
#
# Port kinds and the seed scenario: the devices people plug into a switch
# on a VM host, each carrying traffic both ways, and teardown while frames
# flow; how VMs' taps and boot-time bridges get there (QEMU's tap scripts,
# the libvirt and ifupdown hooks).
#
#   h1 (veth) --- p1 ---+
#                       |
#   tapvm.py --- tap0 --+ kb0 (sw)       a tap held open by a process
#   h3 (vlan 100) - p3.100                an 802.1Q device as a port
#   h4 (bond) -- bond0 --+                a bond of two veths
#   vxlan0 / gt0 ============ kb1 (sw2) --- h2      tunnels over a veth underlay
#   p9 ============ br0 (Linux bridge, lb) --- gw, l1     the seed scenario
#
# Every host has an address in 192.0.2.0/24; the bridge has .254.

ALL_TESTS="
	tap_port
	qemu_scripts
	libvirt_hook
	ifupdown_hook
	vlan_dev_port
	bond_port
	vxlan_port
	gretap_port
	linux_bridge_interop
	offloads_follow_ports
	teardown_under_load
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd python3

SW=kbr-ports-sw-$$
NS=$SW		# nsx runs here
SW2=kbr-ports-sw2-$$
H1=kbr-ports-h1-$$
TAP_PID=

# no_port BR PORT [NS]: PORT is not in BR's port list (fails when show
# does: a negated "is a port" would pass then)
no_port()
{
	ip netns exec "${3:-$SW}" kbrctl -j show "$1" |
		jq -e --arg p "$2" '.[0].interfaces | arrays | index($p) == null' >/dev/null
}

# fdb_lacks BR MAC: BR's table has no entry for MAC (fails when showmacs
# does)
fdb_lacks()
{
	nsx kbrctl -j showmacs "$1" |
		jq -e --arg m "$2" 'arrays | all(.[]; .mac != $m)' >/dev/null
}

# learned_on BR MAC PORT [NS]: showmacs has MAC behind PORT.
learned_on()
{
	ip netns exec "${4:-$SW}" kbrctl -j showmacs "$1" |
		jq -e --arg m "$2" --arg p "$3" \
			'any(.[]; .mac == $m and .ifname == $p)' >/dev/null
}

# host_addr NS IP: NS's eth0 up, at IP/24.
host_addr()
{
	ip -n "$1" -batch - <<-EOF
		link set eth0 up
		address add $2/24 dev eth0
	EOF
}

tap_port()
{
	local vm_mac=02:00:00:00:aa:01

	# Not through nsx: $! must be the process holding the tap.
	ip netns exec "$SW" python3 "$(dirname "$0")/tapvm.py" tap0 "$vm_mac" 192.0.2.50 \
		>"$TMPD/tapvm.out" 2>&1 &
	TAP_PID=$!
	# python3 starting beside other scripts: not a timing check
	busywait 20000 grep -q ready "$TMPD/tapvm.out"
	check_err $? "the tap did not come up: $(<"$TMPD/tapvm.out")"
	nsx kbrctl addif kb0 tap0 && nsx ip link set tap0 up
	check_err $? "addif kb0 tap0 failed"

	pingx "$H1" 192.0.2.50
	check_err $? "h1 cannot ping the VM behind the tap"
	pingx "$SW" 192.0.2.50
	check_err $? "the bridge's address cannot ping the VM"
	learned_on kb0 "$vm_mac" tap0
	check_err $? "the VM's address is not learned on tap0"

	# The VM goes away: its tap closes, the port and its entries go.
	kill "$TAP_PID" && wait "$TAP_PID" 2>/dev/null
	TAP_PID=
	busywait 5000 no_port kb0 tap0
	check_err $? "tap0 is still a port after its process exited"
	fdb_lacks kb0 "$vm_mac"
	check_err $? "the VM's address outlived its port"
	pingx "$H1" 192.0.2.254
	check_err $? "the bridge stopped working after the tap closed"
	log_test "tap: a process behind a tap pings both ways; closing it removes the port"
}

# QEMU's tap scripts, called as QEMU calls them (the tap's name, the
# bridge in KBRIDGE): the tap a process holds becomes a port, up, and
# the "VM" behind it answers; the downscript takes it out again.
qemu_scripts()
{
	local hooks line vm_mac=02:00:00:00:aa:02

	hooks=$(cd "$(dirname "$0")/../userspace/hooks" && pwd)
	ip netns exec "$SW" python3 "$(dirname "$0")/tapvm.py" tapq "$vm_mac" 192.0.2.51 \
		>"$TMPD/tapq.out" 2>&1 &
	TAP_PID=$!
	busywait 20000 grep -q ready "$TMPD/tapq.out"
	check_err $? "the tap did not come up: $(<"$TMPD/tapq.out")"

	if line=$(ip netns exec "$SW" env KBRIDGE=nosuch \
		  "$hooks/qemu-ifup-kbridge" tapq 2>&1); then
		false
	else
		[[ $line == *"nosuch is not a kbridge"* ]] && no_port kb0 tapq
	fi
	check_err $? "qemu-ifup-kbridge with KBRIDGE=nosuch: '$line'"

	ip netns exec "$SW" env KBRIDGE=kb0 "$hooks/qemu-ifup-kbridge" tapq
	check_err $? "qemu-ifup-kbridge tapq failed"
	pingx "$H1" 192.0.2.51
	check_err $? "h1 cannot ping the VM behind the script's tap"
	learned_on kb0 "$vm_mac" tapq
	check_err $? "the VM's address is not learned on tapq"

	ip netns exec "$SW" "$hooks/qemu-ifdown-kbridge" tapq
	check_err $? "qemu-ifdown-kbridge tapq failed"
	no_port kb0 tapq && fdb_lacks kb0 "$vm_mac" &&
		ip -n "$SW" -j link show tapq | jq -e '.[0].flags | index("UP") == null' >/dev/null
	check_err $? "tapq still a port, its entry, or up after the downscript"
	if line=$(ip netns exec "$SW" "$hooks/qemu-ifdown-kbridge" tapq 2>&1); then
		false
	else
		[[ $line == *"not a port of kb0"* ]]
	fi
	check_err $? "qemu-ifdown-kbridge of a tap that is no port: '$line'"
	kill "$TAP_PID" && wait "$TAP_PID" 2>/dev/null
	TAP_PID=
	log_test "qemu-ifup-kbridge, qemu-ifdown-kbridge: a VM's tap on and off kb0"
}

# dom_xml NAME [PORT BRIDGE]: a libvirt domain's XML, with a kbridge:port
# in its metadata if PORT is given.
dom_xml()
{
	echo "<domain type='kvm'><name>$1</name>"
	[ -n "${2:-}" ] && echo "<metadata><kbridge:ports xmlns:kbridge='urn:kbridge:libvirt:1'><kbridge:port dev='$2' bridge='$3'/></kbridge:ports></metadata>"
	echo "<devices><interface type='ethernet'><target dev='${2:-vnet0}' managed='no'/><model type='virtio'/></interface></devices></domain>"
}

# The libvirt hook, called as libvirt 9.0 calls hooks/qemu.d/* (domain,
# operation, sub-operation, "-"; the domain's XML on stdin): the tap its
# metadata names is made and put on kb0 before the domain starts, and a
# "VM" on it answers; it goes when the domain is released.
libvirt_hook()
{
	local hook line vm_mac=02:00:00:00:aa:03

	hook=$(cd "$(dirname "$0")/../userspace/hooks" && pwd)/libvirt-hook
	export KBRIDGE_LIBVIRT_STATE=$TMPD/libvirt-state
	dom_xml plain >"$TMPD/plain.xml"
	dom_xml vmx vmx kb0 >"$TMPD/vmx.xml"
	dom_xml bad vmb nosuch >"$TMPD/bad.xml"
	dom_xml two vmx kb0 >"$TMPD/two.xml"
	dom_xml nic ia0 kb0 >"$TMPD/nic.xml"
	dom_xml own vmt kb0 >"$TMPD/own.xml"

	ip netns exec "$SW" "$hook" plain prepare begin - <"$TMPD/plain.xml" &&
		ip netns exec "$SW" "$hook" vmx started begin - <"$TMPD/vmx.xml" &&
		! ip -n "$SW" link show dev vmx >/dev/null 2>&1
	check_err $? "the hook acted on a domain without kbridge ports, or at started"
	if line=$(ip netns exec "$SW" "$hook" bad prepare begin - <"$TMPD/bad.xml" 2>&1); then
		false
	else
		[[ $line == *"nosuch is not a kbridge"* ]] &&
			! ip -n "$SW" link show dev vmb >/dev/null 2>&1
	fi
	check_err $? "a domain on no kbridge: '$line'"

	# Not a tap: refused, left as it was.
	ip -n "$SW" link add ia0 type veth peer name ib0
	if line=$(ip netns exec "$SW" "$hook" nic prepare begin - <"$TMPD/nic.xml" 2>&1); then
		false
	else
		[[ $line == *"ia0 exists and is not a free tap"* ]] &&
			! ip -n "$SW" -o link show dev ia0 | grep -q master
	fi
	check_err $? "a domain naming a veth: '$line'"
	ip netns exec "$SW" "$hook" nic release end - <"$TMPD/nic.xml" &&
		ip -n "$SW" link del ia0
	check_err $? "release after a refused prepare touched ia0"
	# A tap the admin made: taken, then given back, not deleted.
	ip -n "$SW" tuntap add dev vmt mode tap &&
		ip netns exec "$SW" "$hook" own prepare begin - <"$TMPD/own.xml" &&
		ip -n "$SW" -o link show dev vmt | grep -q " master kb0 " &&
		ip netns exec "$SW" "$hook" own release end - <"$TMPD/own.xml" &&
		! ip -n "$SW" -o link show dev vmt | grep -q master
	check_err $? "an existing tap: $(ip -n "$SW" -o link show dev vmt)"
	ip -n "$SW" tuntap del dev vmt mode tap

	ip netns exec "$SW" "$hook" vmx prepare begin - <"$TMPD/vmx.xml"
	check_err $? "prepare begin failed"
	ip -n "$SW" -o link show dev vmx | grep -q " master kb0 "
	check_err $? "vmx is not a port of kb0: $(ip -n "$SW" -o link show dev vmx)"
	# A second domain naming vmx: refused; its release leaves vmx be.
	ip netns exec "$SW" "$hook" two prepare begin - <"$TMPD/two.xml" 2>/dev/null
	[ $? -eq 1 ] &&
		ip netns exec "$SW" "$hook" two release end - <"$TMPD/two.xml" &&
		ip -n "$SW" -o link show dev vmx | grep -q " master kb0 "
	check_err $? "a second domain on vmx disturbed it: $(ip -n "$SW" -o link show dev vmx)"
	# The domain's QEMU opens the tap: tapvm.py does.
	ip netns exec "$SW" python3 "$(dirname "$0")/tapvm.py" vmx "$vm_mac" 192.0.2.52 \
		>"$TMPD/vmx.out" 2>&1 &
	TAP_PID=$!
	busywait 20000 grep -q ready "$TMPD/vmx.out"
	check_err $? "the VM could not open vmx: $(<"$TMPD/vmx.out")"
	pingx "$H1" 192.0.2.52
	check_err $? "h1 cannot ping the VM on the hook's tap"
	kill "$TAP_PID" && wait "$TAP_PID" 2>/dev/null
	TAP_PID=
	ip netns exec "$SW" "$hook" vmx stopped end - <"$TMPD/vmx.xml" &&
		ip netns exec "$SW" "$hook" vmx release end - <"$TMPD/vmx.xml"
	check_err $? "stopped end, release end failed"
	! ip -n "$SW" link show dev vmx >/dev/null 2>&1 && no_port kb0 vmx
	check_err $? "vmx outlived the domain's release"
	log_test "libvirt hook: a domain's tap made, on kb0, and gone with it"
}

# ifup -i FILE IFACE in $SW, with kbridge's ifupdown hook where
# ifupdown runs hooks and the tree's kbrctl where it finds programs
# (ifupdown gives hooks its own PATH), in a mount namespace of its own.
ifupdown_run()
{
	local hooks=$TMPD/if-hooks

	mkdir -p "$hooks" "$TMPD/ifstate"
	ln -sf "$(cd "$(dirname "$0")/../userspace/hooks" && pwd)/ifupdown" \
		"$hooks/kbridge"
	ip netns exec "$SW" unshare -m sh -ec "
		mount --bind $hooks /etc/network/if-pre-up.d
		mount --bind $hooks /etc/network/if-post-down.d
		mount -t tmpfs none /usr/local/sbin
		cp $(command -v kbrctl) /usr/local/sbin/
		$* --state-dir $TMPD/ifstate"
}

# /etc/network/interfaces stanzas with kbridge_* options: ifup makes the
# kbridge with its ports (a name, a regex, a missing one skipped) and
# every setting, the stanza's address on it; ifdown takes it all away.
ifupdown_hook()
{
	local i out json

	for i in 1 2 3; do
		ip -n "$SW" link add "ia$i" type veth peer name "ib$i" || return 1
	done
	cat >"$TMPD/interfaces" <<-EOF
		iface kbi inet static
		    address 198.51.100.1/24
		    kbridge_ports ia1 regex ia[23] noregex nosuch
		    kbridge_stp rstp
		    kbridge_hello 1
		    kbridge_maxage 6
		    kbridge_fd 4
		    kbridge_ageing 100
		    kbridge_bridgeprio 4096
		    kbridge_pathcost ia1 100
		    kbridge_portprio ia2 16
		    kbridge_vlan_aware yes
		    kbridge_hw 02:00:00:00:bb:01
		    kbridge_waitport 2 ia1

		iface kbj inet manual
		    kbridge_ports ia1
		    kbridge_bridgeprio 70000

		iface ib1 inet manual
		    kbridge_stp on
	EOF
	# No kbridge_ports: the hook leaves the stanza alone.
	ifupdown_run ifup -i "$TMPD/interfaces" ib1 >/dev/null 2>&1
	[ "$(ip -n "$SW" -o link show type kbridge | grep -c .)" -eq 1 ] &&
		! ip -n "$SW" -o link show dev ib1 | grep -q master
	check_err $? "a stanza without kbridge_ports made something: $(ip -n "$SW" -o link show type kbridge)"
	ifupdown_run ifdown -i "$TMPD/interfaces" ib1 >/dev/null 2>&1
	if out=$(ifupdown_run ifup -i "$TMPD/interfaces" kbj 2>&1); then
		out+=" (ifup succeeded)"
		false
	else
		[[ $out == *"out of range"* ]] &&
			! ip -n "$SW" link show dev kbj >/dev/null 2>&1 &&
			! ip -n "$SW" -o link show | grep -q "master kbj"
	fi
	check_err $? "ifup of a stanza kbrctl refuses: $out; $(ip -n "$SW" -o link show | grep kbj)"
	out=$(ifupdown_run ifup -i "$TMPD/interfaces" kbi 2>&1)
	check_err $? "ifup kbi failed: $out"
	[[ $out == *"port nosuch does not exist: skipped"* ]]
	check_err $? "ifup did not warn of the missing port: $out"
	json=$(nsx kbrctl -j show kbi)
	jq -e '.[0] | (.interfaces | sort) == ["ia1", "ia2", "ia3"] and
		.vlan_filtering == true and .ageing_time == 100 and
		(.bridge_id | . == "1000.02000000bb01")' \
		<<<"$json" >/dev/null
	check_err $? "kbrctl show kbi after ifup: $json"
	json=$(nsx kbrctl -j showstp kbi)
	jq -e '.[0] | .stp_mode == "rstp" and .bridge_hello_time == 1 and
		.bridge_max_age == 6 and .bridge_forward_delay == 4 and
		any(.ports[]; .ifname == "ia1" and .path_cost == 100) and
		any(.ports[]; .ifname == "ia2" and .priority == 16)' \
		<<<"$json" >/dev/null
	check_err $? "kbrctl showstp kbi after ifup: $json"
	ip -n "$SW" -j address show dev kbi | jq -e '.[0] |
		(.flags | index("UP")) and .address == "02:00:00:00:bb:01" and
		any(.addr_info[]; .local == "198.51.100.1")' >/dev/null
	check_err $? "kbi after ifup: $(ip -n "$SW" address show dev kbi)"

	out=$(ifupdown_run ifdown -i "$TMPD/interfaces" kbi 2>&1)
	check_err $? "ifdown kbi failed: $out"
	! ip -n "$SW" link show dev kbi >/dev/null 2>&1 &&
		! ip -n "$SW" -o link show | grep -q "master kbi"
	check_err $? "kbi or its ports outlived ifdown: $(ip -n "$SW" -o link show | grep -E 'kbi|ia')"
	for i in 1 2 3; do
		ip -n "$SW" link del "ia$i"
	done
	log_test "ifupdown: kbridge_* stanzas, ifup makes the kbridge, ifdown removes it"
}

vlan_dev_port()
{
	local h3=kbr-ports-h3-$$

	modprobe 8021q
	ns_create "$h3" || return
	ip -n "$SW" link add p3 type veth peer name eth0 netns "$h3"
	ip -n "$SW" link add link p3 name p3.100 type vlan id 100
	ip -n "$SW" link set p3 up
	nsx kbrctl addif kb0 p3.100
	check_err $? "addif kb0 p3.100 failed"
	ip -n "$SW" link set p3.100 up
	ip -n "$h3" -batch - <<-EOF
		link set eth0 up
		link add link eth0 name eth0.100 type vlan id 100
		link set eth0.100 up
		address add 192.0.2.3/24 dev eth0.100
	EOF
	pingx "$H1" 192.0.2.3
	check_err $? "h1 cannot ping h3 through the VLAN port"
	learned_on kb0 "$(ip -n "$h3" -j link show eth0 | jq -r '.[0].address')" p3.100
	check_err $? "h3 not learned on p3.100"

	# Untagged frames on p3 itself do not reach the bridge; tagged ones
	# do, and are learned on p3.100.
	send_frame "$h3" 02:00:00:00:33:01 ff:ff:ff:ff:ff:ff
	send_frame "$h3" 02:00:00:00:33:02 ff:ff:ff:ff:ff:ff 88b5 eth0.100
	busywait 5000 learned_on kb0 02:00:00:00:33:02 p3.100
	check_err $? "a tagged frame from h3 was not learned on p3.100"
	fdb_lacks kb0 02:00:00:00:33:01
	check_err $? "an untagged frame of p3 reached the bridge"
	ip -n "$SW" link del p3
	no_port kb0 p3.100
	check_err $? "p3.100 is still a port after its lower device went"
	ip netns del "$h3"
	log_test "802.1Q device as a port: tagged traffic bridged, untagged kept out"
}

bond_port()
{
	local h4=kbr-ports-h4-$$ side

	modprobe bonding
	ns_create "$h4" || return
	for side in "$SW" "$h4"; do
		ip -n "$side" link add bond0 type bond mode active-backup miimon 100
	done
	ip -n "$SW" -batch - <<-EOF
		link add b1 type veth peer name s1 netns $h4
		link add b2 type veth peer name s2 netns $h4
		link set b1 master bond0
		link set b2 master bond0
		link set bond0 up
	EOF
	ip -n "$h4" -batch - <<-EOF
		link set s1 master bond0
		link set s2 master bond0
		link set bond0 up
		address add 192.0.2.4/24 dev bond0
	EOF
	nsx kbrctl addif kb0 bond0
	check_err $? "addif kb0 bond0 failed"
	pingx "$H1" 192.0.2.4
	check_err $? "h1 cannot ping h4 over the bond"

	# A slave fails: the bond fails over, the port carries on.
	ip -n "$SW" link set b1 down
	ip -n "$h4" link set s1 down
	sleep 0.5
	pingx "$H1" 192.0.2.4
	check_err $? "no traffic over the bond after a slave failed"

	# A bond slave cannot be a port: it has a master.
	expect_output "addif a bond slave" 1 "" \
		"device b2 is already a member of a bridge; can't add it to bridge kb0." \
		nsx kbrctl addif kb0 b2
	nsx kbrctl delif kb0 bond0
	check_err $? "delif kb0 bond0 failed"
	ip -n "$SW" link del bond0
	ip -n "$SW" link del b1 2>/dev/null
	ip -n "$SW" link del b2 2>/dev/null
	ip netns del "$h4"
	log_test "bond of two veths as one port, with failover"
}

# tunnel_setup KIND: a second switch sw2 (kb1, host h2 at .2), reached
# over a veth underlay (10.0.0.1 - 10.0.0.2) by a KIND tunnel port on
# both bridges.
tunnel_setup()
{
	local kind=$1 h2=kbr-ports-h2-$$ args ns i

	ns_create "$SW2" "$h2" || return 1
	ip netns exec "$SW2" kbrctl addbr kb1 || return 1
	ip -n "$SW" link add u1 type veth peer name u2 netns "$SW2"
	ip -n "$SW" address add 10.0.0.1/24 dev u1
	ip -n "$SW2" address add 10.0.0.2/24 dev u2
	ip -n "$SW" link set u1 up
	ip -n "$SW2" link set u2 up
	for i in 1 2; do
		ns=$SW
		[ "$i" -eq 2 ] && ns=$SW2
		case $kind in
		vxlan) args=(vxlan id 42 dstport 4789 local "10.0.0.$i"
			     remote "10.0.0.$((3 - i))") ;;
		gretap) args=(gretap local "10.0.0.$i"
			      remote "10.0.0.$((3 - i))") ;;
		esac
		ip -n "$ns" link add tun0 type "${args[@]}" || return 1
		ip netns exec "$ns" kbrctl addif "kb$((i - 1))" tun0 || return 1
		ip -n "$ns" link set tun0 up
	done
	ip -n "$SW2" link add p2 type veth peer name eth0 netns "$h2"
	ip netns exec "$SW2" kbrctl addif kb1 p2
	ip -n "$SW2" link set p2 up
	ip -n "$SW2" link set kb1 up
	host_addr "$h2" 192.0.2.2
}

# limits_follow_ports NS BR: BR's tso_max_size and tso_max_segs are its
# ports' smallest.
limits_follow_ports()
{
	local links

	links=$(ip -n "$1" -j -d link show)
	jq -e --arg br "$2" '
		(map(select(.master == $br)) | [(map(.tso_max_size) | min),
						 (map(.tso_max_segs) | min)]) ==
		(map(select(.ifname == $br))[0] | [.tso_max_size, .tso_max_segs])
	' <<<"$links" >/dev/null
}

tunnel_test()
{
	local kind=$1 h2=kbr-ports-h2-$$ mac

	# h2 is new each time, with a new address: forget the old one.
	ip -n "$H1" neigh flush all
	if ! tunnel_setup "$kind"; then
		check_err 1 "$kind setup failed"
		log_test "$kind port to a second kbridge"
		return
	fi
	pingx "$H1" 192.0.2.2
	check_err $? "h1 cannot ping h2 across the $kind tunnel"
	limits_follow_ports "$SW" kb0
	check_err $? "kb0's GSO limits are not its ports' smallest: $(ip -n "$SW" -j -d link show |
		jq -c '.[] | [.ifname, .tso_max_size, .tso_max_segs]')"
	mac=$(ip -n "$h2" -j link show eth0 | jq -r '.[0].address')
	learned_on kb0 "$mac" tun0
	check_err $? "h2 not learned on kb0's tun0"
	mac=$(ip -n "$H1" -j link show eth0 | jq -r '.[0].address')
	learned_on kb1 "$mac" tun0 "$SW2"
	check_err $? "h1 not learned on kb1's tun0"

	# The underlay goes away under the tunnel: nothing breaks, and the
	# port stays (the tunnel device does).
	# The control: h2 answers within the same 2 s over the tunnel
	# right before.
	pingx "$H1" 192.0.2.2 2 1
	check_err $? "control: h1 got no reply from h2 within 2 s"
	ip -n "$SW" link del u1
	! pingx "$H1" 192.0.2.2 2 1
	check_err $? "traffic crossed a tunnel without an underlay"
	ip -n "$SW" link del tun0
	no_port kb0 tun0
	check_err $? "tun0 is still a port after it was deleted"
	ip netns del "$SW2"
	ip netns del "$h2"
	log_test "$kind port to a second kbridge over a veth underlay"
}

vxlan_port()
{
	modprobe vxlan
	tunnel_test vxlan
}

gretap_port()
{
	modprobe ip_gre
	tunnel_test gretap
}

# offloads NS DEV: DEV's offload features as ethtool -k lists them, on or
# off, without "[fixed]" or "[requested ...]"
offloads()
{
	ip netns exec "$1" ethtool -k "$2" |
		awk -F': ' 'NR > 1 { split($2, v, " "); print $1 ": " v[1] }'
}

# same_offloads NS: kbx and br0, with the same kind of ports, offer the
# host stack the same offloads.
same_offloads()
{
	[ "$(offloads "$1" kbx)" = "$(offloads "$1" br0)" ]
}

offloads_differ()
{
	diff <(offloads "$1" kbx) <(offloads "$1" br0) | grep '^[<>]' | tr '\n' ' '
}

# The bridge device's offloads follow its ports' as the Linux bridge's do:
# a GSO type no port has (FCoE) is off, a software one stays while one
# port has it and goes when the last one loses it.
offloads_follow_ports()
{
	local ns=kbr-ports-off-$$ f

	if ! command -v ethtool >/dev/null; then
		log_skip "no ethtool" "offloads follow the ports"
		return
	fi
	modprobe bridge
	ns_create "$ns" || return
	ip -n "$ns" -batch - <<-EOF
		link add br0 type bridge stp_state 0
		link add a1 type veth peer name a2
		link add b1 type veth peer name b2
		link set a1 master br0
		link set b1 master br0
	EOF
	ip netns exec "$ns" kbrctl addbr kbx &&
		ip netns exec "$ns" kbrctl addif kbx a2 b2
	check_err $? "setup failed"
	same_offloads "$ns"
	check_err $? "kbx and br0 with two veth ports differ: $(offloads_differ "$ns")"
	f=$(offloads "$ns" kbx)
	grep -qx 'tx-fcoe-segmentation: off' <<<"$f" &&
		grep -qx 'tx-gso-robust: off' <<<"$f" &&
		grep -qx 'tx-udp-segmentation: on' <<<"$f"
	check_err $? "kbx's offloads with two veth ports: $(tr '\n' ' ' <<<"$f")"

	ip netns exec "$ns" ethtool -K a1 tx-udp-segmentation off &&
		ip netns exec "$ns" ethtool -K a2 tx-udp-segmentation off
	offloads "$ns" kbx | grep -qx 'tx-udp-segmentation: on'
	check_err $? "kbx lost UDP segmentation while one port has it"
	ip netns exec "$ns" ethtool -K b1 tx-udp-segmentation off &&
		ip netns exec "$ns" ethtool -K b2 tx-udp-segmentation off
	offloads "$ns" kbx | grep -qx 'tx-udp-segmentation: off'
	check_err $? "kbx offers UDP segmentation no port has"
	same_offloads "$ns"
	check_err $? "kbx and br0 differ after the ports changed: $(offloads_differ "$ns")"
	ip netns del "$ns"
	log_test "offloads follow the ports, as the Linux bridge's do"
}

# The seed scenario: a Linux bridge br0 with its own hosts (l1, and a
# gateway gw routing to 198.51.100.0/24) linked by a veth pair to kb0 with
# the VM hosts (h1, and a VM on a tap).
linux_bridge_interop()
{
	local lb=kbr-ports-lb-$$ gw=kbr-ports-gw-$$ l1=kbr-ports-l1-$$
	local out=kbr-ports-out-$$ vm_mac=02:00:00:00:aa:02 mac n

	modprobe bridge
	ns_create "$lb" "$gw" "$l1" "$out" || return
	ip -n "$lb" -batch - <<-EOF
		link add br0 type bridge stp_state 0
		link add q1 type veth peer name eth0 netns $l1
		link add q2 type veth peer name eth0 netns $gw
		link add p9 type veth peer name lbk netns $SW
		link set q1 master br0
		link set q2 master br0
		link set p9 master br0
		link set br0 up
		link set q1 up
		link set q2 up
		link set p9 up
	EOF
	nsx kbrctl addif kb0 lbk && ip -n "$SW" link set lbk up
	check_err $? "addif kb0 lbk failed"
	host_addr "$l1" 192.0.2.10
	host_addr "$gw" 192.0.2.1
	ip -n "$gw" link add up0 type veth peer name eth0 netns "$out"
	ip -n "$gw" address add 198.51.100.1/24 dev up0
	ip -n "$gw" link set up0 up
	ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1
	host_addr "$out" 198.51.100.2
	ip -n "$out" route add default via 198.51.100.1
	ip -n "$H1" route add default via 192.0.2.1

	# Its own file: tap_port's says "ready" already, and the background
	# job opens (and empties) its file only once it runs.
	ip netns exec "$SW" python3 "$(dirname "$0")/tapvm.py" tap1 "$vm_mac" 192.0.2.51 \
		>"$TMPD/tapvm1.out" 2>&1 &
	TAP_PID=$!
	# python3 starting beside other scripts: not a timing check
	busywait 20000 grep -q ready "$TMPD/tapvm1.out"
	check_err $? "tapvm.py did not make tap1: $(<"$TMPD/tapvm1.out")"
	nsx kbrctl addif kb0 tap1 && nsx ip link set tap1 up
	check_err $? "the VM's tap did not join kb0"

	pingx "$H1" 192.0.2.10
	check_err $? "h1 (kbridge) cannot ping l1 (Linux bridge)"
	pingx "$l1" 192.0.2.1
	check_err $? "the Linux bridge's own hosts cannot reach each other"
	pingx "$l1" 192.0.2.51
	check_err $? "l1 (Linux bridge) cannot ping the VM on kbridge's tap"
	pingx "$gw" 192.0.2.51
	check_err $? "the gateway cannot ping the VM"
	pingx "$H1" 198.51.100.2
	check_err $? "h1 cannot reach beyond the gateway"

	# Each bridge learned the other side's hosts on the link.
	mac=$(ip -n "$l1" -j link show eth0 | jq -r '.[0].address')
	learned_on kb0 "$mac" lbk
	check_err $? "kbridge did not learn l1 on the link to the Linux bridge"
	ip netns exec "$lb" bridge fdb show br br0 | grep -q "^$vm_mac dev p9 "
	check_err $? "the Linux bridge did not learn the VM on its link port"

	# The Linux bridge's own traffic stays its own: a unicast between
	# its hosts never crosses to kbridge once both are known.
	n=$(ip netns exec "$lb" bridge fdb show br br0 | grep -c ' dev p9 ')
	[ "$n" -ge 2 ]
	check_err $? "the Linux bridge learned $n addresses on the link, want h1 and the VM"
	ip -n "$l1" neigh flush dev eth0
	pingx "$l1" 192.0.2.1
	ip -n "$SW" -s -j link show lbk >"$TMPD/before.json"
	ip netns exec "$l1" ping -q -c 20 -i 0.05 -W 2 192.0.2.1 >/dev/null 2>&1
	check_err $? "l1 to gw lost pings"
	ip -n "$SW" -s -j link show lbk >"$TMPD/after.json"
	n=$(($(jq '.[0].stats64.rx.packets' "$TMPD/after.json") -
	     $(jq '.[0].stats64.rx.packets' "$TMPD/before.json")))
	[ "$n" -lt 20 ]
	check_err $? "$n frames of the Linux bridge's own unicast reached kbridge"

	kill "$TAP_PID" && wait "$TAP_PID" 2>/dev/null
	TAP_PID=
	ip -n "$H1" route del default
	nsx kbrctl delif kb0 lbk
	ip -n "$SW" link del lbk
	ip netns del "$lb"
	ip netns del "$gw"
	ip netns del "$l1"
	ip netns del "$out"
	log_test "seed scenario: Linux bridge and kbridge linked by a veth pair"
}

# Ports change and vanish in every way while a broadcast flood crosses the
# bridge: MTU, address, down and up; a veth peer deleted, a host namespace
# deleted, the port device deleted, and finally the bridge itself.
teardown_under_load()
{
	local i ns start old

	if ! modprobe pktgen; then
		log_skip "no pktgen" "teardown under load"
		return
	fi
	ip netns exec "$SW" kbrctl addbr kb9
	for i in 1 2 3 4 5; do
		ns="kbr-ports-t$i-$$"
		ns_create "$ns" || return
		ip -n "$SW" link add "t$i" type veth peer name eth0 netns "$ns"
		ip -n "$ns" link set eth0 up
		nsx kbrctl addif kb9 "t$i"
		ip -n "$SW" link set "t$i" up
	done
	ip -n "$SW" link set kb9 up
	flood_start kbr-ports-t1-$$ 02:20:00:00:00:00 256
	busywait 10000 sh -c "[ \$(ip -n $SW -j -s link show t5 |
		jq '.[0].stats64.tx.packets') -gt 1000 ]"
	check_err $? "the flood does not reach the ports"

	# Ports change under the flood: MTU (the bridge follows), address
	# (its local entry moves), down and up again.
	ip -n "$SW" link set t5 mtu 1400
	[ "$(ip -n "$SW" -j link show kb9 | jq '.[0].mtu')" -eq 1400 ]
	check_err $? "kb9's MTU did not follow t5's"
	old=$(ip -n "$SW" -j link show t5 | jq -r '.[0].address')
	ip -n "$SW" link set t5 address 02:00:00:00:55:05
	nsx kbrctl -j showmacs kb9 | jq -e 'any(.[]; .mac == "02:00:00:00:55:05" and
		.ifname == "t5" and .is_local)' >/dev/null
	check_err $? "t5's new address is not its local entry"
	fdb_lacks kb9 "$old"
	check_err $? "t5's old address $old is still in kb9's table"
	# (Not t1: pktgen stops for good when its link goes down.)
	ip -n "$SW" link set t4 down && ip -n "$SW" link set t4 up

	ip -n kbr-ports-t2-$$ link del eth0	# the peer of t2
	ip netns del kbr-ports-t3-$$		# t3's peer goes with it
	ip -n "$SW" link del t4			# the port device itself
	# A netns goes in a work item that waits for RCU grace periods: slow
	# on the debug kernel under a flood.  No timer sets this bound, and
	# the flood's RCU backlog grows while it waits (see the top): 60 s,
	# about twice the 33 s it took alone on the debug kernel, tells a
	# port that never goes from a slow one; the time taken is logged.
	start=$SECONDS
	busywait 60000 sh -c "ip netns exec $SW kbrctl -j show kb9 |
		jq -e '.[0].interfaces == [\"t1\", \"t5\"]' >/dev/null"
	check_err $? "ports left: $(nsx kbrctl -j show kb9 | jq -c '.[0].interfaces')"
	log_info "t2, t3 and t4 gone from kb9 in $((SECONDS - start)) s"
	ip -n "$SW" -j -s link show t5 >"$TMPD/t5.json"
	sleep 0.5
	[ "$(ip -n "$SW" -j -s link show t5 | jq '.[0].stats64.tx.packets')" -gt \
	  "$(jq '.[0].stats64.tx.packets' "$TMPD/t5.json")" ]
	check_err $? "the flood stopped reaching t5"

	ip -n "$SW" link del kb9		# the bridge, still flooding
	check_err $? "deleting the bridge under load failed"
	flood_stop
	for i in 1 5; do
		ip -n "$SW" link del "t$i" 2>/dev/null
	done
	for i in 1 2 4 5; do
		ip netns del "kbr-ports-t$i-$$" 2>/dev/null
	done
	log_test "under a flood: MTU, address, down/up; peer, netns, port, bridge deleted"
}

setup()
{
	modprobe tun || return 1
	ns_create "$SW" "$H1" || return 1
	nsx kbrctl addbr kb0 || return 1
	ip -n "$SW" -batch - <<-EOF || return 1
		link add p1 type veth peer name eth0 netns $H1
		address add 192.0.2.254/24 dev kb0
		link set kb0 up
		link set p1 up
	EOF
	nsx kbrctl addif kb0 p1 || return 1
	host_addr "$H1" 192.0.2.11
}

cleanup()
{
	flood_stop
	[ -n "$TAP_PID" ] && kill "$TAP_PID" 2>/dev/null
	lib_cleanup
	ip -all netns list 2>/dev/null | awk '{ print $1 }' |
		grep -- "-$$\$" | xargs -r -n1 ip netns del 2>/dev/null
}
trap cleanup EXIT

if ! setup; then
	echo "Bail out! setup failed"
	exit "$ksft_fail"
fi
tests_run
