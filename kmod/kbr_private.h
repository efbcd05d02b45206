/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbridge private structures, locking rules and the prototypes of every
 * file: read this header as the module's table of contents.
 */
#ifndef _KBR_PRIVATE_H
#define _KBR_PRIVATE_H

#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/workqueue.h>
#include <net/rtnetlink.h>
#include <net/genetlink.h>
#include <linux/kbridge.h>

/*
 * DOC: Locking
 *
 * Configuration (bridges, ports, every field marked "RTNL" below) runs
 * under the RTNL lock, taken by rtnetlink for "ip link", by the netdevice
 * notifier's callers, and by the generic-netlink handlers for kbrctl.
 * Netlink replies, dumps and events are filled under RTNL too, as
 * rtnetlink's are: a device's name and address change under it.
 *
 * The packet path (rx_handler in softirq, ndo_start_xmit) is RCU-only: it
 * reads the port list, a port's rx_handler_data and the FDB under
 * rcu_read_lock(), never takes RTNL and never sleeps.  RTNL-protected
 * scalars it reads are written with WRITE_ONCE() and read with
 * READ_ONCE().
 *
 * FDB: lookups are lockless (rhashtable, RCU).  Inserting and deleting
 * entries, the fdb_list, an entry's port and the learned-entry counts are
 * under kbr->fdb_lock (a BH spinlock, as learning runs in softirq): a
 * MAC move takes it, a refresh does not.  An entry's "updated" field is
 * written locklessly by learning, with WRITE_ONCE() and only when it
 * changed.  Entries are freed after an RCU grace period.
 *
 * Port lifetime: a port is unlinked from port_list (RCU), its rx_handler
 * unregistered (which waits for readers), its FDB entries deleted, and
 * only then freed after a grace period; it holds a reference on its
 * device until then.
 */

/**
 * struct kbr_port - a port: a net_device enslaved to a kbridge
 * @br: the bridge; constant
 * @dev: the port device; constant, referenced until the port is freed
 * @list: in br->port_list, ordered by port number.  RTNL; RCU readers.
 * @port_no: 1 to KBR_MAX_PORTS; constant
 * @flags: KBR_PORT_F_*.  RTNL; READ_ONCE() on the packet path.
 * @fdb_learned: learned FDB entries behind the port.  br->fdb_lock;
 *	READ_ONCE() without it.
 * @fdb_max_learned: cap on new entries learned on the port, 0 for none.
 *	A move onto the port is never refused: it adds no entry.  RTNL;
 *	READ_ONCE().
 * @fdb_refused: source addresses seen on the port and not learned
 *	because of either cap
 * @dev_tracker: for the reference on @dev
 * @rcu: frees the port after readers are done
 */
struct kbr_port {
	struct kbr_bridge	*br;
	struct net_device	*dev;
	struct list_head	list;
	u16			port_no;
	u32			flags;
	unsigned int		fdb_learned;
	unsigned int		fdb_max_learned;
	atomic64_t		fdb_refused;
	netdevice_tracker	dev_tracker;
	struct rcu_head		rcu;
};

/**
 * struct kbr_bridge - a kbridge, the private part of its net_device
 * @dev: the bridge device; constant for the bridge's life
 * @port_list: ports by port number.  RTNL; RCU readers.
 * @port_nos: port numbers in use.  RTNL.
 * @priority: bridge priority, the upper 16 bits of the bridge id.  RTNL.
 * @stp_enabled: spanning tree runs on this bridge.  RTNL.
 * @mtu_set_by_user: the MTU was set by hand: ports do not change it.
 *	RTNL.
 * @ageing_time: jiffies a learned FDB entry lives.  RTNL; READ_ONCE().
 * @fdb_hash: FDB entries by {address, vid}.  fdb_lock; RCU readers.
 * @fdb_list: every FDB entry, for walks.  fdb_lock; RCU readers.
 * @fdb_lock: serialises FDB inserts and deletes
 * @fdb_gen: bumped on every insert and delete, for dump consistency.
 *	fdb_lock; READ_ONCE() without it.
 * @fdb_next_id: the id of the next entry created; 64 bits never wrap.
 *	fdb_lock.
 * @fdb_learned: number of learned FDB entries.  fdb_lock; READ_ONCE()
 *	without it.
 * @fdb_max_learned: cap on @fdb_learned, 0 for none.  RTNL; READ_ONCE().
 * @fdb_refused: source addresses not learned because of a cap, the
 *	bridge's or a port's
 * @fdb_moves: learned addresses that moved to another port
 * @gc_work: ages learned entries out
 */
struct kbr_bridge {
	struct net_device	*dev;
	struct list_head	port_list;
	DECLARE_BITMAP(port_nos, KBR_MAX_PORTS + 1);
	u16			priority;
	bool			stp_enabled;
	bool			mtu_set_by_user;
	unsigned long		ageing_time;

	struct rhashtable	fdb_hash;
	struct hlist_head	fdb_list;
	spinlock_t		fdb_lock;	/* see DOC: Locking */
	unsigned int		fdb_gen;
	u64			fdb_next_id;
	unsigned int		fdb_learned;
	unsigned int		fdb_max_learned;
	atomic64_t		fdb_refused;
	atomic64_t		fdb_moves;
	struct delayed_work	gc_work;
};

/* The FDB key: a MAC address in a VLAN (0 while VLAN filtering is off). */
struct kbr_fdb_key {
	u8	addr[ETH_ALEN];
	u16	vid;
};

/**
 * struct kbr_fdb - a forwarding database entry
 * @rhnode: in br->fdb_hash
 * @key: address and VLAN; constant
 * @dst: the port the address is behind; NULL for the bridge device's own
 *	address.  fdb_lock; RCU readers.
 * @flags: KBR_FDB_F_*; constant
 * @id: creation order, for resuming dumps; constant
 * @list: in br->fdb_list, newest first: ids descend
 * @updated: jiffies when the address was last seen.  Written by learning
 *	on every CPU, so it has a cache line of its own, shared only with
 * @rcu: which frees the entry after readers are done
 */
struct kbr_fdb {
	struct rhash_head		rhnode;
	struct kbr_fdb_key		key;
	struct kbr_port __rcu		*dst;
	u32				flags;
	u64				id;
	struct hlist_node		list;
	unsigned long			updated ____cacheline_aligned_in_smp;
	struct rcu_head			rcu;
};

/* device.c */
extern struct rtnl_link_ops kbr_link_ops;
bool kbr_is_bridge(const struct net_device *dev);
struct net_device *kbr_dev_create(struct net *net, const char *name,
				  struct netlink_ext_ack *extack);
void kbr_dev_delete(struct net_device *dev);
void kbr_dev_mtu_auto(struct kbr_bridge *kbr);
void kbr_dev_lower_limits(struct kbr_bridge *kbr);
void kbr_dev_carrier_update(struct kbr_bridge *kbr);
void kbr_dev_addr_auto(struct kbr_bridge *kbr);

/* port.c */
rx_handler_result_t kbr_handle_frame(struct sk_buff **pskb);
int kbr_port_add(struct kbr_bridge *kbr, struct net_device *dev,
		 struct netlink_ext_ack *extack);
int kbr_port_del(struct kbr_bridge *kbr, struct net_device *dev,
		 struct netlink_ext_ack *extack);
void kbr_port_del_all(struct kbr_bridge *kbr);
int kbr_port_notifier_init(void);
void kbr_port_notifier_exit(void);

/* The port a device is, or NULL: our rx_handler says it is ours. */
static inline struct kbr_port *kbr_port_get_rtnl(const struct net_device *dev)
{
	return rtnl_dereference(dev->rx_handler) == kbr_handle_frame ?
	       rtnl_dereference(dev->rx_handler_data) : NULL;
}

static inline struct kbr_port *kbr_port_get_rcu(const struct net_device *dev)
{
	return rcu_dereference(dev->rx_handler_data);
}

/* forward.c */
void kbr_forward(struct kbr_bridge *kbr, struct sk_buff *skb,
		 const struct kbr_port *from, const struct kbr_fdb *f,
		 bool local_rcv);

/* fdb.c */
int kbr_fdb_init(void);
void kbr_fdb_exit(void);
int kbr_fdb_bridge_init(struct kbr_bridge *kbr);
void kbr_fdb_bridge_fini(struct kbr_bridge *kbr);
struct kbr_fdb *kbr_fdb_find_rcu(struct kbr_bridge *kbr, const u8 *addr,
				 u16 vid);
struct kbr_fdb *kbr_fdb_resume_rcu(struct kbr_bridge *kbr,
				   const struct kbr_fdb_key *key, u64 id);
void kbr_fdb_learn(struct kbr_bridge *kbr, struct kbr_port *p,
		   const u8 *addr, u16 vid);
int kbr_fdb_add_local(struct kbr_bridge *kbr, struct kbr_port *p,
		      const u8 *addr);
void kbr_fdb_del_local(struct kbr_bridge *kbr, struct kbr_port *p,
		       const u8 *addr);
void kbr_fdb_changeaddr(struct kbr_bridge *kbr, struct kbr_port *p,
			const u8 *addr);
void kbr_fdb_del_by_port(struct kbr_bridge *kbr, const struct kbr_port *p);
void kbr_fdb_set_ageing(struct kbr_bridge *kbr, unsigned long ageing);
int kbr_fdb_add_static(struct kbr_bridge *kbr, struct kbr_port *p,
		       const u8 *addr, u16 vid, struct netlink_ext_ack *extack);
int kbr_fdb_del_entry(struct kbr_bridge *kbr, const u8 *addr, u16 vid,
		      struct netlink_ext_ack *extack);
void kbr_fdb_flush(struct kbr_bridge *kbr, const struct kbr_port *p,
		   bool include_static);

/* Neither local nor static: it ages, it moves, it counts against caps. */
static inline bool kbr_fdb_is_learned(const struct kbr_fdb *f)
{
	return !(f->flags & (KBR_FDB_F_LOCAL | KBR_FDB_F_STATIC));
}

static inline bool kbr_fdb_expired(const struct kbr_bridge *kbr,
				   const struct kbr_fdb *f)
{
	return kbr_fdb_is_learned(f) &&
	       time_after_eq(jiffies, READ_ONCE(f->updated) +
				      READ_ONCE(kbr->ageing_time));
}

/* netlink.c */
int kbr_nl_init(void);
void kbr_nl_exit(void);
void kbr_nl_notify_bridge(const struct kbr_bridge *kbr, u8 cmd);
void kbr_nl_notify_port(const struct kbr_port *p, u8 cmd);
void kbr_nl_notify_fdb(struct kbr_bridge *kbr, const struct kbr_fdb *f,
		       u8 cmd, u8 event);
void kbr_nl_notify_flush(const struct kbr_bridge *kbr,
			 const struct kbr_port *p);

#endif /* _KBR_PRIVATE_H */
