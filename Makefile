# SPDX-License-Identifier: GPL-2.0
#
# kbridge: the module (kmod/kbridge.ko), the tool (userspace/kbrctl), and
# the ways to check them.  "make help" lists the targets.

# The kernel to build against: the newest /lib/modules/*/build that has a
# matching /boot/vmlinuz-* (the build host's own kernel is often another).
KDIR ?= $(shell for d in $$(ls -d /lib/modules/*/build 2>/dev/null | sort -rV); do \
		r=$$(basename $${d%/build}); \
		if [ -e /boot/vmlinuz-$$r ]; then echo $$d; break; fi; done)
KBR_VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)
export KBR_VERSION

CHECKPATCH ?= $(firstword $(wildcard scripts/checkpatch.pl /var/cache/kbridge/checkpatch/checkpatch.pl))

all: module tool

module:
	@test -n "$(KDIR)" || { echo "no kernel build tree found: install linux-headers-amd64 or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C userspace VERSION=$(KBR_VERSION)

# "make install": the module for KDIR's kernel (KVER) in
# /lib/modules/KVER/extra, then depmod; kbrctl and its man page under
# PREFIX, its bash completion, and QEMU's tap scripts, the libvirt
# hook and the ifupdown hook in PREFIX/libexec/kbridge (the last linked
# from SYSCONFDIR/network/if-pre-up.d and if-post-down.d) ("make install-tool": those alone, beside
# DKMS's module).
# DESTDIR stages it all elsewhere (no depmod then: a package's scripts
# run it).  The uninstall targets take the same variables.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
HOOKDIR ?= $(PREFIX)/libexec/kbridge
HOOKS = qemu-ifup-kbridge qemu-ifdown-kbridge libvirt-hook ifupdown
SYSCONFDIR ?= /etc
IFUPDOWN_LINKS = $(addprefix $(DESTDIR)$(SYSCONFDIR)/network/, \
	if-pre-up.d/kbridge if-post-down.d/kbridge)
# (For a KDIR elsewhere, set KVER too.)
KVER ?= $(notdir $(patsubst %/build,%,$(KDIR)))
MODDIR = $(DESTDIR)/lib/modules/$(KVER)/extra

install: all install-tool
	install -D -m 0644 kmod/kbridge.ko $(MODDIR)/kbridge.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

install-tool: tool
	install -D -m 0755 userspace/kbrctl $(DESTDIR)$(SBINDIR)/kbrctl
	install -D -m 0644 userspace/kbrctl.8 $(DESTDIR)$(MANDIR)/man8/kbrctl.8
	install -D -m 0644 userspace/kbrctl.bash-completion \
		$(DESTDIR)$(BASHCOMPDIR)/kbrctl
	install -d $(DESTDIR)$(HOOKDIR)
	install -m 0755 $(addprefix userspace/hooks/,$(HOOKS)) $(DESTDIR)$(HOOKDIR)/
	# Never over another's link (the kbrctl package's, say).
	for l in $(IFUPDOWN_LINKS); do \
		if [ -e "$$l" ] || [ -L "$$l" ]; then \
			[ "$$(readlink "$$l")" = $(HOOKDIR)/ifupdown ] && continue; \
			echo "$$l is not ours: left alone" >&2; continue; \
		fi; \
		install -d "$$(dirname "$$l")" && \
		ln -s $(HOOKDIR)/ifupdown "$$l" || exit 1; \
	done

uninstall: uninstall-tool
	rm -f $(MODDIR)/kbridge.ko
	-rmdir $(MODDIR) 2>/dev/null
	$(if $(DESTDIR),,depmod -a $(KVER))

uninstall-tool:
	rm -f $(DESTDIR)$(SBINDIR)/kbrctl $(DESTDIR)$(MANDIR)/man8/kbrctl.8 \
		$(DESTDIR)$(BASHCOMPDIR)/kbrctl \
		$(addprefix $(DESTDIR)$(HOOKDIR)/,$(HOOKS))
	for l in $(IFUPDOWN_LINKS); do \
		[ "$$(readlink "$$l")" != $(HOOKDIR)/ifupdown ] || rm -f "$$l"; \
	done
	-rmdir $(DESTDIR)$(HOOKDIR) 2>/dev/null

# DKMS: the module's sources in /usr/src/kbridge-VERSION (dkms.conf's
# version), built and installed by DKMS for every kernel with headers,
# and rebuilt for kernels installed later.  Nothing of this tree's own
# build goes there.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_SRC = $(DESTDIR)/usr/src/kbridge-$(DKMS_VERSION)
KMOD_SOURCES = $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h))

dkms-source:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/kmod $(DKMS_SRC)/uapi/linux
	install -m 0644 dkms.conf Kbuild $(DKMS_SRC)/
	install -m 0644 kmod/Kbuild $(KMOD_SOURCES) $(DKMS_SRC)/kmod/
	install -m 0644 uapi/linux/*.h $(DKMS_SRC)/uapi/linux/

# Neither target touches a kbridge that the kbridge-dkms package put
# there, nor dkms-install one that is in DKMS already.
DKMS_OURS = if dpkg -S /usr/src/kbridge-$(DKMS_VERSION) >/dev/null 2>&1; then \
		echo "kbridge $(DKMS_VERSION) belongs to the kbridge-dkms package: use dpkg" >&2; \
		exit 1; fi

dkms-install:
	@$(DKMS_OURS)
	@if dkms status kbridge/$(DKMS_VERSION) 2>/dev/null | grep -q .; then \
		echo "kbridge $(DKMS_VERSION) is in DKMS already: make dkms-uninstall first" >&2; \
		exit 1; fi
	$(MAKE) dkms-source DESTDIR=
	dkms add kbridge/$(DKMS_VERSION)
	for b in /lib/modules/*/build; do \
		[ -e "$$b/Makefile" ] || continue; \
		k=$$(basename $${b%/build}); \
		dkms install kbridge/$(DKMS_VERSION) -k $$k || exit 1; \
	done

dkms-uninstall:
	@$(DKMS_OURS)
	-dkms remove kbridge/$(DKMS_VERSION) --all
	rm -rf /usr/src/kbridge-$(DKMS_VERSION)

# Debian packages kbridge-dkms and kbrctl (debian/), built from this
# tree's sources (tracked or new, not ignored: no build product) in
# .build-deb/, where the .debs land.
deb:
	rm -rf .build-deb
	mkdir -p .build-deb/kbridge-$(DKMS_VERSION)
	git ls-files -co --exclude-standard | \
		tar -cf - -T - | tar -xf - -C .build-deb/kbridge-$(DKMS_VERSION)
	cd .build-deb/kbridge-$(DKMS_VERSION) && dpkg-buildpackage -us -uc -b

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
	$(MAKE) -C kmod/tests clean
	rm -rf selftests/.results .build-debug .build-deb

# Host-side unit tests (no kernel), then every selftest in one guest;
# T='kbr_stp_ring.sh kbr_vlan.sh' runs only those selftests.
check: all
	scripts/check $(T)

# The same selftests on the debug kernel (KASAN, lockdep, kmemleak; built
# once by scripts/build-debug-kernel and cached), kbridge built against it.
check-debug: tool
	scripts/check --debug $(T)

# A guest running a demo switch, or with SCENARIO= one of the VM host
# networks (scripts/demo-net).
demo: all
	@scripts/demo --check $(SCENARIO)
	scripts/vm-run -- $(CURDIR)/scripts/demo $(SCENARIO)

# The fuzzers, long: 200,000 netlink requests, 100,000 frames a run.
FUZZ_MESSAGES ?= 200000
FUZZ_FRAMES ?= 100000
fuzz: all
	$(MAKE) -s -C selftests all
	scripts/vm-run --timeout 3600 -- env \
		KBR_FUZZ_MESSAGES=$(FUZZ_MESSAGES) KBR_FUZZ_FRAMES=$(FUZZ_FRAMES) \
		KBR_TEST_TIMEOUT=3500 $(CURDIR)/selftests/run.sh kbr_fuzz.sh

# Faults under load, long: 5 minutes of concurrent changes under a flood,
# 1,000 bridges, 256 ports on one bridge, then rmmod under all of it; and
# a MAC flood of 5,000,000 frames from random sources against the cap.
STRESS_SECONDS ?= 300
STRESS_MACFLOOD ?= 5000000
stress: all
	scripts/vm-run --timeout 3600 -- env \
		KBR_STRESS_SECONDS=$(STRESS_SECONDS) KBR_STRESS_BRIDGES=1000 \
		KBR_STRESS_PORTS=256 KBR_MACFLOOD_FRAMES=$(STRESS_MACFLOOD) \
		KBR_TEST_TIMEOUT=3500 \
		$(CURDIR)/selftests/run.sh kbr_stress.sh kbr_fdb_flood.sh

# Benchmarks (report, never fail on speed): kbridge beside a bare veth
# path, a null forwarder, the Linux bridge and Open vSwitch in one guest
# boot with deterministic guest time; results in bench/results/.
bench: all
	scripts/bench

bench-quick: all
	scripts/bench --quick

lint:
	scripts/lint

help:
	@echo "targets: all module tool install uninstall install-tool uninstall-tool"
	@echo "         dkms-install dkms-uninstall deb"
	@echo "         clean check check-debug demo [SCENARIO=nat...] fuzz stress bench"
	@echo "         bench-quick lint"
	@echo "KDIR=$(KDIR)"

.PHONY: all module tool install uninstall install-tool uninstall-tool \
	dkms-source dkms-install deb \
	dkms-uninstall clean check check-debug demo fuzz stress bench \
	bench-quick lint help
