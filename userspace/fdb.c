// SPDX-License-Identifier: GPL-2.0
/* kbrctl showmacs: the forwarding database in brctl's layout, or JSON. */

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

static void print_fdb(const struct fdb *f)
{
	char mac[18], timer[16], name[IF_NAMESIZE] = "";
	bool local = f->flags & KBR_FDB_F_LOCAL;

	snprintf(mac, sizeof(mac), "%.2x:%.2x:%.2x:%.2x:%.2x:%.2x",
		 f->addr[0], f->addr[1], f->addr[2], f->addr[3], f->addr[4],
		 f->addr[5]);
	format_timer(timer, sizeof(timer), f->age_ms / 1000.0);
	if (!if_indextoname(f->ifindex, name))
		name[0] = '\0';

	open_json_object(NULL);
	print_uint(PRINT_ANY, "port_no", "%3llu\t", f->port_no);
	print_string(PRINT_JSON, "ifname", NULL, name);
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
	print_text("%s\n", timer);
	close_json_object();
}

int cmd_showmacs(int argc, char **argv)
{
	struct fdb_list l = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err, tries = 0;
	size_t i;

	(void)argc;
	do {
		l.n = 0;
		nlh = nl_msg(KBR_CMD_FDB_GET, NLM_F_DUMP);
		nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
		mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, argv[1]);
		mnl_attr_nest_end(nlh, nest);
		err = nl_talk(nlh, fdb_cb, &l);
	} while (err == -EINTR && ++tries < 10);
	if (err) {
		fprintf(stderr, "read of forward table failed: %s\n",
			strerror(-err == EINVAL ? ENODEV : -err));
		free(l.v);
		return 1;
	}

	qsort(l.v, l.n, sizeof(*l.v), fdb_cmp);
	print_text("port no\tmac addr\t\tis local?\tageing timer\n");
	json_begin();
	for (i = 0; i < l.n; i++) {
		/* The bridge's own address is behind no port: brctl skips it. */
		if (l.v[i].port_no)
			print_fdb(&l.v[i]);
	}
	json_end();
	free(l.v);
	return 0;
}
