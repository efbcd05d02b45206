// SPDX-License-Identifier: GPL-2.0
/*
 * The "kbridge" generic-netlink family: its policies, its ops table, its
 * event group, and what the object files share: the lookups of the
 * bridge and port a request names, and the nests that name them in a
 * message.  Each object's messages and commands are in its own file:
 * netlink_bridge.c, netlink_port.c, netlink_fdb.c, netlink_vlan.c and
 * netlink_stp.c.  The contract is uapi/linux/kbridge.h.
 */

#include <linux/if_vlan.h>
#include <net/genetlink.h>

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

/* Identify a bridge: GET, DEL, and the bridge of port, FDB and VLAN
 * requests and dumps.
 */
static const struct nla_policy kbr_br_id_policy[KBR_BR_A_MAX + 1] = {
	[KBR_BR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[KBR_BR_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
};

/* Create a bridge: a name and nothing else. */
const struct nla_policy kbr_br_new_policy[KBR_BR_A_MAX + 1] = {
	[KBR_BR_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
};

static struct netlink_range_validation kbr_ageing_range __ro_after_init = {
	.max	= KBR_MAX_AGEING_TIME_MS,
};

/* Change a bridge: identify it, and what may change. */
const struct nla_policy kbr_br_set_policy[KBR_BR_A_MAX + 1] = {
	[KBR_BR_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[KBR_BR_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
	[KBR_BR_A_AGEING_TIME]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&kbr_ageing_range),
	[KBR_BR_A_FDB_MAX_LEARNED] = { .type = NLA_U32 },
	[KBR_BR_A_FDB_POLICY]	= NLA_POLICY_MAX(NLA_U8,
						 KBR_FDB_POLICY_MAX),
	[KBR_BR_A_FDB_MAX_STATIC] = { .type = NLA_U32 },
	[KBR_BR_A_STP_ENABLED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[KBR_BR_A_STP_MODE]	= NLA_POLICY_MAX(NLA_U8, KBR_STP_MODE_MAX),
	/* 1 to 10: kbr_nl_br_set_doit() says so. */
	[KBR_BR_A_TX_HOLD_COUNT] = { .type = NLA_U8 },
	[KBR_BR_A_PRIORITY]	= { .type = NLA_U16 },
	/* Ranges depend on the bridge's state: kbr_stp_check_timers(). */
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

/* The mode's range: kbr_stp_check_path_cost(). */
static struct netlink_range_validation kbr_path_cost_range __ro_after_init = {
	.min	= 1,
	.max	= KBR_MAX_RSTP_PATH_COST,
};

/* Change a port: identify it, its flags, caps and STP settings. */
const struct nla_policy kbr_port_set_policy[KBR_PORT_A_MAX + 1] = {
	[KBR_PORT_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[KBR_PORT_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
	[KBR_PORT_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, KBR_PORT_F_ALL),
	[KBR_PORT_A_FLAGS_MASK]	= NLA_POLICY_MASK(NLA_U32, KBR_PORT_F_ALL),
	[KBR_PORT_A_P2P]	= NLA_POLICY_MAX(NLA_U8, KBR_PORT_P2P_MAX),
	[KBR_PORT_A_MCHECK]	= { .type = NLA_FLAG },
	[KBR_PORT_A_FDB_MAX_LEARNED] = { .type = NLA_U32 },
	[KBR_PORT_A_PRIORITY]	= NLA_POLICY_MAX(NLA_U8, KBR_MAX_PORT_PRIORITY),
	[KBR_PORT_A_PATH_COST]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&kbr_path_cost_range),
};

/* An FDB entry to add, delete, or the kind of entries to flush. */
const struct nla_policy kbr_fdb_policy[KBR_FDB_A_MAX + 1] = {
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
const struct nla_policy kbr_vlan_policy[KBR_VLAN_A_MAX + 1] = {
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

/*
 * Events go out only while the family is registered; see kbr_nl_exit().
 * Written under RTNL; read with READ_ONCE() under RTNL or RCU.
 */
static bool kbr_nl_registered;

/* Anybody to tell?  Cheap enough for the packet path. */
bool kbr_nl_listening(struct net *net)
{
	return READ_ONCE(kbr_nl_registered) &&
	       genl_has_listeners(&kbr_genl_family, net, KBR_MCGRP_EVENTS);
}

/* Send an event, built by one of the object files, to @net's listeners. */
void kbr_nl_multicast(struct net *net, struct sk_buff *skb, gfp_t gfp)
{
	genlmsg_multicast_netns(&kbr_genl_family, net, skb, 0,
				KBR_MCGRP_EVENTS, gfp);
}

/*
 * One fill function per object (netlink_<object>.c) serves GET replies,
 * dumps (@cb set) and events.  The messages about one object that name
 * another (a port's bridge, a flush's port) name it with these two.
 */

/* The room kbr_nl_put_bridge_id() takes in a message. */
size_t kbr_nl_bridge_id_size(void)
{
	return nla_total_size(0) +			/* KBR_A_BRIDGE */
	       nla_total_size(sizeof(u32)) +		/* KBR_BR_A_IFINDEX */
	       nla_total_size(IFNAMSIZ);		/* KBR_BR_A_IFNAME */
}

/* The room kbr_nl_start_port_id() takes; its caller adds the rest. */
size_t kbr_nl_port_id_size(void)
{
	return nla_total_size(0) +			/* KBR_A_PORT */
	       nla_total_size(sizeof(u32)) +		/* KBR_PORT_A_IFINDEX */
	       nla_total_size(IFNAMSIZ);		/* KBR_PORT_A_IFNAME */
}

/**
 * kbr_nl_put_bridge_id - name the bridge a message is about
 * @skb: the message
 * @kbr: the bridge
 *
 * Puts the %KBR_A_BRIDGE nest with the bridge's ifindex and name.
 * Context: RTNL held (the name).
 * Return: 0, or -EMSGSIZE; the caller cancels the message.
 */
int kbr_nl_put_bridge_id(struct sk_buff *skb, const struct kbr_bridge *kbr)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, KBR_A_BRIDGE);
	if (!nest ||
	    nla_put_u32(skb, KBR_BR_A_IFINDEX, kbr->dev->ifindex) ||
	    nla_put_string(skb, KBR_BR_A_IFNAME, kbr->dev->name))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * kbr_nl_start_port_id - open the nest naming the port a message is about
 * @skb: the message
 * @p: the port
 *
 * Opens the %KBR_A_PORT nest with the port device's ifindex and name; the
 * caller adds what else it has and ends the nest.
 * Context: RTNL held (the name).
 * Return: the nest, or NULL when the message is full; the caller cancels
 * the message.
 */
struct nlattr *kbr_nl_start_port_id(struct sk_buff *skb,
				    const struct kbr_port *p)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, KBR_A_PORT);
	if (!nest ||
	    nla_put_u32(skb, KBR_PORT_A_IFINDEX, p->dev->ifindex) ||
	    nla_put_string(skb, KBR_PORT_A_IFNAME, p->dev->name))
		return NULL;
	return nest;
}

/*
 * The device an ifindex and/or a name attribute name; when both are given
 * they must agree.  Context: RTNL held.
 */
struct net_device *kbr_nl_dev_get(struct net *net,
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
 * The bridge a request names, from the request's attributes (a doit's
 * info->attrs or a dump's).  genetlink validated the KBR_A_BRIDGE nest
 * against the command's nested policy already (every command is strict),
 * so parsing it again, without one, only files its attributes; as ever,
 * of an attribute given twice the last counts.
 * Context: RTNL held.
 */
struct kbr_bridge *kbr_nl_bridge_get(struct net *net, struct nlattr **attrs,
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
	err = nla_parse_nested(tb, KBR_BR_A_MAX, nest, NULL, extack);
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

/* The device a request's KBR_A_PORT nest names; genetlink validated the
 * nest against the command's policy.
 */
static struct net_device *port_dev_get(struct genl_info *info)
{
	struct nlattr *nest = info->attrs[KBR_A_PORT];
	struct nlattr *tb[KBR_PORT_A_MAX + 1];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBR_A_PORT)) {
		NL_SET_ERR_MSG(info->extack, "Port attribute is required");
		return ERR_PTR(-EINVAL);
	}
	err = nla_parse_nested(tb, KBR_PORT_A_MAX, nest, NULL, info->extack);
	if (err)
		return ERR_PTR(err);
	return kbr_nl_dev_get(genl_info_net(info), tb[KBR_PORT_A_IFINDEX],
			      tb[KBR_PORT_A_IFNAME], nest, info->extack);
}

/* The port of this bridge that @dev is, or an error. */
struct kbr_port *kbr_nl_port_of(struct kbr_bridge *kbr,
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

/*
 * The port of @kbr a request's KBR_A_PORT nest names; with @optional,
 * NULL when the request has none.  Context: RTNL held.
 */
struct kbr_port *kbr_nl_port_get(struct genl_info *info,
				 struct kbr_bridge *kbr, bool optional)
{
	struct net_device *dev;

	if (optional && !info->attrs[KBR_A_PORT])
		return NULL;
	dev = port_dev_get(info);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	return kbr_nl_port_of(kbr, dev, info->attrs[KBR_A_PORT], info->extack);
}

/*
 * What kbr_nl_pre_doit() resolves for a command before its doit runs
 * (genl_ops.internal_flags).  Every doit runs under RTNL, taken there and
 * released by kbr_nl_post_doit(); what was resolved stays valid until
 * then.  The doits read it with kbr_nl_bridge(), kbr_nl_port() and
 * kbr_nl_port_dev().  The FDB_NEW, FDB_DEL and VLAN commands resolve the
 * bridge and port themselves, after checking their own attributes: a
 * request wrong in both ways gets the message it always got.
 */
enum {
	/* info->user_ptr[0]: the kbridge KBR_A_BRIDGE names */
	KBR_NL_F_BRIDGE		= BIT(0),
	/* info->user_ptr[1]: the device KBR_A_PORT names (to add or remove) */
	KBR_NL_F_PORT_DEV	= BIT(1),
	/* info->user_ptr[1]: the port KBR_A_PORT names, of user_ptr[0] */
	KBR_NL_F_PORT		= BIT(2),
	/* info->user_ptr[1]: as KBR_NL_F_PORT, or NULL without KBR_A_PORT */
	KBR_NL_F_PORT_OPT	= BIT(3),
};

static int kbr_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	u8 flags = ops->internal_flags;
	struct kbr_bridge *kbr = NULL;
	struct net_device *dev;
	struct kbr_port *p;
	int err;

	rtnl_lock();
	if (flags & KBR_NL_F_BRIDGE) {
		kbr = kbr_nl_bridge_get(genl_info_net(info), info->attrs,
					info->extack);
		if (IS_ERR(kbr)) {
			err = PTR_ERR(kbr);
			goto err_unlock;
		}
		info->user_ptr[0] = kbr;
	}
	if (flags & KBR_NL_F_PORT_DEV) {
		dev = port_dev_get(info);
		if (IS_ERR(dev)) {
			err = PTR_ERR(dev);
			goto err_unlock;
		}
		info->user_ptr[1] = dev;
	} else if (flags & (KBR_NL_F_PORT | KBR_NL_F_PORT_OPT)) {
		p = kbr_nl_port_get(info, kbr, flags & KBR_NL_F_PORT_OPT);
		if (IS_ERR(p)) {
			err = PTR_ERR(p);
			goto err_unlock;
		}
		info->user_ptr[1] = p;
	}
	return 0;

err_unlock:
	rtnl_unlock();
	return err;
}

/* Not called when kbr_nl_pre_doit() failed: it unlocked already. */
static void kbr_nl_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
			     struct genl_info *info)
{
	rtnl_unlock();
}

static const struct genl_ops kbr_genl_ops[] = {
	{
		.cmd		= KBR_CMD_BR_GET,
		.doit		= kbr_nl_br_get_doit,
		.dumpit		= kbr_nl_br_get_dumpit,
		.policy		= kbr_br_id_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_br_id_req_policy) - 1,
		.internal_flags	= KBR_NL_F_BRIDGE,
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
		.internal_flags	= KBR_NL_F_BRIDGE,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_BR_SET,
		.doit		= kbr_nl_br_set_doit,
		.policy		= kbr_br_set_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_br_set_req_policy) - 1,
		.internal_flags	= KBR_NL_F_BRIDGE,
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
		.internal_flags	= KBR_NL_F_BRIDGE | KBR_NL_F_PORT_DEV,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KBR_CMD_PORT_DEL,
		.doit		= kbr_nl_port_del_doit,
		.policy		= kbr_port_req_policy,
		.maxattr	= ARRAY_SIZE(kbr_port_req_policy) - 1,
		.internal_flags	= KBR_NL_F_BRIDGE | KBR_NL_F_PORT_DEV,
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
		.internal_flags	= KBR_NL_F_BRIDGE | KBR_NL_F_PORT,
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
		.internal_flags	= KBR_NL_F_BRIDGE | KBR_NL_F_PORT_OPT,
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

struct genl_family kbr_genl_family __ro_after_init = {
	.name		= KBR_GENL_NAME,
	.version	= KBR_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= kbr_genl_ops,
	.pre_doit	= kbr_nl_pre_doit,
	.post_doit	= kbr_nl_post_doit,
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
