// SPDX-License-Identifier: GPL-2.0
/*
 * kbrctl's netlink layer, the only file that owns the socket: it resolves
 * the "kbridge" family once, asks for an ACK on every request, reads
 * extended ACK messages, and validates the attributes it hands on.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kbrctl.h"

static struct mnl_socket *sk;
static unsigned int portid;
static uint16_t family_id;
static uint32_t events_group;
/* The request being built: a few nests of scalars and names, each
 * argument at most KBRCTL_ARG_MAX (kbrctl.c) bytes: well under 8 KiB.
 */
static char req[8192];
/* What the kernel sends: a whole dump part, which it fills up to 32 KiB. */
static char rx[32768];
static char extack_msg[256];

/* One CTRL_ATTR_MCAST_GRP_* nest: remember the events group's id. */
static void mcast_group(const struct nlattr *grp)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];

	if (nl_parse_nest(grp, tb, CTRL_ATTR_MCAST_GRP_MAX) ||
	    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID] ||
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_NAME], MNL_TYPE_NUL_STRING) ||
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32))
		return;
	if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
		    KBR_GENL_MCGRP_EVENTS))
		events_group = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr, *grp;

	(void)data;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
				family_id = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_validate(attr, MNL_TYPE_NESTED))
				break;
			mnl_attr_for_each_nested(grp, attr)
				mcast_group(grp);
			break;
		}
	}
	return MNL_CB_OK;
}

/* The extended ACK message of an error or a dump's end, if any. */
static void read_extack(const struct nlmsghdr *nlh, unsigned int off)
{
	struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(extack_msg, sizeof(extack_msg), "%s",
				 mnl_attr_get_str(attr));
	}
}

/* The kernel's error or ACK. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*err);

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&err->msg);
	read_extack(nlh, off);
	if (err->error == 0)
		return MNL_CB_STOP;
	errno = -err->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	const int *err = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int) && *err < 0) {
		read_extack(nlh, sizeof(int));
		errno = -*err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

struct talk_ctx {
	nl_data_cb cb;
	void *data;
	bool interrupted;
};

static int data_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct talk_ctx *ctx = arg;

	return ctx->cb ? ctx->cb(nlh, ctx->data) : MNL_CB_OK;
}

/*
 * libmnl stops at the first message flagged NLM_F_DUMP_INTR (EINTR) and
 * leaves the rest of the dump queued, where the next request's replies
 * would find it: a sequence mismatch, EPROTO.  Note the flag and clear it
 * instead, so that the dump is read to its end; talk() then says -EINTR
 * and the caller asks again.
 */
static void take_dump_intr(void *b, ssize_t len, struct talk_ctx *ctx)
{
	struct nlmsghdr *nlh = b;
	int n = len;

	while (mnl_nlmsg_ok(nlh, n)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
			ctx->interrupted = true;
		}
		nlh = mnl_nlmsg_next(nlh, &n);
	}
}

static int talk(struct nlmsghdr *nlh, nl_data_cb cb, void *data)
{
	struct talk_ctx ctx = { .cb = cb, .data = data };
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	extack_msg[0] = '\0';
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;

	do {
		n = mnl_socket_recvfrom(sk, rx, sizeof(rx));
		if (n < 0)
			return -errno;
		take_dump_intr(rx, n, &ctx);
		ret = mnl_cb_run2(rx, n, seq, portid, data_cb, &ctx,
				  ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret == MNL_CB_OK);

	if (ret == MNL_CB_ERROR)
		return -errno;
	/* What the dump lists changed under it (the device list, a
	 * bridge's identity, or an FDB): the caller asks again.
	 */
	return ctx.interrupted ? -EINTR : 0;
}

/**
 * nl_open() - open the socket and resolve the kbridge family
 *
 * Return: 0, or a negative errno (-ENOENT: the family is not there).
 */
int nl_open(void)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int one = 1;
	int err;

	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk)
		return -errno;
	/* Best effort: older kernels lack them and still work. */
	mnl_socket_setsockopt(sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		nl_close();
		return err;
	}
	portid = mnl_socket_get_portid(sk);

	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = time(NULL);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KBR_GENL_NAME);

	err = talk(nlh, family_cb, NULL);
	if (!err && !family_id)
		err = -ENOENT;
	if (err)
		nl_close();
	return err;
}

void nl_close(void)
{
	if (sk)
		mnl_socket_close(sk);
	sk = NULL;
}

/* Opened with the first request, so argument errors come first. */
static void nl_ensure(void)
{
	int err;

	if (sk)
		return;
	err = nl_open();
	if (err) {
		fprintf(stderr, "can't setup bridge control: %s\n",
			err == -ENOENT ? "kbridge module not loaded" :
			strerror(-err));
		exit(1);
	}
}

/**
 * nl_msg() - start a kbridge request in the request buffer, which
 * replies do not touch; the first one opens the socket, or ends the
 * program with brctl's message
 * @cmd: KBR_CMD_*
 * @flags: NLM_F_DUMP or 0; NLM_F_REQUEST and NLM_F_ACK are always set
 */
struct nlmsghdr *nl_msg(uint8_t cmd, uint16_t flags)
{
	static unsigned int seq;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	nl_ensure();
	if (!seq)
		seq = time(NULL);
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = KBR_GENL_VERSION;
	return nlh;
}

/**
 * nl_talk() - send a request and run @cb on every reply message
 *
 * Return: 0, or a negative errno; nl_extack() then holds the kernel's
 * message, if it sent one.  -EINTR: a dump was inconsistent, ask again.
 */
int nl_talk(struct nlmsghdr *nlh, nl_data_cb cb, void *data)
{
	return talk(nlh, cb, data);
}

/**
 * nl_listen() - receive the events group's messages until @cb stops
 *
 * Return: a negative errno; it only returns on failure.
 */
int nl_listen(nl_data_cb cb, void *data)
{
	ssize_t n;
	int ret;

	nl_ensure();
	if (!events_group)
		return -ENOENT;
	if (mnl_socket_setsockopt(sk, NETLINK_ADD_MEMBERSHIP, &events_group,
				  sizeof(events_group)) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(sk, rx, sizeof(rx));
		if (n < 0)
			return -errno;
		/* Notifications carry sequence and port 0. */
		ret = mnl_cb_run(rx, n, 0, 0, cb, data);
		if (ret < 0)
			return -errno;
	}
}

const char *nl_extack(void)
{
	return extack_msg;
}

/* iproute2's habit: "Error: <message>." on stderr. */
void nl_print_extack(void)
{
	size_t n = strlen(extack_msg);

	if (n)
		fprintf(stderr, "Error: %s%s\n", extack_msg,
			extack_msg[n - 1] == '.' ? "" : ".");
}

struct parse_ctx {
	const struct nlattr **tb;
	unsigned int max;
};

static int parse_cb(const struct nlattr *attr, void *data)
{
	struct parse_ctx *ctx = data;
	unsigned int type = mnl_attr_get_type(attr);

	/* Skip what this version does not know: the kernel may be newer. */
	if (type <= ctx->max)
		ctx->tb[type] = attr;
	return MNL_CB_OK;
}

/* The value of an attribute, 0 when it is absent or malformed. */
uint8_t nl_get_u8(const struct nlattr *attr)
{
	return attr && !mnl_attr_validate(attr, MNL_TYPE_U8) ?
	       mnl_attr_get_u8(attr) : 0;
}

uint16_t nl_get_u16(const struct nlattr *attr)
{
	return attr && !mnl_attr_validate(attr, MNL_TYPE_U16) ?
	       mnl_attr_get_u16(attr) : 0;
}

uint32_t nl_get_u32(const struct nlattr *attr)
{
	return attr && !mnl_attr_validate(attr, MNL_TYPE_U32) ?
	       mnl_attr_get_u32(attr) : 0;
}

uint64_t nl_get_u64(const struct nlattr *attr)
{
	return attr && !mnl_attr_validate(attr, MNL_TYPE_U64) ?
	       mnl_attr_get_u64(attr) : 0;
}

/**
 * nl_parse_nest() - index the attributes of @nest by type, up to @max
 *
 * Attributes are only indexed here; the reader validates each one it uses
 * with mnl_attr_validate() before it looks at the payload.
 */
int nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		  unsigned int max)
{
	struct parse_ctx ctx = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse_nested(nest, parse_cb, &ctx) < 0 ? -EBADMSG : 0;
}

int nl_parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb,
		 unsigned int max)
{
	struct parse_ctx ctx = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), parse_cb,
			      &ctx) < 0 ? -EBADMSG : 0;
}
