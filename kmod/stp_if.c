// SPDX-License-Identifier: GPL-2.0
/*
 * 802.1D-1998 spanning tree, its management side: the protocol started
 * and stopped with the bridge device and the STP setting, the bridge's
 * and ports' parameters set (8.8.4 to 8.8.6 and the timers), ports
 * coming and going, and the defaults of new bridges and ports.  An
 * exported function that needs kbr->stp_lock takes it itself, but
 * kbr_stp_port_leave(), whose caller holds it; each says what else it
 * needs.  The static *_locked helpers and reset_root() run under it.
 */

#include <linux/etherdevice.h>
#include <linux/ethtool.h>

#include "kbr_private.h"
#include "stp_private.h"

/*
 * 8.8.1's first steps: no topology change is detected or signalled (an
 * event says so with the root as it was), and the bridge is its own
 * root, with its own timers.
 * Context: stp_lock held.
 */
static void reset_root(struct kbr_bridge *kbr)
{
	kbr->topology_change_detected = false;
	kbr_stp_set_topology_change(kbr, false);
	kbr->designated_root = kbr->bridge_id;
	kbr->root_path_cost = 0;
	kbr->root_port = NULL;
	kbr->max_age = kbr->bridge_max_age;
	kbr->hello_time = kbr->bridge_hello_time;
	kbr->forward_delay = kbr->bridge_forward_delay;
}

/* 8.8.1, for the whole bridge: start the protocol.  stp_lock held. */
static void stp_start_locked(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	kbr->stp_running = true;
	reset_root(kbr);
	del_timer(&kbr->tcn_timer);
	del_timer(&kbr->topology_change_timer);
	if (kbr_stp_rstp(kbr)) {
		kbr_rstp_start(kbr);
		return;
	}
	list_for_each_entry(p, &kbr->port_list, list) {
		if (kbr_stp_port_wants_up(p)) {
			kbr_stp_initialize_port(p);
		} else {
			kbr_stp_become_designated_port(p);
			kbr_stp_set_state(p, KBR_PORT_STATE_DISABLED);
		}
	}
	kbr_stp_port_state_selection(kbr);
	kbr_stp_config_bpdu_generation(kbr);
	kbr_stp_arm(kbr, NULL, KBR_STP_T_HELLO, kbr->hello_time);
}

/*
 * Stop the protocol: no timer acts any more (the caller stops them for
 * good outside the lock), ports forward if STP is off and they are up.
 * BPDU guard's trips end too, but where the protocol only changes mode
 * (@keep_guard).
 * Context: stp_lock held.
 */
static void stp_stop_locked(struct kbr_bridge *kbr, bool keep_guard)
{
	struct kbr_port *p;

	kbr->stp_running = false;
	kbr_rstp_stop(kbr);
	del_timer(&kbr->hello_timer);
	del_timer(&kbr->tcn_timer);
	del_timer(&kbr->topology_change_timer);
	reset_root(kbr);
	list_for_each_entry(p, &kbr->port_list, list) {
		del_timer(&p->message_age_timer);
		del_timer(&p->forward_delay_timer);
		del_timer(&p->hold_timer);
		p->topology_change_ack = false;
		p->config_pending = false;
		/* The guards' verdicts end with the protocol run they
		 * came from: a bridge down and up starts clean.  A port
		 * BPDU guard took out stays out across a mode change: its
		 * recovery timer, if any, still runs.
		 */
		if (!keep_guard)
			p->guard_tripped = false;
		p->root_inconsistent = false;
		kbr_stp_become_designated_port(p);
		kbr_stp_set_state(p, !kbr->stp_enabled &&
				  kbr_stp_port_wants_up(p) ?
				  KBR_PORT_STATE_FORWARDING :
				  KBR_PORT_STATE_DISABLED);
	}
	kbr_rstp_stopped(kbr);
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
			kbr_stp_set_state(p, kbr_stp_port_wants_up(p) ?
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
	stp_stop_locked(kbr, false);
	spin_unlock_bh(&kbr->stp_lock);
	kbr_stp_sync_timers(kbr);
}

/* The least forward delay protocol @mode takes, in ms. */
static u32 min_forward_delay_ms(u8 mode)
{
	return mode == KBR_STP_MODE_RSTP ? KBR_MIN_RSTP_FORWARD_DELAY_MS :
					   KBR_MIN_FORWARD_DELAY_MS;
}

/* STP turned on, or its mode changed: the forward delay into its range,
 * as the Linux bridge does.  stp_lock held.
 */
static void clamp_forward_delay(struct kbr_bridge *kbr)
{
	kbr->bridge_forward_delay =
		clamp(kbr->bridge_forward_delay,
		      msecs_to_jiffies(min_forward_delay_ms(kbr->stp_mode)),
		      msecs_to_jiffies(KBR_MAX_FORWARD_DELAY_MS));
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
		clamp_forward_delay(kbr);
		if (netif_running(kbr->dev))
			stp_start_locked(kbr);
	} else {
		stp_stop_locked(kbr, false);
	}
	spin_unlock_bh(&kbr->stp_lock);
	if (!on)
		kbr_stp_sync_timers(kbr);
}

/* The link's speed in Mb/s, 0 if unknown; @full_duplex: whether it is. */
static u32 link_speed(struct net_device *dev, bool *full_duplex)
{
	struct ethtool_link_ksettings ks;

	*full_duplex = false;
	if (__ethtool_get_link_ksettings(dev, &ks))
		return 0;
	*full_duplex = ks.base.duplex == DUPLEX_FULL;
	return ks.base.speed == SPEED_UNKNOWN ? 0 : ks.base.speed;
}

/*
 * The path cost of a link of @speed Mb/s (0: unknown, taken as 10 Mb/s)
 * in @kbr's mode: the Linux bridge's in 802.1D mode, 802.1D-2004 table
 * 17-3's in RSTP mode (20 Tb/s over the speed, 200000000 at most).
 */
static u32 auto_path_cost(const struct kbr_bridge *kbr, u32 speed)
{
	if (!speed)
		speed = SPEED_10;
	if (kbr->stp_mode == KBR_STP_MODE_RSTP)
		return clamp_t(u32, 20000000 / speed, 1,
			       KBR_MAX_RSTP_PATH_COST);
	switch (speed) {
	case SPEED_10:
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
		return speed > SPEED_10000 ? 1 : 100;
	}
}

/* @p's path cost in @kbr's mode, from its speed unless it was set. */
static void recost(struct kbr_port *p)
{
	if (!p->path_cost_set_by_user)
		p->path_cost = auto_path_cost(p->br, p->speed);
	else if (p->br->stp_mode == KBR_STP_MODE_STP)
		p->path_cost = min_t(u32, p->path_cost, KBR_MAX_PATH_COST);
}

/**
 * kbr_stp_set_mode - the protocol spanning tree runs
 * @kbr: the bridge
 * @mode: enum kbr_stp_mode
 *
 * While STP runs, the new protocol starts over; ports BPDU guard took
 * out stay out.  Path costs change to the new mode's.  Context: RTNL
 * held.
 */
void kbr_stp_set_mode(struct kbr_bridge *kbr, u8 mode)
{
	struct kbr_port *p;
	bool running;

	ASSERT_RTNL();
	if (mode == kbr->stp_mode)
		return;
	spin_lock_bh(&kbr->stp_lock);
	running = kbr->stp_running;
	if (running)
		stp_stop_locked(kbr, true);
	kbr->stp_mode = mode;
	list_for_each_entry(p, &kbr->port_list, list)
		recost(p);
	if (kbr->stp_enabled)
		clamp_forward_delay(kbr);
	if (running)
		stp_start_locked(kbr);
	spin_unlock_bh(&kbr->stp_lock);
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
	bool up, full_duplex = false, known = false;
	u32 cost, speed = 0;

	ASSERT_RTNL();
	/* A link that is down keeps the cost it had. */
	if (netif_running(p->dev) && netif_carrier_ok(p->dev)) {
		speed = link_speed(p->dev, &full_duplex);
		known = true;
	}

	spin_lock_bh(&kbr->stp_lock);
	up = kbr_stp_port_wants_up(p);	/* BPDU guard may trip meanwhile */
	p->full_duplex = full_duplex;
	if (known)
		p->speed = speed;
	cost = p->path_cost;
	recost(p);
	if (p->path_cost != cost) {
		if (kbr->stp_running && kbr_stp_rstp(kbr))
			kbr_rstp_port_changed(p);
		else if (kbr->stp_running &&
			 p->state != KBR_PORT_STATE_DISABLED)
			kbr_stp_reconfigure(kbr);
	}
	if (kbr->stp_running && kbr_stp_rstp(kbr)) {
		kbr_rstp_port_update(p, up);
	} else if (!kbr->stp_running) {
		/* A state set by hand holds while the port stays up, as
		 * on the Linux bridge: NETDEV_CHANGE comes for more than
		 * the carrier (any "ip link set"), flag changes too.
		 */
		if (!up || kbr->stp_enabled)
			kbr_stp_set_state(p, KBR_PORT_STATE_DISABLED);
		else if (p->state == KBR_PORT_STATE_DISABLED)
			kbr_stp_set_state(p, KBR_PORT_STATE_FORWARDING);
	} else if (up && p->state == KBR_PORT_STATE_DISABLED) {
		kbr_stp_enable_port(p);
	} else if (!up && p->state != KBR_PORT_STATE_DISABLED) {
		kbr_stp_disable_port(p);
	}
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_set_bridge_id - a new priority (8.8.4) or a new bridge address
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
	if (!kbr_id_cmp(&id, &kbr->bridge_id))
		goto out;
	was_root = kbr_stp_is_root(kbr);
	list_for_each_entry(p, &kbr->port_list, list) {
		if (kbr_stp_is_designated(p))
			p->designated_bridge = id;
	}
	kbr->bridge_id = id;
	if (!kbr->stp_running) {
		kbr->designated_root = id;
		goto out;
	}
	if (kbr_stp_rstp(kbr)) {
		kbr_rstp_bridge_changed(kbr);
		goto out;
	}
	kbr_stp_configuration_update(kbr);
	kbr_stp_port_state_selection(kbr);
	kbr_stp_root_changed(kbr, was_root);
out:
	spin_unlock_bh(&kbr->stp_lock);
}

static bool out_of_range(const u32 *ms, u32 min, u32 max)
{
	return ms && (*ms < min || *ms > max);
}

/**
 * kbr_stp_check_timers - whether the timers a request sets are in range
 * @max_age_ms: the max age, or NULL if it stays
 * @hello_ms: the hello time, or NULL if it stays
 * @fd_ms: the forward delay, or NULL if it stays
 * @mode: the protocol the bridge runs once the request is done
 * @enabled: whether STP is on once the request is done
 * @extack: for the error message
 *
 * The Linux bridge's ranges; the forward delay's is that of @mode, with
 * STP @enabled: a request that also changes them is checked against what
 * it asks for.
 * Return: 0 or -ERANGE.
 */
int kbr_stp_check_timers(const u32 *max_age_ms, const u32 *hello_ms,
			 const u32 *fd_ms, u8 mode, bool enabled,
			 struct netlink_ext_ack *extack)
{
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
	if (enabled &&
	    out_of_range(fd_ms, min_forward_delay_ms(mode),
			 KBR_MAX_FORWARD_DELAY_MS)) {
		if (mode == KBR_STP_MODE_RSTP)
			NL_SET_ERR_MSG(extack,
				       "Forward delay must be 4 to 30 seconds while RSTP is on");
		else
			NL_SET_ERR_MSG(extack,
				       "Forward delay must be 2 to 30 seconds while STP is on");
		return -ERANGE;
	}
	return 0;
}

/**
 * kbr_stp_set_timers - set the timers this bridge uses as the root
 * @kbr: the bridge
 * @max_age_ms: the max age, or NULL to keep it
 * @hello_ms: the hello time, or NULL to keep it
 * @fd_ms: the forward delay, or NULL to keep it
 *
 * The caller checked them (kbr_stp_check_timers()) for the mode and
 * on/off they run with.  Context: RTNL held.
 */
void kbr_stp_set_timers(struct kbr_bridge *kbr, const u32 *max_age_ms,
			const u32 *hello_ms, const u32 *fd_ms)
{
	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	if (max_age_ms)
		kbr->bridge_max_age = msecs_to_jiffies(*max_age_ms);
	if (hello_ms)
		kbr->bridge_hello_time = msecs_to_jiffies(*hello_ms);
	if (fd_ms)
		kbr->bridge_forward_delay = msecs_to_jiffies(*fd_ms);
	if (kbr->stp_running && kbr_stp_rstp(kbr)) {
		kbr_rstp_bridge_changed(kbr);
	} else if (kbr_stp_is_root(kbr)) {
		kbr->max_age = kbr->bridge_max_age;
		kbr->hello_time = kbr->bridge_hello_time;
		kbr->forward_delay = kbr->bridge_forward_delay;
		/* In a topology change, the new forward delay ages. */
		if (kbr->topology_change)
			kbr_stp_set_topology_change(kbr, true);
	}
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_set_port_priority - a port's priority, 0 to 63 (8.8.5)
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
	if (kbr->stp_running && kbr_stp_rstp(kbr)) {
		p->port_id = id;
		p->priority = prio;
		kbr_rstp_port_changed(p);
		goto out;
	}
	if (kbr_stp_is_designated(p))
		p->designated_port = id;
	p->port_id = id;
	p->priority = prio;
	if (kbr->stp_running && p->state != KBR_PORT_STATE_DISABLED &&
	    !kbr_id_cmp(&kbr->bridge_id, &p->designated_bridge) &&
	    p->port_id < p->designated_port) {
		kbr_stp_become_designated_port(p);
		kbr_stp_port_state_selection(kbr);
	}
out:
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_check_path_cost - whether @attr is a path cost @p's bridge takes
 *	in its mode
 * @p: the port
 * @attr: a u32 attribute, at least 1
 * @extack: says why not
 *
 * Context: RTNL held (the mode changes under it).
 * Return: 0 or -ERANGE.
 */
int kbr_stp_check_path_cost(struct kbr_port *p, const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	ASSERT_RTNL();
	if (p->br->stp_mode == KBR_STP_MODE_STP &&
	    nla_get_u32(attr) > KBR_MAX_PATH_COST) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Path cost must be 1 to 65535 in 802.1D mode (RSTP takes up to 200000000)");
		return -ERANGE;
	}
	return 0;
}

/**
 * kbr_stp_check_port_state - whether @attr is a state @p may be set to
 *	by hand ("bridge link set ... state N")
 * @p: the port
 * @attr: a u8 attribute, a KBR_PORT_STATE_*
 * @extack: says why not
 *
 * As the Linux bridge allows it: only where the spanning tree is off, and
 * a live state (listening, learning, forwarding, blocking) only while the
 * port and the bridge are up.
 *
 * Context: RTNL held (STP is turned on and off under it).
 * Return: 0, -EBUSY or -ENETDOWN.
 */
int kbr_stp_check_port_state(struct kbr_port *p, const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	struct kbr_bridge *kbr = p->br;
	bool up;

	ASSERT_RTNL();
	if (kbr->stp_enabled) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "The spanning tree sets the port's state: turn it off first");
		return -EBUSY;
	}
	spin_lock_bh(&kbr->stp_lock);
	up = kbr_stp_port_wants_up(p);
	spin_unlock_bh(&kbr->stp_lock);
	if (!up && nla_get_u8(attr) != KBR_PORT_STATE_DISABLED) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "The port or the bridge is down: its state can only be disabled");
		return -ENETDOWN;
	}
	return 0;
}

/**
 * kbr_stp_set_port_state - a port's state, set by hand
 * @p: the port
 * @state: as kbr_stp_check_port_state() checks it
 *
 * It holds until the port or the bridge goes down (up again, the port
 * forwards), as on the Linux bridge, or the spanning tree is turned on;
 * but disabled on a port that is up, which lasts until the port's next
 * change (kbr_stp_port_update(): of its link, or a guard or edge flag).
 *
 * Context: RTNL held.
 */
void kbr_stp_set_port_state(struct kbr_port *p, u8 state)
{
	struct kbr_bridge *kbr = p->br;

	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	kbr_stp_set_state(p, state);
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_set_path_cost - a port's path cost, set by hand (8.8.6)
 * @p: the port
 * @cost: as kbr_stp_check_path_cost() checks it
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
	if (kbr->stp_running && kbr_stp_rstp(kbr))
		kbr_rstp_port_changed(p);
	else if (kbr->stp_running)
		kbr_stp_reconfigure(kbr);
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_flags_changed - a port's guard or edge flags changed
 * @p: the port
 * @changed: the KBR_PORT_F_* bits that changed
 *
 * BPDU guard turned off lets a port it disabled back; root guard turned
 * on or off changes what the port may become; RSTP hears of the edge
 * flags (BPDU guard's among them).  Context: RTNL held.
 */
void kbr_stp_flags_changed(struct kbr_port *p, u32 changed)
{
	struct kbr_bridge *kbr = p->br;

	ASSERT_RTNL();
	if (!(changed & (KBR_PORT_F_BPDU_GUARD | KBR_PORT_F_ROOT_GUARD |
			 KBR_PORT_F_EDGE | KBR_PORT_F_AUTO_EDGE |
			 KBR_PORT_F_LOOP_GUARD)))
		return;
	spin_lock_bh(&kbr->stp_lock);
	if (kbr->stp_running && kbr_stp_rstp(kbr))
		kbr_rstp_port_reconfig(p);
	if (!(p->flags & KBR_PORT_F_BPDU_GUARD) && p->guard_tripped) {
		p->guard_tripped = false;
		del_timer(&p->guard_timer);
	}
	if ((changed & KBR_PORT_F_ROOT_GUARD) && kbr->stp_running &&
	    !kbr_stp_rstp(kbr))
		kbr_stp_reconfigure(kbr);
	spin_unlock_bh(&kbr->stp_lock);
	kbr_stp_port_update(p);
}

/**
 * kbr_stp_set_p2p - whether RSTP takes @p's link for point-to-point
 * @p: the port
 * @p2p: enum kbr_port_p2p
 *
 * Context: RTNL held.
 */
void kbr_stp_set_p2p(struct kbr_port *p, u8 p2p)
{
	struct kbr_bridge *kbr = p->br;

	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	p->p2p = p2p;
	if (kbr->stp_running && kbr_stp_rstp(kbr))
		kbr_rstp_port_reconfig(p);
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_set_tx_hold_count - RSTP's TxHoldCount
 * @kbr: the bridge
 * @count: KBR_MIN_TX_HOLD_COUNT to KBR_MAX_TX_HOLD_COUNT
 *
 * Context: RTNL held.
 */
void kbr_stp_set_tx_hold_count(struct kbr_bridge *kbr, u8 count)
{
	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	kbr->tx_hold_count = count;
	if (kbr->stp_running && kbr_stp_rstp(kbr))
		kbr_rstp_tx_hold_changed(kbr);
	spin_unlock_bh(&kbr->stp_lock);
}

/**
 * kbr_stp_runs_rstp - whether @kbr runs RSTP now
 * @kbr: the bridge
 *
 * Context: RTNL held (STP starts and stops, and its mode changes, under
 * it).
 */
bool kbr_stp_runs_rstp(struct kbr_bridge *kbr)
{
	bool ret;

	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	ret = kbr->stp_running && kbr_stp_rstp(kbr);
	spin_unlock_bh(&kbr->stp_lock);
	return ret;
}

/**
 * kbr_stp_port_mcheck - RSTP tries RST BPDUs on @p again (mcheck), if
 *	the bridge runs it
 * @p: the port
 *
 * Context: RTNL held.
 */
void kbr_stp_port_mcheck(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;

	ASSERT_RTNL();
	spin_lock_bh(&kbr->stp_lock);
	if (kbr->stp_running && kbr_stp_rstp(kbr))
		kbr_rstp_port_mcheck_if(p);
	spin_unlock_bh(&kbr->stp_lock);
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
	kbr->tx_hold_count = KBR_DEFAULT_TX_HOLD_COUNT;
	kbr->bridge_id.b[0] = kbr->priority >> 8;
	kbr->bridge_id.b[1] = kbr->priority & 0xff;
	kbr->designated_root = kbr->bridge_id;
	kbr_stp_timers_init(kbr);
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
	kbr_stp_sync_timers(kbr);
}

/**
 * kbr_stp_port_init - 802.1D defaults for a new port
 * @p: the port, not yet on the port list
 *
 * Context: RTNL held; takes stp_lock, as the bridge's root may change
 * meanwhile.
 */
void kbr_stp_port_init(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;

	p->priority = KBR_DEFAULT_PORT_PRIORITY;
	p->port_id = (u16)p->priority << 10 | p->port_no;
	p->speed = link_speed(p->dev, &p->full_duplex);
	p->path_cost = auto_path_cost(kbr, p->speed);
	kbr_rstp_port_setup(p);
	p->state = KBR_PORT_STATE_DISABLED;
	p->designated_port = p->port_id;
	spin_lock_bh(&kbr->stp_lock);
	p->designated_root = kbr->designated_root;
	p->designated_bridge = kbr->bridge_id;
	p->designated_cost = kbr->root_path_cost;
	spin_unlock_bh(&kbr->stp_lock);
	kbr_stp_port_timers_init(p);
}

/**
 * kbr_stp_port_leave - take a port that leaves the bridge out of the tree
 * @p: the port, still on the port list
 *
 * The tree is worked out again without it.  The caller takes it off the
 * port list before it lets go of stp_lock, then calls
 * kbr_stp_port_fini().
 * Context: RTNL and stp_lock held.
 */
void kbr_stp_port_leave(struct kbr_port *p)
{
	struct kbr_bridge *kbr = p->br;

	ASSERT_RTNL();
	lockdep_assert_held(&kbr->stp_lock);
	p->guard_tripped = false;	/* its timer must not enable it */
	if (kbr->stp_running && kbr_stp_rstp(kbr)) {
		kbr_rstp_port_leave(p);
		kbr_stp_set_state(p, KBR_PORT_STATE_DISABLED);
	} else if (kbr->stp_running && p->state != KBR_PORT_STATE_DISABLED) {
		kbr_stp_disable_port(p);
	} else {
		kbr_stp_set_state(p, KBR_PORT_STATE_DISABLED);
	}
}

/**
 * kbr_stp_port_fini - stop the timers of a port that left, for good
 * @p: the port, off the port list
 *
 * Context: RTNL held, not stp_lock.
 */
void kbr_stp_port_fini(struct kbr_port *p)
{
	kbr_stp_sync_port_timers(p);
	kbr_rstp_port_teardown(p);
}
