# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Text a buyer typed, as Amazon sends it: one cleaning rule for every importer
(seller orders, vendor Retail parties, Direct Fulfillment end customers).

A buyer controls names, address lines, gift messages and the DF message to the
customer. Such text is:
- cut: Amazon's models (Orders 2026-01-01, Direct Fulfillment 2021-12-28)
  document no size for names and address lines, so 256 characters;
- stripped of control characters and of bidirectional controls (U+202A-U+202E,
  U+2066-U+2069, U+200E, U+200F, U+061C), which make a name display as other
  text (a right-to-left override turns "gpj.exe" into "exe.jpg");
- escaped whenever it reaches an Html field (partner notes, activities,
  messages): markup and external images (tracking beacons) stay text.
"""

import re

from markupsafe import Markup, escape

# Names and address lines: Amazon's models give no maximum length.
MAX_NAME = 256
# Free text (gift message, message to the customer).
MAX_MESSAGE = 2000
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# C0 and C1 control characters; a multi-line text keeps its line feeds.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def strip_controls(value, multiline=False):
    """``value`` as text without control or bidirectional characters.

    :return: str ("" for None, False or a value that is not text or a number)
    """
    if value is None or value is False or not isinstance(value, str | int | float):
        return ""
    text = _BIDI.sub("", str(value))
    if not multiline:
        return " ".join(_CONTROL.sub(" ", text).split())
    text = _CONTROL_MULTILINE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def clean_text(value, limit=MAX_NAME, multiline=False):
    """``value`` cleaned by :func:`strip_controls` and cut at ``limit``."""
    return strip_controls(value, multiline=multiline)[:limit]


def text_to_html(value, limit=MAX_MESSAGE):
    """Buyer text for an Html field: cleaned, cut, then escaped (never markup,
    and no link made of it: Odoo's ``plaintext2html`` would turn a URL into one).

    :return: markupsafe.Markup
    """
    lines = clean_text(value, limit, multiline=True).split("\n")
    return Markup("<p>%s</p>") % Markup("<br/>").join(escape(line) for line in lines)
