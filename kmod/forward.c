// SPDX-License-Identifier: GPL-2.0
/*
 * Forwarding: a frame to the one port its destination is behind, or
 * flooded to every port that may send it, and a copy up the bridge device
 * when the host should see it too.
 */

#include <linux/etherdevice.h>

#include "kbr_private.h"

/* A port sends only while it is up and has a carrier. */
static bool port_may_send(const struct kbr_port *p)
{
	return netif_running(p->dev) && netif_carrier_ok(p->dev);
}

/* Out of port @to.  skb->data is past the Ethernet header on entry. */
static void deliver(const struct kbr_port *to, struct sk_buff *skb)
{
	skb->dev = to->dev;
	if (unlikely(!is_skb_forwardable(to->dev, skb))) {
		dev_core_stats_tx_dropped_inc(to->br->dev);
		kfree_skb(skb);
		return;
	}
	skb_push(skb, ETH_HLEN);
	skb_forward_csum(skb);
	dev_queue_xmit(skb);
}

static void deliver_clone(const struct kbr_port *to, struct sk_buff *skb)
{
	struct sk_buff *clone = skb_clone(skb, GFP_ATOMIC);

	if (clone)
		deliver(to, clone);
	else
		dev_core_stats_tx_dropped_inc(to->br->dev);
}

/* Up the bridge device, as if it had received the frame itself. */
static void pass_up(struct kbr_bridge *kbr, struct sk_buff *skb)
{
	skb->dev = kbr->dev;
	dev_sw_netstats_rx_add(kbr->dev, skb->len);
	netif_receive_skb(skb);
}

/* Every port that may send but @from: a clone each, the last gets @skb. */
static void flood(struct kbr_bridge *kbr, struct sk_buff *skb,
		  const struct kbr_port *from)
{
	struct kbr_port *p, *prev = NULL;

	list_for_each_entry_rcu(p, &kbr->port_list, list) {
		if (p == from || !port_may_send(p))
			continue;
		if (prev)
			deliver_clone(prev, skb);
		prev = p;
	}
	if (prev)
		deliver(prev, skb);
	else
		kfree_skb(skb);
}

/**
 * kbr_forward - send a frame on its way
 * @kbr: the bridge
 * @skb: the frame, data past the Ethernet header
 * @from: the ingress port, or NULL for a frame from the bridge device
 * @local_rcv: a copy goes up the bridge device too (broadcast, multicast)
 *
 * Known unicast goes to its port, unless that is the ingress port; an
 * address the bridge does not know, or has aged, is flooded.
 *
 * Context: rcu_read_lock() held.
 */
void kbr_forward(struct kbr_bridge *kbr, struct sk_buff *skb,
		 const struct kbr_port *from, bool local_rcv)
{
	const u8 *dest = eth_hdr(skb)->h_dest;
	struct kbr_port *to;
	struct kbr_fdb *f;

	if (local_rcv) {
		struct sk_buff *up = skb_clone(skb, GFP_ATOMIC);

		if (up)
			pass_up(kbr, up);
	}

	if (is_multicast_ether_addr(dest)) {
		flood(kbr, skb, from);
		return;
	}

	f = kbr_fdb_find_rcu(kbr, dest, 0);
	if (f && !kbr_fdb_expired(kbr, f)) {
		to = rcu_dereference(f->dst);
		if (to && to != from && port_may_send(to)) {
			deliver(to, skb);
			return;
		}
		/* Behind the ingress port, or ours: nothing to forward. */
		if (to)
			kfree_skb(skb);
		else
			consume_skb(skb);
		return;
	}
	flood(kbr, skb, from);
}
