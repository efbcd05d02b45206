// SPDX-License-Identifier: GPL-2.0
/*
 * Link extended statistics (rtnl_link_ops.fill_linkxstats), in the Linux
 * bridge's LINK_XSTATS_TYPE_BRIDGE format: the per-VLAN counters that
 * "bridge -s vlan show" prints, and a port's spanning tree counters, which
 * "ip link xstats type bridge_slave" prints.  rtnetlink asks the link type
 * of the bridge device for the device's own (IFLA_STATS_LINK_XSTATS), and
 * the link type of a device's master for the device as a port
 * (IFLA_STATS_LINK_XSTATS_SLAVE): kbridge answers both.
 *
 * kbridge counts each membership on its own: the bridge device's VLANs
 * count what the host sends and receives, a port's what that port does
 * (the Linux bridge's vlan_stats_per_port; by default it shows every
 * member of a VLAN the VLAN's total).
 */

#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <net/rtnetlink.h>

#include "kbr_private.h"

/*
 * The most VLANs one message carries: rtnetlink's IFLA_STATS_LINK_XSTATS*
 * nest and ours within it must stay under netlink's 64 KiB attribute
 * length, and a port in all 4094 VLANs would need 180 KiB.  Dump messages
 * are smaller (at most 32 KiB): they never reach it, they resume where
 * they filled up.  What does is a single device's answer, RTM_GETSTATS
 * without a dump ("ip stats show dev PORT"), whose room
 * kbr_rtnl_xstats_size() gives beforehand: it has the first VLANs only,
 * and the STP counters always (they come first).
 */
#define XSTATS_STP_SIZE		nla_total_size_64bit(sizeof(struct bridge_stp_xstats))
#define XSTATS_VLAN_SIZE	nla_total_size(sizeof(struct bridge_vlan_xstats))
#define XSTATS_VLANS_MAX	((U16_MAX - 2 * NLA_HDRLEN - XSTATS_STP_SIZE) / \
				 XSTATS_VLAN_SIZE)

/* The memberships asked for by @attr, and the port if @dev is one. */
static const struct kbr_vlans *xstats_vlans(const struct net_device *dev,
					    int attr, struct kbr_port **p)
{
	const struct kbr_bridge *kbr;

	*p = NULL;
	switch (attr) {
	case IFLA_STATS_LINK_XSTATS:
		kbr = netdev_priv(dev);
		return &kbr->vlans;
	case IFLA_STATS_LINK_XSTATS_SLAVE:
		*p = kbr_port_get_rtnl(dev);
		return *p ? &(*p)->vlans : NULL;
	}
	return NULL;
}

/**
 * kbr_rtnl_xstats_size - rtnl_link_ops.get_linkxstats_size
 * @dev: a kbridge (IFLA_STATS_LINK_XSTATS) or a device whose master is
 *	one (IFLA_STATS_LINK_XSTATS_SLAVE)
 * @attr: which of the two
 *
 * Context: RTNL held, until kbr_rtnl_fill_xstats() has filled the room.
 */
size_t kbr_rtnl_xstats_size(const struct net_device *dev, int attr)
{
	const struct kbr_vlans *vg;
	struct kbr_port *p;

	ASSERT_RTNL();
	vg = xstats_vlans(dev, attr, &p);
	if (!vg)
		return 0;
	return nla_total_size(0) +	/* LINK_XSTATS_TYPE_BRIDGE */
	       (p ? XSTATS_STP_SIZE : 0) +
	       min_t(size_t, vg->count, XSTATS_VLANS_MAX) * XSTATS_VLAN_SIZE;
}

static int put_vlan_xstats(struct sk_buff *skb, const struct kbr_vlans *vg,
			   const struct kbr_vlan *v, u16 flags)
{
	struct bridge_vlan_xstats vx = { .vid = v->vid, .flags = flags };
	struct kbr_vlan_counts c;

	if (v->vid == vg->pvid)
		vx.flags |= BRIDGE_VLAN_INFO_PVID;
	if (v->flags & KBR_VLAN_F_UNTAGGED)
		vx.flags |= BRIDGE_VLAN_INFO_UNTAGGED;
	kbr_vlan_stats(v, &c);
	vx.rx_bytes = c.rx_bytes;
	vx.rx_packets = c.rx_packets;
	vx.tx_bytes = c.tx_bytes;
	vx.tx_packets = c.tx_packets;
	return nla_put(skb, BRIDGE_XSTATS_VLAN, sizeof(vx), &vx);
}

/*
 * The Linux bridge's spanning tree counters from kbridge's: BPDUs are
 * configuration and RST BPDUs, TCNs the 802.1D notifications; the
 * transitions are those to blocking (discarding) and to forwarding.
 */
static int put_stp_xstats(struct sk_buff *skb, struct kbr_port *p)
{
	struct bridge_stp_xstats *sx;
	struct nlattr *a;

	a = nla_reserve_64bit(skb, BRIDGE_XSTATS_STP, sizeof(*sx),
			      BRIDGE_XSTATS_PAD);
	if (!a)
		return -EMSGSIZE;
	sx = nla_data(a);
	spin_lock_bh(&p->br->stp_lock);
	sx->transition_blk = p->stp.to_blocking;
	sx->transition_fwd = p->stp.to_forwarding;
	sx->rx_bpdu = p->stp.config_rx + p->stp.rst_rx;
	sx->tx_bpdu = p->stp.config_tx + p->stp.rst_tx;
	sx->rx_tcn = p->stp.tcn_rx;
	sx->tx_tcn = p->stp.tcn_tx;
	spin_unlock_bh(&p->br->stp_lock);
	return 0;
}

/**
 * kbr_rtnl_fill_xstats - rtnl_link_ops.fill_linkxstats
 * @skb: the message being filled
 * @dev: as for kbr_rtnl_xstats_size()
 * @prividx: where to resume: 0 at the start, else a VLAN id; set to
 *	where the next message resumes when this one is full
 * @attr: as for kbr_rtnl_xstats_size()
 *
 * A port's spanning tree counters, then a port's or the bridge device's
 * memberships in VLAN order, each a BRIDGE_XSTATS_VLAN with the flags
 * "bridge vlan show" prints (the bridge device's marked as the Linux
 * bridge marks its own, BRENTRY).  A dump resumes by VLAN id, so that
 * memberships changed between its messages are neither repeated nor
 * skipped; a message has at most XSTATS_VLANS_MAX.
 *
 * Context: RTNL held.
 * Return: 0, or -EMSGSIZE when @skb is full; rtnetlink keeps the message
 * if *@prividx moved (it has some of @dev's counters).
 */
int kbr_rtnl_fill_xstats(struct sk_buff *skb, const struct net_device *dev,
			 int *prividx, int attr)
{
	const struct kbr_vlans *vg;
	const struct kbr_vlan *v;
	unsigned int n = 0;
	struct nlattr *nest;
	struct kbr_port *p;
	u16 flags;

	ASSERT_RTNL();
	vg = xstats_vlans(dev, attr, &p);
	if (!vg)
		return attr == IFLA_STATS_LINK_XSTATS_SLAVE ? 0 : -EINVAL;
	flags = p ? 0 : BRIDGE_VLAN_INFO_MASTER | BRIDGE_VLAN_INFO_BRENTRY;

	nest = nla_nest_start_noflag(skb, LINK_XSTATS_TYPE_BRIDGE);
	if (!nest)
		return -EMSGSIZE;
	if (p && !*prividx && put_stp_xstats(skb, p)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	for (v = kbr_vlan_next(vg, *prividx); v && n < XSTATS_VLANS_MAX;
	     v = kbr_vlan_next(vg, v->vid + 1), n++) {
		if (put_vlan_xstats(skb, vg, v, flags)) {
			*prividx = v->vid;
			nla_nest_end(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	*prividx = 0;
	return 0;
}
