// SPDX-License-Identifier: GPL-2.0
/*
 * kbrctl's VLAN commands: setvlanfiltering, setvlanproto, setdefaultpvid,
 * and "vlan add|del|show", whose output is iproute2's "bridge vlan show"
 * (one VLAN a line; -c folds ranges as "bridge -c vlan show" does).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/genetlink.h>

#include "kbrctl.h"

static void put_bridge(struct nlmsghdr *nlh, const char *bridge)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);

	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, bridge);
	mnl_attr_nest_end(nlh, nest);
}

/* A BR_SET of one u8 or u16 attribute; @what names it in errors. */
static int bridge_set(const char *bridge, uint16_t type, int len,
		      uint16_t value, const char *what)
{
	struct nlmsghdr *nlh = nl_msg(KBR_CMD_BR_SET, 0);
	struct nlattr *nest;
	int err;

	nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, bridge);
	if (len == 1)
		mnl_attr_put_u8(nlh, type, value);
	else
		mnl_attr_put_u16(nlh, type, value);
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nlh, NULL, NULL);
	if (err == -ENODEV) {
		fprintf(stderr, "bridge %s does not exist!\n", bridge);
		return 1;
	}
	if (err) {
		fprintf(stderr, "set %s failed: %s\n", what, strerror(-err));
		nl_print_extack();
		return 1;
	}
	return 0;
}

/* kbrctl setvlanfiltering BR {on|off} */
int cmd_setvlanfiltering(int argc, char **argv)
{
	int on;

	(void)argc;
	if (parse_on_off(argv[2], &on)) {
		fprintf(stderr, "expect on/off for argument\n");
		return 1;
	}
	return bridge_set(argv[1], KBR_BR_A_VLAN_FILTERING, 1, on,
			  "vlan filtering");
}

/* kbrctl setvlanproto BR {802.1q|802.1ad} */
int cmd_setvlanproto(int argc, char **argv)
{
	uint16_t proto;

	(void)argc;
	if (!strcasecmp(argv[2], "802.1q")) {
		proto = KBR_VLAN_PROTO_8021Q;
	} else if (!strcasecmp(argv[2], "802.1ad")) {
		proto = KBR_VLAN_PROTO_8021AD;
	} else {
		fprintf(stderr, "bad vlan protocol '%s': 802.1q or 802.1ad\n",
			argv[2]);
		return 1;
	}
	return bridge_set(argv[1], KBR_BR_A_VLAN_PROTOCOL, 2, proto,
			  "vlan protocol");
}

/* A VLAN id, 1 to 4094; @zero_ok also takes 0.  Says what is wrong. */
int parse_vid(const char *arg, uint16_t *vid, bool zero_ok)
{
	uint32_t v;

	if (parse_u32(arg, &v) || v > KBR_MAX_VID || (!v && !zero_ok)) {
		fprintf(stderr, "bad vlan id '%s': %s\n", arg,
			zero_ok ? "0 (none) or 1 to 4094" : "1 to 4094");
		return -1;
	}
	*vid = v;
	return 0;
}

/* kbrctl setdefaultpvid BR VID */
int cmd_setdefaultpvid(int argc, char **argv)
{
	uint16_t vid;

	(void)argc;
	if (parse_vid(argv[2], &vid, true))
		return 1;
	return bridge_set(argv[1], KBR_BR_A_DEFAULT_PVID, 2, vid,
			  "default pvid");
}

/* "VID" or "VID-VID" */
static int parse_range(const char *arg, uint16_t *vid, uint16_t *vid_end)
{
	char buf[32], *dash;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "bad vlan id '%s': 1 to 4094\n", arg);
		return -1;
	}
	strcpy(buf, arg);
	dash = strchr(buf, '-');
	if (dash)
		*dash = 0;
	if (parse_vid(buf, vid, false))
		return -1;
	*vid_end = *vid;
	if (dash) {
		if (parse_vid(dash + 1, vid_end, false))
			return -1;
		if (*vid_end < *vid) {
			fprintf(stderr, "bad vlan range '%s': it ends before it starts\n",
				arg);
			return -1;
		}
	}
	return 0;
}

static int vlan_usage(void)
{
	fprintf(stderr, "Usage: kbrctl vlan {add|del} <bridge> {<port>|self} <vid>[-<vid>] [pvid] [untagged]\n"
			"       kbrctl vlan show [-s] [-c] [<bridge>]\n");
	return 1;
}

/* kbrctl vlan {add|del} BR {PORT|self} VID[-VID] [pvid] [untagged] */
static int vlan_change(int argc, char **argv)
{
	bool add = !strcmp(argv[1], "add");
	const char *br = argv[2], *port = argv[3];
	uint16_t vid, vid_end;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t flags = 0;
	bool self;
	int i, err;

	if (argc < 5)
		return vlan_usage();
	self = !strcmp(port, "self");
	if (parse_range(argv[4], &vid, &vid_end))
		return 1;
	for (i = 5; i < argc; i++) {
		if (add && !strcmp(argv[i], "pvid"))
			flags |= KBR_VLAN_F_PVID;
		else if (add && !strcmp(argv[i], "untagged"))
			flags |= KBR_VLAN_F_UNTAGGED;
		else {
			fprintf(stderr, "unexpected argument '%s'\n", argv[i]);
			return vlan_usage();
		}
	}
	if ((flags & KBR_VLAN_F_PVID) && vid_end != vid) {
		fprintf(stderr, "a pvid is one vlan, not a range\n");
		return 1;
	}
	if (!self && !if_nametoindex(port)) {
		fprintf(stderr, "interface %s does not exist!\n", port);
		return 1;
	}

	nlh = nl_msg(add ? KBR_CMD_VLAN_NEW : KBR_CMD_VLAN_DEL, 0);
	put_bridge(nlh, br);
	if (!self) {
		nest = mnl_attr_nest_start(nlh, KBR_A_PORT);
		mnl_attr_put_strz(nlh, KBR_PORT_A_IFNAME, port);
		mnl_attr_nest_end(nlh, nest);
	}
	nest = mnl_attr_nest_start(nlh, KBR_A_VLAN);
	mnl_attr_put_u16(nlh, KBR_VLAN_A_VID, vid);
	if (vid_end != vid)
		mnl_attr_put_u16(nlh, KBR_VLAN_A_VID_END, vid_end);
	mnl_attr_put_u32(nlh, KBR_VLAN_A_FLAGS, flags);
	mnl_attr_nest_end(nlh, nest);

	err = nl_talk(nlh, NULL, NULL);
	switch (err) {
	case 0:
		return 0;
	case -ENODEV:
		fprintf(stderr, "bridge %s does not exist!\n", br);
		return 1;
	case -EINVAL:
		if (!self && nl_extack() &&
		    strstr(nl_extack(), "not a port")) {
			fprintf(stderr, "device %s is not a port of %s\n", port,
				br);
			return 1;
		}
		/* fall through */
	default:
		fprintf(stderr, "can't %s vlan %s on %s: %s\n",
			add ? "add" : "delete", argv[4], self ? br : port,
			strerror(-err));
		nl_print_extack();
		return 1;
	}
}

/* One member's VLANs, as a dump message brings them. */
struct vlan_entry {
	uint16_t vid, vid_end;
	uint32_t flags;
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
};

struct vlan_dump {
	bool stats;
	bool compress;		/* ranges as ranges */
	uint32_t last_ifindex;	/* of the member printed last */
	bool any;
	bool first;		/* next VLAN on the member's name line */
};

/* iproute2's column widths: port names, then VLAN ids. */
#define PORT_COL	"%-16s  "
#define NO_PORT_COL	"                  "

static void print_vlan_entry(const struct vlan_entry *e, bool stats)
{
	char range[16];

	if (e->vid_end != e->vid)
		snprintf(range, sizeof(range), "%u-%u", e->vid, e->vid_end);
	else
		snprintf(range, sizeof(range), "%u", e->vid);
	open_json_object(NULL);
	print_uint(PRINT_JSON, "vlan", NULL, e->vid);
	if (e->vid_end != e->vid)
		print_uint(PRINT_JSON, "vlanEnd", NULL, e->vid_end);
	print_string(PRINT_FP, NULL, "%s", range);
	if (json && e->flags) {
		open_json_array("flags");
		if (e->flags & KBR_VLAN_F_PVID)
			print_string(PRINT_JSON, NULL, NULL, "PVID");
		if (e->flags & KBR_VLAN_F_UNTAGGED)
			print_string(PRINT_JSON, NULL, NULL, "Egress Untagged");
		close_json_array();
	} else if (!json) {
		if (e->flags & KBR_VLAN_F_PVID)
			print_text(" PVID");
		if (e->flags & KBR_VLAN_F_UNTAGGED)
			print_text(" Egress Untagged");
	}
	print_text("\n");
	if (stats) {
		print_text(NO_PORT_COL "  RX: %llu bytes %llu packets\n",
			   (unsigned long long)e->rx_bytes,
			   (unsigned long long)e->rx_packets);
		print_text(NO_PORT_COL "  TX: %llu bytes %llu packets\n",
			   (unsigned long long)e->tx_bytes,
			   (unsigned long long)e->tx_packets);
		print_uint(PRINT_JSON, "rx_bytes", NULL, e->rx_bytes);
		print_uint(PRINT_JSON, "rx_packets", NULL, e->rx_packets);
		print_uint(PRINT_JSON, "tx_bytes", NULL, e->tx_bytes);
		print_uint(PRINT_JSON, "tx_packets", NULL, e->tx_packets);
	}
	close_json_object();
}

static int vlan_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[KBR_A_MAX + 1] = {};
	const struct nlattr *br[KBR_BR_A_MAX + 1] = {};
	const struct nlattr *port[KBR_PORT_A_MAX + 1] = {};
	struct vlan_dump *d = data;
	const struct nlattr *a;
	const char *name;
	uint32_t ifindex;
	uint16_t last;

	if (nl_parse_top(nlh, top, KBR_A_MAX) || !top[KBR_A_BRIDGE] ||
	    nl_parse_nest(top[KBR_A_BRIDGE], br, KBR_BR_A_MAX) ||
	    !br[KBR_BR_A_IFNAME] || !br[KBR_BR_A_IFINDEX])
		return MNL_CB_ERROR;
	name = mnl_attr_get_str(br[KBR_BR_A_IFNAME]);
	ifindex = nl_get_u32(br[KBR_BR_A_IFINDEX]);
	if (top[KBR_A_PORT]) {
		if (nl_parse_nest(top[KBR_A_PORT], port, KBR_PORT_A_MAX) ||
		    !port[KBR_PORT_A_IFNAME] || !port[KBR_PORT_A_IFINDEX])
			return MNL_CB_ERROR;
		name = mnl_attr_get_str(port[KBR_PORT_A_IFNAME]);
		ifindex = nl_get_u32(port[KBR_PORT_A_IFINDEX]);
	}

	/* A member's VLANs may come in several messages. */
	if (!d->any || ifindex != d->last_ifindex) {
		if (d->any) {
			close_json_array();
			close_json_object();
		}
		open_json_object(NULL);
		print_string(PRINT_ANY, "ifname", PORT_COL, name);
		if (top[KBR_A_PORT])
			print_string(PRINT_JSON, "master", NULL,
				     mnl_attr_get_str(br[KBR_BR_A_IFNAME]));
		open_json_array("vlans");
		d->last_ifindex = ifindex;
		d->any = true;
		d->first = true;
	}

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		const struct nlattr *v[KBR_VLAN_A_MAX + 1] = {};
		struct vlan_entry e = {};

		if (mnl_attr_get_type(a) != KBR_A_VLAN)
			continue;
		if (nl_parse_nest(a, v, KBR_VLAN_A_MAX) || !v[KBR_VLAN_A_VID])
			return MNL_CB_ERROR;
		e.vid = nl_get_u16(v[KBR_VLAN_A_VID]);
		e.vid_end = v[KBR_VLAN_A_VID_END] ?
			    nl_get_u16(v[KBR_VLAN_A_VID_END]) : e.vid;
		e.flags = v[KBR_VLAN_A_FLAGS] ? nl_get_u32(v[KBR_VLAN_A_FLAGS]) : 0;
		if (v[KBR_VLAN_A_RX_PACKETS]) {
			e.rx_packets = nl_get_u64(v[KBR_VLAN_A_RX_PACKETS]);
			e.rx_bytes = nl_get_u64(v[KBR_VLAN_A_RX_BYTES]);
			e.tx_packets = nl_get_u64(v[KBR_VLAN_A_TX_PACKETS]);
			e.tx_bytes = nl_get_u64(v[KBR_VLAN_A_TX_BYTES]);
		}
		/* The kernel sends ranges; "bridge vlan show" lists each VLAN. */
		last = e.vid_end;
		if (!d->compress)
			e.vid_end = e.vid;
		for (;;) {
			/* Entries after the first line up under it. */
			if (!d->first)
				print_text(NO_PORT_COL);
			d->first = false;
			print_vlan_entry(&e, d->stats);
			if (e.vid_end >= last)
				break;
			e.vid_end = ++e.vid;
		}
	}
	return MNL_CB_OK;
}

/* kbrctl vlan show [-s] [-c] [BR] */
static int vlan_show(int argc, char **argv)
{
	struct vlan_dump d = {};
	const char *br = NULL;
	struct nlmsghdr *nlh;
	int i, err;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-s"))
			d.stats = true;
		else if (!strcmp(argv[i], "-c"))
			d.compress = true;
		else if (!br)
			br = argv[i];
		else
			return vlan_usage();
	}
	nlh = nl_msg(KBR_CMD_VLAN_GET, NLM_F_DUMP);
	if (br)
		put_bridge(nlh, br);
	if (d.stats)
		mnl_attr_put(nlh, KBR_A_VLAN_STATS, 0, NULL);

	json_begin();
	print_text("%-16s  %-9s\n", "port", "vlan-id");
	err = nl_talk(nlh, vlan_dump_cb, &d);
	if (d.any) {
		close_json_array();
		close_json_object();
	}
	json_end();
	if (err == -ENODEV && br) {
		fprintf(stderr, "bridge %s does not exist!\n", br);
		return 1;
	}
	if (err) {
		fprintf(stderr, "can't show vlans: %s\n", strerror(-err));
		nl_print_extack();
		return 1;
	}
	return 0;
}

int cmd_vlan(int argc, char **argv)
{
	if (!strcmp(argv[1], "add") || !strcmp(argv[1], "del"))
		return vlan_change(argc, argv);
	if (!strcmp(argv[1], "show"))
		return vlan_show(argc, argv);
	return vlan_usage();
}
