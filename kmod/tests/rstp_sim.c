// SPDX-License-Identifier: GPL-2.0
/*
 * RSTP without a network: bridges and LANs built in memory from small
 * scripts, kmod/rstp.c's machines run on each bridge, and BPDUs carried
 * between the ports a LAN joins, a second at a time.  Each script checks
 * the tree the rules of 802.1D-2004 17.6 and 17.21.25 give for its
 * priorities and costs (worked out by hand in the comments), and what
 * becomes of it after failures and a new root.
 *
 * Until Port Role Transitions and Port Transmit land, this file sends
 * what a designated port sends: its port priority vector and times, role
 * Designated, at once when it has new information and every hello time.
 * KTAP output, one test point a "check" block; exit 1 when one fails.
 *
 * Script lines:
 *   bridge N PRIO [MAXAGE]  bridge N (1-9): id PRIO.02:00:00:00:00:0N,
 *                        hello 2 s, max age MAXAGE (20) s, forward
 *                        delay 15 s
 *   lan L B.P[:COST]...  a LAN joining those ports (created with portId
 *                        0x8000 | P, cost COST or 20000), their MACs up
 *   down L, up L         the LAN's ports lose or regain their MAC
 *   mute L, unmute L     the LAN drops every frame, MACs up (a silent
 *                        failure)
 *   run S                S seconds pass
 *   check NAME           the checks below, up to the next check or run,
 *                        are one test point
 *   root B R             bridge B's root is bridge R
 *   cost B C             bridge B's root path cost is C
 *   role B.P ROLE        port P of bridge B is root, designated,
 *                        alternate, backup or disabled
 */

#include <stdarg.h>

#include "rstp.h"

#define MAX_BRIDGES	10
#define MAX_PORTS	10
#define MAX_LANS	16
#define MAX_ENDS	8
#define HELLO		2
#define DEFAULT_COST	20000

struct sim_bridge {
	bool			used;
	struct kbr_rstp		rstp;
	struct kbr_rstp_port	port[MAX_PORTS];
	bool			has_port[MAX_PORTS];
};

struct sim_lan {
	char	name[16];
	int	n;
	int	bridge[MAX_ENDS];
	int	port[MAX_ENDS];
	bool	muted;
	bool	down;
};

static struct sim_bridge bridges[MAX_BRIDGES];
static struct sim_lan lans[MAX_LANS];
static int n_lans;
static unsigned int now;

static int n_tests, n_failed;
static char point[128];
static bool point_open, point_good;

static void fail(const char *fmt, ...)
{
	va_list ap;

	point_good = false;
	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void close_point(void)
{
	if (!point_open)
		return;
	n_tests++;
	if (!point_good)
		n_failed++;
	printf("%s %d %s\n", point_good ? "ok" : "not ok", n_tests, point);
	point_open = false;
}

static void reset(void)
{
	memset(bridges, 0, sizeof(bridges));
	memset(lans, 0, sizeof(lans));
	n_lans = 0;
	now = 0;
}

static struct kbr_id bridge_id(int n, unsigned int prio)
{
	struct kbr_id id = { { prio >> 8, prio, 0x02, 0, 0, 0, 0, n } };

	return id;
}

static struct sim_lan *lan_find(const char *name)
{
	int i;

	for (i = 0; i < n_lans; i++) {
		if (!strcmp(lans[i].name, name))
			return &lans[i];
	}
	fprintf(stderr, "no LAN %s\n", name);
	exit(2);
}

static void lan_enable(struct sim_lan *lan, bool up)
{
	int i;

	lan->down = !up;
	for (i = 0; i < lan->n; i++)
		kbr_rstp_port_enable(&bridges[lan->bridge[i]].port[lan->port[i]],
				     up);
}

static const char *const role_names[] = {
	[KBR_RSTP_ROLE_DISABLED] = "disabled",
	[KBR_RSTP_ROLE_ROOT] = "root",
	[KBR_RSTP_ROLE_DESIGNATED] = "designated",
	[KBR_RSTP_ROLE_ALTERNATE] = "alternate",
	[KBR_RSTP_ROLE_BACKUP] = "backup",
};

/* What a designated port sends (stands in for Port Transmit). */
static bool wants_to_send(const struct kbr_rstp_port *p, bool hello)
{
	return p->port_enabled && p->selected && !p->updt_info &&
	       p->selected_role == KBR_RSTP_ROLE_DESIGNATED &&
	       p->info_is == KBR_RSTP_INFO_MINE && (p->new_info || hello);
}

static void build(const struct kbr_rstp_port *p, struct kbr_bpdu *b)
{
	memset(b, 0, sizeof(*b));
	b->type = KBR_BPDU_RST;
	b->version = KBR_BPDU_VERSION_RSTP;
	b->flags = KBR_BPDU_ROLE_DESIGNATED << KBR_BPDU_ROLE_SHIFT;
	b->root = p->port_priority.root;
	b->root_path_cost = p->port_priority.root_path_cost;
	b->bridge = p->port_priority.designated_bridge;
	b->port_id = p->port_priority.designated_port;
	b->message_age = p->port_times.message_age * HZ;
	b->max_age = p->port_times.max_age * HZ;
	b->forward_delay = p->port_times.forward_delay * HZ;
	b->hello_time = p->port_times.hello_time * HZ;
}

/*
 * One second: the ports that have something to send send it, the LANs
 * carry it, and again while anything new comes of it; then the timers.
 */
static void second(void)
{
	static struct kbr_bpdu frames[MAX_LANS * MAX_ENDS];
	static int from_lan[MAX_LANS * MAX_ENDS], from_end[MAX_LANS * MAX_ENDS];
	bool hello = now % HELLO == 0;
	int round, n, i, j, k;

	for (round = 0; round < 100; round++, hello = false) {
		n = 0;
		for (i = 0; i < n_lans; i++) {
			for (j = 0; j < lans[i].n; j++) {
				struct kbr_rstp_port *p;

				p = &bridges[lans[i].bridge[j]].port[lans[i].port[j]];
				if (!wants_to_send(p, hello))
					continue;
				p->new_info = false;
				build(p, &frames[n]);
				from_lan[n] = i;
				from_end[n++] = j;
			}
		}
		if (!n)
			break;
		for (k = 0; k < n; k++) {
			struct sim_lan *lan = &lans[from_lan[k]];

			if (lan->muted || lan->down)
				continue;
			for (j = 0; j < lan->n; j++) {
				if (j == from_end[k])
					continue;
				kbr_rstp_rx(&bridges[lan->bridge[j]].port[lan->port[j]],
					    &frames[k]);
			}
		}
	}
	if (round == 100)
		fail("BPDUs still changing something after 100 rounds in second %u",
		     now);
	for (i = 0; i < MAX_BRIDGES; i++) {
		if (bridges[i].used)
			kbr_rstp_tick(&bridges[i].rstp);
	}
	now++;
}

static void parse_port(const char *s, int *b, int *p, unsigned int *cost)
{
	*cost = DEFAULT_COST;
	if (sscanf(s, "%d.%d:%u", b, p, cost) < 2 || *b < 1 ||
	    *b >= MAX_BRIDGES || *p < 1 || *p >= MAX_PORTS ||
	    !bridges[*b].used) {
		fprintf(stderr, "bad port %s\n", s);
		exit(2);
	}
}

static void cmd_lan(char *args)
{
	struct sim_lan *lan = &lans[n_lans++];
	char *tok = strtok(args, " ");
	unsigned int cost;
	int b, p;

	snprintf(lan->name, sizeof(lan->name), "%s", tok);
	while ((tok = strtok(NULL, " "))) {
		struct sim_bridge *br;

		parse_port(tok, &b, &p, &cost);
		br = &bridges[b];
		if (!br->has_port[p]) {
			kbr_rstp_port_add(&br->rstp, &br->port[p], 0x8000 | p,
					  cost);
			br->has_port[p] = true;
		}
		lan->bridge[lan->n] = b;
		lan->port[lan->n++] = p;
	}
	lan_enable(lan, true);
}

static void check_role(const char *port, const char *want)
{
	const struct kbr_rstp_port *p;
	unsigned int cost;
	int b, n;

	parse_port(port, &b, &n, &cost);
	p = &bridges[b].port[n];
	if (strcmp(role_names[p->selected_role], want))
		fail("port %s: %s, want %s", port, role_names[p->selected_role],
		     want);
}

static void line(char *s)
{
	char name[128], a[32], c[32];
	unsigned int u;
	int b, r;

	if (!*s || *s == '#')
		return;
	u = 20;
	if (sscanf(s, "bridge %d %i %u", &b, &r, &u) >= 2) {
		struct kbr_rstp_times t = {
			.max_age = u, .forward_delay = 15, .hello_time = HELLO,
		};
		struct kbr_id id = bridge_id(b, r);

		bridges[b].used = true;
		kbr_rstp_init(&bridges[b].rstp, &id, &t);
		kbr_rstp_run(&bridges[b].rstp);
	} else if (!strncmp(s, "lan ", 4)) {
		cmd_lan(s + 4);
	} else if (sscanf(s, "down %31s", a) == 1) {
		lan_enable(lan_find(a), false);
	} else if (sscanf(s, "up %31s", a) == 1) {
		lan_enable(lan_find(a), true);
	} else if (sscanf(s, "mute %31s", a) == 1) {
		lan_find(a)->muted = true;
	} else if (sscanf(s, "unmute %31s", a) == 1) {
		lan_find(a)->muted = false;
	} else if (sscanf(s, "run %u", &u) == 1) {
		close_point();
		while (u--)
			second();
	} else if (sscanf(s, "check %127[^\n]", name) == 1) {
		close_point();
		snprintf(point, sizeof(point), "%s", name);
		point_open = true;
		point_good = true;
	} else if (sscanf(s, "root %d %d", &b, &r) == 2) {
		struct kbr_id want = bridges[r].rstp.bridge_id;
		const struct kbr_id *got = &bridges[b].rstp.root_priority.root;

		if (memcmp(got, &want, sizeof(want)))
			fail("bridge %d: root %02x%02x.%02x, want bridge %d", b,
			     got->b[0], got->b[1], got->b[7], r);
	} else if (sscanf(s, "cost %d %u", &b, &u) == 2) {
		if (bridges[b].rstp.root_priority.root_path_cost != u)
			fail("bridge %d: root path cost %u, want %u", b,
			     bridges[b].rstp.root_priority.root_path_cost, u);
	} else if (sscanf(s, "role %31s %31s", a, c) == 2) {
		check_role(a, c);
	} else {
		fprintf(stderr, "bad line: %s\n", s);
		exit(2);
	}
}

static void script(const char *const *lines)
{
	char buf[256];

	reset();
	for (; *lines; lines++) {
		snprintf(buf, sizeof(buf), "%s", *lines);
		line(buf);
	}
	close_point();
}

/*
 * Bridge 1 is the root (priority 0x1000).  Bridges 2 and 3 reach it
 * directly at 20000; on LAN c both offer 20000, and bridge 2's lower id
 * makes 2.2 designated, 3.2 alternate.  With LAN a down, bridge 2 goes
 * through 3 (40000) and 3.2 becomes designated; back up, as before.
 */
static const char *const triangle[] = {
	"bridge 1 0x1000", "bridge 2 0x8000", "bridge 3 0x8000",
	"lan a 1.1 2.1", "lan b 1.2 3.1", "lan c 2.2 3.2",
	"run 10",
	"check triangle: bridge 1 is root, 3.2 alternate",
	"root 1 1", "root 2 1", "root 3 1", "cost 1 0", "cost 2 20000",
	"cost 3 20000", "role 1.1 designated", "role 1.2 designated",
	"role 2.1 root", "role 2.2 designated", "role 3.1 root",
	"role 3.2 alternate",
	"down a", "run 10",
	"check triangle: link 1-2 down, bridge 2 goes through 3",
	"root 2 1", "cost 2 40000", "role 2.1 disabled", "role 1.1 disabled",
	"role 2.2 root", "role 3.2 designated", "role 3.1 root",
	"up a", "run 10",
	"check triangle: link 1-2 back, the first tree again",
	"cost 2 20000", "role 2.1 root", "role 2.2 designated",
	"role 3.2 alternate", "role 1.1 designated",
	NULL
};

/*
 * A ring 1-2-3-4-1 whose link 1-2 costs 200000 at bridge 2.  Bridge 4
 * reaches 1 at 20000, 3 through 4 at 40000, 2 through 3 at 60000 (less
 * than 200000): 2.1 is alternate, the root's 1.1 designated.  When LAN d
 * goes silent (MACs up, no frames), 4.2's information ages out three
 * hellos (6 s) after the last BPDU it heard, 4 to 6 s after the silence
 * began; bridge 4 then hears of the root only from 3, which
 * hears of it from 2 over the slow link: 2 at 200000, 3 at 220000, 4 at
 * 240000.  Heard again, the first tree returns.
 */
static const char *const ring[] = {
	"bridge 1 0x1000", "bridge 2 0x8000", "bridge 3 0x8000",
	"bridge 4 0x8000",
	"lan a 1.1 2.1:200000", "lan b 2.2 3.1", "lan c 3.2 4.1",
	"lan d 4.2 1.2",
	"run 10",
	"check ring: the slow link's port 2.1 is alternate",
	"root 2 1", "root 3 1", "root 4 1", "cost 2 60000", "cost 3 40000",
	"cost 4 20000", "role 1.1 designated", "role 1.2 designated",
	"role 2.1 alternate", "role 2.2 root", "role 3.1 designated",
	"role 3.2 root", "role 4.1 designated", "role 4.2 root",
	"mute d", "run 3",
	"check ring: LAN d silent for 3 s, not yet three hellos: no change",
	"cost 4 20000", "role 4.2 root",
	"run 4",
	"check ring: LAN d silent for 7 s: the tree goes over the slow link",
	"root 2 1", "root 3 1", "root 4 1", "cost 2 200000", "cost 3 220000",
	"cost 4 240000", "role 2.1 root", "role 2.2 designated",
	"role 3.1 root", "role 3.2 designated", "role 4.1 root",
	"unmute d", "run 6",
	"check ring: LAN d heard again, the first tree again",
	"cost 2 60000", "cost 3 40000", "cost 4 20000", "role 2.1 alternate",
	"role 4.2 root", "role 4.1 designated", "role 3.2 root",
	NULL
};

/*
 * Four bridges, each linked to each: every other bridge's root port is
 * its link to 1; between two others the lower id is designated.
 */
static const char *const mesh[] = {
	"bridge 1 0x1000", "bridge 2 0x8000", "bridge 3 0x8000",
	"bridge 4 0x8000",
	"lan a 1.1 2.1", "lan b 1.2 3.1", "lan c 1.3 4.1", "lan d 2.2 3.2",
	"lan e 2.3 4.2", "lan f 3.3 4.3",
	"run 10",
	"check full mesh of four: three alternates, each at the higher id",
	"root 2 1", "root 3 1", "root 4 1", "cost 2 20000", "cost 3 20000",
	"cost 4 20000", "role 2.1 root", "role 3.1 root", "role 4.1 root",
	"role 2.2 designated", "role 3.2 alternate", "role 2.3 designated",
	"role 4.2 alternate", "role 3.3 designated", "role 4.3 alternate",
	NULL
};

/*
 * Two ports of bridge 2 on one LAN (a hub): the lower port id, 2.2, is
 * designated and 2.3 its backup.  On LAN x, shared by three bridges, the
 * root's 1.2 is designated; bridge 2 hears better on it than it offers
 * (alternate) and bridge 3 has its root port there.  Cut off from both,
 * bridge 2 is its own root at once: what 2.3 heard came from 2.2, and a
 * bridge takes no root from its own messages (17.21.25), else it would
 * count up to max age first.
 */
static const char *const shared[] = {
	"bridge 1 0x1000", "bridge 2 0x8000", "bridge 3 0x8000",
	"lan a 1.1 2.1", "lan hub 2.2 2.3", "lan x 1.2 2.4 3.1",
	"run 10",
	"check shared LANs: a backup port, and three bridges on one LAN",
	"root 2 1", "root 3 1", "role 2.1 root", "role 2.2 designated",
	"role 2.3 backup", "role 1.2 designated", "role 2.4 alternate",
	"role 3.1 root", "cost 3 20000",
	"down a", "down x",
	"check shared LANs: cut off, bridge 2 its own root before any BPDU, not the root its own echo on 2.3 names",
	"root 2 2", "cost 2 0",
	"run 10",
	"check shared LANs: cut off, bridge 2 is its own root, 2.3 still backup",
	"root 2 2", "cost 2 0", "role 2.2 designated", "role 2.3 backup",
	"root 3 3",
	NULL
};

/*
 * Bridge 2's ports 2.6 and 2.5 (added in that order) share a LAN with
 * the root's 1.1 and hear the same message: the lower port id, the last
 * component of the root path priority vector, makes 2.5 the root port.
 */
static const char *const hub_root[] = {
	"bridge 1 0x1000", "bridge 2 0x8000",
	"lan y 1.1 2.6 2.5",
	"run 10",
	"check two ports on the root's LAN: the lower port id is root port",
	"role 1.1 designated", "role 2.5 root", "role 2.6 alternate",
	NULL
};

/*
 * A chain of eight bridges with max age 6 s: each hop adds a second of
 * message age, bridge k hears the root's information k - 2 s old, and
 * it lasts while that plus one is at most 6: bridges 2 to 7 have bridge
 * 1 as root; bridge 8 never keeps it and is its own root.
 */
static const char *const chain[] = {
	"bridge 1 0x1000 6", "bridge 2 0x8000 6", "bridge 3 0x8000 6",
	"bridge 4 0x8000 6", "bridge 5 0x8000 6", "bridge 6 0x8000 6",
	"bridge 7 0x8000 6", "bridge 8 0x8000 6",
	"lan a 1.1 2.1", "lan b 2.2 3.1", "lan c 3.2 4.1", "lan d 4.2 5.1",
	"lan e 5.2 6.1", "lan f 6.2 7.1", "lan g 7.2 8.1",
	"run 20",
	"check chain: max age 6 s reaches six hops, not seven",
	"root 2 1", "root 7 1", "cost 7 120000", "role 7.1 root",
	"role 7.2 designated", "root 8 8", "cost 8 0",
	NULL
};

/*
 * A ring 1-2-3-4-1 at equal costs: bridge 3 is two hops from the root
 * both ways and takes 2's side (lower id), 3.2 alternate.  Links 1-2 and
 * 3-4 fail together: {2, 3} is cut off and elects 2, {1, 4} keeps 1.
 */
static const char *const double_failure[] = {
	"bridge 1 0x1000", "bridge 2 0x8000", "bridge 3 0x8000",
	"bridge 4 0x8000",
	"lan a 1.1 2.1", "lan b 2.2 3.1", "lan c 3.2 4.1", "lan d 4.2 1.2",
	"run 10",
	"check even ring: the tie at bridge 3 goes to the lower id",
	"cost 3 40000", "role 3.1 root", "role 3.2 alternate",
	"role 4.1 designated",
	"down a", "down c", "run 10",
	"check double failure: two trees, rooted at 1 and at 2",
	"root 1 1", "root 4 1", "cost 4 20000", "root 2 2", "root 3 2",
	"cost 2 0", "cost 3 20000", "role 2.2 designated", "role 3.1 root",
	"role 4.2 root",
	NULL
};

/*
 * The triangle, converged; then bridge 4, with a lower id than the root
 * (priority 0x0800), joins behind bridge 3.  It becomes everyone's root:
 * 3 at 20000, 1 and 2 through 3 at 40000; on LAN a both offer 40000 and
 * bridge 1's lower id makes 1.1 designated, 2.1 alternate.
 */
static const char *const new_root[] = {
	"bridge 1 0x1000", "bridge 2 0x8000", "bridge 3 0x8000",
	"lan a 1.1 2.1", "lan b 1.2 3.1", "lan c 2.2 3.2",
	"run 10",
	"check new root: the triangle first",
	"root 3 1", "role 3.2 alternate",
	"bridge 4 0x0800", "lan d 3.3 4.1", "run 10",
	"check new root: a lower bridge id joins and becomes root",
	"root 1 4", "root 2 4", "root 3 4", "root 4 4", "cost 1 40000",
	"cost 2 40000", "cost 3 20000", "cost 4 0", "role 3.3 root",
	"role 4.1 designated", "role 1.2 root", "role 2.2 root",
	"role 3.1 designated", "role 3.2 designated", "role 1.1 designated",
	"role 2.1 alternate",
	NULL
};

int main(void)
{
	printf("KTAP version 1\n");
	script(triangle);
	script(ring);
	script(mesh);
	script(shared);
	script(hub_root);
	script(chain);
	script(double_failure);
	script(new_root);
	printf("1..%d\n# %d passed, %d failed\n", n_tests, n_tests - n_failed,
	       n_failed);
	return n_failed ? 1 : 0;
}
