# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Folding of region names, so that Amazon's ``stateOrRegion`` meets Odoo's states.

Plain functions (no model): the order importer calls them per address, memoised
per page.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
# words around a region's proper name that buyers add or leave out
_REGION_WORDS = re.compile(
    r"^(county|co|province of|provincia di|provincia de|region|land)\s+|"
    r"\s+(county|lan|province|provincia|region)$"
)


def fold_region(text):
    """Lower case, no accents, words separated by one space: ``Västerbottens län``
    gives ``vasterbottens lan``, ``Nordrhein-Westfalen`` ``nordrhein westfalen``."""
    text = unicodedata.normalize("NFKD", text or "").casefold()
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NON_WORD.sub(" ", text).strip()


def strip_region_words(folded):
    """``co cork`` gives ``cork``, ``vasterbottens lan`` gives ``vasterbottens``."""
    return _REGION_WORDS.sub("", folded).strip()


def region_keys(state, country_code):
    """Every folded spelling that names ``state``: its code with and without
    the country prefix, its name, each part of a bilingual name such as
    ``Alacant (Alicante)``, and the name without "county" or "län" (and without
    the Swedish genitive s: ``Västerbottens län`` is Västerbotten)."""
    keys = set()
    code = fold_region(state.code)
    keys.add(code)
    prefix = fold_region(country_code) + " "
    if code.startswith(prefix):
        keys.add(code[len(prefix) :])
    names = [state.name]
    names += re.findall(r"\(([^)]*)\)", state.name)
    names.append(re.sub(r"\s*\([^)]*\)", "", state.name))
    names += state.name.split("/")
    for name in names:
        folded = fold_region(name)
        if not folded:
            continue
        keys.add(folded)
        stripped = strip_region_words(folded)
        keys.add(stripped)
        if country_code == "SE" and stripped.endswith("s"):
            keys.add(stripped[:-1])
    keys.discard("")
    return keys
