// SPDX-License-Identifier: GPL-2.0
/* kbrctl showmacs (the forwarding database in brctl's layout, or JSON),
 * fdb add, del and show, and flush.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbrctl.h"

struct fdb {
	uint8_t addr[6];
	uint16_t vlan;
	uint16_t port_no;
	uint32_t ifindex;
	uint32_t flags;
	uint32_t age_ms;
};

struct fdb_list {
	struct fdb *v;
	size_t n, cap;
};

static int fdb_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[KBR_A_MAX + 1];
	const struct nlattr *tb[KBR_FDB_A_MAX + 1];
	struct fdb_list *l = data;
	struct fdb *f;

	if (nl_parse_top(nlh, top, KBR_A_MAX) || !top[KBR_A_FDB] ||
	    nl_parse_nest(top[KBR_A_FDB], tb, KBR_FDB_A_MAX) ||
	    !tb[KBR_FDB_A_ADDRESS] ||
	    mnl_attr_validate2(tb[KBR_FDB_A_ADDRESS], MNL_TYPE_BINARY, 6))
		return MNL_CB_OK;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;

		f = realloc(l->v, cap * sizeof(*f));
		if (!f) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		l->v = f;
		l->cap = cap;
	}
	f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	memcpy(f->addr, mnl_attr_get_payload(tb[KBR_FDB_A_ADDRESS]), 6);
	if (tb[KBR_FDB_A_VLAN] && !mnl_attr_validate(tb[KBR_FDB_A_VLAN], MNL_TYPE_U16))
		f->vlan = mnl_attr_get_u16(tb[KBR_FDB_A_VLAN]);
	if (tb[KBR_FDB_A_PORT_NO] &&
	    !mnl_attr_validate(tb[KBR_FDB_A_PORT_NO], MNL_TYPE_U16))
		f->port_no = mnl_attr_get_u16(tb[KBR_FDB_A_PORT_NO]);
	if (tb[KBR_FDB_A_PORT_IFINDEX] &&
	    !mnl_attr_validate(tb[KBR_FDB_A_PORT_IFINDEX], MNL_TYPE_U32))
		f->ifindex = mnl_attr_get_u32(tb[KBR_FDB_A_PORT_IFINDEX]);
	if (tb[KBR_FDB_A_FLAGS] && !mnl_attr_validate(tb[KBR_FDB_A_FLAGS], MNL_TYPE_U32))
		f->flags = mnl_attr_get_u32(tb[KBR_FDB_A_FLAGS]);
	if (tb[KBR_FDB_A_AGE] && !mnl_attr_validate(tb[KBR_FDB_A_AGE], MNL_TYPE_U32))
		f->age_ms = mnl_attr_get_u32(tb[KBR_FDB_A_AGE]);
	return MNL_CB_OK;
}

static int fdb_cmp(const void *a, const void *b)
{
	const struct fdb *x = a, *y = b;
	int d = memcmp(x->addr, y->addr, 6);

	return d ? d : (int)x->vlan - (int)y->vlan;
}

/* brctl's line; with @with_vlan (entries in VLANs), the VLAN last. */
static void print_fdb(const struct fdb *f, const struct port_list *ports,
		      bool with_vlan)
{
	char mac[18], timer[16];
	bool local = f->flags & KBR_FDB_F_LOCAL;

	snprintf(mac, sizeof(mac), "%.2x:%.2x:%.2x:%.2x:%.2x:%.2x",
		 f->addr[0], f->addr[1], f->addr[2], f->addr[3], f->addr[4],
		 f->addr[5]);
	format_timer(timer, sizeof(timer), f->age_ms / 1000.0);

	open_json_object(NULL);
	print_uint(PRINT_ANY, "port_no", "%3llu\t", f->port_no);
	print_string(PRINT_JSON, "ifname", NULL, port_name(ports, f->ifindex));
	print_string(PRINT_ANY, "mac", "%s\t", mac);
	print_uint(PRINT_JSON, "vlan", NULL, f->vlan);
	print_bool(PRINT_ANY, "is_local", "%s\t\t", local);
	open_json_array("flags");
	if (local)
		print_string(PRINT_JSON, NULL, NULL, "local");
	if (f->flags & KBR_FDB_F_STATIC)
		print_string(PRINT_JSON, NULL, NULL, "static");
	if (!(f->flags & (KBR_FDB_F_LOCAL | KBR_FDB_F_STATIC)))
		print_string(PRINT_JSON, NULL, NULL, "learned");
	close_json_array();
	print_float(PRINT_JSON, "age", NULL, f->age_ms / 1000.0);
	if (with_vlan)
		print_text("%s\t%u\n", timer, f->vlan);
	else
		print_text("%s\n", timer);
	close_json_object();
}

/* The FDB of @bridge, sorted by address and VLAN. */
static int fdb_dump(const char *bridge, struct fdb_list *l)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err, tries = 0;

	do {
		l->n = 0;
		nlh = nl_msg(KBR_CMD_FDB_GET, NLM_F_DUMP);
		nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
		mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, bridge);
		mnl_attr_nest_end(nlh, nest);
		err = nl_talk(nlh, fdb_cb, l);
	} while (err == -EINTR && ++tries < 3);
	/* A table that learns faster than it can be read has no consistent
	 * snapshot: show the last read, each entry in it once, as "bridge
	 * fdb show" does.
	 */
	if (err == -EINTR)
		err = 0;
	if (!err)
		qsort(l->v, l->n, sizeof(*l->v), fdb_cmp);
	return err;
}

/* The ports of @bridge, for their names; empty if they cannot be read. */
static void fdb_ports(const char *bridge, struct port_list *ports)
{
	if (port_list_get(bridge, ports)) {
		free(ports->v);
		ports->v = NULL;
		ports->n = 0;
	}
}

int cmd_showmacs(int argc, char **argv)
{
	struct port_list ports = { 0 };
	struct fdb_list l = { 0 };
	bool with_vlan = false;
	size_t i;
	int err;

	(void)argc;
	err = fdb_dump(argv[1], &l);
	if (err) {
		fprintf(stderr, "read of forward table failed: %s\n",
			strerror(-err == EINVAL ? ENODEV : -err));
		free(l.v);
		return 1;
	}
	if (json)
		fdb_ports(argv[1], &ports);

	/* brctl knows no VLANs: a VLAN column only when there are any. */
	for (i = 0; i < l.n; i++)
		with_vlan |= l.v[i].vlan != 0;
	print_text("port no\tmac addr\t\tis local?\tageing timer%s\n",
		   with_vlan ? "\tvlan" : "");
	json_begin();
	for (i = 0; i < l.n; i++) {
		/* The bridge's own address is behind no port: brctl skips it. */
		if (l.v[i].port_no)
			print_fdb(&l.v[i], &ports, with_vlan);
	}
	json_end();
	free(ports.v);
	free(l.v);
	return 0;
}

/* "MAC [vlan VID]" at @argv[i]...: returns the next index, or -1. */
static int parse_mac_vlan(int argc, char **argv, int i, uint8_t *mac,
			  int *vid)
{
	unsigned int b[6];
	char extra;
	char *end;
	long v;
	int k;

	if (i >= argc || sscanf(argv[i], "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1],
				&b[2], &b[3], &b[4], &b[5], &extra) != 6) {
		fprintf(stderr, "bad mac address '%s'\n", i < argc ? argv[i] : "");
		return -1;
	}
	for (k = 0; k < 6; k++) {
		if (b[k] > 0xff) {
			fprintf(stderr, "bad mac address '%s'\n", argv[i]);
			return -1;
		}
		mac[k] = b[k];
	}
	*vid = -1;
	if (++i < argc && !strcmp(argv[i], "vlan")) {
		if (i + 1 >= argc) {
			fprintf(stderr, "vlan needs a VLAN id\n");
			return -1;
		}
		errno = 0;
		v = strtol(argv[i + 1], &end, 10);
		if (errno || *end || end == argv[i + 1] || v < 0 || v > 65535) {
			fprintf(stderr, "bad vlan id '%s'\n", argv[i + 1]);
			return -1;
		}
		*vid = v;
		i += 2;
	}
	if (i < argc) {
		fprintf(stderr, "unexpected argument '%s'\n", argv[i]);
		return -1;
	}
	return i;
}

static void put_bridge(struct nlmsghdr *nlh, const char *bridge)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);

	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, bridge);
	mnl_attr_nest_end(nlh, nest);
}

/* kbrctl fdb add|del BR PORT MAC [vlan VID] */
static int fdb_change(int argc, char **argv, bool add)
{
	const char *br = argv[2], *port = argv[3];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int ifindex;
	uint8_t mac[6];
	int vid, err;

	if (parse_mac_vlan(argc, argv, 4, mac, &vid) < 0)
		return 1;
	ifindex = if_nametoindex(port);
	if (!ifindex) {
		fprintf(stderr, "interface %s does not exist!\n", port);
		return 1;
	}
	nlh = nl_msg(add ? KBR_CMD_FDB_NEW : KBR_CMD_FDB_DEL, 0);
	put_bridge(nlh, br);
	nest = mnl_attr_nest_start(nlh, KBR_A_FDB);
	mnl_attr_put(nlh, KBR_FDB_A_ADDRESS, 6, mac);
	if (vid >= 0)
		mnl_attr_put_u16(nlh, KBR_FDB_A_VLAN, vid);
	if (add)
		mnl_attr_put_u32(nlh, KBR_FDB_A_PORT_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nlh, NULL, NULL);
	switch (err) {
	case 0:
		return 0;
	case -ENODEV:
		fprintf(stderr, "bridge %s does not exist!\n", br);
		return 1;
	default:
		if (err == -EINVAL && add &&
		    !strcmp(nl_extack(), "Device is not a port of this bridge")) {
			fprintf(stderr, "device %s is not a port of %s\n", port, br);
			return 1;
		}
		fprintf(stderr, "can't %s fdb entry: %s\n", add ? "add" : "delete",
			strerror(-err));
		nl_print_extack();
		return 1;
	}
}

/* iproute2's "bridge fdb show" line: MAC dev PORT [vlan N] master BR FLAGS */
static void fdb_show_one(const char *bridge, const struct port_list *ports,
			 const struct fdb *f)
{
	const char *name = f->port_no ? port_name(ports, f->ifindex) : "";
	char mac[18];

	snprintf(mac, sizeof(mac), "%.2x:%.2x:%.2x:%.2x:%.2x:%.2x",
		 f->addr[0], f->addr[1], f->addr[2], f->addr[3], f->addr[4],
		 f->addr[5]);
	if (!*name)
		name = bridge;

	open_json_object(NULL);
	print_string(PRINT_ANY, "mac", "%s ", mac);
	print_string(PRINT_ANY, "ifname", "dev %s ", name);
	if (f->vlan || json)
		print_uint(PRINT_ANY, "vlan", "vlan %llu ", f->vlan);
	if (f->port_no)
		print_string(PRINT_ANY, "master", "master %s", bridge);
	else
		print_string(PRINT_ANY, "master", "%.0sself", bridge);
	open_json_array("flags");
	if (f->flags & KBR_FDB_F_LOCAL)
		print_string(PRINT_ANY, NULL, " %s", "local");
	if (f->flags & KBR_FDB_F_STATIC)
		print_string(PRINT_ANY, NULL, " %s", "static");
	if (!(f->flags & (KBR_FDB_F_LOCAL | KBR_FDB_F_STATIC)))
		print_string(PRINT_JSON, NULL, NULL, "learned");
	close_json_array();
	print_float(PRINT_JSON, "age", NULL, f->age_ms / 1000.0);
	print_text("\n");
	close_json_object();
}

/* The entries of one bridge, or of its port @ifindex (0: all). */
static int fdb_show_bridge(const char *bridge, uint32_t ifindex)
{
	struct port_list ports = { 0 };
	struct fdb_list l = { 0 };
	size_t i;
	int err;

	err = fdb_dump(bridge, &l);
	if (err) {
		fprintf(stderr, "read of forward table failed: %s\n",
			strerror(-err == EINVAL ? ENODEV : -err));
		free(l.v);
		return 1;
	}
	fdb_ports(bridge, &ports);
	for (i = 0; i < l.n; i++)
		if (!ifindex || l.v[i].ifindex == ifindex)
			fdb_show_one(bridge, &ports, &l.v[i]);
	free(ports.v);
	free(l.v);
	return 0;
}

/* One bridge of "fdb show": skip a bridge deleted meanwhile. */
static int fdb_show_listed(const char *bridge)
{
	return if_nametoindex(bridge) ? fdb_show_bridge(bridge, 0) : 0;
}

/* kbrctl fdb show [BR [port P]] */
static int fdb_show(int argc, char **argv)
{
	unsigned int ifindex = 0;
	int ret;

	if (argc == 5 && !strcmp(argv[3], "port")) {
		ifindex = if_nametoindex(argv[4]);
		if (!ifindex) {
			fprintf(stderr, "interface %s does not exist!\n",
				argv[4]);
			return 1;
		}
	} else if (argc > 3) {
		fprintf(stderr, "Usage: kbrctl fdb show [<bridge> [port <port>]]\n");
		return 1;
	}
	json_begin();
	ret = argc == 2 ? for_each_bridge(fdb_show_listed) :
	      fdb_show_bridge(argv[2], ifindex);
	json_end();
	return ret;
}

int cmd_fdb(int argc, char **argv)
{
	if (!strcmp(argv[1], "show"))
		return fdb_show(argc, argv);
	if (argc < 5 || (strcmp(argv[1], "add") && strcmp(argv[1], "del"))) {
		fprintf(stderr, "Usage: kbrctl fdb {add|del} <bridge> <port> <mac> [vlan <vid>]\n"
			"       kbrctl fdb show [<bridge> [port <port>]]\n");
		return 1;
	}
	return fdb_change(argc, argv, !strcmp(argv[1], "add"));
}

/* kbrctl flush BR [PORT] [vlan VID] [all] */
int cmd_flush(int argc, char **argv)
{
	const char *br = argv[1], *port = NULL;
	bool all = false, by_vlan = false;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint16_t vid = 0;
	int i, err;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "all") && i == argc - 1) {
			all = true;
		} else if (!strcmp(argv[i], "vlan") && i + 1 < argc &&
			   !by_vlan) {
			if (parse_vid(argv[++i], &vid, false))
				return 1;
			by_vlan = true;
		} else if (!port && i == 2) {
			port = argv[i];
		} else {
			fprintf(stderr, "Usage: kbrctl flush <bridge> [<port>] [vlan <vid>] [all]\n");
			return 1;
		}
	}
	if (port && !if_nametoindex(port)) {
		fprintf(stderr, "interface %s does not exist!\n", port);
		return 1;
	}
	nlh = nl_msg(KBR_CMD_FDB_FLUSH, 0);
	put_bridge(nlh, br);
	if (port) {
		nest = mnl_attr_nest_start(nlh, KBR_A_PORT);
		mnl_attr_put_strz(nlh, KBR_PORT_A_IFNAME, port);
		mnl_attr_nest_end(nlh, nest);
	}
	if (all || by_vlan) {
		nest = mnl_attr_nest_start(nlh, KBR_A_FDB);
		if (all)
			mnl_attr_put_u32(nlh, KBR_FDB_A_FLAGS, KBR_FDB_F_STATIC);
		if (by_vlan)
			mnl_attr_put_u16(nlh, KBR_FDB_A_VLAN, vid);
		mnl_attr_nest_end(nlh, nest);
	}
	err = nl_talk(nlh, NULL, NULL);
	switch (err) {
	case 0:
		return 0;
	case -ENODEV:
		fprintf(stderr, "bridge %s does not exist!\n", br);
		return 1;
	case -EINVAL:
		if (port) {
			fprintf(stderr, "device %s is not a port of %s\n", port, br);
			return 1;
		}
		/* fall through */
	default:
		fprintf(stderr, "can't flush %s: %s\n", br, strerror(-err));
		nl_print_extack();
		return 1;
	}
}
