/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * kbridge: the generic-netlink contract between kbridge.ko and kbrctl.
 *
 * This header is the protocol's manual and its single definition: the
 * module and every tool include it as <linux/kbridge.h>.
 *
 * Family:  KBR_GENL_NAME ("kbridge"), version KBR_GENL_VERSION.
 * Groups:  KBR_GENL_MCGRP_EVENTS ("events"): notifications, see below.
 *
 * Messages carry a top-level attribute set (enum kbr_attr) with one nest
 * per object; the nest's attributes are an enum of their own
 * (enum kbr_br_attr for a bridge).  Validation is strict: an attribute a
 * command does not take, an unknown attribute, a wrong length or a value
 * out of range is refused with an extended-ACK message naming it.
 *
 * Identifying a bridge: KBR_BR_A_IFINDEX or KBR_BR_A_IFNAME inside
 * KBR_A_BRIDGE; when both are given they must name the same device.  The
 * bridge is looked up in the network namespace of the requesting socket.
 *
 * Permissions: commands that change state need CAP_NET_ADMIN in the user
 * namespace that owns the socket's network namespace; GET and dumps are
 * open to everybody.
 *
 * Compatibility: the protocol grows by adding commands and attributes at
 * the end of the enums, never by renumbering or by bumping the version.
 */
#ifndef _UAPI_LINUX_KBRIDGE_H
#define _UAPI_LINUX_KBRIDGE_H

#include <linux/types.h>

#define KBR_GENL_NAME		"kbridge"
#define KBR_GENL_VERSION	1
#define KBR_GENL_MCGRP_EVENTS	"events"

/* The rtnetlink kind: ip link add NAME type kbridge */
#define KBR_LINK_KIND		"kbridge"

/* Default bridge priority, the upper 16 bits of the bridge id (802.1D). */
#define KBR_DEFAULT_PRIORITY	0x8000

/**
 * enum kbr_cmd - generic-netlink commands
 * @KBR_CMD_BR_GET: with a bridge identified in %KBR_A_BRIDGE, reply with
 *	that bridge; as a dump (NLM_F_DUMP, no attributes), one message per
 *	kbridge in the namespace.  Replies and dump messages carry
 *	%KBR_A_BRIDGE.
 * @KBR_CMD_BR_NEW: create a bridge named by %KBR_BR_A_IFNAME.  Fails with
 *	EEXIST when any device of that name exists.  Equivalent to
 *	"ip link add NAME type kbridge".  Also sent on the events group when
 *	a bridge appears, whichever way it was created; a creation that
 *	fails late (e.g. "ip link add ... up" refused) is followed at once by
 *	%KBR_CMD_BR_DEL.
 * @KBR_CMD_BR_DEL: delete a bridge.  Fails with EBUSY while the bridge is
 *	administratively up (brctl's rule; "ip link del" deletes it anyway),
 *	EOPNOTSUPP when the device is not a kbridge.  Also sent on the
 *	events group when a bridge goes away, whichever way.
 */
enum kbr_cmd {
	KBR_CMD_UNSPEC,
	KBR_CMD_BR_GET,
	KBR_CMD_BR_NEW,
	KBR_CMD_BR_DEL,

	__KBR_CMD_MAX,
	KBR_CMD_MAX = __KBR_CMD_MAX - 1
};

/**
 * enum kbr_attr - top-level attributes
 * @KBR_A_PAD: padding for 64-bit attributes
 * @KBR_A_BRIDGE: nest, enum kbr_br_attr
 */
enum kbr_attr {
	KBR_A_UNSPEC,
	KBR_A_PAD,
	KBR_A_BRIDGE,

	__KBR_A_MAX,
	KBR_A_MAX = __KBR_A_MAX - 1
};

/**
 * enum kbr_br_attr - attributes of a bridge (nested in %KBR_A_BRIDGE)
 * @KBR_BR_A_PAD: padding for 64-bit attributes
 * @KBR_BR_A_IFINDEX: u32, the bridge device's ifindex
 * @KBR_BR_A_IFNAME: NUL-terminated string, at most IFNAMSIZ - 1 characters
 * @KBR_BR_A_ADDRESS: binary, 6 bytes: the bridge device's MAC address,
 *	the lower 48 bits of the bridge id (read only)
 * @KBR_BR_A_PRIORITY: u16, bridge priority: the upper 16 bits of the
 *	bridge id (read only for now; default %KBR_DEFAULT_PRIORITY)
 * @KBR_BR_A_STP_ENABLED: u8, 1 when spanning tree runs (read only for now)
 */
enum kbr_br_attr {
	KBR_BR_A_UNSPEC,
	KBR_BR_A_PAD,
	KBR_BR_A_IFINDEX,
	KBR_BR_A_IFNAME,
	KBR_BR_A_ADDRESS,
	KBR_BR_A_PRIORITY,
	KBR_BR_A_STP_ENABLED,

	__KBR_BR_A_MAX,
	KBR_BR_A_MAX = __KBR_BR_A_MAX - 1
};

#endif /* _UAPI_LINUX_KBRIDGE_H */
