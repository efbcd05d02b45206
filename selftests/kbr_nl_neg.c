// SPDX-License-Identifier: GPL-2.0
/*
 * Negative generic-netlink cases for the kbridge family: each malformed
 * or refused request must fail with the right errno and an extack
 * message, and change nothing.  Run as root; KTAP output; exit 0/1/4.
 */

#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/kbridge.h>

static struct mnl_socket *sk;
static uint16_t family;
static char buf[32768];
static char extack[256];
static int n_tests, n_failed;

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	(void)data;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* Send @nlh, return 0 or -errno; the extack message lands in extack[]. */
static int talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	unsigned int seq = nlh->nlmsg_seq, portid = mnl_socket_get_portid(sk);
	int ret;

	extack[0] = '\0';
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ssize_t n = mnl_socket_recvfrom(sk, buf, sizeof(buf));
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0)
			return -errno;
		/* An error, or a dump's end, carrying an errno and extack. */
		if (h->nlmsg_type == NLMSG_ERROR ||
		    (h->nlmsg_type == NLMSG_DONE &&
		     *(int *)mnl_nlmsg_get_payload(h) < 0)) {
			bool is_err = h->nlmsg_type == NLMSG_ERROR;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			struct nlattr *a;

			if (h->nlmsg_flags & NLM_F_ACK_TLVS)
				mnl_attr_for_each(a, h, is_err ? sizeof(*e) : sizeof(int))
					if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
						snprintf(extack, sizeof(extack), "%s",
							 mnl_attr_get_str(a));
			return is_err ? e->error : *(int *)mnl_nlmsg_get_payload(h);
		}
		ret = mnl_cb_run(buf, n, seq, portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

static struct nlmsghdr *msg(uint16_t type, uint8_t cmd, uint16_t flags)
{
	static unsigned int seq = 1;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : KBR_GENL_VERSION;
	return nlh;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(int *)data)++;
	return MNL_CB_OK;
}

static int bridge_count(void)
{
	int n = 0;

	if (talk(msg(family, KBR_CMD_BR_GET, NLM_F_DUMP), count_cb, &n))
		return -1;
	return n;
}

/* want_msg: the exact extack text, or NULL for "any, but one". */
static void expect(const char *name, int err, int want_err,
		   const char *want_msg)
{
	bool ok = err == want_err &&
		  (want_err == 0 || (extack[0] &&
		   (!want_msg || !strcmp(extack, want_msg))));

	n_tests++;
	if (ok) {
		printf("ok %d %s\n", n_tests, name);
		return;
	}
	n_failed++;
	printf("not ok %d %s\n#   error %d (%s), extack \"%s\"; want %d, \"%s\"\n",
	       n_tests, name, err, strerror(-err), extack, want_err,
	       want_msg ? want_msg : "<any>");
}

static struct nlattr *bridge_nest(struct nlmsghdr *nlh)
{
	return mnl_attr_nest_start(nlh, KBR_A_BRIDGE);
}

static int new_named(const char *name)
{
	struct nlmsghdr *nlh = msg(family, KBR_CMD_BR_NEW, 0);
	struct nlattr *n = bridge_nest(nlh);

	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, name);
	mnl_attr_nest_end(nlh, n);
	return talk(nlh, NULL, NULL);
}

static int by_index(uint8_t cmd, uint32_t ifindex)
{
	struct nlmsghdr *nlh = msg(family, cmd, 0);
	struct nlattr *n = bridge_nest(nlh);

	mnl_attr_put_u32(nlh, KBR_BR_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, n);
	return talk(nlh, NULL, NULL);
}

/* A bridge attribute of kbneg0 from a GET: u8 or u32 by @type's kind. */
struct attr_req {
	uint16_t type;
	uint32_t value;
};

static int attr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct attr_req *r = data;
	const struct nlattr *top, *a;

	mnl_attr_for_each(top, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(top) != KBR_A_BRIDGE)
			continue;
		mnl_attr_for_each_nested(a, top) {
			if (mnl_attr_get_type(a) != r->type)
				continue;
			r->value = mnl_attr_get_payload_len(a) == 1 ?
				   mnl_attr_get_u8(a) : mnl_attr_get_u32(a);
		}
	}
	return MNL_CB_OK;
}

static uint32_t neg0_attr(uint16_t type)
{
	struct attr_req r = { .type = type, .value = UINT32_MAX };
	struct nlmsghdr *nlh = msg(family, KBR_CMD_BR_GET, 0);
	struct nlattr *n = bridge_nest(nlh);

	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, "kbneg0");
	mnl_attr_nest_end(nlh, n);
	talk(nlh, attr_cb, &r);
	return r.value;
}

/* BR_SET of kbneg0 with STP's mode, on/off and forward delay (ms). */
static int set_stp(int mode, int enabled, uint32_t fd)
{
	struct nlmsghdr *nlh = msg(family, KBR_CMD_BR_SET, 0);
	struct nlattr *n = bridge_nest(nlh);

	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, "kbneg0");
	if (mode >= 0)
		mnl_attr_put_u8(nlh, KBR_BR_A_STP_MODE, mode);
	if (enabled >= 0)
		mnl_attr_put_u8(nlh, KBR_BR_A_STP_ENABLED, enabled);
	mnl_attr_put_u32(nlh, KBR_BR_A_FORWARD_DELAY, fd);
	mnl_attr_nest_end(nlh, n);
	return talk(nlh, NULL, NULL);
}

/*
 * One request that turns RSTP on with a forward delay of 3 s is checked
 * against RSTP's range (4 to 30 s), not the mode the bridge had; one
 * that goes back to 802.1D takes 3 s.
 */
static void stp_mode_and_times(void)
{
	bool ok;

	expect("SET RSTP on with a forward delay of 3 s",
	       set_stp(KBR_STP_MODE_RSTP, 1, 3000), -ERANGE,
	       "Forward delay must be 4 to 30 seconds while RSTP is on");
	n_tests++;
	ok = neg0_attr(KBR_BR_A_STP_MODE) == KBR_STP_MODE_STP &&
	     neg0_attr(KBR_BR_A_STP_ENABLED) == 0;
	if (!ok)
		n_failed++;
	printf("%sok %d the refused SET left STP off in 802.1D mode\n",
	       ok ? "" : "not ", n_tests);
	expect("SET RSTP on, forward delay 4 s", set_stp(KBR_STP_MODE_RSTP, 1,
							 4000), 0, NULL);
	expect("SET 802.1D mode with a forward delay of 3 s",
	       set_stp(KBR_STP_MODE_STP, -1, 3000), 0, NULL);
	n_tests++;
	ok = neg0_attr(KBR_BR_A_STP_MODE) == KBR_STP_MODE_STP &&
	     neg0_attr(KBR_BR_A_FORWARD_DELAY) == 3000;
	if (!ok)
		n_failed++;
	printf("%sok %d 802.1D mode with a forward delay of 3 s\n",
	       ok ? "" : "not ", n_tests);
	set_stp(-1, 0, 15000);
}

/* A learned-entry policy this version does not know changes nothing. */
static void fdb_policy(void)
{
	struct nlmsghdr *nlh = msg(family, KBR_CMD_BR_SET, 0);
	struct nlattr *n = bridge_nest(nlh);
	bool ok;

	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, "kbneg0");
	mnl_attr_put_u8(nlh, KBR_BR_A_FDB_POLICY, KBR_FDB_POLICY_MAX + 1);
	mnl_attr_nest_end(nlh, n);
	expect("SET of an unknown FDB policy", talk(nlh, NULL, NULL), -ERANGE,
	       "integer out of range");
	n_tests++;
	ok = neg0_attr(KBR_BR_A_FDB_POLICY) == KBR_DEFAULT_FDB_POLICY;
	if (!ok)
		n_failed++;
	printf("%sok %d the refused SET left the FDB policy as it was\n",
	       ok ? "" : "not ", n_tests);
}

static void unprivileged(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		/* nobody, on a socket of its own: no CAP_NET_ADMIN. */
		if (setgid(65534) || setuid(65534))
			_exit(2);
		sk = mnl_socket_open(NETLINK_GENERIC);
		if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0)
			_exit(2);
		if (new_named("kbnp0") != -EPERM)
			_exit(3);
		if (by_index(KBR_CMD_BR_DEL, if_nametoindex("kbneg0")) != -EPERM)
			_exit(4);
		if (by_index(KBR_CMD_BR_GET, if_nametoindex("kbneg0")) != 0)
			_exit(5);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	n_tests++;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    !if_nametoindex("kbnp0")) {
		printf("ok %d unprivileged: NEW/DEL get EPERM, GET works\n",
		       n_tests);
	} else {
		n_failed++;
		printf("not ok %d unprivileged: child status %d\n", n_tests,
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
}

int main(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *n;
	int before, err;

	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		printf("1..0 # SKIP no generic netlink\n");
		return 4;
	}
	err = 1;
	mnl_socket_setsockopt(sk, NETLINK_EXT_ACK, &err, sizeof(err));
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &err, sizeof(err));
	nlh = msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KBR_GENL_NAME);
	if (talk(nlh, family_cb, NULL) || !family) {
		printf("Bail out! kbridge family not found\n");
		return 1;
	}

	printf("KTAP version 1\n1..26\n");
	expect("create kbneg0", new_named("kbneg0"), 0, NULL);
	before = bridge_count();

	expect("NEW without the bridge nest",
	       talk(msg(family, KBR_CMD_BR_NEW, 0), NULL, NULL), -EINVAL,
	       "Bridge attribute is required");

	nlh = msg(family, KBR_CMD_BR_NEW, 0);
	mnl_attr_nest_end(nlh, bridge_nest(nlh));
	expect("NEW with an empty nest", talk(nlh, NULL, NULL), -EINVAL,
	       "Bridge name is required");

	nlh = msg(family, KBR_CMD_BR_NEW, 0);
	mnl_attr_put_u32(nlh, 77, 1);
	expect("NEW with an unknown top-level attribute",
	       talk(nlh, NULL, NULL), -EINVAL, NULL);

	nlh = msg(family, KBR_CMD_BR_NEW, 0);
	n = bridge_nest(nlh);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, "kbneg1");
	mnl_attr_put_u32(nlh, KBR_BR_A_IFINDEX, 1);
	mnl_attr_nest_end(nlh, n);
	expect("NEW with an attribute it does not take",
	       talk(nlh, NULL, NULL), -EINVAL, "Unsupported attribute");

	nlh = msg(family, KBR_CMD_BR_NEW, 0);
	n = bridge_nest(nlh);
	mnl_attr_put_u16(nlh, KBR_BR_A_PRIORITY, 1);
	mnl_attr_nest_end(nlh, n);
	expect("NEW with a read-only attribute", talk(nlh, NULL, NULL),
	       -EINVAL, "Unsupported attribute");

	expect("NEW with a 16-character name", new_named("kbneg0123456789x"),
	       -EINVAL, NULL);

	nlh = msg(family, KBR_CMD_BR_NEW, 0);
	n = bridge_nest(nlh);
	mnl_attr_put(nlh, KBR_BR_A_IFNAME, 6, "kbnegX");
	mnl_attr_nest_end(nlh, n);
	expect("NEW with a name without NUL", talk(nlh, NULL, NULL), -EINVAL,
	       NULL);

	expect("NEW with an invalid name", new_named("kb/x"), -EINVAL,
	       "Invalid bridge name");
	expect("NEW with an empty name", new_named(""), -EINVAL,
	       "Invalid bridge name");
	expect("NEW of an existing name", new_named("kbneg0"), -EEXIST,
	       "A device with this name already exists");
	expect("NEW of the name of a non-bridge", new_named("lo"), -EEXIST,
	       NULL);

	expect("GET of ifindex 0", by_index(KBR_CMD_BR_GET, 0), -ERANGE,
	       NULL);
	expect("GET of a missing ifindex", by_index(KBR_CMD_BR_GET, 999999),
	       -ENODEV, "No device with this ifindex");
	expect("GET of a non-bridge", by_index(KBR_CMD_BR_GET, 1),
	       -EOPNOTSUPP, "Device is not a kbridge");

	nlh = msg(family, KBR_CMD_BR_GET, 0);
	n = bridge_nest(nlh);
	mnl_attr_put_u16(nlh, KBR_BR_A_IFINDEX, 1);
	mnl_attr_nest_end(nlh, n);
	expect("GET with a u16 ifindex", talk(nlh, NULL, NULL), -EINVAL,
	       "invalid attribute length");

	nlh = msg(family, KBR_CMD_BR_DEL, 0);
	n = bridge_nest(nlh);
	mnl_attr_put_u32(nlh, KBR_BR_A_IFINDEX, 1);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, "kbneg0");
	mnl_attr_nest_end(nlh, n);
	expect("DEL with a name and the ifindex of another device",
	       talk(nlh, NULL, NULL), -EINVAL,
	       "Name and ifindex are different devices");

	nlh = msg(family, KBR_CMD_BR_DEL, 0);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->reserved = 1;
	expect("non-zero reserved header field", talk(nlh, NULL, NULL),
	       -EINVAL, NULL);

	nlh = msg(family, KBR_CMD_BR_GET, NLM_F_DUMP);
	n = bridge_nest(nlh);
	mnl_attr_put_strz(nlh, KBR_BR_A_IFNAME, "kbneg0");
	mnl_attr_nest_end(nlh, n);
	expect("dump with a bridge filter", talk(nlh, NULL, NULL), -EINVAL,
	       "A dump takes no bridge; use a GET request");

	stp_mode_and_times();
	fdb_policy();
	unprivileged();

	n_tests++;
	if (bridge_count() == before && if_nametoindex("kbneg0") &&
	    !if_nametoindex("kbneg1")) {
		printf("ok %d refused requests changed nothing\n", n_tests);
	} else {
		n_failed++;
		printf("not ok %d bridge count %d, was %d\n", n_tests,
		       bridge_count(), before);
	}

	by_index(KBR_CMD_BR_DEL, if_nametoindex("kbneg0"));
	printf("# %d passed, %d failed\n", n_tests - n_failed, n_failed);
	return n_failed ? 1 : 0;
}
