// SPDX-License-Identifier: GPL-2.0
/*
 * kbrctl output: one print call serves the text layout (brctl's) and JSON
 * (-j), after iproute2's print_*(PRINT_ANY, ...) idea, plus the
 * formatting helpers that the unit tests check byte for byte.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kbrctl.h"

bool json;

/* One level per open object or array: has it printed a member yet? */
static bool member_printed[32];
static int depth;

static void json_sep(const char *key)
{
	char esc[256];

	if (depth > 0 && member_printed[depth - 1])
		putchar(',');
	if (depth > 0)
		member_printed[depth - 1] = true;
	if (key) {
		json_escape(esc, sizeof(esc), key);
		printf("\"%s\":", esc);
	}
}

static void json_open(const char *key, char c)
{
	json_sep(key);
	putchar(c);
	if (depth < (int)(sizeof(member_printed) / sizeof(member_printed[0])))
		member_printed[depth++] = false;
}

static void json_close(char c)
{
	putchar(c);
	if (depth > 0)
		depth--;
}

void json_begin(void)
{
	if (json)
		json_open(NULL, '[');
}

void json_end(void)
{
	if (json) {
		json_close(']');
		putchar('\n');
	}
}

void open_json_object(const char *key)
{
	if (json)
		json_open(key, '{');
}

void close_json_object(void)
{
	if (json)
		json_close('}');
}

void open_json_array(const char *key)
{
	if (json)
		json_open(key, '[');
}

void close_json_array(void)
{
	if (json)
		json_close(']');
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	char esc[512];

	if (json && (t & PRINT_JSON)) {
		json_sep(key);
		json_escape(esc, sizeof(esc), value);
		printf("\"%s\"", esc);
	} else if (!json && (t & PRINT_FP)) {
		printf(fmt, value);
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned long long value)
{
	if (json && (t & PRINT_JSON)) {
		json_sep(key);
		printf("%llu", value);
	} else if (!json && (t & PRINT_FP)) {
		printf(fmt, value);
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value)
{
	if (json && (t & PRINT_JSON)) {
		json_sep(key);
		fputs(value ? "true" : "false", stdout);
	} else if (!json && (t & PRINT_FP)) {
		printf(fmt, value ? "yes" : "no");
	}
}

void print_float(enum output_type t, const char *key, const char *fmt,
		 double value)
{
	if (json && (t & PRINT_JSON)) {
		json_sep(key);
		printf("%.2f", value);
	} else if (!json && (t & PRINT_FP)) {
		printf(fmt, value);
	}
}

/* Text-only output: nothing in JSON mode. */
void print_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/**
 * json_escape() - @src as the inside of a JSON string, truncated to @size
 */
void json_escape(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	for (; *src && n + 7 < size; src++) {
		unsigned char c = *src;

		if (c == '"' || c == '\\') {
			dst[n++] = '\\';
			dst[n++] = c;
		} else if (c < 0x20) {
			n += snprintf(dst + n, size - n, "\\u%04x", c);
		} else {
			dst[n++] = c;
		}
	}
	dst[n] = '\0';
}

/**
 * format_bridge_id() - brctl's bridge id: priority, a dot, the MAC in hex
 */
void format_bridge_id(char *buf, size_t size, uint16_t prio,
		      const uint8_t *mac)
{
	snprintf(buf, size, "%.2x%.2x.%.2x%.2x%.2x%.2x%.2x%.2x",
		 prio >> 8, prio & 0xff,
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/**
 * format_timer() - brctl's timer layout: "%4i.%.2i", hundredths truncated
 */
void format_timer(char *buf, size_t size, double seconds)
{
	long cs = (long)(seconds * 100.0 + 1e-6);

	if (cs < 0)
		cs = 0;
	snprintf(buf, size, "%4li.%.2li", cs / 100, cs % 100);
}
