# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers of the sale addon's imports.

What every importer does to an order Amazon sent before reading it.

Amazon's payloads are outside data: any byte sequence or shape may arrive
(issue 11, "one poisoned order stops every import"). PostgreSQL refuses text
holding a NUL character and UTF-8 cannot encode a lone surrogate (JSON allows
both), so such text would make the write that records the order's failure
raise outside the order's savepoint and stop the run. Here:

- :func:`clean_payload` replaces those characters, and the other control
  characters, in every text of a payload before it is read;
- :func:`usable_reference` says whether an order id can name a record;
- :func:`failure_reference` gives the stable, readable reference of a failure
  when it cannot (a digest of the id or of the whole payload).

Then the look-ups a page of orders shares, kept for the time of the page, and
small conversions between Amazon's vendor payloads and Odoo values.
"""

import hashlib
import json
import logging
import re

from odoo.exceptions import UserError
from odoo.tools import float_round

from odoo.addons.amazon_connector.exceptions import AmazonError
from odoo.addons.amazon_connector.utils import parse_datetime

from .buyer_text import MAX_NAME, strip_controls
from .const import MAX_REASON, PAGE_CACHE_KEY
from .exceptions import AmazonOrderDataError

_logger = logging.getLogger(__name__)

# C0 and C1 control characters but tab, line feed and carriage return, and the
# UTF-16 surrogates (never valid alone in text that PostgreSQL stores).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# What replaces them: visible, so that nobody mistakes the text for the original.
REPLACEMENT = "\ufffd"
# Deeper nesting than Amazon's models have is not data to read.
MAX_DEPTH = 32


def storable_text(text):
    """``text`` with NUL, control characters and lone surrogates replaced."""
    return _UNSAFE.sub(REPLACEMENT, text)


def clean_payload(value, keep=(), depth=0):
    """A copy of a decoded JSON payload whose texts PostgreSQL can store.

    :param keep: top-level keys left untouched (the order's id: an id holding
        such characters is no id, see :func:`usable_reference`)
    """
    if isinstance(value, str):
        return storable_text(value)
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {
            (storable_text(key) if isinstance(key, str) else key): (
                item if key in keep else clean_payload(item, depth=depth + 1)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [clean_payload(item, depth=depth + 1) for item in value]
    return value


def usable_reference(value, max_length=64):
    """The order id ``value`` stripped, or None when it cannot name a record.

    Amazon's ids are short printable text: anything else (not text, empty, too
    long to be Amazon's, holding control or invisible formatting characters)
    would either break the write or make two different orders look alike.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > max_length or not text.isprintable():
        return None
    if REPLACEMENT in text:
        return None
    return text


def failure_reference(value, document, max_length=64):
    """A stable, readable reference for the failure record of an order.

    The order's id when usable; else a digest of the id when it is text (the
    same poisoned id finds the same failure on every run and in every worker,
    whatever else changed in the order), else of the whole payload. A digest,
    not ``hash()``: str hashes change with every process (PYTHONHASHSEED).
    """
    reference = usable_reference(value, max_length)
    if reference:
        return reference
    if isinstance(value, str) and value:
        source = value.encode("utf-8", "surrogatepass")
    else:
        source = json.dumps(document, sort_keys=True, default=str).encode()
    return "unknown-%s" % hashlib.sha1(source, usedforsecurity=False).hexdigest()


def failure_reason(env, error):
    """Why an order failed, in words, storable whatever the payload held.

    The data errors say it themselves; an error of the code reading a payload of
    another shape or with unreadable values says so; anything else is logged with
    its traceback and named.
    """
    if isinstance(error, AmazonOrderDataError | UserError | AmazonError):
        text = str(error.args[0] if error.args else error)
    elif isinstance(error, AttributeError | TypeError | KeyError | IndexError):
        text = env._(
            "Amazon sent a part of the order in another shape than its model "
            "says (%(error)s).",
            error=error,
        )
    elif isinstance(error, ValueError | OverflowError):
        text = env._(
            "Amazon sent a value that cannot be read (%(error)s).", error=error
        )
    else:
        _logger.error("Unexpected error importing an Amazon order", exc_info=error)
        text = env._(
            "Unexpected error (%(type)s): %(error)s",
            type=type(error).__name__,
            error=error,
        )
    return storable_text(text[:MAX_REASON])


# --- a page of orders ---------------------------------------------------------
def page_cache(env):
    """Look-ups prefetched for the page being imported, None outside a page.

    Kept on the cursor (``cr.cache``), not in the context: it must not follow
    the records created during the page.
    """
    return env.cr.cache.get(PAGE_CACHE_KEY)


def page_memo(env, kind, key, compute):
    """``compute()`` once per page for (kind, key), each time outside a page.

    Only for look-ups of reference data (countries, states, currencies):
    nothing the page itself creates, which a rollback could take back.
    """
    page = page_cache(env)
    if page is None:
        return compute()
    memo = page.setdefault("memo", {}).setdefault(kind, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def noted_text(env, value, field_label, notes, limit=MAX_NAME):
    """A printable single-line string, cut at ``limit`` (the cut is noted).

    :param notes: list of the order's import notes, appended to
    """
    if value is None or value is False:
        return ""
    if not isinstance(value, str | int | float):
        notes.append(env._("%s was not text and was ignored.", field_label))
        return ""
    text = strip_controls(value)
    if len(text) > limit:
        notes.append(
            env._(
                "%(field)s was cut to %(limit)s characters.",
                field=field_label,
                limit=limit,
            )
        )
        text = text[:limit]
    return text


# --- vendor payloads ----------------------------------------------------------
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
