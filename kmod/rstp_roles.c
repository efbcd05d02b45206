// SPDX-License-Identifier: GPL-2.0
/*
 * 802.1D-2004 clause 17, what a port does with the role Port Role
 * Selection gave it: Port Role Transitions (17.29), Port State Transition
 * (17.30) and Port Transmit (17.26), in the standard's names.  rstp.c
 * runs them, as it runs the others, one transition a call.
 *
 * Clause -> function:
 *   17.20	allSynced, reRooted, forwardDelay	all_synced(), re_rooted(),
 *							forward_delay()
 *   17.21.14	setSyncTree()				set_sync_tree()
 *   17.21.15	setReRootTree()				set_re_root_tree()
 *   17.21.19-21 txConfig(), txRstp(), txTcn()		tx()
 *   17.26	Port Transmit				kbr_rstp_transmit()
 *   17.29	Port Role Transitions			kbr_rstp_role_transitions(),
 *							prt_enter(), prt_root(),
 *							prt_designated(),
 *							prt_alternate()
 *   17.30	Port State Transition			kbr_rstp_state_transition()
 */

#ifdef __KERNEL__
#include <linux/jiffies.h>
#include <linux/kernel.h>
#endif

#include "rstp.h"

/*
 * 17.20: the derived values the machines below test.  Their times are
 * the port's designatedTimes, what it would send.
 */
static u16 max_age(const struct kbr_rstp_port *p)
{
	return p->designated_times.max_age;
}

static u16 fwd_delay(const struct kbr_rstp_port *p)
{
	return p->designated_times.forward_delay;
}

static u16 hello_time(const struct kbr_rstp_port *p)
{
	return p->designated_times.hello_time;
}

/* 17.20.5: how long a port waits in each of discarding and learning. */
static u16 forward_delay(const struct kbr_rstp_port *p)
{
	return p->send_rstp ? hello_time(p) : fwd_delay(p);
}

/* 17.20.3: every port has its role, and is synced or the root port. */
static bool all_synced(const struct kbr_rstp *br)
{
	const struct kbr_rstp_port *p;

	for (p = br->ports; p; p = p->next) {
		if (!p->selected || p->role != p->selected_role ||
		    p->updt_info)
			return false;
		if (!p->synced && p->role != KBR_RSTP_ROLE_ROOT)
			return false;
	}
	return true;
}

/* 17.20.10: no other port has its recent-root timer running. */
static bool re_rooted(const struct kbr_rstp_port *p)
{
	const struct kbr_rstp_port *q;

	for (q = p->br->ports; q; q = q->next) {
		if (q != p && q->rr_while)
			return false;
	}
	return true;
}

/* 17.21.14 */
static void set_sync_tree(struct kbr_rstp *br)
{
	struct kbr_rstp_port *p;

	for (p = br->ports; p; p = p->next)
		p->sync = true;
}

/* 17.21.15 */
static void set_re_root_tree(struct kbr_rstp *br)
{
	struct kbr_rstp_port *p;

	for (p = br->ports; p; p = p->next)
		p->re_root = true;
}

/* 17.29: the states of Port Role Transitions, by role. */
enum prt_state {
	PRT_INIT_PORT,
	PRT_DISABLE_PORT,
	PRT_DISABLED_PORT,
	PRT_ROOT_PORT,
	PRT_ROOT_PROPOSED,
	PRT_ROOT_AGREED,
	PRT_REROOT,
	PRT_REROOTED,
	PRT_ROOT_LEARN,
	PRT_ROOT_FORWARD,
	PRT_DESIGNATED_PORT,
	PRT_DESIGNATED_PROPOSE,
	PRT_DESIGNATED_SYNCED,
	PRT_DESIGNATED_RETIRED,
	PRT_DESIGNATED_DISCARD,
	PRT_DESIGNATED_LEARN,
	PRT_DESIGNATED_FORWARD,
	PRT_BLOCK_PORT,
	PRT_ALTERNATE_PORT,
	PRT_ALTERNATE_PROPOSED,
	PRT_ALTERNATE_AGREED,
	PRT_BACKUP_PORT,
};

/* 17.29: enter @state, doing what it does on entry. */
static bool prt_enter(struct kbr_rstp_port *p, enum prt_state state)
{
	struct kbr_rstp *br = p->br;

	p->prt = state;
	switch (state) {
	case PRT_INIT_PORT:
		p->role = KBR_RSTP_ROLE_DISABLED;
		p->learn = false;
		p->forward = false;
		p->synced = false;
		p->sync = true;
		p->re_root = true;
		p->rr_while = fwd_delay(p);
		p->fd_while = max_age(p);
		p->rb_while = 0;
		break;
	case PRT_DISABLE_PORT:
	case PRT_BLOCK_PORT:
		p->role = p->selected_role;
		p->learn = false;
		p->forward = false;
		break;
	case PRT_DISABLED_PORT:
		p->fd_while = max_age(p);
		p->synced = true;
		p->rr_while = 0;
		p->sync = false;
		p->re_root = false;
		break;
	case PRT_ROOT_PORT:
		p->role = KBR_RSTP_ROLE_ROOT;
		p->rr_while = fwd_delay(p);
		break;
	case PRT_ROOT_PROPOSED:
	case PRT_ALTERNATE_PROPOSED:
		set_sync_tree(br);
		p->proposed = false;
		break;
	case PRT_ROOT_AGREED:
		p->proposed = false;
		p->sync = false;
		p->agree = true;
		p->new_info = true;
		break;
	case PRT_ALTERNATE_AGREED:
		p->proposed = false;
		p->agree = true;
		p->new_info = true;
		break;
	case PRT_REROOT:
		set_re_root_tree(br);
		break;
	case PRT_REROOTED:
		p->re_root = false;
		break;
	case PRT_ROOT_LEARN:
	case PRT_DESIGNATED_LEARN:
		p->fd_while = forward_delay(p);
		p->learn = true;
		break;
	case PRT_ROOT_FORWARD:
		p->fd_while = 0;
		p->forward = true;
		break;
	case PRT_DESIGNATED_PORT:
		p->role = KBR_RSTP_ROLE_DESIGNATED;
		break;
	case PRT_DESIGNATED_PROPOSE:
		p->proposing = true;
		p->edge_delay_while = kbr_rstp_edge_delay(p);
		p->new_info = true;
		break;
	case PRT_DESIGNATED_SYNCED:
		p->rr_while = 0;
		p->synced = true;
		p->sync = false;
		break;
	case PRT_DESIGNATED_RETIRED:
		p->re_root = false;
		break;
	case PRT_DESIGNATED_DISCARD:
		p->learn = false;
		p->forward = false;
		p->disputed = false;
		p->fd_while = forward_delay(p);
		break;
	case PRT_DESIGNATED_FORWARD:
		p->forward = true;
		p->fd_while = 0;
		p->agreed = p->send_rstp;
		break;
	case PRT_ALTERNATE_PORT:
		p->fd_while = forward_delay(p);
		p->synced = true;
		p->rr_while = 0;
		p->sync = false;
		p->re_root = false;
		break;
	case PRT_BACKUP_PORT:
		p->rb_while = 2 * hello_time(p);
		break;
	}
	return true;
}

/* 17.29, root port: one transition, if one is due. */
static bool prt_root(struct kbr_rstp_port *p)
{
	bool may_learn;

	if (p->proposed && !p->agree)
		return prt_enter(p, PRT_ROOT_PROPOSED);
	if ((all_synced(p->br) && !p->agree) || (p->proposed && p->agree))
		return prt_enter(p, PRT_ROOT_AGREED);
	if (!p->forward && !p->re_root)
		return prt_enter(p, PRT_REROOT);
	if (p->rr_while != fwd_delay(p))
		return prt_enter(p, PRT_ROOT_PORT);
	if (p->re_root && p->forward)
		return prt_enter(p, PRT_REROOTED);
	may_learn = !p->fd_while ||
		    (re_rooted(p) && !p->rb_while && kbr_rstp_version(p->br));
	if (may_learn && !p->learn)
		return prt_enter(p, PRT_ROOT_LEARN);
	if (may_learn && p->learn && !p->forward)
		return prt_enter(p, PRT_ROOT_FORWARD);
	return false;
}

/* 17.29, designated port: one transition, if one is due. */
static bool prt_designated(struct kbr_rstp_port *p)
{
	bool may_learn;

	if (!p->forward && !p->agreed && !p->proposing && !p->oper_edge)
		return prt_enter(p, PRT_DESIGNATED_PROPOSE);
	if ((!p->learning && !p->forwarding && !p->synced) ||
	    (p->agreed && !p->synced) || (p->oper_edge && !p->synced) ||
	    (p->sync && p->synced))
		return prt_enter(p, PRT_DESIGNATED_SYNCED);
	if (!p->rr_while && p->re_root)
		return prt_enter(p, PRT_DESIGNATED_RETIRED);
	/* Loop guard's hold comes on top of 17.29's conditions. */
	if (((((p->sync && !p->synced) || (p->re_root && p->rr_while) ||
	       p->disputed) && !p->oper_edge) || p->loop_inconsistent) &&
	    (p->learn || p->forward))
		return prt_enter(p, PRT_DESIGNATED_DISCARD);
	may_learn = (!p->fd_while || p->agreed || p->oper_edge) &&
		    (!p->rr_while || !p->re_root) && !p->sync &&
		    !p->loop_inconsistent;
	if (may_learn && !p->learn)
		return prt_enter(p, PRT_DESIGNATED_LEARN);
	if (may_learn && p->learn && !p->forward)
		return prt_enter(p, PRT_DESIGNATED_FORWARD);
	return false;
}

/* 17.29, alternate or backup port: one transition, if one is due. */
static bool prt_alternate(struct kbr_rstp_port *p)
{
	if (p->proposed && !p->agree)
		return prt_enter(p, PRT_ALTERNATE_PROPOSED);
	if ((all_synced(p->br) && !p->agree) || (p->proposed && p->agree))
		return prt_enter(p, PRT_ALTERNATE_AGREED);
	if (p->fd_while != forward_delay(p) || p->sync || p->re_root ||
	    !p->synced)
		return prt_enter(p, PRT_ALTERNATE_PORT);
	if (p->rb_while != 2 * hello_time(p) &&
	    p->role == KBR_RSTP_ROLE_BACKUP)
		return prt_enter(p, PRT_BACKUP_PORT);
	return false;
}

/**
 * kbr_rstp_role_transitions - one transition of @p's Port Role
 * Transitions machine (17.29), if one is due
 * @p: the port
 *
 * Return: whether it made one.
 */
bool kbr_rstp_role_transitions(struct kbr_rstp_port *p)
{
	static const enum prt_state first[] = {
		[KBR_RSTP_ROLE_DISABLED]	= PRT_DISABLE_PORT,
		[KBR_RSTP_ROLE_ROOT]		= PRT_ROOT_PORT,
		[KBR_RSTP_ROLE_DESIGNATED]	= PRT_DESIGNATED_PORT,
		[KBR_RSTP_ROLE_ALTERNATE]	= PRT_BLOCK_PORT,
		[KBR_RSTP_ROLE_BACKUP]		= PRT_BLOCK_PORT,
	};

	/* Unconditional transitions first. */
	switch (p->prt) {
	case PRT_INIT_PORT:
		return prt_enter(p, PRT_DISABLE_PORT);
	case PRT_ROOT_PROPOSED:
	case PRT_ROOT_AGREED:
	case PRT_REROOT:
	case PRT_REROOTED:
	case PRT_ROOT_LEARN:
	case PRT_ROOT_FORWARD:
		return prt_enter(p, PRT_ROOT_PORT);
	case PRT_DESIGNATED_PROPOSE:
	case PRT_DESIGNATED_SYNCED:
	case PRT_DESIGNATED_RETIRED:
	case PRT_DESIGNATED_DISCARD:
	case PRT_DESIGNATED_LEARN:
	case PRT_DESIGNATED_FORWARD:
		return prt_enter(p, PRT_DESIGNATED_PORT);
	case PRT_ALTERNATE_PROPOSED:
	case PRT_ALTERNATE_AGREED:
	case PRT_BACKUP_PORT:
		return prt_enter(p, PRT_ALTERNATE_PORT);
	default:
		break;
	}
	/* The others wait for a selection the information machine has
	 * acted on; a new role goes first.
	 */
	if (!p->selected || p->updt_info)
		return false;
	if (p->role != p->selected_role)
		return prt_enter(p, first[p->selected_role]);

	switch (p->prt) {
	case PRT_BLOCK_PORT:
		if (!p->learning && !p->forwarding)
			return prt_enter(p, PRT_ALTERNATE_PORT);
		return false;
	case PRT_DISABLE_PORT:
		if (!p->learning && !p->forwarding)
			return prt_enter(p, PRT_DISABLED_PORT);
		return false;
	case PRT_DISABLED_PORT:
		if (p->fd_while != max_age(p) || p->sync || p->re_root ||
		    !p->synced)
			return prt_enter(p, PRT_DISABLED_PORT);
		return false;
	case PRT_ROOT_PORT:
		return prt_root(p);
	case PRT_DESIGNATED_PORT:
		return prt_designated(p);
	default:	/* ALTERNATE_PORT */
		return prt_alternate(p);
	}
}

/* 17.30 */
enum pst_state {
	PST_DISCARDING,
	PST_LEARNING,
	PST_FORWARDING,
};

/**
 * kbr_rstp_state_transition - one transition of @p's Port State
 * Transition machine (17.30), if one is due
 * @p: the port
 *
 * The caller applies learning and forwarding to the port after the run.
 *
 * Return: whether it made one.
 */
bool kbr_rstp_state_transition(struct kbr_rstp_port *p)
{
	enum pst_state next;

	switch (p->pst) {
	case PST_DISCARDING:
		if (!p->learn)
			return false;
		next = PST_LEARNING;
		break;
	case PST_LEARNING:
		if (!p->learn)
			next = PST_DISCARDING;
		else if (p->forward)
			next = PST_FORWARDING;
		else
			return false;
		break;
	default:
		if (p->forward)
			return false;
		next = PST_DISCARDING;
		break;
	}
	p->pst = next;
	p->learning = next != PST_DISCARDING;
	p->forwarding = next == PST_FORWARDING;
	return true;
}

/* 17.26 */
enum ptx_state {
	PTX_TRANSMIT_INIT,
	PTX_IDLE,
};

/* 17.21.19 to 17.21.21: the BPDU @p sends, of kind @type. */
static void tx(struct kbr_rstp_port *p, enum kbr_bpdu_type type)
{
	static const u8 role_bits[] = {
		[KBR_RSTP_ROLE_ROOT]		= KBR_BPDU_ROLE_ROOT,
		[KBR_RSTP_ROLE_DESIGNATED]	= KBR_BPDU_ROLE_DESIGNATED,
		[KBR_RSTP_ROLE_ALTERNATE]	= KBR_BPDU_ROLE_ALT_BACKUP,
		[KBR_RSTP_ROLE_BACKUP]		= KBR_BPDU_ROLE_ALT_BACKUP,
	};
	const struct kbr_rstp_vector *v = &p->designated_priority;
	const struct kbr_rstp_times *t = &p->designated_times;
	struct kbr_bpdu b = { .type = type };

	if (type != KBR_BPDU_TCN) {
		b.root = v->root;
		b.root_path_cost = v->root_path_cost;
		b.bridge = v->designated_bridge;
		b.port_id = v->designated_port;
		b.message_age = t->message_age * HZ;
		b.max_age = t->max_age * HZ;
		b.forward_delay = t->forward_delay * HZ;
		b.hello_time = t->hello_time * HZ;
		if (p->tc_while)
			b.flags |= KBR_BPDU_F_TC;
	}
	if (type == KBR_BPDU_CONFIG && p->tc_ack)
		b.flags |= KBR_BPDU_F_TCA;
	if (type == KBR_BPDU_RST) {
		b.flags |= role_bits[p->role] << KBR_BPDU_ROLE_SHIFT;
		if (p->proposing)
			b.flags |= KBR_BPDU_F_PROPOSAL;
		if (p->learning)
			b.flags |= KBR_BPDU_F_LEARNING;
		if (p->forwarding)
			b.flags |= KBR_BPDU_F_FORWARDING;
		if (p->agree)
			b.flags |= KBR_BPDU_F_AGREEMENT;
	}
	p->new_info = false;
	/* Each TRANSMIT_* state goes back to IDLE, which rearms helloWhen. */
	p->hello_when = hello_time(p);
	p->tx_count++;
	if (type != KBR_BPDU_TCN)
		p->tc_ack = false;
	p->br->ops->tx(p, &b);
}

/**
 * kbr_rstp_transmit - one transition of @p's Port Transmit machine
 * (17.26), if one is due
 * @p: the port
 *
 * The TRANSMIT_* states go back to IDLE at once, so they are done here
 * as IDLE's transitions; TRANSMIT_PERIODIC re-enters IDLE, which rearms
 * helloWhen.  A port whose MAC is down starts over at TRANSMIT_INIT.
 *
 * Return: whether it made one.
 */
bool kbr_rstp_transmit(struct kbr_rstp_port *p)
{
	if (!p->port_enabled) {
		if (p->ptx == PTX_TRANSMIT_INIT)
			return false;
		p->ptx = PTX_TRANSMIT_INIT;
		return true;
	}
	if (p->ptx == PTX_TRANSMIT_INIT) {
		p->new_info = true;
		p->tx_count = 0;
		p->ptx = PTX_IDLE;
		p->hello_when = hello_time(p);
		return true;
	}
	if (!p->selected || p->updt_info)
		return false;
	if (!p->hello_when) {
		p->new_info = p->new_info ||
			      p->role == KBR_RSTP_ROLE_DESIGNATED ||
			      (p->role == KBR_RSTP_ROLE_ROOT && p->tc_while);
		p->hello_when = hello_time(p);
		return true;
	}
	if (!p->new_info || p->tx_count >= p->br->tx_hold_count)
		return false;
	if (p->send_rstp) {
		tx(p, KBR_BPDU_RST);
		return true;
	}
	if (p->role == KBR_RSTP_ROLE_ROOT) {
		tx(p, KBR_BPDU_TCN);
		return true;
	}
	if (p->role == KBR_RSTP_ROLE_DESIGNATED) {
		tx(p, KBR_BPDU_CONFIG);
		return true;
	}
	return false;
}

/**
 * kbr_rstp_roles_begin - BEGIN for @p's Port Role Transitions, Port State
 * Transition and Port Transmit machines
 * @p: the port
 */
void kbr_rstp_roles_begin(struct kbr_rstp_port *p)
{
	prt_enter(p, PRT_INIT_PORT);
	p->pst = PST_DISCARDING;
	p->learning = false;
	p->forwarding = false;
	p->ptx = PTX_TRANSMIT_INIT;
}
