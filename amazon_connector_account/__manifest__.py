# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Amazon Connector - Accounting",
    "summary": "Invoice Amazon orders with the right VAT, refunds as credit notes, "
    "returns back to stock",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/amazon-connector/odoo-amazon-connector",
    "author": "The Amazon Connector Authors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["amazon_connector_sale", "account"],
    "external_dependencies": {"python": ["python-amazon-sp-api"]},
    "data": [
        "security/amazon_connector_account_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/amazon_account_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/amazon_finance_transaction_views.xml",
        "views/amazon_return_views.xml",
        "views/amazon_settlement_views.xml",
        "views/amazon_connector_account_menus.xml",
        "views/amazon_settlement_mapping_views.xml",
        "views/amazon_settlement_booking_views.xml",
        "views/amazon_settlement_booking_menus.xml",
    ],
}
