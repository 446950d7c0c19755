# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every importer does to an order Amazon sent before reading it.

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
"""

import hashlib
import json
import re

# C0 and C1 control characters but tab, line feed and carriage return, and the
# UTF-16 surrogates (never valid alone in text that PostgreSQL stores).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# What replaces them: visible, so that nobody mistakes the text for the original.
REPLACEMENT = "\ufffd"
# Deeper nesting than Amazon's models have is not data to read.
MAX_DEPTH = 32


def clean_text(text):
    """``text`` with NUL, control characters and lone surrogates replaced."""
    return _UNSAFE.sub(REPLACEMENT, text)


def clean_payload(value, keep=(), depth=0):
    """A copy of a decoded JSON payload whose texts PostgreSQL can store.

    :param keep: top-level keys left untouched (the order's id: an id holding
        such characters is no id, see :func:`usable_reference`)
    """
    if isinstance(value, str):
        return clean_text(value)
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {
            (clean_text(key) if isinstance(key, str) else key): (
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
