// SPDX-License-Identifier: GPL-2.0
/*
 * 802.1D-1998 spanning tree: the protocol's procedures (clause 8.6), what
 * a received BPDU sets off (8.7.1, 8.7.2), and port initialisation,
 * enabling and disabling (8.8.1 to 8.8.3), in the standard's own terms
 * and order.  The timers (8.7.3 to 8.7.8) are in stp_timer.c, the
 * management operations and the glue to ports and the bridge device in
 * stp_if.c.
 *
 * Clause -> function:
 *   8.6.1  Transmit Configuration BPDU     kbr_stp_transmit_config()
 *   8.6.2  Record Configuration Information supersedes_port_info(),
 *                                          record_config_information()
 *   8.6.3  Record Configuration Timeout Values
 *                                          record_config_timeout_values()
 *   8.6.4  Configuration BPDU Generation   kbr_stp_config_bpdu_generation()
 *   8.6.5  Reply to Configuration BPDU     in received_config_bpdu()
 *   8.6.6  Transmit TCN BPDU               kbr_stp_transmit_tcn()
 *   8.6.7  Configuration Update            kbr_stp_configuration_update()
 *   8.6.8  Root Selection                  root_selection()
 *   8.6.9  Designated Port Selection       designated_port_selection()
 *   8.6.10 Become Designated Port          kbr_stp_become_designated_port()
 *   8.6.11 Port State Selection            kbr_stp_port_state_selection()
 *   8.6.12 Make Forwarding                 make_forwarding()
 *   8.6.13 Make Blocking                   make_blocking()
 *   8.6.14 Topology Change Detection       kbr_stp_topology_change_detection()
 *   8.6.15 Topology Change Acknowledged    topology_change_acknowledged()
 *   8.6.16 Acknowledge Topology Change     acknowledge_topology_change()
 *   8.7.1  Received Configuration BPDU     received_config_bpdu(); with
 *          the root's duties taken up or given up (8.7.1, 8.7.4):
 *          become_root(), lose_root(), kbr_stp_root_changed(), and
 *          kbr_stp_reconfigure() (8.6.7 + 8.6.11 after any change)
 *   8.7.2  Received TCN BPDU               received_tcn_bpdu()
 *   8.8.1  Initialisation (of a port)      kbr_stp_initialize_port()
 *   8.8.2  Enable Port                     kbr_stp_enable_port()
 *   8.8.3  Disable Port                    kbr_stp_disable_port()
 *
 * Every function here runs under kbr->stp_lock (see DOC: Locking), but
 * kbr_stp_received() and kbr_stp_rx_bad(), which take it.
 */

#include <linux/etherdevice.h>

#include "kbr_private.h"
#include "stp_private.h"

/* The least a relayed BPDU's message age grows by: 1/256 s. */
#define MESSAGE_AGE_INCR	(HZ / 256 + 1)
#define HOLD_TIME		HZ

/* Defined in clause order, used before. */
static void root_selection(struct kbr_bridge *kbr);
static void designated_port_selection(struct kbr_bridge *kbr);
static void make_forwarding(struct kbr_port *p);
static void make_blocking(struct kbr_port *p);

/**
 * kbr_stp_is_root - is this bridge the root?
 * @kbr: the bridge
 *
 * Context: stp_lock held, or for a snapshot under RTNL.
 * Return: true when the root it knows of is itself.
 */
bool kbr_stp_is_root(const struct kbr_bridge *kbr)
{
	return !kbr_id_cmp(&kbr->designated_root, &kbr->bridge_id);
}

/**
 * kbr_stp_is_designated - does this bridge speak for @p's segment?
 * @p: the port
 *
 * Return: true when @p is the designated port of its segment.
 */
bool kbr_stp_is_designated(const struct kbr_port *p)
{
	return !kbr_id_cmp(&p->designated_bridge, &p->br->bridge_id) &&
	       p->designated_port == p->port_id;
}

/**
 * kbr_stp_port_wants_up - should @p take part?
 * @p: the port
 *
 * Return: true when it, its carrier and the bridge are up and BPDU guard
 * did not trip.
 */
bool kbr_stp_port_wants_up(const struct kbr_port *p)
{
	return netif_running(p->dev) && netif_carrier_ok(p->dev) &&
	       netif_running(p->br->dev) && !p->guard_tripped;
}

/**
 * kbr_stp_set_state - move @p to @state, counted and announced
 * @p: the port
 * @state: a KBR_PORT_STATE_*
 *
 * Announced to kbrctl monitor and, as the Linux bridge announces its
 * ports' transitions, to rtnetlink's link group ("bridge monitor link").
 * Context: stp_lock held.
 */
void kbr_stp_set_state(struct kbr_port *p, u8 state)
{
	if (p->state == state)
		return;
	WRITE_ONCE(p->state, state);
	kbr_dev_carrier_update(p->br);
	if (state == KBR_PORT_STATE_BLOCKING)
		p->stp.to_blocking++;
	else if (state == KBR_PORT_STATE_FORWARDING)
		p->stp.to_forwarding++;
	kbr_nl_notify_stp(p->br, p, KBR_STP_EV_PORT_STATE);
	kbr_rtnl_notify_state(p);
}

/**
 * kbr_stp_set_topology_change - the topology change flag, and the FDB
 * @kbr: the bridge
 * @tc: the flag
 *
 * A topology change ages learned entries in forward delay (8.3.5).
 */
void kbr_stp_set_topology_change(struct kbr_bridge *kbr, bool tc)
{
	bool changed = kbr->topology_change != tc;

	kbr->topology_change = tc;
	/* Never 0: the bridge's own forward delay is at least 2 s while
	 * STP runs, a received one at least a jiffy.
	 */
	kbr_fdb_topology_change(kbr, tc ? kbr->forward_delay : 0);
	if (changed)
		kbr_nl_notify_stp(kbr, NULL, KBR_STP_EV_TOPOLOGY_CHANGE);
}

/**
 * kbr_stp_transmit_config - 8.6.1: a configuration BPDU out of @p
 * @p: the port
 *
 * The hold timer willing; else it is pending until the timer expires.
 */
void kbr_stp_transmit_config(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;
	struct kbr_port *root = kbr->root_port;
	struct kbr_bpdu bpdu;

	if (timer_pending(&p->hold_timer)) {
		p->config_pending = true;
		return;
	}
	bpdu.type = KBR_BPDU_CONFIG;
	bpdu.flags = (kbr->topology_change ? KBR_BPDU_F_TC : 0) |
		     (p->topology_change_ack ? KBR_BPDU_F_TCA : 0);
	bpdu.root = kbr->designated_root;
	bpdu.root_path_cost = kbr->root_path_cost;
	bpdu.bridge = kbr->bridge_id;
	bpdu.port_id = p->port_id;
	bpdu.message_age = 0;
	if (!kbr_stp_is_root(kbr) && root)
		bpdu.message_age = root->rx_message_age +
				   (jiffies - root->rx_time) + MESSAGE_AGE_INCR;
	bpdu.max_age = kbr->max_age;
	bpdu.hello_time = kbr->hello_time;
	bpdu.forward_delay = kbr->forward_delay;

	/* Information as old as max age is dead: it is not passed on. */
	if (bpdu.message_age >= bpdu.max_age)
		return;
	kbr_bpdu_send(p, &bpdu);
	p->stp.config_tx++;
	p->topology_change_ack = false;
	p->config_pending = false;
	kbr_stp_arm(kbr, p, KBR_STP_T_HOLD, HOLD_TIME);
}

/* 8.6.2: does @bpdu carry better information than @p has? */
static bool supersedes_port_info(const struct kbr_port *p,
				 const struct kbr_bpdu *bpdu)
{
	int c;

	c = kbr_id_cmp(&bpdu->root, &p->designated_root);
	if (c)
		return c < 0;
	if (bpdu->root_path_cost != p->designated_cost)
		return bpdu->root_path_cost < p->designated_cost;
	c = kbr_id_cmp(&bpdu->bridge, &p->designated_bridge);
	if (c)
		return c < 0;
	/* The same designated bridge: news from it, unless it is us. */
	return kbr_id_cmp(&bpdu->bridge, &p->br->bridge_id) ||
	       bpdu->port_id <= p->designated_port;
}

/* 8.6.2: remember what the segment's designated bridge says. */
static void record_config_information(struct kbr_port *p,
				      const struct kbr_bpdu *bpdu)
{
	p->designated_root = bpdu->root;
	p->designated_cost = bpdu->root_path_cost;
	p->designated_bridge = bpdu->bridge;
	p->designated_port = bpdu->port_id;
	p->rx_message_age = bpdu->message_age;
	p->rx_time = jiffies;
	kbr_stp_arm(p->br, p, KBR_STP_T_MESSAGE_AGE,
		    bpdu->max_age - bpdu->message_age);
}

/* 8.6.3: the root's timers and topology change flag, from the root port. */
static void record_config_timeout_values(struct kbr_bridge *kbr,
					 const struct kbr_bpdu *bpdu)
{
	kbr->max_age = bpdu->max_age;
	kbr->hello_time = bpdu->hello_time;
	kbr->forward_delay = bpdu->forward_delay;
	kbr_stp_set_topology_change(kbr, bpdu->flags & KBR_BPDU_F_TC);
}

/**
 * kbr_stp_config_bpdu_generation - 8.6.4: a BPDU on every designated port
 * @kbr: the bridge
 */
void kbr_stp_config_bpdu_generation(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	list_for_each_entry(p, &kbr->port_list, list) {
		if (p->state != KBR_PORT_STATE_DISABLED &&
		    kbr_stp_is_designated(p))
			kbr_stp_transmit_config(p);
	}
}

/**
 * kbr_stp_transmit_tcn - 8.6.6: tell the root of a topology change
 * @kbr: the bridge
 *
 * Through the root port.
 */
void kbr_stp_transmit_tcn(struct kbr_bridge *kbr)
{
	struct kbr_port *p = kbr->root_port;

	if (!p)
		return;
	kbr_bpdu_send_tcn(p);
	p->stp.tcn_tx++;
}

/**
 * kbr_stp_configuration_update - 8.6.7: root, then designated ports
 * @kbr: the bridge
 */
void kbr_stp_configuration_update(struct kbr_bridge *kbr)
{
	root_selection(kbr);
	designated_port_selection(kbr);
}

/* Is @p a better root port than @best (8.6.8.3.1)? */
static bool better_root_port(const struct kbr_port *p,
			     const struct kbr_port *best)
{
	struct kbr_bridge *kbr = p->br;
	u64 cost, best_cost;
	int c;

	if (p->state == KBR_PORT_STATE_DISABLED || kbr_stp_is_designated(p) ||
	    kbr_id_cmp(&p->designated_root, &kbr->bridge_id) >= 0)
		return false;
	if (!best)
		return true;
	c = kbr_id_cmp(&p->designated_root, &best->designated_root);
	if (c)
		return c < 0;
	cost = (u64)p->designated_cost + p->path_cost;
	best_cost = (u64)best->designated_cost + best->path_cost;
	if (cost != best_cost)
		return cost < best_cost;
	c = kbr_id_cmp(&p->designated_bridge, &best->designated_bridge);
	if (c)
		return c < 0;
	if (p->designated_port != best->designated_port)
		return p->designated_port < best->designated_port;
	return p->port_id < best->port_id;
}

/*
 * 8.6.8: choose the root port, and with it the root and its cost.  A port
 * under root guard is never chosen: if it would have been, it is "root
 * inconsistent" and stays blocking until its superior information ages
 * out.
 */
static void root_selection(struct kbr_bridge *kbr)
{
	struct kbr_id old_root = kbr->designated_root;
	struct kbr_port *old_port = kbr->root_port;
	struct kbr_port *p, *root = NULL;
	bool inconsistent;

	list_for_each_entry(p, &kbr->port_list, list) {
		if (!(READ_ONCE(p->flags) & KBR_PORT_F_ROOT_GUARD) &&
		    better_root_port(p, root))
			root = p;
	}
	list_for_each_entry(p, &kbr->port_list, list) {
		inconsistent = (READ_ONCE(p->flags) & KBR_PORT_F_ROOT_GUARD) &&
			       better_root_port(p, root);
		if (inconsistent && !p->root_inconsistent)
			p->stp.root_guard++;
		p->root_inconsistent = inconsistent;
	}
	kbr->root_port = root;
	if (!root) {
		kbr->designated_root = kbr->bridge_id;
		kbr->root_path_cost = 0;
	} else {
		kbr->designated_root = root->designated_root;
		kbr->root_path_cost = min_t(u64, U32_MAX,
					    (u64)root->designated_cost +
					    root->path_cost);
	}
	if (root != old_port || kbr_id_cmp(&old_root, &kbr->designated_root))
		kbr_nl_notify_stp(kbr, NULL, KBR_STP_EV_NEW_ROOT);
}

/* 8.6.9.3.1: should this bridge speak for @p's segment? */
static bool should_become_designated(const struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;
	int c;

	if (kbr_stp_is_designated(p) ||
	    kbr_id_cmp(&p->designated_root, &kbr->designated_root))
		return true;
	if (kbr->root_path_cost != p->designated_cost)
		return kbr->root_path_cost < p->designated_cost;
	c = kbr_id_cmp(&kbr->bridge_id, &p->designated_bridge);
	if (c)
		return c < 0;
	return p->port_id < p->designated_port;
}

/* 8.6.9 */
static void designated_port_selection(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	list_for_each_entry(p, &kbr->port_list, list) {
		/* Root guard keeps the superior information it blocks. */
		if (p->state != KBR_PORT_STATE_DISABLED &&
		    !p->root_inconsistent && should_become_designated(p))
			kbr_stp_become_designated_port(p);
	}
}

/**
 * kbr_stp_become_designated_port - 8.6.10: this bridge speaks for @p's segment
 * @p: the port
 */
void kbr_stp_become_designated_port(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;

	p->designated_root = kbr->designated_root;
	p->designated_cost = kbr->root_path_cost;
	p->designated_bridge = kbr->bridge_id;
	p->designated_port = p->port_id;
}

/**
 * kbr_stp_port_state_selection - 8.6.11: each port's state from its role
 * @kbr: the bridge
 */
void kbr_stp_port_state_selection(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	list_for_each_entry(p, &kbr->port_list, list) {
		if (p->state == KBR_PORT_STATE_DISABLED)
			continue;
		if (p == kbr->root_port) {
			p->config_pending = false;
			p->topology_change_ack = false;
			make_forwarding(p);
		} else if (kbr_stp_is_designated(p)) {
			del_timer(&p->message_age_timer);
			make_forwarding(p);
		} else {
			p->config_pending = false;
			p->topology_change_ack = false;
			make_blocking(p);
		}
	}
}

/* 8.6.12 */
static void make_forwarding(struct kbr_port *p)
{
	if (p->state != KBR_PORT_STATE_BLOCKING)
		return;
	kbr_stp_set_state(p, KBR_PORT_STATE_LISTENING);
	kbr_stp_arm(p->br, p, KBR_STP_T_FORWARD_DELAY, p->br->forward_delay);
}

/* 8.6.13 */
static void make_blocking(struct kbr_port *p)
{
	if (p->state == KBR_PORT_STATE_DISABLED ||
	    p->state == KBR_PORT_STATE_BLOCKING)
		return;
	if (p->state == KBR_PORT_STATE_FORWARDING ||
	    p->state == KBR_PORT_STATE_LEARNING)
		kbr_stp_topology_change_detection(p->br);
	kbr_stp_set_state(p, KBR_PORT_STATE_BLOCKING);
	del_timer(&p->forward_delay_timer);
}

/**
 * kbr_stp_topology_change_detection - 8.6.14: a topology change
 * @kbr: the bridge
 *
 * The root starts one; others tell the root.
 */
void kbr_stp_topology_change_detection(struct kbr_bridge *kbr)
{
	bool detected = kbr->topology_change_detected;

	kbr->topology_change_detected = true;
	if (kbr_stp_is_root(kbr)) {
		kbr_stp_set_topology_change(kbr, true);
		kbr_stp_arm(kbr, NULL, KBR_STP_T_TOPOLOGY_CHANGE,
			    kbr->bridge_max_age + kbr->bridge_forward_delay);
	} else if (!detected) {
		kbr_stp_transmit_tcn(kbr);
		kbr_stp_arm(kbr, NULL, KBR_STP_T_TCN, kbr->bridge_hello_time);
	}
}

/* 8.6.15 */
static void topology_change_acknowledged(struct kbr_bridge *kbr)
{
	kbr->topology_change_detected = false;
	del_timer(&kbr->tcn_timer);
}

/* 8.6.16 */
static void acknowledge_topology_change(struct kbr_port *p)
{
	p->topology_change_ack = true;
	kbr_stp_transmit_config(p);
}

/*
 * This bridge has just become the root (8.7.1, 8.7.4): its own timers
 * count now, and it tells everybody.
 */
static void become_root(struct kbr_bridge *kbr)
{
	kbr->max_age = kbr->bridge_max_age;
	kbr->hello_time = kbr->bridge_hello_time;
	kbr->forward_delay = kbr->bridge_forward_delay;
	kbr_stp_topology_change_detection(kbr);
	del_timer(&kbr->tcn_timer);
	kbr_stp_config_bpdu_generation(kbr);
	kbr_stp_arm(kbr, NULL, KBR_STP_T_HELLO, kbr->hello_time);
}

/*
 * This bridge is no longer the root (8.7.1): it stops sending hellos and
 * tells the new root of a topology change it is still signalling.
 */
static void lose_root(struct kbr_bridge *kbr)
{
	del_timer(&kbr->hello_timer);
	if (kbr->topology_change_detected) {
		del_timer(&kbr->topology_change_timer);
		kbr_stp_transmit_tcn(kbr);
		kbr_stp_arm(kbr, NULL, KBR_STP_T_TCN, kbr->bridge_hello_time);
	}
}

/**
 * kbr_stp_root_changed - keep the root's duties where they belong
 * @kbr: the bridge
 * @was_root: whether it was the root before the change
 *
 * Whoever changed the tree calls this after it.
 */
void kbr_stp_root_changed(struct kbr_bridge *kbr, bool was_root)
{
	bool is_root = kbr_stp_is_root(kbr);

	if (is_root && !was_root)
		become_root(kbr);
	else if (!is_root && was_root)
		lose_root(kbr);
}

/**
 * kbr_stp_reconfigure - work the tree out again after a change
 * @kbr: the bridge
 *
 * 8.6.7 and 8.6.11, then the root's duties.
 */
void kbr_stp_reconfigure(struct kbr_bridge *kbr)
{
	bool was_root = kbr_stp_is_root(kbr);

	kbr_stp_configuration_update(kbr);
	kbr_stp_port_state_selection(kbr);
	kbr_stp_root_changed(kbr, was_root);
}

/* 8.7.1: a configuration BPDU came in on @p. */
static void received_config_bpdu(struct kbr_port *p,
				 const struct kbr_bpdu *bpdu)
{
	struct kbr_bridge *kbr = p->br;

	if (!supersedes_port_info(p, bpdu)) {
		if (kbr_stp_is_designated(p))
			kbr_stp_transmit_config(p);	/* 8.6.5: reply */
		return;
	}
	record_config_information(p, bpdu);
	kbr_stp_reconfigure(kbr);
	if (p == kbr->root_port) {
		record_config_timeout_values(kbr, bpdu);
		kbr_stp_config_bpdu_generation(kbr);
		if (bpdu->flags & KBR_BPDU_F_TCA)
			topology_change_acknowledged(kbr);
	}
}

/* 8.7.2: a topology change notification came in on @p. */
static void received_tcn_bpdu(struct kbr_port *p)
{
	if (!kbr_stp_is_designated(p))
		return;
	kbr_stp_topology_change_detection(p->br);
	acknowledge_topology_change(p);
}

/**
 * kbr_stp_initialize_port - 8.8.1: @p joins as a blocking designated port
 * @p: the port
 */
void kbr_stp_initialize_port(struct kbr_port *p)
{
	kbr_stp_become_designated_port(p);
	kbr_stp_set_state(p, KBR_PORT_STATE_BLOCKING);
	p->topology_change_ack = false;
	p->config_pending = false;
	del_timer(&p->message_age_timer);
	del_timer(&p->forward_delay_timer);
	del_timer(&p->hold_timer);
}

/**
 * kbr_stp_enable_port - 8.8.2: @p takes part in the protocol
 * @p: the port
 */
void kbr_stp_enable_port(struct kbr_port *p)
{
	kbr_stp_initialize_port(p);
	kbr_stp_port_state_selection(p->br);
}

/**
 * kbr_stp_disable_port - 8.8.3: @p takes part no more
 * @p: the port
 */
void kbr_stp_disable_port(struct kbr_port *p)
{
	kbr_stp_become_designated_port(p);
	kbr_stp_set_state(p, KBR_PORT_STATE_DISABLED);
	p->topology_change_ack = false;
	p->config_pending = false;
	del_timer(&p->message_age_timer);
	del_timer(&p->forward_delay_timer);
	del_timer(&p->hold_timer);
	kbr_stp_reconfigure(p->br);
}

/* BPDU guard: a BPDU on an edge port takes the port out. */
static void bpdu_guard_trip(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;

	p->guard_tripped = true;
	p->stp.bpdu_guard++;
	if (net_ratelimit())
		netdev_notice(kbr->dev, "BPDU guard: BPDU on port %u(%s), port disabled\n",
			      p->port_no, p->dev->name);
	if (kbr_stp_rstp(kbr))
		kbr_rstp_port_update(p, false);
	else
		kbr_stp_disable_port(p);
	if (kbr->guard_recovery)
		kbr_stp_arm(kbr, p, KBR_STP_T_GUARD, kbr->guard_recovery);
}

/**
 * kbr_stp_received - a BPDU, decoded, came in on @p
 * @p: the port
 * @bpdu: what it says
 *
 * An 802.1D-1998 bridge takes configuration and TCN BPDUs of version 0
 * only, as the Linux bridge does, and counts others as malformed; an
 * RSTP bridge takes every kind (9.3.4).
 * Context: softirq, rcu_read_lock() held.
 * Return: false for a BPDU counted as malformed.
 */
bool kbr_stp_received(struct kbr_port *p, const struct kbr_bpdu *bpdu)
{
	struct kbr_bridge *kbr = p->br;
	bool ok = true;

	spin_lock(&kbr->stp_lock);
	if (!kbr_stp_rstp(kbr) && bpdu->version != KBR_BPDU_VERSION_STP) {
		p->stp.rx_bad++;
		ok = false;
		goto out;
	}
	if (!kbr->stp_running || p->state == KBR_PORT_STATE_DISABLED)
		goto out;
	if (READ_ONCE(p->flags) & KBR_PORT_F_BPDU_GUARD) {
		bpdu_guard_trip(p);
		goto out;
	}
	if (kbr_stp_rstp(kbr)) {
		kbr_rstp_received(p, bpdu);
	} else if (bpdu->type == KBR_BPDU_TCN) {
		p->stp.tcn_rx++;
		received_tcn_bpdu(p);
	} else {
		p->stp.config_rx++;
		received_config_bpdu(p, bpdu);
	}
out:
	spin_unlock(&kbr->stp_lock);
	return ok;
}

/**
 * kbr_stp_rx_bad - count a malformed BPDU
 * @p: the port it came in on
 *
 * Context: softirq.
 */
void kbr_stp_rx_bad(struct kbr_port *p)
{
	spin_lock(&p->br->stp_lock);
	p->stp.rx_bad++;
	spin_unlock(&p->br->stp_lock);
}
