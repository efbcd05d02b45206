#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1D interop: the ring of stp_lib.sh with a Linux bridge as s2,
# kbridges s1 (the root) and s3: same tree, same failover.

ALL_TESTS="
	interop_linux_nonroot
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

interop_linux_nonroot()
{
	interop kb lb kb
	log_test "interop: a Linux bridge in the ring, kbridge the root"
}

stp_run
