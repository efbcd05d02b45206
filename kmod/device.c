// SPDX-License-Identifier: GPL-2.0
/*
 * The kbridge net_device: its setup, its netdev and ethtool ops, and the
 * rtnl_link_ops that make it an "ip link" kind.  Creation and deletion
 * from kbrctl go through the same rtnetlink helpers, so both ways give
 * the same device and the same notifications.
 */

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/sched/mm.h>

#include "kbr_private.h"

static int kbr_dev_init(struct net_device *dev)
{
	struct kbr_bridge *kbr = netdev_priv(dev);
	int err;

	dev->tstats = __netdev_alloc_pcpu_stats(struct pcpu_sw_netstats,
						KBR_GFP_REQUEST);
	if (!dev->tstats)
		return -ENOMEM;

	kbr_stp_bridge_init(kbr);
	kbr_stp_set_bridge_id(kbr, kbr->priority, dev->dev_addr);
	err = kbr_fdb_bridge_init(kbr);
	if (err)
		goto err_free_stats;
	err = kbr_fdb_add_local(kbr, NULL, dev->dev_addr);
	if (err)
		goto err_fdb_fini;
	err = kbr_vlan_bridge_init(kbr);
	if (err)
		goto err_vlans_fini;
	/* Last: a failed ndo_init has no destructor to put it. */
	kbr->memcg = get_mem_cgroup_from_mm(current->mm);
	return 0;

err_vlans_fini:
	kbr_vlans_fini(&kbr->vlans);
err_fdb_fini:
	kbr_fdb_bridge_fini(kbr);
err_free_stats:
	free_percpu(dev->tstats);
	dev->tstats = NULL;
	return err;
}

/* After unregistration: no reader of the FDB is left, no port either. */
static void kbr_dev_uninit(struct net_device *dev)
{
	struct kbr_bridge *kbr = netdev_priv(dev);

	kbr_stp_bridge_fini(kbr);
	kbr_fdb_bridge_fini(kbr);
	kbr_vlans_fini(&kbr->vlans);
}

/* The destructor, not ndo_uninit, frees the stats: a reader that still
 * holds the device after unregistration may ask for them.
 */
static void kbr_dev_free(struct net_device *dev)
{
	struct kbr_bridge *kbr = netdev_priv(dev);

	pr_debug("bridge %s freed\n", dev->name);
	free_percpu(dev->tstats);
	dev->tstats = NULL;
	mem_cgroup_put(kbr->memcg);
	kbr->memcg = NULL;
}

static int kbr_dev_open(struct net_device *dev)
{
	netif_start_queue(dev);
	kbr_stp_start(netdev_priv(dev));
	return 0;
}

static int kbr_dev_stop(struct net_device *dev)
{
	kbr_stp_stop(netdev_priv(dev));
	netif_stop_queue(dev);
	return 0;
}

/*
 * Frames from the host stack: forwarded like frames from a port, the
 * bridge device's own VLAN memberships deciding which VLAN they are in
 * (a VLAN device on the bridge hands its tag over in skb->vlan_tci).
 */
static netdev_tx_t kbr_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct kbr_bridge *kbr = netdev_priv(dev);
	u16 vid = 0;

	if (unlikely(!pskb_may_pull(skb, ETH_HLEN)))
		goto drop;
	dev_sw_netstats_tx_add(dev, 1, skb->len);
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);

	rcu_read_lock();
	if (READ_ONCE(kbr->vlan_enabled) &&
	    unlikely(!kbr_vlan_ingress(kbr, &kbr->vlans, &skb, &vid))) {
		rcu_read_unlock();
		goto drop;
	}
	kbr_forward(kbr, skb, NULL,
		    kbr_fdb_lookup_rcu(kbr, eth_hdr(skb)->h_dest, vid), vid,
		    false);
	rcu_read_unlock();
	return NETDEV_TX_OK;

drop:
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static int kbr_dev_change_mtu(struct net_device *dev, int new_mtu)
{
	struct kbr_bridge *kbr = netdev_priv(dev);

	dev->mtu = new_mtu;
	/* Until the next kbr_dev_mtu_auto() says it was not the user. */
	kbr->mtu_set_by_user = true;
	return 0;
}

static int kbr_dev_set_mac_address(struct net_device *dev, void *p)
{
	struct kbr_bridge *kbr = netdev_priv(dev);
	struct sockaddr *sa = p;
	int err;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	/* The same address again: deleting the "old" one would drop it. */
	if (ether_addr_equal(dev->dev_addr, sa->sa_data))
		return 0;
	err = kbr_fdb_add_local(kbr, NULL, sa->sa_data);
	if (err)
		return err;
	kbr_fdb_del_local(kbr, NULL, dev->dev_addr);
	eth_hw_addr_set(dev, sa->sa_data);
	kbr_stp_set_bridge_id(kbr, kbr->priority, dev->dev_addr);
	return 0;
}

/*
 * Offloads the bridge device offers the host stack, combined from its
 * ports' as the Linux bridge does (netdev_increment_features()): software
 * GSO types and scatter-gather when any port has them (a port without
 * them segments in software on the way out), FCoE segmentation only when
 * every port has it, checksum offload as the ports' combine; TSO kept for
 * the host's own packets.  Without ports, all it can.  Context: RTNL held.
 */
static netdev_features_t kbr_dev_fix_features(struct net_device *dev,
					      netdev_features_t features)
{
	struct kbr_bridge *kbr = netdev_priv(dev);
	netdev_features_t mask = features;
	struct kbr_port *p;

	if (list_empty(&kbr->port_list))
		return features;
	features &= ~NETIF_F_ONE_FOR_ALL;
	list_for_each_entry(p, &kbr->port_list, list)
		features = netdev_increment_features(features,
						     p->dev->features, mask);
	return netdev_add_tso_features(features, mask);
}

static int kbr_dev_add_slave(struct net_device *dev, struct net_device *slave,
			     struct netlink_ext_ack *extack)
{
	return kbr_port_add(netdev_priv(dev), slave, extack);
}

static int kbr_dev_del_slave(struct net_device *dev, struct net_device *slave)
{
	return kbr_port_del(netdev_priv(dev), slave, NULL);
}

static const struct net_device_ops kbr_netdev_ops = {
	.ndo_init		= kbr_dev_init,
	.ndo_uninit		= kbr_dev_uninit,
	.ndo_open		= kbr_dev_open,
	.ndo_stop		= kbr_dev_stop,
	.ndo_start_xmit		= kbr_dev_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_change_mtu		= kbr_dev_change_mtu,
	.ndo_fix_features	= kbr_dev_fix_features,
	.ndo_set_mac_address	= kbr_dev_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_add_slave		= kbr_dev_add_slave,
	.ndo_del_slave		= kbr_dev_del_slave,
	.ndo_bridge_getlink	= kbr_rtnl_getlink,
	.ndo_bridge_setlink	= kbr_rtnl_setlink,
	.ndo_bridge_dellink	= kbr_rtnl_dellink,
	.ndo_fdb_dump		= kbr_rtnl_fdb_dump,
};

static void kbr_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, KBR_VERSION, sizeof(info->version));
	strscpy(info->bus_info, "N/A", sizeof(info->bus_info));
}

static const struct ethtool_ops kbr_ethtool_ops = {
	.get_drvinfo	= kbr_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

static const struct device_type kbr_type = {
	.name	= KBR_LINK_KIND,
};

#define KBR_FEATURES	(NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA | \
			 NETIF_F_GSO_MASK | NETIF_F_HW_CSUM)

static void kbr_dev_setup(struct net_device *dev)
{
	struct kbr_bridge *kbr = netdev_priv(dev);

	ether_setup(dev);
	/* Locally administered and random until ports give it one. */
	eth_hw_addr_random(dev);

	dev->netdev_ops = &kbr_netdev_ops;
	dev->ethtool_ops = &kbr_ethtool_ops;
	SET_NETDEV_DEVTYPE(dev, &kbr_type);
	dev->needs_free_netdev = true;
	dev->priv_destructor = kbr_dev_free;

	/* Never IFF_EBRIDGE: bridge.ko would take our private data for its
	 * own.  NETNS_LOCAL because ports must share the bridge's netns.
	 */
	dev->priv_flags |= IFF_NO_QUEUE;
	/* Tags from VLAN devices on the bridge come in skb->vlan_tci. */
	dev->features = KBR_FEATURES | NETIF_F_LLTX | NETIF_F_NETNS_LOCAL |
			NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	dev->hw_features = KBR_FEATURES;
	dev->vlan_features = KBR_FEATURES;
	dev->max_mtu = ETH_MAX_MTU;

	/* No port is up yet. */
	netif_carrier_off(dev);

	kbr->dev = dev;
	INIT_LIST_HEAD(&kbr->port_list);
	kbr->priority = KBR_DEFAULT_PRIORITY;
	kbr->stp_enabled = false;
}

static int kbr_validate(struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	/* Refused here, not after newlink has announced the bridge. */
	if (tb[IFLA_LINK_NETNSID]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK_NETNSID],
				    "A kbridge cannot change network namespace");
		return -EINVAL;
	}
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be unicast and not zero");
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}

static int kbr_newlink(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	int err;

	err = register_netdevice(dev);
	if (err)
		return err;

	pr_debug("bridge %s created\n", dev->name);
	kbr_fdb_notify_registered(netdev_priv(dev));
	kbr_nl_notify_bridge(netdev_priv(dev), KBR_CMD_BR_NEW);
	return 0;
}

static void kbr_dellink(struct net_device *dev, struct list_head *head)
{
	struct kbr_bridge *kbr = netdev_priv(dev);

	kbr_port_del_all(kbr);
	kbr_nl_notify_bridge(kbr, KBR_CMD_BR_DEL);
	unregister_netdevice_queue(dev, head);
}

struct rtnl_link_ops kbr_link_ops __read_mostly = {
	.kind		= KBR_LINK_KIND,
	.priv_size	= sizeof(struct kbr_bridge),
	.setup		= kbr_dev_setup,
	.validate	= kbr_validate,
	.newlink	= kbr_newlink,
	.dellink	= kbr_dellink,
	.get_size	= kbr_rtnl_get_size,
	.fill_linkxstats	= kbr_rtnl_fill_xstats,
	.get_linkxstats_size	= kbr_rtnl_xstats_size,
	.slave_maxtype	= IFLA_BRPORT_MAX,
	.slave_policy	= kbr_brport_policy,
	.slave_changelink	= kbr_rtnl_slave_changelink,
};

/**
 * kbr_dev_mtu_auto - the bridge's MTU is its smallest port's
 * @kbr: the bridge
 *
 * Unless it was set by hand.  Context: RTNL held.
 */
void kbr_dev_mtu_auto(struct kbr_bridge *kbr)
{
	unsigned int mtu = UINT_MAX;
	struct kbr_port *p;

	ASSERT_RTNL();
	if (kbr->mtu_set_by_user)
		return;
	list_for_each_entry(p, &kbr->port_list, list)
		mtu = min(mtu, p->dev->mtu);
	if (mtu == UINT_MAX)
		return;
	dev_set_mtu(kbr->dev, mtu);
	kbr->mtu_set_by_user = false;
}

/**
 * kbr_dev_lower_limits - what the bridge sends must fit every port
 * @kbr: the bridge
 *
 * GSO packets the host stack builds on the bridge go out of any port
 * unchanged: no larger than the smallest port takes, and of types the
 * ports offload.  Headroom for the largest port header (a tunnel's) saves
 * a reallocation per packet.  Context: RTNL held.
 */
void kbr_dev_lower_limits(struct kbr_bridge *kbr)
{
	unsigned int tso_size = TSO_MAX_SIZE, tso_segs = TSO_MAX_SEGS;
	unsigned int headroom = 0;
	struct kbr_port *p;

	ASSERT_RTNL();
	list_for_each_entry(p, &kbr->port_list, list) {
		tso_size = min(tso_size, p->dev->tso_max_size);
		tso_segs = min(tso_segs, p->dev->tso_max_segs);
		headroom = max(headroom, netdev_get_fwd_headroom(p->dev));
	}
	netif_set_tso_max_size(kbr->dev, tso_size);
	netif_set_tso_max_segs(kbr->dev, tso_segs);
	kbr->dev->needed_headroom = headroom;
	netdev_update_features(kbr->dev);
}

/**
 * kbr_dev_carrier_update - carrier on while a port forwards
 * @kbr: the bridge
 *
 * As the Linux bridge: with STP on, not before a port has made it through
 * listening and learning, so that DAD and DHCP on the bridge do not talk
 * to a network that is not there yet.  With STP off a port forwards as
 * soon as it and the bridge are up.  Every port state change calls this.
 * Context: stp_lock held; any context.
 */
void kbr_dev_carrier_update(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	lockdep_assert_held(&kbr->stp_lock);
	list_for_each_entry(p, &kbr->port_list, list) {
		if (p->state == KBR_PORT_STATE_FORWARDING) {
			netif_carrier_on(kbr->dev);
			return;
		}
	}
	netif_carrier_off(kbr->dev);
}

/**
 * kbr_dev_addr_auto - the bridge takes the smallest port address
 * @kbr: the bridge
 *
 * Unless its address was set by hand; with no port it keeps the one it
 * has.  Its own address always has a local FDB entry.
 * Context: RTNL held.
 */
void kbr_dev_addr_auto(struct kbr_bridge *kbr)
{
	struct net_device *dev = kbr->dev;
	const u8 *addr = NULL;
	struct kbr_port *p;

	ASSERT_RTNL();
	if (dev->addr_assign_type != NET_ADDR_SET) {
		list_for_each_entry(p, &kbr->port_list, list) {
			if (!addr || memcmp(p->dev->dev_addr, addr, ETH_ALEN) < 0)
				addr = p->dev->dev_addr;
		}
	}
	if (addr && !ether_addr_equal(addr, dev->dev_addr)) {
		kbr_fdb_del_local(kbr, NULL, dev->dev_addr);
		eth_hw_addr_set(dev, addr);
		kbr_stp_set_bridge_id(kbr, kbr->priority, dev->dev_addr);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	}
	if (kbr_fdb_add_local(kbr, NULL, dev->dev_addr))
		netdev_warn(dev, "no memory for the bridge's own FDB entry\n");
}

/**
 * kbr_is_bridge - is @dev a kbridge?
 * @dev: any net_device
 *
 * The link ops identify our devices; IFF_EBRIDGE would claim bridge.ko's.
 */
bool kbr_is_bridge(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &kbr_link_ops;
}

/**
 * kbr_dev_create - create a kbridge as "ip link add NAME type kbridge" does
 * @net: the network namespace of the new bridge
 * @name: its name; may hold one "%d" to be filled in
 * @extack: for the error message
 *
 * Context: RTNL held.
 * Return: the new device, or an ERR_PTR.
 */
struct net_device *kbr_dev_create(struct net *net, const char *name,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct net_device *dev;
	int err;

	ASSERT_RTNL();

	if (!dev_valid_name(name)) {
		NL_SET_ERR_MSG(extack, "Invalid bridge name");
		return ERR_PTR(-EINVAL);
	}
	if (__dev_get_by_name(net, name)) {
		NL_SET_ERR_MSG(extack, "A device with this name already exists");
		return ERR_PTR(-EEXIST);
	}

	dev = rtnl_create_link(net, name, NET_NAME_USER, &kbr_link_ops, tb,
			       extack);
	if (IS_ERR(dev))
		return dev;

	err = kbr_newlink(net, dev, tb, NULL, extack);
	if (err) {
		if (!extack->_msg)
			NL_SET_ERR_MSG(extack, "Cannot register the bridge device");
		goto err_free;
	}

	err = rtnl_configure_link(dev, NULL, 0, NULL);
	if (err)
		goto err_unregister;
	return dev;

err_unregister:
	kbr_dellink(dev, NULL);
	return ERR_PTR(err);
err_free:
	free_netdev(dev);
	return ERR_PTR(err);
}

/**
 * kbr_dev_delete - delete a kbridge as "ip link del" does
 * @dev: the bridge device
 *
 * Context: RTNL held.
 */
void kbr_dev_delete(struct net_device *dev)
{
	ASSERT_RTNL();
	rtnl_delete_link(dev, 0, NULL);
}
