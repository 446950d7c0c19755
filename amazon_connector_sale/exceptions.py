# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The errors of the sale addon's imports."""


class AmazonOrderDataError(Exception):
    """The order's data cannot make a correct sale order (message in words)."""
