# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The error of an order whose data cannot make a correct sale order.

In a module of its own: the importer's part models use it and are loaded before
the service that composes them (``amazon_order_importer.py``).
"""


class AmazonOrderDataError(Exception):
    """The order's data cannot make a correct sale order (message in words)."""
