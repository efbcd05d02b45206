// SPDX-License-Identifier: GPL-2.0
/*
 * Forwarding: a frame to the one port its destination is behind, or
 * flooded to every port that may send it, and a copy up the bridge device
 * when the host should see it too.
 */

#include <linux/etherdevice.h>

#include "kbr_private.h"

/* A port sends only while it is up, has a carrier, and STP lets it. */
static bool port_may_send(const struct kbr_port *p)
{
	return READ_ONCE(p->state) == KBR_PORT_STATE_FORWARDING &&
	       netif_running(p->dev) && netif_carrier_ok(p->dev);
}

/*
 * Out of port @to, in VLAN @vid (0: no filtering), which @to is a member
 * of.  skb->data is past the Ethernet header on entry.
 */
static void deliver(struct kbr_port *to, struct sk_buff *skb, u16 vid)
{
	if (vid && unlikely(!kbr_vlan_egress(&to->vlans, skb, vid))) {
		kfree_skb(skb);		/* @to is not in the frame's VLAN */
		return;
	}
	skb->dev = to->dev;
	skb_push(skb, ETH_HLEN);
	if (unlikely(!is_skb_forwardable(to->dev, skb))) {
		dev_core_stats_tx_dropped_inc(to->br->dev);
		kfree_skb(skb);
		return;
	}
	skb_forward_csum(skb);
	/* A receive timestamp is no departure time for fq or etf. */
	skb_clear_tstamp(skb);
	dev_queue_xmit(skb);
}

static void deliver_clone(struct kbr_port *to, struct sk_buff *skb, u16 vid)
{
	struct sk_buff *clone = skb_clone(skb, GFP_ATOMIC);

	if (clone)
		deliver(to, clone, vid);
	else
		dev_core_stats_tx_dropped_inc(to->br->dev);
}

/*
 * Up the bridge device, as if it had received the frame itself: in VLAN
 * @vid only if the bridge device is a member.
 */
static void pass_up(struct kbr_bridge *kbr, struct sk_buff *skb, u16 vid)
{
	if (vid && !kbr_vlan_egress(&kbr->vlans, skb, vid)) {
		kfree_skb(skb);
		return;
	}
	skb->dev = kbr->dev;
	dev_sw_netstats_rx_add(kbr->dev, skb->len);
	netif_receive_skb(skb);
}

/*
 * May a frame that came in by @from (NULL: from the host) leave by @to?
 * Not back where it came from unless @to is in hairpin mode, and never
 * from one isolated port to another.
 */
static bool may_pass(const struct kbr_port *from, u32 from_flags,
		     const struct kbr_port *to, u32 to_flags)
{
	if (to == from && !(to_flags & KBR_PORT_F_HAIRPIN))
		return false;
	return !(from_flags & to_flags & KBR_PORT_F_ISOLATED);
}

/*
 * Every port that may send the frame: a clone each, the last gets @skb.
 * @need is the flag a port must have: flood, multicast or broadcast.
 * With VLAN filtering (@vid not 0), only the VLAN's members.
 */
static void flood(struct kbr_bridge *kbr, struct sk_buff *skb,
		  const struct kbr_port *from, u32 need, u16 vid)
{
	u32 from_flags = from ? READ_ONCE(from->flags) : 0;
	struct kbr_port *p, *prev = NULL;

	list_for_each_entry_rcu(p, &kbr->port_list, list) {
		u32 flags = READ_ONCE(p->flags);

		if (!(flags & need) || !may_pass(from, from_flags, p, flags) ||
		    !port_may_send(p) ||
		    (vid && !kbr_vlan_member(&p->vlans, vid)))
			continue;
		if (prev)
			deliver_clone(prev, skb, vid);
		prev = p;
	}
	if (prev)
		deliver(prev, skb, vid);
	else
		kfree_skb(skb);
}

/**
 * kbr_forward - send a frame on its way
 * @kbr: the bridge
 * @skb: the frame, data past the Ethernet header
 * @from: the ingress port, or NULL for a frame from the bridge device
 * @f: the FDB entry of a unicast destination, or NULL (unknown, or
 *	multicast)
 * @vid: the frame's VLAN (in skb->vlan_tci too), 0 without filtering
 * @local_rcv: a copy goes up the bridge device too (broadcast, multicast,
 *	a promiscuous bridge)
 *
 * Known unicast goes to its port, unless that is the ingress port (and
 * not in hairpin mode) or both are isolated; an address the bridge does
 * not know, or has aged, is flooded to the ports that take floods.
 *
 * Context: rcu_read_lock() held.
 */
void kbr_forward(struct kbr_bridge *kbr, struct sk_buff *skb,
		 const struct kbr_port *from, const struct kbr_fdb *f,
		 u16 vid, bool local_rcv)
{
	const u8 *dest = eth_hdr(skb)->h_dest;
	struct kbr_port *to;

	if (local_rcv) {
		struct sk_buff *up = skb_clone(skb, GFP_ATOMIC);

		if (up)
			pass_up(kbr, up, vid);
	}

	if (is_multicast_ether_addr(dest)) {
		flood(kbr, skb, from, is_broadcast_ether_addr(dest) ?
		      KBR_PORT_F_BCAST_FLOOD : KBR_PORT_F_MCAST_FLOOD, vid);
		return;
	}

	if (f && !kbr_fdb_expired(kbr, f)) {
		to = rcu_dereference(f->dst);
		if (to && port_may_send(to) &&
		    may_pass(from, from ? READ_ONCE(from->flags) : 0,
			     to, READ_ONCE(to->flags))) {
			deliver(to, skb, vid);
			return;
		}
		/* Not to be sent, or our own address: nothing to forward. */
		if (to)
			kfree_skb(skb);
		else
			consume_skb(skb);
		return;
	}
	flood(kbr, skb, from, KBR_PORT_F_FLOOD, vid);
}
