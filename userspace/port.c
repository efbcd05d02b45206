// SPDX-License-Identifier: GPL-2.0
/* kbrctl addif, delif, hairpin, setportflag and setportfdbmax, and the
 * port lists show prints.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbrctl.h"

static void put_port(struct nlmsghdr *nlh, const char *bridge, const char *dev)
{
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, bridge);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, KBR_A_PORT);
	mnl_attr_put_strz(nlh, KBR_PORT_A_IFNAME, dev);
	mnl_attr_nest_end(nlh, nest);
}

/* brctl checks the interface first, then asks; so do we. */
int cmd_addif(int argc, char **argv)
{
	const char *br = argv[1];
	int i, err;

	for (i = 2; i < argc; i++) {
		const char *dev = argv[i];
		struct nlmsghdr *nlh;

		if (!if_nametoindex(dev)) {
			fprintf(stderr, "interface %s does not exist!\n", dev);
			return 1;
		}
		nlh = nl_msg(KBR_CMD_PORT_NEW, 0);
		put_port(nlh, br, dev);
		err = nl_talk(nlh, NULL, NULL);
		switch (err) {
		case 0:
			continue;
		case -ENODEV:
			fprintf(stderr, "bridge %s does not exist!\n", br);
			return 1;
		case -EBUSY:
			fprintf(stderr, "device %s is already a member of a bridge; can't add it to bridge %s.\n",
				dev, br);
			return 1;
		case -ELOOP:
			fprintf(stderr, "device %s is a bridge device itself; can't add a bridge device to a bridge device.\n",
				dev);
			return 1;
		default:
			fprintf(stderr, "can't add %s to bridge %s: %s\n", dev,
				br, strerror(-err));
			nl_print_extack();
			return 1;
		}
	}
	return 0;
}

int cmd_delif(int argc, char **argv)
{
	const char *br = argv[1];
	int i, err;

	for (i = 2; i < argc; i++) {
		const char *dev = argv[i];
		struct nlmsghdr *nlh;

		if (!if_nametoindex(dev)) {
			fprintf(stderr, "interface %s does not exist!\n", dev);
			return 1;
		}
		nlh = nl_msg(KBR_CMD_PORT_DEL, 0);
		put_port(nlh, br, dev);
		err = nl_talk(nlh, NULL, NULL);
		switch (err) {
		case 0:
			continue;
		case -ENODEV:
			fprintf(stderr, "bridge %s does not exist!\n", br);
			return 1;
		case -EINVAL:
			fprintf(stderr, "device %s is not a port of %s\n", dev, br);
			return 1;
		default:
			fprintf(stderr, "can't delete %s from %s: %s\n", dev, br,
				strerror(-err));
			nl_print_extack();
			return 1;
		}
	}
	return 0;
}

static void get_id(uint8_t *id, const struct nlattr *attr)
{
	if (attr && !mnl_attr_validate2(attr, MNL_TYPE_BINARY, 8))
		memcpy(id, mnl_attr_get_payload(attr), 8);
}

/* The spanning tree part of a port message. */
static void port_stp_parse(struct port *v, const struct nlattr **tb)
{
	const struct nlattr *ctb[KBR_STP_C_MAX + 1];
	int i;

	v->state = nl_get_u8(tb[KBR_PORT_A_STATE]);
	v->priority = nl_get_u8(tb[KBR_PORT_A_PRIORITY]);
	v->port_id = nl_get_u16(tb[KBR_PORT_A_PORT_ID]);
	v->path_cost = nl_get_u32(tb[KBR_PORT_A_PATH_COST]);
	get_id(v->designated_root, tb[KBR_PORT_A_DESIGNATED_ROOT]);
	get_id(v->designated_bridge, tb[KBR_PORT_A_DESIGNATED_BRIDGE]);
	v->designated_port = nl_get_u16(tb[KBR_PORT_A_DESIGNATED_PORT]);
	v->designated_cost = nl_get_u32(tb[KBR_PORT_A_DESIGNATED_COST]);
	v->message_age_timer = nl_get_u32(tb[KBR_PORT_A_MESSAGE_AGE_TIMER]);
	v->forward_delay_timer =
		nl_get_u32(tb[KBR_PORT_A_FORWARD_DELAY_TIMER]);
	v->hold_timer = nl_get_u32(tb[KBR_PORT_A_HOLD_TIMER]);
	v->stp_flags = nl_get_u32(tb[KBR_PORT_A_STP_FLAGS]);
	v->role = tb[KBR_PORT_A_STP_ROLE] ?
		  nl_get_u8(tb[KBR_PORT_A_STP_ROLE]) : -1;
	v->p2p = nl_get_u8(tb[KBR_PORT_A_P2P]);
	if (!tb[KBR_PORT_A_STP_COUNTERS] ||
	    nl_parse_nest(tb[KBR_PORT_A_STP_COUNTERS], ctb, KBR_STP_C_MAX))
		return;
	for (i = KBR_STP_C_CONFIG_RX; i <= KBR_STP_C_LOOP_GUARD; i++)
		v->stp_counters[i - KBR_STP_C_CONFIG_RX] = nl_get_u64(ctb[i]);
}

static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[KBR_A_MAX + 1];
	const struct nlattr *tb[KBR_PORT_A_MAX + 1];
	struct port_list *l = data;
	struct port *v;

	if (nl_parse_top(nlh, top, KBR_A_MAX) || !top[KBR_A_PORT] ||
	    nl_parse_nest(top[KBR_A_PORT], tb, KBR_PORT_A_MAX) ||
	    !tb[KBR_PORT_A_IFNAME] ||
	    mnl_attr_validate(tb[KBR_PORT_A_IFNAME], MNL_TYPE_NUL_STRING) ||
	    !tb[KBR_PORT_A_PORT_NO] ||
	    mnl_attr_validate(tb[KBR_PORT_A_PORT_NO], MNL_TYPE_U16))
		return MNL_CB_OK;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	l->v = v;
	v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s",
		 mnl_attr_get_str(tb[KBR_PORT_A_IFNAME]));
	v->port_no = mnl_attr_get_u16(tb[KBR_PORT_A_PORT_NO]);
	v->ifindex = nl_get_u32(tb[KBR_PORT_A_IFINDEX]);
	v->flags = nl_get_u32(tb[KBR_PORT_A_FLAGS]);
	v->fdb_max_learned = nl_get_u32(tb[KBR_PORT_A_FDB_MAX_LEARNED]);
	v->fdb_learned = nl_get_u32(tb[KBR_PORT_A_FDB_LEARNED]);
	v->fdb_refused = nl_get_u64(tb[KBR_PORT_A_FDB_LEARN_REFUSED]);
	v->fdb_evicted = nl_get_u64(tb[KBR_PORT_A_FDB_EVICTED]);
	v->vlan_dropped = nl_get_u64(tb[KBR_PORT_A_VLAN_DROPPED]);
	port_stp_parse(v, tb);
	return MNL_CB_OK;
}

/* The name of the port with @ifindex in @l, or "" */
const char *port_name(const struct port_list *l, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].ifindex == ifindex)
			return l->v[i].name;
	return "";
}

/**
 * port_list_get() - the ports of @bridge in port-number order
 *
 * Return: 0, or a negative errno.
 */
int port_list_get(const char *bridge, struct port_list *l)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err, tries = 0;

	do {
		free(l->v);
		l->v = NULL;
		l->n = 0;
		nlh = nl_msg(KBR_CMD_PORT_GET, NLM_F_DUMP);
		nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
		mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, bridge);
		mnl_attr_nest_end(nlh, nest);
		err = nl_talk(nlh, port_cb, l);
	} while (err == -EINTR && ++tries < 10);
	return err;
}

static const struct {
	const char *name;
	uint32_t flag;
} port_flags[] = {
	{ "learning", KBR_PORT_F_LEARNING },
	{ "flood", KBR_PORT_F_FLOOD },
	{ "mcast_flood", KBR_PORT_F_MCAST_FLOOD },
	{ "bcast_flood", KBR_PORT_F_BCAST_FLOOD },
	{ "isolated", KBR_PORT_F_ISOLATED },
	{ "hairpin", KBR_PORT_F_HAIRPIN },
	{ "bpduguard", KBR_PORT_F_BPDU_GUARD },
	{ "rootguard", KBR_PORT_F_ROOT_GUARD },
	{ "edge", KBR_PORT_F_EDGE },
	{ "autoedge", KBR_PORT_F_AUTO_EDGE },
	{ "loopguard", KBR_PORT_F_LOOP_GUARD },
};

#define N_PORT_FLAGS (sizeof(port_flags) / sizeof(port_flags[0]))

/* JSON: the names of the flags that are on, as an array. */
void print_port_flags(uint32_t flags)
{
	size_t i;

	open_json_array("flags");
	for (i = 0; i < N_PORT_FLAGS; i++)
		if (flags & port_flags[i].flag)
			print_string(PRINT_JSON, NULL, NULL, port_flags[i].name);
	close_json_array();
}

/* A PORT_SET request for @dev of @br, its port nest open in *@nest. */
static struct nlmsghdr *port_set_msg(const char *br, const char *dev,
				     struct nlattr **nest)
{
	struct nlmsghdr *nlh = nl_msg(KBR_CMD_PORT_SET, 0);

	*nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, br);
	mnl_attr_nest_end(nlh, *nest);
	*nest = mnl_attr_nest_start(nlh, KBR_A_PORT);
	mnl_attr_put_strz(nlh, KBR_PORT_A_IFNAME, dev);
	return nlh;
}

static int set_port_flag(const char *br, const char *dev, uint32_t flag,
			 bool on)
{
	struct nlattr *nest;
	struct nlmsghdr *nlh = port_set_msg(br, dev, &nest);

	mnl_attr_put_u32(nlh, KBR_PORT_A_FLAGS, on ? flag : 0);
	mnl_attr_put_u32(nlh, KBR_PORT_A_FLAGS_MASK, flag);
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nlh, NULL, NULL);
}

static int set_port_p2p(const char *br, const char *dev, uint8_t p2p)
{
	struct nlattr *nest;
	struct nlmsghdr *nlh = port_set_msg(br, dev, &nest);

	mnl_attr_put_u8(nlh, KBR_PORT_A_P2P, p2p);
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nlh, NULL, NULL);
}

/*
 * What became of a PORT_SET for @dev of @br: true, with *@ret the exit
 * status, when it worked or the bridge or the port was not there (said
 * here); false for another error, which the caller words.
 */
static bool port_set_done(int err, const char *br, const char *dev, int *ret)
{
	*ret = 1;
	switch (err) {
	case 0:
		*ret = 0;
		return true;
	case -ENODEV:
		fprintf(stderr, "bridge %s does not exist!\n", br);
		return true;
	case -EINVAL:
		fprintf(stderr, "device %s is not a port of %s\n", dev, br);
		return true;
	default:
		return false;
	}
}

/* brctl hairpin: the mode, then the interface, then the bridge. */
int cmd_hairpin(int argc, char **argv)
{
	int on, err;

	(void)argc;
	if (parse_on_off(argv[3], &on)) {
		fprintf(stderr, "expect on/off for argument\n");
		return 1;
	}
	if (!if_nametoindex(argv[2])) {
		fprintf(stderr, "interface %s does not exist!\n", argv[2]);
		return 1;
	}
	if (!if_nametoindex(argv[1])) {
		fprintf(stderr, "bridge %s does not exist!\n", argv[1]);
		return 1;
	}
	err = set_port_flag(argv[1], argv[2], KBR_PORT_F_HAIRPIN, on);
	if (err) {
		fprintf(stderr, "can't set %s to hairpin on bridge %s: %s\n",
			argv[2], argv[1], strerror(-err));
		nl_print_extack();
		return 1;
	}
	return 0;
}

int cmd_setportflag(int argc, char **argv)
{
	size_t i;
	int on, err, ret;

	(void)argc;
	for (i = 0; i < N_PORT_FLAGS; i++)
		if (!strcmp(argv[3], port_flags[i].name))
			break;
	if (i == N_PORT_FLAGS && strcmp(argv[3], "p2p")) {
		fprintf(stderr, "unknown port flag '%s' (learning, flood, mcast_flood, bcast_flood, isolated, hairpin, bpduguard, rootguard, edge, autoedge, loopguard, p2p)\n",
			argv[3]);
		return 1;
	}
	if (i == N_PORT_FLAGS) {
		/* p2p: on, off or auto (RSTP's point-to-point) */
		if (!strcmp(argv[4], "auto")) {
			on = KBR_PORT_P2P_AUTO;
		} else if (!parse_on_off(argv[4], &on)) {
			on = on ? KBR_PORT_P2P_ON : KBR_PORT_P2P_OFF;
		} else {
			fprintf(stderr, "expect on/off/auto for argument\n");
			return 1;
		}
	} else if (parse_on_off(argv[4], &on)) {
		fprintf(stderr, "expect on/off for argument\n");
		return 1;
	}
	if (!if_nametoindex(argv[2])) {
		fprintf(stderr, "interface %s does not exist!\n", argv[2]);
		return 1;
	}
	if (i == N_PORT_FLAGS)
		err = set_port_p2p(argv[1], argv[2], on);
	else
		err = set_port_flag(argv[1], argv[2], port_flags[i].flag, on);
	if (port_set_done(err, argv[1], argv[2], &ret))
		return ret;
	fprintf(stderr, "can't set %s %s on port %s of %s: %s\n",
		argv[3],
		i == N_PORT_FLAGS ? argv[4] : on ? "on" : "off",
		argv[2], argv[1], strerror(-err));
	nl_print_extack();
	return 1;
}

/* kbrctl migrate BR PORT: RSTP's mcheck */
int cmd_migrate(int argc, char **argv)
{
	struct nlattr *nest;
	struct nlmsghdr *nlh;
	int err, ret;

	(void)argc;
	if (!if_nametoindex(argv[2])) {
		fprintf(stderr, "interface %s does not exist!\n", argv[2]);
		return 1;
	}
	nlh = port_set_msg(argv[1], argv[2], &nest);
	mnl_attr_put(nlh, KBR_PORT_A_MCHECK, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nlh, NULL, NULL);
	if (port_set_done(err, argv[1], argv[2], &ret))
		return ret;
	fprintf(stderr, "can't migrate port %s of %s: %s\n", argv[2],
		argv[1], strerror(-err));
	nl_print_extack();
	return 1;
}

/* kbrctl setportfdbmax BR PORT N */
int cmd_setportfdbmax(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t max;
	int err, ret;

	(void)argc;
	if (parse_u32(argv[3], &max)) {
		fprintf(stderr, "bad fdb max value\n");
		return 1;
	}
	if (!if_nametoindex(argv[2])) {
		fprintf(stderr, "interface %s does not exist!\n", argv[2]);
		return 1;
	}
	nlh = port_set_msg(argv[1], argv[2], &nest);
	mnl_attr_put_u32(nlh, KBR_PORT_A_FDB_MAX_LEARNED, max);
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nlh, NULL, NULL);
	if (port_set_done(err, argv[1], argv[2], &ret))
		return ret;
	fprintf(stderr, "set fdb max of %s failed: %s\n", argv[2],
		strerror(-err));
	nl_print_extack();
	return 1;
}
