// SPDX-License-Identifier: GPL-2.0
/*
 * kbrctl: brctl's command table for kbridge, driven over generic netlink.
 * Commands, arguments, output and messages follow bridge-utils 1.7.1;
 * extensions live in the same table.
 */

#define _GNU_SOURCE	/* setns(), CLONE_NEWNET */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kbrctl.h"

#ifndef KBRCTL_VERSION
#define KBRCTL_VERSION "unknown"
#endif

/* A whole unsigned number, 0x and 0 prefixes as in C, that fits 32 bits. */
int parse_u32(const char *arg, uint32_t *val)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || *end || end == arg || arg[0] == '-' || v > UINT32_MAX)
		return -1;
	*val = v;
	return 0;
}

int parse_on_off(const char *arg, int *val)
{
	if (!strcmp(arg, "on") || !strcmp(arg, "yes") || !strcmp(arg, "1"))
		*val = 1;
	else if (!strcmp(arg, "off") || !strcmp(arg, "no") || !strcmp(arg, "0"))
		*val = 0;
	else
		return -1;
	return 0;
}

static const struct command commands[] = {
	{ "addbr", 1, cmd_addbr, "<bridge>\t\tadd bridge" },
	{ "delbr", 1, cmd_delbr, "<bridge>\t\tdelete bridge" },
	{ "addif", 2, cmd_addif, "<bridge> <device>\tadd interface to bridge" },
	{ "delif", 2, cmd_delif,
	  "<bridge> <device>\tdelete interface from bridge" },
	{ "hairpin", 3, cmd_hairpin,
	  "<bridge> <port> {on|off}\tturn hairpin on/off" },
	{ "setageing", 2, cmd_setageing, "<bridge> <time>\t\tset ageing time" },
	{ "setbridgeprio", 2, cmd_setbridgeprio,
	  "<bridge> <prio>\t\tset bridge priority" },
	{ "setfd", 2, cmd_setfd, "<bridge> <time>\t\tset bridge forward delay" },
	{ "sethello", 2, cmd_sethello, "<bridge> <time>\t\tset hello time" },
	{ "setmaxage", 2, cmd_setmaxage,
	  "<bridge> <time>\t\tset max message age" },
	{ "setpathcost", 3, cmd_setpathcost,
	  "<bridge> <port> <cost>\tset path cost" },
	{ "setportprio", 3, cmd_setportprio,
	  "<bridge> <port> <prio>\tset port priority" },
	{ "show", 0, cmd_show, "[ <bridge> ]\t\tshow a list of bridges" },
	{ "showmacs", 1, cmd_showmacs, "<bridge>\t\tshow a list of mac addrs" },
	{ "showstp", 1, cmd_showstp, "<bridge>\t\tshow bridge stp info" },
	/* brctl's line; rstp and stp are in the man page */
	{ "stp", 2, cmd_stp, "<bridge> {on|off}\tturn stp on/off" },
};

/* Beyond brctl: listed after its commands, in the same layout. */
static const struct command extensions[] = {
	{ "setportflag", 4, cmd_setportflag,
	  "<bridge> <port> <flag> {on|off}\tflag: learning flood mcast_flood\n"
	  "\t\t\t\t\tbcast_flood isolated hairpin bpduguard rootguard\n"
	  "\t\t\t\t\tedge autoedge loopguard; p2p {on|off|auto}" },
	{ "setfdbmax", 2, cmd_setfdbmax,
	  "<bridge> <n>\t\tcap learned addresses (0: none)" },
	{ "setfdbpolicy", 2, cmd_setfdbpolicy,
	  "<bridge> {evict|refuse}\tat the cap: evict or refuse" },
	{ "setfdbstaticmax", 2, cmd_setfdbstaticmax,
	  "<bridge> <n>\tcap static entries (0: none)" },
	{ "setguardrecovery", 2, cmd_setguardrecovery,
	  "<bridge> <time>\tBPDU guard lets ports back (0: never)" },
	{ "settxholdcount", 2, cmd_settxholdcount,
	  "<bridge> <n>\tRSTP: BPDUs a port sends a second (1-10)" },
	{ "migrate", 2, cmd_migrate,
	  "<bridge> <port>\tRSTP: try RST BPDUs again (mcheck)" },
	{ "setportfdbmax", 3, cmd_setportfdbmax,
	  "<bridge> <port> <n>\tcap addresses learned on a port" },
	{ "fdb", 1, cmd_fdb,
	  "{add|del} <bridge> <port> <mac> [vlan <vid>]\tstatic entries\n"
	  "\t\t\tshow [<bridge> [port <port>]]\tthe whole table" },
	{ "flush", 1, cmd_flush,
	  "<bridge> [<port>] [vlan <vid>] [all]\tforget learned (all: and\n"
	  "\t\t\tstatic) entries" },
	{ "setvlanfiltering", 2, cmd_setvlanfiltering,
	  "<bridge> {on|off}\t802.1Q VLAN filtering" },
	{ "setvlanproto", 2, cmd_setvlanproto,
	  "<bridge> {802.1q|802.1ad}\tthe tag VLANs switch on" },
	{ "setdefaultpvid", 2, cmd_setdefaultpvid,
	  "<bridge> <vid>\tthe VLAN new ports join (0: none)" },
	{ "vlan", 1, cmd_vlan,
	  "{add|del} <bridge> {<port>|self} <vid>[-<vid>] [pvid] [untagged]\n"
	  "\t\t\tshow [-s] [-c] [<bridge>]\tmemberships" },
	{ "monitor", 0, cmd_monitor,
	  "[bridge] [port] [fdb] [stp] [all]\tprint events" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))
#define N_EXTENSIONS (sizeof(extensions) / sizeof(extensions[0]))

static const struct command *command_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	for (i = 0; i < N_EXTENSIONS; i++)
		if (!strcmp(name, extensions[i].name))
			return &extensions[i];
	return NULL;
}

static void command_help(const struct command *cmd)
{
	printf("\t%-10s\t%s\n", cmd->name, cmd->help);
}

static void usage(void)
{
	size_t i;

	printf("Usage: kbrctl [commands]\n");
	printf("commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		command_help(&commands[i]);
	printf("extensions:\n");
	for (i = 0; i < N_EXTENSIONS; i++)
		command_help(&extensions[i]);
	printf("options:\n\t-j, --json\tJSON output\n\t-n, --netns <name>\tin network namespace <name>\n\t-V, --version\tprint the version\n\t-h, --help\tthis text\n");
}

/*
 * Enter the network namespace NAME, as ip -n does: the one mounted at
 * /run/netns/NAME by ip netns add.  Every socket opens after this.
 */
static int netns_enter(const char *name)
{
	char path[4096];
	int fd;

	if (!*name || strchr(name, '/') ||
	    snprintf(path, sizeof(path), "/run/netns/%s", name) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "Invalid netns name \"%s\"\n", name);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Cannot open network namespace \"%s\": %s\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "setting the network namespace \"%s\" failed: %s\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The longest argument a command takes: a name (a netns name is
 * NAME_MAX), a MAC address, a number.
 */
#define KBRCTL_ARG_MAX 255

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "netns", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd;
	int f, i, ret;

	/* "+": options end at the command; its own (vlan show -s) are its. */
	while ((f = getopt_long(argc, argv, "+hVjn:", opts, NULL)) != -1) {
		switch (f) {
		case 'h':
			usage();
			return 0;
		case 'V':
			printf("kbrctl, %s\n", KBRCTL_VERSION);
			return 0;
		case 'j':
			json = true;
			break;
		case 'n':
			if (netns_enter(optarg))
				return 1;
			break;
		default:
			fprintf(stderr, "Unknown option '%c'\n", f);
			usage();
			return 1;
		}
	}

	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage();
		return 1;
	}

	cmd = command_lookup(argv[0]);
	if (!cmd) {
		fprintf(stderr, "never heard of command [%s]\n", argv[0]);
		usage();
		return 1;
	}
	if (argc < cmd->nargs + 1) {
		printf("Incorrect number of arguments for command\n");
		printf("Usage: kbrctl %s %s\n", cmd->name, cmd->help);
		return 1;
	}

	/* Requests are built in a buffer of their own (nl.c) from these,
	 * unchecked: no argument kbrctl takes is near this long.
	 */
	for (i = 1; i < argc; i++) {
		if (strlen(argv[i]) > KBRCTL_ARG_MAX) {
			fprintf(stderr, "kbrctl: argument %d is too long (%zu bytes, at most %d)\n",
				i, strlen(argv[i]), KBRCTL_ARG_MAX);
			return 1;
		}
	}

	/* The socket opens with the first request (nl_msg()). */
	ret = cmd->func(argc, argv);
	nl_close();
	return ret;
}
