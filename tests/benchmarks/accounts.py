"""Benchmark of accounts synced in parallel on Odoo's cron workers (issue 12).

    python3 -m tests.benchmarks.accounts [--accounts 12] [--orders 500]
        [--servers 2] [--threads 2] [--db NAME] [--template DB] [--keep-db]

Creates ``--accounts`` seller accounts on the local SP-API sandbox (rate limits
off), each with ``--orders`` orders of its own, and lets Odoo's cron workers
import them: each account's order sync is its own scheduled action
(``amazon.sync.schedule``), all triggered at once. Measured twice on fresh
databases: ``--servers`` Odoo server processes with ``--threads`` cron threads
each, then one server with one cron thread. Prints the wall time of each (first
trigger to the last account done), how many accounts ran at the same time, and
checks that every order was imported exactly once (goal: wall time at most 0.7x
the single thread's; 0.5x is the ideal for 2 workers on 2 cores).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.benchmarks import _odoo, order_import  # noqa: E402
from tests.scenarios import loopback_only  # noqa: E402

TARGET_RATIO = 0.7
TIMEOUT = 1800


def seller(index):
    return f"A1BENCHSELLER{index:02d}", f"bench-refresh-{index:02d}"


def child_setup(env, base_url, skus, accounts):
    """Products, and ``accounts`` accounts whose order sync is scheduled."""
    from datetime import timedelta

    from odoo import fields

    from tests.sandbox import account_vals

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
    for code in order_import.MARKETPLACES:
        marketplaces |= env.ref(f"amazon_connector.marketplace_{code}")
    ids = []
    for index in range(accounts):
        seller_id, refresh = seller(index)
        account = env["amazon.account"].create(
            account_vals(
                base_url,
                marketplaces[0].id,
                name=f"Bench {index:02d}",
                seller_id=seller_id,
                refresh_token=refresh,
                active_marketplace_ids=[(6, 0, marketplaces.ids)],
                order_import_from_date=fields.Datetime.now() - timedelta(days=10),
                orders_sync_active=True,
                orders_interval_number=1,
                orders_interval_type="days",
            )
        )
        ids.append(account.id)
    # Nothing runs before the measurement starts: every action waits a day...
    crons = env["amazon.sync.schedule"].search([]).cron_id
    crons.write({"nextcall": fields.Datetime.now() + timedelta(days=1)})
    return {"account_ids": ids}


def child_trigger(env, account_ids):
    """Trigger every account's order sync now (as the sync buttons do)."""
    accounts = env["amazon.account"].browse(account_ids)
    for account in accounts:
        account._sync_schedule("orders").cron_id._trigger()
    return {"triggered": len(accounts)}


def child_main(args):
    def work(env):
        if args.child == "setup":
            skus = json.loads(args.skus)
            return child_setup(env, args.base_url, skus, args.accounts)
        return child_trigger(env, json.loads(args.account_ids))

    return _odoo.child_run(args.db, work)


def run_child(args, mode, **extra):
    fixed = ["--db", args.db, "--accounts", str(args.accounts)]
    return _odoo.run_child("accounts", mode, fixed, **extra)


def psql(db, sql):
    out = subprocess.run(
        ["psql", "-d", db, "-At", "-c", sql], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def start_servers(args, servers, threads):
    procs = []
    for _ in range(servers):
        procs.append(
            subprocess.Popen(
                # An Odoo server (threaded) whose network is the loopback only.
                [sys.executable, "-m", "tests.benchmarks.cron_server"]
                + ["-d", args.db, "--addons-path", _odoo.addons_path()]
                + ["--no-http", "--max-cron-threads", str(threads)]
                # Odoo restarts a server whose cron thread runs longer than
                # limit_time_real (120 s by default), also in threaded mode.
                + ["--limit-time-real-cron", "3600"]
                + ["--log-level", "warn", "--logfile", f"/tmp/{args.db}-server.log"],
                cwd=REPO_ROOT,
                env=_odoo.clean_env(),
            )
        )
    return procs


def measure(args, server, servers, threads):
    from tests.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from tests.sandbox.generate import default_skus

    server.state.reset()
    for index in range(args.accounts):
        seller_id, refresh = seller(index)
        server.state.add_client(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, refresh, seller_id)
    order_import.create_database(args)
    orders = order_import.generated_orders(args.orders * args.accounts, seed=777)
    for index in range(args.accounts):
        chunk = orders[index * args.orders : (index + 1) * args.orders]
        server.state.add_orders(chunk, seller_id=seller(index)[0])
    setup = run_child(
        args,
        "setup",
        base_url=server.base_url,
        skus=json.dumps(default_skus()),
    )
    ids = setup["account_ids"]
    procs = start_servers(args, servers, threads)
    try:
        time.sleep(15)  # the servers load their registries
        started = time.time()
        run_child(args, "trigger", account_ids=json.dumps(ids))
        expected = args.orders * args.accounts
        while time.time() - started < TIMEOUT:
            done = int(
                psql(
                    args.db,
                    "SELECT count(*) FROM amazon_sync_log WHERE kind = 'orders' "
                    "AND state <> 'running'",
                )
            )
            if done >= len(ids):
                break
            time.sleep(1)
        wall = time.time() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
    total, distinct = psql(
        args.db,
        "SELECT count(*), count(DISTINCT (amazon_account_id, amazon_order_id)) "
        "FROM sale_order WHERE amazon_account_id IS NOT NULL",
    ).split("|")
    # The most runs that overlapped in time.
    overlap = psql(
        args.db,
        "SELECT max(n) FROM (SELECT (SELECT count(*) FROM amazon_sync_log b "
        "WHERE b.kind = 'orders' AND b.date_start <= a.date_start "
        "AND b.date_end > a.date_start) AS n FROM amazon_sync_log a "
        "WHERE a.kind = 'orders') t",
    )
    states = psql(
        args.db,
        "SELECT string_agg(state || ':' || n, ', ') FROM (SELECT state, count(*) n "
        "FROM amazon_sync_log WHERE kind = 'orders' GROUP BY state) t",
    )
    if not args.keep_db:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    return {
        "wall": wall,
        "orders": int(total),
        "distinct": int(distinct),
        "expected": expected,
        "overlap": int(overlap or 0),
        "states": states,
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m tests.benchmarks.accounts")
    parser.add_argument("--accounts", type=int, default=12)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--db", default=f"amz_accounts_{os.getpid()}")
    parser.add_argument("--template", help="a database with the three addons")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--child", choices=("setup", "trigger"))
    parser.add_argument("--base-url")
    parser.add_argument("--skus")
    parser.add_argument("--account-ids")
    return parser.parse_args(argv)


def line(label, figures):
    return (
        f"{label:<22} {figures['wall']:.1f} s; orders {figures['orders']} "
        f"({figures['distinct']} distinct, expected {figures['expected']}); "
        f"at most {figures['overlap']} accounts at once; runs {figures['states']}"
    )


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    loopback_only.install()
    from tests.sandbox import SandboxServer

    server = SandboxServer(port=0, rate_scale=1e6, rate_limits=False).start()
    try:
        parallel = measure(args, server, args.servers, args.threads)
        single = measure(args, server, 1, 1)
    finally:
        server.stop()
    ratio = parallel["wall"] / single["wall"]
    once = all(
        f["orders"] == f["distinct"] == f["expected"] for f in (parallel, single)
    )
    print()
    print(line(f"{args.servers} servers x {args.threads}:", parallel))
    print(line("1 server x 1 thread:", single))
    print(
        f"every order once:      {'PASS' if once else 'FAIL'}\n"
        f"wall time ratio:       {ratio:.2f}x   goal <= {TARGET_RATIO:g}x  "
        f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}"
    )
    ok = once and ratio <= TARGET_RATIO
    print("overall:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
