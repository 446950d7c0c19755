# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Amazon Connector - Orders",
    "summary": "Import Amazon seller and vendor orders as Odoo sale orders",
    "version": "18.0.1.0.4",
    "category": "Sales/Sales",
    "website": "https://github.com/amazon-connector/odoo-amazon-connector",
    "author": "The Amazon Connector Authors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["amazon_connector", "sale_stock"],
    "external_dependencies": {"python": ["python-amazon-sp-api", "phonenumbers"]},
    "data": [
        "security/amazon_connector_sale_security.xml",
        "security/ir.model.access.csv",
        "security/amazon_vendor_security.xml",
        "data/amazon_vendor_data.xml",
        "data/product_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/amazon_account_views.xml",
        "views/sale_order_views.xml",
        "views/amazon_order_failure_views.xml",
        "views/amazon_connector_sale_menus.xml",
        "views/amazon_vendor_order_views.xml",
        "views/amazon_vendor_time_range_views.xml",
        "views/amazon_vendor_account_views.xml",
        "views/account_move_views.xml",
        "views/amazon_outbox_message_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "amazon_connector_sale/static/tests/tours/*.js",
        ],
    },
}
