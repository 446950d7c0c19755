# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Amazon Connector",
    "summary": "Amazon Seller and Vendor Central accounts, marketplaces, listings "
    "and the Selling Partner API seam",
    "version": "18.0.1.0.2",
    "category": "Sales/Sales",
    "website": "https://github.com/amazon-connector/odoo-amazon-connector",
    "author": "The Amazon Connector Authors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["mail", "product", "sales_team"],
    "external_dependencies": {"python": ["python-amazon-sp-api"]},
    "data": [
        "security/amazon_connector_security.xml",
        "security/ir.model.access.csv",
        "data/amazon_marketplace_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/amazon_marketplace_views.xml",
        "views/amazon_account_views.xml",
        "views/amazon_sync_log_views.xml",
        "views/amazon_connector_menus.xml",
        "security/amazon_listing_security.xml",
        "data/amazon_listing_cron_data.xml",
        "views/amazon_listing_views.xml",
        "views/amazon_sku_recode_views.xml",
        "views/amazon_sale_list_views.xml",
        "views/product_template_views.xml",
        "wizards/amazon_listing_bind_views.xml",
        "wizards/amazon_sku_recode_import_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "amazon_connector/static/src/sync_progress_service.js",
        ],
        "web.assets_tests": [
            "amazon_connector/static/tests/tours/*.js",
        ],
    },
}
