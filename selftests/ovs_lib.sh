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

# Open vSwitch for one network namespace, beside others and beside other
# scripts: each namespace's ovsdb-server and ovs-vswitchd run in it, with
# their database, sockets, pid files and logs in $TMPD/ovs-NS (OVS_RUNDIR
# and friends), so that each namespace is a host with its own OVS.  The
# openvswitch module stays loaded when they stop.
OVS_NS_LIST=()

# ovs_ns NS CMD...: CMD (ovs-vsctl, ovs-appctl, ovs-ofctl) talking to
# NS's daemons
ovs_ns()
{
	local d=$TMPD/ovs-$1

	shift
	env OVS_RUNDIR="$d" OVS_DBDIR="$d" OVS_LOGDIR="$d" OVS_SYSCONFDIR="$d" \
		timeout 30 "$@"
}

# ovs_ns_start NS: NS's daemons running (with an empty database)
ovs_ns_start()
{
	local d=$TMPD/ovs-$1

	mkdir -p "$d" && modprobe openvswitch || return 1
	ovs_ns "$1" ovsdb-tool create "$d/conf.db" \
		/usr/share/openvswitch/vswitch.ovsschema || return 1
	OVS_NS_LIST+=("$1")
	ovs_ns "$1" ip netns exec "$1" ovsdb-server "$d/conf.db" \
		--remote=punix:"$d/db.sock" --pidfile --detach --log-file || return 1
	ovs_ns "$1" ovs-vsctl --no-wait init || return 1
	ovs_ns "$1" ip netns exec "$1" ovs-vswitchd --pidfile --detach --log-file
}

# ovs_ns_stop_all: every namespace's daemons gone (their datapaths too),
# before the namespaces go
ovs_ns_stop_all()
{
	local ns d pid

	for ns in "${OVS_NS_LIST[@]}"; do
		d=$TMPD/ovs-$ns
		ovs_ns "$ns" ovs-appctl -t ovs-vswitchd exit --cleanup 2>/dev/null
		ovs_ns "$ns" ovs-appctl -t ovsdb-server exit 2>/dev/null
		# one that did not answer
		for pid in "$d"/*.pid; do
			[ -e "$pid" ] && kill -KILL "$(<"$pid")" 2>/dev/null
		done
	done
	OVS_NS_LIST=()
}
