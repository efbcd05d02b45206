// SPDX-License-Identifier: GPL-2.0
/*
 * The kbridge family's bridge object: its message (GET replies, dumps,
 * events) and the BR_GET, BR_NEW, BR_DEL and BR_SET commands.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "kbr_private.h"

/* The size of the bridge message fill_bridge() writes. */
static size_t bridge_msg_size(void)
{
	return nla_total_size(0) +			/* KBR_A_BRIDGE */
	       nla_total_size(sizeof(u32)) +		/* IFINDEX */
	       nla_total_size(IFNAMSIZ) +		/* IFNAME */
	       nla_total_size(ETH_ALEN) +		/* ADDRESS */
	       nla_total_size(sizeof(u16)) +		/* PRIORITY */
	       2 * nla_total_size(sizeof(u8)) +		/* STP_{ENABLED,MODE} */
	       nla_total_size(sizeof(u32)) +		/* AGEING_TIME */
	       2 * nla_total_size(sizeof(u32)) +	/* FDB_{MAX_,}LEARNED */
	       nla_total_size(sizeof(u8)) +		/* FDB_POLICY */
	       2 * nla_total_size(sizeof(u32)) +	/* FDB_{MAX_,}STATIC */
	       5 * nla_total_size_64bit(sizeof(u64)) +	/* FDB counters */
	       nla_total_size(sizeof(u8)) +		/* VLAN_FILTERING */
	       2 * nla_total_size(sizeof(u16)) +	/* PROTOCOL, PVID */
	       kbr_nl_bridge_stp_size();
}

static int fill_bridge(struct sk_buff *skb, struct kbr_bridge *kbr,
		       u32 portid, u32 seq, int flags, u8 cmd,
		       struct netlink_callback *cb)
{
	const struct net_device *dev = kbr->dev;
	struct nlattr *nest;
	void *hdr;

	ASSERT_RTNL();
	hdr = genlmsg_put(skb, portid, seq, &kbr_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	nest = nla_nest_start(skb, KBR_A_BRIDGE);
	if (!nest)
		goto nla_put_failure;
	if (nla_put_u32(skb, KBR_BR_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, KBR_BR_A_IFNAME, dev->name) ||
	    nla_put(skb, KBR_BR_A_ADDRESS, ETH_ALEN, dev->dev_addr) ||
	    nla_put_u16(skb, KBR_BR_A_PRIORITY, kbr->priority) ||
	    nla_put_u8(skb, KBR_BR_A_STP_ENABLED, kbr->stp_enabled) ||
	    nla_put_u8(skb, KBR_BR_A_STP_MODE, kbr->stp_mode) ||
	    nla_put_u32(skb, KBR_BR_A_AGEING_TIME,
			jiffies_to_msecs(kbr->ageing_time)) ||
	    nla_put_u32(skb, KBR_BR_A_FDB_MAX_LEARNED, kbr->fdb_max_learned) ||
	    nla_put_u8(skb, KBR_BR_A_FDB_POLICY, kbr->fdb_policy) ||
	    nla_put_u64_64bit(skb, KBR_BR_A_FDB_EVICTED,
			      atomic64_read(&kbr->fdb_evicted), KBR_BR_A_PAD) ||
	    nla_put_u32(skb, KBR_BR_A_FDB_MAX_STATIC, kbr->fdb_max_static) ||
	    nla_put_u32(skb, KBR_BR_A_FDB_STATIC, READ_ONCE(kbr->fdb_static)) ||
	    nla_put_u64_64bit(skb, KBR_BR_A_FDB_STATIC_REFUSED,
			      atomic64_read(&kbr->fdb_static_refused),
			      KBR_BR_A_PAD) ||
	    nla_put_u32(skb, KBR_BR_A_FDB_LEARNED,
			READ_ONCE(kbr->fdb_learned)) ||
	    nla_put_u64_64bit(skb, KBR_BR_A_FDB_LEARN_REFUSED,
			      atomic64_read(&kbr->fdb_refused), KBR_BR_A_PAD) ||
	    nla_put_u64_64bit(skb, KBR_BR_A_FDB_LEARN_NOMEM,
			      atomic64_read(&kbr->fdb_nomem), KBR_BR_A_PAD) ||
	    nla_put_u64_64bit(skb, KBR_BR_A_FDB_MOVES,
			      atomic64_read(&kbr->fdb_moves), KBR_BR_A_PAD) ||
	    nla_put_u8(skb, KBR_BR_A_VLAN_FILTERING, kbr->vlan_enabled) ||
	    nla_put_u16(skb, KBR_BR_A_VLAN_PROTOCOL, ntohs(kbr->vlan_proto)) ||
	    nla_put_u16(skb, KBR_BR_A_DEFAULT_PVID, kbr->default_pvid) ||
	    kbr_nl_put_bridge_stp(skb, kbr))
		goto nla_put_failure;
	nla_nest_end(skb, nest);

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * kbr_nl_notify_bridge - announce a bridge on the events group
 * @kbr: the bridge
 * @cmd: %KBR_CMD_BR_NEW or %KBR_CMD_BR_DEL
 *
 * Context: RTNL held.
 */
void kbr_nl_notify_bridge(struct kbr_bridge *kbr, u8 cmd)
{
	struct net *net = dev_net(kbr->dev);
	struct sk_buff *skb;

	ASSERT_RTNL();
	if (!kbr_nl_listening(net))
		return;

	skb = genlmsg_new(bridge_msg_size(), GFP_KERNEL);
	if (!skb)
		return;
	if (WARN_ON_ONCE(fill_bridge(skb, kbr, 0, 0, 0, cmd, NULL))) {
		nlmsg_free(skb);
		return;
	}
	kbr_nl_multicast(net, skb, GFP_KERNEL);
}

/*
 * The doits run under RTNL, GET, DEL and SET with the bridge resolved:
 * see kbr_nl_pre_doit() and the ops table in netlink.c.
 */
int kbr_nl_br_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(bridge_msg_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = fill_bridge(msg, kbr_nl_bridge(info), info->snd_portid,
			  info->snd_seq, 0, KBR_CMD_BR_GET, NULL);
	if (WARN_ON_ONCE(err)) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dump every kbridge of the namespace, resuming by position in the device
 * list.  Under RTNL, as rtnetlink's link dumps: a device's name and
 * address change under it.  dev_base_seq tells userspace when the list
 * changed between two parts of the dump.
 */
int kbr_nl_br_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct net *net = sock_net(skb->sk);
	long idx = 0, s_idx = cb->args[0];
	struct net_device *dev;
	int err = 0;

	if (info->attrs[KBR_A_BRIDGE]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, info->attrs[KBR_A_BRIDGE],
				    "A dump takes no bridge; use a GET request");
		return -EINVAL;
	}

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (idx < s_idx || !kbr_is_bridge(dev)) {
			idx++;
			continue;
		}
		err = fill_bridge(skb, netdev_priv(dev),
				  NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  KBR_CMD_BR_GET, cb);
		if (err)
			break;
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;

	/* A full skb ends this part of the dump; the next resumes at idx. */
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}

int kbr_nl_br_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KBR_BR_A_MAX + 1];
	struct net_device *dev;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBR_A_BRIDGE)) {
		NL_SET_ERR_MSG(info->extack, "Bridge attribute is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KBR_BR_A_MAX, info->attrs[KBR_A_BRIDGE],
			       kbr_br_new_policy, info->extack);
	if (err)
		return err;
	if (!tb[KBR_BR_A_IFNAME]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[KBR_A_BRIDGE],
				     KBR_BR_A_IFNAME);
		NL_SET_ERR_MSG(info->extack, "Bridge name is required");
		return -EINVAL;
	}

	dev = kbr_dev_create(genl_info_net(info),
			     nla_data(tb[KBR_BR_A_IFNAME]), info->extack);
	return PTR_ERR_OR_ZERO(dev);
}

int kbr_nl_br_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kbr_bridge *kbr = kbr_nl_bridge(info);

	/* brctl's rule; "ip link del" removes a bridge that is up. */
	if (kbr->dev->flags & IFF_UP) {
		NL_SET_ERR_MSG(info->extack, "Bridge is up; set it down first");
		return -EBUSY;
	}
	kbr_dev_delete(kbr->dev);
	return 0;
}

int kbr_nl_br_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kbr_bridge *kbr = kbr_nl_bridge(info);
	struct nlattr *tb[KBR_BR_A_MAX + 1];
	u32 max_age, hello, fd, recovery = 0;
	u16 proto = 0;
	u8 txhold = 0, mode;
	bool enabled;
	int err;

	err = nla_parse_nested(tb, KBR_BR_A_MAX, info->attrs[KBR_A_BRIDGE],
			       kbr_br_set_policy, info->extack);
	if (err)
		return err;
	/* Every check before the first change: a refused request changes
	 * nothing.  After it, only memory running short can fail.
	 */
	if (tb[KBR_BR_A_MAX_AGE])
		max_age = nla_get_u32(tb[KBR_BR_A_MAX_AGE]);
	if (tb[KBR_BR_A_HELLO_TIME])
		hello = nla_get_u32(tb[KBR_BR_A_HELLO_TIME]);
	if (tb[KBR_BR_A_FORWARD_DELAY])
		fd = nla_get_u32(tb[KBR_BR_A_FORWARD_DELAY]);
	/* A port BPDU guard took out comes back no sooner than 1 s. */
	if (tb[KBR_BR_A_BPDU_GUARD_RECOVERY]) {
		recovery = nla_get_u32(tb[KBR_BR_A_BPDU_GUARD_RECOVERY]);
		if (recovery && recovery < MSEC_PER_SEC) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KBR_BR_A_BPDU_GUARD_RECOVERY],
					    "BPDU guard recovery must be 0 or at least 1 second");
			return -ERANGE;
		}
	}
	if (tb[KBR_BR_A_TX_HOLD_COUNT]) {
		txhold = nla_get_u8(tb[KBR_BR_A_TX_HOLD_COUNT]);
		if (txhold < KBR_MIN_TX_HOLD_COUNT ||
		    txhold > KBR_MAX_TX_HOLD_COUNT) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KBR_BR_A_TX_HOLD_COUNT],
					    "TX hold count must be 1 to 10");
			return -ERANGE;
		}
	}
	if (tb[KBR_BR_A_VLAN_PROTOCOL]) {
		proto = nla_get_u16(tb[KBR_BR_A_VLAN_PROTOCOL]);
		if (proto != KBR_VLAN_PROTO_8021Q &&
		    proto != KBR_VLAN_PROTO_8021AD) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KBR_BR_A_VLAN_PROTOCOL],
					    "VLAN protocol must be 802.1Q (0x8100) or 802.1ad (0x88a8)");
			return -EINVAL;
		}
	}
	/* The forward delay's range is that of the mode asked for. */
	mode = tb[KBR_BR_A_STP_MODE] ? nla_get_u8(tb[KBR_BR_A_STP_MODE]) :
				       kbr->stp_mode;
	enabled = tb[KBR_BR_A_STP_ENABLED] ?
		  nla_get_u8(tb[KBR_BR_A_STP_ENABLED]) : kbr->stp_enabled;
	err = kbr_stp_check_timers(tb[KBR_BR_A_MAX_AGE] ? &max_age : NULL,
				   tb[KBR_BR_A_HELLO_TIME] ? &hello : NULL,
				   tb[KBR_BR_A_FORWARD_DELAY] ? &fd : NULL,
				   mode, enabled, info->extack);
	if (err)
		return err;
	/* The first change, and the only one that can fail: when memory
	 * is short.
	 */
	if (tb[KBR_BR_A_DEFAULT_PVID]) {
		err = kbr_vlan_set_default_pvid(kbr,
						nla_get_u16(tb[KBR_BR_A_DEFAULT_PVID]),
						info->extack);
		if (err)
			return err;
	}
	if (proto)
		kbr_vlan_set_proto(kbr, htons(proto));
	if (tb[KBR_BR_A_VLAN_FILTERING])
		kbr_vlan_set_filtering(kbr,
				       nla_get_u8(tb[KBR_BR_A_VLAN_FILTERING]));
	/* STP off, then the new mode (which clamps the old forward delay
	 * into its range), then the times checked for it, then STP on:
	 * no protocol ever runs with times checked for another.
	 */
	if (tb[KBR_BR_A_STP_ENABLED] && !enabled)
		kbr_stp_set_enabled(kbr, false);
	if (tb[KBR_BR_A_STP_MODE])
		kbr_stp_set_mode(kbr, mode);
	kbr_stp_set_timers(kbr, tb[KBR_BR_A_MAX_AGE] ? &max_age : NULL,
			   tb[KBR_BR_A_HELLO_TIME] ? &hello : NULL,
			   tb[KBR_BR_A_FORWARD_DELAY] ? &fd : NULL);
	if (tb[KBR_BR_A_STP_ENABLED] && enabled)
		kbr_stp_set_enabled(kbr, true);
	if (tb[KBR_BR_A_PRIORITY])
		kbr_stp_set_bridge_id(kbr, nla_get_u16(tb[KBR_BR_A_PRIORITY]),
				      kbr->dev->dev_addr);
	if (tb[KBR_BR_A_BPDU_GUARD_RECOVERY])
		kbr_stp_set_guard_recovery(kbr, recovery);
	if (txhold)
		kbr_stp_set_tx_hold_count(kbr, txhold);
	if (tb[KBR_BR_A_AGEING_TIME])
		kbr_fdb_set_ageing(kbr, msecs_to_jiffies(nla_get_u32(tb[KBR_BR_A_AGEING_TIME])));
	/* Lowering the cap keeps what was learned: it ages out as usual. */
	if (tb[KBR_BR_A_FDB_MAX_LEARNED])
		WRITE_ONCE(kbr->fdb_max_learned,
			   nla_get_u32(tb[KBR_BR_A_FDB_MAX_LEARNED]));
	if (tb[KBR_BR_A_FDB_POLICY])
		WRITE_ONCE(kbr->fdb_policy,
			   nla_get_u8(tb[KBR_BR_A_FDB_POLICY]));
	/* Only requests add static entries, under RTNL, as this is. */
	if (tb[KBR_BR_A_FDB_MAX_STATIC])
		kbr->fdb_max_static = nla_get_u32(tb[KBR_BR_A_FDB_MAX_STATIC]);
	return 0;
}
