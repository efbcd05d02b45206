// SPDX-License-Identifier: GPL-2.0
/*
 * The "kbridge" generic-netlink family: its policies, its command
 * handlers and its event group.  The contract is uapi/linux/kbridge.h.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "kbr_private.h"

enum kbr_mcgrp {
	KBR_MCGRP_EVENTS,
};

static const struct genl_multicast_group kbr_mcgrps[] = {
	[KBR_MCGRP_EVENTS] = { .name = KBR_GENL_MCGRP_EVENTS },
};

/*
 * Policies are per command, each sized for the whole attribute enum: an
 * attribute a command does not take is NLA_UNSPEC there, which strict
 * validation refuses as "Unsupported attribute".
 */

/* Identify a bridge: GET, DEL, and the bridge of port and FDB requests. */
static const struct nla_policy kbr_br_id_policy[KBR_BR_A_MAX + 1] = {
	[KBR_BR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[KBR_BR_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
};

/* Create a bridge: a name and nothing else. */
static const struct nla_policy kbr_br_new_policy[KBR_BR_A_MAX + 1] = {
	[KBR_BR_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
};

static struct netlink_range_validation kbr_ageing_range __ro_after_init = {
	.max	= KBR_MAX_AGEING_TIME_MS,
};

/* Change a bridge: identify it, and what may change. */
static const struct nla_policy kbr_br_set_policy[KBR_BR_A_MAX + 1] = {
	[KBR_BR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[KBR_BR_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
	[KBR_BR_A_AGEING_TIME]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&kbr_ageing_range),
	[KBR_BR_A_FDB_MAX_LEARNED] = { .type = NLA_U32 },
	[KBR_BR_A_STP_ENABLED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[KBR_BR_A_PRIORITY]	= { .type = NLA_U16 },
	/* Ranges depend on the bridge's state: kbr_stp_set_timers(). */
	[KBR_BR_A_MAX_AGE]	= { .type = NLA_U32 },
	[KBR_BR_A_HELLO_TIME]	= { .type = NLA_U32 },
	[KBR_BR_A_FORWARD_DELAY] = { .type = NLA_U32 },
	[KBR_BR_A_BPDU_GUARD_RECOVERY] = NLA_POLICY_FULL_RANGE(NLA_U32,
							       &kbr_ageing_range),
	[KBR_BR_A_VLAN_FILTERING] = NLA_POLICY_MAX(NLA_U8, 1),
	/* 802.1Q or 802.1ad: kbr_nl_br_set_doit() says which are valid. */
	[KBR_BR_A_VLAN_PROTOCOL] = { .type = NLA_U16 },
	[KBR_BR_A_DEFAULT_PVID]	= NLA_POLICY_MAX(NLA_U16, KBR_MAX_VID),
};

/* Identify a port device. */
static const struct nla_policy kbr_port_id_policy[KBR_PORT_A_MAX + 1] = {
	[KBR_PORT_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[KBR_PORT_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
};

static struct netlink_range_validation kbr_path_cost_range __ro_after_init = {
	.min	= 1,
	.max	= KBR_MAX_PATH_COST,
};

/* Change a port: identify it, its flags, caps and STP settings. */
static const struct nla_policy kbr_port_set_policy[KBR_PORT_A_MAX + 1] = {
	[KBR_PORT_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[KBR_PORT_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
	[KBR_PORT_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, KBR_PORT_F_ALL),
	[KBR_PORT_A_FLAGS_MASK]	= NLA_POLICY_MASK(NLA_U32, KBR_PORT_F_ALL),
	[KBR_PORT_A_FDB_MAX_LEARNED] = { .type = NLA_U32 },
	[KBR_PORT_A_PRIORITY]	= NLA_POLICY_MAX(NLA_U8, KBR_MAX_PORT_PRIORITY),
	[KBR_PORT_A_PATH_COST]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&kbr_path_cost_range),
};

/* An FDB entry to add, delete, or the kind of entries to flush. */
static const struct nla_policy kbr_fdb_policy[KBR_FDB_A_MAX + 1] = {
	[KBR_FDB_A_ADDRESS]	= NLA_POLICY_ETH_ADDR,
	[KBR_FDB_A_VLAN]	= NLA_POLICY_MAX(NLA_U16, VLAN_N_VID - 2),
	[KBR_FDB_A_PORT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KBR_FDB_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, KBR_FDB_F_STATIC),
};

static const struct nla_policy kbr_fdb_req_policy[KBR_A_MAX + 1] = {
	[KBR_A_BRIDGE]	= NLA_POLICY_NESTED(kbr_br_id_policy),
	[KBR_A_PORT]	= NLA_POLICY_NESTED(kbr_port_id_policy),
	[KBR_A_FDB]	= NLA_POLICY_NESTED(kbr_fdb_policy),
};

/* VLANs to add or delete: one, or a range. */
static const struct nla_policy kbr_vlan_policy[KBR_VLAN_A_MAX + 1] = {
	[KBR_VLAN_A_VID]	= NLA_POLICY_RANGE(NLA_U16, KBR_MIN_VID,
						   KBR_MAX_VID),
	[KBR_VLAN_A_VID_END]	= NLA_POLICY_RANGE(NLA_U16, KBR_MIN_VID,
						   KBR_MAX_VID),
	[KBR_VLAN_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, KBR_VLAN_F_ALL),
};

static const struct nla_policy kbr_vlan_req_policy[KBR_A_MAX + 1] = {
	[KBR_A_BRIDGE]	= NLA_POLICY_NESTED(kbr_br_id_policy),
	[KBR_A_PORT]	= NLA_POLICY_NESTED(kbr_port_id_policy),
	[KBR_A_VLAN]	= NLA_POLICY_NESTED(kbr_vlan_policy),
};

static const struct nla_policy kbr_vlan_dump_policy[KBR_A_MAX + 1] = {
	[KBR_A_BRIDGE]		= NLA_POLICY_NESTED(kbr_br_id_policy),
	[KBR_A_VLAN_STATS]	= { .type = NLA_FLAG },
};

static const struct nla_policy kbr_br_id_req_policy[KBR_A_MAX + 1] = {
	[KBR_A_BRIDGE]	= NLA_POLICY_NESTED(kbr_br_id_policy),
};

static const struct nla_policy kbr_br_new_req_policy[KBR_A_MAX + 1] = {
	[KBR_A_BRIDGE]	= NLA_POLICY_NESTED(kbr_br_new_policy),
};

static const struct nla_policy kbr_br_set_req_policy[KBR_A_MAX + 1] = {
	[KBR_A_BRIDGE]	= NLA_POLICY_NESTED(kbr_br_set_policy),
};

static const struct nla_policy kbr_port_req_policy[KBR_A_MAX + 1] = {
	[KBR_A_BRIDGE]	= NLA_POLICY_NESTED(kbr_br_id_policy),
	[KBR_A_PORT]	= NLA_POLICY_NESTED(kbr_port_id_policy),
};

static const struct nla_policy kbr_port_set_req_policy[KBR_A_MAX + 1] = {
	[KBR_A_BRIDGE]	= NLA_POLICY_NESTED(kbr_br_id_policy),
	[KBR_A_PORT]	= NLA_POLICY_NESTED(kbr_port_set_policy),
};

static struct genl_family kbr_genl_family;

/*
 * Events go out only while the family is registered; see kbr_nl_exit().
 * Written under RTNL; read with READ_ONCE() under RTNL or RCU.
 */
static bool kbr_nl_registered;

/* Anybody to tell?  Cheap enough for the packet path. */
static bool kbr_nl_listening(struct net *net)
{
	return READ_ONCE(kbr_nl_registered) &&
	       genl_has_listeners(&kbr_genl_family, net, KBR_MCGRP_EVENTS);
}

/*
 * One fill function per object serves GET replies, dumps (@cb set) and
 * events.  Callers hold RTNL.
 */
/* ms left on @t, 0 when it is not running. */
static u32 timer_left_ms(const struct timer_list *t)
{
	long left;

	if (!timer_pending(t))
		return 0;
	left = (long)(READ_ONCE(t->expires) - jiffies);
	return left > 0 ? jiffies_to_msecs(left) : 0;
}

/* The bridge's spanning tree state, one consistent snapshot. */
static int kbr_nl_put_bridge_stp(struct sk_buff *skb, struct kbr_bridge *kbr)
{
	int err;

	spin_lock_bh(&kbr->stp_lock);
	err = nla_put_u32(skb, KBR_BR_A_MAX_AGE,
			  jiffies_to_msecs(kbr->bridge_max_age)) ||
	      nla_put_u32(skb, KBR_BR_A_HELLO_TIME,
			  jiffies_to_msecs(kbr->bridge_hello_time)) ||
	      nla_put_u32(skb, KBR_BR_A_FORWARD_DELAY,
			  jiffies_to_msecs(kbr->bridge_forward_delay)) ||
	      nla_put(skb, KBR_BR_A_ROOT_ID, sizeof(kbr->designated_root),
		      kbr->designated_root.b) ||
	      nla_put_u16(skb, KBR_BR_A_ROOT_PORT,
			  kbr->root_port ? kbr->root_port->port_no : 0) ||
	      nla_put_u32(skb, KBR_BR_A_ROOT_PATH_COST, kbr->root_path_cost) ||
	      nla_put_u32(skb, KBR_BR_A_CUR_MAX_AGE,
			  jiffies_to_msecs(kbr->max_age)) ||
	      nla_put_u32(skb, KBR_BR_A_CUR_HELLO_TIME,
			  jiffies_to_msecs(kbr->hello_time)) ||
	      nla_put_u32(skb, KBR_BR_A_CUR_FORWARD_DELAY,
			  jiffies_to_msecs(kbr->forward_delay)) ||
	      nla_put_u8(skb, KBR_BR_A_TOPOLOGY_CHANGE, kbr->topology_change) ||
	      nla_put_u8(skb, KBR_BR_A_TOPOLOGY_CHANGE_DETECTED,
			 kbr->topology_change_detected) ||
	      nla_put_u32(skb, KBR_BR_A_HELLO_TIMER,
			  timer_left_ms(&kbr->hello_timer)) ||
	      nla_put_u32(skb, KBR_BR_A_TCN_TIMER,
			  timer_left_ms(&kbr->tcn_timer)) ||
	      nla_put_u32(skb, KBR_BR_A_TOPOLOGY_CHANGE_TIMER,
			  timer_left_ms(&kbr->topology_change_timer)) ||
	      nla_put_u32(skb, KBR_BR_A_GC_TIMER,
			  timer_left_ms(&kbr->gc_work.timer)) ||
	      nla_put_u32(skb, KBR_BR_A_BPDU_GUARD_RECOVERY,
			  jiffies_to_msecs(kbr->guard_recovery));
	spin_unlock_bh(&kbr->stp_lock);
	return err ? -EMSGSIZE : 0;
}

static int kbr_nl_fill_bridge(struct sk_buff *skb, struct kbr_bridge *kbr,
			      u32 portid, u32 seq, int flags, u8 cmd,
			      struct netlink_callback *cb)
{
	const struct net_device *dev = kbr->dev;
	struct nlattr *nest;
	void *hdr;

	ASSERT_RTNL();
	hdr = genlmsg_put(skb, portid, seq, &kbr_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	nest = nla_nest_start(skb, KBR_A_BRIDGE);
	if (!nest)
		goto nla_put_failure;
	if (nla_put_u32(skb, KBR_BR_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, KBR_BR_A_IFNAME, dev->name) ||
	    nla_put(skb, KBR_BR_A_ADDRESS, ETH_ALEN, dev->dev_addr) ||
	    nla_put_u16(skb, KBR_BR_A_PRIORITY, kbr->priority) ||
	    nla_put_u8(skb, KBR_BR_A_STP_ENABLED, kbr->stp_enabled) ||
	    nla_put_u32(skb, KBR_BR_A_AGEING_TIME,
			jiffies_to_msecs(kbr->ageing_time)) ||
	    nla_put_u32(skb, KBR_BR_A_FDB_MAX_LEARNED, kbr->fdb_max_learned) ||
	    nla_put_u32(skb, KBR_BR_A_FDB_LEARNED,
			READ_ONCE(kbr->fdb_learned)) ||
	    nla_put_u64_64bit(skb, KBR_BR_A_FDB_LEARN_REFUSED,
			      atomic64_read(&kbr->fdb_refused), KBR_BR_A_PAD) ||
	    nla_put_u64_64bit(skb, KBR_BR_A_FDB_MOVES,
			      atomic64_read(&kbr->fdb_moves), KBR_BR_A_PAD) ||
	    nla_put_u8(skb, KBR_BR_A_VLAN_FILTERING, kbr->vlan_enabled) ||
	    nla_put_u16(skb, KBR_BR_A_VLAN_PROTOCOL, ntohs(kbr->vlan_proto)) ||
	    nla_put_u16(skb, KBR_BR_A_DEFAULT_PVID, kbr->default_pvid) ||
	    kbr_nl_put_bridge_stp(skb, kbr))
		goto nla_put_failure;
	nla_nest_end(skb, nest);

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * kbr_nl_notify_bridge - announce a bridge on the events group
 * @kbr: the bridge
 * @cmd: %KBR_CMD_BR_NEW or %KBR_CMD_BR_DEL
 *
 * Context: RTNL held.
 */
void kbr_nl_notify_bridge(struct kbr_bridge *kbr, u8 cmd)
{
	struct net *net = dev_net(kbr->dev);
	struct sk_buff *skb;

	ASSERT_RTNL();
	if (!kbr_nl_listening(net))
		return;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (kbr_nl_fill_bridge(skb, kbr, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&kbr_genl_family, net, skb, 0,
				KBR_MCGRP_EVENTS, GFP_KERNEL);
}

/*
 * The device an ifindex and/or a name attribute name; when both are given
 * they must agree.  Context: RTNL held.
 */
static struct net_device *kbr_nl_dev_get(struct net *net,
					 const struct nlattr *ifindex,
					 const struct nlattr *ifname,
					 const struct nlattr *nest,
					 struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL, *named;

	ASSERT_RTNL();
	if (ifindex) {
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, ifindex,
					    "No device with this ifindex");
			return ERR_PTR(-ENODEV);
		}
	}
	if (ifname) {
		named = __dev_get_by_name(net, nla_data(ifname));
		if (!named) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "No device with this name");
			return ERR_PTR(-ENODEV);
		}
		if (dev && dev != named) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "Name and ifindex are different devices");
			return ERR_PTR(-EINVAL);
		}
		dev = named;
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "An ifindex or a name is required");
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

/*
 * Resolve the bridge a request names, once per request, from the
 * request's attributes (a doit's info->attrs or a dump's).
 * Context: RTNL held.
 */
static struct kbr_bridge *kbr_nl_bridge_get(struct net *net,
					    struct nlattr **attrs,
					    const struct nla_policy *policy,
					    struct netlink_ext_ack *extack)
{
	struct nlattr *nest = attrs[KBR_A_BRIDGE];
	struct nlattr *tb[KBR_BR_A_MAX + 1];
	struct net_device *dev;
	int err;

	if (NL_REQ_ATTR_CHECK(extack, NULL, attrs, KBR_A_BRIDGE)) {
		NL_SET_ERR_MSG(extack, "Bridge attribute is required");
		return ERR_PTR(-EINVAL);
	}
	err = nla_parse_nested(tb, KBR_BR_A_MAX, nest, policy, extack);
	if (err)
		return ERR_PTR(err);

	dev = kbr_nl_dev_get(net, tb[KBR_BR_A_IFINDEX], tb[KBR_BR_A_IFNAME],
			     nest, extack);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	if (!kbr_is_bridge(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Device is not a kbridge");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/*
 * The port device of a port request; @tb gets the port nest's attributes.
 * Context: RTNL held.
 */
static struct net_device *kbr_nl_port_dev_get(struct genl_info *info,
					      const struct nla_policy *policy,
					      struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[KBR_A_PORT];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBR_A_PORT)) {
		NL_SET_ERR_MSG(info->extack, "Port attribute is required");
		return ERR_PTR(-EINVAL);
	}
	err = nla_parse_nested(tb, KBR_PORT_A_MAX, nest, policy,
			       info->extack);
	if (err)
		return ERR_PTR(err);
	return kbr_nl_dev_get(genl_info_net(info), tb[KBR_PORT_A_IFINDEX],
			      tb[KBR_PORT_A_IFNAME], nest, info->extack);
}

static int kbr_nl_br_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kbr_bridge *kbr;
	struct sk_buff *msg;
	int err;

	/* Allocate the reply before looking: nothing to undo on failure. */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
				kbr_br_id_policy, info->extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
		goto err_unlock;
	}
	err = kbr_nl_fill_bridge(msg, kbr, info->snd_portid, info->snd_seq,
				 0, KBR_CMD_BR_GET, NULL);
	if (err)
		goto err_unlock;
	rtnl_unlock();

	return genlmsg_reply(msg, info);

err_unlock:
	rtnl_unlock();
	nlmsg_free(msg);
	return err;
}

/*
 * Dump every kbridge of the namespace, resuming by position in the device
 * list.  Under RTNL, as rtnetlink's link dumps: a device's name and
 * address change under it.  dev_base_seq tells userspace when the list
 * changed between two parts of the dump.
 */
static int kbr_nl_br_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct net *net = sock_net(skb->sk);
	long idx = 0, s_idx = cb->args[0];
	struct net_device *dev;
	int err = 0;

	if (info->attrs[KBR_A_BRIDGE]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, info->attrs[KBR_A_BRIDGE],
				    "A dump takes no bridge; use a GET request");
		return -EINVAL;
	}

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (idx < s_idx || !kbr_is_bridge(dev)) {
			idx++;
			continue;
		}
		err = kbr_nl_fill_bridge(skb, netdev_priv(dev),
					 NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI,
					 KBR_CMD_BR_GET, cb);
		if (err)
			break;
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;

	/* A full skb ends this part of the dump; the next resumes at idx. */
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}

static int kbr_nl_br_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KBR_BR_A_MAX + 1];
	struct net_device *dev;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBR_A_BRIDGE)) {
		NL_SET_ERR_MSG(info->extack, "Bridge attribute is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KBR_BR_A_MAX, info->attrs[KBR_A_BRIDGE],
			       kbr_br_new_policy, info->extack);
	if (err)
		return err;
	if (!tb[KBR_BR_A_IFNAME]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[KBR_A_BRIDGE],
				     KBR_BR_A_IFNAME);
		NL_SET_ERR_MSG(info->extack, "Bridge name is required");
		return -EINVAL;
	}

	rtnl_lock();
	dev = kbr_dev_create(genl_info_net(info),
			     nla_data(tb[KBR_BR_A_IFNAME]), info->extack);
	rtnl_unlock();

	return PTR_ERR_OR_ZERO(dev);
}

static int kbr_nl_br_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kbr_bridge *kbr;
	int err = 0;

	rtnl_lock();
	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
				kbr_br_id_policy, info->extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
	} else if (kbr->dev->flags & IFF_UP) {
		/* brctl's rule; "ip link del" removes a bridge that is up. */
		NL_SET_ERR_MSG(info->extack, "Bridge is up; set it down first");
		err = -EBUSY;
	} else {
		kbr_dev_delete(kbr->dev);
	}
	rtnl_unlock();

	return err;
}

static int kbr_nl_br_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KBR_BR_A_MAX + 1];
	u32 max_age, hello, fd, recovery = 0;
	struct kbr_bridge *kbr;
	u16 proto = 0;
	int err = 0;

	rtnl_lock();
	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
				kbr_br_set_policy, info->extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
		goto out;
	}
	/* Validated already: parsing again cannot fail. */
	nla_parse_nested(tb, KBR_BR_A_MAX, info->attrs[KBR_A_BRIDGE],
			 kbr_br_set_policy, NULL);
	/* The one check that can fail comes first: then nothing changed. */
	if (tb[KBR_BR_A_MAX_AGE])
		max_age = nla_get_u32(tb[KBR_BR_A_MAX_AGE]);
	if (tb[KBR_BR_A_HELLO_TIME])
		hello = nla_get_u32(tb[KBR_BR_A_HELLO_TIME]);
	if (tb[KBR_BR_A_FORWARD_DELAY])
		fd = nla_get_u32(tb[KBR_BR_A_FORWARD_DELAY]);
	/* A port BPDU guard took out comes back no sooner than 1 s. */
	if (tb[KBR_BR_A_BPDU_GUARD_RECOVERY]) {
		recovery = nla_get_u32(tb[KBR_BR_A_BPDU_GUARD_RECOVERY]);
		if (recovery && recovery < MSEC_PER_SEC) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KBR_BR_A_BPDU_GUARD_RECOVERY],
					    "BPDU guard recovery must be 0 or at least 1 second");
			err = -ERANGE;
			goto out;
		}
	}
	if (tb[KBR_BR_A_VLAN_PROTOCOL]) {
		proto = nla_get_u16(tb[KBR_BR_A_VLAN_PROTOCOL]);
		if (proto != KBR_VLAN_PROTO_8021Q &&
		    proto != KBR_VLAN_PROTO_8021AD) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KBR_BR_A_VLAN_PROTOCOL],
					    "VLAN protocol must be 802.1Q (0x8100) or 802.1ad (0x88a8)");
			err = -EINVAL;
			goto out;
		}
	}
	err = kbr_stp_set_timers(kbr, tb[KBR_BR_A_MAX_AGE] ? &max_age : NULL,
				 tb[KBR_BR_A_HELLO_TIME] ? &hello : NULL,
				 tb[KBR_BR_A_FORWARD_DELAY] ? &fd : NULL,
				 info->extack);
	if (err)
		goto out;
	/* Fails only when memory is short. */
	if (tb[KBR_BR_A_DEFAULT_PVID]) {
		err = kbr_vlan_set_default_pvid(kbr,
						nla_get_u16(tb[KBR_BR_A_DEFAULT_PVID]),
						info->extack);
		if (err)
			goto out;
	}
	if (proto)
		kbr_vlan_set_proto(kbr, htons(proto));
	if (tb[KBR_BR_A_VLAN_FILTERING])
		kbr_vlan_set_filtering(kbr,
				       nla_get_u8(tb[KBR_BR_A_VLAN_FILTERING]));
	if (tb[KBR_BR_A_STP_ENABLED])
		kbr_stp_set_enabled(kbr, nla_get_u8(tb[KBR_BR_A_STP_ENABLED]));
	if (tb[KBR_BR_A_PRIORITY])
		kbr_stp_set_bridge_id(kbr, nla_get_u16(tb[KBR_BR_A_PRIORITY]),
				      kbr->dev->dev_addr);
	if (tb[KBR_BR_A_BPDU_GUARD_RECOVERY])
		kbr_stp_set_guard_recovery(kbr, recovery);
	if (tb[KBR_BR_A_AGEING_TIME])
		kbr_fdb_set_ageing(kbr, msecs_to_jiffies(nla_get_u32(tb[KBR_BR_A_AGEING_TIME])));
	/* Lowering the cap keeps what was learned: it ages out as usual. */
	if (tb[KBR_BR_A_FDB_MAX_LEARNED])
		WRITE_ONCE(kbr->fdb_max_learned,
			   nla_get_u32(tb[KBR_BR_A_FDB_MAX_LEARNED]));
out:
	rtnl_unlock();
	return err;
}

/* A port's spanning tree state, one consistent snapshot. */
static int kbr_nl_put_port_stp(struct sk_buff *skb, struct kbr_port *p)
{
	struct kbr_stp_counters c;
	struct nlattr *nest;
	u32 flags;
	int err;

	spin_lock_bh(&p->br->stp_lock);
	c = p->stp;
	flags = (p->topology_change_ack ? KBR_PORT_STP_F_TOPOLOGY_CHANGE_ACK : 0) |
		(p->config_pending ? KBR_PORT_STP_F_CONFIG_PENDING : 0) |
		(p->guard_tripped ? KBR_PORT_STP_F_BPDU_GUARD_TRIPPED : 0) |
		(p->root_inconsistent ? KBR_PORT_STP_F_ROOT_INCONSISTENT : 0);
	err = nla_put_u8(skb, KBR_PORT_A_STATE, p->state) ||
	      nla_put_u8(skb, KBR_PORT_A_PRIORITY, p->priority) ||
	      nla_put_u32(skb, KBR_PORT_A_PATH_COST, p->path_cost) ||
	      nla_put_u16(skb, KBR_PORT_A_PORT_ID, p->port_id) ||
	      nla_put(skb, KBR_PORT_A_DESIGNATED_ROOT,
		      sizeof(p->designated_root), p->designated_root.b) ||
	      nla_put(skb, KBR_PORT_A_DESIGNATED_BRIDGE,
		      sizeof(p->designated_bridge), p->designated_bridge.b) ||
	      nla_put_u16(skb, KBR_PORT_A_DESIGNATED_PORT, p->designated_port) ||
	      nla_put_u32(skb, KBR_PORT_A_DESIGNATED_COST, p->designated_cost) ||
	      nla_put_u32(skb, KBR_PORT_A_MESSAGE_AGE_TIMER,
			  timer_left_ms(&p->message_age_timer)) ||
	      nla_put_u32(skb, KBR_PORT_A_FORWARD_DELAY_TIMER,
			  timer_left_ms(&p->forward_delay_timer)) ||
	      nla_put_u32(skb, KBR_PORT_A_HOLD_TIMER,
			  timer_left_ms(&p->hold_timer)) ||
	      nla_put_u32(skb, KBR_PORT_A_STP_FLAGS, flags);
	spin_unlock_bh(&p->br->stp_lock);
	if (err)
		return -EMSGSIZE;

	nest = nla_nest_start(skb, KBR_PORT_A_STP_COUNTERS);
	if (!nest ||
	    nla_put_u64_64bit(skb, KBR_STP_C_CONFIG_RX, c.config_rx,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_CONFIG_TX, c.config_tx,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TCN_RX, c.tcn_rx, KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TCN_TX, c.tcn_tx, KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_RX_BAD, c.rx_bad, KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TO_BLOCKING, c.to_blocking,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TO_FORWARDING, c.to_forwarding,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_BPDU_GUARD, c.bpdu_guard,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_ROOT_GUARD, c.root_guard,
			      KBR_STP_C_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int kbr_nl_fill_port(struct sk_buff *skb, struct kbr_port *p,
			    u32 portid, u32 seq, int flags, u8 cmd,
			    struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	ASSERT_RTNL();
	hdr = genlmsg_put(skb, portid, seq, &kbr_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	nest = nla_nest_start(skb, KBR_A_BRIDGE);
	if (!nest ||
	    nla_put_u32(skb, KBR_BR_A_IFINDEX, p->br->dev->ifindex) ||
	    nla_put_string(skb, KBR_BR_A_IFNAME, p->br->dev->name))
		goto nla_put_failure;
	nla_nest_end(skb, nest);

	nest = nla_nest_start(skb, KBR_A_PORT);
	if (!nest ||
	    nla_put_u32(skb, KBR_PORT_A_IFINDEX, p->dev->ifindex) ||
	    nla_put_string(skb, KBR_PORT_A_IFNAME, p->dev->name) ||
	    nla_put_u16(skb, KBR_PORT_A_PORT_NO, p->port_no) ||
	    nla_put_u32(skb, KBR_PORT_A_FLAGS, p->flags) ||
	    nla_put_u32(skb, KBR_PORT_A_FDB_MAX_LEARNED, p->fdb_max_learned) ||
	    nla_put_u32(skb, KBR_PORT_A_FDB_LEARNED,
			READ_ONCE(p->fdb_learned)) ||
	    nla_put_u64_64bit(skb, KBR_PORT_A_FDB_LEARN_REFUSED,
			      atomic64_read(&p->fdb_refused), KBR_PORT_A_PAD) ||
	    nla_put_u64_64bit(skb, KBR_PORT_A_VLAN_DROPPED,
			      atomic64_read(&p->vlan_dropped), KBR_PORT_A_PAD) ||
	    kbr_nl_put_port_stp(skb, p))
		goto nla_put_failure;
	nla_nest_end(skb, nest);

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * kbr_nl_notify_port - announce a port on the events group
 * @p: the port
 * @cmd: %KBR_CMD_PORT_NEW or %KBR_CMD_PORT_DEL
 *
 * Context: RTNL held.
 */
void kbr_nl_notify_port(struct kbr_port *p, u8 cmd)
{
	struct net *net = dev_net(p->br->dev);
	struct sk_buff *skb;

	ASSERT_RTNL();
	if (!kbr_nl_listening(net))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (kbr_nl_fill_port(skb, p, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&kbr_genl_family, net, skb, 0,
				KBR_MCGRP_EVENTS, GFP_KERNEL);
}

/* The ports of one bridge, in port-number order, resumed by position. */
static int kbr_nl_port_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	long idx = 0, s_idx = cb->args[0];
	struct kbr_bridge *kbr;
	struct kbr_port *p;
	int err = 0;

	rtnl_lock();
	kbr = kbr_nl_bridge_get(sock_net(skb->sk), info->attrs,
				kbr_br_id_policy, cb->extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
		goto out;
	}
	cb->seq = kbr->dev->ifindex;
	list_for_each_entry(p, &kbr->port_list, list) {
		if (idx++ < s_idx)
			continue;
		err = kbr_nl_fill_port(skb, p, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				       KBR_CMD_PORT_GET, cb);
		if (err) {
			idx--;
			break;
		}
	}
	cb->args[0] = idx;
out:
	rtnl_unlock();
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}

/* PORT_NEW and PORT_DEL: resolve the bridge and the device, then @op. */
static int kbr_nl_port_op(struct genl_info *info,
			  int (*op)(struct kbr_bridge *kbr,
				    struct net_device *dev,
				    struct netlink_ext_ack *extack))
{
	struct nlattr *tb[KBR_PORT_A_MAX + 1];
	struct net_device *dev;
	struct kbr_bridge *kbr;
	int err;

	rtnl_lock();
	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
				kbr_br_id_policy, info->extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
		goto out;
	}
	dev = kbr_nl_port_dev_get(info, kbr_port_id_policy, tb);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	err = op(kbr, dev, info->extack);
out:
	rtnl_unlock();
	return err;
}

static int kbr_nl_port_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return kbr_nl_port_op(info, kbr_port_add);
}

static int kbr_nl_port_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return kbr_nl_port_op(info, kbr_port_del);
}

static int kbr_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KBR_PORT_A_MAX + 1];
	struct net_device *dev;
	struct kbr_bridge *kbr;
	struct kbr_port *p;
	u32 flags, mask;
	int err = 0;

	rtnl_lock();
	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
				kbr_br_id_policy, info->extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
		goto out;
	}
	dev = kbr_nl_port_dev_get(info, kbr_port_set_policy, tb);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	p = kbr_port_get_rtnl(dev);
	if (!p || p->br != kbr) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KBR_A_PORT],
				    "Device is not a port of this bridge");
		err = -EINVAL;
		goto out;
	}
	if (!!tb[KBR_PORT_A_FLAGS] != !!tb[KBR_PORT_A_FLAGS_MASK]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KBR_A_PORT],
				    "Port flags and their mask go together");
		err = -EINVAL;
		goto out;
	}
	if (tb[KBR_PORT_A_FLAGS]) {
		flags = nla_get_u32(tb[KBR_PORT_A_FLAGS]);
		mask = nla_get_u32(tb[KBR_PORT_A_FLAGS_MASK]);
		flags = (p->flags & ~mask) | (flags & mask);
		mask = p->flags ^ flags;
		WRITE_ONCE(p->flags, flags);
		kbr_stp_flags_changed(p, mask);
	}
	/* Lowering the cap keeps what was learned: it ages out as usual. */
	if (tb[KBR_PORT_A_FDB_MAX_LEARNED])
		WRITE_ONCE(p->fdb_max_learned,
			   nla_get_u32(tb[KBR_PORT_A_FDB_MAX_LEARNED]));
	if (tb[KBR_PORT_A_PRIORITY])
		kbr_stp_set_port_priority(p, nla_get_u8(tb[KBR_PORT_A_PRIORITY]));
	if (tb[KBR_PORT_A_PATH_COST])
		kbr_stp_set_path_cost(p, nla_get_u32(tb[KBR_PORT_A_PATH_COST]));
out:
	rtnl_unlock();
	return err;
}

/*
 * One FDB entry: dumps (@cb set, bridge implied) and events (@cb NULL:
 * the bridge and the event's reason go in too).
 * Context: rcu_read_lock() or RTNL held; the entry and its port stay valid.
 */
static int kbr_nl_fill_fdb(struct sk_buff *skb, const struct kbr_bridge *kbr,
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
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return;
	if (kbr_nl_fill_fdb(skb, kbr, f, cmd, event, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&kbr_genl_family, net, skb, 0,
				KBR_MCGRP_EVENTS, GFP_ATOMIC);
}

/**
 * kbr_nl_notify_flush - announce a flush of the bridge or of port @p
 * @kbr: the bridge
 * @p: the port, or NULL
 *
 * Context: RTNL held.
 */
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
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &kbr_genl_family, 0, KBR_CMD_FDB_FLUSH);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(skb, KBR_A_BRIDGE);
	if (!nest || nla_put_u32(skb, KBR_BR_A_IFINDEX, kbr->dev->ifindex) ||
	    nla_put_string(skb, KBR_BR_A_IFNAME, kbr->dev->name))
		goto err_free;
	nla_nest_end(skb, nest);
	if (p) {
		nest = nla_nest_start(skb, KBR_A_PORT);
		if (!nest ||
		    nla_put_u32(skb, KBR_PORT_A_IFINDEX, p->dev->ifindex) ||
		    nla_put_string(skb, KBR_PORT_A_IFNAME, p->dev->name))
			goto err_free;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&kbr_genl_family, net, skb, 0,
				KBR_MCGRP_EVENTS, GFP_KERNEL);
	return;

err_free:
	nlmsg_free(skb);
}

/* Where an FDB dump stands between its parts, in cb->ctx. */
struct kbr_fdb_dump_ctx {
	int			ifindex;	/* the bridge; 0 before part 1 */
	bool			resume;		/* an entry went out: */
	bool			done;
	struct kbr_fdb_key	last_key;	/* its key */
	u64			last_id;	/* and its id */
};

/*
 * The FDB of one bridge.  The bridge is resolved under RTNL once, then
 * found again by ifindex under RCU at every part; the table is walked
 * under RCU only, each part going on after the entry the last one ended
 * with (kbr_fdb_resume_rcu()), so a dump of N entries costs O(N).  The
 * FDB's generation tells userspace when entries came or went between
 * parts.
 */
static int kbr_nl_fdb_get_dumpit(struct sk_buff *skb,
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
		kbr = kbr_nl_bridge_get(net, info->attrs, kbr_br_id_policy,
					cb->extack);
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
		err = kbr_nl_fill_fdb(skb, kbr, f, KBR_CMD_FDB_GET, 0, cb);
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

/**
 * kbr_nl_notify_stp - announce spanning tree news on the events group
 * @kbr: the bridge
 * @p: the port whose state changed, or NULL
 * @event: enum kbr_stp_event
 *
 * Context: stp_lock held (softirq, or BH disabled).
 */
void kbr_nl_notify_stp(struct kbr_bridge *kbr, const struct kbr_port *p,
		       u8 event)
{
	struct net *net = dev_net(kbr->dev);
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	lockdep_assert_held(&kbr->stp_lock);
	if (!kbr_nl_listening(net))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &kbr_genl_family, 0, KBR_CMD_STP_EVENT);
	if (!hdr || nla_put_u8(skb, KBR_A_STP_EVENT, event))
		goto err_free;
	nest = nla_nest_start(skb, KBR_A_BRIDGE);
	if (!nest || nla_put_u32(skb, KBR_BR_A_IFINDEX, kbr->dev->ifindex) ||
	    nla_put(skb, KBR_BR_A_ROOT_ID, sizeof(kbr->designated_root),
		    kbr->designated_root.b) ||
	    nla_put_u16(skb, KBR_BR_A_ROOT_PORT,
			kbr->root_port ? kbr->root_port->port_no : 0) ||
	    nla_put_u32(skb, KBR_BR_A_ROOT_PATH_COST, kbr->root_path_cost) ||
	    nla_put_u8(skb, KBR_BR_A_TOPOLOGY_CHANGE, kbr->topology_change))
		goto err_free;
	nla_nest_end(skb, nest);
	if (p) {
		nest = nla_nest_start(skb, KBR_A_PORT);
		if (!nest ||
		    nla_put_u32(skb, KBR_PORT_A_IFINDEX, p->dev->ifindex) ||
		    nla_put_u16(skb, KBR_PORT_A_PORT_NO, p->port_no) ||
		    nla_put_u8(skb, KBR_PORT_A_STATE, p->state))
			goto err_free;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&kbr_genl_family, net, skb, 0,
				KBR_MCGRP_EVENTS, GFP_ATOMIC);
	return;

err_free:
	nlmsg_free(skb);
}

/* The port of this bridge that @dev is, or an error. */
static struct kbr_port *kbr_nl_port_of(struct kbr_bridge *kbr,
				       struct net_device *dev,
				       const struct nlattr *attr,
				       struct netlink_ext_ack *extack)
{
	struct kbr_port *p = kbr_port_get_rtnl(dev);

	if (!p || p->br != kbr) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Device is not a port of this bridge");
		return ERR_PTR(-EINVAL);
	}
	return p;
}

static int kbr_nl_fdb_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KBR_FDB_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct net_device *dev;
	struct kbr_bridge *kbr;
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

	rtnl_lock();
	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
				kbr_br_id_policy, extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
		goto out;
	}
	dev = kbr_nl_dev_get(genl_info_net(info), tb[KBR_FDB_A_PORT_IFINDEX],
			     NULL, info->attrs[KBR_A_FDB], extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	p = kbr_nl_port_of(kbr, dev, tb[KBR_FDB_A_PORT_IFINDEX], extack);
	if (IS_ERR(p)) {
		err = PTR_ERR(p);
		goto out;
	}
	err = kbr_fdb_add_static(kbr, p, nla_data(tb[KBR_FDB_A_ADDRESS]), vid,
				 extack);
out:
	rtnl_unlock();
	return err;
}

static int kbr_nl_fdb_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KBR_FDB_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
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

	rtnl_lock();
	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
				kbr_br_id_policy, extack);
	if (IS_ERR(kbr))
		err = PTR_ERR(kbr);
	else
		err = kbr_fdb_del_entry(kbr, nla_data(tb[KBR_FDB_A_ADDRESS]),
					vid, extack);
	rtnl_unlock();
	return err;
}

static int kbr_nl_fdb_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KBR_FDB_A_MAX + 1] = {};
	struct nlattr *ptb[KBR_PORT_A_MAX + 1];
	struct kbr_port *p = NULL;
	struct net_device *dev;
	struct kbr_bridge *kbr;
	int err = 0;
	u16 vid;

	if (info->attrs[KBR_A_FDB]) {
		err = nla_parse_nested(tb, KBR_FDB_A_MAX, info->attrs[KBR_A_FDB],
				       kbr_fdb_policy, info->extack);
		if (err)
			return err;
	}

	rtnl_lock();
	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
				kbr_br_id_policy, info->extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
		goto out;
	}
	if (info->attrs[KBR_A_PORT]) {
		dev = kbr_nl_port_dev_get(info, kbr_port_id_policy, ptb);
		if (IS_ERR(dev)) {
			err = PTR_ERR(dev);
			goto out;
		}
		p = kbr_nl_port_of(kbr, dev, info->attrs[KBR_A_PORT],
				   info->extack);
		if (IS_ERR(p)) {
			err = PTR_ERR(p);
			goto out;
		}
	}
	vid = tb[KBR_FDB_A_VLAN] ? nla_get_u16(tb[KBR_FDB_A_VLAN]) : 0;
	kbr_fdb_flush_vlans(kbr, p, vid,
			    tb[KBR_FDB_A_VLAN] ? vid : VLAN_N_VID - 1,
			    tb[KBR_FDB_A_FLAGS] &&
			    (nla_get_u32(tb[KBR_FDB_A_FLAGS]) & KBR_FDB_F_STATIC));
	kbr_nl_notify_flush(kbr, p);
out:
	rtnl_unlock();
	return err;
}

static int kbr_nl_vlan_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool add = info->genlhdr->cmd == KBR_CMD_VLAN_NEW;
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[KBR_VLAN_A_MAX + 1];
	struct nlattr *ptb[KBR_PORT_A_MAX + 1];
	struct kbr_port *p = NULL;
	struct net_device *dev;
	struct kbr_bridge *kbr;
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

	rtnl_lock();
	kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
				kbr_br_id_policy, extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
		goto out;
	}
	/* No port: the bridge device's own membership ("self"). */
	if (info->attrs[KBR_A_PORT]) {
		dev = kbr_nl_port_dev_get(info, kbr_port_id_policy, ptb);
		if (IS_ERR(dev)) {
			err = PTR_ERR(dev);
			goto out;
		}
		p = kbr_nl_port_of(kbr, dev, info->attrs[KBR_A_PORT], extack);
		if (IS_ERR(p)) {
			err = PTR_ERR(p);
			goto out;
		}
	}
	if (add)
		err = kbr_vlan_add(kbr, p, vid, vid_end, flags, extack);
	else
		err = kbr_vlan_del(kbr, p, vid, vid_end, extack);
out:
	rtnl_unlock();
	return err;
}

/* Where a VLAN dump stands between its parts, in cb->ctx. */
struct kbr_vlan_dump_ctx {
	int	ifindex;	/* the one bridge asked for, or 0 for all */
	bool	started;
	bool	stats;		/* one VLAN per nest, with its counters */
	long	br_idx;		/* bridges done, in device list order */
	u16	port_no;	/* 0: the bridge device; then by number */
	u16	vid;		/* the next VLAN of that member */
};

static int kbr_nl_put_vlan(struct sk_buff *skb, const struct kbr_vlan *v,
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
static int kbr_nl_fill_vlans(struct sk_buff *skb, struct netlink_callback *cb,
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
	nest = nla_nest_start(skb, KBR_A_BRIDGE);
	if (!nest || nla_put_u32(skb, KBR_BR_A_IFINDEX, kbr->dev->ifindex) ||
	    nla_put_string(skb, KBR_BR_A_IFNAME, kbr->dev->name))
		goto cancel;
	nla_nest_end(skb, nest);
	if (p) {
		nest = nla_nest_start(skb, KBR_A_PORT);
		if (!nest ||
		    nla_put_u32(skb, KBR_PORT_A_IFINDEX, p->dev->ifindex) ||
		    nla_put_string(skb, KBR_PORT_A_IFNAME, p->dev->name) ||
		    nla_put_u16(skb, KBR_PORT_A_PORT_NO, p->port_no))
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
			if (kbr_nl_put_vlan(skb, first, last, flags, ctx->stats))
				goto full;
			any = true;
		}
		first = v;
		flags = vflags;
		last = vid;
	}
	if (first && kbr_nl_put_vlan(skb, first, last, flags, ctx->stats))
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
static int kbr_nl_vlan_get_dumpit(struct sk_buff *skb,
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
			kbr = kbr_nl_bridge_get(net, info->attrs,
						kbr_br_id_policy, cb->extack);
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
			err = kbr_nl_fill_vlans(skb, cb, kbr, NULL);
			if (err)
				break;
			ctx->port_no = 1;
		}
		list_for_each_entry(p, &kbr->port_list, list) {
			if (p->port_no < ctx->port_no)
				continue;
			ctx->port_no = p->port_no;
			err = kbr_nl_fill_vlans(skb, cb, kbr, p);
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

static const struct genl_ops kbr_genl_ops[] = {
	{
		.cmd		= KBR_CMD_BR_GET,
		.doit		= kbr_nl_br_get_doit,
		.dumpit		= kbr_nl_br_get_dumpit,
		.policy		= kbr_br_id_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_br_id_req_policy) - 1,
	},
	{
		.cmd		= KBR_CMD_BR_NEW,
		.doit		= kbr_nl_br_new_doit,
		.policy		= kbr_br_new_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_br_new_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_BR_DEL,
		.doit		= kbr_nl_br_del_doit,
		.policy		= kbr_br_id_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_br_id_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_BR_SET,
		.doit		= kbr_nl_br_set_doit,
		.policy		= kbr_br_set_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_br_set_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_PORT_GET,
		.dumpit		= kbr_nl_port_get_dumpit,
		.policy		= kbr_br_id_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_br_id_req_policy) - 1,
	},
	{
		.cmd		= KBR_CMD_PORT_NEW,
		.doit		= kbr_nl_port_new_doit,
		.policy		= kbr_port_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_port_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_PORT_DEL,
		.doit		= kbr_nl_port_del_doit,
		.policy		= kbr_port_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_port_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_FDB_GET,
		.dumpit		= kbr_nl_fdb_get_dumpit,
		.policy		= kbr_br_id_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_br_id_req_policy) - 1,
	},
	{
		.cmd		= KBR_CMD_PORT_SET,
		.doit		= kbr_nl_port_set_doit,
		.policy		= kbr_port_set_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_port_set_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_FDB_NEW,
		.doit		= kbr_nl_fdb_new_doit,
		.policy		= kbr_fdb_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_fdb_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_FDB_DEL,
		.doit		= kbr_nl_fdb_del_doit,
		.policy		= kbr_fdb_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_fdb_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_FDB_FLUSH,
		.doit		= kbr_nl_fdb_flush_doit,
		.policy		= kbr_fdb_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_fdb_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_VLAN_GET,
		.dumpit		= kbr_nl_vlan_get_dumpit,
		.policy		= kbr_vlan_dump_policy,
		.maxattr	= ARRAY_SIZE(kbr_vlan_dump_policy) - 1,
	},
	{
		.cmd		= KBR_CMD_VLAN_NEW,
		.doit		= kbr_nl_vlan_doit,
		.policy		= kbr_vlan_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_vlan_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_VLAN_DEL,
		.doit		= kbr_nl_vlan_doit,
		.policy		= kbr_vlan_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_vlan_req_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family kbr_genl_family __ro_after_init = {
	.name		= KBR_GENL_NAME,
	.version	= KBR_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= kbr_genl_ops,
	.n_ops		= ARRAY_SIZE(kbr_genl_ops),
	/* Every command is new: strict validation, reserved byte checked. */
	.resv_start_op	= KBR_CMD_BR_GET,
	.mcgrps		= kbr_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(kbr_mcgrps),
};

int __init kbr_nl_init(void)
{
	int err;

	err = genl_register_family(&kbr_genl_family);
	if (err)
		return err;

	rtnl_lock();
	WRITE_ONCE(kbr_nl_registered, true);
	rtnl_unlock();
	return 0;
}

void kbr_nl_exit(void)
{
	/* Bridges deleted after this (module unload) announce nothing: the
	 * group's ids may already belong to another family.  The packet
	 * path checks the flag under RCU: wait for it.
	 */
	rtnl_lock();
	WRITE_ONCE(kbr_nl_registered, false);
	rtnl_unlock();
	synchronize_rcu();

	genl_unregister_family(&kbr_genl_family);
}
