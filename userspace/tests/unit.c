// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kbrctl's formatting: no kernel needed.  KTAP output,
 * exit 0 when every case passes, 1 otherwise.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kbrctl.h"

static int n_tests, n_failed;

static void check_str(const char *name, const char *got, const char *want)
{
	n_tests++;
	if (strcmp(got, want)) {
		n_failed++;
		printf("not ok %d %s\n#   got  \"%s\"\n#   want \"%s\"\n",
		       n_tests, name, got, want);
	} else {
		printf("ok %d %s\n", n_tests, name);
	}
}

/* Run @fn with stdout going to a buffer. */
static void capture(void (*fn)(void), char *out, size_t size)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO);
	size_t n;

	fflush(stdout);
	dup2(fileno(tmp), STDOUT_FILENO);
	fn();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, size - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
}

static void emit_show(void)
{
	json_begin();
	open_json_object(NULL);
	print_string(PRINT_ANY, "ifname", "%s\t\t", "kb0");
	print_uint(PRINT_JSON, "ifindex", NULL, 7);
	print_bool(PRINT_ANY, "stp_enabled", "%s\t\t", false);
	open_json_array("interfaces");
	print_string(PRINT_ANY, NULL, "%s", "a\"b");
	print_string(PRINT_ANY, NULL, "%s", "c");
	close_json_array();
	print_text("\n");
	close_json_object();
	open_json_object(NULL);
	close_json_object();
	json_end();
}

int main(void)
{
	static const uint8_t mac[6] = { 0x3a, 0x55, 0x93, 0x21, 0x47, 0x4a };
	static const uint8_t zero[6];
	char buf[512];

	printf("KTAP version 1\n1..13\n");

	format_bridge_id(buf, sizeof(buf), 0x8000, mac);
	check_str("bridge id default priority", buf, "8000.3a559321474a");
	format_bridge_id(buf, sizeof(buf), 0x1000, zero);
	check_str("bridge id zero mac", buf, "1000.000000000000");
	format_bridge_id(buf, sizeof(buf), 0xffff, mac);
	check_str("bridge id max priority", buf, "ffff.3a559321474a");

	format_timer(buf, sizeof(buf), 0);
	check_str("timer zero", buf, "   0.00");
	format_timer(buf, sizeof(buf), 1.26);
	check_str("timer hundredths", buf, "   1.26");
	format_timer(buf, sizeof(buf), 282.719);
	check_str("timer truncates", buf, " 282.71");
	format_timer(buf, sizeof(buf), 12345.5);
	check_str("timer wide", buf, "12345.50");

	json_escape(buf, sizeof(buf), "a\"b\\c\n");
	check_str("json escape", buf, "a\\\"b\\\\c\\u000a");
	json_escape(buf, 8, "abcdefghij");
	check_str("json escape truncates", buf, "a");

	json = false;
	capture(emit_show, buf, sizeof(buf));
	check_str("text output", buf, "kb0\t\tno\t\ta\"bc\n");

	json = true;
	capture(emit_show, buf, sizeof(buf));
	check_str("json output", buf,
		  "[{\"ifname\":\"kb0\",\"ifindex\":7,\"stp_enabled\":false,"
		  "\"interfaces\":[\"a\\\"b\",\"c\"]},{}]\n");

	capture(emit_show, buf, sizeof(buf));
	check_str("json output twice", buf,
		  "[{\"ifname\":\"kb0\",\"ifindex\":7,\"stp_enabled\":false,"
		  "\"interfaces\":[\"a\\\"b\",\"c\"]},{}]\n");
	json = false;

	capture(json_begin, buf, sizeof(buf));
	check_str("no json, no brackets", buf, "");

	printf("# %d passed, %d failed\n", n_tests - n_failed, n_failed);
	return n_failed ? 1 : 0;
}
