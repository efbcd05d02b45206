/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel helpers kmod/ files compiled on the host use, for the unit
 * tests in this directory: fixed-width types, unaligned big-endian
 * access, min_t(), DIV_ROUND_UP(), WARN_ON_ONCE() (which aborts), HZ
 * and the errno values.  Only what
 * those files need, with the kernel's meaning.
 */

#ifndef _KBR_SHIM_H
#define _KBR_SHIM_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* Debian's amd64 kernels are built with CONFIG_HZ=250. */
#ifndef HZ
#define HZ 250
#endif

#define U16_MAX			UINT16_MAX
#define U32_MAX			UINT32_MAX
#define min_t(type, a, b)	((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define max_t(type, a, b)	((type)(a) > (type)(b) ? (type)(a) : (type)(b))
#define clamp_t(type, v, lo, hi) min_t(type, max_t(type, v, lo), hi)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

/* A warning is a bug: the test stops there, and fails. */
#define WARN_ON_ONCE(cond)	kbr_shim_warn(!!(cond), __FILE__, __LINE__)

static inline bool kbr_shim_warn(bool cond, const char *file, int line)
{
	if (cond) {
		fprintf(stderr, "WARNING: %s:%d\n", file, line);
		abort();
	}
	return cond;
}

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

#endif /* _KBR_SHIM_H */
