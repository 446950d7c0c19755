# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Time and count the API calls of a stock push of many SKUs.

    python3 -m tests.benchmarks.stock_push [--skus 10000] [--marketplaces IT,DE]
                                           [--db amz_stock_bench]

Drives ``amazon.account.action_push_stock()`` through the real seam and
python-amazon-sp-api against the local sandbox (rate limits on), in a database
with ``amazon_connector_stock`` installed (created from ``amz_tpl`` when missing).
Everything the run creates is rolled back. Target: at most one feed per
marketplace and no per-SKU call for bulk changes.
"""

import argparse
import logging
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ODOO_ROOT = Path(os.environ.get("ODOO_ROOT", "/opt/odoo18"))
ADDONS_PATH = f"{ODOO_ROOT / 'odoo' / 'addons'},{REPO_ROOT}"
MARKETPLACES = {"IT": "APJ6JRA9NG5V4", "DE": "A1PA6795UKMFR9", "FR": "A13V1IB3VIYZZH"}


def ensure_database(db, template, http_port):
    exists = subprocess.run(
        ["psql", "-lqt"], capture_output=True, text=True, check=True
    ).stdout
    if any(line.split("|")[0].strip() == db for line in exists.splitlines()):
        return
    print(f"creating database {db} from {template} ...", flush=True)
    subprocess.run(["createdb", "-T", template, db], check=True)
    subprocess.run(
        [
            sys.executable,
            str(ODOO_ROOT / "odoo-bin"),
            "-d",
            db,
            f"--addons-path={ADDONS_PATH}",
            "-i",
            "amazon_connector_stock",
            "--stop-after-init",
            "--http-port",
            str(http_port),
            "--log-level=warn",
        ],
        check=True,
    )


def run(db, sku_count, countries):
    for name in ("SP_API_DEFAULT_MARKETPLACE", "AWS_ENV"):
        os.environ.pop(name, None)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    sys.path.insert(0, str(ODOO_ROOT))
    import odoo
    from odoo.tools import config

    from tests.sandbox import (
        SandboxServer,
        account_vals,
    )

    config.parse_config([f"--addons-path={ADDONS_PATH}", "-d", db, "--log-level=warn"])
    server = SandboxServer(port=0).start()
    server.state.feed_delay = 0.0
    try:
        registry = odoo.modules.registry.Registry(db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            company = env.company
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
            marketplaces = env["amazon.marketplace"].search(
                [("marketplace_id", "in", [MARKETPLACES[c] for c in countries])]
            )
            account = env["amazon.account"].create(
                account_vals(
                    server.base_url,
                    marketplaces[0].id,
                    name="Benchmark",
                    active_marketplace_ids=[(6, 0, marketplaces.ids)],
                    fbm_warehouse_id=warehouse.id,
                )
            )
            skus = [f"BENCH-{i:05d}" for i in range(sku_count)]
            products = env["product.product"].create(
                [
                    {"name": sku, "default_code": sku, "is_storable": True}
                    for sku in skus
                ]
            )
            env["stock.quant"].create(
                [
                    {
                        "product_id": product.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "quantity": i % 50 + 1,
                    }
                    for i, product in enumerate(products)
                ]
            )
            env["amazon.listing"].create(
                [
                    {
                        "account_id": account.id,
                        "marketplace_id": marketplace.id,
                        "product_id": product.id,
                        "sku": product.default_code,
                        "state": "active",
                    }
                    for marketplace in marketplaces
                    for product in products
                ]
            )
            server.state.add_listings(
                [
                    {"sku": sku, "marketplaceId": marketplace.marketplace_id}
                    for marketplace in marketplaces
                    for sku in skus
                ]
            )
            env.flush_all()
            before = len(server.state.request_log())
            started = time.perf_counter()
            account.action_push_stock()
            env.flush_all()
            elapsed = time.perf_counter() - started
            calls = Counter(
                entry["operation"] for entry in server.state.request_log()[before:]
            )
            held = {
                (listing["marketplaceId"], listing["sku"]): listing["quantity"]
                for listing in server.state.list_listings()
            }
            wrong = sum(
                1
                for i, sku in enumerate(skus)
                for marketplace in marketplaces
                if held.get((marketplace.marketplace_id, sku)) != i % 50 + 1
            )
            second_before = len(server.state.request_log())
            account.action_push_stock()
            second_calls = len(server.state.request_log()) - second_before
            cr.rollback()
    finally:
        server.stop()
    total = sum(calls.values())
    print(
        f"stock push of {sku_count} SKUs x {len(countries)} marketplace(s): "
        f"{elapsed:.1f} s, {total} API calls"
    )
    for operation, count in sorted(calls.items()):
        print(f"  {operation}: {count}")
    print(f"  quantities not matching Odoo on the sandbox: {wrong}")
    print(f"  API calls of a second push without changes: {second_calls}")
    return 0 if not wrong and not second_calls else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=10000)
    parser.add_argument("--marketplaces", default="IT")
    parser.add_argument(
        "--db", default=os.environ.get("AMZ_BENCH_DB", "amz_stock_bench")
    )
    parser.add_argument("--template", default="amz_tpl")
    parser.add_argument("--http-port", type=int, default=18104)
    args = parser.parse_args(argv)
    countries = [c.strip().upper() for c in args.marketplaces.split(",") if c.strip()]
    ensure_database(args.db, args.template, args.http_port)
    return run(args.db, args.skus, countries)


if __name__ == "__main__":
    sys.exit(main())
