"""Vendor Transaction Status, DF Transactions, DF Payments, DF Inventory and DF
packing slips and labels, through python-amazon-sp-api against Amazon's models."""

import base64

import httpx
import pytest
from sp_api.api import (
    VendorDirectFulfillmentInventory,
    VendorDirectFulfillmentPayments,
    VendorDirectFulfillmentShipping,
    VendorDirectFulfillmentTransactions,
    VendorInvoices,
    VendorTransactionStatus,
)
from sp_api.base.exceptions import SellingApiNotFoundException

from tests.sandbox.contract import usage_plan, validate, validate_definition

WHEN = "2026-01-05T10:00:00Z"
PARTY = {"partyId": "SANDBOXVC"}
WAREHOUSE = {"partyId": "SANDBOXWH"}


def _retail_invoice(number):
    return {
        "invoices": [
            {
                "invoiceType": "Invoice",
                "id": number,
                "date": WHEN,
                "remitToParty": PARTY,
                "invoiceTotal": {"currencyCode": "EUR", "amount": "122.00"},
            }
        ]
    }


def _df_invoice(number, po="DF000001"):
    return {
        "invoices": [
            {
                "invoiceNumber": number,
                "invoiceDate": WHEN,
                "remitToParty": PARTY,
                "shipFromParty": WAREHOUSE,
                "invoiceTotal": {"currencyCode": "EUR", "amount": "12.20"},
                "items": [
                    {
                        "itemSequenceNumber": "1",
                        "invoicedQuantity": {"amount": 1, "unitOfMeasure": "Each"},
                        "netCost": {"currencyCode": "EUR", "amount": "10.00"},
                        "purchaseOrderNumber": po,
                    }
                ],
            }
        ]
    }


def _response_errors(model_api, operation_path, body):
    from tests.sandbox.contract import load_model

    model = load_model(model_api)
    schema = model["paths"][operation_path]["get"]["responses"]["200"]["schema"]
    return validate(body, schema, model["definitions"])


def test_a_retail_invoice_is_processing_then_succeeds(sandbox, spapi_client_kwargs):
    res = VendorInvoices(**spapi_client_kwargs).submit_invoices(_retail_invoice("I-1"))
    transaction = res.payload["transactionId"]
    client = VendorTransactionStatus(**spapi_client_kwargs)
    first = client.get_transaction(transaction)
    assert first.payload["transactionStatus"]["status"] == "Processing"
    second = client.get_transaction(transaction)
    assert second.payload["transactionStatus"] == {
        "transactionId": transaction,
        "status": "Success",
    }
    errors = _response_errors(
        "vendor-transaction-status",
        "/vendor/transactions/v1/transactions/{transactionId}",
        {"payload": second.payload},
    )
    assert errors == [], errors


def test_a_failure_injected_for_an_invoice_is_amazons_verdict(
    sandbox, spapi_client_kwargs
):
    httpx.post(
        f"{sandbox.base_url}/_sandbox/transactions/failures",
        json={
            "document": "I-2",
            "errors": [{"code": "InvalidTaxId", "message": "Bill-to VAT missing."}],
        },
    ).raise_for_status()
    httpx.post(
        f"{sandbox.base_url}/_sandbox/transactions/processing-reads",
        json={"reads": 0},
    ).raise_for_status()
    res = VendorInvoices(**spapi_client_kwargs).submit_invoices(_retail_invoice("I-2"))
    status = (
        VendorTransactionStatus(**spapi_client_kwargs)
        .get_transaction(res.payload["transactionId"])
        .payload["transactionStatus"]
    )
    assert status["status"] == "Failure"
    assert status["errors"][0]["message"] == "Bill-to VAT missing."
    assert validate_definition("vendor-transaction-status", "Transaction", status) == []


def test_a_df_transaction_is_unknown_to_the_retail_status_api(
    sandbox, spapi_client_kwargs
):
    res = VendorDirectFulfillmentPayments(**spapi_client_kwargs).submit_invoice(
        **_df_invoice("DFI-1")
    )
    transaction = res.payload["transactionId"]
    with pytest.raises(SellingApiNotFoundException):
        VendorTransactionStatus(**spapi_client_kwargs).get_transaction(transaction)
    client = VendorDirectFulfillmentTransactions(
        version="2021-12-28", **spapi_client_kwargs
    )
    client.get_transaction_status(transaction)
    body = httpx.get(
        f"{sandbox.base_url}/vendor/directFulfillment/transactions/2021-12-28/"
        f"transactions/{transaction}",
        headers={"x-amz-access-token": _token(sandbox, spapi_client_kwargs)},
    ).json()
    assert body == {
        "transactionStatus": {"transactionId": transaction, "status": "Success"}
    }
    errors = _response_errors(
        "vendor-df-transactions",
        "/vendor/directFulfillment/transactions/2021-12-28/transactions/{transactionId}",
        body,
    )
    assert errors == [], errors


def _token(sandbox, kwargs):
    res = httpx.post(
        f"{sandbox.base_url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": kwargs["credentials"]["refresh_token"],
            "client_id": kwargs["credentials"]["lwa_app_id"],
            "client_secret": kwargs["credentials"]["lwa_client_secret"],
        },
    )
    return res.json()["access_token"]


def test_a_df_invoice_is_validated_against_amazons_model(sandbox, spapi_client_kwargs):
    client = VendorDirectFulfillmentPayments(**spapi_client_kwargs)
    bad = _df_invoice("DFI-2")
    del bad["invoices"][0]["shipFromParty"]
    res = httpx.post(
        f"{sandbox.base_url}/vendor/directFulfillment/payments/v1/invoices",
        json=bad,
        headers={"x-amz-access-token": _token(sandbox, spapi_client_kwargs)},
    )
    assert res.status_code == 400
    assert "shipFromParty" in res.text
    res = client.submit_invoice(**_df_invoice("DFI-3"))
    assert res.payload["transactionId"]
    stored = httpx.get(f"{sandbox.base_url}/_sandbox/invoices").json()
    assert stored[-1]["kind"] == "directFulfillmentInvoice"


def test_an_inventory_update_replaces_the_warehouse_stock(sandbox, spapi_client_kwargs):
    client = VendorDirectFulfillmentInventory(**spapi_client_kwargs)
    body = {
        "inventory": {
            "sellingParty": PARTY,
            "isFullUpdate": True,
            "items": [
                {
                    "vendorProductIdentifier": "SKU-1",
                    "availableQuantity": {"amount": 7, "unitOfMeasure": "Each"},
                }
            ],
        }
    }
    res = client.submit_inventory_update("SANDBOXWH", **body)
    assert res.payload["transactionId"]
    assert sandbox.state.df_inventory == {"SANDBOXWH": {"SKU-1": 7}}
    assert usage_plan("vendor-df-inventory", "submitInventoryUpdate") == (10.0, 10)


def test_packing_slips_and_labels_are_documents(sandbox, spapi_client_kwargs):
    orders = sandbox.state.generate_df_orders(6, seed=5)
    with_slip = next(
        o for o in orders if o["orderDetails"]["shipmentDetails"]["isPslipRequired"]
    )
    without = next(
        o for o in orders if not o["orderDetails"]["shipmentDetails"]["isPslipRequired"]
    )
    client = VendorDirectFulfillmentShipping(
        version="2021-12-28", **spapi_client_kwargs
    )
    slip = client.get_packing_slip(with_slip["purchaseOrderNumber"]).payload
    assert base64.b64decode(slip["content"]).startswith(b"%PDF")
    assert validate_definition("vendor-df-shipping", "PackingSlip", slip) == []
    with pytest.raises(SellingApiNotFoundException):
        client.get_packing_slip(without["purchaseOrderNumber"])
    number = with_slip["purchaseOrderNumber"]
    label = client.create_shipping_labels(
        number, sellingParty=PARTY, shipFromParty=WAREHOUSE
    ).payload
    assert validate_definition("vendor-df-shipping", "ShippingLabel", label) == []
    assert base64.b64decode(label["labelData"][0]["content"]).startswith(b"^XA")
    again = client.get_shipping_label(number).payload
    assert (
        again["labelData"][0]["trackingNumber"]
        == (label["labelData"][0]["trackingNumber"])
    )
