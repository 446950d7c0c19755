# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small conversions between Amazon's vendor payloads and Odoo values."""

from datetime import datetime, timezone

from odoo.tools import float_round


def parse_datetime(value):
    """Amazon ISO-8601 date-time (``2019-08-20T15:51:00Z``) to naive UTC, or None.

    :raise ValueError: when the text is not an ISO-8601 date-time.
    """
    if not value:
        return None
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def parse_window(value):
    """A vendor ``DateTimeInterval`` (``start--end``) to a (start, end) pair."""
    if not value or "--" not in value:
        return None, None
    start, end = value.split("--", 1)
    return parse_datetime(start), parse_datetime(end)


def to_iso(value):
    """Naive UTC datetime to the ISO-8601 text Amazon expects (``...Z``)."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def parse_amount(money):
    """Amount of an Amazon ``Money`` (a decimal string) as float; 0 when absent.

    :raise ValueError: when the amount is not a number.
    """
    amount = (money or {}).get("amount")
    return float(amount) if amount not in (None, "") else 0.0


def money(amount, currency):
    """An Amazon ``Money`` dict with the amount rounded to the currency."""
    digits = currency.decimal_places
    return {
        "currencyCode": currency.name,
        "amount": f"{float_round(amount, precision_digits=digits):.{digits}f}",
    }


def decimal_text(value):
    """A number as Amazon's ``Decimal`` string, without trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"
