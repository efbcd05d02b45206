// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded generic-netlink fuzzer for the kbridge family.
 *
 * Usage: kbr_nl_fuzz [-n MESSAGES] [-s SEED] [-e] [-v] DEV...
 *
 * Sends MESSAGES generated requests: every command (and unknown ones),
 * with random, missing, duplicated, oversized, wrongly typed and wrongly
 * nested attributes, boundary values, and the ifindexes and names of the
 * DEVs given (bridges, ports of one bridge or another, foreign devices)
 * and of devices that do not exist; one in four requests is a well-formed
 * change (add/delete bridges and ports, STP and FDB settings) so that the
 * state the garbage meets keeps changing.  Every request must get an
 * answer (an ACK, an error, or a dump) within 10 s, and every error the
 * family itself returns must carry an extack message saying why (the
 * only errors genetlink's core gives without one, EPERM for a missing
 * capability and EOPNOTSUPP for an unknown command, are exempt).  With -e, every
 * request for a change must fail with EPERM (run it without
 * CAP_NET_ADMIN).  -v prints each request's command, flags and answer.
 *
 * Prints KTAP: one test with the counts by errno.  Exit 0 pass, 1 fail.
 */

#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/kbridge.h>
#include <linux/netlink.h>

static struct mnl_socket *sk;
static uint16_t family;
static unsigned int seq;
static char buf[65536];		/* answers */
static char req[65536];		/* the request being built */

static struct {
	const char *name;
	uint32_t ifindex;
} devs[32];
static int n_devs;

static uint64_t rng;

/* The extack message of the last error answer, "" if it had none. */
static char ext_msg[256];

static uint32_t rnd(void)
{
	/* xorshift64*: reproducible from the seed */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ULL) >> 32);
}

static uint32_t pick(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	(void)data;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* Keep the extack message of an error (NLMSG_ERROR, or NLMSG_DONE
 * ending a dump with an error) in ext_msg.
 */
static void note_extack(const void *b, size_t len)
{
	const struct nlmsghdr *nlh = b;
	const struct nlattr *a;
	int l = len, err;
	size_t off;

	for (; mnl_nlmsg_ok(nlh, l); nlh = mnl_nlmsg_next(nlh, &l)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
				continue;
			err = e->error;
			off = sizeof(*e);
			/* Unless capped, the request follows, then the TLVs. */
			if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
				off += e->msg.nlmsg_len - sizeof(e->msg);
		} else if (nlh->nlmsg_type == NLMSG_DONE &&
			   nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(int))) {
			err = *(const int *)mnl_nlmsg_get_payload(nlh);
			off = sizeof(int);
		} else {
			continue;
		}
		if (!err)
			continue;
		ext_msg[0] = 0;
		if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
			continue;
		mnl_attr_for_each(a, nlh, off)
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_get_payload_len(a) > 1)
				snprintf(ext_msg, sizeof(ext_msg), "%.*s",
					 (int)mnl_attr_get_payload_len(a),
					 (const char *)mnl_attr_get_payload(a));
	}
}

/*
 * Send @nlh and read until its ACK, error or the end of its dump.
 * Return: 0 or -errno from the kernel; -ETIMEDOUT if it never answered.
 */
static int talk(struct nlmsghdr *nlh, mnl_cb_t cb)
{
	unsigned int portid = mnl_socket_get_portid(sk);
	unsigned int s = nlh->nlmsg_seq;
	int ret;

	ext_msg[0] = 0;
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(sk, buf, sizeof(buf));

		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		note_extack(buf, n);
		/* Answers to another request would be a bug of ours. */
		ret = mnl_cb_run(buf, n, s, portid, cb, NULL);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -errno : 0;
	}
}

static struct nlmsghdr *msg(uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = KBR_GENL_VERSION;
	return nlh;
}

/* A value worth trying: a boundary, an ifindex, or noise. */
static uint32_t value(void)
{
	static const uint32_t edges[] = {
		0, 1, 2, 5, 6, 31, 32, 63, 64, 255, 256, 999, 1000, 1023,
		1024, 4094, 4095, 4096, 6000, 40000, 65535, 65536, 0x7fffffff,
		0x80000000, 0xffffffff,
	};

	switch (pick(4)) {
	case 0:
		return edges[pick(sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return n_devs ? devs[pick(n_devs)].ifindex : 1;
	case 2:
		return 100000 + pick(10);	/* no such device */
	default:
		return rnd();
	}
}

/* One attribute of type @type with a payload of a random shape. */
static void put_random(struct nlmsghdr *nlh, uint16_t type)
{
	static const char *const names[] = {
		"", "lo", "nosuch", "kbfuzz-new", "0123456789abcdef",
		"0123456789abcdefXXXXXXXXXXXXXXXX",
	};
	uint8_t junk[300];
	uint32_t v = value();
	size_t len, i;

	switch (pick(9)) {
	case 0:
		mnl_attr_put_u8(nlh, type, v);
		break;
	case 1:
		mnl_attr_put_u16(nlh, type, v);
		break;
	case 2:
		mnl_attr_put_u32(nlh, type, v);
		break;
	case 3:
		mnl_attr_put_u64(nlh, type, (uint64_t)v << pick(33));
		break;
	case 4:
		if (n_devs && pick(2))
			mnl_attr_put_strz(nlh, type, devs[pick(n_devs)].name);
		else
			mnl_attr_put_strz(nlh, type,
					  names[pick(sizeof(names) / sizeof(names[0]))]);
		break;
	case 5:		/* a string without its NUL */
		mnl_attr_put(nlh, type, 4, "abcd");
		break;
	case 6:		/* an empty attribute */
		mnl_attr_put(nlh, type, 0, NULL);
		break;
	case 7:		/* a MAC address, unicast, multicast or zero */
		for (i = 0; i < 6; i++)
			junk[i] = pick(3) ? rnd() : 0;
		mnl_attr_put(nlh, type, 6, junk);
		break;
	default:	/* noise of any length */
		len = pick(sizeof(junk));
		for (i = 0; i < len; i++)
			junk[i] = rnd();
		mnl_attr_put(nlh, type, len, junk);
	}
}

static void put_nest(struct nlmsghdr *nlh, uint16_t type, uint16_t max,
		     int depth)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	int n = pick(6), i;

	/* Sometimes without NLA_F_NESTED, which strict parsing refuses. */
	if (pick(8) == 0)
		nest->nla_type &= ~NLA_F_NESTED;
	for (i = 0; i < n; i++) {
		uint16_t t = pick(max + 3);

		if (depth < 2 && pick(10) == 0)
			put_nest(nlh, t, max, depth + 1);
		else
			put_random(nlh, t);
	}
	mnl_attr_nest_end(nlh, nest);
}

static struct nlmsghdr *garbage(void)
{
	static const uint16_t nest_max[] = {
		[KBR_A_BRIDGE] = KBR_BR_A_MAX,
		[KBR_A_PORT] = KBR_PORT_A_MAX,
		[KBR_A_FDB] = KBR_FDB_A_MAX,
		[KBR_A_STP_EVENT] = 0,
		[KBR_A_VLAN] = KBR_VLAN_A_MAX,
	};
	struct nlmsghdr *nlh;
	int n, i;

	nlh = msg(pick(KBR_CMD_MAX + 3), pick(5) == 0 ? NLM_F_DUMP : 0);
	n = pick(5);
	for (i = 0; i < n; i++) {
		uint16_t t = pick(KBR_A_MAX + 3);

		if (t < sizeof(nest_max) / sizeof(nest_max[0]) &&
		    nest_max[t] && pick(6))
			put_nest(nlh, t, nest_max[t], 0);
		else
			put_random(nlh, t);
	}
	return nlh;
}

static void put_name(struct nlmsghdr *nlh, uint16_t nest_type,
		     uint16_t attr, const char *name)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, nest_type);

	mnl_attr_put_strz(nlh, attr, name);
	mnl_attr_nest_end(nlh, nest);
}

/* A well-formed change, so the garbage meets a moving target. */
static struct nlmsghdr *change(void)
{
	const char *br = pick(2) ? "kbfuzz0" : "kbfuzz1";
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0 };

	switch (pick(10)) {
	case 0:
		nlh = msg(KBR_CMD_BR_NEW, 0);
		put_name(nlh, KBR_A_BRIDGE, KBR_BR_A_IFNAME, br);
		return nlh;
	case 1:
		nlh = msg(KBR_CMD_BR_DEL, 0);
		put_name(nlh, KBR_A_BRIDGE, KBR_BR_A_IFNAME, br);
		return nlh;
	case 2:
	case 3:
		nlh = msg(pick(2) ? KBR_CMD_PORT_NEW : KBR_CMD_PORT_DEL, 0);
		put_name(nlh, KBR_A_BRIDGE, KBR_BR_A_IFNAME, br);
		if (n_devs)
			put_name(nlh, KBR_A_PORT, KBR_PORT_A_IFNAME,
				 devs[pick(n_devs)].name);
		return nlh;
	case 4:
		nlh = msg(KBR_CMD_BR_SET, 0);
		nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
		mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, br);
		mnl_attr_put_u8(nlh, KBR_BR_A_STP_MODE, pick(2));
		mnl_attr_put_u8(nlh, KBR_BR_A_TX_HOLD_COUNT, pick(12));
		mnl_attr_put_u8(nlh, KBR_BR_A_STP_ENABLED, pick(2));
		mnl_attr_put_u32(nlh, KBR_BR_A_FORWARD_DELAY,
				 2000 + pick(3) * 1000);
		mnl_attr_put_u32(nlh, KBR_BR_A_HELLO_TIME, 1000);
		mnl_attr_put_u32(nlh, KBR_BR_A_MAX_AGE, 6000);
		mnl_attr_put_u16(nlh, KBR_BR_A_PRIORITY, pick(65536));
		mnl_attr_put_u32(nlh, KBR_BR_A_AGEING_TIME, pick(3) * 1000);
		/* Small caps, either policy, and one unknown policy */
		mnl_attr_put_u32(nlh, KBR_BR_A_FDB_MAX_LEARNED, pick(4));
		mnl_attr_put_u8(nlh, KBR_BR_A_FDB_POLICY, pick(3));
		mnl_attr_put_u32(nlh, KBR_BR_A_FDB_MAX_STATIC, pick(3));
		mnl_attr_nest_end(nlh, nest);
		return nlh;
	case 5:
		nlh = msg(KBR_CMD_PORT_SET, 0);
		put_name(nlh, KBR_A_BRIDGE, KBR_BR_A_IFNAME, br);
		nest = mnl_attr_nest_start(nlh, KBR_A_PORT);
		mnl_attr_put_strz(nlh, KBR_PORT_A_IFNAME,
				  n_devs ? devs[pick(n_devs)].name : "lo");
		mnl_attr_put_u32(nlh, KBR_PORT_A_FLAGS, pick(KBR_PORT_F_ALL + 1));
		mnl_attr_put_u32(nlh, KBR_PORT_A_FLAGS_MASK, KBR_PORT_F_ALL);
		mnl_attr_put_u8(nlh, KBR_PORT_A_PRIORITY, pick(64));
		mnl_attr_put_u32(nlh, KBR_PORT_A_PATH_COST, 1 + pick(65535));
		mnl_attr_put_u8(nlh, KBR_PORT_A_P2P, pick(KBR_PORT_P2P_MAX + 1));
		mnl_attr_put_u32(nlh, KBR_PORT_A_FDB_MAX_LEARNED, pick(4));
		/* Refused, with the rest, unless the bridge runs RSTP. */
		if (!pick(4))
			mnl_attr_put(nlh, KBR_PORT_A_MCHECK, 0, NULL);
		mnl_attr_nest_end(nlh, nest);
		return nlh;
	case 6:
		nlh = msg(pick(2) ? KBR_CMD_FDB_NEW : KBR_CMD_FDB_DEL, 0);
		put_name(nlh, KBR_A_BRIDGE, KBR_BR_A_IFNAME, br);
		nest = mnl_attr_nest_start(nlh, KBR_A_FDB);
		mac[5] = pick(8);
		mnl_attr_put(nlh, KBR_FDB_A_ADDRESS, 6, mac);
		mnl_attr_put_u16(nlh, KBR_FDB_A_VLAN, pick(3));
		if (n_devs)
			mnl_attr_put_u32(nlh, KBR_FDB_A_PORT_IFINDEX,
					 devs[pick(n_devs)].ifindex);
		mnl_attr_nest_end(nlh, nest);
		return nlh;
	case 7:
		nlh = msg(pick(2) ? KBR_CMD_VLAN_NEW : KBR_CMD_VLAN_DEL, 0);
		put_name(nlh, KBR_A_BRIDGE, KBR_BR_A_IFNAME, br);
		if (n_devs && pick(4))
			put_name(nlh, KBR_A_PORT, KBR_PORT_A_IFNAME,
				 devs[pick(n_devs)].name);
		nest = mnl_attr_nest_start(nlh, KBR_A_VLAN);
		mac[0] = pick(2);	/* a range, or one VLAN */
		mnl_attr_put_u16(nlh, KBR_VLAN_A_VID, 1 + pick(KBR_MAX_VID));
		if (mac[0])
			mnl_attr_put_u16(nlh, KBR_VLAN_A_VID_END, KBR_MAX_VID);
		else
			mnl_attr_put_u32(nlh, KBR_VLAN_A_FLAGS,
					 pick(KBR_VLAN_F_ALL + 1));
		mnl_attr_nest_end(nlh, nest);
		return nlh;
	case 8:
		nlh = msg(KBR_CMD_BR_SET, 0);
		nest = mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
		mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, br);
		mnl_attr_put_u8(nlh, KBR_BR_A_VLAN_FILTERING, pick(2));
		mnl_attr_put_u16(nlh, KBR_BR_A_VLAN_PROTOCOL,
				 pick(2) ? KBR_VLAN_PROTO_8021Q :
					   KBR_VLAN_PROTO_8021AD);
		mnl_attr_put_u16(nlh, KBR_BR_A_DEFAULT_PVID, pick(4));
		mnl_attr_nest_end(nlh, nest);
		return nlh;
	default:
		nlh = msg(KBR_CMD_FDB_FLUSH, 0);
		put_name(nlh, KBR_A_BRIDGE, KBR_BR_A_IFNAME, br);
		return nlh;
	}
}

/*
 * Errors genetlink's core answers for the family, without a message: a
 * missing capability, a command the family has no handler for (events
 * only, unknown), a dump of a command that only does, or the reverse.
 */
static bool core_error(uint8_t cmd, uint16_t flags, int err)
{
	bool dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;

	if (err == -EPERM)
		return true;
	if (err != -EOPNOTSUPP)
		return false;
	switch (cmd) {
	case KBR_CMD_BR_GET:
		return false;
	case KBR_CMD_PORT_GET:
	case KBR_CMD_FDB_GET:
	case KBR_CMD_VLAN_GET:
		return !dump;
	case KBR_CMD_BR_NEW:
	case KBR_CMD_BR_DEL:
	case KBR_CMD_BR_SET:
	case KBR_CMD_PORT_NEW:
	case KBR_CMD_PORT_DEL:
	case KBR_CMD_PORT_SET:
	case KBR_CMD_FDB_NEW:
	case KBR_CMD_FDB_DEL:
	case KBR_CMD_FDB_FLUSH:
	case KBR_CMD_VLAN_NEW:
	case KBR_CMD_VLAN_DEL:
		return dump;
	default:
		return true;
	}
}

static bool is_change(uint8_t cmd)
{
	return cmd == KBR_CMD_BR_NEW || cmd == KBR_CMD_BR_DEL ||
	       cmd == KBR_CMD_BR_SET || cmd == KBR_CMD_PORT_NEW ||
	       cmd == KBR_CMD_PORT_DEL || cmd == KBR_CMD_PORT_SET ||
	       cmd == KBR_CMD_FDB_NEW || cmd == KBR_CMD_FDB_DEL ||
	       cmd == KBR_CMD_FDB_FLUSH || cmd == KBR_CMD_VLAN_NEW ||
	       cmd == KBR_CMD_VLAN_DEL;
}

int main(int argc, char **argv)
{
	unsigned long n = 5000, i, counts[256] = { 0 }, other = 0;
	int one = 1;
	unsigned long seed = 1;
	struct timeval tv = { .tv_sec = 10 };
	bool want_eperm = false, verbose = false;
	const char *fail = NULL;
	uint16_t flags;
	uint32_t len;
	uint8_t cmd = 0;
	struct nlmsghdr *nlh;
	int c, err, k;

	while ((c = getopt(argc, argv, "n:s:ev")) != -1) {
		switch (c) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'e':
			want_eperm = true;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-n N] [-s SEED] [-e] DEV...\n",
				argv[0]);
			return 1;
		}
	}
	for (; optind < argc && n_devs < 32; optind++) {
		devs[n_devs].name = argv[optind];
		devs[n_devs].ifindex = if_nametoindex(argv[optind]);
		n_devs++;
	}
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;

	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 1;
	}
	setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	setsockopt(mnl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(mnl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	((struct genlmsghdr *)mnl_nlmsg_put_extra_header(nlh,
		sizeof(struct genlmsghdr)))->cmd = CTRL_CMD_GETFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KBR_GENL_NAME);
	if (talk(nlh, family_cb) || !family) {
		printf("1..1\nnot ok 1 netlink fuzz # the kbridge family is missing\n");
		return 1;
	}

	printf("KTAP version 1\n1..1\n");
	for (i = 0; i < n && !fail; i++) {
		nlh = pick(4) ? garbage() : change();
		cmd = ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
		flags = nlh->nlmsg_flags;
		len = nlh->nlmsg_len;
		if (verbose && getenv("KBR_FUZZ_HEX")) {
			uint32_t b;

			printf("#");
			for (b = 0; b < len; b++)
				printf(" %02x", ((uint8_t *)nlh)[b]);
			printf("\n");
		}
		err = talk(nlh, NULL);
		if (verbose)
			printf("# %lu: cmd %u flags %#x len %u: %s%s%s\n", i,
			       cmd, flags, len, strerror(-err),
			       ext_msg[0] ? ": " : "", ext_msg);
		if (err == -ETIMEDOUT)
			fail = "a request got no answer within 10 s";
		else if (err && !ext_msg[0] && !core_error(cmd, flags, err)) {
			printf("# cmd %u flags %#x: %s, without a message\n",
			       cmd, flags, strerror(-err));
			fail = "an error without an extack message";
		}
		else if (want_eperm && is_change(cmd) && err != -EPERM)
			fail = "a change without CAP_NET_ADMIN did not fail with EPERM";
		if (-err >= 0 && -err < 256)
			counts[-err]++;
		else
			other++;
	}

	printf("# seed %lu, %lu messages:", seed, i);
	for (k = 0; k < 256; k++)
		if (counts[k])
			printf(" %s %lu,", k ? strerror(k) : "ok", counts[k]);
	printf(" other %lu\n", other);
	if (fail) {
		printf("# message %lu (cmd %u): %s\n", i, cmd, fail);
		printf("not ok 1 netlink fuzz\n");
		return 1;
	}
	printf("ok 1 netlink fuzz: %lu generated requests answered%s\n", n,
	       want_eperm ? ", every change EPERM" : "");
	mnl_socket_close(sk);
	return 0;
}
