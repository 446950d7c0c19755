# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Amazon Connector - Stock and Fulfilment",
    "summary": "Confirm shipments to Amazon, push FBM quantities, import FBA inventory",
    "version": "18.0.1.0.1",
    "category": "Inventory/Inventory",
    "website": "https://github.com/amazon-connector/odoo-amazon-connector",
    "author": "The Amazon Connector Authors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["amazon_connector_sale", "sale_stock", "stock_delivery"],
    "external_dependencies": {"python": ["python-amazon-sp-api"]},
    "data": [
        "security/amazon_connector_stock_security.xml",
        "security/ir.model.access.csv",
        "data/amazon_carrier_data.xml",
        "data/ir_cron_data.xml",
        "views/amazon_carrier_views.xml",
        "views/stock_picking_views.xml",
        "views/amazon_listing_views.xml",
        "views/amazon_stock_feed_views.xml",
        "views/amazon_fba_inventory_views.xml",
        "views/amazon_account_views.xml",
        "views/amazon_connector_stock_menus.xml",
    ],
}
