// SPDX-License-Identifier: GPL-2.0
/*
 * kbridge's FDB for iproute2's "bridge fdb show", through the bridge
 * device's own ndo_fdb_dump().  rtnetlink's FDB dump (rtnl_fdb_dump())
 * asks a device's master only for IFF_BRIDGE_PORT devices, which
 * kbridge's ports are not, but it asks every device for its own entries:
 * kbridge answers there, for the bridge device, with the whole table, in
 * the Linux bridge's RTM_NEWNEIGH format (port, master, VLAN, state).
 * The filters "br BR" and "dev PORT" are rtnetlink's own and pass kbridge
 * by (they look for IFF_EBRIDGE and IFF_BRIDGE_PORT).
 */

#include <linux/etherdevice.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "kbr_private.h"

/*
 * Where the walk of one kbridge's table stands between the parts of a
 * dump.  rtnl_fdb_dump() keeps its own place in cb->args[0..2] (the
 * device, and in args[2] how many entries of it went out, which it
 * clears when it moves on to the next device); this goes in the rest of
 * cb->ctx, which it does not touch.  Entries of the bridge device's own
 * address lists (ndo_dflt_fdb_dump()) come first and are counted in
 * args[2] too.  The walk is @ifindex's: another device reached with
 * args[2] set (a kbridge that is a Linux bridge's port, whose master
 * filled the part first) starts its own.
 */
struct kbr_rtnl_fdb_ctx {
	struct kbr_fdb_key	last_key;
	u64			last_id;
	int			ifindex;
	bool			resume;
};

#define KBR_RTNL_FDB_CTX_OFF	(3 * sizeof(long))

static struct kbr_rtnl_fdb_ctx *fdb_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(KBR_RTNL_FDB_CTX_OFF + sizeof(struct kbr_rtnl_fdb_ctx) >
		     sizeof(cb->ctx));
	BUILD_BUG_ON(KBR_RTNL_FDB_CTX_OFF % __alignof__(struct kbr_rtnl_fdb_ctx));
	return (void *)&cb->ctx[KBR_RTNL_FDB_CTX_OFF];
}

/* The neighbour state the Linux bridge gives an entry of its kind. */
static u16 fdb_nud(const struct kbr_fdb *f)
{
	if (f->flags & KBR_FDB_F_LOCAL)
		return NUD_PERMANENT;
	if (f->flags & KBR_FDB_F_STATIC)
		return NUD_NOARP;
	return NUD_REACHABLE;
}

/*
 * @f as the Linux bridge gives an entry in RTM_NEWNEIGH and RTM_DELNEIGH
 * (@type) messages.  Context: rcu_read_lock() held.
 */
static int fill_neigh(struct sk_buff *skb, const struct kbr_bridge *kbr,
		      const struct kbr_fdb *f, u32 portid, u32 seq, int type,
		      u16 nlflags)
{
	const struct kbr_port *p = rcu_dereference(f->dst);
	clock_t ago = jiffies_to_clock_t(jiffies - READ_ONCE(f->updated));
	/* kbridge keeps no time of last use: "used" is "updated". */
	struct nda_cacheinfo ci = {
		.ndm_used	= ago,
		.ndm_updated	= ago,
	};
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	nlh = nlmsg_put(skb, portid, seq, type, sizeof(*ndm), nlflags);
	if (!nlh)
		return -EMSGSIZE;
	ndm = nlmsg_data(nlh);
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_pad1 = 0;
	ndm->ndm_pad2 = 0;
	ndm->ndm_flags = 0;
	ndm->ndm_type = 0;
	ndm->ndm_ifindex = p ? p->dev->ifindex : kbr->dev->ifindex;
	ndm->ndm_state = fdb_nud(f);
	if (nla_put(skb, NDA_LLADDR, ETH_ALEN, f->key.addr) ||
	    nla_put_u32(skb, NDA_MASTER, kbr->dev->ifindex) ||
	    nla_put(skb, NDA_CACHEINFO, sizeof(ci), &ci) ||
	    (f->key.vid && nla_put_u16(skb, NDA_VLAN, f->key.vid))) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

static size_t neigh_msg_size(void)
{
	return NLMSG_ALIGN(sizeof(struct ndmsg)) +
	       nla_total_size(ETH_ALEN) +			/* NDA_LLADDR */
	       nla_total_size(sizeof(u32)) +			/* NDA_MASTER */
	       nla_total_size(sizeof(struct nda_cacheinfo)) +
	       nla_total_size(sizeof(u16));			/* NDA_VLAN */
}

/**
 * kbr_rtnl_notify_fdb - announce a change of @f to rtnetlink's neighbour
 *	group, as the Linux bridge announces its entries' ("bridge monitor
 *	fdb")
 * @kbr: the bridge
 * @f: the entry, new or changed (%RTM_NEWNEIGH) or deleted (%RTM_DELNEIGH;
 *	not yet freed: freeing waits for a grace period)
 * @type: %RTM_NEWNEIGH or %RTM_DELNEIGH
 *
 * A listener that cannot take the message is told so (rtnl_set_sk_err()),
 * as for the Linux bridge's.
 *
 * Context: any, the packet path included; fdb_lock may be held.  Costs a
 * listener check and nothing more while nobody listens.
 */
void kbr_rtnl_notify_fdb(const struct kbr_bridge *kbr,
			 const struct kbr_fdb *f, int type)
{
	struct net *net = dev_net(kbr->dev);
	struct sk_buff *skb;
	int err = -ENOBUFS;

	if (!rtnl_has_listeners(net, RTNLGRP_NEIGH))
		return;
	skb = nlmsg_new(neigh_msg_size(), GFP_ATOMIC);
	if (!skb)
		goto out;
	rcu_read_lock();
	err = fill_neigh(skb, kbr, f, 0, 0, type, 0);
	rcu_read_unlock();
	if (WARN_ON_ONCE(err)) {	/* larger than neigh_msg_size() */
		kfree_skb(skb);
		goto out;
	}
	rtnl_notify(skb, net, 0, RTNLGRP_NEIGH, NULL, GFP_ATOMIC);
	return;
out:
	rtnl_set_sk_err(net, RTNLGRP_NEIGH, err);
}

/**
 * kbr_rtnl_fdb_dump - ndo_fdb_dump of the kbridge device: its whole FDB
 * @skb: the dump's message
 * @cb: the dump; rtnl_fdb_dump()'s place in args[0..2], ours after it
 * @dev: the kbridge
 * @filter_dev: a port to list only, or NULL (rtnetlink gives none here)
 * @idx: entries of @dev gone out so far in this dump, counted on
 *
 * First the bridge device's own unicast and multicast addresses, as for
 * any device (and the Linux bridge's), then every live entry of the
 * table, each part of the dump going on after the last entry the one
 * before sent (kbr_fdb_resume_rcu()), so that N entries cost O(N).
 * Entries whose time has run out and the collector has not yet removed
 * are left out, as kbrctl showmacs leaves them.
 *
 * Context: RTNL held (rtnetlink's dumps hold it).
 * Return: 0 when all went out, -EMSGSIZE when @skb is full.
 */
int kbr_rtnl_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
		      struct net_device *dev, struct net_device *filter_dev,
		      int *idx)
{
	struct kbr_rtnl_fdb_ctx *ctx = fdb_ctx(cb);
	struct kbr_bridge *kbr = netdev_priv(dev);
	struct kbr_fdb *f;
	int err;

	ASSERT_RTNL();
	if (filter_dev)
		return 0;
	if (!cb->args[2] || ctx->ifindex != dev->ifindex) {
		memset(ctx, 0, sizeof(*ctx));	/* a new walk of @dev */
		ctx->ifindex = dev->ifindex;
	}
	err = ndo_dflt_fdb_dump(skb, cb, dev, NULL, idx);
	if (err)
		return err;
	/* Keep args[2] past the address lists, so they are not sent again. */
	*idx = max_t(int, *idx, cb->args[2]);

	rcu_read_lock();
	f = kbr_fdb_resume_rcu(kbr, ctx->resume ? &ctx->last_key : NULL,
			       ctx->last_id);
	hlist_for_each_entry_from_rcu(f, list) {
		if (kbr_fdb_expired(kbr, f))
			continue;
		err = fill_neigh(skb, kbr, f, NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, RTM_NEWNEIGH, NLM_F_MULTI);
		if (err)
			break;
		ctx->resume = true;
		ctx->last_id = f->id;
		ctx->last_key = f->key;
		*idx += 1;
	}
	rcu_read_unlock();
	return err;
}
