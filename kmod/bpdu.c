// SPDX-License-Identifier: GPL-2.0
/*
 * BPDUs as bytes: configuration, topology change notification and RST
 * BPDUs (802.1D-2004 9.3), from the Protocol Identifier on, encoded and
 * decoded field by field.  Decoding classifies and checks as 9.3.4 does
 * (a configuration BPDU's message younger than its max age), and refuses
 * configuration BPDUs with times no bridge sends (zero, above 40 s).  An
 * RST BPDU is taken as 9.3.4 c) says, whatever its times and role: the
 * machines age old information and read an Unknown role as 9.2.9 says.
 * Which versions a bridge accepts is its caller's choice.  stp_bpdu.c puts BPDUs in
 * frames and takes them out.
 */

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#endif

#include "bpdu.h"

/* Timers travel in 1/256 s. */
#define BPDU_HZ			256

/* No bridge sends timers above 40 s (802.1D's largest, max age). */
#define BPDU_MAX_TIME		(40 * BPDU_HZ)

/* Flags each kind carries (9.3.1, 9.3.3); the others are sent as 0. */
#define CONFIG_FLAGS		(KBR_BPDU_F_TC | KBR_BPDU_F_TCA)
#define RST_FLAGS		(0xff & ~KBR_BPDU_F_TCA)

static void put_time(u8 *dst, unsigned long j)
{
	put_unaligned_be16(min_t(unsigned long, U16_MAX, j * BPDU_HZ / HZ),
			   dst);
}

static unsigned long get_time(const u8 *src)
{
	return DIV_ROUND_UP(get_unaligned_be16(src) * HZ, BPDU_HZ);
}

/**
 * kbr_bpdu_encode - write @bpdu as it goes on the wire
 * @b: room for KBR_BPDU_RST_LEN bytes
 * @bpdu: what it says; @bpdu->version is not used
 *
 * Return: the length written: KBR_BPDU_TCN_LEN, KBR_BPDU_CONFIG_LEN or
 * KBR_BPDU_RST_LEN.
 */
unsigned int kbr_bpdu_encode(u8 *b, const struct kbr_bpdu *bpdu)
{
	bool rst = bpdu->type == KBR_BPDU_RST;

	put_unaligned_be16(0, &b[0]);		/* Protocol Identifier */
	b[2] = rst ? KBR_BPDU_VERSION_RSTP : KBR_BPDU_VERSION_STP;
	b[3] = bpdu->type;
	if (bpdu->type == KBR_BPDU_TCN)
		return KBR_BPDU_TCN_LEN;

	b[4] = bpdu->flags & (rst ? RST_FLAGS : CONFIG_FLAGS);
	memcpy(&b[5], bpdu->root.b, 8);
	put_unaligned_be32(bpdu->root_path_cost, &b[13]);
	memcpy(&b[17], bpdu->bridge.b, 8);
	put_unaligned_be16(bpdu->port_id, &b[25]);
	put_time(&b[27], bpdu->message_age);
	put_time(&b[29], bpdu->max_age);
	put_time(&b[31], bpdu->hello_time);
	put_time(&b[33], bpdu->forward_delay);
	if (!rst)
		return KBR_BPDU_CONFIG_LEN;
	b[35] = 0;				/* Version 1 Length */
	return KBR_BPDU_RST_LEN;
}

/*
 * A configuration BPDU's times: its message younger than its max age
 * (9.3.4 a), and, as no bridge sends otherwise, each timer nonzero and
 * at most 40 s.
 */
static bool config_times_sane(const u8 *b)
{
	u16 age = get_unaligned_be16(&b[27]);
	u16 max_age = get_unaligned_be16(&b[29]);
	int i;

	for (i = 29; i <= 33; i += 2) {
		u16 t = get_unaligned_be16(&b[i]);

		if (!t || t > BPDU_MAX_TIME)
			return false;
	}
	return age < max_age;
}

/**
 * kbr_bpdu_decode - read the BPDU in @b
 * @bpdu: what it says
 * @b: the BPDU, from the Protocol Identifier on
 * @len: its length; nothing past it is read
 *
 * As 9.3.4: Protocol Identifier 0; a TCN BPDU is 4 bytes or more, a
 * configuration BPDU 35 with a message age below its max age and sane
 * times, an RST BPDU 36 with version 2 or above (later versions, such as
 * MSTP's, decode as RSTP).  Bytes past those are ignored, and so are
 * flags a configuration BPDU does not define.  A TCN BPDU sets only
 * @type, @version and @flags (0).
 *
 * Return: 0, or -EINVAL when @b is no BPDU a bridge sends.
 */
int kbr_bpdu_decode(struct kbr_bpdu *bpdu, const u8 *b, unsigned int len)
{
	if (len < KBR_BPDU_TCN_LEN || get_unaligned_be16(&b[0]))
		return -EINVAL;
	bpdu->version = b[2];
	bpdu->type = b[3];
	bpdu->flags = 0;
	switch (bpdu->type) {
	case KBR_BPDU_TCN:
		return 0;
	case KBR_BPDU_CONFIG:
		if (len < KBR_BPDU_CONFIG_LEN || !config_times_sane(b))
			return -EINVAL;
		bpdu->flags = b[4] & CONFIG_FLAGS;
		break;
	case KBR_BPDU_RST:
		if (bpdu->version < KBR_BPDU_VERSION_RSTP ||
		    len < KBR_BPDU_RST_LEN)
			return -EINVAL;
		bpdu->flags = b[4];
		break;
	default:
		return -EINVAL;
	}
	memcpy(bpdu->root.b, &b[5], 8);
	bpdu->root_path_cost = get_unaligned_be32(&b[13]);
	memcpy(bpdu->bridge.b, &b[17], 8);
	bpdu->port_id = get_unaligned_be16(&b[25]);
	bpdu->message_age = get_time(&b[27]);
	bpdu->max_age = get_time(&b[29]);
	bpdu->hello_time = get_time(&b[31]);
	bpdu->forward_delay = get_time(&b[33]);
	return 0;
}
