// SPDX-License-Identifier: GPL-2.0
/*
 * What iproute2's bridge command asks of a master through rtnetlink's
 * PF_BRIDGE hooks (DESIGN: "Fitting the ecosystem").  rtnetlink finds the
 * master of each device by netdev_master_upper_dev_get() and calls its
 * ndo_bridge_getlink(), whatever the master is: kbridge answers for its
 * ports in the Linux bridge's format, so that "bridge link show" lists
 * them as it lists a Linux bridge's.  kbridge never sets IFF_EBRIDGE or
 * IFF_BRIDGE_PORT.
 */

#include <linux/if_bridge.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "kbr_private.h"

/*
 * IFLA_PROTINFO of @p, IFLA_BRPORT_* as the Linux bridge fills it for
 * what iproute2 prints: the port's state, priority, cost and flags.  The
 * features kbridge does not have are reported as a Linux bridge port
 * reports them when they are off (multicast router: the default, which
 * means nothing with no snooping).
 */
static int put_protinfo(struct sk_buff *skb, struct kbr_port *p)
{
	u32 flags = READ_ONCE(p->flags);
	struct nlattr *nest;
	u16 priority;
	u32 cost;
	u8 state;

	spin_lock_bh(&p->br->stp_lock);
	state = p->state;
	priority = p->priority;
	cost = p->path_cost;
	spin_unlock_bh(&p->br->stp_lock);

	nest = nla_nest_start(skb, IFLA_PROTINFO);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, IFLA_BRPORT_STATE, state) ||
	    nla_put_u16(skb, IFLA_BRPORT_PRIORITY, priority) ||
	    nla_put_u32(skb, IFLA_BRPORT_COST, cost) ||
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
	    nla_put_u8(skb, IFLA_BRPORT_MULTICAST_ROUTER,
		       MDB_RTR_TYPE_TEMP_QUERY) ||
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

/* The RTM_NEWLINK message of AF_BRIDGE a Linux bridge sends for a port. */
static int fill_port_link(struct sk_buff *skb, struct kbr_port *p, u32 pid,
			  u32 seq, int flags)
{
	struct net_device *dev = p->dev;
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	int iflink;

	nlh = nlmsg_put(skb, pid, seq, RTM_NEWLINK, sizeof(*ifm), flags);
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
	    nla_put_u32(skb, IFLA_MASTER, p->br->dev->ifindex) ||
	    nla_put_u32(skb, IFLA_MTU, dev->mtu) ||
	    nla_put_u8(skb, IFLA_OPERSTATE,
		       netif_running(dev) ? dev->operstate : IF_OPER_DOWN) ||
	    (dev->addr_len &&
	     nla_put(skb, IFLA_ADDRESS, dev->addr_len, dev->dev_addr)) ||
	    (dev->ifindex != iflink && nla_put_u32(skb, IFLA_LINK, iflink)) ||
	    put_protinfo(skb, p)) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

/**
 * kbr_rtnl_getlink - ndo_bridge_getlink: a device, as a port of ours
 * @skb: the dump's message
 * @pid: its port id
 * @seq: its sequence number
 * @dev: a device whose master is this kbridge, or the kbridge itself
 * @filter_mask: RTEXT_FILTER_* (VLANs are not reported here yet)
 * @nlflags: NLM_F_MULTI in a dump
 *
 * Context: RTNL held (rtnetlink's dumps hold it), and rcu_read_lock().
 * Return: 0, also for a device that is no port of ours (nothing to
 * say), or -EMSGSIZE when @skb is full.
 */
int kbr_rtnl_getlink(struct sk_buff *skb, u32 pid, u32 seq,
		     struct net_device *dev, u32 filter_mask, int nlflags)
{
	struct kbr_port *p = kbr_port_get_rtnl(dev);

	if (!p)
		return 0;
	return fill_port_link(skb, p, pid, seq, nlflags);
}
