# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pages of orders generated from Amazon's own models, then poisoned (suite ``fuzz``).

Each order starts as an instance of the model's ``Order`` definition, drawn by
hypothesis-jsonschema from the Swagger 2.0 definition turned into JSON Schema
here (``$ref`` resolved inline). Most orders are then anchored (an id, dates,
marketplace, status and items the test database knows), so that the import
reaches its deeper steps instead of stopping at the first unknown value, and
mutated: NUL and control characters, 10,000-character strings, values of the
wrong JSON type, missing required fields, negative and huge amounts, unknown
currencies and marketplaces; a page may hold the same order twice.
"""

import copy
import functools

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from odoo.addons.amazon_connector.tests.spapi_models import load_model

# Swagger keys JSON Schema does not know (or that only slow the generator down).
_DROPPED_KEYS = {"description", "example", "examples", "readOnly", "discriminator"}
# Small arrays and texts keep generation fast; the mutations add the long ones.
MAX_ITEMS = 2
MAX_TEXT = 20

CONTROL_CHARACTERS = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\ud800"]
BIDI_CHARACTERS = ["\u202e", "\u2066", "\u200f"]
LONG_TEXT = "Ä" * 10_000
WRONG_VALUES = [None, 0, -1, 1.5, True, "", "text", [], [1, "x"], {}, {"a": None}]
HUGE_AMOUNTS = [
    "-1",
    "-99999999999.99",
    "99999999999999999999.99",
    "1e308",
    "NaN",
    "Infinity",
    "0.0000000001",
    -5,
    1e300,
]
UNKNOWN_CURRENCIES = ["XXX", "ZZZ", "", "€", "eur", "EURO", "\x00\x00\x00"]
UNKNOWN_MARKETPLACES = ["A00000000000ZZ", "", "APJ6JRA9NG5V4\x00", "x" * 300]
MUTATIONS = (
    "control",
    "long",
    "wrong_type",
    "missing",
    "amount",
    "currency",
    "marketplace",
    "bidi",
)


def _resolve(model, node, seen=()):
    """Swagger 2.0 definition -> JSON Schema: ``$ref`` inlined, recursion cut."""
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                return {}
            return _resolve(model, model["definitions"][name], (*seen, name))
        out = {
            key: _resolve(model, value, seen)
            for key, value in node.items()
            if key not in _DROPPED_KEYS and not key.startswith("x-")
        }
        if out.get("type") == "array":
            out["maxItems"] = min(out.get("maxItems", MAX_ITEMS), MAX_ITEMS)
            if out.get("minItems", 0) > MAX_ITEMS:
                out["minItems"] = MAX_ITEMS
        if out.get("type") == "string" and not {"enum", "pattern", "format"} & set(out):
            out["maxLength"] = min(out.get("maxLength", MAX_TEXT), MAX_TEXT)
            if out.get("minLength", 0) > out["maxLength"]:
                out["minLength"] = out["maxLength"]
        return out
    if isinstance(node, list):
        return [_resolve(model, value, seen) for value in node]
    return node


@functools.cache
def order_schema(api):
    """The JSON Schema of the ``Order`` definition of ``api``."""
    model = load_model(api)
    return _resolve(model, model["definitions"]["Order"])


@functools.cache
def order_strategy(api):
    return from_schema(order_schema(api))


def _paths(value, path=()):
    """Every path into a JSON value (the value itself included)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _get(value, path):
    for step in path:
        value = value[step]
    return value


def _set(value, path, new):
    _get(value, path[:-1])[path[-1]] = new


@st.composite
def mutated(draw, order):
    """``order`` with 0 to 3 mutations drawn from MUTATIONS."""
    order = copy.deepcopy(order)
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(MUTATIONS))
        paths = [p for p in _paths(order) if p]
        if not paths:
            break
        if kind in ("control", "long", "bidi"):
            texts = [p for p in paths if isinstance(_get(order, p), str)]
            if not texts:
                continue
            path = draw(st.sampled_from(texts))
            text = _get(order, path)
            if kind == "long":
                _set(order, path, LONG_TEXT)
                continue
            chars = CONTROL_CHARACTERS if kind == "control" else BIDI_CHARACTERS
            char = draw(st.sampled_from(chars))
            at = draw(st.integers(0, len(text)))
            _set(order, path, text[:at] + char + text[at:])
        elif kind == "wrong_type":
            path = draw(st.sampled_from(paths))
            # a copy: a later mutation must not change the shared constant
            _set(order, path, copy.deepcopy(draw(st.sampled_from(WRONG_VALUES))))
        elif kind == "missing":
            keyed = [p for p in paths if isinstance(p[-1], str)]
            if keyed:
                path = draw(st.sampled_from(keyed))
                del _get(order, path[:-1])[path[-1]]
        else:
            wanted = {
                "amount": "amount",
                "currency": "currencyCode",
                "marketplace": "marketplaceId",
            }[kind]
            targets = [p for p in paths if p[-1] == wanted]
            if not targets:
                continue
            values = {
                "amount": HUGE_AMOUNTS,
                "currency": UNKNOWN_CURRENCIES,
                "marketplace": UNKNOWN_MARKETPLACES,
            }[kind]
            _set(order, draw(st.sampled_from(targets)), draw(st.sampled_from(values)))
    return order


@st.composite
def pages(draw, api, anchor, good_order, id_key):
    """A page: one or two generated orders (anchored or not, then mutated), a
    known-good order, and sometimes a generated order twice (same id).

    :param anchor: fn(draw, order, index) -> order the test database can import
    :param good_order: fn(index) -> an order that imports on its own
    :param id_key: the top-level key of the order's id
    """
    index = draw(st.integers(0, 10**6))
    generated = []
    for position in range(draw(st.integers(1, 2))):
        order = draw(order_strategy(api))
        # Anchored unless drawn otherwise (hypothesis favours small choices:
        # anchoring is the simplest one, so most orders reach the deep steps).
        if draw(st.integers(0, 3)) != 3:
            order = anchor(draw, order, index * 10 + position)
        generated.append(draw(mutated(order)))
    page = [*generated, good_order(index * 10 + 9)]
    if draw(st.integers(0, 4)) == 0:
        twin = copy.deepcopy(generated[0])
        if isinstance(twin, dict) and draw(st.booleans()):
            twin = draw(mutated(twin))
            if isinstance(generated[0], dict) and id_key in generated[0]:
                twin[id_key] = generated[0][id_key]
        page.append(twin)
    return draw(st.permutations(page))
