"""Issue 11, section 3, acceptance: after the retention job ran as the scheduler
runs it, a dump of the whole database holds no buyer's data, except the kept
copy of issued invoices.

Distinct canary buyers (unique names, streets, phones, e-mails) go through every
path that copies buyer data: FBM and FBA orders, a Direct Fulfillment end
customer, gift messages, a refused VAT number, a failed order, the import report
e-mails, posted invoices, a packing slip stored as a file. The orders ship, time
moves past the retention (every timestamp of the database 40 days back), the
job's cron runs, Amazon sends the failed order again, a credit note is issued
against a kept invoice; then ``pg_dump`` (plain SQL, data only) and the
filestore are searched.

The allowed copy, exactly:
- ``res_partner`` rows marked ``amazon_invoice_copy`` and archived (the contacts
  posted invoices were issued to: name and address, no phone, no e-mail);
- ``account_move`` rows of posted customer invoices and credit notes naming such
  a contact (``invoice_partner_display_name``).
Phones and e-mails are allowed nowhere.
"""

import base64
import copy
import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from odoo import SUPERUSER_ID, api

from tests.sandbox import account_vals
from tests.sandbox.generate import generate_orders, sku_ean
from tests.scenarios.conftest import _filestore, prime_rate_budget, transaction

RETENTION_SHIFT_DAYS = 40
SELLER_CASES = {
    # case: (fulfilled by, gift message, invalid VAT, unknown SKU, invoiced)
    "fbm_invoiced": ("MERCHANT", False, False, False, True),
    "fbm_gift": ("MERCHANT", True, False, False, False),
    "fbm_gift_invoiced": ("MERCHANT", True, False, False, True),
    "fbm_vat_refused": ("MERCHANT", False, True, False, False),
    "fba_invoiced": ("AMAZON", False, False, False, True),
    "fba": ("AMAZON", False, False, False, False),
    "failed": ("MERCHANT", False, False, True, False),
}


def canary(index):
    """Values found nowhere else: ``zq`` + a number, in every field."""
    tag = f"Zqcanary{index:02d}"
    return {
        "name": f"{tag} Buyername",
        "street": f"{tag} Strada 7",
        "phone": f"+39 02 7{index:02d}3 9{index:02d}1",
        "phone_digits": f"7{index:02d}39{index:02d}1",
        "email": f"{tag.lower()}@example.invalid",
        "gift": f"{tag} auguri",
        "tag": tag,
    }


def _seller_orders(skus):
    """Generated Italian orders, one per case, with the case's canary buyer."""
    base = [
        order
        for order in generate_orders(200, 91, {"countries": ["IT"]})
        if order["fulfillment"]["fulfillmentStatus"] in ("UNSHIPPED", "SHIPPED")
    ]
    orders, cases = [], {}
    for index, (case, spec) in enumerate(SELLER_CASES.items()):
        fulfilled_by, gift, bad_vat, bad_sku, _invoiced = spec
        wanted = "UNSHIPPED" if fulfilled_by == "MERCHANT" else "SHIPPED"
        order = copy.deepcopy(
            next(
                o
                for o in base
                if o["fulfillment"]["fulfilledBy"] == fulfilled_by
                and o["fulfillment"]["fulfillmentStatus"] == wanted
                and o["orderId"] not in {x["orderId"] for x in orders}
            )
        )
        values = canary(index)
        order["buyer"] = {"buyerName": values["name"], "buyerEmail": values["email"]}
        address = order["recipient"]["deliveryAddress"]
        address.update(
            name=values["name"], addressLine1=values["street"], phone=values["phone"]
        )
        address.pop("addressLine2", None)
        for item in order["orderItems"]:
            item["product"]["sellerSku"] = "NO-SUCH-SKU" if bad_sku else skus[0]
            if gift:
                item.setdefault("fulfillment", {})["packing"] = {
                    "giftOption": {"giftMessage": values["gift"]}
                }
        if bad_vat:
            order["tax"] = {
                "taxRegistrations": [
                    {
                        "entityType": "BUYER",
                        "taxRegistrationType": "VAT",
                        "taxRegistrationNumber": "IT12345",
                    }
                ]
            }
        orders.append(order)
        cases[case] = (order["orderId"], values)
    return orders, cases


def _df_orders(state, index):
    orders = state.generate_df_orders(2, seed=93)
    out = []
    for offset, order in enumerate(orders):
        values = canary(index + offset)
        ship_to = order["orderDetails"]["shipToParty"]
        ship_to.update(
            name=values["name"],
            addressLine1=values["street"],
            phone=values["phone"],
            attention=values["name"] + " c/o",
        )
        ship_to.pop("addressLine2", None)
        order["orderDetails"]["shipmentDetails"]["messageToCustomer"] = values["gift"]
        out.append((order["purchaseOrderNumber"], values))
    state.add_df_orders(orders)
    return out


def _amazon_update(**changes):
    """A change on Amazon, dated inside the next import's window (which ends two
    minutes before now, as Amazon asks)."""
    moment = datetime.now(timezone.utc) - timedelta(minutes=3)
    return dict(changes, lastUpdatedTime=moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _ship(env, order):
    for picking in order.picking_ids.filtered(lambda p: p.state != "done"):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()


def _invoice(env, order):
    invoice = order._create_invoices()
    invoice.action_post()
    return invoice


def _shift_time(cr, days):
    """Move the whole database ``days`` into the past: every timestamp."""
    cr.execute(
        """SELECT c.table_name, c.column_name
             FROM information_schema.columns c
             JOIN information_schema.tables t
               ON t.table_name = c.table_name AND t.table_schema = c.table_schema
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
              AND c.data_type LIKE 'timestamp%%'"""
    )
    for table, column in cr.fetchall():
        cr.execute(
            f'UPDATE "{table}" SET "{column}" = "{column}" - %s '
            f'WHERE "{column}" IS NOT NULL',
            [timedelta(days=days)],
        )


def _dump_rows(db_name):
    """``(table, row id, line)`` of every data row of a plain ``pg_dump``."""
    dump = subprocess.run(
        ["pg_dump", "--data-only", "--no-owner", db_name],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    table, id_index = None, None
    for line in dump.splitlines():
        match = re.match(r"^COPY public\.(\S+) \((.*)\) FROM stdin;$", line)
        if match:
            table = match.group(1).strip('"')
            columns = [c.strip().strip('"') for c in match.group(2).split(",")]
            id_index = columns.index("id") if "id" in columns else None
            continue
        if line == "\\.":
            table = None
            continue
        if table is not None:
            values = line.split("\t")
            row_id = values[id_index] if id_index is not None else None
            yield table, row_id, line


def _import(registry, sandbox, make_account, skus):
    """Seller orders (FBM, FBA) and Direct Fulfillment orders of canary buyers."""
    state = sandbox.state
    with transaction(registry) as env:
        # Direct Fulfillment finds products by EAN (vendor product identifier).
        for product in env["product.product"].search([("default_code", "in", skus)]):
            product.barcode = sku_ean(product.default_code)
        recipient = env["res.partner"].create(
            {"name": "Back office", "email": "backoffice@example.com"}
        )
    seller_id = make_account(
        order_auto_confirm=True, order_notify_partner_ids=[(6, 0, [recipient.id])]
    )
    orders, cases = _seller_orders(skus)
    state.add_orders(orders)
    prime_rate_budget(registry, sandbox, seller_id)
    with transaction(registry) as env:
        env["amazon.account"].browse(seller_id).action_sync_orders()
    with transaction(registry) as env:
        window = env["amazon.vendor.time.range"].create(
            {"name": "Privacy", "date_field": "created", "window_number": 8}
        )
        vendor = env["amazon.account"].create(
            account_vals(
                sandbox.base_url,
                env.ref("amazon_connector.marketplace_it").id,
                name="Privacy vendor",
                account_type="vendor",
                vendor_retail_import=False,
                vendor_df_import=True,
                vendor_df_time_range_id=window.id,
                vendor_retail_time_range_id=window.id,
            )
        )
        vendor_id = vendor.id
    df_cases = _df_orders(state, len(SELLER_CASES))
    with transaction(registry) as env:
        log = env["amazon.account"].browse(vendor_id)._sync_vendor_orders()
        assert log.created == len(df_cases), log.line_ids.mapped("reason")
    return seller_id, vendor_id, cases, df_cases


def _fulfil(registry, sandbox, seller_id, vendor_id, cases, df_cases):
    """Ship every order, invoice some; Amazon reports the FBM orders shipped.

    :return: ids of the posted invoices
    """
    invoiced = []
    with transaction(registry) as env:
        for case, (amazon_id, _values) in cases.items():
            if case == "failed":
                continue
            order = env["sale.order"].search([("amazon_order_id", "=", amazon_id)])
            assert order, f"{case} was not imported"
            if order.state == "draft":
                order.action_confirm()
            if SELLER_CASES[case][0] == "MERCHANT":
                _ship(env, order)
            if SELLER_CASES[case][4]:
                invoiced.append(_invoice(env, order).id)
        for index, (number, values) in enumerate(df_cases):
            binding = env["amazon.vendor.order"].search(
                [("account_id", "=", vendor_id), ("name", "=", number)]
            )
            binding.action_send_acknowledgement()
            order = binding.sale_order_id
            _ship(env, order)
            # A packing slip the connector stored (marked as personal data).
            env["ir.attachment"].create(
                {
                    "name": f"packing-slip-{number}.txt",
                    "datas": base64.b64encode(values["name"].encode()),
                    "res_model": "stock.picking",
                    "res_id": order.picking_ids[:1].id,
                    "amazon_personal_data": True,
                }
            )
            if index == 0:
                invoiced.append(_invoice(env, order).id)
    for case, (amazon_id, _values) in cases.items():
        if SELLER_CASES[case][0] == "MERCHANT" and case != "failed":
            sandbox.state.patch_order(amazon_id, _amazon_update(status="SHIPPED"))
    with transaction(registry) as env:
        env["amazon.account"].browse(seller_id).action_sync_orders()
    return invoiced


def _assert_copies_exist(registry, account_ids, cases):
    """The probe can fail: before the job, the copies are where we search."""
    with transaction(registry) as env:
        orders = env["sale.order"].search([("amazon_account_id", "in", account_ids)])
        open_orders = orders.filtered(lambda o: not o.amazon_closed_date)
        assert not open_orders, f"not closed: {open_orders.mapped('amazon_order_id')}"
        failure = env["amazon.order.failure"].search(
            [("amazon_order_id", "=", cases["failed"][0])]
        )
        assert cases["failed"][1]["name"] in failure.payload
        mails = env["mail.mail"].search([("body_html", "ilike", "Zqcanary")])
        assert mails, "the import report e-mail names the customers"
        notes = " ".join(n for n in orders.mapped("amazon_import_notes") if n)
        assert cases["fbm_vat_refused"][1]["name"] in notes, notes
        gifts = " ".join(orders.order_line.mapped("name"))
        assert cases["fbm_gift"][1]["gift"] in gifts


def _after_retention(registry, sandbox, seller_id, cases, invoiced):
    """Time passes, the cron runs; then Amazon re-sends the failed order and a
    customer returns an item of an invoiced order."""
    with registry.cursor() as cr:
        _shift_time(cr, RETENTION_SHIFT_DAYS)
    with registry.cursor() as cr:
        # As the scheduler: the cron's own action, no tracking_disable.
        env = api.Environment(cr, SUPERUSER_ID, {})
        cron = env.ref("amazon_connector_sale.ir_cron_amazon_order_data_retention")
        cron.method_direct_trigger()
    sandbox.state.patch_order(cases["failed"][0], _amazon_update())
    with transaction(registry) as env:
        env["amazon.account"].browse(seller_id).action_sync_orders()
        failure = env["amazon.order.failure"].search(
            [("amazon_order_id", "=", cases["failed"][0])]
        )
        assert failure.retry_count >= 1, "the failed order came again"
    with transaction(registry) as env:
        invoice = env["account.move"].browse(invoiced[0])
        wizard = (
            env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "late return"})
        )
        refund = env["account.move"].browse(wizard.refund_moves()["res_id"])
        refund.action_post()
        assert refund.state == "posted"
        assert refund.partner_id == invoice.partner_id, "credit note as issued"
        # Odoo's daily clean-up of deleted files (autovacuum).
        env["ir.attachment"]._gc_file_store_unsafe()


def _allowed_rows(registry, invoiced):
    """The kept copy of issued invoices, as (table, row id); and the names the
    posted invoices were issued to."""
    with transaction(registry) as env:
        kept = (
            env["res.partner"]
            .with_context(active_test=False)
            .search([("amazon_invoice_copy", "=", True)])
        )
        assert not kept.filtered("active"), "kept copies are archived"
        moves = env["account.move"].search(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                "|",
                "|",
                ("partner_id", "in", kept.ids),
                ("commercial_partner_id", "in", kept.ids),
                ("partner_shipping_id", "in", kept.ids),
            ]
        )
        issued = env["account.move"].browse(invoiced)
        issued_names = {p.name for p in issued.partner_id | issued.partner_shipping_id}
        allowed = {("res_partner", str(i)) for i in kept.ids}
        allowed |= {("account_move", str(i)) for i in moves.ids}
    return allowed, issued_names


def _search_dump(db_name, everyone, allowed):
    """:return: ({canary tag: tables where found}, [copies outside ``allowed``])"""
    found, outside = {}, []
    for table, row_id, line in _dump_rows(db_name):
        lowered = line.lower()
        for values in everyone:
            for kind in ("name", "street", "phone_digits", "email", "gift", "tag"):
                if values[kind].lower() not in lowered:
                    continue
                found.setdefault(values["tag"], set()).add(table)
                # Phones, e-mails and messages are on no invoice.
                personal = kind in ("phone_digits", "email", "gift")
                if personal or (table, row_id) not in allowed:
                    outside.append((table, row_id, kind, values["tag"]))
    return found, sorted(set(outside))


def _search_filestore(db_name, everyone):
    filestore = Path(_filestore(db_name))
    hits = []
    for path in filestore.rglob("*") if filestore.is_dir() else []:
        if path.is_file():
            data = path.read_bytes().lower()
            hits += [
                (values["tag"], str(path))
                for values in everyone
                if values["tag"].lower().encode() in data
            ]
    return hits


def test_no_buyer_data_survives_retention_except_issued_invoices(
    registry, make_account, scenario_sandbox, catalog
):
    seller_id, vendor_id, cases, df_cases = _import(
        registry, scenario_sandbox, make_account, catalog
    )
    invoiced = _fulfil(
        registry, scenario_sandbox, seller_id, vendor_id, cases, df_cases
    )
    _assert_copies_exist(registry, [seller_id, vendor_id], cases)
    _after_retention(registry, scenario_sandbox, seller_id, cases, invoiced)

    allowed, issued_names = _allowed_rows(registry, invoiced)
    everyone = [values for _id, values in cases.values()]
    everyone += [values for _number, values in df_cases]
    invoiced_tags = {v["tag"] for v in everyone if v["name"] in issued_names}
    assert len(invoiced_tags) == 4, f"3 seller buyers and 1 DF: {issued_names}"
    found, outside = _search_dump(registry.db_name, everyone, allowed)
    assert not outside, f"buyer data outside the kept invoice copy: {outside}"
    for tag in invoiced_tags:
        # A DF invoice is issued to Amazon: its end customer is the delivery
        # address of the invoice, kept on the contact only.
        assert "res_partner" in found.get(tag, ()), (
            f"{tag}: the contact an invoice was issued to is kept as issued"
        )
    seller_invoiced = {cases[c][1]["tag"] for c in cases if SELLER_CASES[c][4]}
    for tag in seller_invoiced:
        assert "account_move" in found.get(tag, ()), f"{tag}: invoice as issued"
    never_invoiced = {v["tag"] for v in everyone} - invoiced_tags
    assert not never_invoiced & set(found), "not invoiced: nothing may remain"
    assert not _search_filestore(registry.db_name, everyone), "files deleted"
