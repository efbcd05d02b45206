// SPDX-License-Identifier: GPL-2.0
/* kbrctl addbr, delbr, show, setageing, setfdbmax, setfdbpolicy and
 * setfdbstaticmax: bridges as objects.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "kbrctl.h"

/* enum kbr_fdb_policy's names */
static const char *const fdb_policy_names[] = {
	[KBR_FDB_POLICY_EVICT]	= "evict",
	[KBR_FDB_POLICY_REFUSE]	= "refuse",
};

#define FDB_POLICIES	(sizeof(fdb_policy_names) / sizeof(fdb_policy_names[0]))

static struct nlattr *put_bridge_name(struct nlmsghdr *nlh, const char *name)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);

	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, name);
	mnl_attr_nest_end(nlh, nest);
	return nest;
}

int cmd_addbr(int argc, char **argv)
{
	struct nlmsghdr *nlh = nl_msg(KBR_CMD_BR_NEW, 0);
	int err;

	(void)argc;
	put_bridge_name(nlh, argv[1]);
	err = nl_talk(nlh, NULL, NULL);
	switch (err) {
	case 0:
		return 0;
	case -EEXIST:
		fprintf(stderr, "device %s already exists; can't create bridge with the same name\n",
			argv[1]);
		return 1;
	default:
		fprintf(stderr, "add bridge failed: %s\n", strerror(-err));
		nl_print_extack();
		return 1;
	}
}

int cmd_delbr(int argc, char **argv)
{
	struct nlmsghdr *nlh = nl_msg(KBR_CMD_BR_DEL, 0);
	int err;

	(void)argc;
	put_bridge_name(nlh, argv[1]);
	err = nl_talk(nlh, NULL, NULL);
	switch (err) {
	case 0:
		return 0;
	case -ENODEV:
		fprintf(stderr, "bridge %s doesn't exist; can't delete it\n",
			argv[1]);
		return 1;
	case -EBUSY:
		fprintf(stderr, "bridge %s is still up; can't delete it\n",
			argv[1]);
		return 1;
	default:
		fprintf(stderr, "can't delete bridge %s: %s\n", argv[1],
			strerror(-err));
		nl_print_extack();
		return 1;
	}
}

/* Read one KBR_A_BRIDGE message; skip what is missing or malformed. */
int bridge_parse(const struct nlmsghdr *nlh, struct bridge *br)
{
	const struct nlattr *top[KBR_A_MAX + 1];
	const struct nlattr *tb[KBR_BR_A_MAX + 1];

	memset(br, 0, sizeof(*br));
	if (nl_parse_top(nlh, top, KBR_A_MAX) || !top[KBR_A_BRIDGE] ||
	    nl_parse_nest(top[KBR_A_BRIDGE], tb, KBR_BR_A_MAX))
		return -EBADMSG;

	if (!tb[KBR_BR_A_IFNAME] ||
	    mnl_attr_validate(tb[KBR_BR_A_IFNAME], MNL_TYPE_NUL_STRING) ||
	    !tb[KBR_BR_A_IFINDEX] ||
	    mnl_attr_validate(tb[KBR_BR_A_IFINDEX], MNL_TYPE_U32))
		return -EBADMSG;
	snprintf(br->name, sizeof(br->name), "%s",
		 mnl_attr_get_str(tb[KBR_BR_A_IFNAME]));
	br->ifindex = mnl_attr_get_u32(tb[KBR_BR_A_IFINDEX]);

	if (tb[KBR_BR_A_ADDRESS] &&
	    mnl_attr_validate2(tb[KBR_BR_A_ADDRESS], MNL_TYPE_BINARY, 6) == 0)
		memcpy(br->addr, mnl_attr_get_payload(tb[KBR_BR_A_ADDRESS]), 6);
	if (tb[KBR_BR_A_PRIORITY] &&
	    mnl_attr_validate(tb[KBR_BR_A_PRIORITY], MNL_TYPE_U16) == 0)
		br->priority = mnl_attr_get_u16(tb[KBR_BR_A_PRIORITY]);
	if (tb[KBR_BR_A_STP_ENABLED] &&
	    mnl_attr_validate(tb[KBR_BR_A_STP_ENABLED], MNL_TYPE_U8) == 0)
		br->stp_enabled = mnl_attr_get_u8(tb[KBR_BR_A_STP_ENABLED]);
	if (tb[KBR_BR_A_STP_MODE] &&
	    mnl_attr_validate(tb[KBR_BR_A_STP_MODE], MNL_TYPE_U8) == 0)
		br->stp_mode = mnl_attr_get_u8(tb[KBR_BR_A_STP_MODE]);
	if (tb[KBR_BR_A_AGEING_TIME] &&
	    mnl_attr_validate(tb[KBR_BR_A_AGEING_TIME], MNL_TYPE_U32) == 0)
		br->ageing_ms = mnl_attr_get_u32(tb[KBR_BR_A_AGEING_TIME]);
	if (tb[KBR_BR_A_FDB_MAX_LEARNED] &&
	    mnl_attr_validate(tb[KBR_BR_A_FDB_MAX_LEARNED], MNL_TYPE_U32) == 0)
		br->fdb_max_learned = mnl_attr_get_u32(tb[KBR_BR_A_FDB_MAX_LEARNED]);
	if (tb[KBR_BR_A_FDB_LEARNED] &&
	    mnl_attr_validate(tb[KBR_BR_A_FDB_LEARNED], MNL_TYPE_U32) == 0)
		br->fdb_learned = mnl_attr_get_u32(tb[KBR_BR_A_FDB_LEARNED]);
	if (tb[KBR_BR_A_FDB_LEARN_REFUSED] &&
	    mnl_attr_validate(tb[KBR_BR_A_FDB_LEARN_REFUSED], MNL_TYPE_U64) == 0)
		br->fdb_refused = mnl_attr_get_u64(tb[KBR_BR_A_FDB_LEARN_REFUSED]);
	br->has_nomem = tb[KBR_BR_A_FDB_LEARN_NOMEM] != NULL;
	if (tb[KBR_BR_A_FDB_LEARN_NOMEM])
		br->fdb_nomem = nl_get_u64(tb[KBR_BR_A_FDB_LEARN_NOMEM]);
	if (tb[KBR_BR_A_FDB_MOVES] &&
	    mnl_attr_validate(tb[KBR_BR_A_FDB_MOVES], MNL_TYPE_U64) == 0)
		br->fdb_moves = mnl_attr_get_u64(tb[KBR_BR_A_FDB_MOVES]);
	/* A module older than the policy refuses at the cap. */
	br->fdb_policy = KBR_FDB_POLICY_REFUSE;
	if (tb[KBR_BR_A_FDB_POLICY])
		br->fdb_policy = nl_get_u8(tb[KBR_BR_A_FDB_POLICY]);
	if (tb[KBR_BR_A_FDB_EVICTED])
		br->fdb_evicted = nl_get_u64(tb[KBR_BR_A_FDB_EVICTED]);
	br->has_static_cap = tb[KBR_BR_A_FDB_MAX_STATIC] != NULL;
	if (tb[KBR_BR_A_FDB_MAX_STATIC])
		br->fdb_max_static = nl_get_u32(tb[KBR_BR_A_FDB_MAX_STATIC]);
	if (tb[KBR_BR_A_FDB_STATIC])
		br->fdb_static = nl_get_u32(tb[KBR_BR_A_FDB_STATIC]);
	if (tb[KBR_BR_A_FDB_STATIC_REFUSED])
		br->fdb_static_refused = nl_get_u64(tb[KBR_BR_A_FDB_STATIC_REFUSED]);
	if (tb[KBR_BR_A_VLAN_FILTERING])
		br->vlan_filtering = nl_get_u8(tb[KBR_BR_A_VLAN_FILTERING]);
	if (tb[KBR_BR_A_VLAN_PROTOCOL])
		br->vlan_protocol = nl_get_u16(tb[KBR_BR_A_VLAN_PROTOCOL]);
	if (tb[KBR_BR_A_DEFAULT_PVID])
		br->default_pvid = nl_get_u16(tb[KBR_BR_A_DEFAULT_PVID]);
	return 0;
}

struct bridge_list {
	struct bridge *v;
	size_t n, cap;
};

static int bridge_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct bridge_list *l = data;
	struct bridge br;

	if (bridge_parse(nlh, &br))
		return MNL_CB_OK;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct bridge *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = br;
	return MNL_CB_OK;
}

static int bridge_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bridge *)a)->name,
		      ((const struct bridge *)b)->name);
}

static void show_header(bool *printed)
{
	if (!*printed)
		print_text("bridge name\tbridge id\t\tSTP enabled\tinterfaces\n");
	*printed = true;
}

/* brctl's line: name, id and STP column, then the interfaces, the first
 * on the same line and each further one on a line of its own.
 */
static void show_bridge(const struct bridge *br)
{
	struct port_list ports = { 0 };
	char id[32];
	size_t i;

	format_bridge_id(id, sizeof(id), br->priority, br->addr);
	open_json_object(NULL);
	print_string(PRINT_ANY, "ifname", "%s\t\t", br->name);
	print_uint(PRINT_JSON, "ifindex", NULL, br->ifindex);
	print_string(PRINT_ANY, "bridge_id", "%s\t", id);
	print_bool(PRINT_ANY, "stp_enabled", "%s\t\t", br->stp_enabled);
	print_string(PRINT_JSON, "stp_mode", NULL, stp_mode_name(br->stp_mode));
	open_json_array("interfaces");
	if (port_list_get(br->name, &ports) == 0) {
		for (i = 0; i < ports.n; i++) {
			if (i)
				print_text("\t\t\t\t\t\t\t");
			print_string(PRINT_ANY, NULL, "%s\n", ports.v[i].name);
		}
	}
	close_json_array();
	if (!ports.n)
		print_text("\n");
	open_json_array("ports");
	for (i = 0; i < ports.n; i++) {
		const struct port *p = &ports.v[i];

		open_json_object(NULL);
		print_string(PRINT_JSON, "ifname", NULL, p->name);
		print_uint(PRINT_JSON, "ifindex", NULL, p->ifindex);
		print_uint(PRINT_JSON, "port_no", NULL, p->port_no);
		print_port_flags(p->flags);
		print_uint(PRINT_JSON, "fdb_max_learned", NULL,
			   p->fdb_max_learned);
		print_uint(PRINT_JSON, "fdb_learned", NULL, p->fdb_learned);
		print_uint(PRINT_JSON, "fdb_learn_refused", NULL,
			   p->fdb_refused);
		print_uint(PRINT_JSON, "fdb_evicted", NULL, p->fdb_evicted);
		print_uint(PRINT_JSON, "vlan_dropped", NULL, p->vlan_dropped);
		close_json_object();
	}
	close_json_array();
	print_float(PRINT_JSON, "ageing_time", NULL, br->ageing_ms / 1000.0);
	print_uint(PRINT_JSON, "fdb_max_learned", NULL, br->fdb_max_learned);
	print_uint(PRINT_JSON, "fdb_learned", NULL, br->fdb_learned);
	if (br->fdb_policy < FDB_POLICIES && fdb_policy_names[br->fdb_policy])
		print_string(PRINT_JSON, "fdb_policy", NULL,
			     fdb_policy_names[br->fdb_policy]);
	else	/* newer than this kbrctl: its number */
		print_uint(PRINT_JSON, "fdb_policy", NULL, br->fdb_policy);
	print_uint(PRINT_JSON, "fdb_learn_refused", NULL, br->fdb_refused);
	if (br->has_nomem)
		print_uint(PRINT_JSON, "fdb_learn_nomem", NULL, br->fdb_nomem);
	print_uint(PRINT_JSON, "fdb_evicted", NULL, br->fdb_evicted);
	print_uint(PRINT_JSON, "fdb_moves", NULL, br->fdb_moves);
	/* A module without the cap has none. */
	if (br->has_static_cap) {
		print_uint(PRINT_JSON, "fdb_max_static", NULL,
			   br->fdb_max_static);
		print_uint(PRINT_JSON, "fdb_static", NULL, br->fdb_static);
		print_uint(PRINT_JSON, "fdb_static_refused", NULL,
			   br->fdb_static_refused);
	}
	print_bool(PRINT_JSON, "vlan_filtering", NULL, br->vlan_filtering);
	print_string(PRINT_JSON, "vlan_protocol", NULL,
		     br->vlan_protocol == KBR_VLAN_PROTO_8021AD ? "802.1ad" :
								   "802.1Q");
	print_uint(PRINT_JSON, "default_pvid", NULL, br->default_pvid);
	close_json_object();
	free(ports.v);
}

/* Every kbridge of the namespace, sorted by name; says why not if not. */
static int bridge_list_get(struct bridge_list *l)
{
	int err, tries = 0;

	do {
		l->n = 0;
		err = nl_talk(nl_msg(KBR_CMD_BR_GET, NLM_F_DUMP),
			      bridge_list_cb, l);
	} while (err == -EINTR && ++tries < 10);
	if (err) {
		fprintf(stderr, "can't get bridge list: %s\n", strerror(-err));
		nl_print_extack();
		return err;
	}
	qsort(l->v, l->n, sizeof(*l->v), bridge_cmp);
	return 0;
}

/**
 * for_each_bridge() - @fn on the name of every kbridge, in name order
 *
 * Return: 1 if the list could not be read, else the OR of @fn's returns.
 */
int for_each_bridge(int (*fn)(const char *name))
{
	struct bridge_list l = { 0 };
	int ret = 0;
	size_t i;

	if (bridge_list_get(&l)) {
		free(l.v);
		return 1;
	}
	for (i = 0; i < l.n; i++)
		ret |= fn(l.v[i].name);
	free(l.v);
	return ret;
}

static int show_all(void)
{
	struct bridge_list l = { 0 };
	bool header = false;
	size_t i;

	if (bridge_list_get(&l)) {
		free(l.v);
		return 1;
	}
	json_begin();
	for (i = 0; i < l.n; i++) {
		show_header(&header);
		show_bridge(&l.v[i]);
	}
	json_end();
	free(l.v);
	return 0;
}

static int bridge_one_cb(const struct nlmsghdr *nlh, void *data)
{
	return bridge_parse(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

int cmd_show(int argc, char **argv)
{
	bool header = false;
	struct bridge br;
	int i, err, ret = 0;

	if (argc < 2)
		return show_all();

	json_begin();
	for (i = 1; i < argc; i++) {
		struct nlmsghdr *nlh = nl_msg(KBR_CMD_BR_GET, 0);

		put_bridge_name(nlh, argv[i]);
		err = nl_talk(nlh, bridge_one_cb, &br);
		if (err == -ENODEV || err == -EINVAL) {
			fprintf(stderr, "bridge %s does not exist!\n", argv[i]);
			ret = 1;
		} else if (err == -EOPNOTSUPP) {
			fprintf(stderr, "device %s is not a bridge!\n", argv[i]);
			ret = 1;
		} else if (err) {
			fprintf(stderr, "can't get info %s\n", strerror(-err));
			nl_print_extack();
			ret = 1;
		} else {
			show_header(&header);
			show_bridge(&br);
		}
	}
	json_end();
	return ret;
}

int cmd_setageing(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	double secs;
	int err;

	(void)argc;
	if (sscanf(argv[2], "%lf", &secs) != 1) {
		fprintf(stderr, "bad ageing time value\n");
		return 1;
	}
	nlh = nl_msg(KBR_CMD_BR_SET, 0);
	nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, argv[1]);
	/* Out of range values go as they are: the kernel says why not. */
	mnl_attr_put_u32(nlh, KBR_BR_A_AGEING_TIME,
			 secs < 0 ? UINT32_MAX : secs * 1000 > UINT32_MAX ?
			 UINT32_MAX : (uint32_t)(secs * 1000 + 0.5));
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nlh, NULL, NULL);
	if (err) {
		fprintf(stderr, "set ageing time failed: %s\n", strerror(-err));
		/* brctl's line says it all for a missing bridge. */
		if (err != -ENODEV)
			nl_print_extack();
		return 1;
	}
	return 0;
}

/* Set the cap in @attr of bridge @argv[1] to @argv[2]; @what names it. */
static int set_cap(char **argv, uint16_t attr, const char *what)
{
	uint32_t max;
	int err;

	if (parse_u32(argv[2], &max)) {
		fprintf(stderr, "bad %s value\n", what);
		return 1;
	}
	err = br_set(argv[1], attr, max, sizeof(max));
	if (err) {
		fprintf(stderr, "set %s failed: %s\n", what, strerror(-err));
		if (err != -ENODEV)
			nl_print_extack();
		return 1;
	}
	return 0;
}

int cmd_setfdbmax(int argc, char **argv)
{
	(void)argc;
	return set_cap(argv, KBR_BR_A_FDB_MAX_LEARNED, "fdb max");
}

int cmd_setfdbstaticmax(int argc, char **argv)
{
	(void)argc;
	return set_cap(argv, KBR_BR_A_FDB_MAX_STATIC, "fdb static max");
}

/* kbrctl setfdbpolicy BR {evict|refuse}: enum kbr_fdb_policy by name */
int cmd_setfdbpolicy(int argc, char **argv)
{
	uint8_t policy;
	int err;

	(void)argc;
	for (policy = 0; policy < FDB_POLICIES; policy++) {
		if (fdb_policy_names[policy] &&
		    !strcmp(argv[2], fdb_policy_names[policy]))
			break;
	}
	if (policy == FDB_POLICIES) {
		fprintf(stderr, "bad fdb policy value: evict or refuse\n");
		return 1;
	}
	err = br_set(argv[1], KBR_BR_A_FDB_POLICY, policy, sizeof(policy));
	if (err) {
		fprintf(stderr, "set fdb policy failed: %s\n", strerror(-err));
		if (err != -ENODEV)
			nl_print_extack();
		return 1;
	}
	return 0;
}
