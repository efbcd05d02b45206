/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPDUs as bytes (802.1D-2004 clause 9): the three kinds bpdu.c encodes
 * and decodes.  Nothing here needs an skb, a lock or a device, so that
 * the host's unit tests (kmod/tests) compile bpdu.c as it is, against a
 * shim for the few kernel helpers it uses.
 */

#ifndef _KBR_BPDU_H
#define _KBR_BPDU_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/types.h>
#else
#include "kbr_shim.h"
#endif

/* An 802.1D bridge id: priority, then MAC address; compared as bytes. */
struct kbr_id {
	u8	b[8];
};

/* Bridge identifiers compare as 8-byte big-endian numbers. */
static inline int kbr_id_cmp(const struct kbr_id *a, const struct kbr_id *b)
{
	return memcmp(a->b, b->b, sizeof(a->b));
}

/* Encoded sizes, from the protocol identifier on (no LLC header). */
#define KBR_BPDU_TCN_LEN	4
#define KBR_BPDU_CONFIG_LEN	35
#define KBR_BPDU_RST_LEN	36

/* The BPDU Type octet (9.3.1 to 9.3.3). */
enum kbr_bpdu_type {
	KBR_BPDU_CONFIG	= 0x00,
	KBR_BPDU_RST	= 0x02,
	KBR_BPDU_TCN	= 0x80,
};

/* Protocol Version Identifier: 802.1D-1998 STP, and RSTP (9.3.3). */
#define KBR_BPDU_VERSION_STP	0
#define KBR_BPDU_VERSION_RSTP	2

/*
 * The flags octet (9.3.1, 9.3.3).  A configuration BPDU uses TC and TCA
 * only; an RST BPDU all but TCA, which it sends as zero.
 */
#define KBR_BPDU_F_TC		0x01
#define KBR_BPDU_F_PROPOSAL	0x02
#define KBR_BPDU_F_ROLE		0x0c
#define KBR_BPDU_F_LEARNING	0x10
#define KBR_BPDU_F_FORWARDING	0x20
#define KBR_BPDU_F_AGREEMENT	0x40
#define KBR_BPDU_F_TCA		0x80

/* The Port Role field of an RST BPDU's flags, shifted down (9.3.3). */
enum kbr_bpdu_role {
	KBR_BPDU_ROLE_UNKNOWN		= 0,
	KBR_BPDU_ROLE_ALT_BACKUP	= 1,
	KBR_BPDU_ROLE_ROOT		= 2,
	KBR_BPDU_ROLE_DESIGNATED	= 3,
};

#define KBR_BPDU_ROLE_SHIFT	2

/**
 * struct kbr_bpdu - a BPDU of any kind, decoded
 * @type: enum kbr_bpdu_type
 * @version: the Protocol Version Identifier received; the encoder sends
 *	KBR_BPDU_VERSION_RSTP in an RST BPDU and KBR_BPDU_VERSION_STP in
 *	the others, whatever this says
 * @flags: KBR_BPDU_F_*, as on the wire
 * @root: Root Identifier
 * @root_path_cost: Root Path Cost
 * @bridge: Bridge Identifier of the sender
 * @port_id: Port Identifier of the sender
 * @message_age: in jiffies
 * @max_age: in jiffies
 * @hello_time: in jiffies
 * @forward_delay: in jiffies
 *
 * A TCN BPDU has only @type and @version.
 */
struct kbr_bpdu {
	u8		type;
	u8		version;
	u8		flags;
	struct kbr_id	root;
	u32		root_path_cost;
	struct kbr_id	bridge;
	u16		port_id;
	unsigned long	message_age;
	unsigned long	max_age;
	unsigned long	hello_time;
	unsigned long	forward_delay;
};

static inline enum kbr_bpdu_role kbr_bpdu_role(const struct kbr_bpdu *bpdu)
{
	return (bpdu->flags & KBR_BPDU_F_ROLE) >> KBR_BPDU_ROLE_SHIFT;
}

int kbr_bpdu_decode(struct kbr_bpdu *bpdu, const u8 *b, unsigned int len);
unsigned int kbr_bpdu_encode(u8 *b, const struct kbr_bpdu *bpdu);

#endif /* _KBR_BPDU_H */
