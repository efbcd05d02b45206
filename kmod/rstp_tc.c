// SPDX-License-Identifier: GPL-2.0
/*
 * 802.1D-2004 clause 17, what a port learns of its neighbours and tells
 * them of changes: Topology Change (17.31), Port Protocol Migration
 * (17.24) and Bridge Detection (17.25), in the standard's names.  rstp.c
 * runs them, as it runs the others, one transition a call.
 *
 * Clause -> function:
 *   17.21.7	newTcWhile()		new_tc_while()
 *   17.21.18	setTcPropTree()		set_tc_prop_tree()
 *   17.24	Port Protocol Migration	kbr_rstp_migration()
 *   17.25	Bridge Detection	kbr_rstp_bridge_detection()
 *   17.31	Topology Change		kbr_rstp_topology_change(), tcm_enter()
 */

#include "rstp.h"

/* 17.31 */
enum tcm_state {
	TCM_INACTIVE,
	TCM_LEARNING,
	TCM_DETECTED,
	TCM_ACTIVE,
	TCM_NOTIFIED_TCN,
	TCM_NOTIFIED_TC,
	TCM_PROPAGATING,
	TCM_ACKNOWLEDGED,
};

/* 17.24 */
enum ppm_state {
	PPM_CHECKING_RSTP,
	PPM_SELECTING_STP,
	PPM_SENSING,
};

/* 17.25 */
enum bdm_state {
	BDM_EDGE,
	BDM_NOT_EDGE,
};

/*
 * fdbFlush (17.19.7): set, the FDB drops what it learned on the port at
 * once, and it is clear again.
 */
static void fdb_flush(struct kbr_rstp_port *p)
{
	if (p->br->ops->flush)
		p->br->ops->flush(p);
}

/* 17.21.7: a topology change lasts a hello and a second (two max ages'
 * worth of STP's, for a neighbour that speaks it) from its start.
 */
static void new_tc_while(struct kbr_rstp_port *p)
{
	if (p->tc_while)
		return;
	if (p->send_rstp) {
		p->tc_while = p->designated_times.hello_time + 1;
		p->new_info = true;
	} else {
		p->tc_while = p->br->root_times.max_age +
			      p->br->root_times.forward_delay;
	}
}

/* 17.21.18: every port but @p propagates the change. */
static void set_tc_prop_tree(struct kbr_rstp_port *p)
{
	struct kbr_rstp_port *q;

	for (q = p->br->ports; q; q = q->next) {
		if (q != p)
			q->tc_prop = true;
	}
}

static bool root_or_designated(const struct kbr_rstp_port *p)
{
	return p->role == KBR_RSTP_ROLE_ROOT ||
	       p->role == KBR_RSTP_ROLE_DESIGNATED;
}

static bool any_tc_news(const struct kbr_rstp_port *p)
{
	return p->rcvd_tc || p->rcvd_tcn || p->rcvd_tc_ack || p->tc_prop;
}

/* 17.31: enter @state, doing what it does on entry. */
static bool tcm_enter(struct kbr_rstp_port *p, enum tcm_state state)
{
	p->tcm = state;
	switch (state) {
	case TCM_INACTIVE:
		fdb_flush(p);
		p->tc_while = 0;
		p->tc_ack = false;
		break;
	case TCM_LEARNING:
		p->rcvd_tc = false;
		p->rcvd_tcn = false;
		p->rcvd_tc_ack = false;
		p->tc_prop = false;
		break;
	case TCM_DETECTED:
		new_tc_while(p);
		set_tc_prop_tree(p);
		p->new_info = true;
		break;
	case TCM_ACTIVE:
		break;
	case TCM_NOTIFIED_TCN:
		new_tc_while(p);
		break;
	case TCM_NOTIFIED_TC:
		p->rcvd_tcn = false;
		p->rcvd_tc = false;
		if (p->role == KBR_RSTP_ROLE_DESIGNATED)
			p->tc_ack = true;
		set_tc_prop_tree(p);
		break;
	case TCM_PROPAGATING:
		new_tc_while(p);
		fdb_flush(p);
		p->tc_prop = false;
		break;
	case TCM_ACKNOWLEDGED:
		p->tc_while = 0;
		p->rcvd_tc_ack = false;
		break;
	}
	return true;
}

/**
 * kbr_rstp_topology_change - one transition of @p's Topology Change
 * machine (17.31), if one is due
 * @p: the port
 *
 * A port that starts forwarding, and is no edge port, starts a change:
 * it and every port it reaches flush their learned entries at once and
 * set TC in their BPDUs for tcWhile.
 *
 * Return: whether it made one.
 */
bool kbr_rstp_topology_change(struct kbr_rstp_port *p)
{
	switch (p->tcm) {
	case TCM_INACTIVE:
		if (p->learn)
			return tcm_enter(p, TCM_LEARNING);
		return false;
	case TCM_LEARNING:
		if (root_or_designated(p) && p->forward && !p->oper_edge)
			return tcm_enter(p, TCM_DETECTED);
		if (any_tc_news(p))
			return tcm_enter(p, TCM_LEARNING);
		if (!root_or_designated(p) && !(p->learn || p->learning))
			return tcm_enter(p, TCM_INACTIVE);
		return false;
	case TCM_ACTIVE:
		if (!root_or_designated(p) || p->oper_edge)
			return tcm_enter(p, TCM_LEARNING);
		if (p->rcvd_tcn)
			return tcm_enter(p, TCM_NOTIFIED_TCN);
		if (p->rcvd_tc)
			return tcm_enter(p, TCM_NOTIFIED_TC);
		if (p->tc_prop && !p->oper_edge)
			return tcm_enter(p, TCM_PROPAGATING);
		if (p->rcvd_tc_ack)
			return tcm_enter(p, TCM_ACKNOWLEDGED);
		return false;
	case TCM_NOTIFIED_TCN:
		return tcm_enter(p, TCM_NOTIFIED_TC);
	default:	/* DETECTED, NOTIFIED_TC, PROPAGATING, ACKNOWLEDGED */
		return tcm_enter(p, TCM_ACTIVE);
	}
}

/* 17.24: enter @state, doing what it does on entry. */
static bool ppm_enter(struct kbr_rstp_port *p, enum ppm_state state)
{
	p->ppm = state;
	switch (state) {
	case PPM_CHECKING_RSTP:
		p->mcheck = false;
		p->send_rstp = kbr_rstp_version(p->br);
		p->mdelay_while = KBR_RSTP_MIGRATE_TIME;
		break;
	case PPM_SELECTING_STP:
		p->send_rstp = false;
		p->mdelay_while = KBR_RSTP_MIGRATE_TIME;
		p->to_stp++;
		break;
	case PPM_SENSING:
		p->rcvd_rstp = false;
		p->rcvd_stp = false;
		break;
	}
	return true;
}

/**
 * kbr_rstp_migration - one transition of @p's Port Protocol Migration
 * machine (17.24), if one is due
 * @p: the port
 *
 * A port that hears an 802.1D BPDU after MigrateTime speaks 802.1D on
 * that link from then on, until mcheck, or the link going down, makes it
 * try RSTP again.
 *
 * Return: whether it made one.
 */
bool kbr_rstp_migration(struct kbr_rstp_port *p)
{
	switch (p->ppm) {
	case PPM_CHECKING_RSTP:
		if (p->mdelay_while != KBR_RSTP_MIGRATE_TIME &&
		    !p->port_enabled)
			return ppm_enter(p, PPM_CHECKING_RSTP);
		if (!p->mdelay_while)
			return ppm_enter(p, PPM_SENSING);
		return false;
	case PPM_SELECTING_STP:
		if (!p->mdelay_while || !p->port_enabled || p->mcheck)
			return ppm_enter(p, PPM_SENSING);
		return false;
	default:	/* SENSING */
		if (!p->port_enabled || p->mcheck ||
		    (kbr_rstp_version(p->br) && !p->send_rstp && p->rcvd_rstp))
			return ppm_enter(p, PPM_CHECKING_RSTP);
		if (p->send_rstp && p->rcvd_stp)
			return ppm_enter(p, PPM_SELECTING_STP);
		return false;
	}
}

/**
 * kbr_rstp_bridge_detection - one transition of @p's Bridge Detection
 * machine (17.25), if one is due
 * @p: the port
 *
 * An edge port (AdminEdge, or AutoEdge when a proposal goes unanswered
 * for edgeDelayWhile) forwards at once and starts no topology change; a
 * BPDU heard on it (Port Receive clears operEdge) ends that.
 *
 * Return: whether it made one.
 */
bool kbr_rstp_bridge_detection(struct kbr_rstp_port *p)
{
	if (p->bdm == BDM_EDGE) {
		if ((!p->port_enabled && !p->admin_edge) || !p->oper_edge) {
			p->bdm = BDM_NOT_EDGE;
			p->oper_edge = false;
			return true;
		}
		return false;
	}
	/* A port loop guard holds is silent for a reason: not an edge. */
	if ((!p->port_enabled && p->admin_edge) ||
	    (!p->edge_delay_while && p->auto_edge && p->send_rstp &&
	     p->proposing && !p->loop_inconsistent)) {
		p->bdm = BDM_EDGE;
		p->oper_edge = true;
		return true;
	}
	return false;
}

/**
 * kbr_rstp_port_set_edge - AdminEdge and AutoEdge, set by management
 * @p: the port
 * @admin_edge: AdminEdge
 * @auto_edge: AutoEdge
 *
 * Bridge Detection looks at AdminEdge only while the MAC is down (17.25);
 * a new one on a port that is up puts the machine in the state it says
 * at once, as mstpd does, rather than at the next link down and up.  The
 * caller runs the machines.
 */
void kbr_rstp_port_set_edge(struct kbr_rstp_port *p, bool admin_edge,
			    bool auto_edge)
{
	p->auto_edge = auto_edge;
	if (p->admin_edge == admin_edge)
		return;
	p->admin_edge = admin_edge;
	p->bdm = admin_edge ? BDM_EDGE : BDM_NOT_EDGE;
	p->oper_edge = admin_edge;
}

/**
 * kbr_rstp_tc_begin - BEGIN for @p's Topology Change, Port Protocol
 * Migration and Bridge Detection machines
 * @p: the port
 */
void kbr_rstp_tc_begin(struct kbr_rstp_port *p)
{
	tcm_enter(p, TCM_INACTIVE);
	ppm_enter(p, PPM_CHECKING_RSTP);
	p->bdm = p->admin_edge ? BDM_EDGE : BDM_NOT_EDGE;
	p->oper_edge = p->admin_edge;
}
