// SPDX-License-Identifier: GPL-2.0
/*
 * 802.1D BPDUs on the wire (clause 9): configuration and topology change
 * notification BPDUs to 01:80:c2:00:00:00 in an 802.3 frame with an LLC
 * header (DSAP/SSAP 0x42, UI), encoded and decoded field by field.
 * Nothing a BPDU says is trusted: short, foreign, or absurd ones are
 * counted and dropped.
 */

#include <linux/etherdevice.h>
#include <linux/pkt_sched.h>
#include <asm/unaligned.h>

#include "kbr_private.h"

#define LLC_SAP_BSPAN		0x42
#define LLC_UI			0x03
#define LLC_LEN			3

#define BPDU_TYPE_CONFIG	0x00
#define BPDU_TYPE_TCN		0x80
#define BPDU_CONFIG_LEN		35
#define BPDU_TCN_LEN		4

#define BPDU_FLAG_TC		0x01
#define BPDU_FLAG_TCA		0x80

/* Timers travel in 1/256 s. */
#define STP_HZ			256

/* No bridge sends timers above 40 s (802.1D's largest, max age). */
#define BPDU_MAX_TIME		(40 * STP_HZ)

static const u8 kbr_stp_group[ETH_ALEN] __aligned(2) = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x00
};

static void put_time(u8 *dst, unsigned long j)
{
	put_unaligned_be16(min_t(unsigned long, U16_MAX, j * STP_HZ / HZ), dst);
}

static unsigned long get_time(const u8 *src)
{
	return DIV_ROUND_UP(get_unaligned_be16(src) * HZ, STP_HZ);
}

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
 * kbr_bpdu_send_config - send a configuration BPDU out of @p
 * @p: the port
 * @c: what it says
 *
 * Context: stp_lock held.
 */
void kbr_bpdu_send_config(struct kbr_port *p, const struct kbr_config_bpdu *c)
{
	u8 b[BPDU_CONFIG_LEN];

	b[0] = 0;			/* protocol id: 0x0000 */
	b[1] = 0;
	b[2] = 0;			/* version: 802.1D (STP) */
	b[3] = BPDU_TYPE_CONFIG;
	b[4] = (c->topology_change ? BPDU_FLAG_TC : 0) |
	       (c->topology_change_ack ? BPDU_FLAG_TCA : 0);
	memcpy(&b[5], c->root.b, 8);
	put_unaligned_be32(c->root_path_cost, &b[13]);
	memcpy(&b[17], c->bridge.b, 8);
	put_unaligned_be16(c->port_id, &b[25]);
	put_time(&b[27], c->message_age);
	put_time(&b[29], c->max_age);
	put_time(&b[31], c->hello_time);
	put_time(&b[33], c->forward_delay);
	bpdu_send(p, b, sizeof(b));
}

/**
 * kbr_bpdu_send_tcn - send a topology change notification out of @p
 * @p: the root port
 *
 * Context: stp_lock held.
 */
void kbr_bpdu_send_tcn(struct kbr_port *p)
{
	static const u8 b[BPDU_TCN_LEN] = { 0, 0, 0, BPDU_TYPE_TCN };

	bpdu_send(p, b, sizeof(b));
}

/* Each timer nonzero and at most 40 s; the message no older than max age. */
static bool config_times_sane(const u8 *b)
{
	u16 age = get_unaligned_be16(&b[27]);
	u16 max_age = get_unaligned_be16(&b[29]);
	int i;

	for (i = 29; i <= 33; i += 2) {
		u16 t = get_unaligned_be16(&b[i]);

		if (!t || t > BPDU_MAX_TIME)
			return false;
	}
	return age < max_age;
}

/**
 * kbr_bpdu_rx - a frame to the STP group address came in on @p
 * @p: the port
 * @skb: the frame, data past the Ethernet header; consumed
 *
 * Context: softirq, rcu_read_lock() held.
 */
void kbr_bpdu_rx(struct kbr_port *p, struct sk_buff *skb)
{
	struct kbr_config_bpdu c;
	unsigned int len;
	const u8 *b;

	/* An 802.3 length, with room for the LLC header and a BPDU type. */
	len = ntohs(eth_hdr(skb)->h_proto);
	if (len > ETH_DATA_LEN || len < LLC_LEN + BPDU_TCN_LEN ||
	    !pskb_may_pull(skb, LLC_LEN + BPDU_TCN_LEN))
		goto bad;
	b = skb->data;
	if (b[0] != LLC_SAP_BSPAN || b[1] != LLC_SAP_BSPAN || b[2] != LLC_UI)
		goto bad;
	b += LLC_LEN;
	len -= LLC_LEN;
	if (b[0] || b[1] || b[2])	/* protocol id 0, version 0 */
		goto bad;

	switch (b[3]) {
	case BPDU_TYPE_TCN:
		kbr_stp_received(p, NULL);
		break;
	case BPDU_TYPE_CONFIG:
		if (len < BPDU_CONFIG_LEN ||
		    !pskb_may_pull(skb, LLC_LEN + BPDU_CONFIG_LEN))
			goto bad;
		b = skb->data + LLC_LEN;
		if (!config_times_sane(b))
			goto bad;
		c.topology_change = b[4] & BPDU_FLAG_TC;
		c.topology_change_ack = b[4] & BPDU_FLAG_TCA;
		memcpy(c.root.b, &b[5], 8);
		c.root_path_cost = get_unaligned_be32(&b[13]);
		memcpy(c.bridge.b, &b[17], 8);
		c.port_id = get_unaligned_be16(&b[25]);
		c.message_age = get_time(&b[27]);
		c.max_age = get_time(&b[29]);
		c.hello_time = get_time(&b[31]);
		c.forward_delay = get_time(&b[33]);
		kbr_stp_received(p, &c);
		break;
	default:
		goto bad;
	}
	consume_skb(skb);
	return;
bad:
	kbr_stp_rx_bad(p);
	kfree_skb(skb);
}
