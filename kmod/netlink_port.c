// SPDX-License-Identifier: GPL-2.0
/*
 * The kbridge family's port object: its message (dumps and events) and
 * the PORT_GET, PORT_NEW, PORT_DEL and PORT_SET commands.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "kbr_private.h"

/* The size of the port message fill_port() writes. */
static size_t port_msg_size(void)
{
	return kbr_nl_bridge_id_size() +
	       kbr_nl_port_id_size() +
	       nla_total_size(sizeof(u16)) +		/* PORT_NO */
	       nla_total_size(sizeof(u32)) +		/* FLAGS */
	       2 * nla_total_size(sizeof(u32)) +	/* FDB_{MAX_,}LEARNED */
	       3 * nla_total_size_64bit(sizeof(u64)) +	/* counters */
	       kbr_nl_port_stp_size();
}

static int fill_port(struct sk_buff *skb, struct kbr_port *p,
		     u32 portid, u32 seq, int flags, u8 cmd,
		     struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	ASSERT_RTNL();
	hdr = genlmsg_put(skb, portid, seq, &kbr_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (kbr_nl_put_bridge_id(skb, p->br))
		goto nla_put_failure;

	nest = kbr_nl_start_port_id(skb, p);
	if (!nest ||
	    nla_put_u16(skb, KBR_PORT_A_PORT_NO, p->port_no) ||
	    nla_put_u32(skb, KBR_PORT_A_FLAGS, p->flags) ||
	    nla_put_u32(skb, KBR_PORT_A_FDB_MAX_LEARNED, p->fdb_max_learned) ||
	    nla_put_u32(skb, KBR_PORT_A_FDB_LEARNED,
			READ_ONCE(p->fdb_learned)) ||
	    nla_put_u64_64bit(skb, KBR_PORT_A_FDB_LEARN_REFUSED,
			      atomic64_read(&p->fdb_refused), KBR_PORT_A_PAD) ||
	    nla_put_u64_64bit(skb, KBR_PORT_A_FDB_EVICTED,
			      atomic64_read(&p->fdb_evicted), KBR_PORT_A_PAD) ||
	    nla_put_u64_64bit(skb, KBR_PORT_A_VLAN_DROPPED,
			      atomic64_read(&p->vlan_dropped), KBR_PORT_A_PAD) ||
	    kbr_nl_put_port_stp(skb, p))
		goto nla_put_failure;
	nla_nest_end(skb, nest);

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * kbr_nl_notify_port - announce a port on the events group
 * @p: the port
 * @cmd: %KBR_CMD_PORT_NEW or %KBR_CMD_PORT_DEL
 *
 * Context: RTNL held.
 */
void kbr_nl_notify_port(struct kbr_port *p, u8 cmd)
{
	struct net *net = dev_net(p->br->dev);
	struct sk_buff *skb;

	ASSERT_RTNL();
	if (!kbr_nl_listening(net))
		return;
	skb = genlmsg_new(port_msg_size(), GFP_KERNEL);
	if (!skb)
		return;
	if (WARN_ON_ONCE(fill_port(skb, p, 0, 0, 0, cmd, NULL))) {
		nlmsg_free(skb);
		return;
	}
	kbr_nl_multicast(net, skb, GFP_KERNEL);
}

/* The ports of one bridge, in port-number order, resumed by position. */
int kbr_nl_port_get_dumpit(struct sk_buff *skb,
			   struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	long idx = 0, s_idx = cb->args[0];
	struct kbr_bridge *kbr;
	struct kbr_port *p;
	int err = 0;

	rtnl_lock();
	kbr = kbr_nl_bridge_get(sock_net(skb->sk), info->attrs, cb->extack);
	if (IS_ERR(kbr)) {
		err = PTR_ERR(kbr);
		goto out;
	}
	cb->seq = kbr->dev->ifindex;
	list_for_each_entry(p, &kbr->port_list, list) {
		if (idx++ < s_idx)
			continue;
		err = fill_port(skb, p, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI,
				KBR_CMD_PORT_GET, cb);
		if (err) {
			idx--;
			break;
		}
	}
	cb->args[0] = idx;
out:
	rtnl_unlock();
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}

/*
 * The doits run under RTNL with the bridge and the port (or the device to
 * enslave) resolved: see kbr_nl_pre_doit() and the ops table in netlink.c.
 */
int kbr_nl_port_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return kbr_port_add(kbr_nl_bridge(info), kbr_nl_port_dev(info),
			    info->extack);
}

int kbr_nl_port_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return kbr_port_del(kbr_nl_bridge(info), kbr_nl_port_dev(info),
			    info->extack);
}

int kbr_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kbr_port *p = kbr_nl_port(info);
	struct nlattr *tb[KBR_PORT_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, KBR_PORT_A_MAX, info->attrs[KBR_A_PORT],
			       kbr_port_set_policy, info->extack);
	if (err)
		return err;
	if (!!tb[KBR_PORT_A_FLAGS] != !!tb[KBR_PORT_A_FLAGS_MASK]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KBR_A_PORT],
				    "Port flags and their mask go together");
		return -EINVAL;
	}
	if (tb[KBR_PORT_A_PATH_COST]) {
		err = kbr_stp_check_path_cost(p, tb[KBR_PORT_A_PATH_COST],
					      info->extack);
		if (err)
			return err;
	}
	if (tb[KBR_PORT_A_MCHECK] && !kbr_stp_runs_rstp(p->br)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KBR_PORT_A_MCHECK],
				    "The bridge does not run RSTP: mcheck needs it up with RSTP on");
		return -EOPNOTSUPP;
	}
	if (tb[KBR_PORT_A_FLAGS])
		kbr_port_set_flags(p, nla_get_u32(tb[KBR_PORT_A_FLAGS]),
				   nla_get_u32(tb[KBR_PORT_A_FLAGS_MASK]));
	/* Lowering the cap keeps what was learned: it ages out as usual. */
	if (tb[KBR_PORT_A_FDB_MAX_LEARNED])
		WRITE_ONCE(p->fdb_max_learned,
			   nla_get_u32(tb[KBR_PORT_A_FDB_MAX_LEARNED]));
	if (tb[KBR_PORT_A_PRIORITY])
		kbr_stp_set_port_priority(p, nla_get_u8(tb[KBR_PORT_A_PRIORITY]));
	if (tb[KBR_PORT_A_PATH_COST])
		kbr_stp_set_path_cost(p, nla_get_u32(tb[KBR_PORT_A_PATH_COST]));
	if (tb[KBR_PORT_A_P2P])
		kbr_stp_set_p2p(p, nla_get_u8(tb[KBR_PORT_A_P2P]));
	if (tb[KBR_PORT_A_MCHECK])
		kbr_stp_port_mcheck(p);
	return 0;
}
