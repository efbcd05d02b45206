// SPDX-License-Identifier: GPL-2.0
/*
 * BPDUs in frames: to 01:80:c2:00:00:00 in an 802.3 frame with an LLC
 * header (DSAP/SSAP 0x42, UI); bpdu.c encodes and decodes what is inside.
 * Nothing a BPDU says is trusted: short, foreign, or absurd ones are
 * counted and dropped.
 */

#include <linux/etherdevice.h>
#include <linux/pkt_sched.h>

#include "kbr_private.h"

#define LLC_SAP_BSPAN		0x42
#define LLC_UI			0x03
#define LLC_LEN			3

static const u8 kbr_stp_group[ETH_ALEN] __aligned(2) = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x00
};

/* Context: stp_lock held (softirq or BH disabled). */
static void bpdu_send(struct kbr_port *p, const u8 *bpdu, unsigned int len)
{
	struct net_device *dev = p->dev;
	unsigned int size = max_t(unsigned int, ETH_HLEN + LLC_LEN + len,
				  ETH_ZLEN);
	struct sk_buff *skb;
	struct ethhdr *eth;
	u8 *llc;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + size, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb->dev = dev;
	skb->protocol = htons(ETH_P_802_2);
	skb->priority = TC_PRIO_CONTROL;

	skb_reset_mac_header(skb);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, kbr_stp_group);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	/* 802.3: a length, not an EtherType; padding is not counted. */
	eth->h_proto = htons(LLC_LEN + len);

	skb_reset_network_header(skb);
	llc = skb_put(skb, LLC_LEN);
	llc[0] = LLC_SAP_BSPAN;
	llc[1] = LLC_SAP_BSPAN;
	llc[2] = LLC_UI;
	skb_put_data(skb, bpdu, len);
	if (skb->len < size)
		skb_put_zero(skb, size - skb->len);

	dev_queue_xmit(skb);
}

/**
 * kbr_bpdu_send - send a BPDU out of @p
 * @p: the port
 * @bpdu: what it says: any kind bpdu.c encodes
 *
 * Context: stp_lock held.
 */
void kbr_bpdu_send(struct kbr_port *p, const struct kbr_bpdu *bpdu)
{
	u8 b[KBR_BPDU_RST_LEN];

	bpdu_send(p, b, kbr_bpdu_encode(b, bpdu));
}

/**
 * kbr_bpdu_send_tcn - send a topology change notification out of @p
 * @p: the root port
 *
 * Context: stp_lock held.
 */
void kbr_bpdu_send_tcn(struct kbr_port *p)
{
	static const struct kbr_bpdu tcn = { .type = KBR_BPDU_TCN };
	u8 b[KBR_BPDU_RST_LEN];

	bpdu_send(p, b, kbr_bpdu_encode(b, &tcn));
}

/**
 * kbr_bpdu_rx - a frame to the STP group address came in on @p
 * @p: the port
 * @skb: the frame, data past the Ethernet header; consumed
 *
 * Which kinds count is kbr_stp_received()'s to say: it knows the mode.
 *
 * Context: softirq, rcu_read_lock() held.
 */
void kbr_bpdu_rx(struct kbr_port *p, struct sk_buff *skb)
{
	struct kbr_bpdu bpdu;
	unsigned int len;
	const u8 *b;

	/*
	 * An 802.3 length, with room for the LLC header and a BPDU type.
	 * The BPDU is what the length says, as far as the frame goes: the
	 * decoder then needs what its type needs, and no more.
	 */
	len = ntohs(eth_hdr(skb)->h_proto);
	if (len > ETH_DATA_LEN || len < LLC_LEN + KBR_BPDU_TCN_LEN ||
	    skb->len < LLC_LEN + KBR_BPDU_TCN_LEN)
		goto bad;
	len = min3(len - LLC_LEN, skb->len - LLC_LEN,
		   (unsigned int)KBR_BPDU_RST_LEN);
	if (!pskb_may_pull(skb, LLC_LEN + len))
		goto bad;
	b = skb->data;
	if (b[0] != LLC_SAP_BSPAN || b[1] != LLC_SAP_BSPAN || b[2] != LLC_UI)
		goto bad;
	if (kbr_bpdu_decode(&bpdu, b + LLC_LEN, len))
		goto bad;
	if (kbr_stp_received(p, &bpdu))
		consume_skb(skb);
	else
		kfree_skb(skb);
	return;
bad:
	kbr_stp_rx_bad(p);
	kfree_skb(skb);
}
