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
 * @KBR_CMD_BR_SET: change the settings given in %KBR_A_BRIDGE of the
 *	bridge it identifies (ageing time, FDB cap, STP on/off, priority,
 *	and the three 802.1D timers).  ERANGE, with nothing changed, when
 *	a timer is out of range.
 * @KBR_CMD_PORT_GET: dump the ports of the bridge in %KBR_A_BRIDGE, in
 *	port-number order; each message carries %KBR_A_BRIDGE and %KBR_A_PORT.
 * @KBR_CMD_PORT_NEW: make the device in %KBR_A_PORT a port of the bridge
 *	in %KBR_A_BRIDGE.  Equivalent to "ip link set DEV master BR".
 *	EBUSY: the device already has a master (any bridge, bond, ...);
 *	ELOOP: it is a kbridge; EINVAL: it is not an Ethernet device.
 * @KBR_CMD_PORT_DEL: release the port in %KBR_A_PORT from the bridge in
 *	%KBR_A_BRIDGE.  EINVAL: it is not a port of that bridge.
 * @KBR_CMD_FDB_GET: dump the forwarding database of the bridge in
 *	%KBR_A_BRIDGE; each message carries %KBR_A_FDB.
 * @KBR_CMD_PORT_SET: change the port in %KBR_A_PORT of the bridge in
 *	%KBR_A_BRIDGE: the flags in %KBR_PORT_A_FLAGS_MASK take their value
 *	from %KBR_PORT_A_FLAGS; %KBR_PORT_A_FDB_MAX_LEARNED sets the cap,
 *	%KBR_PORT_A_PRIORITY and %KBR_PORT_A_PATH_COST the 802.1D ones
 *	(ERANGE out of range).
 * @KBR_CMD_FDB_NEW: add a static entry: %KBR_A_FDB with
 *	%KBR_FDB_A_ADDRESS (unicast), %KBR_FDB_A_PORT_IFINDEX (a port of the
 *	bridge in %KBR_A_BRIDGE) and optionally %KBR_FDB_A_VLAN.  A learned
 *	entry for the address becomes static; EEXIST for a static or local
 *	one, ENOSPC at %KBR_BR_A_FDB_MAX_STATIC.
 * @KBR_CMD_FDB_DEL: delete the static or learned entry of
 *	%KBR_FDB_A_ADDRESS (and %KBR_FDB_A_VLAN); ENOENT when there is none,
 *	EINVAL for a local one.
 * @KBR_CMD_FDB_FLUSH: delete the learned entries of the bridge, or of the
 *	port in %KBR_A_PORT; with %KBR_FDB_F_STATIC in %KBR_FDB_A_FLAGS (in
 *	%KBR_A_FDB) the static ones too; with %KBR_FDB_A_VLAN only those of
 *	that VLAN.  Local entries stay.
 * @KBR_CMD_STP_EVENT: events only: spanning tree news, %KBR_A_STP_EVENT
 *	says which (enum kbr_stp_event), %KBR_A_BRIDGE carries the bridge's
 *	ifindex and, for a new root or a topology change, %KBR_BR_A_ROOT_ID,
 *	%KBR_BR_A_ROOT_PORT, %KBR_BR_A_ROOT_PATH_COST and
 *	%KBR_BR_A_TOPOLOGY_CHANGE; a port state change has %KBR_A_PORT with
 *	%KBR_PORT_A_IFINDEX, %KBR_PORT_A_PORT_NO and %KBR_PORT_A_STATE.
 * @KBR_CMD_FDB_EVICTING: events only: %KBR_FDB_POLICY_EVICT evicts
 *	entries learned on a port: %KBR_A_BRIDGE carries the bridge's
 *	ifindex, %KBR_A_PORT the port's %KBR_PORT_A_IFINDEX and
 *	%KBR_PORT_A_FDB_EVICTED (its evictions so far).  At most one a
 *	second per bridge, for an eviction in that second; each eviction
 *	is also a %KBR_CMD_FDB_DEL event.
 * @KBR_CMD_VLAN_GET: dump VLAN memberships: of the bridge in
 *	%KBR_A_BRIDGE, or of every kbridge without it.  Each message carries
 *	%KBR_A_BRIDGE, %KBR_A_PORT (absent for the bridge device's own
 *	membership) and one or more %KBR_A_VLAN: ranges of VLANs with the
 *	same flags, or, with %KBR_A_VLAN_STATS in the request, one VLAN
 *	each with its counters.
 * @KBR_CMD_VLAN_NEW: make the port in %KBR_A_PORT (the bridge device
 *	itself without it) a member of the VLANs in %KBR_A_VLAN
 *	(%KBR_VLAN_A_VID, to %KBR_VLAN_A_VID_END for a range) with the
 *	%KBR_VLAN_F_* flags in %KBR_VLAN_A_FLAGS; a VLAN it is a member of
 *	already takes the new flags.  %KBR_VLAN_F_PVID makes the VLAN the
 *	port's PVID (a single VLAN only).  A range is one request.
 * @KBR_CMD_VLAN_DEL: end those memberships; ENOENT when none of the
 *	VLANs was a member.  Learned entries of the port in them go.
 *
 * Events (the "events" group): %KBR_CMD_BR_NEW/%KBR_CMD_BR_DEL for
 * bridges; %KBR_CMD_PORT_NEW/%KBR_CMD_PORT_DEL with %KBR_A_BRIDGE and
 * %KBR_A_PORT for ports; %KBR_CMD_FDB_NEW (learned, moved, added) and
 * %KBR_CMD_FDB_DEL (aged out, deleted, evicted) with %KBR_A_BRIDGE and
 * %KBR_A_FDB, whose %KBR_FDB_A_EVENT says which; %KBR_CMD_FDB_FLUSH with
 * %KBR_A_BRIDGE (and %KBR_A_PORT) for a flush; %KBR_CMD_FDB_EVICTING
 * while the cap evicts.
 */
enum kbr_cmd {
	KBR_CMD_UNSPEC,
	KBR_CMD_BR_GET,
	KBR_CMD_BR_NEW,
	KBR_CMD_BR_DEL,
	KBR_CMD_BR_SET,
	KBR_CMD_PORT_GET,
	KBR_CMD_PORT_NEW,
	KBR_CMD_PORT_DEL,
	KBR_CMD_FDB_GET,
	KBR_CMD_PORT_SET,
	KBR_CMD_FDB_NEW,
	KBR_CMD_FDB_DEL,
	KBR_CMD_FDB_FLUSH,
	KBR_CMD_STP_EVENT,
	KBR_CMD_VLAN_GET,
	KBR_CMD_VLAN_NEW,
	KBR_CMD_VLAN_DEL,
	KBR_CMD_FDB_EVICTING,

	__KBR_CMD_MAX,
	KBR_CMD_MAX = __KBR_CMD_MAX - 1
};

/**
 * enum kbr_attr - top-level attributes
 * @KBR_A_PAD: padding for 64-bit attributes
 * @KBR_A_BRIDGE: nest, enum kbr_br_attr
 * @KBR_A_PORT: nest, enum kbr_port_attr
 * @KBR_A_FDB: nest, enum kbr_fdb_attr
 * @KBR_A_STP_EVENT: u8, enum kbr_stp_event, in %KBR_CMD_STP_EVENT
 * @KBR_A_VLAN: nest, enum kbr_vlan_attr
 * @KBR_A_VLAN_STATS: flag: a VLAN dump with per-VLAN counters
 */
enum kbr_attr {
	KBR_A_UNSPEC,
	KBR_A_PAD,
	KBR_A_BRIDGE,
	KBR_A_PORT,
	KBR_A_FDB,
	KBR_A_STP_EVENT,
	KBR_A_VLAN,
	KBR_A_VLAN_STATS,

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
 *	bridge id (default %KBR_DEFAULT_PRIORITY).  Settable with BR_SET.
 * @KBR_BR_A_STP_ENABLED: u8, 1 when spanning tree runs (default 0:
 *	every port that is up forwards).  Settable with BR_SET.
 * @KBR_BR_A_AGEING_TIME: u32, milliseconds a learned FDB entry lives
 *	after its address was last seen; 0 to %KBR_MAX_AGEING_TIME_MS.
 *	0 makes learned entries expire at once (every unicast is flooded).
 *	Default %KBR_DEFAULT_AGEING_TIME_MS.  Settable with BR_SET.
 * @KBR_BR_A_FDB_MAX_LEARNED: u32, the most learned FDB entries the bridge
 *	keeps; a new source address beyond it evicts another or is not
 *	learned, as %KBR_BR_A_FDB_POLICY says (its frames are forwarded
 *	either way).  Lowering the cap drops nothing: entries age out, and
 *	eviction takes one for one.  0: no cap.  Default
 *	%KBR_DEFAULT_FDB_MAX_LEARNED.  Settable with BR_SET.
 * @KBR_BR_A_FDB_LEARNED: u32, learned FDB entries now (read only)
 * @KBR_BR_A_FDB_LEARN_REFUSED: u64, source addresses not learned because
 *	of the cap, since the bridge was created (read only)
 * @KBR_BR_A_FDB_MOVES: u64, learned addresses that moved to another port,
 *	since the bridge was created (read only)
 * @KBR_BR_A_MAX_AGE: u32, ms: the max age this bridge uses when it is the
 *	root ("bridge max age"); 6000 to 40000.  Settable with BR_SET.
 * @KBR_BR_A_HELLO_TIME: u32, ms: likewise the hello time; 1000 to 10000.
 *	Settable with BR_SET.
 * @KBR_BR_A_FORWARD_DELAY: u32, ms: likewise the forward delay; 2000 to
 *	30000 while STP is on (4000 to 30000 in %KBR_STP_MODE_RSTP),
 *	anything while it is off (it is clamped to the range when STP is
 *	turned on, or its mode changes while it is on).  RSTP counts whole
 *	seconds: its times are rounded.  Settable with BR_SET.
 * @KBR_BR_A_ROOT_ID: binary, 8 bytes: the designated root's bridge id
 *	(priority, then MAC address), read only
 * @KBR_BR_A_ROOT_PORT: u16, the root port's number, 0 on the root bridge
 *	(read only)
 * @KBR_BR_A_ROOT_PATH_COST: u32, the path cost to the root (read only)
 * @KBR_BR_A_CUR_MAX_AGE: u32, ms: the max age in use, the root's (read only)
 * @KBR_BR_A_CUR_HELLO_TIME: u32, ms: the hello time in use (read only)
 * @KBR_BR_A_CUR_FORWARD_DELAY: u32, ms: the forward delay in use (read only)
 * @KBR_BR_A_TOPOLOGY_CHANGE: u8, 1 while a topology change is signalled
 *	(read only)
 * @KBR_BR_A_TOPOLOGY_CHANGE_DETECTED: u8, 1 while this bridge tells the
 *	root of a topology change it detected (read only)
 * @KBR_BR_A_HELLO_TIMER: u32, ms left on the hello timer, 0 when stopped
 *	(read only); likewise the three below
 * @KBR_BR_A_TCN_TIMER: u32, ms left on the topology change notification
 *	timer
 * @KBR_BR_A_TOPOLOGY_CHANGE_TIMER: u32, ms left on the topology change
 *	timer
 * @KBR_BR_A_GC_TIMER: u32, ms until the FDB is next aged
 * @KBR_BR_A_BPDU_GUARD_RECOVERY: u32, ms after which a port that BPDU
 *	guard disabled comes back by itself, at least 1000; 0 (the
 *	default): only turning the port's %KBR_PORT_F_BPDU_GUARD off, STP
 *	off, or the bridge down and up brings it back.  Settable.
 * @KBR_BR_A_VLAN_FILTERING: u8, 1 when 802.1Q VLAN filtering is on
 *	(default 0: tags are not looked at and the FDB uses VLAN 0).
 *	Turning it on or off flushes learned entries.  Settable.
 * @KBR_BR_A_VLAN_PROTOCOL: u16, host order: the tag the bridge switches
 *	on, %KBR_VLAN_PROTO_8021Q (default) or %KBR_VLAN_PROTO_8021AD.  A
 *	frame tagged with the other protocol counts as untagged.  Settable.
 * @KBR_BR_A_DEFAULT_PVID: u16, the VLAN a new port (and the bridge
 *	device, when created) joins as PVID, untagged: 1 by default, 0 for
 *	none.  Changing it moves every port still on the old default.
 *	Settable.
 * @KBR_BR_A_STP_MODE: u8, enum kbr_stp_mode: the protocol spanning tree
 *	runs when %KBR_BR_A_STP_ENABLED is 1 (default %KBR_STP_MODE_STP).
 *	Settable, with STP on or off; changing it while STP runs starts the
 *	new protocol over, every port from discarding but edge ports.
 * @KBR_BR_A_TX_HOLD_COUNT: u8, RSTP's TxHoldCount (802.1D-2004 17.13.12):
 *	a port sends at most this many BPDUs in each second of RSTP's
 *	clock, which starts a new allowance (802.1D-2004 takes one BPDU
 *	off the count a second instead); %KBR_MIN_TX_HOLD_COUNT to
 *	%KBR_MAX_TX_HOLD_COUNT, default %KBR_DEFAULT_TX_HOLD_COUNT.  A new
 *	value applies at once, every port's count starting over.  802.1D
 *	does not use it: it sends at most one configuration BPDU a second
 *	per port, as the Linux bridge does.  Settable.
 * @KBR_BR_A_FDB_POLICY: u8, enum kbr_fdb_policy: what a new source
 *	address does when %KBR_BR_A_FDB_MAX_LEARNED entries are learned
 *	(default %KBR_DEFAULT_FDB_POLICY).  Settable.
 * @KBR_BR_A_FDB_EVICTED: u64, learned entries evicted by
 *	%KBR_FDB_POLICY_EVICT, since the bridge was created (read only)
 * @KBR_BR_A_FDB_MAX_STATIC: u32, the most static FDB entries the bridge
 *	keeps: %KBR_CMD_FDB_NEW beyond it fails with ENOSPC.  Lowering it
 *	drops nothing.  0: no cap.  Default %KBR_DEFAULT_FDB_MAX_STATIC.
 *	Settable.
 * @KBR_BR_A_FDB_STATIC: u32, static FDB entries now (read only)
 * @KBR_BR_A_FDB_STATIC_REFUSED: u64, static entries refused because of
 *	the cap, since the bridge was created (read only)
 * @KBR_BR_A_FDB_LEARN_NOMEM: u64, source addresses not learned because
 *	the memory cgroup of the bridge's creator was at its limit, or
 *	memory was short, since the bridge was created (read only)
 */
enum kbr_br_attr {
	KBR_BR_A_UNSPEC,
	KBR_BR_A_PAD,
	KBR_BR_A_IFINDEX,
	KBR_BR_A_IFNAME,
	KBR_BR_A_ADDRESS,
	KBR_BR_A_PRIORITY,
	KBR_BR_A_STP_ENABLED,
	KBR_BR_A_AGEING_TIME,
	KBR_BR_A_FDB_MAX_LEARNED,
	KBR_BR_A_FDB_LEARNED,
	KBR_BR_A_FDB_LEARN_REFUSED,
	KBR_BR_A_FDB_MOVES,
	KBR_BR_A_MAX_AGE,
	KBR_BR_A_HELLO_TIME,
	KBR_BR_A_FORWARD_DELAY,
	KBR_BR_A_ROOT_ID,
	KBR_BR_A_ROOT_PORT,
	KBR_BR_A_ROOT_PATH_COST,
	KBR_BR_A_CUR_MAX_AGE,
	KBR_BR_A_CUR_HELLO_TIME,
	KBR_BR_A_CUR_FORWARD_DELAY,
	KBR_BR_A_TOPOLOGY_CHANGE,
	KBR_BR_A_TOPOLOGY_CHANGE_DETECTED,
	KBR_BR_A_HELLO_TIMER,
	KBR_BR_A_TCN_TIMER,
	KBR_BR_A_TOPOLOGY_CHANGE_TIMER,
	KBR_BR_A_GC_TIMER,
	KBR_BR_A_BPDU_GUARD_RECOVERY,
	KBR_BR_A_VLAN_FILTERING,
	KBR_BR_A_VLAN_PROTOCOL,
	KBR_BR_A_DEFAULT_PVID,
	KBR_BR_A_STP_MODE,
	KBR_BR_A_TX_HOLD_COUNT,
	KBR_BR_A_FDB_POLICY,
	KBR_BR_A_FDB_EVICTED,
	KBR_BR_A_FDB_MAX_STATIC,
	KBR_BR_A_FDB_STATIC,
	KBR_BR_A_FDB_STATIC_REFUSED,
	KBR_BR_A_FDB_LEARN_NOMEM,

	__KBR_BR_A_MAX,
	KBR_BR_A_MAX = __KBR_BR_A_MAX - 1
};

/**
 * enum kbr_port_p2p - is the port's link point-to-point (RSTP's
 *	operPointToPointMAC, 802.1D-2004 6.4.3)?  On one, a designated port
 *	forwards as soon as the bridge behind it agrees.
 * @KBR_PORT_P2P_AUTO: if the link is full duplex
 * @KBR_PORT_P2P_ON: yes
 * @KBR_PORT_P2P_OFF: no: a shared segment
 */
enum kbr_port_p2p {
	KBR_PORT_P2P_AUTO,
	KBR_PORT_P2P_ON,
	KBR_PORT_P2P_OFF,

	__KBR_PORT_P2P_MAX,
	KBR_PORT_P2P_MAX = __KBR_PORT_P2P_MAX - 1
};

/**
 * enum kbr_port_role - a port's role in RSTP (802.1D-2004 17.7)
 * @KBR_PORT_ROLE_DISABLED: not in the tree: down, or no carrier
 * @KBR_PORT_ROLE_ROOT: the port toward the root
 * @KBR_PORT_ROLE_DESIGNATED: the port that serves its segment
 * @KBR_PORT_ROLE_ALTERNATE: another way to the root, discarding
 * @KBR_PORT_ROLE_BACKUP: a spare to a segment this bridge serves already,
 *	discarding
 */
enum kbr_port_role {
	KBR_PORT_ROLE_DISABLED,
	KBR_PORT_ROLE_ROOT,
	KBR_PORT_ROLE_DESIGNATED,
	KBR_PORT_ROLE_ALTERNATE,
	KBR_PORT_ROLE_BACKUP
};

/**
 * enum kbr_stp_mode - the spanning tree protocol a bridge runs
 * @KBR_STP_MODE_STP: 802.1D-1998 spanning tree, as the Linux bridge's
 * @KBR_STP_MODE_RSTP: 802.1D-2004 clause 17, the Rapid Spanning Tree
 *	Protocol: RST BPDUs, proposal and agreement on point-to-point links,
 *	edge ports; it speaks 802.1D to a port where it hears 802.1D BPDUs.
 *	A port's RSTP id is its priority divided by 4 (the 4 bits 802.1D-2004
 *	has) and its number; discarding shows as %KBR_PORT_STATE_BLOCKING.
 */
enum kbr_stp_mode {
	KBR_STP_MODE_STP,
	KBR_STP_MODE_RSTP,

	__KBR_STP_MODE_MAX,
	KBR_STP_MODE_MAX = __KBR_STP_MODE_MAX - 1
};

/* 802.1D timers, in ms: defaults and the ranges the Linux bridge takes. */
#define KBR_DEFAULT_MAX_AGE_MS		20000
#define KBR_MIN_MAX_AGE_MS		6000
#define KBR_MAX_MAX_AGE_MS		40000
#define KBR_DEFAULT_HELLO_TIME_MS	2000
#define KBR_MIN_HELLO_TIME_MS		1000
#define KBR_MAX_HELLO_TIME_MS		10000
#define KBR_DEFAULT_FORWARD_DELAY_MS	15000
#define KBR_MIN_FORWARD_DELAY_MS	2000
/* RSTP's least forward delay (802.1D-2004 17.14) */
#define KBR_MIN_RSTP_FORWARD_DELAY_MS	4000
#define KBR_MAX_FORWARD_DELAY_MS	30000

/* RSTP's TxHoldCount (802.1D-2004 17.13.12, table 17-1) */
#define KBR_DEFAULT_TX_HOLD_COUNT	6
#define KBR_MIN_TX_HOLD_COUNT		1
#define KBR_MAX_TX_HOLD_COUNT		10

#define KBR_DEFAULT_AGEING_TIME_MS	300000
#define KBR_MAX_AGEING_TIME_MS		1000000000
/* 64 Ki entries: at most about 9 MiB of FDB (128-byte entries + buckets). */
#define KBR_DEFAULT_FDB_MAX_LEARNED	65536
/* Static entries are made by request, from a user namespace too: the
 * same bound.
 */
#define KBR_DEFAULT_FDB_MAX_STATIC	65536

/**
 * enum kbr_fdb_policy - a new source address at the bridge's learned-entry
 *	cap (%KBR_BR_A_FDB_MAX_LEARNED).  A port's own cap
 *	(%KBR_PORT_A_FDB_MAX_LEARNED) always refuses.
 * @KBR_FDB_POLICY_EVICT: it is learned, and the oldest learned entry of
 *	the port that holds the most goes, if that port holds more than the
 *	new address's port and more than its fair share (the cap divided by
 *	the bridge's ports, rounded down); else the new address's port's own
 *	oldest entry (or, if it holds none, the address is not learned).  A
 *	port that floods new addresses churns only its own entries once it
 *	holds the most, and a port that holds no more than its fair share
 *	never loses an entry to another port's new address.  Open vSwitch's
 *	rule, with the fair share added.
 * @KBR_FDB_POLICY_REFUSE: it is not learned (its frames are still
 *	forwarded), as in the Linux bridge
 */
enum kbr_fdb_policy {
	KBR_FDB_POLICY_EVICT,
	KBR_FDB_POLICY_REFUSE,

	__KBR_FDB_POLICY_MAX,
	KBR_FDB_POLICY_MAX = __KBR_FDB_POLICY_MAX - 1
};

#define KBR_DEFAULT_FDB_POLICY		KBR_FDB_POLICY_EVICT

/**
 * enum kbr_port_attr - attributes of a port (nested in %KBR_A_PORT)
 * @KBR_PORT_A_PAD: padding for 64-bit attributes
 * @KBR_PORT_A_IFINDEX: u32, the port device's ifindex
 * @KBR_PORT_A_IFNAME: NUL-terminated string, the port device's name
 * @KBR_PORT_A_PORT_NO: u16, port number, 1 to %KBR_MAX_PORTS (read only)
 * @KBR_PORT_A_FLAGS: u32, KBR_PORT_F_* bits
 * @KBR_PORT_A_FLAGS_MASK: u32, the KBR_PORT_F_* bits a PORT_SET changes
 * @KBR_PORT_A_FDB_MAX_LEARNED: u32, the most FDB entries learned on this
 *	port; a new source address beyond it is not learned (its frames are
 *	still forwarded).  An address moving onto the port is never refused:
 *	it adds no entry.  0: no cap, the default; the bridge's cap holds
 *	in any case.  Settable with PORT_SET.
 * @KBR_PORT_A_FDB_LEARNED: u32, learned FDB entries behind the port now
 *	(read only)
 * @KBR_PORT_A_FDB_LEARN_REFUSED: u64, source addresses seen on the port
 *	and not learned because of the port's or the bridge's cap (read
 *	only)
 * @KBR_PORT_A_STATE: u8, enum kbr_port_state (read only)
 * @KBR_PORT_A_PRIORITY: u8, port priority, 0 to %KBR_MAX_PORT_PRIORITY:
 *	the upper 6 bits of the port id (default 32).  Settable.
 * @KBR_PORT_A_PATH_COST: u32, path cost: 1 to %KBR_MAX_PATH_COST in
 *	%KBR_STP_MODE_STP (as brctl), 1 to %KBR_MAX_RSTP_PATH_COST in
 *	%KBR_STP_MODE_RSTP (802.1D-2004 17.14).  Until set, it follows the
 *	link speed by the mode's table: the Linux bridge's in 802.1D mode
 *	(10 Gb/s: 2), 802.1D-2004 table 17-3 in RSTP mode (20000000 / Mb/s:
 *	10 Gb/s: 2000); an unknown speed counts as 10 Mb/s.  A cost set
 *	above 65535 becomes 65535 when the mode changes to 802.1D.
 *	Settable.
 * @KBR_PORT_A_PORT_ID: u16, the port id: priority and port number
 *	(read only); the attributes below are read only too
 * @KBR_PORT_A_DESIGNATED_ROOT: binary, 8 bytes: the root this port's
 *	segment knows
 * @KBR_PORT_A_DESIGNATED_BRIDGE: binary, 8 bytes: the segment's
 *	designated bridge
 * @KBR_PORT_A_DESIGNATED_PORT: u16, the segment's designated port id
 * @KBR_PORT_A_DESIGNATED_COST: u32, the designated bridge's root path cost
 * @KBR_PORT_A_MESSAGE_AGE_TIMER: u32, ms left, 0 when stopped; likewise
 *	the two below
 * @KBR_PORT_A_FORWARD_DELAY_TIMER: u32, ms left
 * @KBR_PORT_A_HOLD_TIMER: u32, ms left
 * @KBR_PORT_A_STP_FLAGS: u32, KBR_PORT_STP_F_* bits
 * @KBR_PORT_A_STP_COUNTERS: nest, enum kbr_port_stp_counter: u64 each
 * @KBR_PORT_A_STP_ROLE: u8, enum kbr_port_role: the port's RSTP role,
 *	only while the bridge runs RSTP (read only)
 * @KBR_PORT_A_P2P: u8, enum kbr_port_p2p: whether RSTP takes the port's
 *	link for point-to-point (default %KBR_PORT_P2P_AUTO).  Settable.
 * @KBR_PORT_A_VLAN_DROPPED: u64, frames VLAN filtering dropped on
 *	ingress: untagged without a PVID, or of a VLAN the port is not in
 * @KBR_PORT_A_MCHECK: flag, PORT_SET only: the port sends RST BPDUs
 *	again for the migrate time (3 s), so that a neighbour that now
 *	speaks RSTP is heard as such (802.1D-2004 17.19.13, mcheck).
 *	EOPNOTSUPP unless the bridge runs RSTP (up, STP on,
 *	%KBR_STP_MODE_RSTP).
 * @KBR_PORT_A_FDB_EVICTED: u64, entries learned on the port that
 *	%KBR_FDB_POLICY_EVICT evicted to learn another address (read only)
 *
 * A request names the port device by ifindex or name, like a bridge.
 */
enum kbr_port_attr {
	KBR_PORT_A_UNSPEC,
	KBR_PORT_A_PAD,
	KBR_PORT_A_IFINDEX,
	KBR_PORT_A_IFNAME,
	KBR_PORT_A_PORT_NO,
	KBR_PORT_A_FLAGS,
	KBR_PORT_A_FLAGS_MASK,
	KBR_PORT_A_FDB_MAX_LEARNED,
	KBR_PORT_A_FDB_LEARNED,
	KBR_PORT_A_FDB_LEARN_REFUSED,
	KBR_PORT_A_STATE,
	KBR_PORT_A_PRIORITY,
	KBR_PORT_A_PATH_COST,
	KBR_PORT_A_PORT_ID,
	KBR_PORT_A_DESIGNATED_ROOT,
	KBR_PORT_A_DESIGNATED_BRIDGE,
	KBR_PORT_A_DESIGNATED_PORT,
	KBR_PORT_A_DESIGNATED_COST,
	KBR_PORT_A_MESSAGE_AGE_TIMER,
	KBR_PORT_A_FORWARD_DELAY_TIMER,
	KBR_PORT_A_HOLD_TIMER,
	KBR_PORT_A_STP_FLAGS,
	KBR_PORT_A_STP_COUNTERS,
	KBR_PORT_A_VLAN_DROPPED,
	KBR_PORT_A_STP_ROLE,
	KBR_PORT_A_P2P,
	KBR_PORT_A_MCHECK,
	KBR_PORT_A_FDB_EVICTED,

	__KBR_PORT_A_MAX,
	KBR_PORT_A_MAX = __KBR_PORT_A_MAX - 1
};

/**
 * enum kbr_port_flags - port flags
 * @KBR_PORT_F_LEARNING: learn source addresses of frames it receives
 * @KBR_PORT_F_FLOOD: send unknown unicast out of it
 * @KBR_PORT_F_MCAST_FLOOD: send multicast out of it
 * @KBR_PORT_F_BCAST_FLOOD: send broadcast out of it
 * @KBR_PORT_F_ISOLATED: never talk to another isolated port
 * @KBR_PORT_F_HAIRPIN: a frame may leave by the port it came in on
 * @KBR_PORT_F_BPDU_GUARD: an edge port: a BPDU on it (STP on) disables it
 * @KBR_PORT_F_ROOT_GUARD: the port never becomes the root port: superior
 *	BPDUs on it keep it blocking ("root inconsistent") until they stop;
 *	in %KBR_STP_MODE_RSTP it is an alternate port meanwhile (802.1Q's
 *	restrictedRole).
 * @KBR_PORT_F_EDGE: RSTP's AdminEdge: the port is an edge port, from
 *	the moment it is set or comes up, and forwards at once; a BPDU
 *	makes it a bridge port (until it goes down and up, or AutoEdge
 *	finds it silent again).  A %KBR_PORT_F_BPDU_GUARD port is an edge
 *	port too.
 * @KBR_PORT_F_AUTO_EDGE: RSTP's AutoEdge (on by default): a designated
 *	port that hears no BPDU for 3 s (max age off point-to-point links)
 *	becomes an edge port.
 * @KBR_PORT_F_LOOP_GUARD: RSTP: a root or alternate port on a
 *	point-to-point link whose BPDUs stop (its information ages out)
 *	stays discarding ("loop inconsistent") rather than becoming a
 *	designated port that forwards, until a BPDU comes in again, the
 *	link goes down or the flag goes.  Not on shared links, nor while
 *	%KBR_PORT_F_ROOT_GUARD holds the port.  %KBR_STP_MODE_STP does not
 *	look at it.
 * @KBR_PORT_F_DEFAULT: a new port's flags
 * @KBR_PORT_F_ALL: every flag this version knows
 */
enum kbr_port_flags {
	KBR_PORT_F_LEARNING	= 1 << 0,
	KBR_PORT_F_FLOOD	= 1 << 1,
	KBR_PORT_F_MCAST_FLOOD	= 1 << 2,
	KBR_PORT_F_BCAST_FLOOD	= 1 << 3,
	KBR_PORT_F_ISOLATED	= 1 << 4,
	KBR_PORT_F_HAIRPIN	= 1 << 5,
	KBR_PORT_F_BPDU_GUARD	= 1 << 6,
	KBR_PORT_F_ROOT_GUARD	= 1 << 7,
	KBR_PORT_F_EDGE		= 1 << 8,
	KBR_PORT_F_AUTO_EDGE	= 1 << 9,
	KBR_PORT_F_LOOP_GUARD	= 1 << 10,

	KBR_PORT_F_DEFAULT	= KBR_PORT_F_LEARNING | KBR_PORT_F_FLOOD |
				  KBR_PORT_F_MCAST_FLOOD | KBR_PORT_F_BCAST_FLOOD |
				  KBR_PORT_F_AUTO_EDGE,
	KBR_PORT_F_ALL		= (1 << 11) - 1
};

/* Port numbers are 10 bits, as in an 802.1D port id, under 6 of priority. */
#define KBR_MAX_PORTS		1023
#define KBR_MAX_PORT_PRIORITY	63
#define KBR_DEFAULT_PORT_PRIORITY	32
#define KBR_MAX_PATH_COST	65535
#define KBR_MAX_RSTP_PATH_COST	200000000

/**
 * enum kbr_port_state - 802.1D port states, numbered as the Linux bridge's
 * @KBR_PORT_STATE_DISABLED: down, no carrier, or the bridge is down
 * @KBR_PORT_STATE_LISTENING: on its way to forwarding: neither learns nor
 *	forwards
 * @KBR_PORT_STATE_LEARNING: learns, does not forward
 * @KBR_PORT_STATE_FORWARDING: learns and forwards
 * @KBR_PORT_STATE_BLOCKING: spanning tree keeps it out of the tree
 */
enum kbr_port_state {
	KBR_PORT_STATE_DISABLED,
	KBR_PORT_STATE_LISTENING,
	KBR_PORT_STATE_LEARNING,
	KBR_PORT_STATE_FORWARDING,
	KBR_PORT_STATE_BLOCKING
};

/**
 * enum kbr_stp_event - why a %KBR_CMD_STP_EVENT was sent
 * @KBR_STP_EV_PORT_STATE: a port changed state
 * @KBR_STP_EV_NEW_ROOT: the root bridge or the root port changed
 * @KBR_STP_EV_TOPOLOGY_CHANGE: a topology change began or ended
 * @KBR_STP_EV_PORT_ROLE: a port's RSTP role changed; the port nest has
 *	%KBR_PORT_A_STP_ROLE too
 */
enum kbr_stp_event {
	KBR_STP_EV_PORT_STATE = 1,
	KBR_STP_EV_NEW_ROOT,
	KBR_STP_EV_TOPOLOGY_CHANGE,
	KBR_STP_EV_PORT_ROLE
};

/**
 * enum kbr_port_stp_flags - a port's 802.1D flags
 * @KBR_PORT_STP_F_TOPOLOGY_CHANGE_ACK: the next configuration BPDU on the
 *	port acknowledges a topology change notification
 * @KBR_PORT_STP_F_CONFIG_PENDING: a configuration BPDU waits for the hold
 *	timer
 * @KBR_PORT_STP_F_BPDU_GUARD_TRIPPED: BPDU guard disabled the port
 * @KBR_PORT_STP_F_ROOT_INCONSISTENT: root guard blocks the port
 * @KBR_PORT_STP_F_OPER_EDGE: RSTP takes the port for an edge port now
 *	(operEdge)
 * @KBR_PORT_STP_F_OPER_P2P: RSTP takes its link for point-to-point
 * @KBR_PORT_STP_F_SEND_RSTP: RSTP sends RST BPDUs on the port (sendRSTP);
 *	clear while it speaks 802.1D there, having heard an 802.1D bridge
 *	(%KBR_PORT_A_MCHECK tries RSTP again)
 * @KBR_PORT_STP_F_LOOP_INCONSISTENT: loop guard keeps the port
 *	discarding: its BPDUs stopped
 */
enum kbr_port_stp_flags {
	KBR_PORT_STP_F_TOPOLOGY_CHANGE_ACK	= 1 << 0,
	KBR_PORT_STP_F_CONFIG_PENDING		= 1 << 1,
	KBR_PORT_STP_F_BPDU_GUARD_TRIPPED	= 1 << 2,
	KBR_PORT_STP_F_ROOT_INCONSISTENT	= 1 << 3,
	KBR_PORT_STP_F_OPER_EDGE		= 1 << 4,
	KBR_PORT_STP_F_OPER_P2P			= 1 << 5,
	KBR_PORT_STP_F_SEND_RSTP		= 1 << 6,
	KBR_PORT_STP_F_LOOP_INCONSISTENT	= 1 << 7
};

/**
 * enum kbr_port_stp_counter - per-port spanning tree counters (nested in
 *	%KBR_PORT_A_STP_COUNTERS), u64 each, since the port was added
 * @KBR_STP_C_PAD: padding
 * @KBR_STP_C_CONFIG_RX: configuration BPDUs received
 * @KBR_STP_C_CONFIG_TX: configuration BPDUs sent
 * @KBR_STP_C_TCN_RX: topology change notification BPDUs received
 * @KBR_STP_C_TCN_TX: topology change notification BPDUs sent
 * @KBR_STP_C_RX_BAD: BPDUs dropped as malformed
 * @KBR_STP_C_TO_BLOCKING: transitions to blocking
 * @KBR_STP_C_TO_FORWARDING: transitions to forwarding
 * @KBR_STP_C_BPDU_GUARD: times BPDU guard disabled the port
 * @KBR_STP_C_ROOT_GUARD: superior BPDUs root guard kept from the tree
 * @KBR_STP_C_RST_RX: RST BPDUs received (%KBR_STP_MODE_RSTP)
 * @KBR_STP_C_RST_TX: RST BPDUs sent
 * @KBR_STP_C_TO_STP: times RSTP fell back to 802.1D on the port, having
 *	heard 802.1D BPDUs there (Port Protocol Migration)
 * @KBR_STP_C_PROPOSAL_RX: RST BPDUs received with the proposal flag
 * @KBR_STP_C_PROPOSAL_TX: RST BPDUs sent with the proposal flag
 * @KBR_STP_C_AGREEMENT_RX: RST BPDUs received with the agreement flag
 * @KBR_STP_C_AGREEMENT_TX: RST BPDUs sent with the agreement flag
 * @KBR_STP_C_TC_FLUSH: times RSTP flushed what the port learned, for a
 *	topology change (fdbFlush; requests while one is pending count
 *	once)
 * @KBR_STP_C_ROLE_UNKNOWN_RX: RST BPDUs received with the Unknown port
 *	role, which no bridge sends: taken as configuration BPDUs, as
 *	802.1D-2004 9.2.9 says, and counted here
 * @KBR_STP_C_LOOP_GUARD: times loop guard kept the port discarding
 */
enum kbr_port_stp_counter {
	KBR_STP_C_UNSPEC,
	KBR_STP_C_PAD,
	KBR_STP_C_CONFIG_RX,
	KBR_STP_C_CONFIG_TX,
	KBR_STP_C_TCN_RX,
	KBR_STP_C_TCN_TX,
	KBR_STP_C_RX_BAD,
	KBR_STP_C_TO_BLOCKING,
	KBR_STP_C_TO_FORWARDING,
	KBR_STP_C_BPDU_GUARD,
	KBR_STP_C_ROOT_GUARD,
	KBR_STP_C_RST_RX,
	KBR_STP_C_RST_TX,
	KBR_STP_C_TO_STP,
	KBR_STP_C_PROPOSAL_RX,
	KBR_STP_C_PROPOSAL_TX,
	KBR_STP_C_AGREEMENT_RX,
	KBR_STP_C_AGREEMENT_TX,
	KBR_STP_C_TC_FLUSH,
	KBR_STP_C_ROLE_UNKNOWN_RX,
	KBR_STP_C_LOOP_GUARD,

	__KBR_STP_C_MAX,
	KBR_STP_C_MAX = __KBR_STP_C_MAX - 1
};

/**
 * enum kbr_fdb_attr - attributes of an FDB entry (nested in %KBR_A_FDB)
 * @KBR_FDB_A_PAD: padding for 64-bit attributes
 * @KBR_FDB_A_ADDRESS: binary, 6 bytes: the MAC address
 * @KBR_FDB_A_VLAN: u16, VLAN id 0 to 4094; 0 while VLAN filtering is off
 * @KBR_FDB_A_PORT_IFINDEX: u32, ifindex of the port the address is
 *	behind; absent for the bridge device's own address
 * @KBR_FDB_A_PORT_NO: u16, that port's number
 * @KBR_FDB_A_FLAGS: u32, KBR_FDB_F_* bits
 * @KBR_FDB_A_AGE: u32, milliseconds since the address was last seen
 *	(0 for local and static entries)
 * @KBR_FDB_A_EVENT: u8, enum kbr_fdb_event, in events only
 */
enum kbr_fdb_attr {
	KBR_FDB_A_UNSPEC,
	KBR_FDB_A_PAD,
	KBR_FDB_A_ADDRESS,
	KBR_FDB_A_VLAN,
	KBR_FDB_A_PORT_IFINDEX,
	KBR_FDB_A_PORT_NO,
	KBR_FDB_A_FLAGS,
	KBR_FDB_A_AGE,
	KBR_FDB_A_EVENT,

	__KBR_FDB_A_MAX,
	KBR_FDB_A_MAX = __KBR_FDB_A_MAX - 1
};

/**
 * enum kbr_fdb_event - why an FDB event was sent
 * @KBR_FDB_EV_LEARN: a new source address was learned
 * @KBR_FDB_EV_MOVE: a learned address appeared behind another port
 * @KBR_FDB_EV_AGE: a learned address aged out
 * @KBR_FDB_EV_ADD: a static entry was added
 * @KBR_FDB_EV_DELETE: an entry was deleted by request
 * @KBR_FDB_EV_EVICT: a learned entry was evicted to learn another address
 *	(%KBR_FDB_POLICY_EVICT)
 */
enum kbr_fdb_event {
	KBR_FDB_EV_LEARN = 1,
	KBR_FDB_EV_MOVE,
	KBR_FDB_EV_AGE,
	KBR_FDB_EV_ADD,
	KBR_FDB_EV_DELETE,
	KBR_FDB_EV_EVICT
};

/**
 * enum kbr_fdb_flags - FDB entry flags
 * @KBR_FDB_F_LOCAL: an address of the bridge or of one of its ports:
 *	frames to it go up the bridge device; never ages, never moves
 * @KBR_FDB_F_STATIC: added by hand: never ages, never moves
 * @KBR_FDB_F_ALL: every flag this version knows
 *
 * An entry with neither flag was learned from a frame's source address.
 */
enum kbr_fdb_flags {
	KBR_FDB_F_LOCAL		= 1 << 0,
	KBR_FDB_F_STATIC	= 1 << 1,

	KBR_FDB_F_ALL		= (1 << 2) - 1
};

#define KBR_VLAN_PROTO_8021Q	0x8100
#define KBR_VLAN_PROTO_8021AD	0x88a8
#define KBR_MIN_VID		1
#define KBR_MAX_VID		4094
#define KBR_DEFAULT_PVID	1

/**
 * enum kbr_vlan_attr - a VLAN membership, or a range of them (nested in
 *	%KBR_A_VLAN)
 * @KBR_VLAN_A_PAD: padding for 64-bit attributes
 * @KBR_VLAN_A_VID: u16, %KBR_MIN_VID to %KBR_MAX_VID
 * @KBR_VLAN_A_VID_END: u16, the last VLAN of a range starting at
 *	%KBR_VLAN_A_VID; absent for a single VLAN
 * @KBR_VLAN_A_FLAGS: u32, KBR_VLAN_F_* bits
 * @KBR_VLAN_A_RX_PACKETS: u64, frames received in the VLAN on the port
 *	(for the bridge device: sent by the host), in dumps with
 *	%KBR_A_VLAN_STATS; likewise the three below
 * @KBR_VLAN_A_RX_BYTES: u64
 * @KBR_VLAN_A_TX_PACKETS: u64, frames sent in the VLAN out of the port
 *	(for the bridge device: passed up to the host)
 * @KBR_VLAN_A_TX_BYTES: u64
 */
enum kbr_vlan_attr {
	KBR_VLAN_A_UNSPEC,
	KBR_VLAN_A_PAD,
	KBR_VLAN_A_VID,
	KBR_VLAN_A_VID_END,
	KBR_VLAN_A_FLAGS,
	KBR_VLAN_A_RX_PACKETS,
	KBR_VLAN_A_RX_BYTES,
	KBR_VLAN_A_TX_PACKETS,
	KBR_VLAN_A_TX_BYTES,

	__KBR_VLAN_A_MAX,
	KBR_VLAN_A_MAX = __KBR_VLAN_A_MAX - 1
};

/**
 * enum kbr_vlan_flags - VLAN membership flags
 * @KBR_VLAN_F_PVID: untagged and priority-tagged frames the port
 *	receives belong to this VLAN
 * @KBR_VLAN_F_UNTAGGED: frames of this VLAN leave the port untagged
 * @KBR_VLAN_F_ALL: every flag this version knows
 */
enum kbr_vlan_flags {
	KBR_VLAN_F_PVID		= 1 << 0,
	KBR_VLAN_F_UNTAGGED	= 1 << 1,

	KBR_VLAN_F_ALL		= (1 << 2) - 1
};

#endif /* _UAPI_LINUX_KBRIDGE_H */
