# Run by ./setup/run through `odoo shell` after demo_account.py: shows the
# accounting addon on the demo account (invoices on shipment, a partial and a full
# refund as credit notes, returns back to stock), from the local SP-API sandbox.
# Idempotent: a second run adds nothing that exists. `env` is given by odoo shell.
# ruff: noqa: F821
import os
import time

import httpx

SANDBOX = os.environ.get("AMAZON_SANDBOX_URL") or ""
account = env["amazon.account"].search(
    [("name", "=", "Demo (SP-API sandbox)")], limit=1
)
summary = "skipped (no sandbox)"


def show(account):
    """:return: a summary of what the demo shows"""
    vals = {
        "invoice_policy_fbm": "ship",
        "invoice_policy_fba": "ship",
        "refund_import_active": True,
        "return_import_active": True,
    }
    if not account.fba_damaged_location_id and account.fba_location_id:
        vals["fba_damaged_location_id"] = (
            env["stock.location"]
            .sudo()
            .create(
                {
                    "name": "FBA damaged returns",
                    "usage": "internal",
                    "location_id": account.fba_location_id.location_id.id,
                    "company_id": account.company_id.id,
                }
            )
            .id
        )
    account.write(vals)
    account.action_sync_orders()
    orders = env["sale.order"].search(
        [("amazon_account_id", "=", account.id), ("state", "=", "sale")], order="id"
    )
    fbm = orders.filtered(lambda o: o.amazon_fulfillment_channel == "fbm")
    for order in fbm[:6]:
        pickings = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_sms=True)._action_done()
    env["amazon.invoicer"]._invoice_on(orders, "ship")  # earlier failures too
    env.cr.commit()
    invoiced = orders.filtered(lambda o: o.invoice_ids)
    Transaction = env["amazon.finance.transaction"]
    refunds = [("account_id", "=", account.id), ("transaction_type", "=", "Refund")]
    if invoiced and not Transaction.search_count(refunds):
        first, second = invoiced[0], invoiced[1:2]
        line = first.order_line.filtered("amazon_sku")[:1]
        httpx.post(
            SANDBOX + "/_sandbox/refunds",
            json={
                "orderId": first.amazon_order_id,
                "items": [{"sku": line.amazon_sku, "quantity": 1}],
            },
        )
        if second:
            httpx.post(
                SANDBOX + "/_sandbox/refunds", json={"orderId": second.amazon_order_id}
            )
    if not env["amazon.return"].search_count([("account_id", "=", account.id)]):
        for order in (
            fbm.filtered("invoice_ids")[2:3]
            | orders.filtered(lambda o: o.amazon_fulfillment_channel == "fba")[:1]
        ):
            line = order.order_line.filtered("amazon_sku")[:1]
            httpx.post(
                SANDBOX + "/_sandbox/returns",
                json={"orderId": order.amazon_order_id, "sku": line.amazon_sku},
            )
    account.action_amazon_import_refunds()
    account.action_amazon_import_returns()  # requests the reports
    env.cr.commit()
    time.sleep(1.5)  # the sandbox prepares reports in about a second
    account.action_amazon_import_returns()  # reads them
    env.cr.commit()
    moves = env["account.move"].search(
        [("invoice_line_ids.sale_line_ids.order_id.amazon_account_id", "=", account.id)]
    )
    credit_notes = env["account.move"].search(
        [("amazon_refund_transaction_id.account_id", "=", account.id)]
    )
    return "%d invoices, %d credit notes, %d returns" % (
        len(moves.filtered(lambda m: m.move_type == "out_invoice")),
        len(credit_notes),
        env["amazon.return"].search_count([("account_id", "=", account.id)]),
    )


if account and SANDBOX and "invoice_policy_fbm" in account._fields:
    try:
        summary = show(account)
    except Exception as exc:  # the demo must come up even if this part fails
        env.cr.rollback()
        summary = "not shown: %s" % exc
print("DEMO-ACCOUNTING %s" % summary)
