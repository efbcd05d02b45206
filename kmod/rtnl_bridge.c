// SPDX-License-Identifier: GPL-2.0
/*
 * What iproute2's bridge command asks of a master through rtnetlink's
 * PF_BRIDGE hooks (DESIGN: "Fitting the ecosystem").  rtnetlink finds the
 * master of each device by netdev_master_upper_dev_get() and calls its
 * ndo_bridge_getlink(), whatever the master is: kbridge answers for its
 * ports in the Linux bridge's format, so that "bridge link show" lists
 * them as it lists a Linux bridge's, and "bridge link set" reaches its
 * ndo_bridge_setlink() the same way; "bridge vlan" goes through the same
 * hooks and ndo_bridge_dellink() (the VLAN attributes: rtnl_vlan.c).
 * kbridge never sets IFF_EBRIDGE or IFF_BRIDGE_PORT.
 */

#include <linux/if_bridge.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "kbr_private.h"

/*
 * IFLA_PROTINFO of @p, IFLA_BRPORT_* as the Linux bridge fills it for
 * what iproute2 prints: the port's state, priority, cost and flags.  The
 * features kbridge does not have are reported as a Linux bridge port of
 * the same kernel reports them when they are off (multicast router: the
 * default, which means nothing with no snooping, and only where the
 * Linux bridge is built with snooping, as it reports it only then).
 */
static int put_mcast_router(struct sk_buff *skb)
{
	if (!IS_ENABLED(CONFIG_BRIDGE_IGMP_SNOOPING))
		return 0;
	return nla_put_u8(skb, IFLA_BRPORT_MULTICAST_ROUTER,
			  MDB_RTR_TYPE_TEMP_QUERY);
}

/* A port's spanning tree fields IFLA_PROTINFO reports, read at once. */
struct brport_stp {
	u32	cost;
	u16	priority;
	u8	state;
};

static void brport_stp_locked(struct kbr_port *p, struct brport_stp *s)
{
	lockdep_assert_held(&p->br->stp_lock);
	s->state = p->state;
	s->priority = p->priority;
	s->cost = p->path_cost;
}

static void brport_stp(struct kbr_port *p, struct brport_stp *s)
{
	spin_lock_bh(&p->br->stp_lock);
	brport_stp_locked(p, s);
	spin_unlock_bh(&p->br->stp_lock);
}

static int put_protinfo(struct sk_buff *skb, struct kbr_port *p,
			const struct brport_stp *s)
{
	u32 flags = READ_ONCE(p->flags);
	struct nlattr *nest;

	nest = nla_nest_start(skb, IFLA_PROTINFO);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, IFLA_BRPORT_STATE, s->state) ||
	    nla_put_u16(skb, IFLA_BRPORT_PRIORITY, s->priority) ||
	    nla_put_u32(skb, IFLA_BRPORT_COST, s->cost) ||
	    nla_put_u8(skb, IFLA_BRPORT_MODE,
		       !!(flags & KBR_PORT_F_HAIRPIN)) ||
	    nla_put_u8(skb, IFLA_BRPORT_GUARD,
		       !!(flags & KBR_PORT_F_BPDU_GUARD)) ||
	    nla_put_u8(skb, IFLA_BRPORT_PROTECT,
		       !!(flags & KBR_PORT_F_ROOT_GUARD)) ||
	    nla_put_u8(skb, IFLA_BRPORT_FAST_LEAVE, 0) ||
	    nla_put_u8(skb, IFLA_BRPORT_LEARNING,
		       !!(flags & KBR_PORT_F_LEARNING)) ||
	    nla_put_u8(skb, IFLA_BRPORT_UNICAST_FLOOD,
		       !!(flags & KBR_PORT_F_FLOOD)) ||
	    nla_put_u8(skb, IFLA_BRPORT_MCAST_FLOOD,
		       !!(flags & KBR_PORT_F_MCAST_FLOOD)) ||
	    nla_put_u8(skb, IFLA_BRPORT_BCAST_FLOOD,
		       !!(flags & KBR_PORT_F_BCAST_FLOOD)) ||
	    put_mcast_router(skb) ||
	    nla_put_u8(skb, IFLA_BRPORT_MCAST_TO_UCAST, 0) ||
	    nla_put_u8(skb, IFLA_BRPORT_NEIGH_SUPPRESS, 0) ||
	    nla_put_u8(skb, IFLA_BRPORT_VLAN_TUNNEL, 0) ||
	    nla_put_u8(skb, IFLA_BRPORT_ISOLATED,
		       !!(flags & KBR_PORT_F_ISOLATED)) ||
	    nla_put_u8(skb, IFLA_BRPORT_LOCKED, 0)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The RTM_NEWLINK (or, @type, RTM_DELLINK) message of AF_BRIDGE a Linux
 * bridge sends for a port (@p, its spanning tree fields @s) or, with @p
 * NULL, for the bridge device itself (its VLANs only).
 * Context: RTNL held, or rcu_read_lock() and no VLANs asked for.
 */
static int fill_link(struct sk_buff *skb, struct kbr_bridge *kbr,
		     struct kbr_port *p, const struct brport_stp *s,
		     struct net_device *dev, int type, u32 pid, u32 seq,
		     int flags, u32 filter_mask)
{
	bool fresh = !skb->len;
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	int iflink;

	nlh = nlmsg_put(skb, pid, seq, type, sizeof(*ifm), flags);
	if (!nlh)
		return -EMSGSIZE;
	ifm = nlmsg_data(nlh);
	ifm->ifi_family = AF_BRIDGE;
	ifm->__ifi_pad = 0;
	ifm->ifi_type = dev->type;
	ifm->ifi_index = dev->ifindex;
	ifm->ifi_flags = dev_get_flags(dev);
	ifm->ifi_change = 0;

	iflink = dev_get_iflink(dev);
	if (nla_put_string(skb, IFLA_IFNAME, dev->name) ||
	    nla_put_u32(skb, IFLA_MASTER, kbr->dev->ifindex) ||
	    nla_put_u32(skb, IFLA_MTU, dev->mtu) ||
	    nla_put_u8(skb, IFLA_OPERSTATE,
		       netif_running(dev) ? dev->operstate : IF_OPER_DOWN) ||
	    (dev->addr_len &&
	     nla_put(skb, IFLA_ADDRESS, dev->addr_len, dev->dev_addr)) ||
	    (dev->ifindex != iflink && nla_put_u32(skb, IFLA_LINK, iflink)) ||
	    (p && put_protinfo(skb, p, s)) ||
	    kbr_rtnl_put_vlans(skb, p ? &p->vlans : &kbr->vlans,
			       filter_mask, fresh)) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

/**
 * kbr_rtnl_getlink - ndo_bridge_getlink: a port of ours, or ourselves
 * @skb: the dump's message
 * @pid: its port id
 * @seq: its sequence number
 * @dev: a device whose master is this kbridge, or the kbridge itself
 * @filter_mask: RTEXT_FILTER_*: with RTEXT_FILTER_BRVLAN or
 *	RTEXT_FILTER_BRVLAN_COMPRESSED ("bridge vlan show"), the VLANs too
 * @nlflags: NLM_F_MULTI in a dump
 *
 * The bridge device itself is reported only when VLANs are asked for, as
 * the Linux bridge reports itself.
 *
 * Context: RTNL held (rtnetlink's dumps hold it), and rcu_read_lock().
 * Return: 0, also when there is nothing to say, or -EMSGSIZE when @skb
 * is full.
 */
int kbr_rtnl_getlink(struct sk_buff *skb, u32 pid, u32 seq,
		     struct net_device *dev, u32 filter_mask, int nlflags)
{
	struct kbr_port *p = kbr_port_get_rtnl(dev);
	struct brport_stp s;

	if (p) {
		brport_stp(p, &s);
		return fill_link(skb, p->br, p, &s, dev, RTM_NEWLINK, pid, seq,
				 nlflags, filter_mask);
	}
	if (!kbr_is_bridge(dev) ||
	    !(filter_mask & (RTEXT_FILTER_BRVLAN |
			     RTEXT_FILTER_BRVLAN_COMPRESSED)))
		return 0;
	return fill_link(skb, netdev_priv(dev), NULL, NULL, dev, RTM_NEWLINK,
			 pid, seq, nlflags, filter_mask);
}

/*
 * What "bridge link set" may change on a kbridge port.  Each flag is 0 or
 * 1; those of features kbridge does not have may only be as it reports
 * them (check_lacking() says why).  Attributes not listed are refused by
 * strict parsing ("Unsupported attribute").
 */
static struct netlink_range_validation brport_cost_range __ro_after_init = {
	.min	= 1,
	.max	= KBR_MAX_RSTP_PATH_COST,	/* the mode's: setlink checks */
};

const struct nla_policy kbr_brport_policy[IFLA_BRPORT_MAX + 1] = {
	[IFLA_BRPORT_COST]		= NLA_POLICY_FULL_RANGE(NLA_U32,
							&brport_cost_range),
	[IFLA_BRPORT_PRIORITY]		= NLA_POLICY_MAX(NLA_U16,
							 KBR_MAX_PORT_PRIORITY),
	[IFLA_BRPORT_MODE]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_BRPORT_GUARD]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_BRPORT_PROTECT]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_BRPORT_LEARNING]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_BRPORT_UNICAST_FLOOD]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_BRPORT_MCAST_FLOOD]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_BRPORT_BCAST_FLOOD]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_BRPORT_ISOLATED]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_BRPORT_STATE]		= NLA_POLICY_MAX(NLA_U8,
							 KBR_PORT_STATE_BLOCKING),
	[IFLA_BRPORT_FAST_LEAVE]	= { .type = NLA_U8 },
	[IFLA_BRPORT_LEARNING_SYNC]	= { .type = NLA_U8 },
	[IFLA_BRPORT_MCAST_TO_UCAST]	= { .type = NLA_U8 },
	[IFLA_BRPORT_NEIGH_SUPPRESS]	= { .type = NLA_U8 },
	[IFLA_BRPORT_VLAN_TUNNEL]	= { .type = NLA_U8 },
	[IFLA_BRPORT_LOCKED]		= { .type = NLA_U8 },
	[IFLA_BRPORT_MULTICAST_ROUTER]	= { .type = NLA_U8 },
	[IFLA_BRPORT_PROXYARP]		= { .type = NLA_U8 },
	[IFLA_BRPORT_PROXYARP_WIFI]	= { .type = NLA_U8 },
	[IFLA_BRPORT_BACKUP_PORT]	= { .type = NLA_U32 },
	[IFLA_BRPORT_FLUSH]		= { .type = NLA_FLAG },
};

/*
 * What kbridge does not have may only be asked for as it reports it (off,
 * or the multicast router default, no backup port); what it does not know
 * at all, not even that.
 * Return: 0, or -EOPNOTSUPP with @extack saying which and why.
 */
static int check_lacking(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	unsigned int i;

	/* rtnetlink parses "ip link set ... type bridge_slave" liberally. */
	for (i = 1; i <= IFLA_BRPORT_MAX; i++) {
		if (tb[i] && kbr_brport_policy[i].type == NLA_UNSPEC) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "kbridge has no such port setting; see kbrctl");
			return -EOPNOTSUPP;
		}
	}

	a = tb[IFLA_BRPORT_FAST_LEAVE];
	if (a && nla_get_u8(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "kbridge has no multicast snooping: no fastleave");
		return -EOPNOTSUPP;
	}
	a = tb[IFLA_BRPORT_MCAST_TO_UCAST];
	if (a && nla_get_u8(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "kbridge has no multicast snooping: no mcast_to_unicast");
		return -EOPNOTSUPP;
	}
	a = tb[IFLA_BRPORT_MULTICAST_ROUTER];
	if (a && nla_get_u8(a) != MDB_RTR_TYPE_TEMP_QUERY) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "kbridge has no multicast snooping: no mcast_router setting");
		return -EOPNOTSUPP;
	}
	a = tb[IFLA_BRPORT_LEARNING_SYNC];
	if (a && nla_get_u8(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "kbridge has no learning_sync");
		return -EOPNOTSUPP;
	}
	a = tb[IFLA_BRPORT_NEIGH_SUPPRESS];
	if (a && nla_get_u8(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "kbridge has no neigh_suppress");
		return -EOPNOTSUPP;
	}
	a = tb[IFLA_BRPORT_VLAN_TUNNEL];
	if (a && nla_get_u8(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "kbridge has no vlan_tunnel");
		return -EOPNOTSUPP;
	}
	a = tb[IFLA_BRPORT_LOCKED];
	if (a && nla_get_u8(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "kbridge has no locked ports");
		return -EOPNOTSUPP;
	}
	a = tb[IFLA_BRPORT_PROXYARP];
	if (a && nla_get_u8(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "kbridge has no proxy ARP");
		return -EOPNOTSUPP;
	}
	a = tb[IFLA_BRPORT_PROXYARP_WIFI];
	if (a && nla_get_u8(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "kbridge has no proxy ARP");
		return -EOPNOTSUPP;
	}
	a = tb[IFLA_BRPORT_BACKUP_PORT];
	if (a && nla_get_u32(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "kbridge has no backup ports");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* IFLA_BRPORT_* flag attributes and the KBR_PORT_F_* bit each sets. */
static const struct {
	u16	attr;
	u32	flag;
} brport_flags[] = {
	{ IFLA_BRPORT_MODE,		KBR_PORT_F_HAIRPIN },
	{ IFLA_BRPORT_GUARD,		KBR_PORT_F_BPDU_GUARD },
	{ IFLA_BRPORT_PROTECT,		KBR_PORT_F_ROOT_GUARD },
	{ IFLA_BRPORT_LEARNING,		KBR_PORT_F_LEARNING },
	{ IFLA_BRPORT_UNICAST_FLOOD,	KBR_PORT_F_FLOOD },
	{ IFLA_BRPORT_MCAST_FLOOD,	KBR_PORT_F_MCAST_FLOOD },
	{ IFLA_BRPORT_BCAST_FLOOD,	KBR_PORT_F_BCAST_FLOOD },
	{ IFLA_BRPORT_ISOLATED,		KBR_PORT_F_ISOLATED },
};

/*
 * IFLA_PROTINFO: nested IFLA_BRPORT_* settings, or in the old form that
 * the Linux bridge still takes, a port state alone (a u8).
 */
static int parse_protinfo(struct nlattr **tb, struct nlattr *protinfo,
			  struct netlink_ext_ack *extack)
{
	if (protinfo->nla_type & NLA_F_NESTED)
		return nla_parse_nested(tb, IFLA_BRPORT_MAX, protinfo,
					kbr_brport_policy, extack);
	memset(tb, 0, (IFLA_BRPORT_MAX + 1) * sizeof(*tb));
	if (nla_len(protinfo) < sizeof(u8) ||
	    nla_get_u8(protinfo) > KBR_PORT_STATE_BLOCKING) {
		NL_SET_ERR_MSG_ATTR(extack, protinfo, "Invalid port state");
		return -EINVAL;
	}
	tb[IFLA_BRPORT_STATE] = protinfo;
	return 0;
}

/* Check IFLA_BRPORT_* settings @tb for port @p: all or nothing. */
static int brport_check(struct kbr_port *p, struct nlattr **tb,
			struct netlink_ext_ack *extack)
{
	int err;

	err = check_lacking(tb, extack);
	if (err)
		return err;
	if (tb[IFLA_BRPORT_STATE]) {
		err = kbr_stp_check_port_state(p, tb[IFLA_BRPORT_STATE],
					       extack);
		if (err)
			return err;
	}
	if (tb[IFLA_BRPORT_COST])
		return kbr_stp_check_path_cost(p, tb[IFLA_BRPORT_COST], extack);
	return 0;
}

/* Apply IFLA_BRPORT_* settings @tb that brport_check() let through. */
static void brport_apply(struct kbr_port *p, struct nlattr **tb)
{
	u32 mask = 0, set = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(brport_flags); i++) {
		const struct nlattr *a = tb[brport_flags[i].attr];

		if (!a)
			continue;
		mask |= brport_flags[i].flag;
		if (nla_get_u8(a))
			set |= brport_flags[i].flag;
	}
	if (mask)
		kbr_port_set_flags(p, set, mask);
	if (tb[IFLA_BRPORT_PRIORITY])
		kbr_stp_set_port_priority(p,
					  nla_get_u16(tb[IFLA_BRPORT_PRIORITY]));
	if (tb[IFLA_BRPORT_COST])
		kbr_stp_set_path_cost(p, nla_get_u32(tb[IFLA_BRPORT_COST]));
	if (tb[IFLA_BRPORT_STATE])
		kbr_stp_set_port_state(p, nla_get_u8(tb[IFLA_BRPORT_STATE]));
	/* As the Linux bridge: what was learned behind the port. */
	if (tb[IFLA_BRPORT_FLUSH]) {
		kbr_fdb_flush(p->br, p, false);
		kbr_nl_notify_flush(p->br, p);
	}
}

/*
 * Tell RTNLGRP_LINK of port @p (@s: its spanning tree fields) or, @p
 * NULL, of the bridge device, as the Linux bridge does: @type
 * RTM_NEWLINK for a change, with the VLANs, folded, when @vlans changed
 * (RTNL held then); RTM_DELLINK for a port that goes.
 */
static void notify(struct kbr_bridge *kbr, struct kbr_port *p,
		   const struct brport_stp *s, int type, bool vlans,
		   gfp_t gfp)
{
	struct net_device *dev = p ? p->dev : kbr->dev;
	const struct kbr_vlans *vg = p ? &p->vlans : &kbr->vlans;
	u32 filter = vlans ? RTEXT_FILTER_BRVLAN_COMPRESSED : 0;
	struct net *net = dev_net(dev);
	struct sk_buff *skb;
	int err = -ENOBUFS;

	if (!rtnl_has_listeners(net, RTNLGRP_LINK))
		return;
	/* Folded, at most one attribute a VLAN. */
	skb = nlmsg_new(NLMSG_DEFAULT_SIZE + (vlans ? vg->count : 0) *
			nla_total_size(sizeof(struct bridge_vlan_info)), gfp);
	if (skb) {
		rcu_read_lock();	/* dev_get_iflink() */
		err = fill_link(skb, kbr, p, s, dev, type, 0, 0, 0, filter);
		rcu_read_unlock();
		if (!err) {
			rtnl_notify(skb, net, 0, RTNLGRP_LINK, NULL, gfp);
			return;
		}
		kfree_skb(skb);
	}
	rtnl_set_sk_err(net, RTNLGRP_LINK, err);
}

/* notify() of a change; RTNL held. */
static void notify_link(struct kbr_bridge *kbr, struct kbr_port *p,
			bool vlans)
{
	struct brport_stp s;

	ASSERT_RTNL();
	if (p)
		brport_stp(p, &s);
	notify(kbr, p, p ? &s : NULL, RTM_NEWLINK, vlans, GFP_KERNEL);
}

/**
 * kbr_rtnl_notify_port - a port joined (%RTM_NEWLINK) or left
 *	(%RTM_DELLINK) its kbridge: tell "bridge monitor link"
 * @p: the port, on the bridge's port list or just taken off it
 * @type: %RTM_NEWLINK or %RTM_DELLINK
 *
 * Context: RTNL held.
 */
void kbr_rtnl_notify_port(struct kbr_port *p, int type)
{
	struct brport_stp s;

	ASSERT_RTNL();
	brport_stp(p, &s);
	notify(p->br, p, &s, type, false, GFP_KERNEL);
}

/**
 * kbr_rtnl_notify_state - @p's state changed: tell "bridge monitor link",
 *	as the Linux bridge does at each transition
 * @p: the port
 *
 * Context: stp_lock held, any context (timers included).
 */
void kbr_rtnl_notify_state(struct kbr_port *p)
{
	struct brport_stp s;

	brport_stp_locked(p, &s);
	notify(p->br, p, &s, RTM_NEWLINK, false, GFP_ATOMIC);
}

/* The kbridge @dev is, or is a port of; NULL for neither. */
static struct kbr_bridge *bridge_of(struct net_device *dev,
				    struct kbr_port **p)
{
	*p = kbr_port_get_rtnl(dev);
	if (*p)
		return (*p)->br;
	return kbr_is_bridge(dev) ? netdev_priv(dev) : NULL;
}

/**
 * kbr_rtnl_setlink - ndo_bridge_setlink: "bridge link set", "bridge vlan add"
 * @dev: a port of this kbridge (its master), or the kbridge itself ("self")
 * @nlh: the RTM_SETLINK request: IFLA_PROTINFO (nested, or the old u8
 *	state), IFLA_AF_SPEC
 * @flags: BRIDGE_FLAGS_*
 * @extack: for the error message
 *
 * Every attribute is checked before anything changes: a refused request
 * changes nothing (but for running out of memory at a VLAN range: the
 * ranges before it in the request stay, that one changes nothing).
 *
 * Context: RTNL held.
 * Return: 0, or a negative errno with @extack saying why.
 */
int kbr_rtnl_setlink(struct net_device *dev, struct nlmsghdr *nlh, u16 flags,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IFLA_BRPORT_MAX + 1];
	struct nlattr *protinfo, *spec;
	bool vlans_changed = false;
	struct kbr_bridge *kbr;
	struct kbr_port *p;
	int err;

	ASSERT_RTNL();
	kbr = bridge_of(dev, &p);
	if (!kbr)
		return -EOPNOTSUPP;
	protinfo = nlmsg_find_attr(nlh, sizeof(struct ifinfomsg),
				   IFLA_PROTINFO);
	if (protinfo && !p) {
		NL_SET_ERR_MSG(extack,
			       "kbridge: the bridge device has no bridge link settings; use kbrctl");
		return -EOPNOTSUPP;
	}
	spec = nlmsg_find_attr(nlh, sizeof(struct ifinfomsg), IFLA_AF_SPEC);
	if (spec) {
		err = kbr_rtnl_af_vlans(kbr, p, spec, true, false, NULL,
					extack);
		if (err)
			return err;
	}
	if (protinfo) {
		err = parse_protinfo(tb, protinfo, extack);
		if (err)
			return err;
		err = brport_check(p, tb, extack);
		if (err)
			return err;
	}

	if (spec) {
		err = kbr_rtnl_af_vlans(kbr, p, spec, true, true,
					&vlans_changed, extack);
		if (err) {
			if (vlans_changed)
				notify_link(kbr, p, true);
			return err;
		}
	}
	if (protinfo)
		brport_apply(p, tb);
	/*
	 * rtnetlink notifies for "self" only, and without VLANs: a master
	 * says it itself.
	 */
	if (protinfo || vlans_changed)
		notify_link(kbr, p, vlans_changed);
	return 0;
}

/**
 * kbr_rtnl_dellink - ndo_bridge_dellink: "bridge vlan del"
 * @dev: a port of this kbridge (its master), or the kbridge itself ("self")
 * @nlh: the RTM_DELLINK request: the VLANs in IFLA_AF_SPEC
 * @flags: BRIDGE_FLAGS_*
 *
 * rtnetlink gives this hook no extack: a refused request is an errno
 * only, and changes nothing.
 *
 * Context: RTNL held.
 * Return: 0, -EINVAL or -EOPNOTSUPP.
 */
int kbr_rtnl_dellink(struct net_device *dev, struct nlmsghdr *nlh, u16 flags)
{
	bool changed = false;
	struct kbr_bridge *kbr;
	struct nlattr *spec;
	struct kbr_port *p;
	int err;

	ASSERT_RTNL();
	kbr = bridge_of(dev, &p);
	if (!kbr)
		return -EOPNOTSUPP;
	spec = nlmsg_find_attr(nlh, sizeof(struct ifinfomsg), IFLA_AF_SPEC);
	if (!spec)
		return 0;
	err = kbr_rtnl_af_vlans(kbr, p, spec, false, false, NULL, NULL);
	if (!err)
		err = kbr_rtnl_af_vlans(kbr, p, spec, false, true, &changed,
					NULL);
	if (changed)
		notify_link(kbr, p, true);
	return err;
}

/**
 * kbr_rtnl_slave_changelink - rtnl_link_ops.slave_changelink: "ip link set
 *	PORT type bridge_slave ..."
 * @br_dev: the kbridge, @dev's master
 * @dev: the port
 * @tb: the request's IFLA_* attributes
 * @data: IFLA_BRPORT_*, parsed by rtnetlink with kbr_brport_policy
 * @extack: for the error message
 *
 * iproute2 sends what "bridge link set" sends, in IFLA_INFO_SLAVE_DATA
 * instead of IFLA_PROTINFO, to the master's link type whatever its kind;
 * so the same settings change, with the same checks, and fdb_flush too.
 *
 * Context: RTNL held.
 * Return: 0, or a negative errno with @extack saying why.
 */
int kbr_rtnl_slave_changelink(struct net_device *br_dev,
			      struct net_device *dev, struct nlattr *tb[],
			      struct nlattr *data[],
			      struct netlink_ext_ack *extack)
{
	struct kbr_port *p = kbr_port_get_rtnl(dev);
	int err;

	ASSERT_RTNL();
	if (!p || p->br != netdev_priv(br_dev))
		return -EOPNOTSUPP;
	if (!data)
		return 0;
	err = brport_check(p, data, extack);
	if (err)
		return err;
	brport_apply(p, data);
	notify_link(p->br, p, false);
	return 0;
}
