// SPDX-License-Identifier: GPL-2.0
/*
 * kbrctl's spanning tree commands: stp, setbridgeprio, setfd, sethello,
 * setmaxage, setpathcost, setportprio and showstp, with brctl's arguments,
 * messages and layout, and setguardrecovery.
 */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbrctl.h"

struct stp_bridge {
	uint16_t priority;
	uint8_t addr[6];
	uint8_t root[8];
	uint16_t root_port;
	uint32_t root_path_cost;
	uint32_t max_age, hello_time, forward_delay;		/* ms, in use */
	uint32_t bridge_max_age, bridge_hello_time, bridge_forward_delay;
	uint32_t ageing;
	uint32_t hello_timer, tcn_timer, tc_timer, gc_timer;
	uint32_t guard_recovery;
	uint8_t tx_hold_count;
	bool stp_enabled, tc, tc_detected;
	uint8_t stp_mode;
};

static const char *const state_names[] = {
	[KBR_PORT_STATE_DISABLED] = "disabled",
	[KBR_PORT_STATE_LISTENING] = "listening",
	[KBR_PORT_STATE_LEARNING] = "learning",
	[KBR_PORT_STATE_FORWARDING] = "forwarding",
	[KBR_PORT_STATE_BLOCKING] = "blocking",
};

static const char *const role_names[] = {
	[KBR_PORT_ROLE_DISABLED] = "disabled",
	[KBR_PORT_ROLE_ROOT] = "root",
	[KBR_PORT_ROLE_DESIGNATED] = "designated",
	[KBR_PORT_ROLE_ALTERNATE] = "alternate",
	[KBR_PORT_ROLE_BACKUP] = "backup",
};

const char *port_role_name(unsigned int role)
{
	return role < sizeof(role_names) / sizeof(role_names[0]) ?
	       role_names[role] : "unknown";
}

/* kbrctl stp's words for enum kbr_stp_mode */
const char *stp_mode_name(unsigned int mode)
{
	return mode == KBR_STP_MODE_RSTP ? "rstp" : "stp";
}

const char *port_state_name(unsigned int state)
{
	return state < sizeof(state_names) / sizeof(state_names[0]) ?
	       state_names[state] : "unknown";
}

/* Set attribute @type of @bridge, @size bytes of @value, with BR_SET. */
int br_set(const char *bridge, uint16_t type, uint32_t value, size_t size)
{
	struct nlmsghdr *nlh = nl_msg(KBR_CMD_BR_SET, 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, bridge);
	if (size == 1)
		mnl_attr_put_u8(nlh, type, value);
	else if (size == 2)
		mnl_attr_put_u16(nlh, type, value);
	else
		mnl_attr_put_u32(nlh, type, value);
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nlh, NULL, NULL);
}

/* brctl's failure line: "set WHAT failed: REASON". */
static int set_failed(const char *what, int err)
{
	fprintf(stderr, "set %s failed: %s\n", what, strerror(-err));
	return 1;
}

/*
 * brctl's on/off, where on is 802.1D; beyond brctl, stp (802.1D too) and
 * rstp turn spanning tree on with that protocol.
 */
int cmd_stp(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int on, mode = KBR_STP_MODE_STP, err;

	(void)argc;
	if (!strcmp(argv[2], "stp")) {
		on = 1;
	} else if (!strcmp(argv[2], "rstp")) {
		on = 1;
		mode = KBR_STP_MODE_RSTP;
	} else if (parse_on_off(argv[2], &on)) {
		fprintf(stderr, "expect on/off for argument\n");
		return 1;
	}
	nlh = nl_msg(KBR_CMD_BR_SET, 0);
	nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, argv[1]);
	if (on)
		mnl_attr_put_u8(nlh, KBR_BR_A_STP_MODE, mode);
	mnl_attr_put_u8(nlh, KBR_BR_A_STP_ENABLED, on);
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nlh, NULL, NULL);
	return err ? set_failed("stp status", err) : 0;
}

int cmd_setbridgeprio(int argc, char **argv)
{
	int prio, err;

	(void)argc;
	if (sscanf(argv[2], "%i", &prio) != 1) {
		fprintf(stderr, "bad priority\n");
		return 1;
	}
	/* brctl lets the kernel truncate to 16 bits; a priority is 16. */
	if (prio < 0 || prio > 0xffff)
		return set_failed("bridge priority", -ERANGE);
	err = br_set(argv[1], KBR_BR_A_PRIORITY, prio, 2);
	return err ? set_failed("bridge priority", err) : 0;
}

/* setfd, sethello, setmaxage, setguardrecovery: decimal seconds, to
 * hundredths like brctl.
 */
static int set_time(char **argv, const char *bad, const char *what,
		    uint16_t type)
{
	double secs;
	uint32_t ms;
	int err;

	if (sscanf(argv[2], "%lf", &secs) != 1) {
		fprintf(stderr, "bad %s value\n", bad);
		return 1;
	}
	/* Out of any range: the kernel says so. */
	ms = secs < 0 || secs > 4e6 ? UINT32_MAX : lround(secs * 100) * 10;
	err = br_set(argv[1], type, ms, 4);
	return err ? set_failed(what, err) : 0;
}

int cmd_setguardrecovery(int argc, char **argv)
{
	(void)argc;
	return set_time(argv, "recovery time", "bpdu guard recovery",
			KBR_BR_A_BPDU_GUARD_RECOVERY);
}

/* RSTP's TxHoldCount: the kernel says what the range is. */
int cmd_settxholdcount(int argc, char **argv)
{
	uint32_t n;
	int err;

	(void)argc;
	if (parse_u32(argv[2], &n)) {
		fprintf(stderr, "bad tx hold count value\n");
		return 1;
	}
	err = br_set(argv[1], KBR_BR_A_TX_HOLD_COUNT, n > 255 ? 0 : n, 1);
	if (err) {
		set_failed("tx hold count", err);
		if (err != -ENODEV)
			nl_print_extack();
		return 1;
	}
	return 0;
}

int cmd_setfd(int argc, char **argv)
{
	(void)argc;
	return set_time(argv, "forward delay", "forward delay",
			KBR_BR_A_FORWARD_DELAY);
}

int cmd_sethello(int argc, char **argv)
{
	(void)argc;
	return set_time(argv, "hello timer", "hello timer",
			KBR_BR_A_HELLO_TIME);
}

int cmd_setmaxage(int argc, char **argv)
{
	(void)argc;
	return set_time(argv, "max age", "max age", KBR_BR_A_MAX_AGE);
}

/*
 * setpathcost, setportprio: PORT_SET with one attribute.  brctl writes the
 * port's sysfs file, so a device that is no port is "No such file or
 * directory" there; the messages follow.
 */
static int set_port(char **argv, const char *what, uint16_t type,
		    uint32_t value, size_t size)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err;

	if (!if_nametoindex(argv[2]))
		return set_failed(what, -ENODEV);
	nlh = nl_msg(KBR_CMD_PORT_SET, 0);
	nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, argv[1]);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, KBR_A_PORT);
	mnl_attr_put_strz(nlh, KBR_PORT_A_IFNAME, argv[2]);
	if (size == 1)
		mnl_attr_put_u8(nlh, type, value);
	else
		mnl_attr_put_u32(nlh, type, value);
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nlh, NULL, NULL);
	if (err == -EINVAL)
		err = -ENOENT;		/* not a port of this bridge */
	return err ? set_failed(what, err) : 0;
}

int cmd_setpathcost(int argc, char **argv)
{
	int cost;

	(void)argc;
	if (sscanf(argv[3], "%i", &cost) != 1) {
		fprintf(stderr, "bad path cost value\n");
		return 1;
	}
	if (cost < 0)
		return set_failed("path cost", -ERANGE);
	return set_port(argv, "path cost", KBR_PORT_A_PATH_COST, cost, 4);
}

int cmd_setportprio(int argc, char **argv)
{
	int prio;

	(void)argc;
	if (sscanf(argv[3], "%i", &prio) != 1) {
		fprintf(stderr, "bad path priority value\n");
		return 1;
	}
	if (prio < 0 || prio > 255)
		return set_failed("port priority", -ERANGE);
	return set_port(argv, "port priority", KBR_PORT_A_PRIORITY, prio, 1);
}

static uint32_t get_u32(const struct nlattr *a)
{
	return nl_get_u32(a);
}

static int stp_bridge_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[KBR_A_MAX + 1];
	const struct nlattr *tb[KBR_BR_A_MAX + 1];
	struct stp_bridge *b = data;

	memset(b, 0, sizeof(*b));
	if (nl_parse_top(nlh, top, KBR_A_MAX) || !top[KBR_A_BRIDGE] ||
	    nl_parse_nest(top[KBR_A_BRIDGE], tb, KBR_BR_A_MAX))
		return MNL_CB_ERROR;
	if (tb[KBR_BR_A_ADDRESS] &&
	    !mnl_attr_validate2(tb[KBR_BR_A_ADDRESS], MNL_TYPE_BINARY, 6))
		memcpy(b->addr, mnl_attr_get_payload(tb[KBR_BR_A_ADDRESS]), 6);
	if (tb[KBR_BR_A_ROOT_ID] &&
	    !mnl_attr_validate2(tb[KBR_BR_A_ROOT_ID], MNL_TYPE_BINARY, 8))
		memcpy(b->root, mnl_attr_get_payload(tb[KBR_BR_A_ROOT_ID]), 8);
	if (tb[KBR_BR_A_PRIORITY] &&
	    !mnl_attr_validate(tb[KBR_BR_A_PRIORITY], MNL_TYPE_U16))
		b->priority = mnl_attr_get_u16(tb[KBR_BR_A_PRIORITY]);
	if (tb[KBR_BR_A_ROOT_PORT] &&
	    !mnl_attr_validate(tb[KBR_BR_A_ROOT_PORT], MNL_TYPE_U16))
		b->root_port = mnl_attr_get_u16(tb[KBR_BR_A_ROOT_PORT]);
	if (tb[KBR_BR_A_STP_ENABLED] &&
	    !mnl_attr_validate(tb[KBR_BR_A_STP_ENABLED], MNL_TYPE_U8))
		b->stp_enabled = mnl_attr_get_u8(tb[KBR_BR_A_STP_ENABLED]);
	if (tb[KBR_BR_A_STP_MODE] &&
	    !mnl_attr_validate(tb[KBR_BR_A_STP_MODE], MNL_TYPE_U8))
		b->stp_mode = mnl_attr_get_u8(tb[KBR_BR_A_STP_MODE]);
	if (tb[KBR_BR_A_TX_HOLD_COUNT] &&
	    !mnl_attr_validate(tb[KBR_BR_A_TX_HOLD_COUNT], MNL_TYPE_U8))
		b->tx_hold_count = mnl_attr_get_u8(tb[KBR_BR_A_TX_HOLD_COUNT]);
	if (tb[KBR_BR_A_TOPOLOGY_CHANGE] &&
	    !mnl_attr_validate(tb[KBR_BR_A_TOPOLOGY_CHANGE], MNL_TYPE_U8))
		b->tc = mnl_attr_get_u8(tb[KBR_BR_A_TOPOLOGY_CHANGE]);
	if (tb[KBR_BR_A_TOPOLOGY_CHANGE_DETECTED] &&
	    !mnl_attr_validate(tb[KBR_BR_A_TOPOLOGY_CHANGE_DETECTED],
			       MNL_TYPE_U8))
		b->tc_detected =
			mnl_attr_get_u8(tb[KBR_BR_A_TOPOLOGY_CHANGE_DETECTED]);
	b->root_path_cost = get_u32(tb[KBR_BR_A_ROOT_PATH_COST]);
	b->max_age = get_u32(tb[KBR_BR_A_CUR_MAX_AGE]);
	b->hello_time = get_u32(tb[KBR_BR_A_CUR_HELLO_TIME]);
	b->forward_delay = get_u32(tb[KBR_BR_A_CUR_FORWARD_DELAY]);
	b->bridge_max_age = get_u32(tb[KBR_BR_A_MAX_AGE]);
	b->bridge_hello_time = get_u32(tb[KBR_BR_A_HELLO_TIME]);
	b->bridge_forward_delay = get_u32(tb[KBR_BR_A_FORWARD_DELAY]);
	b->ageing = get_u32(tb[KBR_BR_A_AGEING_TIME]);
	b->hello_timer = get_u32(tb[KBR_BR_A_HELLO_TIMER]);
	b->tcn_timer = get_u32(tb[KBR_BR_A_TCN_TIMER]);
	b->tc_timer = get_u32(tb[KBR_BR_A_TOPOLOGY_CHANGE_TIMER]);
	b->gc_timer = get_u32(tb[KBR_BR_A_GC_TIMER]);
	b->guard_recovery = get_u32(tb[KBR_BR_A_BPDU_GUARD_RECOVERY]);
	return MNL_CB_OK;
}

static void fmt_id(char *buf, size_t size, const uint8_t *id)
{
	format_bridge_id(buf, size, id[0] << 8 | id[1], id + 2);
}

/* brctl's "%4i.%.2i" of a value in ms; JSON gets seconds. */
static void show_time(const char *key, const char *text, uint32_t ms,
		      const char *after)
{
	char t[32];

	format_timer(t, sizeof(t), ms / 10 / 100.0);
	print_text("%s%s%s", text, t, after);
	print_float(PRINT_JSON, key, NULL, ms / 1000.0);
}

static int port_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct port *)a)->name,
		      ((const struct port *)b)->name);
}

static void show_port(const struct port *p)
{
	static const char *const counters[] = {
		"config_rx", "config_tx", "tcn_rx", "tcn_tx", "rx_bad",
		"to_blocking", "to_forwarding", "bpdu_guard", "root_guard",
		"rst_rx", "rst_tx", "to_stp", "proposal_rx", "proposal_tx",
		"agreement_rx", "agreement_tx", "tc_flush", "role_unknown_rx",
		"loop_guard",
	};
	_Static_assert(sizeof(counters) / sizeof(counters[0]) ==
		       KBR_STP_C_LOOP_GUARD - KBR_STP_C_CONFIG_RX + 1,
		       "a name for each counter");
	char id[32];
	size_t i;

	open_json_object(NULL);
	print_string(PRINT_ANY, "ifname", "%s", p->name);
	print_uint(PRINT_ANY, "port_no", " (%llu)\n", p->port_no);
	snprintf(id, sizeof(id), "%.4x", p->port_id);
	print_string(PRINT_ANY, "port_id", " port id\t\t%s", id);
	print_string(PRINT_ANY, "state", "\t\t\tstate\t\t%15s\n",
		     port_state_name(p->state));
	/* RSTP's: in the text after brctl's lines, below. */
	if (p->role >= 0) {
		print_string(PRINT_JSON, "role", NULL, port_role_name(p->role));
		print_bool(PRINT_JSON, "oper_edge", NULL,
			   p->stp_flags & KBR_PORT_STP_F_OPER_EDGE);
		print_bool(PRINT_JSON, "oper_p2p", NULL,
			   p->stp_flags & KBR_PORT_STP_F_OPER_P2P);
		print_bool(PRINT_JSON, "send_rstp", NULL,
			   p->stp_flags & KBR_PORT_STP_F_SEND_RSTP);
	}
	print_string(PRINT_JSON, "p2p", NULL,
		     p->p2p == KBR_PORT_P2P_ON ? "on" :
		     p->p2p == KBR_PORT_P2P_OFF ? "off" : "auto");
	fmt_id(id, sizeof(id), p->designated_root);
	print_string(PRINT_ANY, "designated_root", " designated root\t%s", id);
	print_uint(PRINT_ANY, "path_cost", "\tpath cost\t\t%4llu\n",
		   p->path_cost);
	fmt_id(id, sizeof(id), p->designated_bridge);
	print_string(PRINT_ANY, "designated_bridge",
		     " designated bridge\t%s", id);
	show_time("message_age_timer", "\tmessage age timer\t",
		  p->message_age_timer, "\n");
	snprintf(id, sizeof(id), "%.4x", p->designated_port);
	print_string(PRINT_ANY, "designated_port", " designated port\t%s", id);
	show_time("forward_delay_timer", "\t\t\tforward delay timer\t",
		  p->forward_delay_timer, "\n");
	print_uint(PRINT_ANY, "designated_cost", " designated cost\t%4llu",
		   p->designated_cost);
	show_time("hold_timer", "\t\t\thold timer\t\t", p->hold_timer, "\n");
	/* RSTP: two lines more, in the same columns. */
	if (p->role >= 0) {
		print_text(" role\t\t\t%-15s\t\tedge\t\t%15s\n",
			   port_role_name(p->role),
			   p->flags & (KBR_PORT_F_EDGE | KBR_PORT_F_BPDU_GUARD) ?
			   "yes" : "no");
		print_text(" point to point\t\t%-15s\t\toper edge\t%15s\n",
			   p->stp_flags & KBR_PORT_STP_F_OPER_P2P ? "yes" : "no",
			   p->stp_flags & KBR_PORT_STP_F_OPER_EDGE ? "yes" : "no");
	}
	print_uint(PRINT_JSON, "priority", NULL, p->priority);
	print_text(" flags\t\t\t");
	open_json_array("flags");
	if (p->stp_flags & KBR_PORT_STP_F_CONFIG_PENDING)
		print_string(PRINT_ANY, NULL, "%s ", "CONFIG_PENDING");
	if (p->stp_flags & KBR_PORT_STP_F_TOPOLOGY_CHANGE_ACK)
		print_string(PRINT_ANY, NULL, "%s ", "TOPOLOGY_CHANGE_ACK");
	/* Beyond brctl: only there when a guard is at work. */
	if (p->stp_flags & KBR_PORT_STP_F_BPDU_GUARD_TRIPPED)
		print_string(PRINT_ANY, NULL, "%s ", "BPDU_GUARD");
	if (p->stp_flags & KBR_PORT_STP_F_ROOT_INCONSISTENT)
		print_string(PRINT_ANY, NULL, "%s ", "ROOT_INCONSISTENT");
	if (p->stp_flags & KBR_PORT_STP_F_LOOP_INCONSISTENT)
		print_string(PRINT_ANY, NULL, "%s ", "LOOP_INCONSISTENT");
	close_json_array();
	if (p->flags & KBR_PORT_F_HAIRPIN)
		print_text("\n hairpin mode\t\t%4d", 1);
	print_bool(PRINT_JSON, "hairpin_mode", NULL,
		   p->flags & KBR_PORT_F_HAIRPIN);
	print_text("\n\n");
	open_json_object("counters");
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		print_uint(PRINT_JSON, counters[i], NULL, p->stp_counters[i]);
	close_json_object();
	close_json_object();
}

int cmd_showstp(int argc, char **argv)
{
	struct port_list ports = { 0 };
	struct stp_bridge b;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char id[32];
	size_t i;
	int err;

	(void)argc;
	nlh = nl_msg(KBR_CMD_BR_GET, 0);
	nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, argv[1]);
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nlh, stp_bridge_cb, &b);
	if (err == -EOPNOTSUPP) {
		fprintf(stderr, "device %s is not a bridge!\n", argv[1]);
		return 1;
	}
	if (err) {
		fprintf(stderr, "bridge %s does not exist!\n", argv[1]);
		return 1;
	}
	err = port_list_get(argv[1], &ports);
	if (err) {
		fprintf(stderr, "can't get ports of %s: %s\n", argv[1],
			strerror(-err));
		return 1;
	}
	qsort(ports.v, ports.n, sizeof(*ports.v), port_name_cmp);

	json_begin();
	open_json_object(NULL);
	print_string(PRINT_ANY, "ifname", "%s\n", argv[1]);
	print_bool(PRINT_JSON, "stp_enabled", NULL, b.stp_enabled);
	print_string(PRINT_JSON, "stp_mode", NULL, stp_mode_name(b.stp_mode));
	format_bridge_id(id, sizeof(id), b.priority, b.addr);
	print_string(PRINT_ANY, "bridge_id", " bridge id\t\t%s\n", id);
	fmt_id(id, sizeof(id), b.root);
	print_string(PRINT_ANY, "designated_root", " designated root\t%s\n",
		     id);
	print_uint(PRINT_ANY, "root_port", " root port\t\t%4llu\t\t\t",
		   b.root_port);
	print_uint(PRINT_ANY, "root_path_cost", "path cost\t\t%4llu\n",
		   b.root_path_cost);
	show_time("max_age", " max age\t\t", b.max_age, "");
	show_time("bridge_max_age", "\t\t\tbridge max age\t\t",
		  b.bridge_max_age, "\n");
	show_time("hello_time", " hello time\t\t", b.hello_time, "");
	show_time("bridge_hello_time", "\t\t\tbridge hello time\t",
		  b.bridge_hello_time, "\n");
	show_time("forward_delay", " forward delay\t\t", b.forward_delay, "");
	show_time("bridge_forward_delay", "\t\t\tbridge forward delay\t",
		  b.bridge_forward_delay, "\n");
	show_time("ageing_time", " ageing time\t\t", b.ageing, "\n");
	show_time("hello_timer", " hello timer\t\t", b.hello_timer, "");
	show_time("tcn_timer", "\t\t\ttcn timer\t\t", b.tcn_timer, "\n");
	show_time("topology_change_timer", " topology change timer\t",
		  b.tc_timer, "");
	show_time("gc_timer", "\t\t\tgc timer\t\t", b.gc_timer, "\n");
	print_text(" flags\t\t\t");
	open_json_array("flags");
	if (b.tc)
		print_string(PRINT_ANY, NULL, "%s ", "TOPOLOGY_CHANGE");
	if (b.tc_detected)
		print_string(PRINT_ANY, NULL, "%s ",
			     "TOPOLOGY_CHANGE_DETECTED");
	close_json_array();
	print_text("\n\n\n");
	print_float(PRINT_JSON, "bpdu_guard_recovery", NULL,
		    b.guard_recovery / 1000.0);
	print_uint(PRINT_JSON, "tx_hold_count", NULL, b.tx_hold_count);
	open_json_array("ports");
	for (i = 0; i < ports.n; i++)
		show_port(&ports.v[i]);
	close_json_array();
	close_json_object();
	json_end();
	free(ports.v);
	return 0;
}
