#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A VM host that also runs Docker: Docker loads br_netfilter, which sends
# frames bridged by Linux bridges through the IP FORWARD hook, and sets
# that hook's policy to drop.  VMs on a Linux bridge then lose each
# other; VMs on a kbridge do not (its path has no netfilter hook), side
# by side on one host.  Filtering between VMs on a kbridge is done on
# its ports, with nftables' netdev family or tc (ingress, before
# kbridge sees a frame): the recipes README gives, tested here, as is
# "make demo SCENARIO=docker" (on the stock kernel).
#
#   lb1 .11, lb2 .12 --- br0 (Linux bridge)     (host, Docker's rules)
#   kv1 .21, kv2 .22 --- kb0 (kbridge)
#
# br_netfilter changes every Linux bridge in the guest while it is
# loaded: the script runs alone, and unloads it if it loaded it.
# run.sh: alone

ALL_TESTS="
	before_docker
	docker_forward_drop
	netdev_filter
	tc_filter
	demo_docker
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vmnet_lib.sh
source "$(dirname "$0")/vmnet_lib.sh"
require_cmd nft

HOST=kbr-dock-host-$$
LB1=kbr-dock-lb1-$$
LB2=kbr-dock-lb2-$$
KV1=kbr-dock-kv1-$$
KV2=kbr-dock-kv2-$$
PORT=8080
BRNF_LOADED=0

before_docker()
{
	pingx "$LB1" 192.0.2.12
	check_err $? "lb1 cannot ping lb2 on the Linux bridge"
	pingx "$KV1" 192.0.2.22
	check_err $? "kv1 cannot ping kv2 on the kbridge"
	log_test "before Docker's rules: VMs on both bridges reach each other"
}

docker_forward_drop()
{
	local dropped

	if [ ! -d /sys/module/br_netfilter ]; then
		modprobe br_netfilter && BRNF_LOADED=1
		check_err $? "cannot load br_netfilter"
	fi
	# What Docker sets up, in nftables' words (iptables-nft makes the
	# same table): a FORWARD chain whose policy is drop, its accepts
	# for its own bridges only; bridged frames go through it.
	ip netns exec "$HOST" sysctl -qw net.bridge.bridge-nf-call-iptables=1
	check_err $? "bridge-nf-call-iptables cannot be set"
	ip netns exec "$HOST" nft -f - <<-EOF
		table ip filter {
			chain FORWARD {
				type filter hook forward priority filter; policy drop;
				iifname "docker0" accept
				oifname "docker0" ct state established,related accept
				counter
			}
		}
	EOF
	check_err $? "Docker's FORWARD chain could not be made"
	pingx "$KV1" 192.0.2.22
	check_err $? "kv1 cannot ping kv2 on the kbridge under Docker's rules"
	peerecho_start "$KV2" "$PORT" kv2srv
	[ "$(ip netns exec "$KV1" python3 "$PEERECHO" ask 192.0.2.22 "$PORT" 2>&1)" = 192.0.2.21 ]
	check_err $? "kv1 cannot connect to kv2's service under Docker's rules"
	! pingx "$LB1" 192.0.2.12 1 1
	check_err $? "lb1 still pings lb2 on the Linux bridge: br_netfilter did not apply"
	dropped=$(ip netns exec "$HOST" nft -j list chain ip filter FORWARD |
		jq '[.nftables[] | .rule? | select(.) | .expr[] | .counter? | select(.) | .packets] | add')
	[ "${dropped:-0}" -gt 0 ]
	check_err $? "Docker's FORWARD chain dropped nothing ($dropped packets)"
	log_test "Docker's FORWARD drop: the Linux bridge's VMs lose each other ($dropped packets dropped), the kbridge's do not"
}

netdev_filter()
{
	local got

	# Between VMs on kb0: kv1 may ping kv2 but not reach its service,
	# filtered as kv1's frames enter kb0 on p1.
	ip netns exec "$HOST" nft -f - <<-EOF
		table netdev kbr_vmfilter {
			chain p1_in {
				type filter hook ingress device "p1" priority filter; policy accept;
				ip daddr 192.0.2.22 tcp dport $PORT counter drop
			}
		}
	EOF
	check_err $? "the netdev table could not be made"
	got=$(ip netns exec "$KV1" python3 "$PEERECHO" ask 192.0.2.22 "$PORT" 2>&1)
	check_fail $? "kv1 reached kv2's service through the filter (it saw '$got')"
	pingx "$KV1" 192.0.2.22
	check_err $? "the filter stopped kv1's pings to kv2 too"
	ip netns exec "$HOST" nft -j list chain netdev kbr_vmfilter p1_in |
		jq -e '[.nftables[] | .rule? | select(.) | .expr[] | .counter? | select(.) | .packets] | add > 0' \
			>/dev/null
	check_err $? "the filter's counter saw nothing"
	ip netns exec "$HOST" nft delete table netdev kbr_vmfilter
	[ "$(ip netns exec "$KV1" python3 "$PEERECHO" ask 192.0.2.22 "$PORT" 2>&1)" = 192.0.2.21 ]
	check_err $? "kv1 cannot reach kv2's service once the filter is gone"
	log_test "nftables' netdev family filters between VMs on kbridge's ports"
}

# lb_vm VM ADDR PORT: VM at ADDR/24 on the Linux bridge br0's PORT
lb_vm()
{
	ns_create "$1" &&
	ip -n "$HOST" -batch - <<-EOF &&
		link add $3 type veth peer name eth0 netns $1
		link set $3 master br0
		link set $3 up
	EOF
	ip -n "$1" -batch - <<-EOF
		address add $2/24 dev eth0
		link set eth0 up
	EOF
}

# kb_vm VM ADDR PORT: VM at ADDR/24 on kb0's PORT
kb_vm()
{
	vm_create "$1" "$HOST" kb0 "$3" &&
	ip -n "$1" address add "$2/24" dev eth0
}

tc_filter()
{
	local got

	# The same filter with tc on p1's ingress
	tc -n "$HOST" -batch - <<-EOF
		qdisc add dev p1 ingress
		filter add dev p1 ingress protocol ip flower ip_proto tcp dst_ip 192.0.2.22 dst_port $PORT action drop
	EOF
	check_err $? "the tc filter could not be made"
	got=$(ip netns exec "$KV1" python3 "$PEERECHO" ask 192.0.2.22 "$PORT" 2>&1)
	check_fail $? "kv1 reached kv2's service through the tc filter (it saw '$got')"
	pingx "$KV1" 192.0.2.22
	check_err $? "the tc filter stopped kv1's pings to kv2 too"
	tc -n "$HOST" qdisc del dev p1 ingress
	[ "$(ip netns exec "$KV1" python3 "$PEERECHO" ask 192.0.2.22 "$PORT" 2>&1)" = 192.0.2.21 ]
	check_err $? "kv1 cannot reach kv2's service once the tc filter is gone"
	log_test "tc's ingress filters filter between VMs on kbridge's ports"
}

demo_docker()
{
	if [ "${KBR_DEBUG_KERNEL:-}" = 1 ]; then
		log_skip "the demos run on the stock kernel (its paths: the tests above)" \
			"make demo SCENARIO=docker"
		return
	fi
	run_demo docker
	demo_shows docker "^(the Linux bridge's VMs lose each other)" "the Linux bridge's VMs cut off"
	demo_shows docker '^2 packets transmitted, 2 received' "kv1 pinging kv2"
	demo_shows docker "^(filtered on kv1's port)" "the filter"
	demo_shows docker 'counter packets 2 ' "the filter's counter"
	log_test "make demo SCENARIO=docker"
}

setup()
{
	ns_create "$HOST" || return 1
	kbrctl -n "$HOST" addbr kb0 || return 1
	ip -n "$HOST" -batch - <<-EOF || return 1
		link add br0 type bridge
		link set br0 up
		link set kb0 up
	EOF
	lb_vm "$LB1" 192.0.2.11 lp1 && lb_vm "$LB2" 192.0.2.12 lp2 &&
	kb_vm "$KV1" 192.0.2.21 p1 && kb_vm "$KV2" 192.0.2.22 p2
}

cleanup()
{
	[ "$BRNF_LOADED" -eq 1 ] && rmmod br_netfilter
}

vmnet_main
