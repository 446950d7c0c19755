"""Issue 4, acceptance: 200 malformed or hostile orders, loaded into the sandbox
as given, each end as an imported order or a failed-order record with a readable
reason, and the sync never crashes."""

import copy
import json
import subprocess
import urllib.request

from tests.sandbox.generate import generate_orders

from .conftest import COUNTRIES, prime_rate_budget, run_worker, transaction

LONG = "Ä" * 10_000
MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)><b>bold</b>'
SQL = "Robert'); DROP TABLE sale_order; -- ' OR '1'='1"
IMPORTABLE = ("UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED")


def _items(order):
    return order["orderItems"]


def _first_item(order):
    return order["orderItems"][0]


def _price(order):
    return _first_item(order)["product"]["price"]["unitPrice"]


def _breakdown(order, kind="ITEM"):
    for part in _first_item(order)["proceeds"]["breakdowns"]:
        if part["type"] == kind:
            return part
    raise KeyError(kind)


def _address(order):
    return order["recipient"]["deliveryAddress"]


def _set(path, value):
    """A mutation setting order[path...] = value (path of keys/indexes)."""

    def mutate(order):
        target = order
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(*path):
    def mutate(order):
        target = order
        for key in path[:-1]:
            target = target[key]
        target.pop(path[-1], None)

    return mutate


def _call(function, *args):
    def mutate(order):
        function(order, *args)

    return mutate


def _many(*mutations):
    def mutate(order):
        for mutation in mutations:
            mutation(order)

    return mutate


ITEM0 = ("orderItems", 0)

# name -> mutation of a valid generated order. The sandbox must still be able to
# select the order (valid lastUpdatedTime, a marketplace of the account, and
# ``orderItems`` a list of objects); everything else is fair game.
MUTATIONS = {
    "no buyer": _delete("buyer"),
    "no recipient": _delete("recipient"),
    "delivery address is a string": _set(("recipient", "deliveryAddress"), "Via"),
    "delivery address is a list": _set(("recipient", "deliveryAddress"), [1, 2]),
    "no items": _set(("orderItems",), []),
    "items missing": _delete("orderItems"),
    "quantity is a string": _set((*ITEM0, "quantityOrdered"), "2"),
    "quantity is negative": _set((*ITEM0, "quantityOrdered"), -3),
    "quantity is huge": _set((*ITEM0, "quantityOrdered"), 10**12),
    "quantity is a float": _set((*ITEM0, "quantityOrdered"), 1.5),
    "quantity is null": _set((*ITEM0, "quantityOrdered"), None),
    "quantity is boolean": _set((*ITEM0, "quantityOrdered"), True),
    "negative unit price": _many(
        _call(lambda o: _price(o).update(amount="-19.99")),
        _call(lambda o: _breakdown(o)["subtotal"].update(amount="-19.99")),
    ),
    "negative grand total": _set(("proceeds", "grandTotal", "amount"), "-42.00"),
    "huge grand total": _set(("proceeds", "grandTotal", "amount"), "1e15"),
    "huge item amount": _call(
        lambda o: _breakdown(o)["subtotal"].update(amount="99999999999999.99")
    ),
    "amount is not a number": _call(
        lambda o: _breakdown(o)["subtotal"].update(amount="12,34 EUR")
    ),
    "amount is NaN": _call(lambda o: _breakdown(o)["subtotal"].update(amount="NaN")),
    "amount is Infinity": _set(("proceeds", "grandTotal", "amount"), "Infinity"),
    "amount is an object": _call(
        lambda o: _breakdown(o)["subtotal"].update(amount={"value": 1})
    ),
    "amount is null": _call(lambda o: _breakdown(o)["subtotal"].update(amount=None)),
    "money is a string": _call(lambda o: _breakdown(o).update(subtotal="12.00")),
    "breakdowns is an object": _call(
        lambda o: _first_item(o)["proceeds"].update(breakdowns={"type": "ITEM"})
    ),
    "unknown currency": _many(
        _set(("proceeds", "grandTotal", "currencyCode"), "XXX"),
        _call(lambda o: _price(o).update(currencyCode="XXX")),
    ),
    "currency of an item differs": _call(
        lambda o: _breakdown(o)["subtotal"].update(currencyCode="JPY")
    ),
    "unknown SKU": _set((*ITEM0, "product", "sellerSku"), "NO-SUCH-SKU"),
    "SKU with SQL": _set((*ITEM0, "product", "sellerSku"), SQL),
    "SKU is a number": _set((*ITEM0, "product", "sellerSku"), 12345),
    "SKU of 10,000 characters": _set((*ITEM0, "product", "sellerSku"), LONG),
    "product is null": _set((*ITEM0, "product"), None),
    "unknown country": _set(("recipient", "deliveryAddress", "countryCode"), "ZZ"),
    "country is a number": _set(("recipient", "deliveryAddress", "countryCode"), 39),
    "unknown region": _set(
        ("recipient", "deliveryAddress", "stateOrRegion"), "Atlantis"
    ),
    "name of 10,000 characters": _set(("recipient", "deliveryAddress", "name"), LONG),
    "buyer name of 10,000 characters": _set(("buyer", "buyerName"), LONG),
    "street of 10,000 characters": _set(
        ("recipient", "deliveryAddress", "addressLine1"), LONG
    ),
    "title of 10,000 characters": _set((*ITEM0, "product", "title"), LONG),
    "markup in names": _many(
        _set(("buyer", "buyerName"), MARKUP),
        _set(("recipient", "deliveryAddress", "name"), MARKUP),
        _set(("recipient", "deliveryAddress", "city"), MARKUP),
    ),
    "markup in title": _set((*ITEM0, "product", "title"), MARKUP),
    "SQL in names": _many(
        _set(("buyer", "buyerName"), SQL),
        _set(("recipient", "deliveryAddress", "name"), SQL),
        _set(("recipient", "deliveryAddress", "addressLine1"), SQL),
    ),
    "SQL in e-mail": _set(("buyer", "buyerEmail"), SQL),
    "e-mail with markup": _set(("buyer", "buyerEmail"), "<b>x</b>@example.com"),
    "e-mail of 10,000 characters": _set(("buyer", "buyerEmail"), "a" * 10_000),
    "control characters": _set(
        ("recipient", "deliveryAddress", "name"), "Mario\x00\x07\x1b[31m Rossi\r\n"
    ),
    "emoji and right-to-left text": _set(
        ("recipient", "deliveryAddress", "name"), "מריו 🎉 Rossi \u202e"
    ),
    "phone is garbage": _set(("recipient", "deliveryAddress", "phone"), "+++abc"),
    "phone of 10,000 digits": _set(
        ("recipient", "deliveryAddress", "phone"), "3" * 10_000
    ),
    "phone is a number": _set(("recipient", "deliveryAddress", "phone"), 3912345678),
    "VAT number with markup": _set(
        ("tax",),
        {
            "taxRegistrations": [
                {
                    "entityType": "BUYER",
                    "taxRegistrationType": "VAT",
                    "taxRegistrationNumber": "IT<script>1</script>",
                }
            ]
        },
    ),
    "created time is not a date": _set(("createdTime",), "yesterday"),
    "created time missing": _delete("createdTime"),
    "created time is a number": _set(("createdTime",), 1700000000),
    "marketplace name with SQL": _set(("salesChannel", "marketplaceName"), SQL),
    "order id is a number": _set(("orderId",), 4031234567),
    "order id of 10,000 characters": _set(("orderId",), LONG),
    "order id with SQL": _set(("orderId",), SQL),
    "status is unknown": _set(("fulfillment", "fulfillmentStatus"), "WHATEVER"),
    "status is a number": _set(("fulfillment", "fulfillmentStatus"), 42),
    "status missing": _delete("fulfillment", "fulfillmentStatus"),
    "fulfilled by unknown": _set(("fulfillment", "fulfilledBy"), "SOMEONE"),
    "item id of 10,000 characters": _set((*ITEM0, "orderItemId"), LONG),
    "item id is an object": _set((*ITEM0, "orderItemId"), {"id": 1}),
    "gift message of 10,000 characters with markup": _set(
        (*ITEM0, "fulfillment", "packing"),
        {"giftOption": {"giftMessage": MARKUP + LONG}},
    ),
    "all quantities zero": _call(
        lambda o: [item.update(quantityOrdered=0) for item in _items(o)]
    ),
    "unknown breakdown type": _call(
        lambda o: _first_item(o)["proceeds"]["breakdowns"].append(
            {"type": "SURPRISE", "subtotal": {"amount": "1.00", "currencyCode": "EUR"}}
        )
    ),
    "deeply nested junk": _set(("junk",), {"a": [{"b": [{"c": [1, "x", None]}]}]}),
    "buyer is a list": _set(("buyer",), ["Mario"]),
    "proceeds is a string": _set(("proceeds",), "lots"),
    "programs is a string": _set(("programs",), "PRIME"),
}


def hostile_orders(count=200, seed=46):
    """``count`` hostile orders: valid generated orders, each with one mutation."""
    base = [
        order
        for order in generate_orders(count * 4, seed, {"countries": COUNTRIES})
        if order["fulfillment"]["fulfillmentStatus"] in IMPORTABLE
        and order["fulfillment"]["fulfilledBy"] == "MERCHANT"
    ][:count]
    assert len(base) == count
    names = list(MUTATIONS)
    cases = []
    for index, order in enumerate(base):
        name = names[index % len(names)]
        order = copy.deepcopy(order)
        MUTATIONS[name](order)
        # the sandbox keys orders by id: keep the hostile ids distinct
        if name == "order id is a number":
            order["orderId"] += index
        elif name in ("order id with SQL", "order id of 10,000 characters"):
            order["orderId"] = f"{order['orderId']} #{index}"
        cases.append((name, order))
    return cases


def _load(sandbox, orders):
    request = urllib.request.Request(
        sandbox.base_url + "/_sandbox/orders",
        data=json.dumps({"orders": orders}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return json.loads(response.read())["orderIds"]


def _outcomes(registry, account_id):
    with transaction(registry) as env:
        orders = env["sale.order"].search_read(
            [("amazon_account_id", "=", account_id)], ["amazon_order_id"]
        )
        failures = env["amazon.order.failure"].search_read(
            [("account_id", "=", account_id)],
            ["amazon_order_id", "error", "state", "payload"],
        )
        logs = env["amazon.sync.log"].search_read(
            [("account_id", "=", account_id)], ["state", "message"]
        )
    return orders, failures, logs


def _readable(reason):
    return (
        isinstance(reason, str)
        and 0 < len(reason) <= 500
        and "Traceback" not in reason
        and not reason.startswith("Unexpected error")
    )


def _key(order):
    """How the outcome of an order is found: its id, or its payload when the id is
    unusable (the failure record then keeps the payload)."""
    order_id = order.get("orderId")
    if isinstance(order_id, str) and order_id.strip() and len(order_id) <= 64:
        return order_id.strip()
    return None


def test_200_hostile_orders_each_end_imported_or_failed_with_a_readable_reason(
    registry, make_account, scenario_sandbox, fast_importer
):
    cases = hostile_orders()
    account_id = make_account()
    prime_rate_budget(registry, scenario_sandbox, account_id)
    _load(scenario_sandbox, [order for _name, order in cases])

    with transaction(registry) as env:
        env["amazon.account"].browse(account_id).action_sync_orders()
    orders, failures, logs = _outcomes(registry, account_id)

    assert [log["state"] for log in logs] == ["partial"], logs
    imported = {o["amazon_order_id"] for o in orders}
    failed = {f["amazon_order_id"]: f for f in failures}
    lost, unreadable = [], []
    for name, order in cases:
        key = _key(order)
        if key is not None and key in imported:
            assert key not in failed or failed[key]["state"] == "done", name
            continue
        failure = failed.get(key) if key else None
        if failure is None:
            # no usable id: the failure record is found by the payload it keeps
            failure = next(
                (
                    f
                    for f in failures
                    if json.loads(f["payload"] or "{}").get("orderId")
                    == order["orderId"]
                ),
                None,
            )
        if failure is None:
            lost.append(name)
        elif not _readable(failure["error"]):
            unreadable.append((name, failure["error"][:200]))
    assert not lost, f"orders neither imported nor failed: {sorted(set(lost))}"
    assert not unreadable, f"failures without a readable reason: {unreadable}"
    assert len(orders) + len(failures) == len(cases), (len(orders), len(failures))
    assert all(f["payload"] for f in failures), "failures keep the payload"


def test_a_run_in_another_process_neither_duplicates_a_failure_nor_an_order(
    registry, make_account, scenario_sandbox, fast_importer
):
    cases = [
        (name, order)
        for name, order in hostile_orders(count=len(MUTATIONS), seed=47)
        if name
        in (
            "order id is a number",
            "order id of 10,000 characters",
            "unknown SKU",
            "no items",
            "quantity is a float",
        )
    ]
    account_id = make_account()
    prime_rate_budget(registry, scenario_sandbox, account_id)
    _load(scenario_sandbox, [order for _name, order in cases])
    with transaction(registry) as env:
        env["amazon.account"].browse(account_id).action_sync_orders()
    before = _outcomes(registry, account_id)

    worker = run_worker(
        registry.db_name,
        account_id,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    out, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, out.decode(errors="replace")[-3000:]
    after = _outcomes(registry, account_id)

    assert len(after[0]) == len(before[0]), "no order imported twice"
    refs_before = sorted(f["amazon_order_id"] for f in before[1])
    refs_after = sorted(f["amazon_order_id"] for f in after[1])
    assert refs_after == refs_before, (
        "a failed order keeps one failure record whichever process retries it "
        "(the reference of an order without a usable id must not depend on the "
        f"process): {refs_before} then {refs_after}"
    )
