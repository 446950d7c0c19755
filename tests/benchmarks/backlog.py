"""Benchmark of a backlog drained at Amazon's pace (issue 12): a command.

    python3 -m tests.benchmarks.backlog [--orders 10000] [--rate-scale 40]
        [--db NAME] [--template DB] [--keep-db]

Serves ``--orders`` orders in one import window from the local SP-API sandbox,
which enforces Amazon's usage plans with time sped up ``--rate-scale`` times
(searchOrders: 0.0056 requests/s and a burst of 20, times the scale; the
sandbox's ``x-amzn-RateLimit-Limit`` header tells the connector's own budget the
same rate). In a separate Odoo process, the account's scheduled action runs
(``amazon.sync.schedule._run_schedule``, as a cron worker would) until the
window is read to its end, resuming as many times as it takes.

Prints: searchOrders answered 200 (goal: ceil(N/100)), answered 429 (goal: 0:
the connector's budget prevents them), pages read twice (goal: 0), orders
imported (goal: N, each once), the time spent waiting for Amazon against the
floor the usage plan imposes (goal: at most 1.1x, plus one second), and the
import's own CPU time.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.benchmarks import _odoo, order_import  # noqa: E402
from tests.scenarios import loopback_only  # noqa: E402

# searchOrders' usage plan (orders_2026-01-01.json).
RATE, BURST = 0.0056, 20
TARGET_WAIT_RATIO = 1.1
MAX_RUNS = 200


def child_drain(env, account_id):
    """Run the account's order schedule until its window is read to its end."""
    waited = [0.0]
    real_sleep = time.sleep

    def sleep(seconds):
        # Every wait of the connector for Amazon's budget goes through here (the
        # rate budget's wait, the importer's wait in the worker).
        waited[0] += max(seconds, 0.0)
        real_sleep(seconds)

    time.sleep = sleep
    account = env["amazon.account"].browse(account_id)
    schedule = account._sync_schedule("orders")
    started, cpu = time.perf_counter(), time.process_time()
    runs = 0
    while runs < MAX_RUNS:
        runs += 1
        schedule._run_schedule(force_trigger="scheduled")
        env.cr.commit()
        env.invalidate_all()
        if not schedule.window_end and account.order_cursor:
            break
        if schedule.retry_at:
            # Odoo's cron would run the action again at its trigger.
            sleep(max((schedule.retry_at - schedule.env.cr.now()).total_seconds(), 0))
    env.cr.execute(
        "SELECT count(*), count(DISTINCT amazon_order_id) FROM sale_order "
        "WHERE amazon_account_id = %s",
        (account_id,),
    )
    orders, distinct = env.cr.fetchone()
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "waited": waited[0],
        "runs": runs,
        "orders": orders,
        "distinct": distinct,
    }


def child_main(args):
    def work(env):
        if args.child == "setup":
            return order_import.child_setup(env, args.base_url, json.loads(args.skus))
        return child_drain(env, args.account)

    return _odoo.child_run(args.db, work)


def run_child(args, mode, **extra):
    return _odoo.run_child("backlog", mode, ["--db", args.db], **extra)


def page_key(entry):
    query = entry.get("query") or {}
    return query.get("paginationToken") or (
        "window",
        query.get("lastUpdatedAfter"),
        query.get("lastUpdatedBefore"),
    )


def report(args, figures, log):
    search = [e for e in log if e["operation"] == "searchOrders"]
    ok = [e for e in search if e["status"] == 200]
    throttled = [e for e in search if e["status"] == 429]
    expired = [
        e
        for e in search
        if e["status"] == 400 and (e.get("query") or {}).get("paginationToken")
    ]
    reads = Counter(page_key(e) for e in ok)
    twice = sum(count - 1 for count in reads.values() if count > 1)
    pages = math.ceil(args.orders / 100)
    rate = RATE * args.rate_scale
    busy = figures["seconds"] - figures["waited"]
    # The usage plan lets the burst go at once, then one request per 1/rate
    # seconds: whatever importing did not cover of that had to be waited.
    floor = max(0.0, (pages - BURST) / rate - busy)
    checks = {
        "200": len(ok) == pages + len(expired),
        "429": not throttled,
        "twice": twice == 0,
        "orders": figures["orders"] == figures["distinct"] == args.orders,
        "wait": figures["waited"] <= TARGET_WAIT_RATIO * floor + 1.0,
    }

    def verdict(key):
        return "PASS" if checks[key] else "FAIL"

    print()
    print(
        f"backlog:               {args.orders} orders, searchOrders {rate:g}/s "
        f"burst {BURST} (scale {args.rate_scale:g}); {figures['runs']} run(s) in "
        f"{figures['seconds']:.1f} s"
    )
    print(
        f"searchOrders 200:      {len(ok)}   goal {pages} + {len(expired)} "
        f"expired token(s)  {verdict('200')}"
    )
    print(f"searchOrders 429:      {len(throttled)}   goal 0  {verdict('429')}")
    print(f"pages read twice:      {twice}   goal 0  {verdict('twice')}")
    print(
        f"orders imported:       {figures['orders']} ({figures['distinct']} "
        f"distinct)   goal {args.orders}, each once  {verdict('orders')}"
    )
    ratio = figures["waited"] / floor if floor else float("inf")
    print(
        f"waiting for Amazon:    {figures['waited']:.1f} s; floor {floor:.1f} s "
        f"(ratio {ratio:.2f})   goal <= {TARGET_WAIT_RATIO:g}x + 1 s  "
        f"{verdict('wait')}"
    )
    print(
        f"import CPU time:       {figures['cpu']:.1f} s of the Odoo process "
        f"({figures['orders'] / max(busy, 0.001):.1f} orders/s while not waiting)"
    )
    print("overall:", "PASS" if all(checks.values()) else "FAIL")
    return 0 if all(checks.values()) else 1


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m tests.benchmarks.backlog")
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--rate-scale", type=float, default=40.0)
    parser.add_argument("--db", default=f"amz_backlog_{os.getpid()}")
    parser.add_argument("--template", help="a database with the three addons")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--child", choices=("setup", "drain"))
    parser.add_argument("--base-url")
    parser.add_argument("--skus")
    parser.add_argument("--account", type=int)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    loopback_only.install()
    from tests.sandbox import SandboxServer
    from tests.sandbox.generate import default_skus

    server = SandboxServer(port=0, rate_scale=args.rate_scale, rate_limits=True)
    server.start()
    order_import.create_database(args)
    try:
        orders = order_import.generated_orders(args.orders, seed=4242)
        server.state.add_orders(orders)
        setup = run_child(
            args, "setup", base_url=server.base_url, skus=json.dumps(default_skus())
        )
        figures = run_child(args, "drain", account=setup["account_id"])
        log = server.state.request_log()
    finally:
        server.stop()
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    return report(args, figures, log)


if __name__ == "__main__":
    sys.exit(main())
