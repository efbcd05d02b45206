// SPDX-License-Identifier: GPL-2.0
/*
 * The forwarding database: lockless lookup, learning from the packet
 * path, the bridge's and ports' own (local) addresses, and ageing.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/memcontrol.h>
#include <linux/rhashtable.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "kbr_private.h"

static struct kmem_cache *kbr_fdb_cache __read_mostly;

static const struct rhashtable_params kbr_fdb_params = {
	.head_offset		= offsetof(struct kbr_fdb, rhnode),
	.key_offset		= offsetof(struct kbr_fdb, key),
	.key_len		= sizeof(struct kbr_fdb_key),
	.automatic_shrinking	= true,
};

int __init kbr_fdb_init(void)
{
	/* What a lookup reads fits in the first cache line. */
	BUILD_BUG_ON(offsetofend(struct kbr_fdb, list) > SMP_CACHE_BYTES);
	kbr_fdb_cache = KMEM_CACHE(kbr_fdb, SLAB_HWCACHE_ALIGN);
	return kbr_fdb_cache ? 0 : -ENOMEM;
}

void kbr_fdb_exit(void)
{
	kmem_cache_destroy(kbr_fdb_cache);
}

/**
 * kbr_fdb_find_rcu - the entry for @addr in VLAN @vid, or NULL
 * @kbr: the bridge
 * @addr: a MAC address
 * @vid: a VLAN id, 0 without VLAN filtering
 *
 * Context: rcu_read_lock() held; the entry lives until it is dropped.
 */
struct kbr_fdb *kbr_fdb_find_rcu(struct kbr_bridge *kbr, const u8 *addr,
				 u16 vid)
{
	struct kbr_fdb_key key;

	ether_addr_copy(key.addr, addr);
	key.vid = vid;
	return rhashtable_lookup(&kbr->fdb_hash, &key, kbr_fdb_params);
}

/**
 * kbr_fdb_lookup_rcu - the entry frames to @addr in VLAN @vid go by
 * @kbr: the bridge
 * @addr: a MAC address
 * @vid: a VLAN id, 0 without VLAN filtering
 *
 * The bridge's and its ports' own addresses have one entry, in VLAN 0,
 * that holds in every VLAN.
 *
 * Context: rcu_read_lock() held.
 */
struct kbr_fdb *kbr_fdb_lookup_rcu(struct kbr_bridge *kbr, const u8 *addr,
				   u16 vid)
{
	struct kbr_fdb *f = kbr_fdb_find_rcu(kbr, addr, vid);

	if (likely(f) || !vid)
		return f;
	f = kbr_fdb_find_rcu(kbr, addr, 0);
	return f && (f->flags & KBR_FDB_F_LOCAL) ? f : NULL;
}

/*
 * DOC: Walks
 *
 * fdb_list holds every entry newest first, and an entry's id is its
 * creation order, so ids descend along the list.  A walk that lets go of
 * RCU between its parts remembers an entry by key and id: an FDB dump
 * the last entry it sent, and goes on after it; a sweep, every
 * KBR_SWEEP_BATCHES batches, the next entry to look at, and goes on at
 * it.  The entry is found again by its key in O(1) if it is still there
 * (the same id, still listed).  If it went meanwhile (aged out, deleted,
 * or replaced by a new entry with the same key), the walk goes on at the
 * first entry older than that id, found from the head (a walk of the
 * list, without fdb_lock, BHs on).  Either way, entries created
 * meanwhile are at the head, before it, and are not visited, and every
 * entry that stays is visited once.  A dump's sequence check
 * (kbr->fdb_gen, bumped on every insert and delete) tells userspace the
 * table changed under it.  Within one RCU read-side section a walk needs
 * no lookup: no entry is freed before rcu_read_unlock(), and following
 * next pointers from a deleted entry leads to the first older entry that
 * stays.
 */

/*
 * The newest entry older than id @id: where a walk goes on when the entry
 * it knew by that id has gone (DOC: Walks).
 * Context: rcu_read_lock() held.
 */
static struct kbr_fdb *fdb_first_older_rcu(struct kbr_bridge *kbr, u64 id)
{
	struct kbr_fdb *f;

	hlist_for_each_entry_rcu(f, &kbr->fdb_list, list) {
		if (f->id < id)
			return f;
	}
	return NULL;
}

/*
 * The entry a walk remembered by @key and @id, if it is still listed
 * (DOC: Walks), else NULL.
 * Context: rcu_read_lock() held.
 */
static struct kbr_fdb *fdb_listed_rcu(struct kbr_bridge *kbr,
				      const struct kbr_fdb_key *key, u64 id)
{
	struct kbr_fdb *f;

	f = rhashtable_lookup(&kbr->fdb_hash, key, kbr_fdb_params);
	if (f && f->id == id && !hlist_unhashed_lockless(&f->list))
		return f;
	return NULL;
}

/**
 * kbr_fdb_resume_rcu - where a walk of the FDB list goes on
 * @kbr: the bridge
 * @key: the key of the entry the walk stopped after, or NULL to start
 * @id: that entry's id
 *
 * Dumps come in parts, with no lock held between them; each part goes
 * on after the last entry the one before sent (DOC: Walks).
 *
 * Context: rcu_read_lock() held.
 * Return: the first entry to visit, or NULL when there is none.
 */
struct kbr_fdb *kbr_fdb_resume_rcu(struct kbr_bridge *kbr,
				   const struct kbr_fdb_key *key, u64 id)
{
	struct kbr_fdb *f;

	if (!key)
		return hlist_entry_safe(rcu_dereference(hlist_first_rcu(&kbr->fdb_list)),
					struct kbr_fdb, list);

	f = fdb_listed_rcu(kbr, key, id);
	/* Deleted since, its next pointer stays valid for RCU readers. */
	if (f)
		return hlist_entry_safe(rcu_dereference(hlist_next_rcu(&f->list)),
					struct kbr_fdb, list);
	return fdb_first_older_rcu(kbr, id);
}

static void fdb_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(kbr_fdb_cache, container_of(head, struct kbr_fdb, rcu));
}

static struct kbr_port *fdb_dst(const struct kbr_bridge *kbr,
				const struct kbr_fdb *f)
{
	return rcu_dereference_protected(f->dst,
					 lockdep_is_held(&kbr->fdb_lock));
}

/* Context: fdb_lock held. */
static void __fdb_delete(struct kbr_bridge *kbr, struct kbr_fdb *f)
{
	struct kbr_port *p = fdb_dst(kbr, f);

	lockdep_assert_held(&kbr->fdb_lock);
	rhashtable_remove_fast(&kbr->fdb_hash, &f->rhnode, kbr_fdb_params);
	hlist_del_init_rcu(&f->list);
	list_del(&f->age);
	if (kbr_fdb_is_learned(f)) {
		list_del(&f->on_port);
		WRITE_ONCE(kbr->fdb_learned, kbr->fdb_learned - 1);
		WRITE_ONCE(p->fdb_learned, p->fdb_learned - 1);
	} else if (f->flags & KBR_FDB_F_STATIC) {
		WRITE_ONCE(kbr->fdb_static, kbr->fdb_static - 1);
	}
	WRITE_ONCE(kbr->fdb_gen, kbr->fdb_gen + 1);
	call_rcu(&f->rcu, fdb_free_rcu);
}

/*
 * File learned entry @f in the ageing slot of the time it is due, by the
 * ageing time the slots hold; past or beyond the ring, the nearest end.
 * Context: fdb_lock held.
 */
static void fdb_age_file(struct kbr_bridge *kbr, struct kbr_fdb *f)
{
	unsigned long due = READ_ONCE(f->updated) + kbr->age_ageing;
	unsigned long n = 0;

	lockdep_assert_held(&kbr->fdb_lock);
	if (time_after(due, kbr->age_start))
		n = min((due - kbr->age_start) / kbr->age_width,
			KBR_AGE_SLOTS - 1UL);
	list_move_tail(&f->age,
		       &kbr->age_slots[(kbr->age_slot + n) % KBR_AGE_SLOTS]);
}

/*
 * Insert @f, allocated from kbr_fdb_cache, as a new entry; it is freed if
 * that fails.  Context: fdb_lock held.  Return: the entry, or NULL when one
 * for the key exists already (another CPU learned it first: that is fine,
 * the caller's work is done) or the hash table cannot take it.
 */
static struct kbr_fdb *__fdb_insert(struct kbr_bridge *kbr, struct kbr_fdb *f,
				    struct kbr_port *p, const u8 *addr,
				    u16 vid, u32 flags)
{
	lockdep_assert_held(&kbr->fdb_lock);
	ether_addr_copy(f->key.addr, addr);
	f->key.vid = vid;
	f->flags = flags;
	f->id = kbr->fdb_next_id;
	INIT_HLIST_NODE(&f->list);	/* unhashed until it is on the list */
	INIT_LIST_HEAD(&f->age);
	INIT_LIST_HEAD(&f->on_port);
	RCU_INIT_POINTER(f->dst, p);
	f->updated = jiffies;
	if (rhashtable_lookup_insert_fast(&kbr->fdb_hash, &f->rhnode,
					  kbr_fdb_params)) {
		kmem_cache_free(kbr_fdb_cache, f);
		return NULL;
	}
	hlist_add_head_rcu(&f->list, &kbr->fdb_list);
	kbr->fdb_next_id++;
	if (kbr_fdb_is_learned(f)) {
		list_add_tail(&f->on_port, &p->fdb_entries);
		WRITE_ONCE(kbr->fdb_learned, kbr->fdb_learned + 1);
		WRITE_ONCE(p->fdb_learned, p->fdb_learned + 1);
		fdb_age_file(kbr, f);
	} else if (flags & KBR_FDB_F_STATIC) {
		WRITE_ONCE(kbr->fdb_static, kbr->fdb_static + 1);
	}
	WRITE_ONCE(kbr->fdb_gen, kbr->fdb_gen + 1);
	return f;
}

/*
 * A learned entry is made on behalf of no task (in softirq, or in the
 * task that happened to send the frame): it is charged to the memory
 * cgroup of the bridge's creator.  GFP_NOWAIT, not GFP_ATOMIC: an atomic
 * allocation may go past the cgroup's limit, this one fails at it.
 * Context: fdb_lock held.
 */
static struct kbr_fdb *fdb_alloc_learned(struct kbr_bridge *kbr)
{
	struct mem_cgroup *old = set_active_memcg(kbr->memcg);
	struct kbr_fdb *f;

	f = kmem_cache_alloc(kbr_fdb_cache,
			     GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN);
	set_active_memcg(old);
	return f;
}

/*
 * Allocate and insert a new entry.  Context: fdb_lock held.  Return: as
 * __fdb_insert(), NULL also when memory is short.
 */
static struct kbr_fdb *__fdb_create(struct kbr_bridge *kbr,
				    struct kbr_port *p, const u8 *addr,
				    u16 vid, u32 flags)
{
	struct kbr_fdb *f = kmem_cache_alloc(kbr_fdb_cache, GFP_ATOMIC);

	return f ? __fdb_insert(kbr, f, p, addr, vid, flags) : NULL;
}

/*
 * Announce a change of @f to kbrctl monitor (@cmd, @event) and to
 * rtnetlink's neighbour group ("bridge monitor fdb").  Context: as for
 * kbr_nl_notify_fdb().
 */
static void fdb_notify(struct kbr_bridge *kbr, const struct kbr_fdb *f,
		       u8 cmd, u8 event)
{
	kbr_nl_notify_fdb(kbr, f, cmd, event);
	kbr_rtnl_notify_fdb(kbr, f, cmd == KBR_CMD_FDB_DEL ? RTM_DELNEIGH :
							    RTM_NEWNEIGH);
}

/* Is @p at its own cap?  Exact under fdb_lock; without it, a few off. */
static bool fdb_port_full(const struct kbr_port *p)
{
	unsigned int cap = READ_ONCE(p->fdb_max_learned);

	return cap && READ_ONCE(p->fdb_learned) >= cap;
}

/* The bridge's cap if it is reached, else 0.  Exact under fdb_lock. */
static unsigned int fdb_bridge_full(const struct kbr_bridge *kbr)
{
	unsigned int cap = READ_ONCE(kbr->fdb_max_learned);

	return cap && READ_ONCE(kbr->fdb_learned) >= cap ? cap : 0;
}

/* Does a cap refuse a new address behind @p?  Exact under fdb_lock. */
static bool fdb_cap_refuses(const struct kbr_bridge *kbr,
			    const struct kbr_port *p)
{
	return fdb_port_full(p) ||
	       (fdb_bridge_full(kbr) &&
		READ_ONCE(kbr->fdb_policy) == KBR_FDB_POLICY_REFUSE);
}

static void fdb_refuse(struct kbr_bridge *kbr, struct kbr_port *p)
{
	atomic64_inc(&kbr->fdb_refused);
	atomic64_inc(&p->fdb_refused);
}

/*
 * DOC: Eviction
 *
 * At the bridge's cap, %KBR_FDB_POLICY_EVICT learns a new address behind
 * port P by evicting the oldest learned entry of the port Q that holds
 * the most, if Q holds more than P and more than its fair share (the cap
 * divided by the bridge's ports, rounded down); else P's own oldest entry
 * goes.  So a port that floods new addresses churns only its own entries
 * once it holds the most, and a port that holds no more than its fair
 * share never loses an entry to another port's new address.  While the
 * table is full, some port holds more than that share, or every port
 * holds exactly it; not quite while a port leaves (its entries still
 * count until they are swept), when a new address may evict its own port's
 * oldest entry or, if that port holds none, not be learned.
 *
 * Finding Q walks the port list, which under a flood would happen once a
 * frame with fdb_lock held.  So Q is kept (kbr->fdb_heaviest) and taken
 * again while it holds more than its fair share; the list is walked again
 * when it no longer does, and Q is forgotten whenever an address is
 * learned below the cap, so that a table filled anew is looked at anew.
 * (While the table stays full, moves alone can make another port hold
 * more than Q; Q still holds more than its share.)  A port leaving the
 * bridge clears it (kbr_fdb_del_by_port()) before the port is freed, and
 * a port off the list is never found again.
 *
 * Oldest is in the order of learning (a port's fdb_entries): a refresh
 * does not reorder entries, so that it stays lockless.  An evicted address
 * that is still in use is learned again from its next frame.
 *
 * At the cap, every new source takes fdb_lock and, with listeners, sends
 * an eviction and a learning event; refusing takes no lock and sends
 * nothing.  Below the cap, both cost what learning costs.  Besides, at
 * most once a second, an eviction is announced with its port's count
 * (KBR_CMD_FDB_EVICTING): what to watch for a flood, without following
 * every entry.
 */

/*
 * The port whose oldest entry makes room for a new address behind @p, at
 * the bridge's cap @cap (DOC: Eviction).
 * Context: fdb_lock held, rcu_read_lock() held.
 */
static struct kbr_port *__fdb_evict_from(struct kbr_bridge *kbr,
					 struct kbr_port *p, unsigned int cap)
{
	unsigned int fair = cap / max(READ_ONCE(kbr->port_count), 1U);
	struct kbr_port *most = kbr->fdb_heaviest, *q;

	lockdep_assert_held(&kbr->fdb_lock);
	if (!most || most->fdb_learned <= fair) {
		most = NULL;
		list_for_each_entry_rcu(q, &kbr->port_list, list) {
			if (!most || q->fdb_learned > most->fdb_learned)
				most = q;
		}
		kbr->fdb_heaviest = most;
	}
	if (most && most->fdb_learned > fair &&
	    most->fdb_learned > p->fdb_learned)
		return most;
	return p;
}

/*
 * Evict the oldest entry learned behind @q.  Return: whether it held one.
 * Context: fdb_lock held, rcu_read_lock() held.
 */
static bool __fdb_evict(struct kbr_bridge *kbr, struct kbr_port *q)
{
	struct kbr_fdb *f;

	f = list_first_entry_or_null(&q->fdb_entries, struct kbr_fdb, on_port);
	if (!f)
		return false;
	__fdb_delete(kbr, f);
	atomic64_inc(&kbr->fdb_evicted);
	atomic64_inc(&q->fdb_evicted);
	/* Freed after a grace period: still readable in this section. */
	fdb_notify(kbr, f, KBR_CMD_FDB_DEL, KBR_FDB_EV_EVICT);
	/* In range, not after: jiffies may wrap while no eviction is. */
	if (!time_in_range(jiffies, kbr->fdb_evicting_last,
			   kbr->fdb_evicting_last + HZ - 1)) {
		kbr->fdb_evicting_last = jiffies;
		kbr_nl_notify_evicting(kbr, q);
	}
	return true;
}

/*
 * Learn @addr in @vid behind @p, unless a cap refuses it or memory is
 * short (each counted).  At the bridge's cap the new entry is allocated
 * before another is evicted for it: memory being short evicts nothing.
 * Context: fdb_lock held; softirq, rcu_read_lock() held.
 * Return: the new entry, or NULL.
 */
static struct kbr_fdb *__fdb_learn_new(struct kbr_bridge *kbr,
				       struct kbr_port *p, const u8 *addr,
				       u16 vid)
{
	unsigned int cap = fdb_bridge_full(kbr);
	struct kbr_fdb *f;

	if (fdb_cap_refuses(kbr, p))
		goto refuse;
	if (!cap) {
		kbr->fdb_heaviest = NULL;
		f = fdb_alloc_learned(kbr);
		if (!f)
			goto nomem;
		return __fdb_insert(kbr, f, p, addr, vid, 0);
	}
	/* Another CPU learned it meanwhile: make no room for it. */
	if (kbr_fdb_find_rcu(kbr, addr, vid))
		return NULL;
	f = fdb_alloc_learned(kbr);
	if (!f)
		goto nomem;
	if (!__fdb_evict(kbr, __fdb_evict_from(kbr, p, cap))) {
		kmem_cache_free(kbr_fdb_cache, f);
		goto refuse;
	}
	f = __fdb_insert(kbr, f, p, addr, vid, 0);
	if (f)
		return f;

refuse:
	fdb_refuse(kbr, p);
	return NULL;

nomem:
	atomic64_inc(&kbr->fdb_nomem);
	return NULL;
}

/*
 * A learned address showed up behind @p: move its entry there, unless it
 * went away or moved already.  Rare (a VM migrated, a cable moved), so it
 * takes the lock and keeps the per-port counts exact.
 * Context: softirq, rcu_read_lock() held.
 */
static void fdb_move(struct kbr_bridge *kbr, struct kbr_fdb *f,
		     struct kbr_port *p)
{
	struct kbr_port *old;
	bool moved = false;

	spin_lock(&kbr->fdb_lock);
	old = fdb_dst(kbr, f);
	if (!hlist_unhashed(&f->list) && old != p) {
		WRITE_ONCE(old->fdb_learned, old->fdb_learned - 1);
		WRITE_ONCE(p->fdb_learned, p->fdb_learned + 1);
		list_move_tail(&f->on_port, &p->fdb_entries);
		rcu_assign_pointer(f->dst, p);
		moved = true;
		/* Under the lock: events of one entry go out in order. */
		fdb_notify(kbr, f, KBR_CMD_FDB_NEW, KBR_FDB_EV_MOVE);
	}
	spin_unlock(&kbr->fdb_lock);
	if (moved)
		atomic64_inc(&kbr->fdb_moves);
}

/**
 * kbr_fdb_learn - note that @addr was seen behind port @p
 * @kbr: the bridge
 * @p: the ingress port
 * @addr: the frame's source address, a valid unicast address
 * @vid: its VLAN
 *
 * The common case, a known address on the same port, only refreshes the
 * timestamp, and only when it changed: no lock, no shared-line write.
 *
 * Context: softirq, rcu_read_lock() held.
 */
void kbr_fdb_learn(struct kbr_bridge *kbr, struct kbr_port *p,
		   const u8 *addr, u16 vid)
{
	unsigned long now = jiffies;
	struct kbr_fdb *f;

	f = kbr_fdb_lookup_rcu(kbr, addr, vid);
	if (likely(f)) {
		/* Local and static addresses never move. */
		if (unlikely(!kbr_fdb_is_learned(f)))
			return;
		if (unlikely(rcu_access_pointer(f->dst) != p))
			fdb_move(kbr, f, p);
		if (READ_ONCE(f->updated) != now)
			WRITE_ONCE(f->updated, now);
		return;
	}

	/* A cap that refuses does so without the lock: a flood of new
	 * sources must not serialise every CPU on it.  The lock re-checks.
	 */
	if (unlikely(fdb_cap_refuses(kbr, p))) {
		fdb_refuse(kbr, p);
		return;
	}
	spin_lock(&kbr->fdb_lock);
	f = __fdb_learn_new(kbr, p, addr, vid);
	/* Under the lock: before any event of the entry's deletion. */
	if (f)
		fdb_notify(kbr, f, KBR_CMD_FDB_NEW, KBR_FDB_EV_LEARN);
	spin_unlock(&kbr->fdb_lock);
}

/*
 * Does rtnetlink know the bridge device, so that kbr_rtnl_notify_fdb()
 * may announce its entries?  Not before its registration (the local entry
 * of its address comes first), nor when that failed; while it is being
 * unregistered, its last entries go.  Context: RTNL held.
 */
static bool fdb_dev_known(const struct kbr_bridge *kbr)
{
	ASSERT_RTNL();
	return kbr->dev->reg_state == NETREG_REGISTERED ||
	       kbr->dev->reg_state == NETREG_UNREGISTERING;
}

/**
 * kbr_fdb_add_local - add an address of the bridge (@p NULL) or of port @p
 * @kbr: the bridge
 * @p: the port, or NULL
 * @addr: the address
 *
 * An existing learned entry for the address is replaced: the address is
 * ours now.  Context: RTNL held.
 */
int kbr_fdb_add_local(struct kbr_bridge *kbr, struct kbr_port *p,
		      const u8 *addr)
{
	struct kbr_fdb_key key = { .vid = 0 };
	struct kbr_fdb *f;
	int err = 0;

	ASSERT_RTNL();
	ether_addr_copy(key.addr, addr);
	spin_lock_bh(&kbr->fdb_lock);
	f = rhashtable_lookup_fast(&kbr->fdb_hash, &key, kbr_fdb_params);
	if (f && (f->flags & KBR_FDB_F_LOCAL))
		goto out;	/* e.g. two ports with one address */
	if (f) {
		__fdb_delete(kbr, f);
		kbr_rtnl_notify_fdb(kbr, f, RTM_DELNEIGH);
	}
	f = __fdb_create(kbr, p, addr, 0, KBR_FDB_F_LOCAL);
	if (!f)
		err = -ENOMEM;
	else if (fdb_dev_known(kbr))
		kbr_rtnl_notify_fdb(kbr, f, RTM_NEWNEIGH);
out:
	spin_unlock_bh(&kbr->fdb_lock);
	return err;
}

/**
 * kbr_fdb_notify_registered - the bridge device is registered: announce
 *	the local entry of its address, added before (kbr_fdb_add_local())
 * @kbr: the bridge
 *
 * Context: RTNL held.
 */
void kbr_fdb_notify_registered(struct kbr_bridge *kbr)
{
	struct kbr_fdb *f;

	ASSERT_RTNL();
	rcu_read_lock();
	f = kbr_fdb_find_rcu(kbr, kbr->dev->dev_addr, 0);
	if (f)
		kbr_rtnl_notify_fdb(kbr, f, RTM_NEWNEIGH);
	rcu_read_unlock();
}

/**
 * kbr_fdb_del_local - drop the local entry of @addr if it belongs to @p
 * @kbr: the bridge
 * @p: the port, or NULL for the bridge
 * @addr: the address
 *
 * When another port has the same address, the entry moves to it.
 * Context: RTNL held.
 */
void kbr_fdb_del_local(struct kbr_bridge *kbr, struct kbr_port *p,
		       const u8 *addr)
{
	struct kbr_fdb_key key = { .vid = 0 };
	struct kbr_port *other;
	struct kbr_fdb *f;

	ASSERT_RTNL();
	ether_addr_copy(key.addr, addr);
	spin_lock_bh(&kbr->fdb_lock);
	f = rhashtable_lookup_fast(&kbr->fdb_hash, &key, kbr_fdb_params);
	if (!f || !(f->flags & KBR_FDB_F_LOCAL) ||
	    rcu_access_pointer(f->dst) != p)
		goto out;
	if (p && ether_addr_equal(kbr->dev->dev_addr, addr)) {
		rcu_assign_pointer(f->dst, NULL);
		kbr_rtnl_notify_fdb(kbr, f, RTM_NEWNEIGH);
		goto out;
	}
	list_for_each_entry(other, &kbr->port_list, list) {
		if (other != p && ether_addr_equal(other->dev->dev_addr, addr)) {
			rcu_assign_pointer(f->dst, other);
			kbr_rtnl_notify_fdb(kbr, f, RTM_NEWNEIGH);
			goto out;
		}
	}
	__fdb_delete(kbr, f);
	kbr_rtnl_notify_fdb(kbr, f, RTM_DELNEIGH);
out:
	spin_unlock_bh(&kbr->fdb_lock);
}

/**
 * kbr_fdb_changeaddr - port @p has a new address: move its local entry
 * @kbr: the bridge
 * @p: the port
 * @addr: its new address, remembered in @p->addr
 *
 * Context: RTNL held.
 */
void kbr_fdb_changeaddr(struct kbr_bridge *kbr, struct kbr_port *p,
			const u8 *addr)
{
	ASSERT_RTNL();
	kbr_fdb_del_local(kbr, p, p->addr);
	ether_addr_copy(p->addr, addr);
	kbr_fdb_add_local(kbr, p, addr);
}

/*
 * Where a sweep that let go of RCU too goes on: at the entry it was to
 * look at next (@key, @id), or at the first older one (DOC: Walks).  The
 * entry found may be deleted before the sweep takes fdb_lock; it then
 * follows the next pointers to one that is listed.
 * Context: rcu_read_lock() held, fdb_lock not: when the entry went, this
 * walks the list from the head.
 */
static struct kbr_fdb *sweep_resume_rcu(struct kbr_bridge *kbr,
					const struct kbr_fdb_key *key, u64 id)
{
	return fdb_listed_rcu(kbr, key, id) ?: fdb_first_older_rcu(kbr, id);
}

/*
 * What a sweep of the table drops: the entries behind @port (behind any
 * port or none, if NULL) in VLANs @vid to @vid_end that have no flag of
 * @keep.
 */
struct fdb_sweep {
	const struct kbr_port *port;
	u16 vid;
	u16 vid_end;
	u32 keep;
};

static bool sweep_match(const struct fdb_sweep *s, const struct kbr_fdb *f)
{
	return !(f->flags & s->keep) &&
	       f->key.vid >= s->vid && f->key.vid <= s->vid_end &&
	       (!s->port || rcu_access_pointer(f->dst) == s->port);
}

/*
 * The local entry @f of @p, a port leaving the bridge: when another port
 * or the bridge itself has the address too, the entry becomes theirs.
 * Context: RTNL and fdb_lock held.
 */
static bool local_handover(struct kbr_bridge *kbr, const struct kbr_port *p,
			   struct kbr_fdb *f)
{
	struct kbr_port *other;

	list_for_each_entry(other, &kbr->port_list, list) {
		if (other != p &&
		    ether_addr_equal(other->dev->dev_addr, f->key.addr)) {
			rcu_assign_pointer(f->dst, other);
			return true;
		}
	}
	if (ether_addr_equal(kbr->dev->dev_addr, f->key.addr)) {
		rcu_assign_pointer(f->dst, NULL);
		return true;
	}
	return false;
}

/* Entries a sweep looks at with fdb_lock held and BHs off; batches it
 * does in one RCU read-side section, before it lets other tasks run.
 */
#define KBR_SWEEP_BATCH		256
#define KBR_SWEEP_BATCHES	64

/*
 * Drop what @s says, a batch at a time, so that learning and forwarding
 * on this CPU wait for one batch at most, however large the table.  When
 * @s names a port and does not keep local entries, the port's go to
 * another owner if there is one (local_handover()).  Between batches,
 * the entry to look at next may be aged out: the walk goes on from it
 * within its RCU section, and every KBR_SWEEP_BATCHES leaves RCU too and
 * finds its place again by key (DOC: Walks).
 * Context: process; RTNL held when @s may drop local entries (the
 * handover walks the port list).
 */
static void sweep(struct kbr_bridge *kbr, const struct fdb_sweep *s)
{
	unsigned int n, batches = 0;
	struct kbr_fdb_key key;
	struct kbr_fdb *f, *next;
	u64 id;

	if (!(s->keep & KBR_FDB_F_LOCAL))
		ASSERT_RTNL();
	rcu_read_lock();
	spin_lock_bh(&kbr->fdb_lock);
	f = hlist_entry_safe(kbr->fdb_list.first, struct kbr_fdb, list);
	for (;;) {
		for (n = 0; f && n < KBR_SWEEP_BATCH; n++, f = next) {
			next = hlist_entry_safe(f->list.next, struct kbr_fdb,
						list);
			if (!sweep_match(s, f))
				continue;
			if ((f->flags & KBR_FDB_F_LOCAL) && s->port &&
			    local_handover(kbr, s->port, f)) {
				kbr_rtnl_notify_fdb(kbr, f, RTM_NEWNEIGH);
				continue;
			}
			__fdb_delete(kbr, f);
			kbr_rtnl_notify_fdb(kbr, f, RTM_DELNEIGH);
		}
		if (!f)
			break;
		spin_unlock_bh(&kbr->fdb_lock);
		if (++batches % KBR_SWEEP_BATCHES == 0) {
			key = f->key;
			id = f->id;
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			f = sweep_resume_rcu(kbr, &key, id);
		}
		spin_lock_bh(&kbr->fdb_lock);
		/* Still in the RCU section @f was found in: its next
		 * pointer leads on even if it went meanwhile.
		 */
		while (f && hlist_unhashed(&f->list))
			f = hlist_entry_safe(f->list.next, struct kbr_fdb,
					     list);
	}
	spin_unlock_bh(&kbr->fdb_lock);
	rcu_read_unlock();
}

/**
 * kbr_fdb_flush_vlans - drop learned entries in VLANs @vid to @vid_end
 * @kbr: the bridge
 * @p: only those behind this port, or NULL for all
 * @vid: the first VLAN
 * @vid_end: the last
 * @include_static: static entries too
 *
 * Local entries stay.  A batch at a time (sweep()).
 * Context: RTNL held.
 */
void kbr_fdb_flush_vlans(struct kbr_bridge *kbr, const struct kbr_port *p,
			 u16 vid, u16 vid_end, bool include_static)
{
	const struct fdb_sweep s = {
		.port = p,
		.vid = vid,
		.vid_end = vid_end,
		.keep = include_static ? KBR_FDB_F_LOCAL :
					 KBR_FDB_F_LOCAL | KBR_FDB_F_STATIC,
	};

	sweep(kbr, &s);
}

/**
 * kbr_fdb_del_by_port - drop every entry pointing at @p
 * @kbr: the bridge
 * @p: the port, already off the port list
 *
 * A local address that another port or the bridge itself still has moves
 * to it instead.  A batch at a time (sweep()).  Eviction forgets the port
 * (DOC: Eviction).
 * Context: RTNL held; @p no longer receives (its rx_handler is gone), so
 * no new entry can point at it.
 */
void kbr_fdb_del_by_port(struct kbr_bridge *kbr, const struct kbr_port *p)
{
	const struct fdb_sweep s = {
		.port = p,
		.vid = 0,
		.vid_end = VLAN_N_VID - 1,
		.keep = 0,
	};

	sweep(kbr, &s);
	spin_lock_bh(&kbr->fdb_lock);
	if (kbr->fdb_heaviest == p)
		kbr->fdb_heaviest = NULL;
	spin_unlock_bh(&kbr->fdb_lock);
}

/**
 * kbr_fdb_flush - drop learned entries, and static ones if asked
 * @kbr: the bridge
 * @p: only those behind this port, or NULL for all
 * @include_static: static entries too
 *
 * Local entries stay.  Context: RTNL held.
 */
void kbr_fdb_flush(struct kbr_bridge *kbr, const struct kbr_port *p,
		   bool include_static)
{
	kbr_fdb_flush_vlans(kbr, p, 0, VLAN_N_VID - 1, include_static);
}

/**
 * kbr_fdb_flush_learned - drop what was learned behind @p, now
 * @kbr: the bridge
 * @p: the port
 *
 * RSTP's fdbFlush.  Static and local entries stay.
 * Context: process, RTNL not needed; @p stays on the bridge meanwhile.
 */
void kbr_fdb_flush_learned(struct kbr_bridge *kbr, const struct kbr_port *p)
{
	const struct fdb_sweep s = {
		.port = p,
		.vid = 0,
		.vid_end = VLAN_N_VID - 1,
		.keep = KBR_FDB_F_LOCAL | KBR_FDB_F_STATIC,
	};

	sweep(kbr, &s);
}

/**
 * kbr_fdb_add_static - add a static entry for @addr in @vid behind @p
 * @kbr: the bridge
 * @p: the port
 * @addr: a unicast address
 * @vid: its VLAN
 * @extack: for the error message
 *
 * A learned entry for the key becomes this static one.
 * Context: RTNL held.
 * Return: 0, -EEXIST for a static or local entry, -ENOSPC at the cap of
 * static entries, -ENOMEM.
 */
int kbr_fdb_add_static(struct kbr_bridge *kbr, struct kbr_port *p,
		       const u8 *addr, u16 vid, struct netlink_ext_ack *extack)
{
	struct kbr_fdb_key key = { .vid = vid };
	struct kbr_fdb *f, *nf;
	int err = 0;

	ASSERT_RTNL();
	ether_addr_copy(key.addr, addr);
	/* Allocated first, and not atomically: a request may sleep, and an
	 * allocation that fails leaves a learned entry for the key as it is.
	 */
	nf = kmem_cache_alloc(kbr_fdb_cache, KBR_GFP_REQUEST);
	if (!nf) {
		NL_SET_ERR_MSG(extack, "Out of memory for the entry");
		return -ENOMEM;
	}
	spin_lock_bh(&kbr->fdb_lock);
	f = rhashtable_lookup_fast(&kbr->fdb_hash, &key, kbr_fdb_params);
	if (f && (f->flags & KBR_FDB_F_LOCAL)) {
		NL_SET_ERR_MSG(extack, "The address is the bridge's or a port's own");
		err = -EEXIST;
		goto out;
	}
	if (f && (f->flags & KBR_FDB_F_STATIC)) {
		NL_SET_ERR_MSG(extack, "A static entry for the address exists");
		err = -EEXIST;
		goto out;
	}
	if (kbr->fdb_max_static && kbr->fdb_static >= kbr->fdb_max_static) {
		NL_SET_ERR_MSG(extack, "The bridge holds as many static entries as its cap allows");
		atomic64_inc(&kbr->fdb_static_refused);
		err = -ENOSPC;
		goto out;
	}
	if (f)
		__fdb_delete(kbr, f);
	f = __fdb_insert(kbr, nf, p, addr, vid, KBR_FDB_F_STATIC);
	nf = NULL;	/* taken, or freed */
	if (!f) {
		/* The hash table could not grow (rare): the learned entry
		 * for the key, if any, is gone too.
		 */
		NL_SET_ERR_MSG(extack, "Out of memory for the entry");
		err = -ENOMEM;
	}
out:
	spin_unlock_bh(&kbr->fdb_lock);
	if (nf)
		kmem_cache_free(kbr_fdb_cache, nf);
	/* RTNL keeps the new entry: only RTNL holders delete static ones. */
	if (!err)
		fdb_notify(kbr, f, KBR_CMD_FDB_NEW, KBR_FDB_EV_ADD);
	return err;
}

/**
 * kbr_fdb_del_entry - delete the static or learned entry of @addr in @vid
 * @kbr: the bridge
 * @addr: the address
 * @vid: its VLAN
 * @extack: for the error message
 *
 * Context: RTNL held.
 * Return: 0, -ENOENT when there is none, -EINVAL for a local entry.
 */
int kbr_fdb_del_entry(struct kbr_bridge *kbr, const u8 *addr, u16 vid,
		      struct netlink_ext_ack *extack)
{
	struct kbr_fdb_key key = { .vid = vid };
	struct kbr_fdb *f;
	int err = 0;

	ASSERT_RTNL();
	ether_addr_copy(key.addr, addr);
	spin_lock_bh(&kbr->fdb_lock);
	f = rhashtable_lookup_fast(&kbr->fdb_hash, &key, kbr_fdb_params);
	if (!f || kbr_fdb_expired(kbr, f)) {
		NL_SET_ERR_MSG(extack, "No entry for the address");
		err = -ENOENT;
	} else if (f->flags & KBR_FDB_F_LOCAL) {
		NL_SET_ERR_MSG(extack, "A local entry cannot be deleted");
		err = -EINVAL;
	} else {
		__fdb_delete(kbr, f);
		/* Freed after a grace period, which the lock (BHs off)
		 * holds off, and so does this RCU section: still readable.
		 * Under the lock, so that one entry's events keep their
		 * order.
		 */
		rcu_read_lock();
		fdb_notify(kbr, f, KBR_CMD_FDB_DEL, KBR_FDB_EV_DELETE);
		rcu_read_unlock();
	}
	spin_unlock_bh(&kbr->fdb_lock);
	return err;
}

/*
 * DOC: Ageing
 *
 * Learned entries sit in a ring of KBR_AGE_SLOTS slots (kbr->age_slots)
 * by when they are due: "updated" + the ageing time they were filed by
 * (kbr->age_ageing).  Each slot spans kbr->age_width jiffies, a tenth of
 * the ageing time (0.1 to 10 s); the oldest slot, at ring index
 * kbr->age_slot, begins at kbr->age_start, and the last one also holds
 * everything due later.  Learning refreshes "updated" without moving the
 * entry.  So when a slot is wholly past, the collector (kbr_fdb_gc(), in
 * gc_work) takes its entries onto kbr->age_pending, deletes those that
 * expired and files the others again, KBR_AGE_BATCH at a time: it looks
 * at an entry about once per ageing time, not at every run.  When the
 * ageing time in use changes (kbr_fdb_set_ageing(), a topology change
 * starting or ending) or the collector ran late by the whole ring, every
 * entry is filed again; for a new ageing time at most once per slot
 * width (kbr->age_refiled), so that BPDUs flipping the topology change
 * flag cannot keep the collector walking the table.  The lookup path
 * already treats an expired entry as absent; the collector frees it.
 */

/* Slot width: a tenth of the ageing time, within limits. */
static unsigned long age_width(unsigned long ageing)
{
	return clamp(ageing / 10, HZ / 10, 10UL * HZ);
}

/* Entries the collector handles with fdb_lock held and BHs off. */
#define KBR_AGE_BATCH	64

/*
 * Delete the expired entries on age_pending and file the others again, a
 * batch at a time: neither the lock nor the CPU is held for long, however
 * many entries are due at once.
 */
static void fdb_age_pending(struct kbr_bridge *kbr)
{
	struct kbr_fdb *f;
	unsigned int i;
	bool more;

	do {
		rcu_read_lock();
		spin_lock_bh(&kbr->fdb_lock);
		for (i = 0; i < KBR_AGE_BATCH; i++) {
			f = list_first_entry_or_null(&kbr->age_pending,
						     struct kbr_fdb, age);
			if (!f)
				break;
			if (!kbr_fdb_expired(kbr, f)) {
				fdb_age_file(kbr, f);
				continue;
			}
			__fdb_delete(kbr, f);
			/* Under the lock: before any event of an entry
			 * learned again for the address.  Freed after a
			 * grace period, so still readable here.
			 */
			fdb_notify(kbr, f, KBR_CMD_FDB_DEL, KBR_FDB_EV_AGE);
		}
		more = !list_empty(&kbr->age_pending);
		spin_unlock_bh(&kbr->fdb_lock);
		rcu_read_unlock();
		cond_resched();
	} while (more);
}

/*
 * Age learned entries out (DOC: Ageing): each run takes the slots that are
 * wholly past and looks only at the entries in them; a run with none
 * costs nothing per entry.
 */
static void kbr_fdb_gc(struct work_struct *work)
{
	struct kbr_bridge *kbr = container_of(work, struct kbr_bridge,
					      gc_work.work);
	unsigned long ageing = kbr_fdb_ageing(kbr);
	unsigned long now = jiffies, next, refile_at = 0;
	bool refile;
	unsigned int i;

	spin_lock_bh(&kbr->fdb_lock);
	refile = time_after_eq(now, kbr->age_start +
			       KBR_AGE_SLOTS * kbr->age_width);
	if (ageing != kbr->age_ageing) {
		refile_at = kbr->age_refiled + age_width(ageing);
		if (time_after_eq(now, refile_at))
			refile = true;
	}
	if (refile) {
		refile_at = 0;
		kbr->age_refiled = now;
		kbr->age_ageing = ageing;
		kbr->age_width = age_width(ageing);
		kbr->age_start = now;
		for (i = 0; i < KBR_AGE_SLOTS; i++)
			list_splice_tail_init(&kbr->age_slots[i],
					      &kbr->age_pending);
		spin_unlock_bh(&kbr->fdb_lock);
		fdb_age_pending(kbr);
		spin_lock_bh(&kbr->fdb_lock);
	}
	while (time_after_eq(now, kbr->age_start + kbr->age_width)) {
		list_splice_tail_init(&kbr->age_slots[kbr->age_slot],
				      &kbr->age_pending);
		kbr->age_slot = (kbr->age_slot + 1) % KBR_AGE_SLOTS;
		kbr->age_start += kbr->age_width;
		spin_unlock_bh(&kbr->fdb_lock);
		fdb_age_pending(kbr);
		spin_lock_bh(&kbr->fdb_lock);
	}
	next = kbr->age_start + kbr->age_width;
	if (refile_at && time_before(refile_at, next))
		next = refile_at;
	spin_unlock_bh(&kbr->fdb_lock);

	now = jiffies;
	queue_delayed_work(system_power_efficient_wq, &kbr->gc_work,
			   time_after(next, now) ? next - now : 1);
}

/**
 * kbr_fdb_set_ageing - set the ageing time
 * @kbr: the bridge
 * @ageing: the ageing time in jiffies
 *
 * It is the one in use unless a topology change lasts; the collector
 * files entries again by the one in use.
 * Context: RTNL held.
 */
void kbr_fdb_set_ageing(struct kbr_bridge *kbr, unsigned long ageing)
{
	ASSERT_RTNL();
	if (kbr->ageing_time == ageing)
		return;
	WRITE_ONCE(kbr->ageing_time, ageing);
	mod_delayed_work(system_power_efficient_wq, &kbr->gc_work, 0);
}

/**
 * kbr_fdb_topology_change - a topology change starts, goes on or ends
 * @kbr: the bridge
 * @ageing: while it lasts, the forward delay: learned entries age in it
 *	(8.3.5); 0 once it ended
 *
 * Context: stp_lock held (STP is the only writer).
 */
void kbr_fdb_topology_change(struct kbr_bridge *kbr, unsigned long ageing)
{
	lockdep_assert_held(&kbr->stp_lock);
	if (kbr->fdb_tc_ageing == ageing)
		return;
	WRITE_ONCE(kbr->fdb_tc_ageing, ageing);
	mod_delayed_work(system_power_efficient_wq, &kbr->gc_work, 0);
}

int kbr_fdb_bridge_init(struct kbr_bridge *kbr)
{
	unsigned int i;
	int err;

	spin_lock_init(&kbr->fdb_lock);
	INIT_HLIST_HEAD(&kbr->fdb_list);
	for (i = 0; i < KBR_AGE_SLOTS; i++)
		INIT_LIST_HEAD(&kbr->age_slots[i]);
	INIT_LIST_HEAD(&kbr->age_pending);
	kbr->ageing_time = msecs_to_jiffies(KBR_DEFAULT_AGEING_TIME_MS);
	kbr->age_ageing = kbr_fdb_ageing(kbr);
	kbr->age_width = age_width(kbr->age_ageing);
	kbr->age_start = jiffies;
	kbr->age_refiled = jiffies - 10UL * HZ;
	kbr->fdb_max_learned = KBR_DEFAULT_FDB_MAX_LEARNED;
	kbr->fdb_policy = KBR_DEFAULT_FDB_POLICY;
	kbr->fdb_max_static = KBR_DEFAULT_FDB_MAX_STATIC;
	kbr->fdb_evicting_last = jiffies - HZ;
	atomic64_set(&kbr->fdb_static_refused, 0);
	atomic64_set(&kbr->fdb_refused, 0);
	atomic64_set(&kbr->fdb_nomem, 0);
	atomic64_set(&kbr->fdb_evicted, 0);
	atomic64_set(&kbr->fdb_moves, 0);
	INIT_DELAYED_WORK(&kbr->gc_work, kbr_fdb_gc);
	err = rhashtable_init(&kbr->fdb_hash, &kbr_fdb_params);
	if (err)
		return err;
	queue_delayed_work(system_power_efficient_wq, &kbr->gc_work,
			   kbr->age_width);
	return 0;
}

/*
 * The bridge device is unregistered: no reader is left (ndo_uninit runs
 * after synchronize_net()).  Drop what is left, the bridge's own address,
 * announced as the Linux bridge announces it when it goes.  Context: RTNL
 * held; also when the bridge's registration failed.
 */
void kbr_fdb_bridge_fini(struct kbr_bridge *kbr)
{
	struct hlist_node *tmp;
	struct kbr_fdb *f;
	bool known;

	cancel_delayed_work_sync(&kbr->gc_work);
	known = fdb_dev_known(kbr);
	spin_lock_bh(&kbr->fdb_lock);
	hlist_for_each_entry_safe(f, tmp, &kbr->fdb_list, list) {
		__fdb_delete(kbr, f);
		if (known)
			kbr_rtnl_notify_fdb(kbr, f, RTM_DELNEIGH);
	}
	spin_unlock_bh(&kbr->fdb_lock);
	rhashtable_destroy(&kbr->fdb_hash);
}
