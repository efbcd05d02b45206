// SPDX-License-Identifier: GPL-2.0
/*
 * 802.1D-2004 clause 17, the Rapid Spanning Tree Protocol: its machines
 * in the standard's names and structure.  Each machine is a function
 * that makes at most one transition; kbr_rstp_run() runs them all until
 * none moves, as 17.16 has them run "concurrently".
 *
 * Clause -> function:
 *   17.6	priority vectors compared	msg_cmp(), kbr_rstp_vector_cmp(),
 *						superior()
 *   17.21.1	betterorsameInfo()		better_or_same_info()
 *   17.21.2	clearReselectTree()		clear_reselect_tree()
 *   17.21.8	rcvInfo()			rcv_info()
 *   17.21.9	recordAgreement()		record_agreement()
 *   17.21.10	recordDispute()			record_dispute()
 *   17.21.11	recordProposal()		record_proposal()
 *   17.21.12	recordPriority()		record_priority()
 *   17.21.13	recordTimes()			record_times()
 *   17.21.16	setSelectedTree()		set_selected_tree()
 *   17.21.17	setTcFlags()			set_tc_flags()
 *   17.21.23	updtRcvdInfoWhile()		updt_rcvd_info_while()
 *   17.21.24	updtRoleDisabledTree()		updt_role_disabled_tree()
 *   17.21.25	updtRolesTree()			updt_roles_tree()
 *   17.22	Port Timers			kbr_rstp_tick()
 *   17.23	Port Receive (rcvdMsg)		kbr_rstp_rx()
 *   17.27	Port Information		pim(), pim_enter()
 *   17.28	Port Role Selection		prs(), prs_enter()
 *   17.26, 17.29, 17.30			rstp_roles.c
 *   17.24, 17.25, 17.31			rstp_tc.c
 */

#ifdef __KERNEL__
#include <linux/bug.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/string.h>
#endif

#include "rstp.h"

/* 17.27 */
enum pim_state {
	PIM_DISABLED,
	PIM_AGED,
	PIM_UPDATE,
	PIM_CURRENT,
	PIM_RECEIVE,
	PIM_SUPERIOR_DESIGNATED,
	PIM_REPEATED_DESIGNATED,
	PIM_INFERIOR_DESIGNATED,
	PIM_NOT_DESIGNATED,
	PIM_OTHER,
};

/* 17.28 */
enum prs_state {
	PRS_INIT_BRIDGE,
	PRS_ROLE_SELECTION,
};

/* Transitions one run may make before it is a bug: each port's
 * information machine settles in a few, role selection in one a port.
 */
#define RUN_LIMIT	10000

/* The port number in a 2004 port identifier: its low 12 bits. */
#define PORT_NUMBER(id)		((id) & 0x0fff)

/* The bridge address in an identifier: all of it but the priority. */
static bool same_address(const struct kbr_id *a, const struct kbr_id *b)
{
	return !memcmp(a->b + 2, b->b + 2, sizeof(a->b) - 2);
}

/* The first four components, what a message conveys (17.6). */
static int msg_cmp(const struct kbr_rstp_vector *a,
		   const struct kbr_rstp_vector *b)
{
	int c;

	c = kbr_id_cmp(&a->root, &b->root);
	if (c)
		return c;
	if (a->root_path_cost != b->root_path_cost)
		return a->root_path_cost < b->root_path_cost ? -1 : 1;
	c = kbr_id_cmp(&a->designated_bridge, &b->designated_bridge);
	if (c)
		return c;
	if (a->designated_port != b->designated_port)
		return a->designated_port < b->designated_port ? -1 : 1;
	return 0;
}

/**
 * kbr_rstp_vector_cmp - compare two priority vectors, all five components
 * @a: one
 * @b: the other
 *
 * Return: below zero when @a is better (numerically lower, 17.6), zero
 * when they are the same, above zero when @a is worse.
 */
int kbr_rstp_vector_cmp(const struct kbr_rstp_vector *a,
			const struct kbr_rstp_vector *b)
{
	int c = msg_cmp(a, b);

	if (c)
		return c;
	if (a->bridge_port != b->bridge_port)
		return a->bridge_port < b->bridge_port ? -1 : 1;
	return 0;
}

/*
 * 17.6: a message priority vector is superior to a port priority vector
 * when it is better, or when it comes from the same designated port (the
 * same bridge address and port number): what that port says now replaces
 * what it said before, better or worse.
 */
static bool superior(const struct kbr_rstp_vector *msg,
		     const struct kbr_rstp_vector *port)
{
	return msg_cmp(msg, port) < 0 ||
	       (same_address(&msg->designated_bridge,
			     &port->designated_bridge) &&
		PORT_NUMBER(msg->designated_port) ==
		PORT_NUMBER(port->designated_port));
}

static bool times_equal(const struct kbr_rstp_times *a,
			const struct kbr_rstp_times *b)
{
	return a->message_age == b->message_age && a->max_age == b->max_age &&
	       a->forward_delay == b->forward_delay &&
	       a->hello_time == b->hello_time;
}

/* A BPDU's time, in jiffies, to the whole seconds the machines use. */
static u16 secs(unsigned long j)
{
	return min_t(unsigned long, U16_MAX, (j + HZ / 2) / HZ);
}

/*
 * The role a message's sender has on the segment.  A configuration BPDU
 * speaks for a designated port, and so does an RST BPDU whose role is
 * Unknown: no bridge sends one, and 9.2.9 has it taken as configuration.
 */
static enum kbr_bpdu_role msg_role(const struct kbr_bpdu *bpdu)
{
	if (bpdu->type == KBR_BPDU_CONFIG ||
	    kbr_bpdu_role(bpdu) == KBR_BPDU_ROLE_UNKNOWN)
		return KBR_BPDU_ROLE_DESIGNATED;
	return kbr_bpdu_role(bpdu);
}

/* 17.21.1 */
static bool better_or_same_info(const struct kbr_rstp_port *p,
				enum kbr_rstp_info new_info_is)
{
	if (new_info_is != p->info_is)
		return false;
	if (new_info_is == KBR_RSTP_INFO_RECEIVED)
		return msg_cmp(&p->msg_priority, &p->port_priority) <= 0;
	if (new_info_is == KBR_RSTP_INFO_MINE)
		return msg_cmp(&p->designated_priority, &p->port_priority) <= 0;
	return false;
}

/*
 * 17.21.8: what the message in @p->rcvd_bpdu is, against what the port
 * holds; also sets msgPriority and msgTimes from it.  A configuration
 * BPDU speaks for a designated port; a TCN BPDU carries no vector.
 */
static enum kbr_rstp_rcvd rcv_info(struct kbr_rstp_port *p)
{
	const struct kbr_bpdu *b = &p->rcvd_bpdu;
	enum kbr_bpdu_role role;
	int c;

	/* 17.21.17 wants rcvdTcn set, but 2004's OTHER state does not call
	 * setTcFlags(); 802.1Q-2005 sets it here.
	 */
	if (b->type == KBR_BPDU_TCN) {
		p->rcvd_tcn = true;
		return KBR_RSTP_OTHER;
	}

	p->msg_priority.root = b->root;
	p->msg_priority.root_path_cost = b->root_path_cost;
	p->msg_priority.designated_bridge = b->bridge;
	p->msg_priority.designated_port = b->port_id;
	p->msg_priority.bridge_port = p->port_id;
	p->msg_times.message_age = secs(b->message_age);
	p->msg_times.max_age = secs(b->max_age);
	p->msg_times.forward_delay = secs(b->forward_delay);
	/* At least 1 s, as record_times() keeps it: else a hello below
	 * half a second would differ from the port's at every message.
	 */
	p->msg_times.hello_time = max_t(u16, 1, secs(b->hello_time));

	role = msg_role(b);
	c = msg_cmp(&p->msg_priority, &p->port_priority);
	if (role == KBR_BPDU_ROLE_DESIGNATED) {
		if (c ? superior(&p->msg_priority, &p->port_priority) :
			!times_equal(&p->msg_times, &p->port_times))
			return KBR_RSTP_SUPERIOR_DESIGNATED;
		/* Repeated only what was received (802.1Q-2011): a port that
		 * hears its own message back is looped, not told again.
		 */
		if (!c && p->info_is == KBR_RSTP_INFO_RECEIVED)
			return KBR_RSTP_REPEATED_DESIGNATED;
		return KBR_RSTP_INFERIOR_DESIGNATED;
	}
	if ((role == KBR_BPDU_ROLE_ROOT || role == KBR_BPDU_ROLE_ALT_BACKUP) &&
	    c >= 0)
		return KBR_RSTP_INFERIOR_ROOT_ALTERNATE;
	return KBR_RSTP_OTHER;
}

/* 17.21.9 */
static void record_agreement(struct kbr_rstp_port *p)
{
	if (kbr_rstp_version(p->br) && p->oper_p2p &&
	    p->rcvd_bpdu.type == KBR_BPDU_RST &&
	    (p->rcvd_bpdu.flags & KBR_BPDU_F_AGREEMENT)) {
		p->agreed = true;
		p->proposing = false;
	} else {
		p->agreed = false;
	}
}

/* 17.21.10, as 802.1Q-2005 words it: disputed set, agreed cleared. */
static void record_dispute(struct kbr_rstp_port *p)
{
	if (p->rcvd_bpdu.type == KBR_BPDU_RST &&
	    (p->rcvd_bpdu.flags & KBR_BPDU_F_LEARNING)) {
		p->disputed = true;
		p->agreed = false;
	}
}

/* 17.21.11 */
static void record_proposal(struct kbr_rstp_port *p)
{
	if (p->rcvd_bpdu.type == KBR_BPDU_RST &&
	    msg_role(&p->rcvd_bpdu) == KBR_BPDU_ROLE_DESIGNATED &&
	    (p->rcvd_bpdu.flags & KBR_BPDU_F_PROPOSAL))
		p->proposed = true;
}

/* 17.21.12 */
static void record_priority(struct kbr_rstp_port *p)
{
	p->port_priority = p->msg_priority;
}

/* 17.21.13; rcv_info() made the Hello Time at least 1 s. */
static void record_times(struct kbr_rstp_port *p)
{
	p->port_times = p->msg_times;
}

/* 17.21.17 */
static void set_tc_flags(struct kbr_rstp_port *p)
{
	const struct kbr_bpdu *b = &p->rcvd_bpdu;

	if (b->type == KBR_BPDU_TCN) {
		p->rcvd_tcn = true;
		return;
	}
	if (b->flags & KBR_BPDU_F_TC)
		p->rcvd_tc = true;
	if (b->flags & KBR_BPDU_F_TCA)
		p->rcvd_tc_ack = true;
}

/*
 * 17.21.23: received information lasts three hellos, unless its message
 * age, one second older, would pass max age.
 */
static void updt_rcvd_info_while(struct kbr_rstp_port *p)
{
	const struct kbr_rstp_times *t = &p->port_times;

	if (t->message_age + 1 <= t->max_age)
		p->rcvd_info_while = 3 * t->hello_time;
	else
		p->rcvd_info_while = 0;
}

/* 17.21.2 */
static void clear_reselect_tree(struct kbr_rstp *br)
{
	struct kbr_rstp_port *p;

	for (p = br->ports; p; p = p->next)
		p->reselect = false;
}

/* 17.21.16: selected, once no port asks for another selection. */
static void set_selected_tree(struct kbr_rstp *br)
{
	struct kbr_rstp_port *p;

	for (p = br->ports; p; p = p->next) {
		if (p->reselect)
			return;
	}
	for (p = br->ports; p; p = p->next)
		p->selected = true;
}

/* 17.21.24 */
static void updt_role_disabled_tree(struct kbr_rstp *br)
{
	struct kbr_rstp_port *p;

	for (p = br->ports; p; p = p->next)
		p->selected_role = KBR_RSTP_ROLE_DISABLED;
}

/*
 * The root path priority vector of @p (17.6): its port priority vector
 * with the port's path cost added and its own port id last.
 */
static struct kbr_rstp_vector root_path(const struct kbr_rstp_port *p)
{
	struct kbr_rstp_vector v = p->port_priority;

	v.root_path_cost += min_t(u32, p->port_path_cost,
				  U32_MAX - v.root_path_cost);
	v.bridge_port = p->port_id;
	return v;
}

/* 17.21.25 g) to j): the role of @p, once the root is chosen. */
static void select_role(struct kbr_rstp *br, struct kbr_rstp_port *p,
			const struct kbr_rstp_port *root)
{
	switch (p->info_is) {
	case KBR_RSTP_INFO_DISABLED:
		p->selected_role = KBR_RSTP_ROLE_DISABLED;
		break;
	case KBR_RSTP_INFO_AGED:
		p->selected_role = KBR_RSTP_ROLE_DESIGNATED;
		p->updt_info = true;
		break;
	case KBR_RSTP_INFO_MINE:
		p->selected_role = KBR_RSTP_ROLE_DESIGNATED;
		if (kbr_rstp_vector_cmp(&p->port_priority,
					&p->designated_priority) ||
		    !times_equal(&p->port_times, &p->designated_times))
			p->updt_info = true;
		break;
	case KBR_RSTP_INFO_RECEIVED:
		if (p == root) {
			p->selected_role = KBR_RSTP_ROLE_ROOT;
			p->updt_info = false;
		} else if (msg_cmp(&p->designated_priority,
				   &p->port_priority) >= 0) {
			/* Another bridge's port, or one of ours, is better. */
			if (same_address(&p->port_priority.designated_bridge,
					 &br->bridge_id))
				p->selected_role = KBR_RSTP_ROLE_BACKUP;
			else
				p->selected_role = KBR_RSTP_ROLE_ALTERNATE;
			p->updt_info = false;
		} else {
			p->selected_role = KBR_RSTP_ROLE_DESIGNATED;
			p->updt_info = true;
		}
		break;
	}
}

/*
 * 17.21.25: the root priority vector is the best of the bridge's own and
 * every port's root path priority vector, but those of information this
 * bridge sent (a port that hears another of ours) and, as 802.1Q has it,
 * those of ports with restrictedRole; the root port is the port it came
 * by.  Every port's designated priority vector and times follow from it,
 * and then its role.
 */
static void updt_roles_tree(struct kbr_rstp *br)
{
	struct kbr_rstp_vector best = br->bridge_priority, v;
	struct kbr_rstp_port *p, *root = NULL;

	for (p = br->ports; p; p = p->next) {
		if (p->info_is != KBR_RSTP_INFO_RECEIVED ||
		    same_address(&p->port_priority.designated_bridge,
				 &br->bridge_id) || p->restricted_role)
			continue;
		v = root_path(p);
		if (kbr_rstp_vector_cmp(&v, &best) < 0) {
			best = v;
			root = p;
		}
	}
	/* What root guard reports: a restricted port that would win. */
	for (p = br->ports; p; p = p->next) {
		p->root_restricted = false;
		if (!p->restricted_role ||
		    p->info_is != KBR_RSTP_INFO_RECEIVED ||
		    same_address(&p->port_priority.designated_bridge,
				 &br->bridge_id))
			continue;
		v = root_path(p);
		p->root_restricted = kbr_rstp_vector_cmp(&v, &best) < 0;
	}
	br->root_priority = best;
	br->root_port_id = root ? root->port_id : 0;
	if (root) {
		br->root_times = root->port_times;
		br->root_times.message_age++;
	} else {
		br->root_times = br->bridge_times;
	}

	for (p = br->ports; p; p = p->next) {
		p->designated_priority.root = best.root;
		p->designated_priority.root_path_cost = best.root_path_cost;
		p->designated_priority.designated_bridge = br->bridge_id;
		p->designated_priority.designated_port = p->port_id;
		p->designated_priority.bridge_port = p->port_id;
		p->designated_times = br->root_times;
		p->designated_times.hello_time = br->bridge_times.hello_time;
		select_role(br, p, root);
	}
}

/* 17.27: enter @state, doing what it does on entry. */
static bool pim_enter(struct kbr_rstp_port *p, enum pim_state state)
{
	p->pim = state;
	switch (state) {
	case PIM_DISABLED:
		p->loop_inconsistent = false;
		p->rcvd_msg = false;
		p->proposing = false;
		p->proposed = false;
		p->agree = false;
		p->agreed = false;
		p->rcvd_info_while = 0;
		p->info_is = KBR_RSTP_INFO_DISABLED;
		p->reselect = true;
		p->selected = false;
		break;
	case PIM_AGED:
		p->info_is = KBR_RSTP_INFO_AGED;
		p->reselect = true;
		p->selected = false;
		break;
	case PIM_UPDATE:
		p->proposing = false;
		p->proposed = false;
		p->agreed = p->agreed &&
			    better_or_same_info(p, KBR_RSTP_INFO_MINE);
		p->synced = p->synced && p->agreed;
		p->port_priority = p->designated_priority;
		p->port_times = p->designated_times;
		p->updt_info = false;
		p->info_is = KBR_RSTP_INFO_MINE;
		p->new_info = true;
		break;
	case PIM_CURRENT:
		break;
	case PIM_RECEIVE:
		p->rcvd_info = rcv_info(p);
		break;
	case PIM_SUPERIOR_DESIGNATED:
		p->agreed = false;
		p->proposing = false;
		record_proposal(p);
		set_tc_flags(p);
		p->agree = p->agree &&
			   better_or_same_info(p, KBR_RSTP_INFO_RECEIVED);
		record_priority(p);
		record_times(p);
		updt_rcvd_info_while(p);
		p->info_is = KBR_RSTP_INFO_RECEIVED;
		p->reselect = true;
		p->selected = false;
		p->rcvd_msg = false;
		break;
	case PIM_REPEATED_DESIGNATED:
		record_proposal(p);
		set_tc_flags(p);
		updt_rcvd_info_while(p);
		p->rcvd_msg = false;
		break;
	case PIM_INFERIOR_DESIGNATED:
		record_dispute(p);
		p->rcvd_msg = false;
		break;
	case PIM_NOT_DESIGNATED:
		record_agreement(p);
		set_tc_flags(p);
		p->rcvd_msg = false;
		break;
	case PIM_OTHER:
		p->rcvd_msg = false;
		break;
	}
	return true;
}

/* 17.27: one transition of @p's Port Information machine, if one is due. */
static bool pim(struct kbr_rstp_port *p)
{
	static const enum pim_state by_rcvd[] = {
		[KBR_RSTP_SUPERIOR_DESIGNATED]	= PIM_SUPERIOR_DESIGNATED,
		[KBR_RSTP_REPEATED_DESIGNATED]	= PIM_REPEATED_DESIGNATED,
		[KBR_RSTP_INFERIOR_DESIGNATED]	= PIM_INFERIOR_DESIGNATED,
		[KBR_RSTP_INFERIOR_ROOT_ALTERNATE] = PIM_NOT_DESIGNATED,
		[KBR_RSTP_OTHER]		= PIM_OTHER,
	};

	if (!p->port_enabled && p->info_is != KBR_RSTP_INFO_DISABLED)
		return pim_enter(p, PIM_DISABLED);

	switch (p->pim) {
	case PIM_DISABLED:
		if (p->rcvd_msg)
			return pim_enter(p, PIM_DISABLED);
		if (p->port_enabled)
			return pim_enter(p, PIM_AGED);
		return false;
	case PIM_AGED:
		if (p->selected && p->updt_info)
			return pim_enter(p, PIM_UPDATE);
		return false;
	case PIM_CURRENT:
		if (p->selected && p->updt_info)
			return pim_enter(p, PIM_UPDATE);
		if (p->info_is == KBR_RSTP_INFO_RECEIVED &&
		    !p->rcvd_info_while && !p->updt_info && !p->rcvd_msg) {
			/* Loop guard: silence on a point-to-point link where
			 * BPDUs came is not taken for a free segment to
			 * forward on.  Not on a shared one (another bridge
			 * leaving it is silence too), nor for a backup port
			 * (our own port's silence) or one root guard holds
			 * (its superior information ending is what it waits
			 * for).
			 */
			if (p->loop_guard && !p->loop_inconsistent &&
			    p->oper_p2p && !p->root_restricted &&
			    (p->role == KBR_RSTP_ROLE_ROOT ||
			     p->role == KBR_RSTP_ROLE_ALTERNATE)) {
				p->loop_inconsistent = true;
				p->loop_trips++;
			}
			return pim_enter(p, PIM_AGED);
		}
		if (p->rcvd_msg && !p->updt_info)
			return pim_enter(p, PIM_RECEIVE);
		return false;
	case PIM_RECEIVE:
		return pim_enter(p, by_rcvd[p->rcvd_info]);
	default:	/* every other state goes on to CURRENT at once */
		return pim_enter(p, PIM_CURRENT);
	}
}

/* 17.28: enter @state, doing what it does on entry. */
static bool prs_enter(struct kbr_rstp *br, enum prs_state state)
{
	br->prs = state;
	if (state == PRS_INIT_BRIDGE) {
		updt_role_disabled_tree(br);
	} else {
		clear_reselect_tree(br);
		updt_roles_tree(br);
		set_selected_tree(br);
	}
	return true;
}

/* 17.28: one transition of the Port Role Selection machine, if due. */
static bool prs(struct kbr_rstp *br)
{
	struct kbr_rstp_port *p;

	if (br->prs == PRS_INIT_BRIDGE)
		return prs_enter(br, PRS_ROLE_SELECTION);
	for (p = br->ports; p; p = p->next) {
		if (p->reselect)
			return prs_enter(br, PRS_ROLE_SELECTION);
	}
	return false;
}

/* Every per-port machine in its first state (BEGIN, for one port). */
static void port_begin(struct kbr_rstp_port *p)
{
	pim_enter(p, PIM_DISABLED);
	kbr_rstp_roles_begin(p);
	kbr_rstp_tc_begin(p);
}

/**
 * kbr_rstp_run - run every machine of @br until none moves
 * @br: the bridge
 *
 * BEGIN, when set, first puts each machine in its initial state.
 */
void kbr_rstp_run(struct kbr_rstp *br)
{
	struct kbr_rstp_port *p;
	unsigned int n = 0;
	bool moved;

	if (br->begin) {
		for (p = br->ports; p; p = p->next)
			port_begin(p);
		prs_enter(br, PRS_INIT_BRIDGE);
		br->begin = false;
	}
	do {
		moved = false;
		for (p = br->ports; p; p = p->next) {
			moved |= pim(p);
			moved |= kbr_rstp_role_transitions(p);
			moved |= kbr_rstp_state_transition(p);
			moved |= kbr_rstp_transmit(p);
			moved |= kbr_rstp_topology_change(p);
			moved |= kbr_rstp_migration(p);
			moved |= kbr_rstp_bridge_detection(p);
		}
		moved |= prs(br);
	} while (moved && ++n < RUN_LIMIT);
	WARN_ON_ONCE(moved);
}

static void set_bridge_id(struct kbr_rstp *br, const struct kbr_id *id)
{
	br->bridge_id = *id;
	br->bridge_priority.root = *id;
	br->bridge_priority.designated_bridge = *id;
}

static void set_times(struct kbr_rstp *br, const struct kbr_rstp_times *t)
{
	/* 17.14's ranges; the machines would spin on a hello of 0. */
	br->bridge_times.message_age = 0;
	br->bridge_times.hello_time = clamp_t(u16, t->hello_time, 1, 10);
	br->bridge_times.max_age = clamp_t(u16, t->max_age, 6, 40);
	br->bridge_times.forward_delay = clamp_t(u16, t->forward_delay, 4, 30);
}

/* 17.13: a changed parameter has Port Role Selection run again. */
static void reselect(struct kbr_rstp_port *p)
{
	p->selected = false;
	p->reselect = true;
}

/**
 * kbr_rstp_init - a bridge's RSTP variables, before its first run
 * @br: the bridge, with no ports yet
 * @bridge_id: BridgeIdentifier
 * @times: BridgeTimes (the message age is taken as 0; each time is
 *	clamped to 17.14's range)
 * @ops: what the machines ask of the bridge
 */
void kbr_rstp_init(struct kbr_rstp *br, const struct kbr_id *bridge_id,
		   const struct kbr_rstp_times *times,
		   const struct kbr_rstp_ops *ops)
{
	memset(br, 0, sizeof(*br));
	set_bridge_id(br, bridge_id);
	set_times(br, times);
	br->root_priority = br->bridge_priority;
	br->root_times = br->bridge_times;
	br->force_version = KBR_BPDU_VERSION_RSTP;
	br->tx_hold_count = KBR_RSTP_TX_HOLD_COUNT;
	br->ops = ops;
	br->begin = true;
}

/**
 * kbr_rstp_port_add - a port joins @br, disabled
 * @br: the bridge
 * @p: the port's variables, to be set up here
 * @port_id: portId
 * @path_cost: PortPathCost
 *
 * The port takes part from the next run on; kbr_rstp_port_enable() says
 * when its MAC works.
 */
void kbr_rstp_port_add(struct kbr_rstp *br, struct kbr_rstp_port *p,
		       u16 port_id, u32 path_cost)
{
	struct kbr_rstp_port **link = &br->ports;

	memset(p, 0, sizeof(*p));
	p->br = br;
	p->port_id = port_id;
	p->port_path_cost = path_cost;
	p->selected_role = KBR_RSTP_ROLE_DISABLED;
	p->auto_edge = true;
	p->edge_delay_while = KBR_RSTP_MIGRATE_TIME;
	p->designated_times = br->root_times;
	port_begin(p);
	while (*link)
		link = &(*link)->next;
	*link = p;
}

/**
 * kbr_rstp_port_del - @p leaves its bridge
 * @p: the port
 *
 * The others' roles are selected again at the next run.
 */
void kbr_rstp_port_del(struct kbr_rstp_port *p)
{
	struct kbr_rstp *br = p->br;
	struct kbr_rstp_port **link = &br->ports, *q;

	while (*link != p)
		link = &(*link)->next;
	*link = p->next;
	for (q = br->ports; q; q = q->next)
		reselect(q);
}

/**
 * kbr_rstp_port_enable - the MAC of @p started or stopped working
 * @p: the port
 * @enabled: portEnabled
 */
void kbr_rstp_port_enable(struct kbr_rstp_port *p, bool enabled)
{
	p->port_enabled = enabled;
	/* Port Receive's DISCARD (17.23); rcvdMsg goes with PIM's. */
	if (!enabled) {
		p->rcvd_rstp = false;
		p->rcvd_stp = false;
		p->edge_delay_while = KBR_RSTP_MIGRATE_TIME;
	}
	kbr_rstp_run(p->br);
}

/**
 * kbr_rstp_rx - a BPDU came in on @p
 * @p: the port
 * @bpdu: what it says, decoded (kbr_bpdu_decode())
 *
 * What the Port Receive machine does with a valid BPDU on an enabled
 * port: rcvdMsg, and the machines run.
 */
void kbr_rstp_rx(struct kbr_rstp_port *p, const struct kbr_bpdu *bpdu)
{
	if (!p->port_enabled)
		return;
	/* 9.3.4 a): a configuration BPDU this very port sent is dropped. */
	if (bpdu->type == KBR_BPDU_CONFIG &&
	    same_address(&bpdu->bridge, &p->br->bridge_id) &&
	    PORT_NUMBER(bpdu->port_id) == PORT_NUMBER(p->port_id))
		return;
	/* Port Receive's RECEIVE (17.23), with updtBPDUVersion(). */
	if (bpdu->type == KBR_BPDU_RST)
		p->rcvd_rstp = true;
	else
		p->rcvd_stp = true;
	p->oper_edge = false;
	p->edge_delay_while = KBR_RSTP_MIGRATE_TIME;
	p->loop_inconsistent = false;	/* BPDUs are back */
	p->rcvd_bpdu = *bpdu;
	p->rcvd_msg = true;
	kbr_rstp_run(p->br);
}

/**
 * kbr_rstp_tick - one second passed (17.22)
 * @br: the bridge
 */
void kbr_rstp_tick(struct kbr_rstp *br)
{
	struct kbr_rstp_port *p;

	for (p = br->ports; p; p = p->next) {
		if (p->hello_when)
			p->hello_when--;
		if (p->tc_while)
			p->tc_while--;
		if (p->fd_while)
			p->fd_while--;
		if (p->rcvd_info_while)
			p->rcvd_info_while--;
		if (p->rr_while)
			p->rr_while--;
		if (p->rb_while)
			p->rb_while--;
		/* 17.22 takes one off txCount.  With a hello time of 1 s the
		 * periodic BPDU puts it back at every tick, so a count a burst
		 * raised stays up and holds the next proposal or agreement
		 * for a second: each second starts a new allowance instead,
		 * TxHoldCount BPDUs a second (17.13.12's "maximum
		 * transmission rate").
		 */
		p->tx_count = 0;
		if (p->edge_delay_while)
			p->edge_delay_while--;
		if (p->mdelay_while)
			p->mdelay_while--;
	}
	kbr_rstp_run(br);
}

/**
 * kbr_rstp_set_bridge_id - a new BridgeIdentifier (priority or address)
 * @br: the bridge
 * @id: the new one
 */
void kbr_rstp_set_bridge_id(struct kbr_rstp *br, const struct kbr_id *id)
{
	struct kbr_rstp_port *p;

	set_bridge_id(br, id);
	for (p = br->ports; p; p = p->next)
		reselect(p);
	kbr_rstp_run(br);
}

/**
 * kbr_rstp_set_times - new BridgeTimes, used while this bridge is the root
 * @br: the bridge
 * @times: as for kbr_rstp_init()
 */
void kbr_rstp_set_times(struct kbr_rstp *br,
			const struct kbr_rstp_times *times)
{
	struct kbr_rstp_port *p;

	set_times(br, times);
	for (p = br->ports; p; p = p->next)
		reselect(p);
	kbr_rstp_run(br);
}

/**
 * kbr_rstp_port_set - a new portId or PortPathCost for @p
 * @p: the port
 * @port_id: portId
 * @path_cost: PortPathCost
 */
void kbr_rstp_port_set(struct kbr_rstp_port *p, u16 port_id, u32 path_cost)
{
	if (p->port_id == port_id && p->port_path_cost == path_cost)
		return;
	p->port_id = port_id;
	p->port_path_cost = path_cost;
	reselect(p);
	kbr_rstp_run(p->br);
}

/**
 * kbr_rstp_set_tx_hold_count - a new TxHoldCount
 * @br: the bridge
 * @count: TxHoldCount, 1 to 10 (17.14)
 *
 * Every port's txCount starts over, so that the new limit holds from
 * now on, whatever the old one let through.
 */
void kbr_rstp_set_tx_hold_count(struct kbr_rstp *br, u16 count)
{
	struct kbr_rstp_port *p;

	if (br->tx_hold_count == count)
		return;
	br->tx_hold_count = count;
	for (p = br->ports; p; p = p->next)
		p->tx_count = 0;
	kbr_rstp_run(br);
}

/**
 * kbr_rstp_port_mcheck - management's mcheck (17.19.13): @p sends RST
 *	BPDUs again for the migrate time, to learn whether the bridge on
 *	its link now speaks RSTP
 * @p: the port
 */
void kbr_rstp_port_mcheck(struct kbr_rstp_port *p)
{
	p->mcheck = true;
	kbr_rstp_run(p->br);
}

/**
 * kbr_rstp_port_set_restricted - restrictedRole, set by management (root
 *	guard)
 * @p: the port
 * @restricted: restrictedRole
 *
 * The port's role is selected again; the caller runs the machines.
 */
void kbr_rstp_port_set_restricted(struct kbr_rstp_port *p, bool restricted)
{
	if (p->restricted_role == restricted)
		return;
	p->restricted_role = restricted;
	reselect(p);
}

/**
 * kbr_rstp_port_set_loop_guard - loop guard on or off, set by management
 * @p: the port
 * @on: whether
 *
 * Off lets a port loop guard holds go on as a designated port; the
 * caller runs the machines.
 */
void kbr_rstp_port_set_loop_guard(struct kbr_rstp_port *p, bool on)
{
	p->loop_guard = on;
	if (!on)
		p->loop_inconsistent = false;
}
