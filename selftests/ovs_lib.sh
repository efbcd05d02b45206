#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Open vSwitch's daemons in a test or benchmark guest, whose root file
# system is read-only: a fresh database on a tmpfs, ovsdb-server and
# ovs-vswitchd in the calling namespace.  Sourced by kbr_rstp_ovs.sh and
# bench/guest.sh.

# ovs_start: the daemons running, the openvswitch module loaded
ovs_start()
{
	mountpoint -q /etc/openvswitch ||
		mount -t tmpfs tmpfs /etc/openvswitch || return 1
	mkdir -p /var/run/openvswitch /var/log/openvswitch
	rm -f /etc/openvswitch/conf.db
	ovsdb-tool create /etc/openvswitch/conf.db \
		/usr/share/openvswitch/vswitch.ovsschema || return 1
	# (their log lines go to /var/log/openvswitch, not to the console)
	ovsdb-server --remote=punix:/var/run/openvswitch/db.sock \
		--pidfile --detach --log-file 2>/dev/null || return 1
	ovs-vsctl --no-wait init || return 1
	modprobe openvswitch || return 1
	ovs-vswitchd --pidfile --detach --log-file 2>/dev/null || return 1
}

# ovs_stop: the daemons gone, the module unloaded
ovs_stop()
{
	ovs-appctl -t ovs-vswitchd exit 2>/dev/null
	ovs-appctl -t ovsdb-server exit 2>/dev/null
	rmmod openvswitch 2>/dev/null
}
