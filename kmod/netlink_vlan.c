// SPDX-License-Identifier: GPL-2.0
/*
 * The kbridge family's VLAN object: the membership dump (VLAN_GET) and
 * the VLAN_NEW and VLAN_DEL commands.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "kbr_private.h"

/*
 * VLAN_NEW and VLAN_DEL, under RTNL (kbr_nl_pre_doit()): the VLANs are
 * checked first, then the bridge and the optional port looked up.  No
 * port: the bridge device's own membership ("self").
 */
int kbr_nl_vlan_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool add = info->genlhdr->cmd == KBR_CMD_VLAN_NEW;
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[KBR_VLAN_A_MAX + 1];
	struct kbr_bridge *kbr;
	struct kbr_port *p;
	u16 vid, vid_end;
	u32 flags = 0;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBR_A_VLAN)) {
		NL_SET_ERR_MSG(extack, "VLAN attribute is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KBR_VLAN_A_MAX, info->attrs[KBR_A_VLAN],
			       kbr_vlan_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, info->attrs[KBR_A_VLAN], tb,
			      KBR_VLAN_A_VID)) {
		NL_SET_ERR_MSG(extack, "A VLAN id is required");
		return -EINVAL;
	}
	vid = nla_get_u16(tb[KBR_VLAN_A_VID]);
	vid_end = tb[KBR_VLAN_A_VID_END] ? nla_get_u16(tb[KBR_VLAN_A_VID_END]) :
					   vid;
	if (vid_end < vid) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KBR_VLAN_A_VID_END],
				    "The range ends before it starts");
		return -EINVAL;
	}
	if (tb[KBR_VLAN_A_FLAGS])
		flags = nla_get_u32(tb[KBR_VLAN_A_FLAGS]);

	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs, extack);
	if (IS_ERR(kbr))
		return PTR_ERR(kbr);
	p = kbr_nl_port_get(info, kbr, true);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (add)
		return kbr_vlan_add(kbr, p, vid, vid_end, flags, extack);
	return kbr_vlan_del(kbr, p, vid, vid_end, extack);
}

/* Where a VLAN dump stands between its parts, in cb->ctx. */
struct kbr_vlan_dump_ctx {
	int	ifindex;	/* the one bridge asked for, or 0 for all */
	bool	started;
	bool	stats;		/* one VLAN per nest, with its counters */
	long	br_idx;		/* bridges done, in device list order */
	u16	port_no;	/* 0: the bridge device; then by number */
	u16	vid;		/* the member's next VLAN to dump */
};

static int put_vlan(struct sk_buff *skb, const struct kbr_vlan *v,
		    u16 vid_end, u32 flags, bool stats)
{
	struct kbr_vlan_counts c;
	struct nlattr *nest;

	nest = nla_nest_start(skb, KBR_A_VLAN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, KBR_VLAN_A_VID, v->vid) ||
	    (vid_end != v->vid &&
	     nla_put_u16(skb, KBR_VLAN_A_VID_END, vid_end)) ||
	    nla_put_u32(skb, KBR_VLAN_A_FLAGS, flags))
		goto cancel;
	if (stats) {
		kbr_vlan_stats(v, &c);
		if (nla_put_u64_64bit(skb, KBR_VLAN_A_RX_PACKETS, c.rx_packets,
				      KBR_VLAN_A_PAD) ||
		    nla_put_u64_64bit(skb, KBR_VLAN_A_RX_BYTES, c.rx_bytes,
				      KBR_VLAN_A_PAD) ||
		    nla_put_u64_64bit(skb, KBR_VLAN_A_TX_PACKETS, c.tx_packets,
				      KBR_VLAN_A_PAD) ||
		    nla_put_u64_64bit(skb, KBR_VLAN_A_TX_BYTES, c.tx_bytes,
				      KBR_VLAN_A_PAD))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * One message of a member's VLANs from ctx->vid on: runs of consecutive
 * VLANs with the same flags as one range (the PVID alone), or one VLAN
 * each with counters.  A full skb ends the message where it is; the next
 * part goes on from the VLAN that did not fit.  Context: RTNL held.
 */
static int fill_vlans(struct sk_buff *skb, struct netlink_callback *cb,
		      struct kbr_bridge *kbr, struct kbr_port *p)
{
	struct kbr_vlan_dump_ctx *ctx = (void *)cb->ctx;
	struct kbr_vlans *vg = p ? &p->vlans : &kbr->vlans;
	struct kbr_vlan *v, *first = NULL;
	u32 flags = 0, vflags;
	struct nlattr *nest;
	u16 vid;
	bool any = false;
	u16 last = 0;
	void *hdr;

	if (!vg->count)
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &kbr_genl_family, NLM_F_MULTI, KBR_CMD_VLAN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (kbr_nl_put_bridge_id(skb, kbr))
		goto cancel;
	if (p) {
		nest = kbr_nl_start_port_id(skb, p);
		if (!nest || nla_put_u16(skb, KBR_PORT_A_PORT_NO, p->port_no))
			goto cancel;
		nla_nest_end(skb, nest);
	}

	for (v = kbr_vlan_next(vg, ctx->vid); v;
	     v = kbr_vlan_next(vg, v->vid + 1)) {
		vid = v->vid;
		vflags = READ_ONCE(v->flags) |
			 (vid == vg->pvid ? KBR_VLAN_F_PVID : 0);
		/* Does it extend the run that @first starts? */
		if (first && !ctx->stats && vid == last + 1 && vflags == flags &&
		    !(flags & KBR_VLAN_F_PVID)) {
			last = vid;
			continue;
		}
		if (first) {
			if (put_vlan(skb, first, last, flags, ctx->stats))
				goto full;
			any = true;
		}
		first = v;
		flags = vflags;
		last = vid;
	}
	if (first && put_vlan(skb, first, last, flags, ctx->stats))
		goto full;
	ctx->vid = 0;
	genlmsg_end(skb, hdr);
	return 0;

full:
	/* The run of @first did not fit: the next part starts with it. */
	ctx->vid = first->vid;
	if (!any)
		goto cancel;
	genlmsg_end(skb, hdr);
	return -EMSGSIZE;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * Dump the VLANs of one bridge, or of every kbridge: for each, the bridge
 * device's own, then each port's in port-number order.  Under RTNL, as
 * rtnetlink's VLAN dumps.
 */
int kbr_nl_vlan_get_dumpit(struct sk_buff *skb,
			   struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct kbr_vlan_dump_ctx *ctx = (void *)cb->ctx;
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	struct kbr_bridge *kbr;
	struct kbr_port *p;
	long idx = 0;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	rtnl_lock();
	if (!ctx->started) {
		if (info->attrs[KBR_A_BRIDGE]) {
			kbr = kbr_nl_bridge_get(net, info->attrs, cb->extack);
			if (IS_ERR(kbr)) {
				rtnl_unlock();
				return PTR_ERR(kbr);
			}
			ctx->ifindex = kbr->dev->ifindex;
		}
		ctx->stats = nla_get_flag(info->attrs[KBR_A_VLAN_STATS]);
		ctx->started = true;
	}
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (!kbr_is_bridge(dev) ||
		    (ctx->ifindex && dev->ifindex != ctx->ifindex))
			continue;
		if (idx++ < ctx->br_idx)
			continue;
		kbr = netdev_priv(dev);
		if (!ctx->port_no) {
			err = fill_vlans(skb, cb, kbr, NULL);
			if (err)
				break;
			ctx->port_no = 1;
		}
		list_for_each_entry(p, &kbr->port_list, list) {
			if (p->port_no < ctx->port_no)
				continue;
			ctx->port_no = p->port_no;
			err = fill_vlans(skb, cb, kbr, p);
			if (err)
				break;
		}
		if (err)
			break;
		ctx->br_idx = idx;
		ctx->port_no = 0;
	}
	rtnl_unlock();

	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}
