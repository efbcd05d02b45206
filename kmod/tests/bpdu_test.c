// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/bpdu.c on the host: BPDUs encoded byte for byte as
 * 802.1D-2004 9.3 lays them out (the expected bytes are written out by
 * hand below, not produced by the encoder), decoded back, classified as
 * 9.3.4 says, and refused when malformed.  Every decode reads from a
 * buffer of exactly the length given, so that AddressSanitizer fails
 * the test on any read past it.  KTAP output, the plan last; exit 1 when
 * a case fails.
 */

#include <stdio.h>
#include <stdlib.h>

#include "bpdu.h"

static int n_tests, n_failed;

static void ok(bool cond, const char *name)
{
	n_tests++;
	if (!cond)
		n_failed++;
	printf("%s %d %s\n", cond ? "ok" : "not ok", n_tests, name);
}

static void hexdump(const char *what, const u8 *b, unsigned int len)
{
	unsigned int i;

	printf("#   %s", what);
	for (i = 0; i < len; i++)
		printf(" %02x", b[i]);
	printf("\n");
}

/* Decode @len bytes of @src from a heap copy of exactly that size. */
static int decode(struct kbr_bpdu *bpdu, const u8 *src, unsigned int len)
{
	u8 *b = malloc(len ? len : 1);
	int err;

	if (!b)
		abort();
	memcpy(b, src, len);
	memset(bpdu, 0xa5, sizeof(*bpdu));
	err = kbr_bpdu_decode(bpdu, b, len);
	free(b);
	return err;
}

static const struct kbr_id root_id = {
	{ 0x80, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }
};
static const struct kbr_id bridge_id = {
	{ 0x80, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 }
};

/*
 * Root 8000.020000000001, cost 4, bridge 8000.020000000002, port 0x8001,
 * message age 1 s, max age 20 s, hello 2 s, forward delay 15 s.
 */
static void fill(struct kbr_bpdu *bpdu, u8 type, u8 flags)
{
	memset(bpdu, 0, sizeof(*bpdu));
	bpdu->type = type;
	bpdu->flags = flags;
	bpdu->root = root_id;
	bpdu->root_path_cost = 4;
	bpdu->bridge = bridge_id;
	bpdu->port_id = 0x8001;
	bpdu->message_age = 1 * HZ;
	bpdu->max_age = 20 * HZ;
	bpdu->hello_time = 2 * HZ;
	bpdu->forward_delay = 15 * HZ;
}

/* That BPDU on the wire, from byte 5 (the Root Identifier) to 34. */
#define WIRE_BODY							\
	0x80, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,			\
	0x00, 0x00, 0x00, 0x04,						\
	0x80, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,			\
	0x80, 0x01,							\
	0x01, 0x00, 0x14, 0x00, 0x02, 0x00, 0x0f, 0x00

/* Flags TC and TCA. */
static const u8 wire_config[KBR_BPDU_CONFIG_LEN] = {
	0x00, 0x00, 0x00, 0x00, 0x81, WIRE_BODY
};

/* Flags TC, proposal, role designated, learning, forwarding, agreement. */
static const u8 wire_rst[KBR_BPDU_RST_LEN] = {
	0x00, 0x00, 0x02, 0x02, 0x7f, WIRE_BODY, 0x00
};

static const u8 wire_tcn[KBR_BPDU_TCN_LEN] = { 0x00, 0x00, 0x00, 0x80 };

static bool same_fields(const struct kbr_bpdu *a, const struct kbr_bpdu *b)
{
	return a->type == b->type && a->flags == b->flags &&
	       !memcmp(&a->root, &b->root, sizeof(a->root)) &&
	       a->root_path_cost == b->root_path_cost &&
	       !memcmp(&a->bridge, &b->bridge, sizeof(a->bridge)) &&
	       a->port_id == b->port_id && a->message_age == b->message_age &&
	       a->max_age == b->max_age && a->hello_time == b->hello_time &&
	       a->forward_delay == b->forward_delay;
}

static void check_encode(const char *name, const struct kbr_bpdu *bpdu,
			 const u8 *want, unsigned int want_len)
{
	u8 b[KBR_BPDU_RST_LEN + 1];
	unsigned int len;
	bool good;

	memset(b, 0xee, sizeof(b));
	len = kbr_bpdu_encode(b, bpdu);
	good = len == want_len && !memcmp(b, want, len) &&
	       b[KBR_BPDU_RST_LEN] == 0xee;
	ok(good, name);
	if (!good) {
		hexdump("got ", b, len);
		hexdump("want", want, want_len);
	}
}

static void test_encode(void)
{
	struct kbr_bpdu bpdu;

	/* A configuration BPDU carries TC and TCA only. */
	fill(&bpdu, KBR_BPDU_CONFIG,
	     KBR_BPDU_F_TC | KBR_BPDU_F_TCA | KBR_BPDU_F_PROPOSAL);
	bpdu.version = 7;
	check_encode("encode: configuration BPDU, version 0, 35 bytes", &bpdu,
		     wire_config, sizeof(wire_config));

	/* An RST BPDU sends TCA as zero. */
	fill(&bpdu, KBR_BPDU_RST, 0xff);
	check_encode("encode: RST BPDU, version 2, 36 bytes, version 1 length 0",
		     &bpdu, wire_rst, sizeof(wire_rst));

	memset(&bpdu, 0, sizeof(bpdu));
	bpdu.type = KBR_BPDU_TCN;
	check_encode("encode: TCN BPDU, 4 bytes", &bpdu, wire_tcn,
		     sizeof(wire_tcn));

	/* A time beyond what 16 bits of 1/256 s hold is sent as the most. */
	fill(&bpdu, KBR_BPDU_CONFIG, 0);
	bpdu.max_age = 300 * HZ;
	{
		u8 b[KBR_BPDU_RST_LEN];

		kbr_bpdu_encode(b, &bpdu);
		ok(b[29] == 0xff && b[30] == 0xff,
		   "encode: a time past 255 s is capped at 0xffff");
	}
}

static void test_decode(void)
{
	struct kbr_bpdu want, got;
	u8 b[64];
	int err;

	fill(&want, KBR_BPDU_CONFIG, KBR_BPDU_F_TC | KBR_BPDU_F_TCA);
	err = decode(&got, wire_config, sizeof(wire_config));
	ok(!err && same_fields(&got, &want) && got.version == 0,
	   "decode: configuration BPDU, every field");

	fill(&want, KBR_BPDU_RST, 0x7f);
	err = decode(&got, wire_rst, sizeof(wire_rst));
	ok(!err && same_fields(&got, &want) && got.version == 2 &&
	   kbr_bpdu_role(&got) == KBR_BPDU_ROLE_DESIGNATED,
	   "decode: RST BPDU, every field and the role");

	err = decode(&got, wire_tcn, sizeof(wire_tcn));
	ok(!err && got.type == KBR_BPDU_TCN && got.version == 0 &&
	   got.flags == 0, "decode: TCN BPDU");

	/* Each role the two role bits name. */
	{
		static const u8 roles[] = {
			KBR_BPDU_ROLE_ALT_BACKUP, KBR_BPDU_ROLE_ROOT,
			KBR_BPDU_ROLE_DESIGNATED,
		};
		bool all = true;
		unsigned int i;

		for (i = 0; i < sizeof(roles); i++) {
			memcpy(b, wire_rst, sizeof(wire_rst));
			b[4] = roles[i] << KBR_BPDU_ROLE_SHIFT;
			err = decode(&got, b, sizeof(wire_rst));
			all &= !err && kbr_bpdu_role(&got) == roles[i] &&
			       got.flags == b[4];
		}
		ok(all, "decode: roles alternate/backup, root, designated");
	}

	memcpy(b, wire_rst, sizeof(wire_rst));
	b[4] = 0x80 | KBR_BPDU_ROLE_ROOT << KBR_BPDU_ROLE_SHIFT;
	err = decode(&got, b, sizeof(wire_rst));
	ok(!err && (got.flags & KBR_BPDU_F_TCA),
	   "decode: an RST BPDU's TCA flag is kept (17.21.17 reads it)");

	memcpy(b, wire_config, sizeof(wire_config));
	b[4] = 0x7e;
	err = decode(&got, b, sizeof(wire_config));
	ok(!err && got.flags == 0,
	   "decode: flags a configuration BPDU does not define are dropped");

	/* 9.3.4 a): a configuration BPDU whatever its version. */
	memcpy(b, wire_config, sizeof(wire_config));
	b[2] = 2;
	err = decode(&got, b, sizeof(wire_config));
	ok(!err && got.type == KBR_BPDU_CONFIG && got.version == 2,
	   "decode: configuration BPDU of version 2 (the caller decides)");

	/* 9.3.4 c): version 3 (MSTP) with more after 36 bytes is RSTP. */
	memset(b, 0x33, sizeof(b));
	memcpy(b, wire_rst, sizeof(wire_rst));
	b[2] = 3;
	err = decode(&got, b, sizeof(b));
	fill(&want, KBR_BPDU_RST, 0x7f);
	ok(!err && got.version == 3 && same_fields(&got, &want),
	   "decode: version 3, 64 bytes, decodes as an RST BPDU");

	memcpy(b, wire_tcn, sizeof(wire_tcn));
	b[2] = 2;
	memset(b + 4, 0, 10);
	err = decode(&got, b, 14);
	ok(!err && got.type == KBR_BPDU_TCN && got.version == 2,
	   "decode: TCN BPDU of version 2, padded");
}

/* @src with byte @at set to @val (two bytes, big-endian, if @wide). */
static int decode_with(const u8 *src, unsigned int len, unsigned int at,
		       unsigned int val, bool wide)
{
	struct kbr_bpdu got;
	u8 b[KBR_BPDU_RST_LEN];

	memcpy(b, src, len);
	if (wide) {
		b[at] = val >> 8;
		b[at + 1] = val;
	} else {
		b[at] = val;
	}
	return decode(&got, b, len);
}

static void test_malformed(void)
{
	static const struct {
		const char *name;
		bool rst;
		unsigned int at, val;
		bool wide;
	} cases[] = {
		{ "protocol identifier 1", false, 0, 1, true },
		{ "protocol identifier 0x0100", true, 0, 0x100, true },
		{ "BPDU type 0x01", false, 3, 0x01, false },
		{ "BPDU type 0x03", true, 3, 0x03, false },
		{ "RST BPDU of version 0", true, 2, 0, false },
		{ "RST BPDU of version 1", true, 2, 1, false },
		{ "max age 0", false, 29, 0, true },
		{ "hello time 0", false, 31, 0, true },
		{ "forward delay 0", false, 33, 0, true },
		{ "forward delay 40 s + 1/256", false, 33, 40 * 256 + 1, true },
		{ "max age 255 s", false, 29, 0xff00, true },
		{ "message age equal to max age", false, 27, 20 * 256, true },
		{ "message age past max age", false, 27, 0xffff, true },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const u8 *src = cases[i].rst ? wire_rst : wire_config;
		unsigned int len = cases[i].rst ? sizeof(wire_rst) :
						  sizeof(wire_config);
		char name[96];

		snprintf(name, sizeof(name), "malformed: %s (%s)", cases[i].name,
			 cases[i].rst ? "RST" : "configuration");
		ok(decode_with(src, len, cases[i].at, cases[i].val,
			       cases[i].wide) == -EINVAL, name);
	}

	/* The largest times still pass: the bounds are where they say. */
	ok(!decode_with(wire_config, sizeof(wire_config), 33, 40 * 256, true),
	   "malformed: forward delay of exactly 40 s is accepted");
}

/*
 * 9.3.4 c) takes an RST BPDU by its identifier, type, version and
 * length alone: times a configuration BPDU may not have, and the Unknown
 * role (9.2.9), are for the machines to deal with.
 */
static void test_rst_lenient(void)
{
	static const struct {
		const char *name;
		unsigned int at, val;
		bool wide;
	} cases[] = {
		{ "role Unknown", 4, 0x73, false },
		{ "hello time 0", 31, 0, true },
		{ "forward delay 40 s + 1/256", 33, 40 * 256 + 1, true },
		{ "message age equal to max age", 27, 20 * 256, true },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[96];

		snprintf(name, sizeof(name), "RST BPDU with %s is taken",
			 cases[i].name);
		ok(!decode_with(wire_rst, sizeof(wire_rst), cases[i].at,
				cases[i].val, cases[i].wide), name);
	}
}

/* Every length short of a kind's size is refused, and none reads past. */
static void test_short(void)
{
	static const struct {
		const char *name;
		const u8 *src;
		unsigned int len;
	} kinds[] = {
		{ "TCN", wire_tcn, sizeof(wire_tcn) },
		{ "configuration", wire_config, sizeof(wire_config) },
		{ "RST", wire_rst, sizeof(wire_rst) },
	};
	struct kbr_bpdu got;
	unsigned int k, len;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		bool good = true;
		char name[96];

		for (len = 0; len <= kinds[k].len; len++) {
			int err = decode(&got, kinds[k].src, len);

			good &= len < kinds[k].len ? err == -EINVAL : !err;
		}
		snprintf(name, sizeof(name),
			 "short: %s BPDU cut at every length below %u refused",
			 kinds[k].name, kinds[k].len);
		ok(good, name);
	}
}

/* A fixed-seed generator, so that a failure repeats. */
static u32 rnd(void)
{
	static u32 x = 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/*
 * Any BPDU a bridge sends decodes to what it was built from: with HZ at
 * most 256, a time in jiffies survives 1/256 s (floored on the way out,
 * rounded up on the way in) exactly.
 */
static void test_round_trip(void)
{
	struct kbr_bpdu in, out;
	u8 b[KBR_BPDU_RST_LEN];
	unsigned int i, j, len;
	bool good = true;

	for (i = 0; i < 100000 && good; i++) {
		memset(&in, 0, sizeof(in));
		in.type = rnd() & 1 ? KBR_BPDU_RST : KBR_BPDU_CONFIG;
		in.flags = rnd();
		if (in.type == KBR_BPDU_RST) {
			in.flags &= 0xff & ~KBR_BPDU_F_TCA;
			if (!(in.flags & KBR_BPDU_F_ROLE))
				in.flags |= KBR_BPDU_F_ROLE;
		} else {
			in.flags &= KBR_BPDU_F_TC | KBR_BPDU_F_TCA;
		}
		for (j = 0; j < 8; j++) {
			in.root.b[j] = rnd();
			in.bridge.b[j] = rnd();
		}
		in.root_path_cost = rnd();
		in.port_id = rnd();
		in.max_age = 1 + rnd() % (40 * HZ);
		in.message_age = rnd() % in.max_age;
		in.hello_time = 1 + rnd() % (40 * HZ);
		in.forward_delay = 1 + rnd() % (40 * HZ);

		len = kbr_bpdu_encode(b, &in);
		good = !decode(&out, b, len) && same_fields(&in, &out);
	}
	if (!good)
		printf("#   case %u: type %u flags %#x max age %lu message age %lu\n",
		       i, in.type, in.flags, in.max_age, in.message_age);
	ok(good, "round trip: 100,000 random BPDUs decode to what they were");
}

int main(void)
{
	printf("KTAP version 1\n");
	test_encode();
	test_decode();
	test_malformed();
	test_rst_lenient();
	test_short();
	test_round_trip();
	printf("1..%d\n# %d passed, %d failed\n", n_tests, n_tests - n_failed,
	       n_failed);
	return n_failed ? 1 : 0;
}
