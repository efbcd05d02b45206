// SPDX-License-Identifier: GPL-2.0
/*
 * 802.1D (1998) spanning tree in the kernel: the protocol's procedures
 * (clause 8.6) and timers (8.7), in the standard's own terms, and the glue
 * to ports, the bridge device and the FDB.
 *
 * Every static function here runs under kbr->stp_lock (see DOC: Locking);
 * the exported ones say what they take.
 */

#include <linux/etherdevice.h>
#include <linux/ethtool.h>

#include "kbr_private.h"

/* The least a relayed BPDU's message age grows by: 1/256 s. */
#define MESSAGE_AGE_INCR	(HZ / 256 + 1)
#define HOLD_TIME		HZ

static int id_cmp(const struct kbr_id *a, const struct kbr_id *b)
{
	return memcmp(a->b, b->b, sizeof(a->b));
}

/* Called with stp_lock held, or for a snapshot under RTNL. */
bool kbr_stp_is_root(const struct kbr_bridge *kbr)
{
	return !id_cmp(&kbr->designated_root, &kbr->bridge_id);
}

static bool is_designated(const struct kbr_port *p)
{
	return !id_cmp(&p->designated_bridge, &p->br->bridge_id) &&
	       p->designated_port == p->port_id;
}

static void set_state(struct kbr_port *p, u8 state)
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
}

/* The ageing time in use; the FDB collector files entries again. */
static void set_fdb_ageing(struct kbr_bridge *kbr, unsigned long ageing)
{
	if (kbr->fdb_ageing == ageing)
		return;
	WRITE_ONCE(kbr->fdb_ageing, ageing);
	kbr_fdb_ageing_changed(kbr);
}

/* A topology change ages learned entries in forward delay (8.3.5). */
static void set_topology_change(struct kbr_bridge *kbr, bool tc)
{
	bool changed = kbr->topology_change != tc;

	kbr->topology_change = tc;
	set_fdb_ageing(kbr, tc ? kbr->forward_delay : kbr->ageing_time);
	if (changed)
		kbr_nl_notify_stp(kbr, NULL, KBR_STP_EV_TOPOLOGY_CHANGE);
}

/* 8.6.1: send a configuration BPDU out of @p, the hold timer willing. */
static void transmit_config(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;
	struct kbr_port *root = kbr->root_port;
	struct kbr_config_bpdu bpdu;

	if (timer_pending(&p->hold_timer)) {
		p->config_pending = true;
		return;
	}
	bpdu.topology_change = kbr->topology_change;
	bpdu.topology_change_ack = p->topology_change_ack;
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
	kbr_bpdu_send_config(p, &bpdu);
	p->stp.config_tx++;
	p->topology_change_ack = false;
	p->config_pending = false;
	mod_timer(&p->hold_timer, jiffies + HOLD_TIME);
}

/* 8.6.2: does @bpdu carry better information than @p has? */
static bool supersedes_port_info(const struct kbr_port *p,
				 const struct kbr_config_bpdu *bpdu)
{
	int c;

	c = id_cmp(&bpdu->root, &p->designated_root);
	if (c)
		return c < 0;
	if (bpdu->root_path_cost != p->designated_cost)
		return bpdu->root_path_cost < p->designated_cost;
	c = id_cmp(&bpdu->bridge, &p->designated_bridge);
	if (c)
		return c < 0;
	/* The same designated bridge: news from it, unless it is us. */
	return id_cmp(&bpdu->bridge, &p->br->bridge_id) ||
	       bpdu->port_id <= p->designated_port;
}

/* 8.6.2: remember what the segment's designated bridge says. */
static void record_config_information(struct kbr_port *p,
				      const struct kbr_config_bpdu *bpdu)
{
	p->designated_root = bpdu->root;
	p->designated_cost = bpdu->root_path_cost;
	p->designated_bridge = bpdu->bridge;
	p->designated_port = bpdu->port_id;
	p->rx_message_age = bpdu->message_age;
	p->rx_time = jiffies;
	mod_timer(&p->message_age_timer,
		  jiffies + bpdu->max_age - bpdu->message_age);
}

/* 8.6.3: the root's timers and topology change flag, from the root port. */
static void record_config_timeout_values(struct kbr_bridge *kbr,
					 const struct kbr_config_bpdu *bpdu)
{
	kbr->max_age = bpdu->max_age;
	kbr->hello_time = bpdu->hello_time;
	kbr->forward_delay = bpdu->forward_delay;
	set_topology_change(kbr, bpdu->topology_change);
}

/* 8.6.4: a configuration BPDU on every designated port. */
static void config_bpdu_generation(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	list_for_each_entry(p, &kbr->port_list, list) {
		if (p->state != KBR_PORT_STATE_DISABLED && is_designated(p))
			transmit_config(p);
	}
}

/* 8.6.6: tell the root, through the root port, of a topology change. */
static void transmit_tcn(struct kbr_bridge *kbr)
{
	struct kbr_port *p = kbr->root_port;

	if (!p)
		return;
	kbr_bpdu_send_tcn(p);
	p->stp.tcn_tx++;
}

/* Is @p a better root port than @best (8.6.8.3.1)? */
static bool better_root_port(const struct kbr_port *p,
			     const struct kbr_port *best)
{
	struct kbr_bridge *kbr = p->br;
	u64 cost, best_cost;
	int c;

	if (p->state == KBR_PORT_STATE_DISABLED || is_designated(p) ||
	    id_cmp(&p->designated_root, &kbr->bridge_id) >= 0)
		return false;
	if (!best)
		return true;
	c = id_cmp(&p->designated_root, &best->designated_root);
	if (c)
		return c < 0;
	cost = (u64)p->designated_cost + p->path_cost;
	best_cost = (u64)best->designated_cost + best->path_cost;
	if (cost != best_cost)
		return cost < best_cost;
	c = id_cmp(&p->designated_bridge, &best->designated_bridge);
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
	if (root != old_port || id_cmp(&old_root, &kbr->designated_root))
		kbr_nl_notify_stp(kbr, NULL, KBR_STP_EV_NEW_ROOT);
}

/* 8.6.10: this bridge speaks for @p's segment. */
static void become_designated_port(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;

	p->designated_root = kbr->designated_root;
	p->designated_cost = kbr->root_path_cost;
	p->designated_bridge = kbr->bridge_id;
	p->designated_port = p->port_id;
}

/* 8.6.9.3.1: should this bridge speak for @p's segment? */
static bool should_become_designated(const struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;
	int c;

	if (is_designated(p) ||
	    id_cmp(&p->designated_root, &kbr->designated_root))
		return true;
	if (kbr->root_path_cost != p->designated_cost)
		return kbr->root_path_cost < p->designated_cost;
	c = id_cmp(&kbr->bridge_id, &p->designated_bridge);
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
			become_designated_port(p);
	}
}

/* 8.6.7 */
static void configuration_update(struct kbr_bridge *kbr)
{
	root_selection(kbr);
	designated_port_selection(kbr);
}

/* 8.6.14: the root starts a topology change; others tell the root. */
static void topology_change_detection(struct kbr_bridge *kbr)
{
	if (kbr_stp_is_root(kbr)) {
		set_topology_change(kbr, true);
		mod_timer(&kbr->topology_change_timer,
			  jiffies + kbr->bridge_max_age +
			  kbr->bridge_forward_delay);
	} else if (!kbr->topology_change_detected) {
		transmit_tcn(kbr);
		mod_timer(&kbr->tcn_timer, jiffies + kbr->bridge_hello_time);
	}
	kbr->topology_change_detected = true;
}

/* 8.6.12 */
static void make_forwarding(struct kbr_port *p)
{
	if (p->state != KBR_PORT_STATE_BLOCKING)
		return;
	set_state(p, KBR_PORT_STATE_LISTENING);
	mod_timer(&p->forward_delay_timer, jiffies + p->br->forward_delay);
}

/* 8.6.13 */
static void make_blocking(struct kbr_port *p)
{
	if (p->state == KBR_PORT_STATE_DISABLED ||
	    p->state == KBR_PORT_STATE_BLOCKING)
		return;
	if (p->state == KBR_PORT_STATE_FORWARDING ||
	    p->state == KBR_PORT_STATE_LEARNING)
		topology_change_detection(p->br);
	set_state(p, KBR_PORT_STATE_BLOCKING);
	del_timer(&p->forward_delay_timer);
}

/* 8.6.11 */
static void port_state_selection(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	list_for_each_entry(p, &kbr->port_list, list) {
		if (p->state == KBR_PORT_STATE_DISABLED)
			continue;
		if (p == kbr->root_port) {
			p->config_pending = false;
			p->topology_change_ack = false;
			make_forwarding(p);
		} else if (is_designated(p)) {
			del_timer(&p->message_age_timer);
			make_forwarding(p);
		} else {
			p->config_pending = false;
			p->topology_change_ack = false;
			make_blocking(p);
		}
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
	transmit_config(p);
}

/*
 * This bridge has just become the root (8.6.1.3.3, 8.7.5): its own timers
 * count now, and it tells everybody.
 */
static void become_root(struct kbr_bridge *kbr)
{
	kbr->max_age = kbr->bridge_max_age;
	kbr->hello_time = kbr->bridge_hello_time;
	kbr->forward_delay = kbr->bridge_forward_delay;
	topology_change_detection(kbr);
	del_timer(&kbr->tcn_timer);
	config_bpdu_generation(kbr);
	mod_timer(&kbr->hello_timer, jiffies + kbr->hello_time);
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
		transmit_tcn(kbr);
		mod_timer(&kbr->tcn_timer, jiffies + kbr->bridge_hello_time);
	}
}

/* Whoever changed the tree: keep the root's duties where they belong. */
static void root_changed(struct kbr_bridge *kbr, bool was_root)
{
	bool is_root = kbr_stp_is_root(kbr);

	if (is_root && !was_root)
		become_root(kbr);
	else if (!is_root && was_root)
		lose_root(kbr);
}

/* Work the tree out again after a setting changed. */
static void reconfigure(struct kbr_bridge *kbr)
{
	bool was_root = kbr_stp_is_root(kbr);

	configuration_update(kbr);
	port_state_selection(kbr);
	root_changed(kbr, was_root);
}

/* 8.7.1: a configuration BPDU came in on @p. */
static void received_config_bpdu(struct kbr_port *p,
				 const struct kbr_config_bpdu *bpdu)
{
	struct kbr_bridge *kbr = p->br;
	bool was_root = kbr_stp_is_root(kbr);

	if (!supersedes_port_info(p, bpdu)) {
		if (is_designated(p))
			transmit_config(p);	/* 8.6.5: reply */
		return;
	}
	record_config_information(p, bpdu);
	configuration_update(kbr);
	port_state_selection(kbr);
	root_changed(kbr, was_root);
	if (p == kbr->root_port) {
		record_config_timeout_values(kbr, bpdu);
		config_bpdu_generation(kbr);
		if (bpdu->topology_change_ack)
			topology_change_acknowledged(kbr);
	}
}

/* 8.7.2: a topology change notification came in on @p. */
static void received_tcn_bpdu(struct kbr_port *p)
{
	if (!is_designated(p))
		return;
	topology_change_detection(p->br);
	acknowledge_topology_change(p);
}

/* 8.8.1: a port joins the protocol as a blocking designated port. */
static void initialize_port(struct kbr_port *p)
{
	become_designated_port(p);
	set_state(p, KBR_PORT_STATE_BLOCKING);
	p->topology_change_ack = false;
	p->config_pending = false;
	del_timer(&p->message_age_timer);
	del_timer(&p->forward_delay_timer);
	del_timer(&p->hold_timer);
}

/* 8.8.2 */
static void enable_port(struct kbr_port *p)
{
	initialize_port(p);
	port_state_selection(p->br);
}

/* 8.8.3 */
static void disable_port(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;
	bool was_root = kbr_stp_is_root(kbr);

	become_designated_port(p);
	set_state(p, KBR_PORT_STATE_DISABLED);
	p->topology_change_ack = false;
	p->config_pending = false;
	del_timer(&p->message_age_timer);
	del_timer(&p->forward_delay_timer);
	del_timer(&p->hold_timer);
	configuration_update(kbr);
	port_state_selection(kbr);
	root_changed(kbr, was_root);
}

/* 8.7.3 */
static void hello_timer_expired(struct timer_list *t)
{
	struct kbr_bridge *kbr = from_timer(kbr, t, hello_timer);

	spin_lock(&kbr->stp_lock);
	if (kbr->stp_running) {
		config_bpdu_generation(kbr);
		mod_timer(&kbr->hello_timer, jiffies + kbr->hello_time);
	}
	spin_unlock(&kbr->stp_lock);
}

/* 8.7.4 */
static void tcn_timer_expired(struct timer_list *t)
{
	struct kbr_bridge *kbr = from_timer(kbr, t, tcn_timer);

	spin_lock(&kbr->stp_lock);
	if (kbr->stp_running) {
		transmit_tcn(kbr);
		mod_timer(&kbr->tcn_timer, jiffies + kbr->bridge_hello_time);
	}
	spin_unlock(&kbr->stp_lock);
}

/* 8.7.5 */
static void topology_change_timer_expired(struct timer_list *t)
{
	struct kbr_bridge *kbr = from_timer(kbr, t, topology_change_timer);

	spin_lock(&kbr->stp_lock);
	if (kbr->stp_running) {
		kbr->topology_change_detected = false;
		set_topology_change(kbr, false);
	}
	spin_unlock(&kbr->stp_lock);
}

/* 8.7.6: the designated bridge of @p's segment went silent. */
static void message_age_timer_expired(struct timer_list *t)
{
	struct kbr_port *p = from_timer(p, t, message_age_timer);
	struct kbr_bridge *kbr = p->br;
	bool was_root;

	spin_lock(&kbr->stp_lock);
	if (!kbr->stp_running || p->state == KBR_PORT_STATE_DISABLED ||
	    is_designated(p))
		goto out;
	was_root = kbr_stp_is_root(kbr);
	become_designated_port(p);
	configuration_update(kbr);
	port_state_selection(kbr);
	root_changed(kbr, was_root);
out:
	spin_unlock(&kbr->stp_lock);
}

static bool designated_for_some_port(const struct kbr_bridge *kbr)
{
	const struct kbr_port *p;

	list_for_each_entry(p, &kbr->port_list, list) {
		if (p->state != KBR_PORT_STATE_DISABLED &&
		    !id_cmp(&p->designated_bridge, &kbr->bridge_id))
			return true;
	}
	return false;
}

/* 8.7.7: listening, then learning, then forwarding. */
static void forward_delay_timer_expired(struct timer_list *t)
{
	struct kbr_port *p = from_timer(p, t, forward_delay_timer);
	struct kbr_bridge *kbr = p->br;

	spin_lock(&kbr->stp_lock);
	if (!kbr->stp_running)
		goto out;
	if (p->state == KBR_PORT_STATE_LISTENING) {
		set_state(p, KBR_PORT_STATE_LEARNING);
		mod_timer(&p->forward_delay_timer, jiffies + kbr->forward_delay);
	} else if (p->state == KBR_PORT_STATE_LEARNING) {
		set_state(p, KBR_PORT_STATE_FORWARDING);
		if (designated_for_some_port(kbr))
			topology_change_detection(kbr);
	}
out:
	spin_unlock(&kbr->stp_lock);
}

/* 8.7.8 */
static void hold_timer_expired(struct timer_list *t)
{
	struct kbr_port *p = from_timer(p, t, hold_timer);
	struct kbr_bridge *kbr = p->br;

	spin_lock(&kbr->stp_lock);
	if (kbr->stp_running && p->state != KBR_PORT_STATE_DISABLED &&
	    p->config_pending)
		transmit_config(p);
	spin_unlock(&kbr->stp_lock);
}

/* Should @p take part: it, its carrier and the bridge are up, BPDU
 * guard did not trip?
 */
static bool port_wants_up(const struct kbr_port *p)
{
	return netif_running(p->dev) && netif_carrier_ok(p->dev) &&
	       netif_running(p->br->dev) && !p->guard_tripped;
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
	disable_port(p);
	if (kbr->guard_recovery)
		mod_timer(&p->guard_timer, jiffies + kbr->guard_recovery);
}

static void guard_timer_expired(struct timer_list *t)
{
	struct kbr_port *p = from_timer(p, t, guard_timer);
	struct kbr_bridge *kbr = p->br;

	spin_lock(&kbr->stp_lock);
	if (p->guard_tripped) {
		p->guard_tripped = false;
		if (kbr->stp_running && port_wants_up(p) &&
		    p->state == KBR_PORT_STATE_DISABLED)
			enable_port(p);
	}
	spin_unlock(&kbr->stp_lock);
}

/* 8.8.1, for the whole bridge: start the protocol. */
static void stp_start_locked(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	kbr->stp_running = true;
	kbr->designated_root = kbr->bridge_id;
	kbr->root_path_cost = 0;
	kbr->root_port = NULL;
	kbr->max_age = kbr->bridge_max_age;
	kbr->hello_time = kbr->bridge_hello_time;
	kbr->forward_delay = kbr->bridge_forward_delay;
	kbr->topology_change_detected = false;
	set_topology_change(kbr, false);
	del_timer(&kbr->tcn_timer);
	del_timer(&kbr->topology_change_timer);
	list_for_each_entry(p, &kbr->port_list, list) {
		if (port_wants_up(p)) {
			initialize_port(p);
		} else {
			become_designated_port(p);
			set_state(p, KBR_PORT_STATE_DISABLED);
		}
	}
	port_state_selection(kbr);
	config_bpdu_generation(kbr);
	mod_timer(&kbr->hello_timer, jiffies + kbr->hello_time);
}

/*
 * Stop the protocol: no timer acts any more (the caller stops them for
 * good outside the lock), ports forward if STP is off and they are up.
 */
static void stp_stop_locked(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	kbr->stp_running = false;
	del_timer(&kbr->hello_timer);
	del_timer(&kbr->tcn_timer);
	del_timer(&kbr->topology_change_timer);
	kbr->topology_change_detected = false;
	set_topology_change(kbr, false);
	kbr->designated_root = kbr->bridge_id;
	kbr->root_path_cost = 0;
	kbr->root_port = NULL;
	kbr->max_age = kbr->bridge_max_age;
	kbr->hello_time = kbr->bridge_hello_time;
	kbr->forward_delay = kbr->bridge_forward_delay;
	list_for_each_entry(p, &kbr->port_list, list) {
		del_timer(&p->message_age_timer);
		del_timer(&p->forward_delay_timer);
		del_timer(&p->hold_timer);
		p->topology_change_ack = false;
		p->config_pending = false;
		/* The guards' verdicts end with the protocol run they
		 * came from: a bridge down and up starts clean.
		 */
		p->guard_tripped = false;
		p->root_inconsistent = false;
		become_designated_port(p);
		set_state(p, !kbr->stp_enabled && port_wants_up(p) ?
			  KBR_PORT_STATE_FORWARDING : KBR_PORT_STATE_DISABLED);
	}
}

/* Outside stp_lock, once nothing re-arms them. */
static void sync_port_timers(struct kbr_port *p)
{
	del_timer_sync(&p->message_age_timer);
	del_timer_sync(&p->forward_delay_timer);
	del_timer_sync(&p->hold_timer);
	del_timer_sync(&p->guard_timer);
}

static void sync_timers(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	ASSERT_RTNL();
	del_timer_sync(&kbr->hello_timer);
	del_timer_sync(&kbr->tcn_timer);
	del_timer_sync(&kbr->topology_change_timer);
	list_for_each_entry(p, &kbr->port_list, list)
		sync_port_timers(p);
}

/**
 * kbr_stp_start - the bridge device came up
 * @kbr: the bridge
 *
 * Context: RTNL held.
 */
void kbr_stp_start(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	if (kbr->stp_enabled) {
		stp_start_locked(kbr);
	} else {
		list_for_each_entry(p, &kbr->port_list, list)
			set_state(p, port_wants_up(p) ?
				  KBR_PORT_STATE_FORWARDING :
				  KBR_PORT_STATE_DISABLED);
	}
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_stop - the bridge device went down: every port is disabled
 * @kbr: the bridge
 *
 * Context: RTNL held; the device is no longer running.
 */
void kbr_stp_stop(struct kbr_bridge *kbr)
{
	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	stp_stop_locked(kbr);
	spin_unlock_bh(&kbr->stp_lock);
	sync_timers(kbr);
}

/**
 * kbr_stp_set_enabled - turn spanning tree on or off
 * @kbr: the bridge
 * @on: the new setting
 *
 * Turning it on clamps the forward delay to its range, as the Linux bridge
 * does; ports start over from blocking.  Turning it off puts every port
 * that is up in forwarding at once.  Context: RTNL held.
 */
void kbr_stp_set_enabled(struct kbr_bridge *kbr, bool on)
{
	ASSERT_RTNL();
	if (on == kbr->stp_enabled)
		return;
	spin_lock_bh(&kbr->stp_lock);
	WRITE_ONCE(kbr->stp_enabled, on);
	if (!on) {
		struct kbr_port *p;

		/* BPDU guard is part of STP: its trips end with it. */
		list_for_each_entry(p, &kbr->port_list, list)
			p->guard_tripped = false;
	}
	if (on) {
		kbr->bridge_forward_delay =
			clamp(kbr->bridge_forward_delay,
			      msecs_to_jiffies(KBR_MIN_FORWARD_DELAY_MS),
			      msecs_to_jiffies(KBR_MAX_FORWARD_DELAY_MS));
		if (netif_running(kbr->dev))
			stp_start_locked(kbr);
	} else {
		stp_stop_locked(kbr);
	}
	spin_unlock_bh(&kbr->stp_lock);
	if (!on)
		sync_timers(kbr);
}

/* The path cost the Linux bridge gives a link of this speed. */
static u32 auto_path_cost(struct net_device *dev)
{
	struct ethtool_link_ksettings ks;

	if (__ethtool_get_link_ksettings(dev, &ks))
		return 100;
	switch (ks.base.speed) {
	case SPEED_10:
	case SPEED_UNKNOWN:
		return 100;
	case SPEED_100:
		return 19;
	case SPEED_1000:
		return 5;
	case SPEED_2500:
		return 4;
	case SPEED_5000:
		return 3;
	case SPEED_10000:
		return 2;
	default:
		return ks.base.speed > SPEED_10000 ? 1 : 100;
	}
}

/**
 * kbr_stp_port_update - a port came up or went down, or was just added
 * @p: the port, on the port list
 *
 * Context: RTNL held.
 */
void kbr_stp_port_update(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;
	u32 cost = 0;
	bool up;

	ASSERT_RTNL();
	if (netif_running(p->dev) && netif_carrier_ok(p->dev) &&
	    !p->path_cost_set_by_user)
		cost = auto_path_cost(p->dev);

	spin_lock_bh(&kbr->stp_lock);
	up = port_wants_up(p);	/* BPDU guard may trip meanwhile */
	if (cost && cost != p->path_cost) {
		p->path_cost = cost;
		if (kbr->stp_running && p->state != KBR_PORT_STATE_DISABLED)
			reconfigure(kbr);
	}
	if (!kbr->stp_running) {
		set_state(p, up && !kbr->stp_enabled ?
			  KBR_PORT_STATE_FORWARDING : KBR_PORT_STATE_DISABLED);
	} else if (up && p->state == KBR_PORT_STATE_DISABLED) {
		enable_port(p);
	} else if (!up && p->state != KBR_PORT_STATE_DISABLED) {
		disable_port(p);
	}
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_set_bridge_id - a new priority or a new bridge address
 * @kbr: the bridge
 * @priority: the bridge priority
 * @addr: the bridge device's address
 *
 * Context: RTNL held.
 */
void kbr_stp_set_bridge_id(struct kbr_bridge *kbr, u16 priority,
			   const u8 *addr)
{
	struct kbr_port *p;
	struct kbr_id id;
	bool was_root;

	ASSERT_RTNL();
	id.b[0] = priority >> 8;
	id.b[1] = priority & 0xff;
	ether_addr_copy(&id.b[2], addr);

	spin_lock_bh(&kbr->stp_lock);
	WRITE_ONCE(kbr->priority, priority);
	if (!id_cmp(&id, &kbr->bridge_id))
		goto out;
	was_root = kbr_stp_is_root(kbr);
	list_for_each_entry(p, &kbr->port_list, list) {
		if (is_designated(p))
			p->designated_bridge = id;
	}
	kbr->bridge_id = id;
	if (!kbr->stp_running) {
		kbr->designated_root = id;
		goto out;
	}
	configuration_update(kbr);
	port_state_selection(kbr);
	root_changed(kbr, was_root);
out:
	spin_unlock_bh(&kbr->stp_lock);
}

static bool out_of_range(const u32 *ms, u32 min, u32 max)
{
	return ms && (*ms < min || *ms > max);
}

/**
 * kbr_stp_set_timers - set the timers this bridge uses as the root
 * @kbr: the bridge
 * @max_age_ms: the max age, or NULL to keep it; likewise the next two
 * @hello_ms: the hello time
 * @fd_ms: the forward delay
 * @extack: for the error message
 *
 * All or nothing: a value out of the Linux bridge's range changes none.
 * Context: RTNL held.
 * Return: 0 or -ERANGE.
 */
int kbr_stp_set_timers(struct kbr_bridge *kbr, const u32 *max_age_ms,
		       const u32 *hello_ms, const u32 *fd_ms,
		       struct netlink_ext_ack *extack)
{
	ASSERT_RTNL();
	if (out_of_range(max_age_ms, KBR_MIN_MAX_AGE_MS, KBR_MAX_MAX_AGE_MS)) {
		NL_SET_ERR_MSG(extack, "Max age must be 6 to 40 seconds");
		return -ERANGE;
	}
	if (out_of_range(hello_ms, KBR_MIN_HELLO_TIME_MS,
			 KBR_MAX_HELLO_TIME_MS)) {
		NL_SET_ERR_MSG(extack, "Hello time must be 1 to 10 seconds");
		return -ERANGE;
	}
	/* Without STP any forward delay goes; starting STP clamps it. */
	if (kbr->stp_enabled &&
	    out_of_range(fd_ms, KBR_MIN_FORWARD_DELAY_MS,
			 KBR_MAX_FORWARD_DELAY_MS)) {
		NL_SET_ERR_MSG(extack,
			       "Forward delay must be 2 to 30 seconds while STP is on");
		return -ERANGE;
	}

	spin_lock_bh(&kbr->stp_lock);
	if (max_age_ms)
		kbr->bridge_max_age = msecs_to_jiffies(*max_age_ms);
	if (hello_ms)
		kbr->bridge_hello_time = msecs_to_jiffies(*hello_ms);
	if (fd_ms)
		kbr->bridge_forward_delay = msecs_to_jiffies(*fd_ms);
	if (kbr_stp_is_root(kbr)) {
		kbr->max_age = kbr->bridge_max_age;
		kbr->hello_time = kbr->bridge_hello_time;
		kbr->forward_delay = kbr->bridge_forward_delay;
		if (kbr->topology_change)
			set_fdb_ageing(kbr, kbr->forward_delay);
	}
	spin_unlock_bh(&kbr->stp_lock);
	return 0;
}

/**
 * kbr_stp_set_ageing - the ageing time as set; in use unless a topology
 *	change shortens it
 * @kbr: the bridge
 * @ageing: jiffies
 *
 * Context: RTNL held.
 */
void kbr_stp_set_ageing(struct kbr_bridge *kbr, unsigned long ageing)
{
	spin_lock_bh(&kbr->stp_lock);
	kbr->ageing_time = ageing;
	set_topology_change(kbr, kbr->topology_change);
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_set_port_priority - a port's priority, 0 to 63
 * @p: the port
 * @prio: the priority
 *
 * Context: RTNL held.
 */
void kbr_stp_set_port_priority(struct kbr_port *p, u8 prio)
{
	struct kbr_bridge *kbr = p->br;
	u16 id = (u16)prio << 10 | p->port_no;

	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	if (is_designated(p))
		p->designated_port = id;
	p->port_id = id;
	p->priority = prio;
	if (kbr->stp_running && p->state != KBR_PORT_STATE_DISABLED &&
	    !id_cmp(&kbr->bridge_id, &p->designated_bridge) &&
	    p->port_id < p->designated_port) {
		become_designated_port(p);
		port_state_selection(kbr);
	}
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_set_path_cost - a port's path cost, set by hand
 * @p: the port
 * @cost: 1 to 65535
 *
 * Context: RTNL held.
 */
void kbr_stp_set_path_cost(struct kbr_port *p, u32 cost)
{
	struct kbr_bridge *kbr = p->br;

	ASSERT_RTNL();
	p->path_cost_set_by_user = true;
	spin_lock_bh(&kbr->stp_lock);
	p->path_cost = cost;
	if (kbr->stp_running)
		reconfigure(kbr);
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_flags_changed - a port's guard flags changed
 * @p: the port
 * @changed: the KBR_PORT_F_* bits that changed
 *
 * BPDU guard turned off lets a port it disabled back; root guard turned
 * on or off changes what the port may become.  Context: RTNL held.
 */
void kbr_stp_flags_changed(struct kbr_port *p, u32 changed)
{
	struct kbr_bridge *kbr = p->br;

	ASSERT_RTNL();
	if (!(changed & (KBR_PORT_F_BPDU_GUARD | KBR_PORT_F_ROOT_GUARD)))
		return;
	spin_lock_bh(&kbr->stp_lock);
	if (!(p->flags & KBR_PORT_F_BPDU_GUARD) && p->guard_tripped) {
		p->guard_tripped = false;
		del_timer(&p->guard_timer);
	}
	if ((changed & KBR_PORT_F_ROOT_GUARD) && kbr->stp_running)
		reconfigure(kbr);
	spin_unlock_bh(&kbr->stp_lock);
	kbr_stp_port_update(p);
}

/**
 * kbr_stp_set_guard_recovery - how long BPDU guard keeps a port out
 * @kbr: the bridge
 * @ms: milliseconds, 0 for until the flag is turned off
 *
 * Context: RTNL held.
 */
void kbr_stp_set_guard_recovery(struct kbr_bridge *kbr, u32 ms)
{
	spin_lock_bh(&kbr->stp_lock);
	kbr->guard_recovery = msecs_to_jiffies(ms);
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_received - a BPDU, decoded, came in on @p
 * @p: the port
 * @bpdu: a configuration BPDU, or NULL for a TCN
 *
 * Context: softirq, rcu_read_lock() held.
 */
void kbr_stp_received(struct kbr_port *p, const struct kbr_config_bpdu *bpdu)
{
	struct kbr_bridge *kbr = p->br;

	spin_lock(&kbr->stp_lock);
	if (!kbr->stp_running || p->state == KBR_PORT_STATE_DISABLED)
		goto out;
	if (READ_ONCE(p->flags) & KBR_PORT_F_BPDU_GUARD) {
		bpdu_guard_trip(p);
		goto out;
	}
	if (bpdu) {
		p->stp.config_rx++;
		received_config_bpdu(p, bpdu);
	} else {
		p->stp.tcn_rx++;
		received_tcn_bpdu(p);
	}
out:
	spin_unlock(&kbr->stp_lock);
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

/**
 * kbr_stp_bridge_init - 802.1D defaults for a new bridge
 * @kbr: the bridge, its device not yet registered
 */
void kbr_stp_bridge_init(struct kbr_bridge *kbr)
{
	spin_lock_init(&kbr->stp_lock);
	kbr->bridge_max_age = msecs_to_jiffies(KBR_DEFAULT_MAX_AGE_MS);
	kbr->bridge_hello_time = msecs_to_jiffies(KBR_DEFAULT_HELLO_TIME_MS);
	kbr->bridge_forward_delay =
		msecs_to_jiffies(KBR_DEFAULT_FORWARD_DELAY_MS);
	kbr->max_age = kbr->bridge_max_age;
	kbr->hello_time = kbr->bridge_hello_time;
	kbr->forward_delay = kbr->bridge_forward_delay;
	kbr->fdb_ageing = kbr->ageing_time;
	kbr->bridge_id.b[0] = kbr->priority >> 8;
	kbr->bridge_id.b[1] = kbr->priority & 0xff;
	kbr->designated_root = kbr->bridge_id;
	timer_setup(&kbr->hello_timer, hello_timer_expired, 0);
	timer_setup(&kbr->tcn_timer, tcn_timer_expired, 0);
	timer_setup(&kbr->topology_change_timer,
		    topology_change_timer_expired, 0);
}

/**
 * kbr_stp_bridge_fini - the bridge goes away
 * @kbr: the bridge, with no port left
 *
 * Context: RTNL held.
 */
void kbr_stp_bridge_fini(struct kbr_bridge *kbr)
{
	spin_lock_bh(&kbr->stp_lock);
	kbr->stp_running = false;
	spin_unlock_bh(&kbr->stp_lock);
	sync_timers(kbr);
}

/**
 * kbr_stp_port_init - 802.1D defaults for a new port
 * @p: the port, not yet on the port list
 *
 * Context: RTNL held.
 */
void kbr_stp_port_init(struct kbr_port *p)
{
	p->priority = KBR_DEFAULT_PORT_PRIORITY;
	p->port_id = (u16)p->priority << 10 | p->port_no;
	p->path_cost = auto_path_cost(p->dev);
	p->state = KBR_PORT_STATE_DISABLED;
	p->designated_root = p->br->designated_root;
	p->designated_bridge = p->br->bridge_id;
	p->designated_port = p->port_id;
	p->designated_cost = p->br->root_path_cost;
	timer_setup(&p->message_age_timer, message_age_timer_expired, 0);
	timer_setup(&p->forward_delay_timer, forward_delay_timer_expired, 0);
	timer_setup(&p->hold_timer, hold_timer_expired, 0);
	timer_setup(&p->guard_timer, guard_timer_expired, 0);
}

/**
 * kbr_stp_port_link - put a new port on the port list
 * @p: the port
 *
 * Context: RTNL held.
 */
void kbr_stp_port_link(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;
	struct kbr_port *pos;

	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	/* Sorted by port number: dumps and floods follow brctl's order. */
	list_for_each_entry(pos, &kbr->port_list, list) {
		if (pos->port_no > p->port_no)
			break;
	}
	list_add_tail_rcu(&p->list, &pos->list);
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_port_unlink - take a port off the port list, out of the tree
 * @p: the port
 *
 * The tree is worked out again without it; its timers are stopped for
 * good.  Context: RTNL held.
 */
void kbr_stp_port_unlink(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;

	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	p->guard_tripped = false;	/* its timer must not enable it */
	if (kbr->stp_running && p->state != KBR_PORT_STATE_DISABLED)
		disable_port(p);
	else
		set_state(p, KBR_PORT_STATE_DISABLED);
	list_del_rcu(&p->list);
	spin_unlock_bh(&kbr->stp_lock);
	sync_port_timers(p);
}
