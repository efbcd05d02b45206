/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 802.1D-2004 clause 17, the Rapid Spanning Tree Protocol: the bridge's
 * and ports' variables (17.18, 17.19) and the machines rstp.c runs.  Like
 * bpdu.h, nothing here needs the kernel: the host's simulation test
 * (kmod/tests/rstp_sim.c) builds bridges and LANs from these structures.
 *
 * Times are whole seconds, as the standard's are.  Names follow the
 * standard's (infoIs is info_is, rcvdInfoWhile rcvd_info_while), so that
 * a reader holding it can follow.  The caller serialises every call for
 * one bridge (in the kernel, with the bridge's stp_lock).
 */

#ifndef _KBR_RSTP_H
#define _KBR_RSTP_H

#include "bpdu.h"

/* 17.5, 17.6: a priority vector; the first four are what a BPDU says. */
struct kbr_rstp_vector {
	struct kbr_id	root;
	u32		root_path_cost;
	struct kbr_id	designated_bridge;
	u16		designated_port;
	u16		bridge_port;
};

/* 17.17.1 and the BPDU's four times, in seconds. */
struct kbr_rstp_times {
	u16	message_age;
	u16	max_age;
	u16	forward_delay;
	u16	hello_time;
};

/* 17.19.10 infoIs */
enum kbr_rstp_info {
	KBR_RSTP_INFO_DISABLED,
	KBR_RSTP_INFO_MINE,
	KBR_RSTP_INFO_AGED,
	KBR_RSTP_INFO_RECEIVED,
};

/* rcvdInfo (17.19): what rcvInfo() (17.21.8) made of a message. */
enum kbr_rstp_rcvd {
	KBR_RSTP_SUPERIOR_DESIGNATED,
	KBR_RSTP_REPEATED_DESIGNATED,
	KBR_RSTP_INFERIOR_DESIGNATED,
	KBR_RSTP_INFERIOR_ROOT_ALTERNATE,
	KBR_RSTP_OTHER,
};

/* 17.7: port roles (selectedRole and role). */
enum kbr_rstp_role {
	KBR_RSTP_ROLE_DISABLED,
	KBR_RSTP_ROLE_ROOT,
	KBR_RSTP_ROLE_DESIGNATED,
	KBR_RSTP_ROLE_ALTERNATE,
	KBR_RSTP_ROLE_BACKUP,
};

struct kbr_rstp;
struct kbr_rstp_port;

/**
 * struct kbr_rstp_ops - what the machines ask of their bridge
 * @tx: send @bpdu out of @p (txConfig(), txTcn(), txRstp()); the port's
 *	MAC is operational
 * @flush: drop what the FDB learned on @p (fdbFlush, 17.19.7)
 */
struct kbr_rstp_ops {
	void	(*tx)(struct kbr_rstp_port *p, const struct kbr_bpdu *bpdu);
	void	(*flush)(struct kbr_rstp_port *p);
};

/**
 * struct kbr_rstp_port - one port's variables (17.19) and machine states
 * @br: its bridge
 * @next: the next port of @br, in the order they were added
 * @port_id: portId: priority (4 bits) and port number (12)
 * @port_path_cost: PortPathCost
 * @port_enabled: portEnabled: the MAC is operational
 * @oper_p2p: operPointToPointMAC
 * @info_is: infoIs: where @port_priority and @port_times come from
 * @port_priority: portPriority: the port's priority vector
 * @port_times: portTimes
 * @msg_priority: msgPriority: that of the message being received
 * @msg_times: msgTimes
 * @designated_priority: designatedPriority: what the port would send
 *	as a designated port (17.21.25)
 * @designated_times: designatedTimes
 * @rcvd_info: rcvdInfo: rcvInfo()'s verdict on the message
 * @rcvd_info_while: rcvdInfoWhile: seconds until received information
 *	ages out
 * @rcvd_bpdu: the message rcvdMsg refers to
 * @rcvd_msg: rcvdMsg: a BPDU waits for the Port Information machine
 * @reselect: reselect: Port Role Selection must run
 * @selected: selected: @selected_role is current
 * @updt_info: updtInfo: the port is to send its designated information
 * @new_info: newInfo: a BPDU with it is to be transmitted
 * @selected_role: selectedRole: the role Port Role Selection chose
 * @role: role: the role the port has
 * @proposing: proposing
 * @proposed: proposed
 * @agree: agree
 * @agreed: agreed
 * @synced: synced
 * @disputed: disputed
 * @rcvd_tc: rcvdTc
 * @rcvd_tcn: rcvdTcn
 * @rcvd_tc_ack: rcvdTcAck
 * @oper_edge: operEdge
 * @send_rstp: sendRSTP: RST BPDUs, not 802.1D ones, go out
 * @sync: sync
 * @re_root: reRoot
 * @learn: learn: Port Role Transitions wants the port learning
 * @forward: forward: and forwarding
 * @learning: learning: the port learns (Port State Transition)
 * @forwarding: forwarding: the port forwards
 * @tc_ack: tcAck
 * @tx_count: txCount: BPDUs sent since the last tick
 * @hello_when: helloWhen, seconds
 * @fd_while: fdWhile, seconds
 * @rr_while: rrWhile, seconds
 * @rb_while: rbWhile, seconds
 * @tc_while: tcWhile, seconds
 * @admin_edge: AdminEdge: the port is configured as an edge port
 * @auto_edge: AutoEdge: it becomes one when no bridge answers it
 * @rcvd_rstp: rcvdRSTP: an RST BPDU came in (Port Receive)
 * @rcvd_stp: rcvdSTP: a configuration or TCN BPDU came in
 * @mcheck: mcheck: try RSTP again (management's migrate)
 * @tc_prop: tcProp: another port asks this one to propagate a change
 * @edge_delay_while: edgeDelayWhile, seconds
 * @mdelay_while: mdelayWhile, seconds
 * @to_stp: times Port Protocol Migration chose 802.1D for the port (a
 *	counter for the caller, not a variable of the standard's)
 * @restricted_role: restrictedRole (802.1Q's; root guard):
 *	the port is never the root port; with the best information it is
 *	an alternate port instead
 * @root_restricted: restrictedRole keeps the port from being the root
 *	port just now: its information is better than the root's chosen
 *	(the caller's "root inconsistent", not the standard's)
 * @loop_guard: loop guard (not the standard's): when the information
 *	of a root or alternate port on a point-to-point link ages out, the
 *	port stays discarding
 * @loop_inconsistent: loop guard holds the port discarding, until a
 *	BPDU comes in or the MAC goes down
 * @loop_trips: times @loop_inconsistent was set (a counter for the
 *	caller)
 * @pim: the Port Information machine's state
 * @prt: the Port Role Transitions machine's state
 * @pst: the Port State Transition machine's state
 * @ptx: the Port Transmit machine's state
 * @tcm: the Topology Change machine's state
 * @ppm: the Port Protocol Migration machine's state
 * @bdm: the Bridge Detection machine's state
 */
struct kbr_rstp_port {
	struct kbr_rstp		*br;
	struct kbr_rstp_port	*next;
	u16			port_id;
	u32			port_path_cost;
	bool			port_enabled;
	bool			oper_p2p;

	enum kbr_rstp_info	info_is;
	struct kbr_rstp_vector	port_priority;
	struct kbr_rstp_times	port_times;
	struct kbr_rstp_vector	msg_priority;
	struct kbr_rstp_times	msg_times;
	struct kbr_rstp_vector	designated_priority;
	struct kbr_rstp_times	designated_times;
	enum kbr_rstp_rcvd	rcvd_info;
	u16			rcvd_info_while;
	struct kbr_bpdu		rcvd_bpdu;

	bool			rcvd_msg;
	bool			reselect;
	bool			selected;
	bool			updt_info;
	bool			new_info;
	enum kbr_rstp_role	selected_role;
	enum kbr_rstp_role	role;
	bool			proposing;
	bool			proposed;
	bool			agree;
	bool			agreed;
	bool			synced;
	bool			disputed;
	bool			rcvd_tc;
	bool			rcvd_tcn;
	bool			rcvd_tc_ack;

	bool			oper_edge;
	bool			send_rstp;
	bool			sync;
	bool			re_root;
	bool			learn;
	bool			forward;
	bool			learning;
	bool			forwarding;
	bool			tc_ack;
	u16			tx_count;
	u16			hello_when;
	u16			fd_while;
	u16			rr_while;
	u16			rb_while;
	u16			tc_while;
	bool			admin_edge;
	bool			auto_edge;
	bool			rcvd_rstp;
	bool			rcvd_stp;
	bool			mcheck;
	bool			tc_prop;
	u16			edge_delay_while;
	u16			mdelay_while;
	u32			to_stp;
	bool			restricted_role;
	bool			root_restricted;
	bool			loop_guard;
	bool			loop_inconsistent;
	u32			loop_trips;

	u8			pim;
	u8			prt;
	u8			pst;
	u8			ptx;
	u8			tcm;
	u8			ppm;
	u8			bdm;
};

/**
 * struct kbr_rstp - a bridge's variables (17.18) and machine states
 * @ports: its ports, in the order they were added
 * @bridge_id: BridgeIdentifier
 * @bridge_priority: BridgePriority: {B, 0, B, 0, 0}
 * @bridge_times: BridgeTimes (message age 0)
 * @root_priority: rootPriority: the root priority vector
 * @root_times: rootTimes
 * @root_port_id: rootPortId, 0 when the bridge is the root
 * @force_version: ForceVersion: 2 for RSTP, 0 for STP compatibility
 * @tx_hold_count: TxHoldCount: at most this many BPDUs a port sends in
 *	a second (kbr_rstp_tick() says why a second, not a token a second)
 * @ops: what the machines ask of the bridge
 * @begin: BEGIN: the machines start over at their next run
 * @prs: the Port Role Selection machine's state
 */
struct kbr_rstp {
	struct kbr_rstp_port	*ports;
	struct kbr_id		bridge_id;
	struct kbr_rstp_vector	bridge_priority;
	struct kbr_rstp_times	bridge_times;
	struct kbr_rstp_vector	root_priority;
	struct kbr_rstp_times	root_times;
	u16			root_port_id;
	u8			force_version;
	u16			tx_hold_count;
	const struct kbr_rstp_ops *ops;
	bool			begin;
	u8			prs;
};

/* 17.13.12: TxHoldCount's default. */
#define KBR_RSTP_TX_HOLD_COUNT	6

void kbr_rstp_init(struct kbr_rstp *br, const struct kbr_id *bridge_id,
		   const struct kbr_rstp_times *times,
		   const struct kbr_rstp_ops *ops);
void kbr_rstp_port_add(struct kbr_rstp *br, struct kbr_rstp_port *p,
		       u16 port_id, u32 path_cost);
void kbr_rstp_port_del(struct kbr_rstp_port *p);
void kbr_rstp_port_enable(struct kbr_rstp_port *p, bool enabled);
void kbr_rstp_rx(struct kbr_rstp_port *p, const struct kbr_bpdu *bpdu);
void kbr_rstp_tick(struct kbr_rstp *br);
void kbr_rstp_run(struct kbr_rstp *br);
void kbr_rstp_set_bridge_id(struct kbr_rstp *br, const struct kbr_id *id);
void kbr_rstp_set_times(struct kbr_rstp *br,
			const struct kbr_rstp_times *times);
void kbr_rstp_port_set(struct kbr_rstp_port *p, u16 port_id, u32 path_cost);
void kbr_rstp_set_tx_hold_count(struct kbr_rstp *br, u16 count);
void kbr_rstp_port_mcheck(struct kbr_rstp_port *p);
void kbr_rstp_port_set_restricted(struct kbr_rstp_port *p, bool restricted);
void kbr_rstp_port_set_loop_guard(struct kbr_rstp_port *p, bool on);
void kbr_rstp_port_set_edge(struct kbr_rstp_port *p, bool admin_edge,
			    bool auto_edge);
/* rstpVersion (17.20.11): the bridge runs RSTP, not STP compatibility. */
static inline bool kbr_rstp_version(const struct kbr_rstp *br)
{
	return br->force_version >= 2;
}

/* 17.13.9: MigrateTime, seconds. */
#define KBR_RSTP_MIGRATE_TIME	3

/* 17.20.4: how long a designated port waits for an answer to its
 * proposal before it takes itself for an edge port.
 */
static inline u16 kbr_rstp_edge_delay(const struct kbr_rstp_port *p)
{
	return p->oper_p2p ? KBR_RSTP_MIGRATE_TIME :
			     p->designated_times.max_age;
}

/* rstp_tc.c, run by rstp.c */
bool kbr_rstp_topology_change(struct kbr_rstp_port *p);
bool kbr_rstp_migration(struct kbr_rstp_port *p);
bool kbr_rstp_bridge_detection(struct kbr_rstp_port *p);
void kbr_rstp_tc_begin(struct kbr_rstp_port *p);

/* rstp_roles.c, run by rstp.c */
bool kbr_rstp_role_transitions(struct kbr_rstp_port *p);
bool kbr_rstp_state_transition(struct kbr_rstp_port *p);
bool kbr_rstp_transmit(struct kbr_rstp_port *p);
void kbr_rstp_roles_begin(struct kbr_rstp_port *p);

int kbr_rstp_vector_cmp(const struct kbr_rstp_vector *a,
			const struct kbr_rstp_vector *b);

#endif /* _KBR_RSTP_H */
