"""Benchmark of invoicing imported Amazon orders (issue 15): a command, not a test.

    python3 -m tests.benchmarks.invoicing [--orders 1000] [--db NAME]
        [--template DB] [--keep-db]

Creates a database (a copy of ``--template`` with ``amazon_connector_account``
installed on it, or a new one), imports twice ``--orders`` Amazon orders (1 to 3
items, shipping, FBM, amazon.it) with the connector's importer, then in separate
Odoo processes of the same run:

- the baseline: half of the orders invoiced and posted directly through Odoo's
  ``sale.order._create_invoices`` and ``account.move.action_post``;
- the connector: the other half through ``amazon.invoicer._invoice_orders`` (what
  the "on import" and "on shipment" policies run).

Prints invoices per second of both and the ratio (target: at most 1.3x).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.benchmarks import _odoo  # noqa: E402

ADDON = "amazon_connector_account"
TARGET_RATIO = 1.3
SKUS = 50


def child_setup(env, count):
    """An account, products, and 2 x ``count`` imported orders; :return: ids."""
    from datetime import datetime

    from odoo.addons.amazon_connector_sale.tests.common import make_item, make_order

    rng = random.Random(15)
    company = env.company
    tax = company.account_sale_tax_id
    if not tax:
        tax = env["account.tax"].create(
            {"name": "VAT 22% (bench)", "amount": 22.0, "type_tax_use": "sale"}
        )
    env["product.product"].create(
        [
            {
                "name": f"Bench product {n}",
                "default_code": f"BENCH-{n}",
                "is_storable": True,
                "invoice_policy": "delivery",
                "taxes_id": [(6, 0, tax.ids)],
            }
            for n in range(SKUS)
        ]
    )
    marketplace = env["amazon.marketplace"].search(
        [("marketplace_id", "=", "APJ6JRA9NG5V4")], limit=1
    )
    marketplace.write({"price_includes_tax": True, "tz": "Europe/Rome"})
    account = env["amazon.account"].create(
        {
            "name": "Bench invoicing",
            "company_id": company.id,
            "account_type": "seller",
            "region": "eu",
            "seller_id": "ABENCHINV",
            "home_marketplace_id": marketplace.id,
            "active_marketplace_ids": [(6, 0, marketplace.ids)],
            "state": "connected",
            "order_import_from_date": datetime(2026, 3, 1),
            "order_auto_confirm": True,
        }
    )
    for product in (account.shipping_product_id, account.gift_wrap_product_id):
        product.taxes_id = [(6, 0, tax.ids)]
    orders = []
    for index in range(2 * count):
        items = [
            make_item(
                sku=f"BENCH-{rng.randrange(SKUS)}",
                quantity=rng.randint(1, 3),
                unit=f"{rng.randint(500, 9000) / 100:.2f}",
                item_id=f"ITEM-{index}-{line}",
                shipping="4.90" if line == 0 else None,
            )
            for line in range(rng.randint(1, 3))
        ]
        orders.append(
            make_order(
                order_id=f"402-{index:07d}-0000001",
                items=items,
                email=f"bench{index % 300}@marketplace.amazon.it",
            )
        )
    importer = env["amazon.order.importer"]
    sale_orders = env["sale.order"]
    for start in range(0, len(orders), 100):
        results = importer._import_orders(account, orders[start : start + 100])
        sale_orders |= env["sale.order"].concat(*[so for _r, so in results])
        env.cr.commit()
    account.write({"invoice_policy_fbm": "import", "invoice_policy_fba": "import"})
    env.flush_all()
    return {"account": account.id, "orders": sale_orders.ids}


def child_invoice(env, order_ids, mode):
    orders = env["sale.order"].browse(order_ids)
    env.flush_all()
    started = time.perf_counter()
    if mode == "baseline":
        moves = orders._create_invoices(grouped=True, final=True)
        moves.action_post()
    else:
        moves = env["amazon.invoicer"]._invoice_orders(orders)
    env.flush_all()
    elapsed = time.perf_counter() - started
    posted = moves.filtered(lambda m: m.state == "posted")
    return {"seconds": elapsed, "invoices": len(posted)}


def child_main(args):
    def work(env):
        if args.child == "setup":
            return child_setup(env, args.orders)
        with open(args.ids_file) as handle:
            return child_invoice(env, json.load(handle), args.child)

    return _odoo.child_run(args.db, work)


def run_child(args, mode, **extra):
    fixed = ["--db", args.db, "--orders", str(args.orders)]
    return _odoo.run_child("invoicing", mode, fixed, **extra)


def create_database(args):
    _odoo.create_database(args.db, [ADDON], args.template, install_on_template=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--db", default=f"amz_bench_inv_{os.getpid()}")
    parser.add_argument("--template", help="a database with the three addons")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--ids-file", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    create_database(args)
    try:
        print(f"Importing {2 * args.orders} orders ...", flush=True)
        setup = run_child(args, "setup")
        ids = setup["orders"]
        half = len(ids) // 2
        folder = Path(os.environ.get("TMPDIR", "/tmp"))
        files = {}
        for name, part in (("baseline", ids[1::2]), ("connector", ids[0::2])):
            files[name] = folder / f"{args.db}-{name}.json"
            files[name].write_text(json.dumps(part[:half]))
        base = run_child(args, "baseline", ids_file=files["baseline"])
        conn = run_child(args, "connector", ids_file=files["connector"])
        for path in files.values():
            path.unlink()
    finally:
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    ratio = conn["seconds"] / base["seconds"] if base["seconds"] else float("inf")
    print(
        f"orders invoiced and posted: {conn['invoices']} (baseline {base['invoices']})"
    )
    print(
        "baseline (Odoo's _create_invoices + action_post): %.1f s, %.1f invoices/s"
        % (base["seconds"], base["invoices"] / base["seconds"])
    )
    print(
        "connector (amazon.invoicer._invoice_orders):      %.1f s, %.1f invoices/s"
        % (conn["seconds"], conn["invoices"] / conn["seconds"])
    )
    ok = ratio <= TARGET_RATIO and conn["invoices"] == base["invoices"] == args.orders
    print(
        "ratio to baseline: %.2fx (target <= %.1fx): %s"
        % (ratio, TARGET_RATIO, "PASS" if ok else "FAIL")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
