// SPDX-License-Identifier: GPL-2.0
/*
 * 802.1Q VLAN filtering: the VLANs a port (or the bridge device itself)
 * is a member of, which one is its PVID, which leave it untagged; and the
 * packet path's side: the VLAN a frame belongs to on ingress, whether it
 * may leave by a port and with which tag.
 *
 * While filtering is on, a frame carries its VLAN in skb->vlan_tci (with
 * the bridge's protocol) from ingress to egress, as the Linux bridge
 * does; a port that does not offload tags gets one inserted by the core
 * on transmit.
 */

#include <linux/if_vlan.h>
#include <linux/slab.h>

#include "kbr_private.h"

void kbr_vlans_init(struct kbr_vlans *vg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vg->chunk); i++)
		RCU_INIT_POINTER(vg->chunk[i], NULL);
	vg->pvid = 0;
	vg->count = 0;
}

/**
 * kbr_vlan_next - @vg's first membership of a VLAN from @vid on, or NULL
 * @vg: the memberships
 * @vid: where to start, 0 to VLAN_N_VID
 *
 * Context: rcu_read_lock() or RTNL held.
 */
struct kbr_vlan *kbr_vlan_next(const struct kbr_vlans *vg, unsigned int vid)
{
	const struct kbr_vlan_chunk *c;
	struct kbr_vlan *v;

	while (vid < VLAN_N_VID) {
		c = rcu_dereference_rtnl(vg->chunk[vid / KBR_VLAN_CHUNK]);
		if (!c) {
			vid = round_down(vid, KBR_VLAN_CHUNK) + KBR_VLAN_CHUNK;
			continue;
		}
		v = rcu_dereference_rtnl(c->vlan[vid % KBR_VLAN_CHUNK]);
		if (v)
			return v;
		vid++;
	}
	return NULL;
}

/* A membership of @vid, not published yet.  Context: RTNL held. */
static struct kbr_vlan *vlan_alloc(u16 vid, u32 flags)
{
	struct kbr_vlan *v = kzalloc(sizeof(*v), KBR_GFP_REQUEST);

	if (!v)
		return NULL;
	v->stats = __netdev_alloc_pcpu_stats(struct kbr_vlan_stats,
					     KBR_GFP_REQUEST);
	if (!v->stats) {
		kfree(v);
		return NULL;
	}
	v->vid = vid;
	v->flags = flags & KBR_VLAN_F_UNTAGGED;
	return v;
}

static void vlan_free(struct kbr_vlan *v)
{
	free_percpu(v->stats);
	kfree(v);
}

static void vlan_free_rcu(struct rcu_head *head)
{
	vlan_free(container_of(head, struct kbr_vlan, rcu));
}

/* Context: RTNL held.  Readers may hold @v until a grace period ends. */
static void vlan_erase(struct kbr_vlans *vg, struct kbr_vlan *v)
{
	struct kbr_vlan_chunk *c = rtnl_dereference(vg->chunk[v->vid /
							      KBR_VLAN_CHUNK]);

	RCU_INIT_POINTER(c->vlan[v->vid % KBR_VLAN_CHUNK], NULL);
	WRITE_ONCE(vg->count, vg->count - 1);
	if (vg->pvid == v->vid)
		WRITE_ONCE(vg->pvid, 0);
	call_rcu(&v->rcu, vlan_free_rcu);
}

/**
 * kbr_vlans_fini - end every membership of @vg
 * @vg: a port's or the bridge device's VLANs
 *
 * Context: RTNL held; the packet path no longer finds @vg's owner, but
 * may still be reading: entries are freed after a grace period.
 */
void kbr_vlans_fini(struct kbr_vlans *vg)
{
	struct kbr_vlan_chunk *c;
	unsigned int i, vid = 0;
	struct kbr_vlan *v;

	ASSERT_RTNL();
	while ((v = kbr_vlan_next(vg, vid))) {
		vid = v->vid + 1;
		vlan_erase(vg, v);
	}
	for (i = 0; i < ARRAY_SIZE(vg->chunk); i++) {
		c = rtnl_dereference(vg->chunk[i]);
		RCU_INIT_POINTER(vg->chunk[i], NULL);
		if (c)
			kfree_rcu(c, rcu);
	}
}

/*
 * Publish @v, a membership of a VLAN @vg is not a member of yet, in a
 * chunk that exists.  Context: RTNL held.
 */
static void vlan_publish(struct kbr_vlans *vg, struct kbr_vlan *v)
{
	struct kbr_vlan_chunk *c = rtnl_dereference(vg->chunk[v->vid /
							      KBR_VLAN_CHUNK]);

	rcu_assign_pointer(c->vlan[v->vid % KBR_VLAN_CHUNK], v);
	WRITE_ONCE(vg->count, vg->count + 1);
}

/* Give membership @v @flags.  Context: RTNL held. */
static void vlan_set_flags(struct kbr_vlans *vg, struct kbr_vlan *v,
			   u32 flags)
{
	WRITE_ONCE(v->flags, flags & KBR_VLAN_F_UNTAGGED);
	if (flags & KBR_VLAN_F_PVID)
		WRITE_ONCE(vg->pvid, v->vid);
	else if (vg->pvid == v->vid)
		WRITE_ONCE(vg->pvid, 0);
}

/*
 * Join VLANs @vid to @vid_end, or give @flags to those @vg is a member of.
 * Everything the range needs (chunks, memberships) is allocated before
 * anything is published: when memory runs out, nothing changed.
 * Context: RTNL held.  Return: 0 or -ENOMEM.
 */
static int vlan_set_range(struct kbr_vlans *vg, u16 vid, u16 vid_end,
			  u32 flags)
{
	struct kbr_vlan_chunk *c, *staged_c = NULL;
	struct kbr_vlan *v, *staged = NULL;
	unsigned int i;
	u32 id;

	/* Staged last first, to be taken off in the order of the range. */
	for (i = vid_end / KBR_VLAN_CHUNK + 1; i-- > vid / KBR_VLAN_CHUNK;) {
		if (rtnl_dereference(vg->chunk[i]))
			continue;
		c = kzalloc(sizeof(*c), KBR_GFP_REQUEST);
		if (!c)
			goto nomem;
		c->staged = staged_c;
		staged_c = c;
	}
	for (id = vid_end + 1; id-- > vid;) {
		if (kbr_vlan_find(vg, id))
			continue;
		v = vlan_alloc(id, flags);
		if (!v)
			goto nomem;
		v->staged = staged;
		staged = v;
	}

	/* A chunk is published empty: no reader finds a VLAN in it yet. */
	for (i = vid / KBR_VLAN_CHUNK; i <= vid_end / KBR_VLAN_CHUNK; i++) {
		if (rtnl_dereference(vg->chunk[i]))
			continue;
		c = staged_c;
		staged_c = c->staged;
		c->staged = NULL;
		rcu_assign_pointer(vg->chunk[i], c);
	}
	for (id = vid; id <= vid_end; id++) {
		v = kbr_vlan_find(vg, id);
		if (!v) {
			v = staged;
			staged = v->staged;
			vlan_publish(vg, v);
		}
		vlan_set_flags(vg, v, flags);
	}
	return 0;

nomem:
	while (staged) {
		v = staged;
		staged = v->staged;
		vlan_free(v);
	}
	while (staged_c) {
		c = staged_c;
		staged_c = c->staged;
		kfree(c);
	}
	return -ENOMEM;
}

/* Join @vid, or change the flags of a membership.  Context: RTNL held. */
static int vlan_set(struct kbr_vlans *vg, u16 vid, u32 flags)
{
	return vlan_set_range(vg, vid, vid, flags);
}

static struct kbr_vlans *vlans_of(struct kbr_bridge *kbr, struct kbr_port *p)
{
	return p ? &p->vlans : &kbr->vlans;
}

/**
 * kbr_vlan_add - make @p (or the bridge device) a member of VLANs
 * @kbr: the bridge
 * @p: the port, or NULL for the bridge device itself
 * @vid: the first VLAN, 1 to 4094
 * @vid_end: the last one, @vid or more
 * @flags: KBR_VLAN_F_*; %KBR_VLAN_F_PVID with a single VLAN only
 * @extack: for the error message
 *
 * A VLAN it is already a member of takes @flags.  A request that fails
 * changes nothing.
 * Context: RTNL held.
 * Return: 0, -EINVAL, -ENOMEM.
 */
int kbr_vlan_add(struct kbr_bridge *kbr, struct kbr_port *p, u16 vid,
		 u16 vid_end, u32 flags, struct netlink_ext_ack *extack)
{
	struct kbr_vlans *vg = vlans_of(kbr, p);

	ASSERT_RTNL();
	if ((flags & KBR_VLAN_F_PVID) && vid_end != vid) {
		NL_SET_ERR_MSG(extack, "A PVID is a single VLAN, not a range");
		return -EINVAL;
	}
	if (vlan_set_range(vg, vid, vid_end, flags)) {
		NL_SET_ERR_MSG(extack, "Out of memory adding VLANs");
		return -ENOMEM;
	}
	return 0;
}

/**
 * kbr_vlan_del - end memberships of VLANs @vid to @vid_end
 * @kbr: the bridge
 * @p: the port, or NULL for the bridge device itself
 * @vid: the first VLAN
 * @vid_end: the last one
 * @extack: for the error message
 *
 * Learned entries behind @p in those VLANs go too.
 * Context: RTNL held.
 * Return: 0, or -ENOENT when none of them was a member.
 */
int kbr_vlan_del(struct kbr_bridge *kbr, struct kbr_port *p, u16 vid,
		 u16 vid_end, struct netlink_ext_ack *extack)
{
	struct kbr_vlans *vg = vlans_of(kbr, p);
	unsigned int next = vid;
	struct kbr_vlan *v;
	bool found = false;

	ASSERT_RTNL();
	while ((v = kbr_vlan_next(vg, next)) && v->vid <= vid_end) {
		next = v->vid + 1;
		vlan_erase(vg, v);
		found = true;
	}
	if (!found) {
		NL_SET_ERR_MSG(extack, "Not a member of that VLAN");
		return -ENOENT;
	}
	if (p)
		kbr_fdb_flush_vlans(kbr, p, vid, vid_end, false);
	return 0;
}

/**
 * kbr_vlan_port_init - a new port joins the bridge's default PVID
 * @p: the port, not yet receiving
 *
 * Context: RTNL held.
 * Return: 0 or -ENOMEM.
 */
int kbr_vlan_port_init(struct kbr_port *p)
{
	u16 pvid = p->br->default_pvid;

	kbr_vlans_init(&p->vlans);
	if (!pvid)
		return 0;
	return vlan_set(&p->vlans, pvid, KBR_VLAN_F_PVID | KBR_VLAN_F_UNTAGGED);
}

/* The bridge device, as it is created, joins the default PVID untagged.
 * Context: RTNL held.
 */
int kbr_vlan_bridge_init(struct kbr_bridge *kbr)
{
	kbr->vlan_proto = htons(ETH_P_8021Q);
	kbr->default_pvid = KBR_DEFAULT_PVID;
	kbr_vlans_init(&kbr->vlans);
	return vlan_set(&kbr->vlans, kbr->default_pvid,
			KBR_VLAN_F_PVID | KBR_VLAN_F_UNTAGGED);
}

/*
 * Move @vg from the old default PVID to the new one, if it still has the
 * old one as it was given: PVID and untagged.  With no old default, @vg
 * takes the new one if it has no PVID.
 */
static int vlan_move_default(struct kbr_vlans *vg, u16 old, u16 new)
{
	const u32 dflt = KBR_VLAN_F_PVID | KBR_VLAN_F_UNTAGGED;
	struct kbr_vlan *v = NULL;
	int err;

	if (old) {
		v = kbr_vlan_find(vg, old);
		if (!v || vg->pvid != old || !(v->flags & KBR_VLAN_F_UNTAGGED))
			return 0;
	} else if (vg->pvid) {
		return 0;	/* no default before: only those without a PVID */
	}
	if (new) {
		err = vlan_set(vg, new, dflt);
		if (err)
			return err;
	}
	if (v)
		vlan_erase(vg, v);
	return 0;
}

/**
 * kbr_vlan_set_default_pvid - change the VLAN new ports join
 * @kbr: the bridge
 * @pvid: 1 to 4094, or 0 for none
 * @extack: for the error message
 *
 * The bridge device and every port that still has the old default as
 * its untagged PVID move to the new one, as the Linux bridge does.
 * Context: RTNL held.
 * Return: 0 or -ENOMEM (some may have moved).
 */
int kbr_vlan_set_default_pvid(struct kbr_bridge *kbr, u16 pvid,
			      struct netlink_ext_ack *extack)
{
	u16 old = kbr->default_pvid;
	struct kbr_port *p;
	int err;

	ASSERT_RTNL();
	if (pvid == old)
		return 0;
	err = vlan_move_default(&kbr->vlans, old, pvid);
	list_for_each_entry(p, &kbr->port_list, list) {
		if (err)
			break;
		err = vlan_move_default(&p->vlans, old, pvid);
		if (!err && old)
			kbr_fdb_flush_vlans(kbr, p, old, old, false);
	}
	if (err) {
		NL_SET_ERR_MSG(extack, "Out of memory moving ports to the new default PVID");
		return err;
	}
	kbr->default_pvid = pvid;
	return 0;
}

/**
 * kbr_vlan_set_filtering - turn VLAN filtering on or off
 * @kbr: the bridge
 * @on: the new setting
 *
 * Learned entries were keyed by VLAN 0, or by the VLANs that no longer
 * apply: they go.  Frames in flight finish with the VLAN their ingress
 * gave them.  Context: RTNL held.
 */
void kbr_vlan_set_filtering(struct kbr_bridge *kbr, bool on)
{
	ASSERT_RTNL();
	if (kbr->vlan_enabled == on)
		return;
	WRITE_ONCE(kbr->vlan_enabled, on);
	kbr_fdb_flush(kbr, NULL, false);
}

/* Context: RTNL held. */
void kbr_vlan_set_proto(struct kbr_bridge *kbr, __be16 proto)
{
	ASSERT_RTNL();
	if (kbr->vlan_proto == proto)
		return;
	WRITE_ONCE(kbr->vlan_proto, proto);
	kbr_fdb_flush(kbr, NULL, false);
}

/*
 * A tag of the other protocol (an 802.1ad tag on an 802.1Q bridge, or the
 * reverse) is not ours to switch on: it goes back into the frame, which
 * counts as untagged.  skb->data is past the Ethernet header.
 */
static struct sk_buff *tag_to_payload(struct sk_buff *skb)
{
	skb_push(skb, ETH_HLEN);
	skb = vlan_insert_tag_set_proto(skb, skb->vlan_proto,
					skb_vlan_tag_get(skb));
	if (unlikely(!skb))
		return NULL;
	skb_pull(skb, ETH_HLEN);
	skb_reset_mac_len(skb);
	__vlan_hwaccel_clear_tag(skb);
	return skb;
}

static void vlan_count(struct kbr_vlan *v, unsigned int len, bool rx)
{
	struct kbr_vlan_stats *s = this_cpu_ptr(v->stats);

	u64_stats_update_begin(&s->syncp);
	if (rx) {
		u64_stats_inc(&s->rx_packets);
		u64_stats_add(&s->rx_bytes, len);
	} else {
		u64_stats_inc(&s->tx_packets);
		u64_stats_add(&s->tx_bytes, len);
	}
	u64_stats_update_end(&s->syncp);
}

/**
 * kbr_vlan_ingress - the VLAN of a frame entering by a port (or from the
 *	host, for the bridge device's memberships)
 * @kbr: the bridge, filtering on
 * @vg: the memberships of where the frame enters
 * @pskb: the frame, data past the Ethernet header; may be replaced, or
 *	NULL when it had to be freed
 * @vid: the VLAN, on success
 *
 * Untagged and priority-tagged frames take the PVID (none: refused); a
 * tagged frame must be of a VLAN @vg is a member of.  On success the
 * frame carries its VLAN in skb->vlan_tci, with the bridge's protocol.
 *
 * Context: rcu_read_lock() held.
 * Return: true to go on; false to drop *@pskb (if any) and count it.
 */
bool kbr_vlan_ingress(const struct kbr_bridge *kbr, struct kbr_vlans *vg,
		      struct sk_buff **pskb, u16 *vid)
{
	__be16 proto = READ_ONCE(kbr->vlan_proto);
	struct sk_buff *skb = *pskb;
	struct kbr_vlan *v;
	u16 id = 0, pvid;

	if (skb_vlan_tag_present(skb)) {
		if (likely(skb->vlan_proto == proto)) {
			id = skb_vlan_tag_get_id(skb);
		} else {
			skb = tag_to_payload(skb);
			*pskb = skb;
			if (unlikely(!skb))
				return false;
		}
	}
	if (!id) {
		pvid = READ_ONCE(vg->pvid);
		if (!pvid)
			return false;
		/* A priority tag keeps its priority. */
		__vlan_hwaccel_put_tag(skb, proto,
				       (skb_vlan_tag_present(skb) ?
					skb->vlan_tci & VLAN_PRIO_MASK : 0) | pvid);
		id = pvid;
	}
	v = kbr_vlan_find(vg, id);
	if (!v)
		return false;
	vlan_count(v, skb->len, true);
	*vid = id;
	return true;
}

/**
 * kbr_vlan_egress - may a frame of @vid leave by @vg's owner, and how
 * @vg: the memberships of the port (or of the bridge device, for frames
 *	going up to the host)
 * @skb: the frame, with its VLAN in skb->vlan_tci
 * @vid: its VLAN
 *
 * Untags the frame where the membership says so and counts it.
 * Context: rcu_read_lock() held.
 * Return: false when @vg is not a member of @vid.
 */
bool kbr_vlan_egress(struct kbr_vlans *vg, struct sk_buff *skb, u16 vid)
{
	struct kbr_vlan *v = kbr_vlan_find(vg, vid);

	if (!v)
		return false;
	if (READ_ONCE(v->flags) & KBR_VLAN_F_UNTAGGED)
		__vlan_hwaccel_clear_tag(skb);
	vlan_count(v, skb->len, false);
	return true;
}

/* Is @vg a member of @vid?  Context: rcu_read_lock() held. */
bool kbr_vlan_member(struct kbr_vlans *vg, u16 vid)
{
	return kbr_vlan_find(vg, vid);
}

/**
 * kbr_vlan_stats - the counters of one membership, summed over CPUs
 * @v: the membership
 * @sum: the sums
 */
void kbr_vlan_stats(const struct kbr_vlan *v, struct kbr_vlan_counts *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct kbr_vlan_stats *s = per_cpu_ptr(v->stats, cpu);
		u64 rxp, rxb, txp, txb;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rxp = u64_stats_read(&s->rx_packets);
			rxb = u64_stats_read(&s->rx_bytes);
			txp = u64_stats_read(&s->tx_packets);
			txb = u64_stats_read(&s->tx_bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->rx_packets += rxp;
		sum->rx_bytes += rxb;
		sum->tx_packets += txp;
		sum->tx_bytes += txb;
	}
}
