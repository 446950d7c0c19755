"""Benchmark of the order import (issue 4): a command, not a timed test.

    python3 -m tests.benchmarks.order_import [--orders 1000] [--compare 10000]
        [--db NAME] [--template DB] [--keep-db] [--profile FILE] [--no-confirmed]

Creates a fresh database (a copy of ``--template``, a database where the three
addons are installed, or a new one where they are installed), serves generated
orders (1 to 4 lines, all importable) from the local SP-API sandbox with rate
limits off, and imports them in a separate Odoo process with
``account.action_sync_orders()``. A baseline creates the same customers, sale
orders and lines (and confirms and delivers the FBA ones) directly through the
ORM, in another process of the same run. Prints orders per second, API calls per
100 orders (from the sandbox's request log), peak memory of the Odoo process
(``ru_maxrss``) and the ratio to the baseline, with PASS/FAIL per target; then
imports ``--orders`` other orders on an account that confirms what it imports
and prints that rate too (``--no-confirmed`` skips it).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.benchmarks import _odoo  # noqa: E402
from tests.scenarios import loopback_only  # noqa: E402

ADDONS = ("amazon_connector", "amazon_connector_sale", "amazon_connector_stock")
IMPORTABLE = ("UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED")
COUNTRIES = ["IT", "DE", "FR", "ES", "GB"]
MARKETPLACES = ("it", "de", "fr", "es", "uk")
# searchOrders answers 100 orders a page: 1.0 call per 100 orders, 10% slack.
# Issue 4 asked for 20 orders/s and 1.5x the baseline; issue 12 (the sync engine
# and the shape around it) asked that the import stay at the figures it had then.
TARGET_RATE = 29.0
TARGET_RATIO = 0.6
TARGET_SEARCH_CALLS = 1.1
TARGET_MEMORY_GROWTH = 1.25  # peak RSS at --compare / peak RSS at --orders


# --- the child: one Odoo process per measurement --------------------------------


def _rss_kb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def child_setup(env, base_url, skus, confirm=False):
    """Products of the SKU pool and an account on the sandbox; :return: its id.

    :param confirm: the account confirms the orders it imports (FBM ones too)
    """
    from odoo import fields

    from tests.sandbox import (
        account_vals,
    )

    Product = env["product.product"]
    known = set(Product.search([("default_code", "in", skus)]).mapped("default_code"))
    Product.create(
        [
            {"name": sku, "default_code": sku, "is_storable": True}
            for sku in skus
            if sku not in known
        ]
    )
    marketplaces = env["amazon.marketplace"]
    for code in MARKETPLACES:
        marketplaces |= env.ref(f"amazon_connector.marketplace_{code}")
    account = env["amazon.account"].create(
        account_vals(
            base_url,
            marketplaces[0].id,
            name=f"Benchmark {time.time():.0f}",
            # --compare sets up a second account: a seller id is configured once
            seller_id=f"ABENCH{time.time_ns()}",
            active_marketplace_ids=[(6, 0, marketplaces.ids)],
            order_import_from_date=fields.Datetime.now() - timedelta(days=10),
            order_auto_confirm=confirm,
        )
    )
    return {"account_id": account.id}


def child_import(env, account_id, profile=None):
    # As a user's button or the cron runs it: no context of the benchmark's own
    # (the importer sets what it needs, e.g. tracking_disable, itself).
    account = env(context={})["amazon.account"].browse(account_id)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    account.action_sync_orders()
    seconds = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    log = env["amazon.sync.log"].search(
        [("account_id", "=", account_id)], order="id desc", limit=1
    )
    return {
        "seconds": seconds,
        "created": log.created,
        "failed": log.failed,
        "state": log.state,
    }


def child_baseline(env, orders):
    """The same sale orders, created straight through the ORM (no importer)."""
    from odoo import Command

    products = {
        p.default_code: p
        for p in env["product.product"].search([("default_code", "like", "SANDBOX")])
    }
    countries = {c.code: c.id for c in env["res.country"].search([])}
    currencies = {
        c.name: c
        for c in env["res.currency"].with_context(active_test=False).search([])
    }
    shipping = env.ref("amazon_connector_sale.product_amazon_shipping")
    pricelists = {}
    started = time.perf_counter()
    for index, order in enumerate(orders, start=1):
        address = order["recipient"]["deliveryAddress"]
        country = countries.get(address["countryCode"])
        customer = env["res.partner"].create(
            {
                "name": order["buyer"]["buyerName"],
                "email": order["buyer"].get("buyerEmail"),
                "street": address["addressLine1"],
                "city": address["city"],
                "zip": address["postalCode"],
                "country_id": country,
                "phone": address.get("phone"),
            }
        )
        delivery = env["res.partner"].create(
            {
                "name": address["name"],
                "type": "delivery",
                "parent_id": customer.id,
                "street": address["addressLine1"],
                "city": address["city"],
                "zip": address["postalCode"],
                "country_id": country,
            }
        )
        code = order["proceeds"]["grandTotal"]["currencyCode"]
        currency = currencies[code]
        if code not in pricelists:
            pricelists[code] = env["product.pricelist"].search(
                [("currency_id", "=", currency.id)], limit=1
            ) or env["product.pricelist"].create(
                {"name": f"Baseline {code}", "currency_id": currency.id}
            )
        lines = [Command.create({"display_type": "line_note", "name": "Amazon"})]
        shipping_total = 0.0
        for item in order["orderItems"]:
            amounts = {
                part["type"]: float(part["subtotal"]["amount"])
                for part in item["proceeds"]["breakdowns"]
            }
            shipping_total += amounts.get("SHIPPING", 0.0)
            quantity = item["quantityOrdered"]
            lines.append(
                Command.create(
                    {
                        "product_id": products[item["product"]["sellerSku"]].id,
                        "product_uom_qty": quantity,
                        "price_unit": amounts["ITEM"] / quantity,
                    }
                )
            )
        if shipping_total:
            lines.append(
                Command.create(
                    {
                        "product_id": shipping.id,
                        "product_uom_qty": 1,
                        "price_unit": shipping_total,
                    }
                )
            )
        sale = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "partner_shipping_id": delivery.id,
                "client_order_ref": order["orderId"],
                "pricelist_id": pricelists[code].id,
                "order_line": lines,
            }
        )
        if order["fulfillment"]["fulfilledBy"] == "AMAZON":
            sale.action_confirm()
            for picking in sale.picking_ids:
                for move in picking.move_ids:
                    move.quantity = move.product_uom_qty
                picking.move_ids.picked = True
                picking.with_context(skip_sms=True)._action_done()
        if index % 100 == 0:
            env.cr.commit()
    env.cr.commit()
    return {"seconds": time.perf_counter() - started, "created": len(orders)}


def child_main(args):
    def work(env):
        rss_loaded = _rss_kb()
        if args.child == "setup":
            result = child_setup(
                env, args.base_url, json.loads(args.skus), args.confirm == "1"
            )
        elif args.child == "import":
            result = child_import(env, args.account, args.profile)
        else:
            with open(args.orders_file) as handle:
                result = child_baseline(env, json.load(handle))
        result["rss_loaded_kb"] = rss_loaded
        result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return result

    return _odoo.child_run(args.db, work)


# --- the orchestrator -------------------------------------------------------------


def run_child(args, mode, **extra):
    return _odoo.run_child("order_import", mode, ["--db", args.db], **extra)


def create_database(args):
    _odoo.create_database(args.db, ADDONS, args.template)


def generated_orders(count, seed):
    from tests.sandbox.generate import generate_orders

    orders, taken = [], {}
    while len(orders) < count:
        batch = generate_orders(count * 2, seed, {"countries": COUNTRIES}, taken)
        for order in batch:
            taken[order["orderId"]] = True
            if order["fulfillment"]["fulfillmentStatus"] in IMPORTABLE:
                orders.append(order)
        seed += 1
    return orders[:count]


def measure(args, server, count, baseline=True, confirm=False):
    """Import ``count`` orders (and the baseline); :return: the figures.

    :param confirm: on an account that confirms the orders it imports
    """
    from tests.sandbox.generate import default_skus

    server.state.reset()
    # Other orders for the confirmed run: its account is a second one.
    orders = generated_orders(count, seed=1000 + count + (7919 if confirm else 0))
    server.state.add_orders(orders)
    setup = run_child(
        args,
        "setup",
        base_url=server.base_url,
        skus=json.dumps(default_skus()),
        confirm="1" if confirm else "0",
    )
    imported = run_child(
        args,
        "import",
        account=setup["account_id"],
        **({"profile": args.profile} if args.profile else {}),
    )
    log = server.state.request_log()
    api_calls = [e for e in log if e.get("api") not in ("lwa", None)]
    search = [e for e in api_calls if e["operation"] == "searchOrders"]
    figures = {
        "orders": count,
        "created": imported["created"],
        "failed": imported["failed"],
        "seconds": imported["seconds"],
        "rate": imported["created"] / imported["seconds"],
        "calls_per_100": 100.0 * len(api_calls) / count,
        "search_per_100": 100.0 * len(search) / count,
        "peak_mb": imported["maxrss_kb"] / 1024,
        "growth_mb": (imported["maxrss_kb"] - imported["rss_loaded_kb"]) / 1024,
    }
    if baseline:
        path = Path(f"/tmp/{args.db}-orders.json")
        path.write_text(json.dumps(orders))
        try:
            base = run_child(args, "baseline", orders_file=path)
        finally:
            path.unlink(missing_ok=True)
        figures["baseline_seconds"] = base["seconds"]
        figures["ratio"] = imported["seconds"] / base["seconds"]
    return figures


def verdict(ok):
    return "PASS" if ok else "FAIL"


def report(main, compare, confirmed=None):
    print()
    print(
        f"orders imported:       {main['created']} of {main['orders']} "
        f"({main['failed']} failed) in {main['seconds']:.1f} s"
    )
    print(
        f"orders per second:     {main['rate']:.1f}   "
        f"target >= {TARGET_RATE:g}  {verdict(main['rate'] >= TARGET_RATE)}"
    )
    print(
        f"baseline (ORM only):   {main['baseline_seconds']:.1f} s; ratio "
        f"{main['ratio']:.2f}x   target <= {TARGET_RATIO:g}x  "
        f"{verdict(main['ratio'] <= TARGET_RATIO)}"
    )
    print(
        f"API calls / 100:       {main['calls_per_100']:.2f} "
        f"(searchOrders {main['search_per_100']:.2f})   target searchOrders <= "
        f"{TARGET_SEARCH_CALLS:g}  "
        f"{verdict(main['search_per_100'] <= TARGET_SEARCH_CALLS)}"
    )
    print(
        f"peak memory:           {main['peak_mb']:.0f} MB "
        f"(+{main['growth_mb']:.0f} MB over the loaded registry)"
    )
    if confirmed:
        print(
            f"with orders confirmed: {confirmed['rate']:.1f} orders/s "
            f"({confirmed['created']} of {confirmed['orders']} in "
            f"{confirmed['seconds']:.1f} s; the account confirms what it imports)"
        )
    results = [
        main["rate"] >= TARGET_RATE,
        main["ratio"] <= TARGET_RATIO,
        main["search_per_100"] <= TARGET_SEARCH_CALLS,
        main["created"] == main["orders"],
    ]
    if compare:
        growth = compare["peak_mb"] / main["peak_mb"]
        print(
            f"compare {compare['orders']}: {compare['rate']:.1f} orders/s, peak "
            f"{compare['peak_mb']:.0f} MB (+{compare['growth_mb']:.0f} MB); "
            f"peak ratio {growth:.2f}   target <= {TARGET_MEMORY_GROWTH:g} (flat)  "
            f"{verdict(growth <= TARGET_MEMORY_GROWTH)}"
        )
        results.append(growth <= TARGET_MEMORY_GROWTH)
    print("overall:", verdict(all(results)))
    return 0 if all(results) else 1


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m tests.benchmarks.order_import")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--compare", type=int, default=0, metavar="N")
    parser.add_argument("--db", default=f"amz_bench_{os.getpid()}")
    parser.add_argument("--template", help="a database with the three addons")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--profile", help="write cProfile stats of the import here")
    parser.add_argument(
        "--no-confirmed",
        action="store_true",
        help="skip the figure of an account that confirms the orders it imports",
    )
    # internal: one measurement in its own Odoo process
    parser.add_argument("--child", choices=("setup", "import", "baseline"))
    parser.add_argument("--base-url")
    parser.add_argument("--skus")
    parser.add_argument("--account", type=int)
    parser.add_argument("--orders-file")
    parser.add_argument("--confirm", choices=("0", "1"), default="0")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    loopback_only.install()
    from tests.sandbox import SandboxServer

    # Rate limits off; the huge scale makes x-amzn-RateLimit-Limit tell the
    # connector's client-side budget that it need not wait either.
    server = SandboxServer(port=0, rate_scale=1e6, rate_limits=False).start()
    create_database(args)
    try:
        main_figures = measure(args, server, args.orders)
        compare = (
            measure(args, server, args.compare, baseline=False)
            if args.compare
            else None
        )
        confirmed = (
            None
            if args.no_confirmed
            else measure(args, server, args.orders, baseline=False, confirm=True)
        )
    finally:
        server.stop()
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
            import odoo

            shutil.rmtree(odoo.tools.config.filestore(args.db), ignore_errors=True)
    return report(main_figures, compare, confirmed)


if __name__ == "__main__":
    sys.exit(main())
