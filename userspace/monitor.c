// SPDX-License-Identifier: GPL-2.0
/*
 * kbrctl monitor: the kbridge events group, one line per event (a JSON
 * object per line with -j): bridges and ports added and deleted, FDB
 * entries learned, moved, aged, added, deleted and flushed, and spanning
 * tree port states, root changes and topology changes.
 */

#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include "kbrctl.h"

enum { MON_BRIDGE = 1, MON_PORT = 2, MON_FDB = 4, MON_STP = 8 };

static bool monitor_bridge(const struct nlmsghdr *nlh, uint8_t cmd)
{
	struct bridge br;
	char id[32];

	if (bridge_parse(nlh, &br))
		return false;
	format_bridge_id(id, sizeof(id), br.priority, br.addr);
	open_json_object(NULL);
	print_string(PRINT_ANY, "object", "%s ", "bridge");
	print_string(PRINT_ANY, "action", "%s ",
		     cmd == KBR_CMD_BR_NEW ? "add" : "del");
	print_string(PRINT_ANY, "ifname", "%s ", br.name);
	print_uint(PRINT_ANY, "ifindex", "ifindex %llu ", br.ifindex);
	print_string(PRINT_ANY, "bridge_id", "id %s ", id);
	print_bool(PRINT_ANY, "stp_enabled", "stp %s", br.stp_enabled);
	close_json_object();
	return true;
}

/* The name of the bridge of an event (its nest has at least an ifindex). */
static void event_bridge(const struct nlattr **top, char *name)
{
	const struct nlattr *tb[KBR_BR_A_MAX + 1];
	uint32_t ifindex = 0;

	strcpy(name, "?");
	if (!top[KBR_A_BRIDGE] ||
	    nl_parse_nest(top[KBR_A_BRIDGE], tb, KBR_BR_A_MAX))
		return;
	if (tb[KBR_BR_A_IFNAME] &&
	    !mnl_attr_validate(tb[KBR_BR_A_IFNAME], MNL_TYPE_NUL_STRING)) {
		snprintf(name, IF_NAMESIZE, "%s", mnl_attr_get_str(tb[KBR_BR_A_IFNAME]));
		return;
	}
	if (tb[KBR_BR_A_IFINDEX] &&
	    !mnl_attr_validate(tb[KBR_BR_A_IFINDEX], MNL_TYPE_U32))
		ifindex = mnl_attr_get_u32(tb[KBR_BR_A_IFINDEX]);
	if (!ifindex || !if_indextoname(ifindex, name))
		strcpy(name, "?");
}

static void event_port(const struct nlattr **top, char *name, uint16_t *no)
{
	const struct nlattr *tb[KBR_PORT_A_MAX + 1];

	name[0] = '\0';
	*no = 0;
	if (!top[KBR_A_PORT] || nl_parse_nest(top[KBR_A_PORT], tb, KBR_PORT_A_MAX))
		return;
	if (tb[KBR_PORT_A_IFNAME] &&
	    !mnl_attr_validate(tb[KBR_PORT_A_IFNAME], MNL_TYPE_NUL_STRING))
		snprintf(name, IF_NAMESIZE, "%s", mnl_attr_get_str(tb[KBR_PORT_A_IFNAME]));
	if (tb[KBR_PORT_A_PORT_NO] &&
	    !mnl_attr_validate(tb[KBR_PORT_A_PORT_NO], MNL_TYPE_U16))
		*no = mnl_attr_get_u16(tb[KBR_PORT_A_PORT_NO]);
}

static bool monitor_port(const struct nlattr **top, uint8_t cmd)
{
	char br[IF_NAMESIZE], port[IF_NAMESIZE];
	uint16_t no;

	event_bridge(top, br);
	event_port(top, port, &no);
	open_json_object(NULL);
	print_string(PRINT_ANY, "object", "%s ", "port");
	print_string(PRINT_ANY, "action", "%s ",
		     cmd == KBR_CMD_PORT_NEW ? "add" : "del");
	print_string(PRINT_ANY, "master", "%s ", br);
	print_string(PRINT_ANY, "ifname", "%s ", port);
	print_uint(PRINT_ANY, "port_no", "port_no %llu", no);
	close_json_object();
	return true;
}

/* "fdb evicting kb0 dev p1 evicted 1234": the port's evictions so far */
static bool monitor_evicting(const struct nlattr **top)
{
	const struct nlattr *tb[KBR_PORT_A_MAX + 1];
	char br[IF_NAMESIZE], port[IF_NAMESIZE] = "?";
	uint64_t evicted = 0;

	event_bridge(top, br);
	if (!top[KBR_A_PORT] ||
	    nl_parse_nest(top[KBR_A_PORT], tb, KBR_PORT_A_MAX))
		return false;
	if (!tb[KBR_PORT_A_IFINDEX] ||
	    mnl_attr_validate(tb[KBR_PORT_A_IFINDEX], MNL_TYPE_U32) ||
	    !if_indextoname(mnl_attr_get_u32(tb[KBR_PORT_A_IFINDEX]), port))
		strcpy(port, "?");
	if (tb[KBR_PORT_A_FDB_EVICTED])
		evicted = nl_get_u64(tb[KBR_PORT_A_FDB_EVICTED]);
	open_json_object(NULL);
	print_string(PRINT_ANY, "object", "%s ", "fdb");
	print_string(PRINT_ANY, "action", "%s ", "evicting");
	print_string(PRINT_ANY, "master", "%s ", br);
	print_string(PRINT_ANY, "ifname", "dev %s ", port);
	print_uint(PRINT_ANY, "fdb_evicted", "evicted %llu", evicted);
	close_json_object();
	return true;
}

static bool monitor_fdb(const struct nlattr **top, uint8_t cmd)
{
	static const char *const events[] = {
		[KBR_FDB_EV_LEARN] = "learn", [KBR_FDB_EV_MOVE] = "move",
		[KBR_FDB_EV_AGE] = "age", [KBR_FDB_EV_ADD] = "add",
		[KBR_FDB_EV_DELETE] = "del", [KBR_FDB_EV_EVICT] = "evict",
	};
	const struct nlattr *tb[KBR_FDB_A_MAX + 1];
	char br[IF_NAMESIZE], port[IF_NAMESIZE] = "", mac[18];
	const char *what = "?";
	const uint8_t *a;
	unsigned int ev;
	uint16_t no;

	event_bridge(top, br);
	if (cmd == KBR_CMD_FDB_FLUSH) {
		event_port(top, port, &no);
		open_json_object(NULL);
		print_string(PRINT_ANY, "object", "%s ", "fdb");
		print_string(PRINT_ANY, "action", "%s ", "flush");
		print_string(PRINT_ANY, "master", "%s", br);
		if (port[0])
			print_string(PRINT_ANY, "ifname", " dev %s", port);
		close_json_object();
		return true;
	}
	if (!top[KBR_A_FDB] || nl_parse_nest(top[KBR_A_FDB], tb, KBR_FDB_A_MAX) ||
	    !tb[KBR_FDB_A_ADDRESS] ||
	    mnl_attr_validate2(tb[KBR_FDB_A_ADDRESS], MNL_TYPE_BINARY, 6))
		return false;
	a = mnl_attr_get_payload(tb[KBR_FDB_A_ADDRESS]);
	snprintf(mac, sizeof(mac), "%.2x:%.2x:%.2x:%.2x:%.2x:%.2x",
		 a[0], a[1], a[2], a[3], a[4], a[5]);
	if (tb[KBR_FDB_A_EVENT] && !mnl_attr_validate(tb[KBR_FDB_A_EVENT], MNL_TYPE_U8)) {
		ev = mnl_attr_get_u8(tb[KBR_FDB_A_EVENT]);
		if (ev < sizeof(events) / sizeof(events[0]) && events[ev])
			what = events[ev];
	}
	if (tb[KBR_FDB_A_PORT_IFINDEX] &&
	    !mnl_attr_validate(tb[KBR_FDB_A_PORT_IFINDEX], MNL_TYPE_U32) &&
	    !if_indextoname(mnl_attr_get_u32(tb[KBR_FDB_A_PORT_IFINDEX]), port))
		port[0] = '\0';

	open_json_object(NULL);
	print_string(PRINT_ANY, "object", "%s ", "fdb");
	print_string(PRINT_ANY, "action", "%s ", what);
	print_string(PRINT_ANY, "master", "%s ", br);
	print_string(PRINT_ANY, "mac", "%s", mac);
	if (port[0])
		print_string(PRINT_ANY, "ifname", " dev %s", port);
	if (tb[KBR_FDB_A_VLAN] && !mnl_attr_validate(tb[KBR_FDB_A_VLAN], MNL_TYPE_U16))
		print_uint(PRINT_ANY, "vlan", " vlan %llu",
			   mnl_attr_get_u16(tb[KBR_FDB_A_VLAN]));
	close_json_object();
	return true;
}

static bool monitor_stp(const struct nlattr **top)
{
	const struct nlattr *tb[KBR_BR_A_MAX + 1];
	const struct nlattr *ptb[KBR_PORT_A_MAX + 1];
	char br[IF_NAMESIZE], port[IF_NAMESIZE] = "?", id[32] = "?";
	const uint8_t *r;
	uint8_t ev;

	event_bridge(top, br);
	ev = nl_get_u8(top[KBR_A_STP_EVENT]);
	if (!top[KBR_A_BRIDGE] ||
	    nl_parse_nest(top[KBR_A_BRIDGE], tb, KBR_BR_A_MAX))
		return false;
	if ((ev == KBR_STP_EV_PORT_STATE || ev == KBR_STP_EV_PORT_ROLE) &&
	    (!top[KBR_A_PORT] ||
	     nl_parse_nest(top[KBR_A_PORT], ptb, KBR_PORT_A_MAX)))
		return false;
	open_json_object(NULL);
	print_string(PRINT_ANY, "object", "%s ", "stp");
	switch (ev) {
	case KBR_STP_EV_PORT_STATE:
		if (!if_indextoname(nl_get_u32(ptb[KBR_PORT_A_IFINDEX]), port))
			strcpy(port, "?");
		print_string(PRINT_ANY, "action", "%s ", "state");
		print_string(PRINT_ANY, "master", "%s ", br);
		print_string(PRINT_ANY, "ifname", "%s ", port);
		print_string(PRINT_ANY, "state", "%s",
			     port_state_name(nl_get_u8(ptb[KBR_PORT_A_STATE])));
		break;
	case KBR_STP_EV_PORT_ROLE:
		if (!if_indextoname(nl_get_u32(ptb[KBR_PORT_A_IFINDEX]), port))
			strcpy(port, "?");
		print_string(PRINT_ANY, "action", "%s ", "role");
		print_string(PRINT_ANY, "master", "%s ", br);
		print_string(PRINT_ANY, "ifname", "%s ", port);
		print_string(PRINT_ANY, "role", "%s",
			     port_role_name(nl_get_u8(ptb[KBR_PORT_A_STP_ROLE])));
		break;
	case KBR_STP_EV_NEW_ROOT:
		if (tb[KBR_BR_A_ROOT_ID] &&
		    !mnl_attr_validate2(tb[KBR_BR_A_ROOT_ID], MNL_TYPE_BINARY, 8)) {
			r = mnl_attr_get_payload(tb[KBR_BR_A_ROOT_ID]);
			format_bridge_id(id, sizeof(id), r[0] << 8 | r[1], r + 2);
		}
		print_string(PRINT_ANY, "action", "%s ", "root");
		print_string(PRINT_ANY, "master", "%s ", br);
		print_string(PRINT_ANY, "root_id", "%s ", id);
		print_uint(PRINT_ANY, "root_port", "port %llu ",
			   nl_get_u16(tb[KBR_BR_A_ROOT_PORT]));
		print_uint(PRINT_ANY, "root_path_cost", "cost %llu",
			   nl_get_u32(tb[KBR_BR_A_ROOT_PATH_COST]));
		break;
	case KBR_STP_EV_TOPOLOGY_CHANGE:
		print_string(PRINT_ANY, "action", "%s ", "topology_change");
		print_string(PRINT_ANY, "master", "%s ", br);
		print_bool(PRINT_ANY, "topology_change", "%s",
			   nl_get_u8(tb[KBR_BR_A_TOPOLOGY_CHANGE]));
		break;
	default:
		print_uint(PRINT_ANY, "event", "event %llu", ev);
	}
	close_json_object();
	return true;
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *top[KBR_A_MAX + 1];
	unsigned int want = *(unsigned int *)data;
	bool printed;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*g) ||
	    nl_parse_top(nlh, top, KBR_A_MAX))
		return MNL_CB_OK;

	switch (g->cmd) {
	case KBR_CMD_BR_NEW:
	case KBR_CMD_BR_DEL:
		if (!(want & MON_BRIDGE))
			return MNL_CB_OK;
		printed = monitor_bridge(nlh, g->cmd);
		break;
	case KBR_CMD_PORT_NEW:
	case KBR_CMD_PORT_DEL:
		if (!(want & MON_PORT))
			return MNL_CB_OK;
		printed = monitor_port(top, g->cmd);
		break;
	case KBR_CMD_FDB_NEW:
	case KBR_CMD_FDB_DEL:
	case KBR_CMD_FDB_FLUSH:
		if (!(want & MON_FDB))
			return MNL_CB_OK;
		printed = monitor_fdb(top, g->cmd);
		break;
	case KBR_CMD_FDB_EVICTING:
		if (!(want & MON_FDB))
			return MNL_CB_OK;
		printed = monitor_evicting(top);
		break;
	case KBR_CMD_STP_EVENT:
		if (!(want & MON_STP))
			return MNL_CB_OK;
		printed = monitor_stp(top);
		break;
	default:
		return MNL_CB_OK;
	}
	if (!printed)
		return MNL_CB_OK;
	/* One event a line, JSON lines with -j; at once, for pipes. */
	putchar('\n');
	fflush(stdout);
	return MNL_CB_OK;
}

int cmd_monitor(int argc, char **argv)
{
	unsigned int want = 0;
	int i, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "bridge"))
			want |= MON_BRIDGE;
		else if (!strcmp(argv[i], "port"))
			want |= MON_PORT;
		else if (!strcmp(argv[i], "fdb"))
			want |= MON_FDB;
		else if (!strcmp(argv[i], "stp"))
			want |= MON_STP;
		else if (!strcmp(argv[i], "all"))
			want |= MON_BRIDGE | MON_PORT | MON_FDB | MON_STP;
		else {
			fprintf(stderr, "kbrctl: monitor: unknown object '%s' (bridge, port, fdb, stp, all)\n",
				argv[i]);
			return 1;
		}
	}
	if (!want)
		want = MON_BRIDGE | MON_PORT | MON_FDB | MON_STP;
	err = nl_listen(monitor_cb, &want);
	fprintf(stderr, "kbrctl: monitor: %s\n", strerror(-err));
	return 1;
}
