// SPDX-License-Identifier: GPL-2.0
/*
 * kbr_recv_shim.so: preloaded into kbrctl (LD_PRELOAD) to change the FDB
 * in the middle of a dump, deterministically.  After the first recvmsg()
 * that brings part of a multi-part reply, it runs $KBR_SHIM_CMD once (as
 * a child without the preload), so that the kernel finds its table changed
 * when it builds the next part and flags it NLM_F_DUMP_INTR.  It counts
 * the messages it sees so flagged (before kbrctl looks at them) and writes
 * the count to $KBR_SHIM_LOG when kbrctl exits: a test can then tell a
 * dump that was interrupted from one that only happened to succeed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

static ssize_t (*real_recvmsg)(int fd, struct msghdr *msg, int flags);
static unsigned long flagged;
static bool ran;

static void report(void)
{
	const char *path = getenv("KBR_SHIM_LOG");
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "%lu\n", flagged);
	fclose(f);
}

__attribute__((constructor)) static void shim_init(void)
{
	real_recvmsg = (ssize_t (*)(int, struct msghdr *, int))
		dlsym(RTLD_NEXT, "recvmsg");
	atexit(report);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	const char *cmd = getenv("KBR_SHIM_CMD");
	const struct nlmsghdr *nlh;
	bool multi = false;
	ssize_t n;
	int len;

	if (!real_recvmsg)
		return -1;
	n = real_recvmsg(fd, msg, flags);
	if (n <= 0 || msg->msg_iovlen < 1 || (flags & MSG_PEEK))
		return n;

	len = n;
	for (nlh = msg->msg_iov[0].iov_base; NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			flagged++;
		if ((nlh->nlmsg_flags & NLM_F_MULTI) &&
		    nlh->nlmsg_type != NLMSG_DONE)
			multi = true;
	}
	if (multi && !ran && cmd) {
		ran = true;
		unsetenv("LD_PRELOAD");
		if (system(cmd) != 0)
			fprintf(stderr, "kbr_recv_shim: '%s' failed\n", cmd);
	}
	return n;
}
