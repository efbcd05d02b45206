/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 802.1D-1998 spanning tree: what stp.c (the procedures), stp_timer.c
 * (the timers) and stp_if.c (the management side) share.  Everything
 * here runs under kbr->stp_lock, but the timers' init and sync functions.
 */

#ifndef _KBR_STP_PRIVATE_H
#define _KBR_STP_PRIVATE_H

#include "kbr_private.h"

/* stp.c */
bool kbr_stp_is_root(const struct kbr_bridge *kbr);
bool kbr_stp_is_designated(const struct kbr_port *p);
bool kbr_stp_port_wants_up(const struct kbr_port *p);
void kbr_stp_set_state(struct kbr_port *p, u8 state);
void kbr_stp_set_topology_change(struct kbr_bridge *kbr, bool tc);
void kbr_stp_transmit_config(struct kbr_port *p);
void kbr_stp_config_bpdu_generation(struct kbr_bridge *kbr);
void kbr_stp_transmit_tcn(struct kbr_bridge *kbr);
void kbr_stp_configuration_update(struct kbr_bridge *kbr);
void kbr_stp_become_designated_port(struct kbr_port *p);
void kbr_stp_port_state_selection(struct kbr_bridge *kbr);
void kbr_stp_topology_change_detection(struct kbr_bridge *kbr);
void kbr_stp_root_changed(struct kbr_bridge *kbr, bool was_root);
void kbr_stp_reconfigure(struct kbr_bridge *kbr);
void kbr_stp_initialize_port(struct kbr_port *p);
void kbr_stp_enable_port(struct kbr_port *p);
void kbr_stp_disable_port(struct kbr_port *p);

/* stp_timer.c: the timers, by what they time (802.1D-1998 8.7.3 to 8.7.8,
 * and BPDU guard's recovery)
 */
enum kbr_stp_timer {
	KBR_STP_T_HELLO,
	KBR_STP_T_TCN,
	KBR_STP_T_TOPOLOGY_CHANGE,
	KBR_STP_T_MESSAGE_AGE,
	KBR_STP_T_FORWARD_DELAY,
	KBR_STP_T_HOLD,
	KBR_STP_T_GUARD,
	KBR_STP_T_RSTP,
};

void kbr_stp_arm(struct kbr_bridge *kbr, struct kbr_port *p,
		 enum kbr_stp_timer which, unsigned long delay);
void kbr_stp_timers_init(struct kbr_bridge *kbr);
void kbr_stp_port_timers_init(struct kbr_port *p);
void kbr_stp_sync_port_timers(struct kbr_port *p);
void kbr_stp_sync_timers(struct kbr_bridge *kbr);

/* rstp_if.c: RSTP (KBR_STP_MODE_RSTP) in the bridge */
static inline bool kbr_stp_rstp(const struct kbr_bridge *kbr)
{
	return kbr->stp_mode == KBR_STP_MODE_RSTP;
}

void kbr_rstp_start(struct kbr_bridge *kbr);
void kbr_rstp_stop(struct kbr_bridge *kbr);
void kbr_rstp_timer_tick(struct kbr_bridge *kbr);
void kbr_rstp_received(struct kbr_port *p, const struct kbr_bpdu *bpdu);
void kbr_rstp_port_update(struct kbr_port *p, bool up);
void kbr_rstp_port_leave(struct kbr_port *p);
void kbr_rstp_port_changed(struct kbr_port *p);
void kbr_rstp_port_reconfig(struct kbr_port *p);
void kbr_rstp_bridge_changed(struct kbr_bridge *kbr);
void kbr_rstp_tx_hold_changed(struct kbr_bridge *kbr);
void kbr_rstp_stopped(struct kbr_bridge *kbr);
void kbr_rstp_port_mcheck_if(struct kbr_port *p);
void kbr_rstp_port_setup(struct kbr_port *p);
void kbr_rstp_port_teardown(struct kbr_port *p);

#endif /* _KBR_STP_PRIVATE_H */
