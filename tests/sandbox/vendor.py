"""Vendor Orders v1, Direct Fulfillment Orders/Shipping 2021-12-28, Vendor
Invoices, DF Payments and Inventory: purchase orders served from state,
submissions recorded; Vendor Transaction Status and DF Transactions read back
each submission's verdict (processing first, then success or an injected
failure)."""

import base64
import copy
import uuid

from . import generate
from .contract import parse_datetime, validate_body
from .http import Response, invalid, not_found, strip_aliases
from .state import utcnow


def _check(api, operation, body):
    errors = validate_body(api, operation, body)
    if errors:
        raise invalid("Invalid request body.", "; ".join(errors[:5]))


def _between(req, value, after_name, before_name):
    moment = parse_datetime(value)
    for name, keep in (
        (after_name, lambda m, b: m >= b),
        (before_name, lambda m, b: m <= b),
    ):
        raw = req.one(name)
        if raw:
            bound = parse_datetime(raw)
            if bound is None:
                raise invalid(f"Invalid {name}: must be an ISO 8601 date-time.")
            if moment is None or not keep(moment, bound):
                return False
    return True


DATE_PARAMS = (
    "createdAfter",
    "createdBefore",
    "changedAfter",
    "changedBefore",
    "updatedAfter",
    "updatedBefore",
)


def _check_dates(req):
    for name in DATE_PARAMS:
        raw = req.one(name)
        if raw and parse_datetime(raw) is None:
            raise invalid(f"Invalid {name}: must be an ISO 8601 date-time.")


def _page(req, rows, key):
    limit = req.integer("limit", 100, 1, 100)
    descending = (req.one("sortOrder") or "DESC") == "DESC"
    rows.sort(key=key, reverse=descending)
    token = req.one("nextToken")
    start = int(token) if token and token.isdigit() else 0
    page = rows[start : start + limit]
    pagination = (
        {"nextToken": str(start + limit)} if start + limit < len(rows) else None
    )
    return page, pagination


# Submissions whose verdict is read with Vendor Transaction Status (Retail); the
# others are read with DF Transactions.
RETAIL_KINDS = ("vendorOrders", "vendorInvoices")


def _documents(body):
    """The documents a submission is about: purchase orders, invoices, warehouses."""
    found = []
    for key in (
        "acknowledgements",
        "orderAcknowledgements",
        "shipmentConfirmations",
        "invoices",
    ):
        for entry in body.get(key) or []:
            for name in ("purchaseOrderNumber", "id", "invoiceNumber"):
                if entry.get(name):
                    found.append(entry[name])
    return found


def _transaction(state, kind, seller_id, body, store, documents=()):
    """Record a submission and its transaction; the verdict is decided now.

    A failure injected (``POST /_sandbox/transactions/failures``) for one of the
    documents makes the transaction fail with the injected errors.
    """
    transaction_id = str(uuid.uuid4())
    store.append(
        {
            "kind": kind,
            "transactionId": transaction_id,
            "sellerId": seller_id,
            "received": generate.iso(utcnow()),
            "body": body,
        }
    )
    documents = list(documents) or _documents(body)
    failure = None
    for document in documents:
        if document in state.transaction_failures:
            failure = state.transaction_failures[document]
            break
    state.transactions[transaction_id] = {
        "transactionId": transaction_id,
        "kind": kind,
        "sellerId": seller_id,
        "documents": documents,
        "reads": 0,
        "failure": failure,
    }
    return transaction_id


def _transaction_status(req, retail):
    """``Transaction``: Processing on the first reads, then Success or Failure."""
    number = req.params["transactionId"]
    state = req.state
    with state.lock:
        record = state.transactions.get(number)
        if (
            record is None
            or record["sellerId"] != req.seller_id
            or (record["kind"] in RETAIL_KINDS) != retail
        ):
            raise not_found(f"Transaction {number} not found.")
        record["reads"] += 1
        if record["reads"] <= state.transaction_processing_reads:
            return {"transactionId": number, "status": "Processing"}
        if record["failure"]:
            return {
                "transactionId": number,
                "status": "Failure",
                "errors": copy.deepcopy(record["failure"]),
            }
        return {"transactionId": number, "status": "Success"}


def get_transaction(req):
    """Vendor Transaction Status v1 ``getTransaction`` (Retail submissions)."""
    status = _transaction_status(req, retail=True)
    return Response(200, {"payload": {"transactionStatus": status}})


def get_df_transaction_status(req):
    """DF Transactions 2021-12-28 ``getTransactionStatus`` (no payload wrapper)."""
    status = _transaction_status(req, retail=False)
    return Response(200, {"transactionStatus": status})


# ------------------------------------------------------------ vendor orders


def _po_date(order):
    return (order.get("orderDetails") or {}).get("purchaseOrderDate", "")


def _po_changed(order):
    details = order.get("orderDetails") or {}
    return details.get("purchaseOrderChangedDate") or details.get(
        "purchaseOrderStateChangedDate", ""
    )


def get_purchase_orders(req):
    _check_dates(req)
    state_filter = req.one("purchaseOrderState")
    details = (req.one("includeDetails") or "true").lower() != "false"
    with req.state.lock:
        rows = [
            o
            for o in req.state.purchase_orders.values()
            if _between(req, _po_date(o), "createdAfter", "createdBefore")
            and _between(req, _po_changed(o), "changedAfter", "changedBefore")
            and (not state_filter or o.get("purchaseOrderState") == state_filter)
        ]
        page, pagination = _page(req, rows, _po_date)
        orders = []
        for order in page:
            order = copy.deepcopy(order)
            if not details:
                order.pop("orderDetails", None)
            orders.append(order)
    payload = {"orders": orders}
    if pagination:
        payload["pagination"] = pagination
    return Response(200, {"payload": payload})


def get_purchase_order(req):
    with req.state.lock:
        order = req.state.purchase_orders.get(req.params["purchaseOrderNumber"])
        if order is None:
            raise not_found(
                f"Purchase order {req.params['purchaseOrderNumber']} not found."
            )
        return Response(200, {"payload": copy.deepcopy(order)})


def submit_acknowledgement(req):
    body = strip_aliases(req.json())
    _check("vendor-orders", "submitAcknowledgement", body)
    if not body.get("acknowledgements"):
        raise invalid("acknowledgements must not be empty.")
    state = req.state
    with state.lock:
        now = generate.iso(utcnow())
        for ack in body["acknowledgements"]:
            order = state.purchase_orders.get(ack["purchaseOrderNumber"])
            if order is not None:
                order["purchaseOrderState"] = "Acknowledged"
                details = order.setdefault("orderDetails", {})
                details["purchaseOrderStateChangedDate"] = now
        transaction = _transaction(
            state, "vendorOrders", req.seller_id, body, state.acknowledgements
        )
    return Response(202, {"payload": {"transactionId": transaction}})


def _quantity(value):
    return {"amount": int(value), "unitOfMeasure": "Eaches", "unitSize": 1}


def _acknowledged(state, number):
    """itemSequenceNumber -> (accepted, rejected, date) from recorded acks."""
    found = {}
    for record in state.acknowledgements:
        if record["kind"] != "vendorOrders":
            continue
        for ack in record["body"].get("acknowledgements", []):
            if ack.get("purchaseOrderNumber") != number:
                continue
            for item in ack.get("items", []):
                accepted = rejected = 0
                for line in item.get("itemAcknowledgements", []):
                    amount = (line.get("acknowledgedQuantity") or {}).get("amount", 0)
                    if line.get("acknowledgementCode") == "Rejected":
                        rejected += amount
                    else:
                        accepted += amount
                key = item.get("itemSequenceNumber") or item.get(
                    "amazonProductIdentifier"
                )
                found[key] = (accepted, rejected, ack.get("acknowledgementDate"))
    return found


def _item_status(item, acked):
    ordered = (item.get("orderedQuantity") or {}).get("amount", 0)
    accepted, rejected, date = acked.get(
        item["itemSequenceNumber"],
        acked.get(item.get("amazonProductIdentifier"), (0, 0, None)),
    )
    if date is None:
        confirmation = "UNCONFIRMED"
    elif rejected and not accepted:
        confirmation = "REJECTED"
    elif accepted >= ordered:
        confirmation = "ACCEPTED"
    else:
        confirmation = "PARTIALLY_ACCEPTED"
    ack_status = {
        "confirmationStatus": confirmation,
        "acceptedQuantity": _quantity(accepted),
        "rejectedQuantity": _quantity(rejected),
    }
    if date:
        ack_status["acknowledgementStatusDetails"] = [
            {
                "acknowledgementDate": date,
                "acceptedQuantity": _quantity(accepted),
                "rejectedQuantity": _quantity(rejected),
            }
        ]
    status = {
        "itemSequenceNumber": item["itemSequenceNumber"],
        "orderedQuantity": {"orderedQuantity": _quantity(ordered)},
        "acknowledgementStatus": ack_status,
        "receivingStatus": {"receiveStatus": "NOT_RECEIVED"},
    }
    for key, target in (
        ("amazonProductIdentifier", "buyerProductIdentifier"),
        ("vendorProductIdentifier", "vendorProductIdentifier"),
        ("netCost", "netCost"),
        ("listPrice", "listPrice"),
    ):
        if item.get(key):
            status[target] = copy.deepcopy(item[key])
    return status


def get_purchase_orders_status(req):
    _check_dates(req)
    number = req.one("purchaseOrderNumber")
    wanted = req.one("itemConfirmationStatus")
    state = req.state
    with state.lock:
        rows = [
            o
            for o in state.purchase_orders.values()
            if (not number or o["purchaseOrderNumber"] == number)
            and _between(req, _po_date(o), "createdAfter", "createdBefore")
            and _between(req, _po_changed(o), "updatedAfter", "updatedBefore")
        ]
        page, pagination = _page(req, rows, _po_date)
        statuses = []
        for order in page:
            details = order.get("orderDetails") or {}
            acked = _acknowledged(state, order["purchaseOrderNumber"])
            items = [_item_status(i, acked) for i in details.get("items", [])]
            if wanted and not any(
                i["acknowledgementStatus"]["confirmationStatus"] == wanted
                for i in items
            ):
                continue
            statuses.append(
                {
                    "purchaseOrderNumber": order["purchaseOrderNumber"],
                    "purchaseOrderStatus": "CLOSED"
                    if order.get("purchaseOrderState") == "Closed"
                    else "OPEN",
                    "purchaseOrderDate": details.get("purchaseOrderDate"),
                    "lastUpdatedDate": _po_changed(order),
                    "sellingParty": copy.deepcopy(details.get("sellingParty")),
                    "shipToParty": copy.deepcopy(details.get("shipToParty")),
                    "itemStatus": items,
                }
            )
    payload = {"ordersStatus": statuses}
    if pagination:
        payload["pagination"] = pagination
    return Response(200, {"payload": payload})


# --------------------------------------------------------- direct fulfillment


def get_df_orders(req):
    _check_dates(req)
    for name in ("createdAfter", "createdBefore"):
        if not req.one(name):
            raise invalid(f"Missing required parameter: {name}.")
    status = req.one("status")
    details = (req.one("includeDetails") or "true").lower() != "false"
    with req.state.lock:
        rows = [
            o
            for o in req.state.df_orders.values()
            if _between(
                req, o["orderDetails"]["orderDate"], "createdAfter", "createdBefore"
            )
            and (not status or o["orderDetails"].get("orderStatus") == status)
            and (
                not req.one("shipFromPartyId")
                or o["orderDetails"]["shipFromParty"]["partyId"]
                == req.one("shipFromPartyId")
            )
        ]
        page, pagination = _page(req, rows, lambda o: o["orderDetails"]["orderDate"])
        orders = []
        for order in page:
            order = copy.deepcopy(order)
            if not details:
                order.pop("orderDetails", None)
            orders.append(order)
    body = {"orders": orders}
    if pagination:
        body["pagination"] = pagination
    return Response(200, body)


def get_df_order(req):
    with req.state.lock:
        order = req.state.df_orders.get(req.params["purchaseOrderNumber"])
        if order is None:
            raise not_found(f"Order {req.params['purchaseOrderNumber']} not found.")
        return Response(200, copy.deepcopy(order))


def submit_df_acknowledgement(req):
    body = strip_aliases(req.json())
    _check("vendor-df-orders", "submitAcknowledgement", body)
    if not body.get("orderAcknowledgements"):
        raise invalid("orderAcknowledgements must not be empty.")
    state = req.state
    with state.lock:
        for ack in body["orderAcknowledgements"]:
            order = state.df_orders.get(ack["purchaseOrderNumber"])
            code = (ack.get("acknowledgementStatus") or {}).get("code", "00")
            if order is not None:
                order["orderDetails"]["orderStatus"] = (
                    "ACCEPTED" if code == "00" else "CANCELLED"
                )
        transaction = _transaction(
            state, "directFulfillment", req.seller_id, body, state.acknowledgements
        )
    return Response(202, {"transactionId": transaction})


def submit_shipment_confirmations(req):
    body = strip_aliases(req.json())
    _check("vendor-df-shipping", "submitShipmentConfirmations", body)
    if not body.get("shipmentConfirmations"):
        raise invalid("shipmentConfirmations must not be empty.")
    state = req.state
    with state.lock:
        for confirmation in body["shipmentConfirmations"]:
            order = state.df_orders.get(confirmation["purchaseOrderNumber"])
            if order is not None:
                order["orderDetails"]["orderStatus"] = "SHIPPED"
        transaction = _transaction(
            state, "directFulfillmentShipment", req.seller_id, body, state.shipments
        )
    return Response(202, {"transactionId": transaction})


def submit_invoices(req):
    body = strip_aliases(req.json())
    if "payload" in body and "invoices" not in body:
        body = body["payload"]
    _check("vendor-invoices", "submitInvoices", body)
    if not body.get("invoices"):
        raise invalid("invoices must not be empty.")
    state = req.state
    with state.lock:
        transaction = _transaction(
            state, "vendorInvoices", req.seller_id, body, state.invoices
        )
    return Response(202, {"payload": {"transactionId": transaction}})


# ------------------------------------------------- DF payments and inventory


def submit_df_invoice(req):
    """DF Payments v1 ``submitInvoice``."""
    body = strip_aliases(req.json())
    _check("vendor-df-payments", "submitInvoice", body)
    if not body.get("invoices"):
        raise invalid("invoices must not be empty.")
    state = req.state
    with state.lock:
        transaction = _transaction(
            state, "directFulfillmentInvoice", req.seller_id, body, state.invoices
        )
    return Response(202, {"payload": {"transactionId": transaction}})


def submit_inventory_update(req):
    """DF Inventory v1 ``submitInventoryUpdate``: quantities of one warehouse."""
    body = strip_aliases(req.json())
    _check("vendor-df-inventory", "submitInventoryUpdate", body)
    warehouse = req.params["warehouseId"]
    state = req.state
    with state.lock:
        stock = state.df_inventory.setdefault(warehouse, {})
        inventory = body["inventory"]
        if inventory.get("isFullUpdate"):
            stock.clear()
        for item in inventory.get("items") or []:
            key = item.get("vendorProductIdentifier") or item.get(
                "buyerProductIdentifier"
            )
            stock[key] = (item.get("availableQuantity") or {}).get("amount", 0)
        transaction = _transaction(
            state,
            "directFulfillmentInventory",
            req.seller_id,
            dict(body, warehouseId=warehouse),
            state.inventory_updates,
            documents=[warehouse],
        )
    return Response(202, {"payload": {"transactionId": transaction}})


# ---------------------------------------------- DF packing slips and labels

# The smallest valid PDF: one empty page (what matters is the document kind).
PACKING_SLIP_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 288 432]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _df_order_or_404(state, number):
    order = state.df_orders.get(number)
    if order is None:
        raise not_found(f"Order {number} not found.")
    return order


def get_packing_slip(req):
    """DF Shipping ``getPackingSlip``: a PDF when the order requires one."""
    number = req.params["purchaseOrderNumber"]
    with req.state.lock:
        order = _df_order_or_404(req.state, number)
        shipment = order["orderDetails"].get("shipmentDetails") or {}
        if not shipment.get("isPslipRequired"):
            raise not_found(f"No packing slip for order {number}.")
    return Response(
        200,
        {
            "purchaseOrderNumber": number,
            "content": base64.b64encode(PACKING_SLIP_PDF).decode(),
            "contentType": "application/pdf",
        },
    )


def _label(order, number, body, index):
    details = order["orderDetails"]
    shipment = details.get("shipmentDetails") or {}
    tracking = f"1Z{number}{index:03d}"
    zpl = f"^XA^FO50,50^A0N,40,40^FD{number} {tracking}^FS^XZ\n"
    return {
        "packageIdentifier": f"{index:03d}",
        "trackingNumber": tracking,
        "shipMethod": shipment.get("shipMethod") or "UPS_GR_RES",
        "shipMethodName": "UPS Ground",
        "content": base64.b64encode(zpl.encode()).decode(),
    }


def create_shipping_labels(req):
    """DF Shipping ``createShippingLabels``: one ZPL label per container."""
    number = req.params["purchaseOrderNumber"]
    body = strip_aliases(req.json())
    _check("vendor-df-shipping", "createShippingLabels", body)
    state = req.state
    with state.lock:
        order = _df_order_or_404(state, number)
        containers = body.get("containers") or [{}]
        label = {
            "purchaseOrderNumber": number,
            "sellingParty": copy.deepcopy(body["sellingParty"]),
            "shipFromParty": copy.deepcopy(body["shipFromParty"]),
            "labelFormat": "ZPL",
            "labelData": [
                _label(order, number, body, index)
                for index in range(1, len(containers) + 1)
            ],
        }
        state.labels[number] = label
    return Response(200, copy.deepcopy(label))


def get_shipping_label(req):
    """DF Shipping ``getShippingLabel``: the label created for the order."""
    number = req.params["purchaseOrderNumber"]
    with req.state.lock:
        label = req.state.labels.get(number)
        if label is None:
            raise not_found(f"No shipping label for order {number}.")
        return Response(200, copy.deepcopy(label))
