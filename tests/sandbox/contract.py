"""Amazon's SP-API models as the sandbox's contract.

Loads the Swagger 2.0 models from ``tests/spapi-models`` (or the directory in
the ``SPAPI_MODELS_DIR`` environment variable), reads the usage plans (rate and
burst) out of the operation descriptions, and validates request bodies with a
small Swagger-subset validator (standard library only, so the sandbox itself has
no third-party dependency).
"""

import json
import os
import re
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

MODELS_DIR = Path(
    os.environ.get(
        "SPAPI_MODELS_DIR",
        Path(__file__).resolve().parents[1] / "spapi-models",
    )
)

# api key -> model file
MODEL_FILES = {
    "orders-2026": "orders_2026-01-01.json",
    "orders-v0": "ordersV0.json",
    "sellers": "sellers.json",
    "tokens": "tokens_2021-03-01.json",
    "listings": "listingsItems_2021-08-01.json",
    "feeds": "feeds_2021-06-30.json",
    "fba-inventory": "fbaInventory.json",
    "vendor-orders": "vendorOrders.json",
    "vendor-df-orders": "vendorDirectFulfillmentOrders_2021-12-28.json",
    "vendor-df-shipping": "vendorDirectFulfillmentShipping_2021-12-28.json",
    "vendor-invoices": "vendorInvoices.json",
    "vendor-transaction-status": "vendorTransactionStatus.json",
    "vendor-df-transactions": "vendorDirectFulfillmentTransactions_2021-12-28.json",
    "vendor-df-payments": "vendorDirectFulfillmentPaymentsV1.json",
    "vendor-df-inventory": "vendorDirectFulfillmentInventoryV1.json",
    "finances-2024": "finances_2024-06-19.json",
    "finances-v0": "financesV0.json",
    "transfers": "transfers_2024-06-01.json",
    "finances-invoices": "financesInvoices_2026-06-25.json",
    "reports": "reports_2021-06-30.json",
}

# Fallback usage plans (rate per second, burst), used when the models are absent.
# Values are the models' own: the "Usage Plan" table in each operation's
# description (amzn/selling-partner-api-models on GitHub).
FALLBACK_USAGE = {
    ("orders-2026", "searchOrders"): (0.0056, 20),
    ("orders-2026", "getOrder"): (0.5, 30),
    ("orders-v0", "getOrders"): (0.0167, 20),
    ("orders-v0", "getOrder"): (0.5, 30),
    ("orders-v0", "getOrderItems"): (0.5, 30),
    ("orders-v0", "getOrderAddress"): (0.5, 30),
    ("orders-v0", "getOrderBuyerInfo"): (0.5, 30),
    ("orders-v0", "confirmShipment"): (2.0, 10),
    ("orders-v0", "updateShipmentStatus"): (5.0, 15),
    ("sellers", "getMarketplaceParticipations"): (0.016, 15),
    ("tokens", "createRestrictedDataToken"): (1.0, 10),
    ("listings", "getListingsItem"): (5.0, 10),
    ("listings", "putListingsItem"): (5.0, 10),
    ("listings", "patchListingsItem"): (5.0, 5),
    ("listings", "deleteListingsItem"): (5.0, 5),
    ("feeds", "createFeed"): (0.0083, 15),
    ("feeds", "getFeed"): (2.0, 15),
    ("feeds", "createFeedDocument"): (0.5, 15),
    ("feeds", "getFeedDocument"): (0.0222, 10),
    ("finances-2024", "listTransactions"): (0.5, 10),
    ("finances-v0", "listFinancialEventGroups"): (0.5, 30),
    ("transfers", "listPayouts"): (0.5, 10),
    # financesInvoices_2026-06-25.json publishes no usage plan: the Finances API's.
    ("finances-invoices", "getInvoiceHeaders"): (0.5, 10),
    ("finances-invoices", "getInvoice"): (0.5, 10),
    ("reports", "createReport"): (0.0167, 15),
    ("reports", "getReport"): (2.0, 15),
    ("reports", "getReportDocument"): (0.0167, 15),
    ("fba-inventory", "getInventorySummaries"): (2.0, 2),
}

_USAGE_RE = re.compile(r"\|\s*([0-9.]+)\s*\|\s*([0-9]+)\s*\|")


def models_available():
    return MODELS_DIR.is_dir()


@cache
def load_model(api):
    with open(MODELS_DIR / MODEL_FILES[api], encoding="utf-8") as fh:
        return json.load(fh)


def find_operation(api, operation_id):
    """Return (path, method, operation dict) of an operation in its model."""
    model = load_model(api)
    for path, item in model["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return path, method, op
    raise KeyError(f"{api}.{operation_id}")


@cache
def usage_plan(api, operation_id):
    """(rate, burst) of an operation, read from the model's Usage Plan table."""
    if models_available():
        try:
            _path, _method, op = find_operation(api, operation_id)
        except KeyError:
            op = None
        match = op and _USAGE_RE.search(op.get("description", ""))
        if match:
            return float(match.group(1)), int(match.group(2))
    return FALLBACK_USAGE.get((api, operation_id), (10.0, 10))


def body_schema(api, operation_id):
    if not models_available():
        return None
    _path, _method, op = find_operation(api, operation_id)
    for param in op.get("parameters", []):
        if param.get("in") == "body":
            return param["schema"]
    return None


def _resolve(schema, defs):
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def parse_datetime(value):
    """Parse an ISO 8601 date-time; return an aware UTC datetime or None."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
}


def _check_type(instance, expected):
    if expected == "integer":
        return isinstance(instance, int) and not isinstance(instance, bool)
    if expected == "number":
        return isinstance(instance, (int, float)) and not isinstance(instance, bool)
    cls = _TYPES.get(expected)
    return cls is None or isinstance(instance, cls)


def _validate_object(instance, schema, defs, where, errors):
    for name in schema.get("required", []):
        if name not in instance:
            errors.append(f"{where}.{name} is required")
    props = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    for key, value in instance.items():
        if key in props:
            validate(value, props[key], defs, f"{where}.{key}", errors)
        elif isinstance(extra, dict):
            validate(value, extra, defs, f"{where}.{key}", errors)


def _validate_array(instance, schema, defs, where, errors):
    if "minItems" in schema and len(instance) < schema["minItems"]:
        errors.append(f"{where} needs at least {schema['minItems']} items")
    if "maxItems" in schema and len(instance) > schema["maxItems"]:
        errors.append(f"{where} allows at most {schema['maxItems']} items")
    if "items" in schema:
        for index, item in enumerate(instance):
            validate(item, schema["items"], defs, f"{where}[{index}]", errors)


def _validate_scalar(instance, schema, where, errors):
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{where} must be one of {schema['enum']}")
    if isinstance(instance, str):
        if schema.get("format") == "date-time" and parse_datetime(instance) is None:
            errors.append(f"{where} must be an ISO 8601 date-time")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            errors.append(f"{where} does not match {schema['pattern']}")
    elif isinstance(instance, (int, float)):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{where} must be >= {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{where} must be <= {schema['maximum']}")


def validate(instance, schema, defs, where="body", errors=None):
    """Validate ``instance`` against a Swagger 2.0 schema; return error strings."""
    if errors is None:
        errors = []
    schema = _resolve(schema, defs)
    expected = schema.get("type")
    if expected and not _check_type(instance, expected):
        errors.append(f"{where} must be of type {expected}")
        return errors
    if isinstance(instance, dict):
        _validate_object(instance, schema, defs, where, errors)
    elif isinstance(instance, list):
        _validate_array(instance, schema, defs, where, errors)
    else:
        _validate_scalar(instance, schema, where, errors)
    return errors


def validate_body(api, operation_id, body):
    """Validate a request body against the operation's model; [] when valid."""
    schema = body_schema(api, operation_id)
    if schema is None:
        return []
    return validate(body, schema, load_model(api)["definitions"])


def validate_definition(api, name, instance):
    defs = load_model(api)["definitions"]
    return validate(instance, defs[name], defs, name)
