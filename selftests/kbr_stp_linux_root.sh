#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 802.1D interop: the ring of stp_lib.sh with a Linux bridge as s1, the
# root, of kbridges s2 and s3: same tree, same failover.

ALL_TESTS="
	interop_linux_root
"

# shellcheck source=stp_lib.sh
source "$(dirname "$0")/stp_lib.sh"

interop_linux_root()
{
	interop lb kb kb
	log_test "interop: a Linux bridge the root of kbridges"
}

stp_run
