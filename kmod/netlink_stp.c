// SPDX-License-Identifier: GPL-2.0
/*
 * The kbridge family's spanning tree attributes: the bridge's and a
 * port's STP state as parts of their messages, and the STP event.
 */

#include <net/genetlink.h>

#include "kbr_private.h"

/* ms left on @t, 0 when it is not running. */
static u32 timer_left_ms(const struct timer_list *t)
{
	long left;

	if (!timer_pending(t))
		return 0;
	left = (long)(READ_ONCE(t->expires) - jiffies);
	return left > 0 ? jiffies_to_msecs(left) : 0;
}

/* The room kbr_nl_put_bridge_stp() takes. */
size_t kbr_nl_bridge_stp_size(void)
{
	return 3 * nla_total_size(sizeof(u32)) +	/* the three times */
	       nla_total_size(sizeof(struct kbr_id)) +	/* ROOT_ID */
	       nla_total_size(sizeof(u16)) +		/* ROOT_PORT */
	       nla_total_size(sizeof(u32)) +		/* ROOT_PATH_COST */
	       3 * nla_total_size(sizeof(u32)) +	/* CUR_ times */
	       2 * nla_total_size(sizeof(u8)) +		/* TOPOLOGY_CHANGE* */
	       4 * nla_total_size(sizeof(u32)) +	/* the four timers */
	       nla_total_size(sizeof(u32)) +		/* BPDU_GUARD_RECOVERY */
	       nla_total_size(sizeof(u8));		/* TX_HOLD_COUNT */
}

/* The bridge's spanning tree state, one consistent snapshot. */
int kbr_nl_put_bridge_stp(struct sk_buff *skb, struct kbr_bridge *kbr)
{
	int err;

	spin_lock_bh(&kbr->stp_lock);
	err = nla_put_u32(skb, KBR_BR_A_MAX_AGE,
			  jiffies_to_msecs(kbr->bridge_max_age)) ||
	      nla_put_u32(skb, KBR_BR_A_HELLO_TIME,
			  jiffies_to_msecs(kbr->bridge_hello_time)) ||
	      nla_put_u32(skb, KBR_BR_A_FORWARD_DELAY,
			  jiffies_to_msecs(kbr->bridge_forward_delay)) ||
	      nla_put(skb, KBR_BR_A_ROOT_ID, sizeof(kbr->designated_root),
		      kbr->designated_root.b) ||
	      nla_put_u16(skb, KBR_BR_A_ROOT_PORT,
			  kbr->root_port ? kbr->root_port->port_no : 0) ||
	      nla_put_u32(skb, KBR_BR_A_ROOT_PATH_COST, kbr->root_path_cost) ||
	      nla_put_u32(skb, KBR_BR_A_CUR_MAX_AGE,
			  jiffies_to_msecs(kbr->max_age)) ||
	      nla_put_u32(skb, KBR_BR_A_CUR_HELLO_TIME,
			  jiffies_to_msecs(kbr->hello_time)) ||
	      nla_put_u32(skb, KBR_BR_A_CUR_FORWARD_DELAY,
			  jiffies_to_msecs(kbr->forward_delay)) ||
	      nla_put_u8(skb, KBR_BR_A_TOPOLOGY_CHANGE, kbr->topology_change) ||
	      nla_put_u8(skb, KBR_BR_A_TOPOLOGY_CHANGE_DETECTED,
			 kbr->topology_change_detected) ||
	      nla_put_u32(skb, KBR_BR_A_HELLO_TIMER,
			  timer_left_ms(&kbr->hello_timer)) ||
	      nla_put_u32(skb, KBR_BR_A_TCN_TIMER,
			  timer_left_ms(&kbr->tcn_timer)) ||
	      nla_put_u32(skb, KBR_BR_A_TOPOLOGY_CHANGE_TIMER,
			  timer_left_ms(&kbr->topology_change_timer)) ||
	      nla_put_u32(skb, KBR_BR_A_GC_TIMER,
			  timer_left_ms(&kbr->gc_work.timer)) ||
	      nla_put_u32(skb, KBR_BR_A_BPDU_GUARD_RECOVERY,
			  jiffies_to_msecs(kbr->guard_recovery)) ||
	      nla_put_u8(skb, KBR_BR_A_TX_HOLD_COUNT, kbr->tx_hold_count);
	spin_unlock_bh(&kbr->stp_lock);
	return err ? -EMSGSIZE : 0;
}

/* The room kbr_nl_put_port_stp() takes. */
size_t kbr_nl_port_stp_size(void)
{
	return 2 * nla_total_size(sizeof(u8)) +		/* STATE, PRIORITY */
	       nla_total_size(sizeof(u32)) +		/* PATH_COST */
	       nla_total_size(sizeof(u16)) +		/* PORT_ID */
	       2 * nla_total_size(sizeof(struct kbr_id)) + /* ROOT, BRIDGE */
	       nla_total_size(sizeof(u16)) +		/* DESIGNATED_PORT */
	       nla_total_size(sizeof(u32)) +		/* DESIGNATED_COST */
	       3 * nla_total_size(sizeof(u32)) +	/* the three timers */
	       nla_total_size(sizeof(u32)) +		/* STP_FLAGS */
	       2 * nla_total_size(sizeof(u8)) +		/* STP_ROLE, P2P */
	       nla_total_size(0) +			/* STP_COUNTERS */
	       19 * nla_total_size_64bit(sizeof(u64));	/* KBR_STP_C_* */
}

/* A port's spanning tree state, one consistent snapshot. */
int kbr_nl_put_port_stp(struct sk_buff *skb, struct kbr_port *p)
{
	struct kbr_stp_counters c;
	struct nlattr *nest;
	bool rstp;
	u32 flags;
	int err;

	spin_lock_bh(&p->br->stp_lock);
	c = p->stp;
	/* In the machines, the port has the id and role they give it. */
	rstp = !!p->rstp.br;
	flags = (p->topology_change_ack ? KBR_PORT_STP_F_TOPOLOGY_CHANGE_ACK : 0) |
		(p->config_pending ? KBR_PORT_STP_F_CONFIG_PENDING : 0) |
		(p->guard_tripped ? KBR_PORT_STP_F_BPDU_GUARD_TRIPPED : 0) |
		(p->root_inconsistent ? KBR_PORT_STP_F_ROOT_INCONSISTENT : 0);
	if (rstp && p->rstp.oper_edge)
		flags |= KBR_PORT_STP_F_OPER_EDGE;
	if (rstp && p->rstp.oper_p2p)
		flags |= KBR_PORT_STP_F_OPER_P2P;
	if (rstp && p->rstp.send_rstp)
		flags |= KBR_PORT_STP_F_SEND_RSTP;
	if (rstp && p->rstp.loop_inconsistent)
		flags |= KBR_PORT_STP_F_LOOP_INCONSISTENT;
	err = nla_put_u8(skb, KBR_PORT_A_STATE, p->state) ||
	      nla_put_u8(skb, KBR_PORT_A_PRIORITY, p->priority) ||
	      nla_put_u32(skb, KBR_PORT_A_PATH_COST, p->path_cost) ||
	      nla_put_u16(skb, KBR_PORT_A_PORT_ID,
			  rstp ? p->rstp.port_id : p->port_id) ||
	      (rstp && nla_put_u8(skb, KBR_PORT_A_STP_ROLE, p->rstp.role)) ||
	      nla_put_u8(skb, KBR_PORT_A_P2P, p->p2p) ||
	      nla_put(skb, KBR_PORT_A_DESIGNATED_ROOT,
		      sizeof(p->designated_root), p->designated_root.b) ||
	      nla_put(skb, KBR_PORT_A_DESIGNATED_BRIDGE,
		      sizeof(p->designated_bridge), p->designated_bridge.b) ||
	      nla_put_u16(skb, KBR_PORT_A_DESIGNATED_PORT, p->designated_port) ||
	      nla_put_u32(skb, KBR_PORT_A_DESIGNATED_COST, p->designated_cost) ||
	      nla_put_u32(skb, KBR_PORT_A_MESSAGE_AGE_TIMER,
			  timer_left_ms(&p->message_age_timer)) ||
	      nla_put_u32(skb, KBR_PORT_A_FORWARD_DELAY_TIMER,
			  timer_left_ms(&p->forward_delay_timer)) ||
	      nla_put_u32(skb, KBR_PORT_A_HOLD_TIMER,
			  timer_left_ms(&p->hold_timer)) ||
	      nla_put_u32(skb, KBR_PORT_A_STP_FLAGS, flags);
	spin_unlock_bh(&p->br->stp_lock);
	if (err)
		return -EMSGSIZE;

	nest = nla_nest_start(skb, KBR_PORT_A_STP_COUNTERS);
	if (!nest ||
	    nla_put_u64_64bit(skb, KBR_STP_C_CONFIG_RX, c.config_rx,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_CONFIG_TX, c.config_tx,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TCN_RX, c.tcn_rx, KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TCN_TX, c.tcn_tx, KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_RX_BAD, c.rx_bad, KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TO_BLOCKING, c.to_blocking,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TO_FORWARDING, c.to_forwarding,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_BPDU_GUARD, c.bpdu_guard,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_ROOT_GUARD, c.root_guard,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_RST_RX, c.rst_rx, KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_RST_TX, c.rst_tx, KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TO_STP, c.to_stp, KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_PROPOSAL_RX, c.proposal_rx,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_PROPOSAL_TX, c.proposal_tx,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_AGREEMENT_RX, c.agreement_rx,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_AGREEMENT_TX, c.agreement_tx,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_TC_FLUSH, c.tc_flush,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_ROLE_UNKNOWN_RX, c.role_unknown_rx,
			      KBR_STP_C_PAD) ||
	    nla_put_u64_64bit(skb, KBR_STP_C_LOOP_GUARD, c.loop_guard,
			      KBR_STP_C_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The STP event's size: the event, the bridge's root, the port's state. */
static size_t stp_event_size(void)
{
	return nla_total_size(sizeof(u8)) +		/* KBR_A_STP_EVENT */
	       nla_total_size(0) +			/* KBR_A_BRIDGE */
	       nla_total_size(sizeof(u32)) +		/* IFINDEX */
	       nla_total_size(sizeof(struct kbr_id)) +	/* ROOT_ID */
	       nla_total_size(sizeof(u16)) +		/* ROOT_PORT */
	       nla_total_size(sizeof(u32)) +		/* ROOT_PATH_COST */
	       nla_total_size(sizeof(u8)) +		/* TOPOLOGY_CHANGE */
	       nla_total_size(0) +			/* KBR_A_PORT */
	       nla_total_size(sizeof(u32)) +		/* IFINDEX */
	       nla_total_size(sizeof(u16)) +		/* PORT_NO */
	       nla_total_size(sizeof(u8)) +		/* STATE */
	       nla_total_size(sizeof(u8));		/* STP_ROLE */
}

/**
 * kbr_nl_notify_stp - announce spanning tree news on the events group
 * @kbr: the bridge
 * @p: the port whose state changed, or NULL
 * @event: enum kbr_stp_event
 *
 * Context: stp_lock held (softirq, or BH disabled).
 */
void kbr_nl_notify_stp(struct kbr_bridge *kbr, const struct kbr_port *p,
		       u8 event)
{
	struct net *net = dev_net(kbr->dev);
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	lockdep_assert_held(&kbr->stp_lock);
	if (!kbr_nl_listening(net))
		return;
	skb = genlmsg_new(stp_event_size(), GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &kbr_genl_family, 0, KBR_CMD_STP_EVENT);
	if (!hdr || nla_put_u8(skb, KBR_A_STP_EVENT, event))
		goto err_free;
	nest = nla_nest_start(skb, KBR_A_BRIDGE);
	if (!nest || nla_put_u32(skb, KBR_BR_A_IFINDEX, kbr->dev->ifindex) ||
	    nla_put(skb, KBR_BR_A_ROOT_ID, sizeof(kbr->designated_root),
		    kbr->designated_root.b) ||
	    nla_put_u16(skb, KBR_BR_A_ROOT_PORT,
			kbr->root_port ? kbr->root_port->port_no : 0) ||
	    nla_put_u32(skb, KBR_BR_A_ROOT_PATH_COST, kbr->root_path_cost) ||
	    nla_put_u8(skb, KBR_BR_A_TOPOLOGY_CHANGE, kbr->topology_change))
		goto err_free;
	nla_nest_end(skb, nest);
	if (p) {
		nest = nla_nest_start(skb, KBR_A_PORT);
		if (!nest ||
		    nla_put_u32(skb, KBR_PORT_A_IFINDEX, p->dev->ifindex) ||
		    nla_put_u16(skb, KBR_PORT_A_PORT_NO, p->port_no) ||
		    nla_put_u8(skb, KBR_PORT_A_STATE, p->state) ||
		    (event == KBR_STP_EV_PORT_ROLE &&
		     nla_put_u8(skb, KBR_PORT_A_STP_ROLE, p->rstp_role)))
			goto err_free;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	kbr_nl_multicast(net, skb, GFP_ATOMIC);
	return;

err_free:
	/* Only a message larger than its size ends here. */
	WARN_ON_ONCE(1);
	nlmsg_free(skb);
}
