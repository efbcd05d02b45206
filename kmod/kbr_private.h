/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbridge private structures, locking rules and the prototypes of every
 * file: read this header as the module's table of contents.
 */
#ifndef _KBR_PRIVATE_H
#define _KBR_PRIVATE_H

#include <linux/netdevice.h>
#include <net/rtnetlink.h>
#include <net/genetlink.h>
#include <linux/kbridge.h>

/*
 * DOC: Locking
 *
 * Configuration (creating and deleting bridges, every field marked
 * "RTNL" below) runs under the RTNL lock, taken by rtnetlink for
 * "ip link" and by the generic-netlink handlers for kbrctl.  Code that
 * relies on it says so with ASSERT_RTNL().
 *
 * Netlink replies, dumps and events are filled under RTNL too, as
 * rtnetlink's are: the device's name and address change under it.
 * The packet path reads RTNL-protected scalars with READ_ONCE(); writers
 * pair them with WRITE_ONCE().
 *
 * The packet path never takes RTNL and never sleeps.
 */

/**
 * struct kbr_bridge - a kbridge, the private part of its net_device
 * @dev: the bridge device; constant for the bridge's life
 * @priority: bridge priority, the upper 16 bits of the bridge id.  RTNL.
 * @stp_enabled: spanning tree runs on this bridge.  RTNL.
 */
struct kbr_bridge {
	struct net_device	*dev;
	u16			priority;
	bool			stp_enabled;
};

/* device.c */
extern struct rtnl_link_ops kbr_link_ops;
bool kbr_is_bridge(const struct net_device *dev);
struct net_device *kbr_dev_create(struct net *net, const char *name,
				  struct netlink_ext_ack *extack);
void kbr_dev_delete(struct net_device *dev);

/* netlink.c */
int kbr_nl_init(void);
void kbr_nl_exit(void);
void kbr_nl_notify_bridge(const struct kbr_bridge *kbr, u8 cmd);

#endif /* _KBR_PRIVATE_H */
