// SPDX-License-Identifier: GPL-2.0
/*
 * kbridge module init and exit: what is registered, in which order, and
 * how it is undone.
 */

#include <linux/module.h>
#include <net/rtnetlink.h>

#include "kbr_private.h"

static int __init kbr_init(void)
{
	int err;

	err = kbr_fdb_init();
	if (err)
		return err;

	err = kbr_port_notifier_init();
	if (err)
		goto err_fdb_exit;

	err = rtnl_link_register(&kbr_link_ops);
	if (err)
		goto err_unregister_notifier;

	err = kbr_nl_init();
	if (err)
		goto err_unregister_link;

	pr_info("loaded, version %s\n", KBR_VERSION);
	return 0;

err_unregister_link:
	rtnl_link_unregister(&kbr_link_ops);
err_unregister_notifier:
	kbr_port_notifier_exit();
err_fdb_exit:
	kbr_fdb_exit();
	return err;
}

static void __exit kbr_exit(void)
{
	/* No new bridge from kbrctl once the family is gone ... */
	kbr_nl_exit();
	/* ... then every bridge left, in every namespace, is deleted ... */
	rtnl_link_unregister(&kbr_link_ops);
	/* ... so no port is left to follow ... */
	kbr_port_notifier_exit();
	/* ... and every FDB entry has been handed to call_rcu(). */
	rcu_barrier();
	kbr_fdb_exit();
	pr_debug("unloaded\n");
}

module_init(kbr_init);
module_exit(kbr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kbridge: a learning Ethernet bridge with STP and VLAN filtering");
MODULE_VERSION(KBR_VERSION);
MODULE_ALIAS_RTNL_LINK(KBR_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(KBR_GENL_NAME);
