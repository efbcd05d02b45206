// SPDX-License-Identifier: GPL-2.0
/*
 * Spanning tree's timers: 802.1D-1998's (clause 8.7.3 to 8.7.8), RSTP's
 * one-second tick (rstp_if.c) and BPDU guard's recovery timer, each
 * armed through kbr_stp_arm() and run by a callback that takes
 * kbr->stp_lock; when each may run is written once, in may_run(), and a
 * callback acts only when due().  Stopping them for
 * good is del_timer() under the lock (or stp_running false), then
 * kbr_stp_sync_timers() outside it.
 */

#include "kbr_private.h"
#include "stp_private.h"

static struct timer_list *timer_of(struct kbr_bridge *kbr,
				   struct kbr_port *p,
				   enum kbr_stp_timer which)
{
	switch (which) {
	case KBR_STP_T_HELLO:
		return &kbr->hello_timer;
	case KBR_STP_T_TCN:
		return &kbr->tcn_timer;
	case KBR_STP_T_TOPOLOGY_CHANGE:
		return &kbr->topology_change_timer;
	case KBR_STP_T_MESSAGE_AGE:
		return &p->message_age_timer;
	case KBR_STP_T_FORWARD_DELAY:
		return &p->forward_delay_timer;
	case KBR_STP_T_HOLD:
		return &p->hold_timer;
	case KBR_STP_T_GUARD:
		return &p->guard_timer;
	case KBR_STP_T_RSTP:
		return &kbr->rstp_timer;
	}
	return NULL;
}

/*
 * DOC: When each timer runs
 *
 * The one place that says it.  A timer is armed only while its condition
 * holds, and its callback acts (and re-arms it) only while it still does,
 * checked under stp_lock: a timer stopped with del_timer() while its
 * callback already waits for the lock still runs that callback, which
 * then finds the condition gone.  So the hello timer of a bridge that
 * just lost the root role, or the TCN timer of a bridge whose topology
 * change the root just acknowledged, cannot come back.  BPDU guard's
 * recovery timer outlives the protocol run; the others need it running,
 * 802.1D's in %KBR_STP_MODE_STP and RSTP's one-second tick in
 * %KBR_STP_MODE_RSTP.
 *
 * The other way round, a timer armed again while its callback waited for
 * the lock is pending again when the callback gets it: that expiry is
 * the one that counts, and the callback does nothing (see due()).  So a
 * topology change the root detects again just as its timer fires lasts
 * its full time, and information a BPDU just refreshed does not age out.
 */
static bool may_run(const struct kbr_bridge *kbr, const struct kbr_port *p,
		    enum kbr_stp_timer which)
{
	if (which == KBR_STP_T_GUARD)
		return p->guard_tripped;
	if (!kbr->stp_running)
		return false;
	/* RSTP's tick alone, or 802.1D's timers alone. */
	if (kbr_stp_rstp(kbr))
		return which == KBR_STP_T_RSTP;
	switch (which) {
	case KBR_STP_T_HELLO:		/* 8.7.3: the root says hello */
		return kbr_stp_is_root(kbr);
	case KBR_STP_T_TCN:		/* 8.7.6: until the root acknowledges */
		return !kbr_stp_is_root(kbr) && kbr->topology_change_detected;
	case KBR_STP_T_TOPOLOGY_CHANGE:	/* 8.7.7: the root flags a change */
		return kbr_stp_is_root(kbr);
	case KBR_STP_T_MESSAGE_AGE:	/* 8.7.4: another bridge's information */
		return p->state != KBR_PORT_STATE_DISABLED &&
		       !kbr_stp_is_designated(p);
	case KBR_STP_T_FORWARD_DELAY:	/* 8.7.5: listening, then learning */
		return p->state == KBR_PORT_STATE_LISTENING ||
		       p->state == KBR_PORT_STATE_LEARNING;
	case KBR_STP_T_HOLD:		/* 8.7.8: one BPDU a hold time */
		return p->state != KBR_PORT_STATE_DISABLED;
	case KBR_STP_T_GUARD:
	case KBR_STP_T_RSTP:
		break;
	}
	return false;
}

/* The callback of @which, which fired, is still due (DOC: When each
 * timer runs).
 */
static bool due(struct kbr_bridge *kbr, struct kbr_port *p,
		enum kbr_stp_timer which)
{
	return !timer_pending(timer_of(kbr, p, which)) &&
	       may_run(kbr, p, which);
}

/**
 * kbr_stp_arm - start (or restart) a timer, if it may run
 * @kbr: the bridge
 * @p: the port, for a port's timer; NULL for the bridge's
 * @which: the timer
 * @delay: in jiffies
 *
 * A timer whose condition (see DOC: When each timer runs) does not hold
 * is left alone: it would do nothing when it fired.
 * Context: stp_lock held.
 */
void kbr_stp_arm(struct kbr_bridge *kbr, struct kbr_port *p,
		 enum kbr_stp_timer which, unsigned long delay)
{
	lockdep_assert_held(&kbr->stp_lock);
	if (may_run(kbr, p, which))
		mod_timer(timer_of(kbr, p, which), jiffies + delay);
}

/* 8.7.3 */
static void hello_timer_expired(struct timer_list *t)
{
	struct kbr_bridge *kbr = from_timer(kbr, t, hello_timer);

	spin_lock(&kbr->stp_lock);
	if (due(kbr, NULL, KBR_STP_T_HELLO)) {
		kbr_stp_config_bpdu_generation(kbr);
		kbr_stp_arm(kbr, NULL, KBR_STP_T_HELLO, kbr->hello_time);
	}
	spin_unlock(&kbr->stp_lock);
}

/* 8.7.6 */
static void tcn_timer_expired(struct timer_list *t)
{
	struct kbr_bridge *kbr = from_timer(kbr, t, tcn_timer);

	spin_lock(&kbr->stp_lock);
	if (due(kbr, NULL, KBR_STP_T_TCN)) {
		kbr_stp_transmit_tcn(kbr);
		kbr_stp_arm(kbr, NULL, KBR_STP_T_TCN, kbr->bridge_hello_time);
	}
	spin_unlock(&kbr->stp_lock);
}

/* 8.7.7 */
static void topology_change_timer_expired(struct timer_list *t)
{
	struct kbr_bridge *kbr = from_timer(kbr, t, topology_change_timer);

	spin_lock(&kbr->stp_lock);
	if (due(kbr, NULL, KBR_STP_T_TOPOLOGY_CHANGE)) {
		kbr->topology_change_detected = false;
		kbr_stp_set_topology_change(kbr, false);
	}
	spin_unlock(&kbr->stp_lock);
}

/* 8.7.4: the designated bridge of @p's segment went silent. */
static void message_age_timer_expired(struct timer_list *t)
{
	struct kbr_port *p = from_timer(p, t, message_age_timer);
	struct kbr_bridge *kbr = p->br;

	spin_lock(&kbr->stp_lock);
	if (due(kbr, p, KBR_STP_T_MESSAGE_AGE)) {
		kbr_stp_become_designated_port(p);
		kbr_stp_reconfigure(kbr);
	}
	spin_unlock(&kbr->stp_lock);
}

static bool designated_for_some_port(const struct kbr_bridge *kbr)
{
	const struct kbr_port *p;

	list_for_each_entry(p, &kbr->port_list, list) {
		if (p->state != KBR_PORT_STATE_DISABLED &&
		    !kbr_id_cmp(&p->designated_bridge, &kbr->bridge_id))
			return true;
	}
	return false;
}

/* 8.7.5: listening, then learning, then forwarding. */
static void forward_delay_timer_expired(struct timer_list *t)
{
	struct kbr_port *p = from_timer(p, t, forward_delay_timer);
	struct kbr_bridge *kbr = p->br;

	spin_lock(&kbr->stp_lock);
	if (!due(kbr, p, KBR_STP_T_FORWARD_DELAY))
		goto out;
	if (p->state == KBR_PORT_STATE_LISTENING) {
		kbr_stp_set_state(p, KBR_PORT_STATE_LEARNING);
		kbr_stp_arm(kbr, p, KBR_STP_T_FORWARD_DELAY, kbr->forward_delay);
	} else {
		kbr_stp_set_state(p, KBR_PORT_STATE_FORWARDING);
		if (designated_for_some_port(kbr))
			kbr_stp_topology_change_detection(kbr);
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
	if (due(kbr, p, KBR_STP_T_HOLD) && p->config_pending)
		kbr_stp_transmit_config(p);
	spin_unlock(&kbr->stp_lock);
}

/* BPDU guard's recovery: the port it took out may come back. */
static void guard_timer_expired(struct timer_list *t)
{
	struct kbr_port *p = from_timer(p, t, guard_timer);
	struct kbr_bridge *kbr = p->br;

	spin_lock(&kbr->stp_lock);
	if (due(kbr, p, KBR_STP_T_GUARD)) {
		p->guard_tripped = false;
		if (kbr->stp_running && kbr_stp_rstp(kbr))
			kbr_rstp_port_update(p, kbr_stp_port_wants_up(p));
		else if (kbr->stp_running && kbr_stp_port_wants_up(p) &&
			 p->state == KBR_PORT_STATE_DISABLED)
			kbr_stp_enable_port(p);
	}
	spin_unlock(&kbr->stp_lock);
}

/* 17.22: RSTP's timers count whole seconds. */
static void rstp_timer_expired(struct timer_list *t)
{
	struct kbr_bridge *kbr = from_timer(kbr, t, rstp_timer);

	spin_lock(&kbr->stp_lock);
	if (due(kbr, NULL, KBR_STP_T_RSTP)) {
		kbr_rstp_timer_tick(kbr);
		kbr_stp_arm(kbr, NULL, KBR_STP_T_RSTP, HZ);
	}
	spin_unlock(&kbr->stp_lock);
}

/**
 * kbr_stp_timers_init - set up a new bridge's timers
 * @kbr: the bridge
 */
void kbr_stp_timers_init(struct kbr_bridge *kbr)
{
	timer_setup(&kbr->hello_timer, hello_timer_expired, 0);
	timer_setup(&kbr->tcn_timer, tcn_timer_expired, 0);
	timer_setup(&kbr->topology_change_timer,
		    topology_change_timer_expired, 0);
	timer_setup(&kbr->rstp_timer, rstp_timer_expired, 0);
}

/**
 * kbr_stp_port_timers_init - set up a new port's timers
 * @p: the port
 */
void kbr_stp_port_timers_init(struct kbr_port *p)
{
	timer_setup(&p->message_age_timer, message_age_timer_expired, 0);
	timer_setup(&p->forward_delay_timer, forward_delay_timer_expired, 0);
	timer_setup(&p->hold_timer, hold_timer_expired, 0);
	timer_setup(&p->guard_timer, guard_timer_expired, 0);
}

/**
 * kbr_stp_sync_port_timers - wait until a port's timers are stopped
 * @p: the port, whose timers nothing re-arms any more
 *
 * Context: process; stp_lock not held (the callbacks take it).
 */
void kbr_stp_sync_port_timers(struct kbr_port *p)
{
	del_timer_sync(&p->message_age_timer);
	del_timer_sync(&p->forward_delay_timer);
	del_timer_sync(&p->hold_timer);
	del_timer_sync(&p->guard_timer);
}

/**
 * kbr_stp_sync_timers - wait until a bridge's and its ports' timers are
 *	stopped
 * @kbr: the bridge, whose timers nothing re-arms any more
 *
 * Context: RTNL held; stp_lock not held.
 */
void kbr_stp_sync_timers(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	ASSERT_RTNL();
	del_timer_sync(&kbr->hello_timer);
	del_timer_sync(&kbr->tcn_timer);
	del_timer_sync(&kbr->topology_change_timer);
	del_timer_sync(&kbr->rstp_timer);
	list_for_each_entry(p, &kbr->port_list, list)
		kbr_stp_sync_port_timers(p);
}
