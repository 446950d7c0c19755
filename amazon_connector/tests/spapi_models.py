# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's SP-API models (``tests/spapi-models``) for the Odoo tests of every
addon: read by the one loader the sandbox uses (``tests/sandbox/contract.py``),
checked with ``jsonschema``.

The tests name a model by the API of the seam's operation names
(``vendorOrders`` in ``vendorOrders.submitAcknowledgement``).
"""

import jsonschema

from .sandbox_support import contract

# The seam's API names, to the sandbox contract's keys.
APIS = {
    "orders": "orders-2026",
    "ordersV0": "orders-v0",
    "sellers": "sellers",
    "listings": "listings",
    "feeds": "feeds",
    "fbaInventory": "fba-inventory",
    "finances": "finances-2024",
    "financesV0": "finances-v0",
    "transfers": "transfers",
    "financesInvoices": "finances-invoices",
    "reports": "reports",
    "vendorOrders": "vendor-orders",
    "vendorDfOrders": "vendor-df-orders",
    "vendorDfShipping": "vendor-df-shipping",
    "vendorInvoices": "vendor-invoices",
    "vendorDfPayments": "vendor-df-payments",
    "vendorDfInventory": "vendor-df-inventory",
    "vendorTransactionStatus": "vendor-transaction-status",
    "vendorDfTransactions": "vendor-df-transactions",
}


def load_model(api):
    """Amazon's model of ``api`` (parsed once; a missing file fails the test)."""
    path = contract.MODELS_DIR / contract.MODEL_FILES[APIS[api]]
    if not path.is_file():
        raise AssertionError(f"Amazon's model {path} is missing: set SPAPI_MODELS_DIR.")
    return contract.load_model(APIS[api])


def schema_errors(api, definition, instance):
    """Messages of every violation of ``#/definitions/<definition>``."""
    schema = dict(load_model(api), **{"$ref": f"#/definitions/{definition}"})
    schema.pop("paths", None)
    validator = jsonschema.Draft4Validator(schema)
    return [
        f"{definition}: {'/'.join(map(str, e.path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def body_errors(operation, body):
    """Errors of a request body against the operation's schema in Amazon's model.

    :param operation: the seam's name, ``api.operationId``
    """
    api, operation_id = operation.split(".")
    model = load_model(api)
    for item in model["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                ref = next(p for p in op["parameters"] if p.get("in") == "body")
                schema = dict(ref["schema"], definitions=model["definitions"])
                validator = jsonschema.Draft4Validator(
                    schema, format_checker=jsonschema.FormatChecker()
                )
                return [error.message for error in validator.iter_errors(body)]
    raise AssertionError(f"{operation} is not in the model")
