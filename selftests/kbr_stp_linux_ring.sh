#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1D reference: the ring of stp_lib.sh built of Linux bridges with
# the same ids, timers and costs converges to the same tree and fails
# over within the same bounds as kbridge's.

ALL_TESTS="
	interop_linux_ring
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

interop_linux_ring()
{
	interop lb lb lb
	log_test "reference: an all-Linux ring, same ids: root s1, p32 blocked"
}

stp_run
