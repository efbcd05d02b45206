/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbridge private structures, locking rules and the prototypes of every
 * file: read this header as the module's table of contents.
 *
 * Names: what another file calls is kbr_<area>_<verb> (kbr_fdb_learn(),
 * kbr_stp_arm()) and is declared here, under its file (STP's internals
 * in stp_private.h); a few read as what they are (kbr_forward(),
 * kbr_handle_frame(), kbr_is_bridge(), kbr_nl_bridge()).  The genetlink
 * handlers are kbr_nl_<object>_<verb>_doit/_dumpit.  A static function
 * is short, unprefixed and named for what it does (fdb_move(),
 * port_teardown(), hello_timer_expired(), fdb_free_rcu()), except the
 * callbacks that an ops table, a notifier block or a work item names:
 * those read kbr_<area>_<what> (kbr_dev_open(), kbr_nl_pre_doit(),
 * kbr_port_event(), kbr_fdb_gc()).  A _rcu, _rtnl or _locked suffix says
 * what the caller holds (the RCU read lock, RTNL, the writer's lock), or
 * for _rcu that call_rcu() calls it; a __ prefix, the writer's lock.
 */
#ifndef _KBR_PRIVATE_H
#define _KBR_PRIVATE_H

#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/rtnetlink.h>
#include <net/genetlink.h>
#include <linux/kbridge.h>

#include "bpdu.h"
#include "rstp.h"

/*
 * Memory a request makes (a port, a VLAN membership, a static entry) is
 * charged to the caller's memory cgroup.  At the cgroup's limit the
 * request fails with -ENOMEM and its extack rather than have the memcg
 * OOM killer end a task of the cgroup for it.
 */
#define KBR_GFP_REQUEST	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL)

/*
 * DOC: Locking
 *
 * Configuration (bridges, ports, every field marked "RTNL" below) runs
 * under the RTNL lock, taken by rtnetlink for "ip link", by the netdevice
 * notifier's callers, and by the generic-netlink handlers for kbrctl.
 * Netlink replies, dumps and events are filled under RTNL too, as
 * rtnetlink's are: a device's name and address change under it.  FDB
 * dumps, FDB entry events (fill_fdb(), sent from the packet path too) and
 * eviction notices (KBR_CMD_FDB_EVICTING) may be filled under RCU alone,
 * and STP events under stp_lock without RTNL: they carry ifindexes, never
 * names.  The exceptions are
 * rtnetlink's own messages that the Linux bridge also sends from its
 * packet path and timers, in the same form: RTM_NEWNEIGH/RTM_DELNEIGH of
 * FDB entries (kbr_rtnl_notify_fdb()) and a port's RTM_NEWLINK at each
 * state change (kbr_rtnl_notify_state()), which carries the port's name
 * and address as they are read (a rename racing with it may give a torn
 * name, as the Linux bridge's may).
 *
 * The packet path (rx_handler in softirq, ndo_start_xmit) is RCU-only: it
 * reads the port list, a port's rx_handler_data and the FDB under
 * rcu_read_lock(), never takes RTNL and never sleeps.  RTNL-protected
 * scalars it reads are written with WRITE_ONCE() and read with
 * READ_ONCE().
 *
 * FDB: lookups are lockless (rhashtable, RCU).  Inserting and deleting
 * entries, the fdb_list, an entry's port, the learned-entry counts, each
 * port's list of its learned entries (fdb_entries), the static-entry
 * count and eviction's fdb_heaviest and fdb_evicting_last are under
 * kbr->fdb_lock (a BH spinlock, as learning runs
 * in softirq): a MAC move takes it, a refresh does not.  An entry's "updated" field is
 * written locklessly by learning, with WRITE_ONCE() and only when it
 * changed.  Entries are freed after an RCU grace period.  The ageing
 * ring (age_slots, age_pending, each entry's "age") and its age_ fields
 * are under fdb_lock too; the collector (gc_work) takes it a batch at a
 * time.  A new ageing time, set or from a topology change (STP calls
 * kbr_fdb_topology_change() under stp_lock), kicks gc_work.
 *
 * Spanning tree: the bridge's and every port's 802.1D and RSTP state
 * (the fields marked "stp_lock") are under kbr->stp_lock, a BH spinlock:
 * the STP timers and BPDU reception run in softirq, configuration under
 * RTNL takes it too.  RSTP's flushes of a port's learned entries run in
 * a work item of the port (a sweep may sleep), without RTNL; the port
 * waits for it when it leaves (kbr_rstp_port_teardown()).  A port's
 * state is also read on the packet path, with READ_ONCE().  port_list
 * changes under RTNL *and* stp_lock, so STP walks it under stp_lock
 * alone.  STP timers test, under stp_lock, whether they
 * should still run (stp_timer.c's may_run() and due()) before they act,
 * and are stopped with del_timer_sync() outside the lock before what they
 * use is freed.
 *
 * Port lifetime (port.c's port_teardown()): a port is taken out of the
 * spanning tree and off port_list (RCU) in one stp_lock section, its STP
 * timers stopped, its rx_handler unregistered (which waits for readers),
 * its FDB entries deleted, and only then freed after a grace period; it
 * holds a reference on its device until then.
 */

/**
 * struct kbr_stp_counters - per-port spanning tree counters, stp_lock
 */
struct kbr_stp_counters {
	u64	config_rx;
	u64	config_tx;
	u64	tcn_rx;
	u64	tcn_tx;
	u64	rx_bad;
	u64	to_blocking;
	u64	to_forwarding;
	u64	bpdu_guard;
	u64	root_guard;
	u64	rst_rx;
	u64	rst_tx;
	u64	to_stp;
	u64	proposal_rx;
	u64	proposal_tx;
	u64	agreement_rx;
	u64	agreement_tx;
	u64	tc_flush;
	u64	role_unknown_rx;
	u64	loop_guard;
};

/*
 * VLAN memberships (vlan.c).  A port's, and the bridge device's own (which
 * decide what the host sees), each in a struct kbr_vlans: a two-level
 * table of struct kbr_vlan by VLAN id, so that the packet path finds one
 * in two loads; changed under RTNL, read under RCU; entries are freed
 * after a grace period.
 */
struct kbr_vlan_stats {
	u64_stats_t		rx_packets;
	u64_stats_t		rx_bytes;
	u64_stats_t		tx_packets;
	u64_stats_t		tx_bytes;
	struct u64_stats_sync	syncp;
};

/* The sums of struct kbr_vlan_stats over CPUs. */
struct kbr_vlan_counts {
	u64	rx_packets;
	u64	rx_bytes;
	u64	tx_packets;
	u64	tx_bytes;
};

/**
 * struct kbr_vlan - membership of one VLAN
 * @vid: 1 to 4094; constant
 * @flags: %KBR_VLAN_F_UNTAGGED or 0 (the PVID is in struct kbr_vlans).
 *	RTNL; READ_ONCE() on the packet path.
 * @stats: per-CPU counters
 * @staged: the next new membership of a range kbr_vlan_add() allocated
 *	and has not published yet.  RTNL.
 * @rcu: frees it after readers are done, once it is erased
 */
struct kbr_vlan {
	u16				vid;
	u16				flags;
	struct kbr_vlan_stats __percpu	*stats;
	union {
		struct kbr_vlan		*staged;
		struct rcu_head		rcu;
	};
};

/* VLAN ids per second-level table of struct kbr_vlans */
#define KBR_VLAN_CHUNK	64

/**
 * struct kbr_vlan_chunk - memberships of KBR_VLAN_CHUNK consecutive VLANs
 * @vlan: by VLAN id modulo KBR_VLAN_CHUNK.  RTNL; RCU readers.
 * @staged: the next new chunk of a range kbr_vlan_add() allocated and
 *	has not published yet.  RTNL.
 * @rcu: frees it after readers are done, once it is unpublished
 */
struct kbr_vlan_chunk {
	struct kbr_vlan __rcu	*vlan[KBR_VLAN_CHUNK];
	union {
		struct kbr_vlan_chunk	*staged;
		struct rcu_head		rcu;
	};
};

/**
 * struct kbr_vlans - the VLANs of a port or of the bridge device
 * @chunk: by VLAN id / KBR_VLAN_CHUNK; published with the first VLAN
 *	joined in it, freed by kbr_vlans_fini().  RTNL; RCU readers.
 * @pvid: the VLAN of untagged frames coming in, 0 for none (they are
 *	dropped).  RTNL; READ_ONCE() on the packet path.
 * @count: memberships.  RTNL; READ_ONCE() in kbr_rtnl_get_size().
 */
struct kbr_vlans {
	struct kbr_vlan_chunk __rcu	*chunk[VLAN_N_VID / KBR_VLAN_CHUNK];
	u16				pvid;
	u16				count;
};

/**
 * struct kbr_port - a port: a net_device enslaved to a kbridge
 * @br: the bridge; constant
 * @dev: the port device; constant, referenced until the port is freed
 * @list: in br->port_list, ordered by port number.  RTNL; RCU readers.
 * @port_no: 1 to KBR_MAX_PORTS; constant
 * @flags: KBR_PORT_F_*.  RTNL; READ_ONCE() on the packet path and by
 *	RSTP under stp_lock.
 * @fdb_learned: learned FDB entries behind the port.  br->fdb_lock;
 *	READ_ONCE() without it.
 * @fdb_max_learned: cap on new entries learned on the port, 0 for none.
 *	A move onto the port is never refused: it adds no entry.  RTNL;
 *	READ_ONCE().
 * @fdb_refused: source addresses seen on the port and not learned
 *	because of either cap
 * @fdb_evicted: entries learned on the port that eviction took (fdb.c,
 *	DOC: Eviction)
 * @fdb_entries: the learned entries behind the port, oldest first: in
 *	the order they were learned or moved here.  br->fdb_lock.
 * @state: enum kbr_port_state.  stp_lock; READ_ONCE() on the packet path.
 * @priority: port priority, 0 to 63.  stp_lock.
 * @port_id: priority and port number.  stp_lock.
 * @path_cost: this port's path cost.  stp_lock.
 * @path_cost_set_by_user: the link speed no longer sets it.  RTNL.
 * @speed: the link's speed in Mb/s when it was last up, 0 if unknown:
 *	what the path cost follows until it is set.  RTNL and stp_lock.
 * @full_duplex: the link is full duplex: RSTP takes it for a
 *	point-to-point link.  RTNL and stp_lock.
 * @p2p: enum kbr_port_p2p, whether it does.  RTNL and stp_lock.
 * @designated_root: the root as the segment's designated bridge sees it
 *	(802.1D's name).  stp_lock.
 * @designated_bridge: the segment's designated bridge.  stp_lock.
 * @designated_port: the designated bridge's port id on the segment.
 *	stp_lock.
 * @designated_cost: the designated bridge's root path cost.  stp_lock.
 * @topology_change_ack: the next config BPDU acknowledges a TCN.  stp_lock.
 * @config_pending: a config BPDU waits for the hold timer.  stp_lock.
 * @guard_tripped: BPDU guard disabled the port.  stp_lock.
 * @root_inconsistent: root guard keeps it from being the root port.
 *	stp_lock.
 * @rx_message_age: message age of the root's information, when received
 *	(jiffies).  stp_lock.
 * @rx_time: jiffies when the root's information was received.  stp_lock.
 * @message_age_timer: the root's information ages out
 * @forward_delay_timer: listening to learning to forwarding
 * @hold_timer: at most one config BPDU a second
 * @guard_timer: brings a port BPDU guard disabled back
 * @stp: counters
 * @rstp: the port's RSTP variables (rstp.h), while the bridge runs RSTP;
 *	@rstp.br is NULL while the port is not in its bridge's RSTP.
 *	stp_lock.
 * @rstp_role: the role the last role event announced (apply()).
 *	stp_lock.
 * @rstp_flush: drops what the port learned when RSTP says so (fdbFlush;
 *	a sweep of the table cannot run in softirq)
 * @vlans: VLAN memberships
 * @vlan_dropped: frames dropped on ingress by VLAN filtering
 * @addr: the device address the port's local FDB entry was made for
 *	(another port or the bridge with the same address may hold the
 *	entry).  RTNL.
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
	atomic64_t		fdb_evicted;
	struct list_head	fdb_entries;

	u8			state;
	u8			priority;
	u16			port_id;
	u32			path_cost;
	bool			path_cost_set_by_user;
	bool			full_duplex;
	u32			speed;
	u8			p2p;
	struct kbr_id		designated_root;
	struct kbr_id		designated_bridge;
	u16			designated_port;
	u32			designated_cost;
	bool			topology_change_ack;
	bool			config_pending;
	bool			guard_tripped;
	bool			root_inconsistent;
	unsigned long		rx_message_age;
	unsigned long		rx_time;
	struct timer_list	message_age_timer;
	struct timer_list	forward_delay_timer;
	struct timer_list	hold_timer;
	struct timer_list	guard_timer;
	struct kbr_stp_counters	stp;
	struct kbr_rstp_port	rstp;
	u8			rstp_role;
	struct work_struct	rstp_flush;

	struct kbr_vlans	vlans;
	atomic64_t		vlan_dropped;

	u8			addr[ETH_ALEN];
	netdevice_tracker	dev_tracker;
	struct rcu_head		rcu;
};

/* Slots of the FDB ageing ring (struct kbr_bridge, @age_slots). */
#define KBR_AGE_SLOTS	64

/**
 * struct kbr_bridge - a kbridge, the private part of its net_device
 * @dev: the bridge device; constant for the bridge's life
 * @port_list: ports by port number.  RTNL and stp_lock; RCU readers.
 * @port_nos: port numbers in use.  RTNL.
 * @port_count: ports on @port_list.  RTNL and stp_lock; READ_ONCE().
 * @priority: bridge priority, the upper 16 bits of the bridge id.  RTNL
 *	and stp_lock.
 * @stp_enabled: spanning tree is on.  RTNL and stp_lock; READ_ONCE().
 * @mtu_set_by_user: the MTU was set by hand: ports do not change it.
 *	RTNL.
 * @ageing_time: jiffies a learned FDB entry lives, as set.  fdb.c's;
 *	RTNL; READ_ONCE().
 * @fdb_tc_ageing: jiffies a learned FDB entry lives while a topology
 *	change lasts (the forward delay, 8.3.5), 0 while none does.  STP
 *	writes it through fdb.c's kbr_fdb_topology_change() under stp_lock;
 *	READ_ONCE().  kbr_fdb_ageing() is the ageing time in use.
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
 * @fdb_nomem: source addresses not learned because @memcg was at its
 *	limit or memory was short
 * @memcg: the memory cgroup of the task that created the bridge, which
 *	learned entries are charged to (fdb.c, fdb_alloc_learned()); a
 *	reference, constant from creation until the destructor
 * @fdb_policy: enum kbr_fdb_policy, what a new source address does at
 *	@fdb_max_learned.  RTNL; READ_ONCE().
 * @fdb_evicted: learned entries eviction took
 * @fdb_heaviest: the port eviction last found holding the most learned
 *	entries, or NULL (fdb.c, DOC: Eviction).  fdb_lock; a port leaving
 *	clears it before the port is freed.
 * @fdb_evicting_last: jiffies when an eviction was last announced
 *	(KBR_CMD_FDB_EVICTING), at most once a second.  fdb_lock.
 * @fdb_moves: learned addresses that moved to another port
 * @fdb_static: number of static FDB entries.  fdb_lock; READ_ONCE()
 *	without it.
 * @fdb_max_static: cap on @fdb_static, 0 for none.  RTNL (only requests
 *	under RTNL add static entries).
 * @fdb_static_refused: static entries refused because of the cap
 * @gc_work: ages learned entries out
 * @age_slots: the ageing ring (fdb.c, DOC: Ageing): learned entries by
 *	when they are due, KBR_AGE_SLOTS slots of @age_width jiffies, the
 *	oldest at index @age_slot.  fdb_lock.
 * @age_pending: learned entries taken from past slots, not looked at
 *	yet.  fdb_lock.
 * @age_slot: the ring index of the oldest slot.  fdb_lock.
 * @age_start: jiffies when the oldest slot begins.  fdb_lock.
 * @age_width: jiffies each slot of the ageing ring spans.  fdb_lock.
 * @age_ageing: the ageing time the entries in the ageing ring were filed
 *	by.  fdb_lock.
 * @age_refiled: jiffies when the collector last filed every entry
 *	again.  fdb_lock.
 * @stp_lock: serialises the bridge's and its ports' spanning tree state,
 *	802.1D's and RSTP's (DOC: Locking)
 * @stp_mode: enum kbr_stp_mode, the protocol STP runs.  RTNL and
 *	stp_lock.
 * @stp_running: STP is on and the bridge is up: timers run, BPDUs count.
 *	stp_lock.
 * @bridge_id: priority and the bridge device's address.  stp_lock.
 * @designated_root: the root bridge's id.  stp_lock.
 * @root_path_cost: the cost from here to the root.  stp_lock.
 * @root_port: the port toward the root, NULL on the root.  stp_lock.
 * @max_age: the max age in use (jiffies): the root's.  stp_lock.
 * @hello_time: the hello time in use (jiffies): the root's.  stp_lock.
 * @forward_delay: the forward delay in use (jiffies): the root's.
 *	stp_lock.
 * @bridge_max_age: the max age set here (jiffies), used when this bridge
 *	is the root.  stp_lock.
 * @bridge_hello_time: the hello time set here (jiffies), used when this
 *	bridge is the root.  stp_lock.
 * @bridge_forward_delay: the forward delay set here (jiffies), used when
 *	this bridge is the root.  stp_lock.
 * @topology_change: a topology change is signalled (by the root).
 *	stp_lock.
 * @topology_change_detected: this bridge detected a topology change and
 *	tells the root.  stp_lock.
 * @hello_timer: the root sends config BPDUs (armed under stp_lock)
 * @tcn_timer: TCNs repeat until acknowledged (armed under stp_lock)
 * @topology_change_timer: the root ends a topology change (armed under
 *	stp_lock)
 * @rstp: the bridge's RSTP variables (rstp.h); its machines run while
 *	@stp_running in %KBR_STP_MODE_RSTP, and their results are copied
 *	to the 802.1D fields above (rstp_if.c's apply()).  stp_lock.
 * @rstp_timer: RSTP's one-second tick (armed under stp_lock)
 * @tx_hold_count: RSTP's TxHoldCount, kept across mode changes.
 *	stp_lock.
 * @guard_recovery: jiffies after which BPDU guard lets a port back, 0
 *	for never.  stp_lock.
 * @vlan_enabled: VLAN filtering is on.  RTNL; READ_ONCE().
 * @vlan_proto: the tag VLAN filtering switches on, ETH_P_8021Q or
 *	ETH_P_8021AD.  RTNL; READ_ONCE().
 * @default_pvid: the VLAN new ports join untagged as PVID, 0 for none.
 *	RTNL.
 * @vlans: the bridge device's own VLAN memberships: what the host sends
 *	and sees
 */
struct kbr_bridge {
	struct net_device	*dev;
	struct list_head	port_list;
	DECLARE_BITMAP(port_nos, KBR_MAX_PORTS + 1);
	unsigned int		port_count;
	u16			priority;
	bool			stp_enabled;
	bool			mtu_set_by_user;
	unsigned long		ageing_time;
	unsigned long		fdb_tc_ageing;

	struct rhashtable	fdb_hash;
	struct hlist_head	fdb_list;
	spinlock_t		fdb_lock;	/* see DOC: Locking */
	unsigned int		fdb_gen;
	u64			fdb_next_id;
	unsigned int		fdb_learned;
	unsigned int		fdb_max_learned;
	atomic64_t		fdb_refused;
	atomic64_t		fdb_nomem;
	struct mem_cgroup	*memcg;
	u8			fdb_policy;
	atomic64_t		fdb_evicted;
	struct kbr_port		*fdb_heaviest;
	unsigned long		fdb_evicting_last;
	atomic64_t		fdb_moves;
	unsigned int		fdb_static;
	unsigned int		fdb_max_static;
	atomic64_t		fdb_static_refused;
	struct delayed_work	gc_work;
	struct list_head	age_slots[KBR_AGE_SLOTS];
	struct list_head	age_pending;
	unsigned int		age_slot;
	unsigned long		age_start;
	unsigned long		age_width;
	unsigned long		age_ageing;
	unsigned long		age_refiled;

	spinlock_t		stp_lock;	/* see DOC: Locking */
	u8			stp_mode;
	bool			stp_running;
	struct kbr_id		bridge_id;
	struct kbr_id		designated_root;
	u32			root_path_cost;
	struct kbr_port		*root_port;
	unsigned long		max_age;
	unsigned long		hello_time;
	unsigned long		forward_delay;
	unsigned long		bridge_max_age;
	unsigned long		bridge_hello_time;
	unsigned long		bridge_forward_delay;
	bool			topology_change;
	bool			topology_change_detected;
	struct timer_list	hello_timer;
	struct timer_list	tcn_timer;
	struct timer_list	topology_change_timer;
	struct kbr_rstp		rstp;
	struct timer_list	rstp_timer;
	u8			tx_hold_count;
	unsigned long		guard_recovery;

	bool			vlan_enabled;
	__be16			vlan_proto;
	u16			default_pvid;
	struct kbr_vlans	vlans;
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
 * @id: creation order, for resuming walks (fdb.c, DOC: Walks); constant
 * @list: in br->fdb_list, newest first: ids descend
 * @updated: jiffies when the address was last seen.  Written by learning
 *	on every CPU, so it has a cache line of its own, shared only with
 *	@age, @on_port and @rcu, which lookups do not read
 * @age: a learned entry's place in br->age_slots or br->age_pending; a
 *	local or static entry's points to itself.  br->fdb_lock.
 * @on_port: a learned entry's place in its port's @fdb_entries; a local
 *	or static entry's points to itself.  br->fdb_lock.
 * @rcu: frees the entry after readers are done
 */
struct kbr_fdb {
	struct rhash_head		rhnode;
	struct kbr_fdb_key		key;
	struct kbr_port __rcu		*dst;
	u32				flags;
	u64				id;
	struct hlist_node		list;
	unsigned long			updated ____cacheline_aligned_in_smp;
	struct list_head		age;
	struct list_head		on_port;
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
void kbr_port_set_flags(struct kbr_port *p, u32 flags, u32 mask);
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

/* rtnl_bridge.c */
int kbr_rtnl_getlink(struct sk_buff *skb, u32 pid, u32 seq,
		     struct net_device *dev, u32 filter_mask, int nlflags);
int kbr_rtnl_setlink(struct net_device *dev, struct nlmsghdr *nlh, u16 flags,
		     struct netlink_ext_ack *extack);
int kbr_rtnl_dellink(struct net_device *dev, struct nlmsghdr *nlh, u16 flags);
extern const struct nla_policy kbr_brport_policy[IFLA_BRPORT_MAX + 1];
void kbr_rtnl_notify_port(struct kbr_port *p, int type);
void kbr_rtnl_notify_state(struct kbr_port *p);
int kbr_rtnl_slave_changelink(struct net_device *br_dev,
			      struct net_device *dev, struct nlattr *tb[],
			      struct nlattr *data[],
			      struct netlink_ext_ack *extack);

/* rtnl_vlan.c */
int kbr_rtnl_put_vlans(struct sk_buff *skb, const struct kbr_vlans *vg,
		       u32 filter_mask, bool fresh);
int kbr_rtnl_af_vlans(struct kbr_bridge *kbr, struct kbr_port *p,
		      const struct nlattr *spec, bool add, bool apply,
		      bool *changed, struct netlink_ext_ack *extack);
size_t kbr_rtnl_get_size(const struct net_device *dev);

/* rtnl_xstats.c */
size_t kbr_rtnl_xstats_size(const struct net_device *dev, int attr);
int kbr_rtnl_fill_xstats(struct sk_buff *skb, const struct net_device *dev,
			 int *prividx, int attr);

/* rtnl_fdb.c */
int kbr_rtnl_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
		      struct net_device *dev, struct net_device *filter_dev,
		      int *idx);
void kbr_rtnl_notify_fdb(const struct kbr_bridge *kbr,
			 const struct kbr_fdb *f, int type);

/* forward.c */
void kbr_forward(struct kbr_bridge *kbr, struct sk_buff *skb,
		 const struct kbr_port *from, const struct kbr_fdb *f,
		 u16 vid, bool local_rcv);

/* fdb.c */
int kbr_fdb_init(void);
void kbr_fdb_exit(void);
int kbr_fdb_bridge_init(struct kbr_bridge *kbr);
void kbr_fdb_bridge_fini(struct kbr_bridge *kbr);
struct kbr_fdb *kbr_fdb_find_rcu(struct kbr_bridge *kbr, const u8 *addr,
				 u16 vid);
struct kbr_fdb *kbr_fdb_lookup_rcu(struct kbr_bridge *kbr, const u8 *addr,
				   u16 vid);
struct kbr_fdb *kbr_fdb_resume_rcu(struct kbr_bridge *kbr,
				   const struct kbr_fdb_key *key, u64 id);
void kbr_fdb_learn(struct kbr_bridge *kbr, struct kbr_port *p,
		   const u8 *addr, u16 vid);
int kbr_fdb_add_local(struct kbr_bridge *kbr, struct kbr_port *p,
		      const u8 *addr);
void kbr_fdb_notify_registered(struct kbr_bridge *kbr);
void kbr_fdb_del_local(struct kbr_bridge *kbr, struct kbr_port *p,
		       const u8 *addr);
void kbr_fdb_changeaddr(struct kbr_bridge *kbr, struct kbr_port *p,
			const u8 *addr);
void kbr_fdb_del_by_port(struct kbr_bridge *kbr, const struct kbr_port *p);
void kbr_fdb_set_ageing(struct kbr_bridge *kbr, unsigned long ageing);
void kbr_fdb_topology_change(struct kbr_bridge *kbr, unsigned long ageing);
int kbr_fdb_add_static(struct kbr_bridge *kbr, struct kbr_port *p,
		       const u8 *addr, u16 vid, struct netlink_ext_ack *extack);
int kbr_fdb_del_entry(struct kbr_bridge *kbr, const u8 *addr, u16 vid,
		      struct netlink_ext_ack *extack);
void kbr_fdb_flush_learned(struct kbr_bridge *kbr, const struct kbr_port *p);
void kbr_fdb_flush(struct kbr_bridge *kbr, const struct kbr_port *p,
		   bool include_static);
void kbr_fdb_flush_vlans(struct kbr_bridge *kbr, const struct kbr_port *p,
			 u16 vid, u16 vid_end, bool include_static);

/* Neither local nor static: it ages, it moves, it counts against caps. */
static inline bool kbr_fdb_is_learned(const struct kbr_fdb *f)
{
	return !(f->flags & (KBR_FDB_F_LOCAL | KBR_FDB_F_STATIC));
}

/* The ageing time in use: a topology change's, else the one set. */
static inline unsigned long kbr_fdb_ageing(const struct kbr_bridge *kbr)
{
	return READ_ONCE(kbr->fdb_tc_ageing) ?: READ_ONCE(kbr->ageing_time);
}

static inline bool kbr_fdb_expired(const struct kbr_bridge *kbr,
				   const struct kbr_fdb *f)
{
	return kbr_fdb_is_learned(f) &&
	       time_after_eq(jiffies, READ_ONCE(f->updated) +
				      kbr_fdb_ageing(kbr));
}

/* stp_if.c: 802.1D's management side (what the rest of kbridge calls);
 * the protocol's own functions, in stp.c and stp_timer.c, are declared in
 * stp_private.h
 */
void kbr_stp_bridge_init(struct kbr_bridge *kbr);
void kbr_stp_bridge_fini(struct kbr_bridge *kbr);
void kbr_stp_port_init(struct kbr_port *p);
void kbr_stp_port_leave(struct kbr_port *p);
void kbr_stp_port_fini(struct kbr_port *p);
void kbr_stp_start(struct kbr_bridge *kbr);
void kbr_stp_stop(struct kbr_bridge *kbr);
void kbr_stp_port_update(struct kbr_port *p);
void kbr_stp_set_enabled(struct kbr_bridge *kbr, bool on);
void kbr_stp_set_mode(struct kbr_bridge *kbr, u8 mode);
void kbr_stp_set_bridge_id(struct kbr_bridge *kbr, u16 priority,
			   const u8 *addr);
int kbr_stp_check_timers(const u32 *max_age_ms, const u32 *hello_ms,
			 const u32 *fd_ms, u8 mode, bool enabled,
			 struct netlink_ext_ack *extack);
void kbr_stp_set_timers(struct kbr_bridge *kbr, const u32 *max_age_ms,
			const u32 *hello_ms, const u32 *fd_ms);
void kbr_stp_set_port_priority(struct kbr_port *p, u8 prio);
int kbr_stp_check_path_cost(struct kbr_port *p, const struct nlattr *attr,
			    struct netlink_ext_ack *extack);
void kbr_stp_set_path_cost(struct kbr_port *p, u32 cost);
int kbr_stp_check_port_state(struct kbr_port *p, const struct nlattr *attr,
			     struct netlink_ext_ack *extack);
void kbr_stp_set_port_state(struct kbr_port *p, u8 state);
void kbr_stp_flags_changed(struct kbr_port *p, u32 changed);
void kbr_stp_set_p2p(struct kbr_port *p, u8 p2p);
void kbr_stp_set_tx_hold_count(struct kbr_bridge *kbr, u8 count);
bool kbr_stp_runs_rstp(struct kbr_bridge *kbr);
void kbr_stp_port_mcheck(struct kbr_port *p);
void kbr_stp_set_guard_recovery(struct kbr_bridge *kbr, u32 ms);

/* stp.c: 802.1D's procedures; what the rest of kbridge calls */
bool kbr_stp_received(struct kbr_port *p, const struct kbr_bpdu *bpdu);
void kbr_stp_rx_bad(struct kbr_port *p);

/* stp_bpdu.c: BPDUs on the wire */
void kbr_bpdu_send(struct kbr_port *p, const struct kbr_bpdu *bpdu);
void kbr_bpdu_send_tcn(struct kbr_port *p);
void kbr_bpdu_rx(struct kbr_port *p, struct sk_buff *skb);

/* vlan.c */
void kbr_vlans_init(struct kbr_vlans *vg);
void kbr_vlans_fini(struct kbr_vlans *vg);
int kbr_vlan_port_init(struct kbr_port *p);
int kbr_vlan_bridge_init(struct kbr_bridge *kbr);
int kbr_vlan_add(struct kbr_bridge *kbr, struct kbr_port *p, u16 vid,
		 u16 vid_end, u32 flags, struct netlink_ext_ack *extack);
int kbr_vlan_del(struct kbr_bridge *kbr, struct kbr_port *p, u16 vid,
		 u16 vid_end, struct netlink_ext_ack *extack);
int kbr_vlan_set_default_pvid(struct kbr_bridge *kbr, u16 pvid,
			      struct netlink_ext_ack *extack);
void kbr_vlan_set_filtering(struct kbr_bridge *kbr, bool on);
void kbr_vlan_set_proto(struct kbr_bridge *kbr, __be16 proto);
bool kbr_vlan_ingress(const struct kbr_bridge *kbr, struct kbr_vlans *vg,
		      struct sk_buff **pskb, u16 *vid);
bool kbr_vlan_egress(struct kbr_vlans *vg, struct sk_buff *skb, u16 vid);
bool kbr_vlan_member(struct kbr_vlans *vg, u16 vid);
void kbr_vlan_stats(const struct kbr_vlan *v, struct kbr_vlan_counts *sum);
struct kbr_vlan *kbr_vlan_next(const struct kbr_vlans *vg, unsigned int vid);

/**
 * kbr_vlan_find - @vg's membership of VLAN @vid, or NULL
 * @vg: the memberships of a port or of the bridge device
 * @vid: 0 to 4095
 *
 * Context: rcu_read_lock() or RTNL held.
 */
static inline struct kbr_vlan *kbr_vlan_find(const struct kbr_vlans *vg,
					     u16 vid)
{
	const struct kbr_vlan_chunk *c;

	c = rcu_dereference_rtnl(vg->chunk[(vid / KBR_VLAN_CHUNK) %
					   ARRAY_SIZE(vg->chunk)]);
	return c ? rcu_dereference_rtnl(c->vlan[vid % KBR_VLAN_CHUNK]) : NULL;
}

/* netlink.c: the genl family, its policies and ops, and what its object
 * files share (the lookups of a request's bridge and port, the identity
 * nests, the event group)
 */
extern struct genl_family kbr_genl_family;
extern const struct nla_policy kbr_br_new_policy[KBR_BR_A_MAX + 1];
extern const struct nla_policy kbr_br_set_policy[KBR_BR_A_MAX + 1];
extern const struct nla_policy kbr_port_set_policy[KBR_PORT_A_MAX + 1];
extern const struct nla_policy kbr_fdb_policy[KBR_FDB_A_MAX + 1];
extern const struct nla_policy kbr_vlan_policy[KBR_VLAN_A_MAX + 1];
int kbr_nl_init(void);
void kbr_nl_exit(void);
bool kbr_nl_listening(struct net *net);
void kbr_nl_multicast(struct net *net, struct sk_buff *skb, gfp_t gfp);
size_t kbr_nl_bridge_id_size(void);
size_t kbr_nl_port_id_size(void);
int kbr_nl_put_bridge_id(struct sk_buff *skb, const struct kbr_bridge *kbr);
struct nlattr *kbr_nl_start_port_id(struct sk_buff *skb,
				    const struct kbr_port *p);
struct net_device *kbr_nl_dev_get(struct net *net,
				  const struct nlattr *ifindex,
				  const struct nlattr *ifname,
				  const struct nlattr *nest,
				  struct netlink_ext_ack *extack);
struct kbr_bridge *kbr_nl_bridge_get(struct net *net, struct nlattr **attrs,
				     struct netlink_ext_ack *extack);
struct kbr_port *kbr_nl_port_of(struct kbr_bridge *kbr, struct net_device *dev,
				const struct nlattr *attr,
				struct netlink_ext_ack *extack);
struct kbr_port *kbr_nl_port_get(struct genl_info *info,
				 struct kbr_bridge *kbr, bool optional);

/* What kbr_nl_pre_doit() resolved for a doit, as its command asked. */
static inline struct kbr_bridge *kbr_nl_bridge(const struct genl_info *info)
{
	return info->user_ptr[0];
}

static inline struct kbr_port *kbr_nl_port(const struct genl_info *info)
{
	return info->user_ptr[1];
}

static inline struct net_device *kbr_nl_port_dev(const struct genl_info *info)
{
	return info->user_ptr[1];
}

/* netlink_bridge.c: the bridge object */
void kbr_nl_notify_bridge(struct kbr_bridge *kbr, u8 cmd);
int kbr_nl_br_get_doit(struct sk_buff *skb, struct genl_info *info);
int kbr_nl_br_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kbr_nl_br_new_doit(struct sk_buff *skb, struct genl_info *info);
int kbr_nl_br_del_doit(struct sk_buff *skb, struct genl_info *info);
int kbr_nl_br_set_doit(struct sk_buff *skb, struct genl_info *info);

/* netlink_port.c: the port object */
void kbr_nl_notify_port(struct kbr_port *p, u8 cmd);
int kbr_nl_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kbr_nl_port_new_doit(struct sk_buff *skb, struct genl_info *info);
int kbr_nl_port_del_doit(struct sk_buff *skb, struct genl_info *info);
int kbr_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info);

/* netlink_fdb.c: the FDB object */
void kbr_nl_notify_evicting(const struct kbr_bridge *kbr,
			    const struct kbr_port *p);
void kbr_nl_notify_flush(const struct kbr_bridge *kbr,
			 const struct kbr_port *p);
void kbr_nl_notify_fdb(struct kbr_bridge *kbr, const struct kbr_fdb *f,
		       u8 cmd, u8 event);
int kbr_nl_fdb_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kbr_nl_fdb_new_doit(struct sk_buff *skb, struct genl_info *info);
int kbr_nl_fdb_del_doit(struct sk_buff *skb, struct genl_info *info);
int kbr_nl_fdb_flush_doit(struct sk_buff *skb, struct genl_info *info);

/* netlink_vlan.c: the VLAN object */
int kbr_nl_vlan_doit(struct sk_buff *skb, struct genl_info *info);
int kbr_nl_vlan_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/* netlink_stp.c: spanning tree attributes and events */
size_t kbr_nl_bridge_stp_size(void);
size_t kbr_nl_port_stp_size(void);
int kbr_nl_put_bridge_stp(struct sk_buff *skb, struct kbr_bridge *kbr);
int kbr_nl_put_port_stp(struct sk_buff *skb, struct kbr_port *p);
void kbr_nl_notify_stp(struct kbr_bridge *kbr, const struct kbr_port *p,
		       u8 event);

#endif /* _KBR_PRIVATE_H */
