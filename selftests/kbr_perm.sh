#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Privileges: changing bridges needs CAP_NET_ADMIN in the user namespace
# that owns the network namespace; reading does not.
#
#   netns NS: kbp0 (made by root)
#   nobody in NS: addbr/delbr refused, show allowed
#   nobody in a user namespace of its own with a netns of its own: root
#   there, may manage bridges there and sees nothing of NS

ALL_TESTS="
	nobody_addbr
	nobody_delbr
	nobody_show
	userns_own_netns
"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_cmd setpriv

NS=kbr-perm-$$

nsx()
{
	ip netns exec "$NS" "$@"
}

nobody()
{
	nsx setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

nobody_addbr()
{
	expect_output "addbr as nobody" 1 "" \
		"add bridge failed: Operation not permitted" \
		nobody kbrctl addbr kbp1
	nsx ip link show kbp1 >/dev/null 2>&1
	check_fail $? "nobody created kbp1"
	log_test "addbr without CAP_NET_ADMIN: EPERM"
}

nobody_delbr()
{
	expect_output "delbr as nobody" 1 "" \
		"can't delete bridge kbp0: Operation not permitted" \
		nobody kbrctl delbr kbp0
	nsx ip link show kbp0 >/dev/null 2>&1
	check_err $? "nobody deleted kbp0"
	log_test "delbr without CAP_NET_ADMIN: EPERM"
}

nobody_show()
{
	nobody kbrctl -j show | jq -e '[.[].ifname] == ["kbp0"]' >/dev/null
	check_err $? "nobody cannot list bridges"
	nobody kbrctl show kbp0 | grep -q $'^kbp0\t'
	check_err $? "nobody cannot show kbp0"
	log_test "show without CAP_NET_ADMIN"
}

userns_own_netns()
{
	local out

	if ! nobody unshare -Urn true 2>/dev/null; then
		log_skip "unprivileged user namespaces disabled" \
			"root of a user namespace manages its own bridges"
		return
	fi
	out=$(nobody unshare -Urn sh -c \
		'kbrctl addbr kbu0 && kbrctl -j show && kbrctl delbr kbu0 && kbrctl -j show')
	check_err $? "addbr/delbr in an own user+net namespace failed"
	[ "$out" == $'[{"ifname":"kbu0","ifindex":2,"bridge_id":"'"$(echo "$out" | head -n1 | jq -r '.[0].bridge_id')"$'","stp_enabled":false,"interfaces":[]}]\n[]' ]
	check_err $? "unexpected view from the user namespace: $out"

	# Its namespace of its own only: NS's bridge is out of sight.
	out=$(nobody unshare -Urn kbrctl delbr kbp0 2>&1)
	check_fail $? "a user namespace deleted a bridge of another netns"
	nsx ip link show kbp0 >/dev/null 2>&1
	check_err $? "kbp0 is gone"
	log_test "root of a user namespace manages its own bridges"
}

cleanup()
{
	lib_cleanup
}
trap cleanup EXIT

ns_create "$NS"
nsx kbrctl addbr kbp0
tests_run
