// SPDX-License-Identifier: GPL-2.0
/*
 * VLANs through rtnetlink's PF_BRIDGE hooks (rtnl_bridge.c): what "bridge
 * vlan show" reads of a port's or the bridge device's memberships, in the
 * Linux bridge's IFLA_AF_SPEC format, and the memberships "bridge vlan
 * add" and "bridge vlan del" give in it.
 */

#include <linux/if_bridge.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "kbr_private.h"

/* One IFLA_BRIDGE_VLAN_INFO, or the two that give a range. */
static int put_vlan_range(struct sk_buff *skb, u16 first, u16 last,
			  u16 flags)
{
	struct bridge_vlan_info vi = { .flags = flags, .vid = first };

	if (first != last) {
		vi.flags |= BRIDGE_VLAN_INFO_RANGE_BEGIN;
		if (nla_put(skb, IFLA_BRIDGE_VLAN_INFO, sizeof(vi), &vi))
			return -EMSGSIZE;
		vi.flags = flags | BRIDGE_VLAN_INFO_RANGE_END;
		vi.vid = last;
	}
	return nla_put(skb, IFLA_BRIDGE_VLAN_INFO, sizeof(vi), &vi);
}

/*
 * @vg's memberships as IFLA_BRIDGE_VLAN_INFO attributes, in VLAN order,
 * each with BRIDGE_VLAN_INFO_PVID and _UNTAGGED as they apply; @fold
 * gives consecutive VLANs with the same flags as one range, as "bridge
 * -compressvlans vlan show" asks (RTEXT_FILTER_BRVLAN_COMPRESSED).
 */
static int put_vlans(struct sk_buff *skb, const struct kbr_vlans *vg,
		     bool fold)
{
	u16 first = 0, last = 0, first_flags = 0, flags;
	const struct kbr_vlan *v;

	for (v = kbr_vlan_next(vg, 0); v; v = kbr_vlan_next(vg, v->vid + 1)) {
		flags = 0;
		if (v->vid == vg->pvid)
			flags |= BRIDGE_VLAN_INFO_PVID;
		if (v->flags & KBR_VLAN_F_UNTAGGED)
			flags |= BRIDGE_VLAN_INFO_UNTAGGED;
		if (fold && first && v->vid == last + 1 &&
		    flags == first_flags) {
			last = v->vid;
			continue;
		}
		if (first && put_vlan_range(skb, first, last, first_flags))
			return -EMSGSIZE;
		first = v->vid;
		last = v->vid;
		first_flags = flags;
	}
	return first ? put_vlan_range(skb, first, last, first_flags) : 0;
}

/**
 * kbr_rtnl_put_vlans - IFLA_AF_SPEC with @vg's VLANs, if asked for
 * @skb: the message being filled
 * @vg: the memberships of a port or of the bridge device
 * @filter_mask: RTEXT_FILTER_BRVLAN (one VLAN an attribute) or
 *	RTEXT_FILTER_BRVLAN_COMPRESSED (ranges folded), else nothing to put
 * @fresh: @skb held nothing before this message
 *
 * kbr_rtnl_get_size() gives a dump room for one VLAN an attribute (32 KiB
 * for a trunk in every VLAN), but VLANs may be added between its sizing
 * and the dump: when they then do not fit in an empty message, they go
 * folded into ranges, as -compressvlans asks, rather than failing the
 * whole dump.
 *
 * Context: RTNL held.
 * Return: 0, or -EMSGSIZE with nothing of the attribute left in @skb.
 */
int kbr_rtnl_put_vlans(struct sk_buff *skb, const struct kbr_vlans *vg,
		       u32 filter_mask, bool fresh)
{
	bool fold = filter_mask & RTEXT_FILTER_BRVLAN_COMPRESSED;
	struct nlattr *af;
	int err;

	if (!(filter_mask & (RTEXT_FILTER_BRVLAN |
			     RTEXT_FILTER_BRVLAN_COMPRESSED)) || !vg->count)
		return 0;
	af = nla_nest_start_noflag(skb, IFLA_AF_SPEC);
	if (!af)
		return -EMSGSIZE;
	err = put_vlans(skb, vg, fold);
	if (err && !fold && fresh) {
		nla_nest_cancel(skb, af);
		af = nla_nest_start_noflag(skb, IFLA_AF_SPEC);
		if (!af)
			return -EMSGSIZE;
		err = put_vlans(skb, vg, true);
	}
	if (err) {
		nla_nest_cancel(skb, af);
		return err;
	}
	nla_nest_end(skb, af);
	return 0;
}

/**
 * kbr_rtnl_get_size - rtnl_link_ops.get_size: room for "bridge vlan show"
 * @dev: a kbridge
 *
 * kbridge puts nothing in IFLA_INFO_DATA.  What this sizes is the longest
 * VLAN list, one attribute a VLAN, of the bridge device and its ports:
 * rtnetlink gives a link dump's messages the room of its largest device's
 * (rtnl_calcit(), from each device's link type), and that is the room
 * kbr_rtnl_getlink() needs for a port in many VLANs (the Linux bridge's
 * own hook does the same for its ports).  It is the bridge's to say, not
 * the port's: a port without a link type of its own (a NIC) is never
 * asked.  The price: the bridge device's link messages are allocated as
 * large, and are not filled.
 *
 * Context: RCU or RTNL; the counts may be changing (READ_ONCE()).
 */
size_t kbr_rtnl_get_size(const struct net_device *dev)
{
	const struct kbr_bridge *kbr = netdev_priv(dev);
	const struct kbr_port *p;
	u16 most;

	rcu_read_lock();
	most = READ_ONCE(kbr->vlans.count);
	list_for_each_entry_rcu(p, &kbr->port_list, list)
		most = max(most, READ_ONCE(p->vlans.count));
	rcu_read_unlock();
	return most * nla_total_size(sizeof(struct bridge_vlan_info));
}

/* The VLAN flags "bridge vlan add" sends that kbridge takes. */
#define KBR_BRVLAN_FLAGS (BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED | \
			  BRIDGE_VLAN_INFO_RANGE_BEGIN | \
			  BRIDGE_VLAN_INFO_RANGE_END)

/*
 * Check one IFLA_BRIDGE_VLAN_INFO @a, where @begin is the range it would
 * end (or NULL): its size, VLAN id, flags and place in a range.
 */
static int check_vlan_info(const struct nlattr *a,
			   const struct bridge_vlan_info *begin,
			   struct netlink_ext_ack *extack)
{
	const struct bridge_vlan_info *vi = nla_data(a);

	if (nla_len(a) != sizeof(*vi)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Malformed VLAN info");
		return -EINVAL;
	}
	if (vi->flags & ~KBR_BRVLAN_FLAGS) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "kbridge does not support this VLAN flag");
		return -EOPNOTSUPP;
	}
	if (!vi->vid || vi->vid >= VLAN_VID_MASK) {
		NL_SET_ERR_MSG_ATTR(extack, a, "The VLAN id must be 1 to 4094");
		return -EINVAL;
	}
	if (begin && (vi->flags & BRIDGE_VLAN_INFO_RANGE_BEGIN)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "A VLAN range begins inside another");
		return -EINVAL;
	}
	if (begin && !(vi->flags & BRIDGE_VLAN_INFO_RANGE_END)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "A VLAN range begins and does not end");
		return -EINVAL;
	}
	if (begin && vi->vid <= begin->vid) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "The VLAN range ends before it starts");
		return -EINVAL;
	}
	if (!begin && (vi->flags & BRIDGE_VLAN_INFO_RANGE_END)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "A VLAN range ends that did not begin");
		return -EINVAL;
	}
	if ((vi->flags & BRIDGE_VLAN_INFO_RANGE_BEGIN) &&
	    (vi->flags & BRIDGE_VLAN_INFO_PVID)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "A PVID is a single VLAN, not a range");
		return -EINVAL;
	}
	return 0;
}

/**
 * kbr_rtnl_af_vlans - check or apply the VLANs of "bridge vlan add/del"
 * @kbr: the bridge
 * @p: the port, or NULL for the bridge device itself ("self")
 * @spec: IFLA_AF_SPEC: IFLA_BRIDGE_VLAN_INFO (ranges as BEGIN/END pairs)
 *	and IFLA_BRIDGE_FLAGS ("master", "self")
 * @add: add them (RTM_SETLINK), else delete them (RTM_DELLINK)
 * @apply: false to check every one, so that a refused request changes
 *	nothing; true, after that check, to change them
 * @changed: set when @apply changed anything
 * @extack: for the error message, or NULL
 *
 * Deleting a VLAN that is no member is no error, as with the Linux bridge.
 *
 * Context: RTNL held.
 * Return: 0, -EINVAL, -EOPNOTSUPP, or -ENOMEM from kbr_vlan_add().
 */
int kbr_rtnl_af_vlans(struct kbr_bridge *kbr, struct kbr_port *p,
		      const struct nlattr *spec, bool add, bool apply,
		      bool *changed, struct netlink_ext_ack *extack)
{
	const struct bridge_vlan_info *vi, *begin = NULL;
	const struct nlattr *a;
	u32 flags;
	int rem, err;

	nla_for_each_nested(a, spec, rem) {
		switch (nla_type(a)) {
		case IFLA_BRIDGE_FLAGS:
			continue;
		case IFLA_BRIDGE_VLAN_INFO:
			break;
		case IFLA_BRIDGE_VLAN_TUNNEL_INFO:
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "kbridge has no vlan_tunnel");
			return -EOPNOTSUPP;
		default:
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "kbridge does not support this bridge setting");
			return -EOPNOTSUPP;
		}
		if (!apply) {
			err = check_vlan_info(a, begin, extack);
			if (err)
				return err;
		}
		vi = nla_data(a);
		if (vi->flags & BRIDGE_VLAN_INFO_RANGE_BEGIN) {
			begin = vi;
			continue;
		}
		if (!begin)
			begin = vi;
		if (apply) {
			flags = 0;
			if (begin->flags & BRIDGE_VLAN_INFO_PVID)
				flags |= KBR_VLAN_F_PVID;
			if (begin->flags & BRIDGE_VLAN_INFO_UNTAGGED)
				flags |= KBR_VLAN_F_UNTAGGED;
			if (add)
				err = kbr_vlan_add(kbr, p, begin->vid, vi->vid,
						   flags, extack);
			else
				err = kbr_vlan_del(kbr, p, begin->vid, vi->vid,
						   NULL);
			if (!err)
				*changed = true;
			else if (add || err != -ENOENT)
				return err;
		}
		begin = NULL;
	}
	if (begin) {
		NL_SET_ERR_MSG_ATTR(extack, spec,
				    "A VLAN range begins and does not end");
		return -EINVAL;
	}
	return 0;
}
