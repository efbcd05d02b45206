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

	err = rtnl_link_register(&kbr_link_ops);
	if (err)
		return err;

	err = kbr_nl_init();
	if (err)
		goto err_unregister_link;

	pr_info("loaded, version %s\n", KBR_VERSION);
	return 0;

err_unregister_link:
	rtnl_link_unregister(&kbr_link_ops);
	return err;
}

static void __exit kbr_exit(void)
{
	/* No new bridge from kbrctl once the family is gone ... */
	kbr_nl_exit();
	/* ... then every bridge left, in every namespace, is deleted. */
	rtnl_link_unregister(&kbr_link_ops);
	pr_debug("unloaded\n");
}

module_init(kbr_init);
module_exit(kbr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kbridge: a learning Ethernet bridge with STP and VLAN filtering");
MODULE_VERSION(KBR_VERSION);
MODULE_ALIAS_RTNL_LINK(KBR_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(KBR_GENL_NAME);
