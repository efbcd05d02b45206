// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: enslaving and releasing devices, the rx_handler that takes their
 * frames, and the netdevice notifier that follows their state.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "kbr_private.h"

/*
 * Ingress: every frame a port receives.  BPDUs (to 01:80:c2:00:00:00) go
 * to spanning tree while it is on, and are flooded like any multicast
 * while it is off, as the Linux bridge does; the other link-local
 * 01:80:c2:00:00:0X frames are never forwarded: they stay with the port
 * device's own stack.  Everything else is the bridge's, as far as the
 * port's STP state lets it in.
 */
rx_handler_result_t kbr_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct ethhdr *eth;
	struct kbr_bridge *kbr;
	struct kbr_port *p;
	struct kbr_fdb *f;
	u16 vid = 0;
	u8 state;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;

	eth = eth_hdr(skb);
	if (unlikely(is_link_local_ether_addr(eth->h_dest)) &&
	    eth->h_dest[5] != 0)
		return RX_HANDLER_PASS;

	p = kbr_port_get_rcu(skb->dev);
	kbr = p->br;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;
	eth = eth_hdr(skb);

	if (unlikely(is_link_local_ether_addr(eth->h_dest)) &&
	    READ_ONCE(kbr->stp_enabled)) {
		kbr_bpdu_rx(p, skb);
		return RX_HANDLER_CONSUMED;
	}

	/* Nothing is bridged while the bridge is down, nor from a multicast
	 * or zero source, nor by a port STP keeps out.
	 */
	state = READ_ONCE(p->state);
	if (unlikely(!netif_running(kbr->dev) ||
		     !is_valid_ether_addr(eth->h_source) ||
		     (state != KBR_PORT_STATE_FORWARDING &&
		      state != KBR_PORT_STATE_LEARNING))) {
		dev_core_stats_rx_dropped_inc(kbr->dev);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}

	/* VLAN filtering: the frame's VLAN, or out if the port is not in it. */
	if (READ_ONCE(kbr->vlan_enabled)) {
		if (unlikely(!kbr_vlan_ingress(kbr, &p->vlans, &skb, &vid))) {
			atomic64_inc(&p->vlan_dropped);
			dev_core_stats_rx_dropped_inc(kbr->dev);
			kfree_skb(skb);
			return RX_HANDLER_CONSUMED;
		}
		eth = eth_hdr(skb);
	}

	if (READ_ONCE(p->flags) & KBR_PORT_F_LEARNING)
		kbr_fdb_learn(kbr, p, eth->h_source, vid);

	/* Learning: the address is noted, the frame goes no further. */
	if (unlikely(state == KBR_PORT_STATE_LEARNING)) {
		consume_skb(skb);
		return RX_HANDLER_CONSUMED;
	}

	if (is_multicast_ether_addr(eth->h_dest)) {
		kbr_forward(kbr, skb, p, NULL, vid, true);
		return RX_HANDLER_CONSUMED;
	}

	f = kbr_fdb_lookup_rcu(kbr, eth->h_dest, vid);
	if (f && (f->flags & KBR_FDB_F_LOCAL)) {
		/* For the bridge or one of its ports: up the bridge, if the
		 * bridge device is in the frame's VLAN.
		 */
		if (vid && !kbr_vlan_egress(&kbr->vlans, skb, vid)) {
			kfree_skb(skb);
			return RX_HANDLER_CONSUMED;
		}
		skb->pkt_type = PACKET_HOST;
		skb->dev = kbr->dev;
		dev_sw_netstats_rx_add(kbr->dev, skb->len);
		return RX_HANDLER_ANOTHER;
	}
	/* A promiscuous bridge (tcpdump, macvlan above it) sees it all. */
	kbr_forward(kbr, skb, p, f, vid, kbr->dev->flags & IFF_PROMISC);
	return RX_HANDLER_CONSUMED;
}

static void port_free_rcu(struct rcu_head *head)
{
	struct kbr_port *p = container_of(head, struct kbr_port, rcu);

	netdev_put(p->dev, &p->dev_tracker);
	kfree(p);
}

/*
 * How far a port got into its bridge, each stage on top of the one
 * before; port_teardown() undoes it from there down.
 */
enum port_stage {
	PORT_ALLOCATED,	/* memory, a device reference, VLAN memberships */
	PORT_PROMISC,	/* its device is promiscuous */
	PORT_HOOKED,	/* kbr_handle_frame() receives its frames */
	PORT_UPPER,	/* the bridge is its device's master */
	PORT_LISTED,	/* numbered and on the port list: a port */
};

/*
 * The port list, sorted by port number: dumps and floods follow brctl's
 * order.  It changes under RTNL and stp_lock (DOC: Locking).
 */
static void port_list_add(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;
	struct kbr_port *pos;

	spin_lock_bh(&kbr->stp_lock);
	list_for_each_entry(pos, &kbr->port_list, list) {
		if (pos->port_no > p->port_no)
			break;
	}
	list_add_tail_rcu(&p->list, &pos->list);
	WRITE_ONCE(kbr->port_count, kbr->port_count + 1);
	spin_unlock_bh(&kbr->stp_lock);
}

/* Out of the tree and off the list in one step, its STP timers stopped. */
static void port_list_del(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;

	spin_lock_bh(&kbr->stp_lock);
	kbr_stp_port_leave(p);
	list_del_rcu(&p->list);
	WRITE_ONCE(kbr->port_count, kbr->port_count - 1);
	spin_unlock_bh(&kbr->stp_lock);
	kbr_stp_port_fini(p);
}

/*
 * Undo a port from @stage down: the one way out, for a port deleted and
 * for kbr_port_add() failing halfway.  Context: RTNL held.
 */
static void port_teardown(struct kbr_port *p, enum port_stage stage)
{
	struct kbr_bridge *kbr = p->br;
	struct net_device *dev = p->dev;

	ASSERT_RTNL();
	switch (stage) {
	case PORT_LISTED:
		kbr_nl_notify_port(p, KBR_CMD_PORT_DEL);
		port_list_del(p);
		/* After its last state change (port_list_del() disables it) */
		kbr_rtnl_notify_port(p, RTM_DELLINK);
		__clear_bit(p->port_no, kbr->port_nos);
		pr_debug("port %s removed from %s\n", dev->name,
			 kbr->dev->name);
		fallthrough;
	case PORT_UPPER:
		netdev_upper_dev_unlink(dev, kbr->dev);
		fallthrough;
	case PORT_HOOKED:
		/* Waits for every reader of rx_handler_data: nothing learns
		 * on this port any more, so its FDB entries can go for good.
		 */
		netdev_rx_handler_unregister(dev);
		kbr_fdb_del_by_port(kbr, p);
		WARN_ON_ONCE(READ_ONCE(p->fdb_learned));
		fallthrough;
	case PORT_PROMISC:
		dev_set_promiscuity(dev, -1);
		fallthrough;
	case PORT_ALLOCATED:
		/* Flooding on other ports, and frames that came in, may still
		 * read the port and its VLANs: RCU frees them.
		 */
		kbr_vlans_fini(&p->vlans);
		call_rcu(&p->rcu, port_free_rcu);
	}
}

/**
 * kbr_port_add - enslave @dev to @kbr
 * @kbr: the bridge
 * @dev: any Ethernet-like device without a master
 * @extack: for the error message
 *
 * Context: RTNL held.
 * Return: 0; -EINVAL for a device that is not Ethernet (or loopback, or
 * without a valid address) or is in another network namespace, -ELOOP
 * for a kbridge, -EBUSY for a device that has a master or an rx_handler,
 * -EOPNOTSUPP for one that does not allow bridging, -EXFULL when
 * every port number is taken, or the error of a step that failed.
 */
int kbr_port_add(struct kbr_bridge *kbr, struct net_device *dev,
		 struct netlink_ext_ack *extack)
{
	enum port_stage stage;
	struct kbr_port *p;
	unsigned int no;
	int err;

	ASSERT_RTNL();

	if (kbr_is_bridge(dev)) {
		NL_SET_ERR_MSG(extack, "A kbridge cannot be a port of a kbridge");
		return -ELOOP;
	}
	if ((dev->flags & IFF_LOOPBACK) || dev->type != ARPHRD_ETHER ||
	    dev->addr_len != ETH_ALEN || !is_valid_ether_addr(dev->dev_addr)) {
		NL_SET_ERR_MSG(extack, "Only Ethernet devices can be ports");
		return -EINVAL;
	}
	if (netdev_master_upper_dev_get(dev) ||
	    rtnl_dereference(dev->rx_handler)) {
		NL_SET_ERR_MSG(extack, "Device is already a port or has a master");
		return -EBUSY;
	}
	if (dev->priv_flags & IFF_DONT_BRIDGE) {
		NL_SET_ERR_MSG(extack, "Device does not allow bridging");
		return -EOPNOTSUPP;
	}
	if (dev_net(dev) != dev_net(kbr->dev)) {
		NL_SET_ERR_MSG(extack, "Device is in another network namespace");
		return -EINVAL;
	}

	no = find_next_zero_bit(kbr->port_nos, KBR_MAX_PORTS + 1, 1);
	if (no > KBR_MAX_PORTS) {
		NL_SET_ERR_MSG(extack, "Every port number is in use");
		return -EXFULL;
	}

	p = kzalloc(sizeof(*p), KBR_GFP_REQUEST);
	if (!p) {
		NL_SET_ERR_MSG(extack, "Out of memory for the port");
		return -ENOMEM;
	}
	p->br = kbr;
	p->dev = dev;
	p->port_no = no;
	p->flags = KBR_PORT_F_DEFAULT;
	INIT_LIST_HEAD(&p->fdb_entries);
	ether_addr_copy(p->addr, dev->dev_addr);
	kbr_stp_port_init(p);
	netdev_hold(dev, &p->dev_tracker, GFP_KERNEL);

	stage = PORT_ALLOCATED;
	err = kbr_vlan_port_init(p);
	if (err)
		goto err;
	err = dev_set_promiscuity(dev, 1);
	if (err)
		goto err;
	stage = PORT_PROMISC;
	err = netdev_rx_handler_register(dev, kbr_handle_frame, p);
	if (err)
		goto err;
	stage = PORT_HOOKED;
	err = netdev_master_upper_dev_link(dev, kbr->dev, NULL, NULL, extack);
	if (err)
		goto err;
	stage = PORT_UPPER;
	err = kbr_fdb_add_local(kbr, p, p->addr);
	if (err)
		goto err;

	dev_disable_lro(dev);
	__set_bit(no, kbr->port_nos);
	port_list_add(p);

	kbr_dev_addr_auto(kbr);
	kbr_dev_mtu_auto(kbr);
	kbr_dev_lower_limits(kbr);
	kbr_stp_port_update(p);
	kbr_nl_notify_port(p, KBR_CMD_PORT_NEW);
	kbr_rtnl_notify_port(p, RTM_NEWLINK);
	pr_debug("port %s added to %s as %u\n", dev->name, kbr->dev->name, no);
	return 0;

err:
	port_teardown(p, stage);
	return err;
}

/**
 * kbr_port_set_flags - set the KBR_PORT_F_* bits of @mask to those of @flags
 * @p: the port
 * @flags: the new values
 * @mask: which bits change
 *
 * The packet path reads the flags locklessly; spanning tree hears of its
 * guard bits.  Context: RTNL held.
 */
void kbr_port_set_flags(struct kbr_port *p, u32 flags, u32 mask)
{
	u32 old = p->flags;
	u32 new = (old & ~mask) | (flags & mask);

	ASSERT_RTNL();
	WRITE_ONCE(p->flags, new);
	kbr_stp_flags_changed(p, old ^ new);
}

/**
 * kbr_port_del - release @dev from @kbr
 * @kbr: the bridge
 * @dev: the port device
 * @extack: for the error message, or NULL
 *
 * Context: RTNL held.
 * Return: 0, or -EINVAL when @dev is not a port of @kbr.
 */
int kbr_port_del(struct kbr_bridge *kbr, struct net_device *dev,
		 struct netlink_ext_ack *extack)
{
	struct kbr_port *p = kbr_port_get_rtnl(dev);

	if (!p || p->br != kbr) {
		NL_SET_ERR_MSG(extack, "Device is not a port of this bridge");
		return -EINVAL;
	}
	port_teardown(p, PORT_LISTED);
	kbr_dev_addr_auto(kbr);
	kbr_dev_mtu_auto(kbr);
	kbr_dev_lower_limits(kbr);
	return 0;
}

/* The bridge goes away. Context: RTNL held. */
void kbr_port_del_all(struct kbr_bridge *kbr)
{
	struct kbr_port *p, *tmp;

	/* One sweep of the table, not one per port with all of it left. */
	kbr_fdb_flush(kbr, NULL, true);
	list_for_each_entry_safe(p, tmp, &kbr->port_list, list)
		port_teardown(p, PORT_LISTED);
}

static int kbr_port_event(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct kbr_port *p = kbr_port_get_rtnl(dev);
	struct kbr_bridge *kbr;

	if (!p)
		return NOTIFY_DONE;
	kbr = p->br;

	switch (event) {
	case NETDEV_UNREGISTER:
		kbr_port_del(kbr, dev, NULL);
		break;
	case NETDEV_CHANGEMTU:
		kbr_dev_mtu_auto(kbr);
		break;
	case NETDEV_FEAT_CHANGE:
		kbr_dev_lower_limits(kbr);
		break;
	case NETDEV_CHANGEADDR:
		/* The port's own address moves with it. */
		kbr_fdb_changeaddr(kbr, p, dev->dev_addr);
		kbr_dev_addr_auto(kbr);
		break;
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		/* Hosts behind a port that lost its link may be elsewhere
		 * now: flood to them until they are learned again.
		 */
		if (!netif_running(dev) || !netif_carrier_ok(dev))
			kbr_fdb_flush(kbr, p, false);
		fallthrough;
	case NETDEV_UP:
		kbr_stp_port_update(p);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		/* A port must stay Ethernet. */
		return notifier_from_errno(-EBUSY);
	}
	return NOTIFY_DONE;
}

static struct notifier_block kbr_port_notifier = {
	.notifier_call = kbr_port_event,
};

int __init kbr_port_notifier_init(void)
{
	return register_netdevice_notifier(&kbr_port_notifier);
}

void kbr_port_notifier_exit(void)
{
	unregister_netdevice_notifier(&kbr_port_notifier);
}
