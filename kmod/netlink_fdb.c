// SPDX-License-Identifier: GPL-2.0
/*
 * The kbridge family's FDB object: the entry message (dumps and
 * events), the flush event, and the FDB_GET, FDB_NEW, FDB_DEL and
 * FDB_FLUSH commands.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "kbr_private.h"

/* The size of an FDB event (fill_fdb() with @cb NULL). */
static size_t fdb_msg_size(void)
{
	return nla_total_size(0) +			/* KBR_A_BRIDGE */
	       nla_total_size(sizeof(u32)) +		/* IFINDEX */
	       nla_total_size(0) +			/* KBR_A_FDB */
	       nla_total_size(ETH_ALEN) +		/* ADDRESS */
	       nla_total_size(sizeof(u16)) +		/* VLAN */
	       2 * nla_total_size(sizeof(u32)) +	/* FLAGS, AGE */
	       nla_total_size(sizeof(u32)) +		/* PORT_IFINDEX */
	       nla_total_size(sizeof(u16)) +		/* PORT_NO */
	       nla_total_size(sizeof(u8));		/* EVENT */
}

/*
 * One FDB entry: dumps (@cb set, bridge implied) and events (@cb NULL:
 * the bridge and the event's reason go in too).
 * Context: rcu_read_lock() or RTNL held; the entry and its port stay valid.
 */
static int fill_fdb(struct sk_buff *skb, const struct kbr_bridge *kbr,
		    const struct kbr_fdb *f, u8 cmd, u8 event,
		    struct netlink_callback *cb)
{
	const struct kbr_port *p = rcu_dereference_rtnl(f->dst);
	u32 age = 0;
	struct nlattr *nest;
	void *hdr;

	if (cb)
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &kbr_genl_family,
				  NLM_F_MULTI, cmd);
	else
		hdr = genlmsg_put(skb, 0, 0, &kbr_genl_family, 0, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	/* The ifindex only: the name may change under RCU alone. */
	if (!cb) {
		nest = nla_nest_start(skb, KBR_A_BRIDGE);
		if (!nest ||
		    nla_put_u32(skb, KBR_BR_A_IFINDEX, kbr->dev->ifindex))
			goto nla_put_failure;
		nla_nest_end(skb, nest);
	}

	if (kbr_fdb_is_learned(f))
		age = jiffies_to_msecs(jiffies - READ_ONCE(f->updated));

	nest = nla_nest_start(skb, KBR_A_FDB);
	if (!nest ||
	    nla_put(skb, KBR_FDB_A_ADDRESS, ETH_ALEN, f->key.addr) ||
	    nla_put_u16(skb, KBR_FDB_A_VLAN, f->key.vid) ||
	    nla_put_u32(skb, KBR_FDB_A_FLAGS, f->flags) ||
	    nla_put_u32(skb, KBR_FDB_A_AGE, age))
		goto nla_put_failure;
	if (p && (nla_put_u32(skb, KBR_FDB_A_PORT_IFINDEX, p->dev->ifindex) ||
		  nla_put_u16(skb, KBR_FDB_A_PORT_NO, p->port_no)))
		goto nla_put_failure;
	if (event && nla_put_u8(skb, KBR_FDB_A_EVENT, event))
		goto nla_put_failure;
	nla_nest_end(skb, nest);

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * kbr_nl_notify_fdb - announce an FDB change on the events group
 * @kbr: the bridge
 * @f: the entry
 * @cmd: %KBR_CMD_FDB_NEW or %KBR_CMD_FDB_DEL
 * @event: enum kbr_fdb_event
 *
 * Context: any, the packet path included; rcu_read_lock() or RTNL held.
 * Costs a listener check and nothing more while nobody listens.
 */
void kbr_nl_notify_fdb(struct kbr_bridge *kbr, const struct kbr_fdb *f,
		       u8 cmd, u8 event)
{
	struct net *net = dev_net(kbr->dev);
	struct sk_buff *skb;

	if (!kbr_nl_listening(net))
		return;
	skb = genlmsg_new(fdb_msg_size(), GFP_ATOMIC);
	if (!skb)
		return;
	if (WARN_ON_ONCE(fill_fdb(skb, kbr, f, cmd, event, NULL))) {
		nlmsg_free(skb);
		return;
	}
	kbr_nl_multicast(net, skb, GFP_ATOMIC);
}

/**
 * kbr_nl_notify_evicting - announce that entries learned on @p are evicted
 * @kbr: the bridge
 * @p: the port
 *
 * Rate-limited by the caller (fdb.c, DOC: Eviction).  Ifindexes only: the
 * names may change under RCU alone.
 * Context: softirq, rcu_read_lock() and fdb_lock held.
 */
void kbr_nl_notify_evicting(const struct kbr_bridge *kbr,
			    const struct kbr_port *p)
{
	struct net *net = dev_net(kbr->dev);
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	if (!kbr_nl_listening(net))
		return;
	skb = genlmsg_new(2 * nla_total_size(0) +		/* the nests */
			  2 * nla_total_size(sizeof(u32)) +	/* ifindexes */
			  nla_total_size_64bit(sizeof(u64)),	/* EVICTED */
			  GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &kbr_genl_family, 0,
			  KBR_CMD_FDB_EVICTING);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(skb, KBR_A_BRIDGE);
	if (!nest || nla_put_u32(skb, KBR_BR_A_IFINDEX, kbr->dev->ifindex))
		goto err_free;
	nla_nest_end(skb, nest);
	nest = nla_nest_start(skb, KBR_A_PORT);
	if (!nest || nla_put_u32(skb, KBR_PORT_A_IFINDEX, p->dev->ifindex) ||
	    nla_put_u64_64bit(skb, KBR_PORT_A_FDB_EVICTED,
			      atomic64_read(&p->fdb_evicted), KBR_PORT_A_PAD))
		goto err_free;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	kbr_nl_multicast(net, skb, GFP_ATOMIC);
	return;

err_free:
	/* Only a message larger than its size ends here. */
	WARN_ON_ONCE(1);
	nlmsg_free(skb);
}

/* Announce a flush of the bridge or of port @p (NULL).  RTNL held. */
void kbr_nl_notify_flush(const struct kbr_bridge *kbr,
			 const struct kbr_port *p)
{
	struct net *net = dev_net(kbr->dev);
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	ASSERT_RTNL();
	if (!kbr_nl_listening(net))
		return;
	skb = genlmsg_new(kbr_nl_bridge_id_size() + kbr_nl_port_id_size(),
			  GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &kbr_genl_family, 0, KBR_CMD_FDB_FLUSH);
	if (!hdr)
		goto err_free;
	if (kbr_nl_put_bridge_id(skb, kbr))
		goto err_free;
	if (p) {
		nest = kbr_nl_start_port_id(skb, p);
		if (!nest)
			goto err_free;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	kbr_nl_multicast(net, skb, GFP_KERNEL);
	return;

err_free:
	/* Only a message larger than its size ends here. */
	WARN_ON_ONCE(1);
	nlmsg_free(skb);
}

/*
 * Where an FDB dump stands between its parts, in cb->ctx (fdb.c, DOC:
 * Walks).
 * @ifindex: the bridge; 0 before part 1
 * @resume: an entry went out: the next part goes on after the last one
 * @done: the walk reached the table's end: the next part ends the dump
 * @last_key: the key of the last entry that went out
 * @last_id: the id of the last entry that went out
 */
struct kbr_fdb_dump_ctx {
	int			ifindex;
	bool			resume;
	bool			done;
	struct kbr_fdb_key	last_key;
	u64			last_id;
};

/*
 * The FDB of one bridge.  The bridge is resolved under RTNL once, then
 * found again by ifindex under RCU at every part; the table is walked
 * under RCU only, each part going on after the entry the last one ended
 * with (kbr_fdb_resume_rcu()), so a dump of N entries costs O(N).  The
 * FDB's generation tells userspace when entries came or went between
 * parts.
 */
int kbr_nl_fdb_get_dumpit(struct sk_buff *skb,
			  struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct kbr_fdb_dump_ctx *ctx = (void *)cb->ctx;
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	struct kbr_bridge *kbr;
	struct kbr_fdb *f;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	if (!ctx->ifindex) {
		rtnl_lock();
		kbr = kbr_nl_bridge_get(net, info->attrs, cb->extack);
		if (!IS_ERR(kbr))
			ctx->ifindex = kbr->dev->ifindex;
		rtnl_unlock();
		if (IS_ERR(kbr))
			return PTR_ERR(kbr);
	}
	if (ctx->done)
		return 0;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ctx->ifindex);
	if (!dev || !kbr_is_bridge(dev))
		goto out;	/* the bridge went away: the dump ends */
	kbr = netdev_priv(dev);
	cb->seq = READ_ONCE(kbr->fdb_gen);
	f = kbr_fdb_resume_rcu(kbr, ctx->resume ? &ctx->last_key : NULL,
			       ctx->last_id);
	hlist_for_each_entry_from_rcu(f, list) {
		if (kbr_fdb_expired(kbr, f))
			continue;
		err = fill_fdb(skb, kbr, f, KBR_CMD_FDB_GET, 0, cb);
		if (err)
			break;
		ctx->resume = true;
		ctx->last_id = f->id;
		ctx->last_key = f->key;
	}
out:
	rcu_read_unlock();
	if (!err)
		ctx->done = true;
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}

/*
 * The doits run under RTNL (kbr_nl_pre_doit()).  NEW and DEL check the
 * entry first, then look the bridge up; FLUSH gets the bridge and its
 * optional port resolved.
 */
int kbr_nl_fdb_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct kbr_bridge *kbr;
	struct nlattr *tb[KBR_FDB_A_MAX + 1];
	struct net_device *dev;
	struct kbr_port *p;
	u16 vid = 0;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBR_A_FDB)) {
		NL_SET_ERR_MSG(extack, "FDB attribute is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KBR_FDB_A_MAX, info->attrs[KBR_A_FDB],
			       kbr_fdb_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, info->attrs[KBR_A_FDB], tb,
			      KBR_FDB_A_ADDRESS) ||
	    NL_REQ_ATTR_CHECK(extack, info->attrs[KBR_A_FDB], tb,
			      KBR_FDB_A_PORT_IFINDEX)) {
		NL_SET_ERR_MSG(extack, "An address and a port are required");
		return -EINVAL;
	}
	if (!is_valid_ether_addr(nla_data(tb[KBR_FDB_A_ADDRESS]))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KBR_FDB_A_ADDRESS],
				    "The address must be unicast and not zero");
		return -EINVAL;
	}
	if (tb[KBR_FDB_A_VLAN])
		vid = nla_get_u16(tb[KBR_FDB_A_VLAN]);

	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs, extack);
	if (IS_ERR(kbr))
		return PTR_ERR(kbr);
	dev = kbr_nl_dev_get(genl_info_net(info), tb[KBR_FDB_A_PORT_IFINDEX],
			     NULL, info->attrs[KBR_A_FDB], extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	p = kbr_nl_port_of(kbr, dev, tb[KBR_FDB_A_PORT_IFINDEX], extack);
	if (IS_ERR(p))
		return PTR_ERR(p);
	return kbr_fdb_add_static(kbr, p, nla_data(tb[KBR_FDB_A_ADDRESS]), vid,
				  extack);
}

int kbr_nl_fdb_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[KBR_FDB_A_MAX + 1];
	struct kbr_bridge *kbr;
	u16 vid = 0;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBR_A_FDB)) {
		NL_SET_ERR_MSG(extack, "FDB attribute is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KBR_FDB_A_MAX, info->attrs[KBR_A_FDB],
			       kbr_fdb_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, info->attrs[KBR_A_FDB], tb,
			      KBR_FDB_A_ADDRESS)) {
		NL_SET_ERR_MSG(extack, "An address is required");
		return -EINVAL;
	}
	if (tb[KBR_FDB_A_VLAN])
		vid = nla_get_u16(tb[KBR_FDB_A_VLAN]);

	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs, extack);
	if (IS_ERR(kbr))
		return PTR_ERR(kbr);
	return kbr_fdb_del_entry(kbr, nla_data(tb[KBR_FDB_A_ADDRESS]), vid,
				 extack);
}

int kbr_nl_fdb_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kbr_bridge *kbr = kbr_nl_bridge(info);
	struct nlattr *tb[KBR_FDB_A_MAX + 1] = {};
	struct kbr_port *p = kbr_nl_port(info);
	int err;
	u16 vid;

	if (info->attrs[KBR_A_FDB]) {
		err = nla_parse_nested(tb, KBR_FDB_A_MAX, info->attrs[KBR_A_FDB],
				       kbr_fdb_policy, info->extack);
		if (err)
			return err;
	}
	vid = tb[KBR_FDB_A_VLAN] ? nla_get_u16(tb[KBR_FDB_A_VLAN]) : 0;
	kbr_fdb_flush_vlans(kbr, p, vid,
			    tb[KBR_FDB_A_VLAN] ? vid : VLAN_N_VID - 1,
			    tb[KBR_FDB_A_FLAGS] &&
			    (nla_get_u32(tb[KBR_FDB_A_FLAGS]) & KBR_FDB_F_STATIC));
	kbr_nl_notify_flush(kbr, p);
	return 0;
}
