# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small helpers every addon of the connector reads Amazon's payloads with."""

from datetime import datetime, timezone


def parse_datetime(value):
    """Amazon's ISO 8601 time as a naive UTC datetime (Odoo's storage), or None.

    Amazon writes ``2026-03-01T10:00:00Z``, sometimes with fractions of a second
    or an offset (``+01:00``): the offset is applied, never dropped. Anything else
    (not text, empty, not a date) is None: the caller decides whether that is an
    error.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in "Zz":
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return parsed


def as_dict(value):
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value):
    """The JSON objects of ``value`` when it is a list, else an empty list."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]
