# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Globenet Hosting Subscriptions",
    "summary": "Recurring invoicing of hosting, virtual servers, modems and mailboxes",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://www.globenet.org",
    "author": "Globenet",
    "license": "AGPL-3",
    "depends": ["account", "l10n_fr_account"],
    "data": [
        "security/globenet_hosting_groups.xml",
        "security/ir.model.access.csv",
        "security/globenet_hosting_security.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron.xml",
        "wizards/hosting_subscription_close_views.xml",
        "wizards/hosting_subscription_preview_views.xml",
        "views/hosting_subscription_views.xml",
        "views/account_move_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/globenet_hosting_menus.xml",
    ],
    "demo": ["demo/hosting_subscription_demo.xml"],
    "installable": True,
}
