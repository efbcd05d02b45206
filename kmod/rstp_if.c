// SPDX-License-Identifier: GPL-2.0
/*
 * 802.1D-2004 RSTP in a kbridge: what ties rstp.c's machines, which know
 * nothing of the kernel, to the bridge.  The machines run under
 * kbr->stp_lock while the bridge is up with STP on in KBR_STP_MODE_RSTP,
 * driven by received BPDUs, a one-second tick (stp_timer.c's
 * KBR_STP_T_RSTP) and management (stp_if.c).  After each run, apply()
 * puts their verdicts where the rest of kbridge reads them: each port's
 * state for the packet path, and the root and designated information in
 * the 802.1D fields that netlink reports.  Every function here runs
 * under stp_lock, but kbr_rstp_port_setup(), kbr_rstp_port_teardown()
 * and the flush work (rstp_flush_work()).
 */

#include "kbr_private.h"
#include "stp_private.h"

/* The uapi's roles are the machines'. */
static_assert(KBR_PORT_ROLE_ROOT == (int)KBR_RSTP_ROLE_ROOT &&
	      KBR_PORT_ROLE_DESIGNATED == (int)KBR_RSTP_ROLE_DESIGNATED &&
	      KBR_PORT_ROLE_ALTERNATE == (int)KBR_RSTP_ROLE_ALTERNATE &&
	      KBR_PORT_ROLE_BACKUP == (int)KBR_RSTP_ROLE_BACKUP &&
	      KBR_PORT_ROLE_DISABLED == (int)KBR_RSTP_ROLE_DISABLED);

static struct kbr_port *port_of(struct kbr_rstp_port *rp)
{
	return container_of(rp, struct kbr_port, rstp);
}

/* txConfig(), txTcn(), txRstp(): Port Transmit's BPDU goes out. */
static void rstp_tx(struct kbr_rstp_port *rp, const struct kbr_bpdu *bpdu)
{
	struct kbr_port *p = port_of(rp);

	if (bpdu->type == KBR_BPDU_RST) {
		p->stp.rst_tx++;
		if (bpdu->flags & KBR_BPDU_F_PROPOSAL)
			p->stp.proposal_tx++;
		if (bpdu->flags & KBR_BPDU_F_AGREEMENT)
			p->stp.agreement_tx++;
	} else if (bpdu->type == KBR_BPDU_TCN) {
		p->stp.tcn_tx++;
	} else {
		p->stp.config_tx++;
	}
	kbr_bpdu_send(p, bpdu);
}

/* fdbFlush (17.19.7): at once, in process context (rstp_flush_work()). */
static void rstp_flush(struct kbr_rstp_port *rp)
{
	struct kbr_port *p = port_of(rp);

	/* One pending flush serves every request until it runs. */
	if (schedule_work(&p->rstp_flush))
		p->stp.tc_flush++;
}

static const struct kbr_rstp_ops rstp_ops = {
	.tx	= rstp_tx,
	.flush	= rstp_flush,
};

/*
 * The port's learned entries go.  The port stays on the bridge until
 * this returns: kbr_rstp_port_teardown() waits for it.
 */
static void rstp_flush_work(struct work_struct *work)
{
	struct kbr_port *p = container_of(work, struct kbr_port, rstp_flush);

	kbr_fdb_flush_learned(p->br, p);
}

/* A port's RSTP id: 802.1D-2004 has 4 bits of priority, kbridge 6. */
static u16 rstp_port_id(const struct kbr_port *p)
{
	return (u16)(p->priority >> 2) << 12 | p->port_no;
}

/*
 * What the port's flags and settings say to the machines: AdminEdge (a
 * BPDU guard port is an edge port too), AutoEdge, operPointToPointMAC,
 * restrictedRole (root guard), loop guard.
 */
static void port_config(struct kbr_port *p)
{
	u32 flags = READ_ONCE(p->flags);
	struct kbr_rstp_port *rp = &p->rstp;

	kbr_rstp_port_set_edge(rp, flags & (KBR_PORT_F_EDGE |
					    KBR_PORT_F_BPDU_GUARD),
			       flags & KBR_PORT_F_AUTO_EDGE);
	rp->oper_p2p = p->p2p == KBR_PORT_P2P_AUTO ? p->full_duplex :
						      p->p2p == KBR_PORT_P2P_ON;
	kbr_rstp_port_set_restricted(rp, flags & KBR_PORT_F_ROOT_GUARD);
	kbr_rstp_port_set_loop_guard(rp, flags & KBR_PORT_F_LOOP_GUARD);
}

static u16 secs(unsigned long j)
{
	return min_t(unsigned long, DIV_ROUND_CLOSEST(j, HZ), U16_MAX);
}

static struct kbr_rstp_times bridge_times(const struct kbr_bridge *kbr)
{
	struct kbr_rstp_times t = {
		.max_age = secs(kbr->bridge_max_age),
		.forward_delay = secs(kbr->bridge_forward_delay),
		.hello_time = secs(kbr->bridge_hello_time),
	};

	return t;
}

/* The state the packet path sees: discarding is blocking. */
static u8 port_state(const struct kbr_rstp_port *rp)
{
	if (rp->forwarding)
		return KBR_PORT_STATE_FORWARDING;
	if (rp->learning)
		return KBR_PORT_STATE_LEARNING;
	return rp->port_enabled ? KBR_PORT_STATE_BLOCKING :
				  KBR_PORT_STATE_DISABLED;
}

/*
 * The machines' verdicts, where kbridge reads them: the ports' states,
 * and the root, the root port, the times in use and the topology change
 * flag in the 802.1D fields, announced when they change.
 */
static void apply(struct kbr_bridge *kbr)
{
	const struct kbr_rstp *r = &kbr->rstp;
	struct kbr_port *p, *root_port = NULL;
	bool tc = false, new_root;

	list_for_each_entry(p, &kbr->port_list, list) {
		struct kbr_rstp_port *rp = &p->rstp;

		if (!rp->br)
			continue;
		p->stp.to_stp += rp->to_stp;
		rp->to_stp = 0;
		p->stp.loop_guard += rp->loop_trips;
		rp->loop_trips = 0;
		/* Root guard: counted as 802.1D mode counts it. */
		if (rp->root_restricted && !p->root_inconsistent)
			p->stp.root_guard++;
		p->root_inconsistent = rp->root_restricted;
		kbr_stp_set_state(p, port_state(rp));
		if (rp->role == KBR_RSTP_ROLE_ROOT)
			root_port = p;
		p->designated_root = rp->port_priority.root;
		p->designated_bridge = rp->port_priority.designated_bridge;
		p->designated_port = rp->port_priority.designated_port;
		p->designated_cost = rp->port_priority.root_path_cost;
		tc |= rp->tc_while != 0;
	}
	new_root = kbr->root_port != root_port ||
		   kbr_id_cmp(&kbr->designated_root, &r->root_priority.root);
	kbr->designated_root = r->root_priority.root;
	kbr->root_path_cost = r->root_priority.root_path_cost;
	kbr->root_port = root_port;
	kbr->max_age = r->root_times.max_age * HZ;
	kbr->hello_time = r->root_times.hello_time * HZ;
	kbr->forward_delay = r->root_times.forward_delay * HZ;
	if (new_root)
		kbr_nl_notify_stp(kbr, NULL, KBR_STP_EV_NEW_ROOT);
	if (tc != kbr->topology_change) {
		kbr->topology_change = tc;
		kbr_nl_notify_stp(kbr, NULL, KBR_STP_EV_TOPOLOGY_CHANGE);
	}
	/* Roles last: their events carry the state and root just set. */
	list_for_each_entry(p, &kbr->port_list, list) {
		if (p->rstp.br && p->rstp_role != p->rstp.role) {
			p->rstp_role = p->rstp.role;
			kbr_nl_notify_stp(kbr, p, KBR_STP_EV_PORT_ROLE);
		}
	}
}

/**
 * kbr_rstp_start - RSTP starts on @kbr, every machine from BEGIN
 * @kbr: the bridge, STP running
 */
void kbr_rstp_start(struct kbr_bridge *kbr)
{
	const struct kbr_rstp_times t = bridge_times(kbr);
	struct kbr_port *p;

	lockdep_assert_held(&kbr->stp_lock);

	kbr_rstp_init(&kbr->rstp, &kbr->bridge_id, &t, &rstp_ops);
	kbr->rstp.tx_hold_count = kbr->tx_hold_count;
	list_for_each_entry(p, &kbr->port_list, list) {
		kbr_rstp_port_add(&kbr->rstp, &p->rstp, rstp_port_id(p),
				  p->path_cost);
		p->rstp_role = KBR_RSTP_ROLE_DISABLED;
		port_config(p);
		p->rstp.port_enabled = kbr_stp_port_wants_up(p);
	}
	kbr_rstp_run(&kbr->rstp);
	apply(kbr);
	kbr_stp_arm(kbr, NULL, KBR_STP_T_RSTP, HZ);
}

/**
 * kbr_rstp_stop - RSTP stops on @kbr
 * @kbr: the bridge, no longer running STP in RSTP mode
 *
 * Its ports leave the machines; the caller sets their states.
 */
void kbr_rstp_stop(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	lockdep_assert_held(&kbr->stp_lock);

	del_timer(&kbr->rstp_timer);
	list_for_each_entry(p, &kbr->port_list, list)
		p->rstp.br = NULL;
	kbr->rstp.ports = NULL;
}

/**
 * kbr_rstp_stopped - say that the ports RSTP left have no role
 * @kbr: the bridge, its ports' states and root set for RSTP's end
 *
 * After kbr_rstp_stop(), once the caller has set what the events carry.
 */
void kbr_rstp_stopped(struct kbr_bridge *kbr)
{
	struct kbr_port *p;

	lockdep_assert_held(&kbr->stp_lock);
	list_for_each_entry(p, &kbr->port_list, list) {
		if (p->rstp_role != KBR_RSTP_ROLE_DISABLED) {
			p->rstp_role = KBR_RSTP_ROLE_DISABLED;
			kbr_nl_notify_stp(kbr, p, KBR_STP_EV_PORT_ROLE);
		}
	}
}

/**
 * kbr_rstp_timer_tick - a second passed: RSTP's timers count down
 * @kbr: the bridge
 */
void kbr_rstp_timer_tick(struct kbr_bridge *kbr)
{
	lockdep_assert_held(&kbr->stp_lock);
	kbr_rstp_tick(&kbr->rstp);
	apply(kbr);
}

/**
 * kbr_rstp_received - a BPDU came in on @p, a port of an RSTP bridge
 * @p: the port, not disabled
 * @bpdu: what it says
 */
void kbr_rstp_received(struct kbr_port *p, const struct kbr_bpdu *bpdu)
{
	lockdep_assert_held(&p->br->stp_lock);
	if (bpdu->type == KBR_BPDU_RST) {
		p->stp.rst_rx++;
		if (bpdu->flags & KBR_BPDU_F_PROPOSAL)
			p->stp.proposal_rx++;
		if (bpdu->flags & KBR_BPDU_F_AGREEMENT)
			p->stp.agreement_rx++;
		if (kbr_bpdu_role(bpdu) == KBR_BPDU_ROLE_UNKNOWN)
			p->stp.role_unknown_rx++;
	} else if (bpdu->type == KBR_BPDU_TCN) {
		p->stp.tcn_rx++;
	} else {
		p->stp.config_rx++;
	}
	if (!p->rstp.br)
		return;
	kbr_rstp_rx(&p->rstp, bpdu);
	apply(p->br);
}

/**
 * kbr_rstp_port_update - @p came up or went down, or was just added
 * @p: the port, on the port list
 * @up: its MAC works (portEnabled)
 *
 * A port the machines do not have yet joins them here.
 */
void kbr_rstp_port_update(struct kbr_port *p, bool up)
{
	struct kbr_bridge *kbr = p->br;

	lockdep_assert_held(&kbr->stp_lock);

	if (!p->rstp.br) {
		kbr_rstp_port_add(&kbr->rstp, &p->rstp, rstp_port_id(p),
				  p->path_cost);
		p->rstp_role = KBR_RSTP_ROLE_DISABLED;
	}
	port_config(p);
	kbr_rstp_port_enable(&p->rstp, up);
	apply(kbr);
}

/**
 * kbr_rstp_port_leave - @p leaves the bridge: the others reselect
 * @p: the port, still on the port list
 */
void kbr_rstp_port_leave(struct kbr_port *p)
{
	lockdep_assert_held(&p->br->stp_lock);
	if (!p->rstp.br)
		return;
	kbr_rstp_port_del(&p->rstp);
	p->rstp.br = NULL;
	kbr_rstp_run(&p->br->rstp);
	apply(p->br);
}

/**
 * kbr_rstp_port_changed - @p has a new priority or path cost
 * @p: the port
 */
void kbr_rstp_port_changed(struct kbr_port *p)
{
	lockdep_assert_held(&p->br->stp_lock);
	if (!p->rstp.br)
		return;
	kbr_rstp_port_set(&p->rstp, rstp_port_id(p), p->path_cost);
	apply(p->br);
}

/**
 * kbr_rstp_port_reconfig - @p's edge flags or point-to-point setting
 *	changed
 * @p: the port
 */
void kbr_rstp_port_reconfig(struct kbr_port *p)
{
	lockdep_assert_held(&p->br->stp_lock);
	if (!p->rstp.br)
		return;
	port_config(p);
	kbr_rstp_run(&p->br->rstp);
	apply(p->br);
}

/**
 * kbr_rstp_bridge_changed - @kbr has a new bridge id or bridge times
 * @kbr: the bridge, running RSTP
 */
void kbr_rstp_bridge_changed(struct kbr_bridge *kbr)
{
	const struct kbr_rstp_times t = bridge_times(kbr);

	lockdep_assert_held(&kbr->stp_lock);

	if (kbr_id_cmp(&kbr->rstp.bridge_id, &kbr->bridge_id))
		kbr_rstp_set_bridge_id(&kbr->rstp, &kbr->bridge_id);
	kbr_rstp_set_times(&kbr->rstp, &t);
	apply(kbr);
}

/**
 * kbr_rstp_tx_hold_changed - @kbr has a new tx hold count
 * @kbr: the bridge, running RSTP
 */
void kbr_rstp_tx_hold_changed(struct kbr_bridge *kbr)
{
	lockdep_assert_held(&kbr->stp_lock);
	kbr_rstp_set_tx_hold_count(&kbr->rstp, kbr->tx_hold_count);
	apply(kbr);
}

/**
 * kbr_rstp_port_mcheck_if - management asks @p to try RSTP again (mcheck)
 * @p: the port, its bridge running RSTP
 */
void kbr_rstp_port_mcheck_if(struct kbr_port *p)
{
	lockdep_assert_held(&p->br->stp_lock);
	if (!p->rstp.br)
		return;
	kbr_rstp_port_mcheck(&p->rstp);
	apply(p->br);
}

/**
 * kbr_rstp_port_setup - a new port's RSTP parts
 * @p: the port, not on the port list yet
 */
void kbr_rstp_port_setup(struct kbr_port *p)
{
	INIT_WORK(&p->rstp_flush, rstp_flush_work);
}

/**
 * kbr_rstp_port_teardown - wait for a flush of a port that left
 * @p: the port, off the port list and out of the machines
 *
 * Context: process; RTNL may be held (the flush does not take it).
 */
void kbr_rstp_port_teardown(struct kbr_port *p)
{
	cancel_work_sync(&p->rstp_flush);
}
