/* SPDX-License-Identifier: GPL-2.0 */
/* kbrctl: shared declarations of the command, netlink and print layers. */
#ifndef KBRCTL_H
#define KBRCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/kbridge.h>

/* kbrctl.c */
struct command {
	const char *name;
	int nargs;		/* arguments it needs at least */
	int (*func)(int argc, char **argv);	/* argv[0] is the command */
	const char *help;	/* brctl's usage text, tabs and all */
};

extern bool json;
int parse_on_off(const char *arg, int *val);
int parse_u32(const char *arg, uint32_t *val);

struct port {
	char name[IF_NAMESIZE];
	uint32_t ifindex;
	uint16_t port_no;
	uint32_t flags;
	uint32_t fdb_max_learned;
	uint32_t fdb_learned;
	uint64_t fdb_refused;
	uint64_t fdb_evicted;
	uint64_t vlan_dropped;
	/* spanning tree */
	uint8_t state;
	uint8_t priority;
	uint16_t port_id;
	uint32_t path_cost;
	uint8_t designated_root[8];
	uint8_t designated_bridge[8];
	uint16_t designated_port;
	uint32_t designated_cost;
	uint32_t message_age_timer;	/* ms left */
	uint32_t forward_delay_timer;	/* ms left */
	uint32_t hold_timer;		/* ms left */
	uint32_t stp_flags;
	int role;			/* enum kbr_port_role, -1 if none */
	uint8_t p2p;			/* enum kbr_port_p2p */
	uint64_t stp_counters[19];	/* KBR_STP_C_CONFIG_RX onwards */
};

struct port_list {
	struct port *v;
	size_t n;
};

/* A bridge as KBR_CMD_BR_GET and the bridge events carry it. */
struct bridge {
	char name[IF_NAMESIZE];
	uint32_t ifindex;
	uint16_t priority;
	uint8_t addr[6];
	bool stp_enabled;
	uint8_t stp_mode;
	uint32_t ageing_ms;
	uint32_t fdb_max_learned;
	uint32_t fdb_learned;
	uint64_t fdb_refused;
	bool has_nomem;			/* the module counts it */
	uint64_t fdb_nomem;
	uint64_t fdb_moves;
	uint8_t fdb_policy;		/* enum kbr_fdb_policy */
	uint64_t fdb_evicted;
	bool has_static_cap;		/* the module knows the cap */
	uint32_t fdb_max_static;
	uint32_t fdb_static;
	uint64_t fdb_static_refused;
	bool vlan_filtering;
	uint16_t vlan_protocol;
	uint16_t default_pvid;
};

/* bridge.c */
int cmd_addbr(int argc, char **argv);
int cmd_delbr(int argc, char **argv);
int cmd_show(int argc, char **argv);
int for_each_bridge(int (*fn)(const char *name));
int bridge_parse(const struct nlmsghdr *nlh, struct bridge *br);
int cmd_setageing(int argc, char **argv);
int cmd_setfdbmax(int argc, char **argv);
int cmd_setfdbpolicy(int argc, char **argv);
int cmd_setfdbstaticmax(int argc, char **argv);

/* monitor.c */
int cmd_monitor(int argc, char **argv);

/* port.c */
int cmd_addif(int argc, char **argv);
int cmd_delif(int argc, char **argv);
int port_list_get(const char *bridge, struct port_list *l);
const char *port_name(const struct port_list *l, uint32_t ifindex);
void print_port_flags(uint32_t flags);
int cmd_hairpin(int argc, char **argv);
int cmd_setportflag(int argc, char **argv);
int cmd_setportfdbmax(int argc, char **argv);

/* stp.c */
int br_set(const char *bridge, uint16_t type, uint32_t value, size_t size);
int cmd_stp(int argc, char **argv);
int cmd_setbridgeprio(int argc, char **argv);
int cmd_setfd(int argc, char **argv);
int cmd_sethello(int argc, char **argv);
int cmd_setmaxage(int argc, char **argv);
int cmd_setpathcost(int argc, char **argv);
int cmd_setportprio(int argc, char **argv);
int cmd_showstp(int argc, char **argv);
int cmd_setguardrecovery(int argc, char **argv);
int cmd_settxholdcount(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
const char *port_state_name(unsigned int state);
const char *stp_mode_name(unsigned int mode);
const char *port_role_name(unsigned int role);

/* fdb.c */
int cmd_showmacs(int argc, char **argv);
int cmd_fdb(int argc, char **argv);
int cmd_flush(int argc, char **argv);

/* vlan.c */
int cmd_setvlanfiltering(int argc, char **argv);
int cmd_setvlanproto(int argc, char **argv);
int cmd_setdefaultpvid(int argc, char **argv);
int cmd_vlan(int argc, char **argv);
int parse_vid(const char *arg, uint16_t *vid, bool zero_ok);

/* nl.c: the only file that talks to libmnl's socket layer */
typedef int (*nl_data_cb)(const struct nlmsghdr *nlh, void *data);

int nl_open(void);
void nl_close(void);
struct nlmsghdr *nl_msg(uint8_t cmd, uint16_t flags);
int nl_talk(struct nlmsghdr *nlh, nl_data_cb cb, void *data);
int nl_listen(nl_data_cb cb, void *data);
const char *nl_extack(void);
void nl_print_extack(void);
uint8_t nl_get_u8(const struct nlattr *attr);
uint16_t nl_get_u16(const struct nlattr *attr);
uint32_t nl_get_u32(const struct nlattr *attr);
uint64_t nl_get_u64(const struct nlattr *attr);
int nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		  unsigned int max);
int nl_parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb,
		 unsigned int max);

/* print.c: one call serves text and JSON output */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 3,
};

void json_begin(void);
void json_end(void);
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned long long value);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value);
void print_float(enum output_type t, const char *key, const char *fmt,
		 double value);
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void json_escape(char *dst, size_t size, const char *src);
void format_bridge_id(char *buf, size_t size, uint16_t prio,
		      const uint8_t *mac);
void format_timer(char *buf, size_t size, double seconds);

#endif /* KBRCTL_H */
