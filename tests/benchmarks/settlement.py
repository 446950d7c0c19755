"""Benchmark of a settlement of 5,000 transactions (issue 16): a command, not a test.

    python3 -m tests.benchmarks.settlement [--transactions 5000] [--db NAME]
        [--template DB] [--keep-db] [--reuse-db] [--profile DIR]

Creates a database (a copy of ``--template`` with ``amazon_connector_account``
installed on it, or a new one), starts the local SP-API sandbox with rate limits
off and loads shipped orders (amazon.it, FBM and FBA) posted in the current
settlement window until the open EUR financial event group holds exactly
``--transactions`` transactions (one ``Shipment`` per order). Then, each step in
its own Odoo process:

- ``orders`` (set-up, not timed into the target): the account's order import
  (``amazon.order.importer._run``) brings those orders into Odoo and invoices
  them (the account's policy: on import, FBM and FBA), as a seller's database
  holds them before Amazon pays them;
- ``import``: ``amazon.settlement.importer._run`` (groups, the group's
  transactions by group id, payouts), timed;
- ``reimport``: the same run again on the still open group (what every scheduled
  run does until Amazon closes it: nothing new), timed; then the sandbox closes
  the group (``POST /_sandbox/settlements/close``);
- ``close``: the run that finds the group closed (its status, total, payout),
  timed;
- ``book``: ``amazon.settlement.action_amazon_book`` on the closed settlement:
  one journal entry that clears the 5,000 invoices, the fees on the clearing
  account, the payout on the transfers account, timed.

Prints the time of each step (and the CPU time of its Odoo process, PostgreSQL's
not included: on a busy machine the wall time grows, not that), the lines and
transactions stored, the SP-API calls per operation (the sandbox's request log,
LWA excluded) with the page sizes, and the time the same calls take at Amazon's
usage plans (rate and burst of each operation's model):
``max(0, calls - burst) / rate`` per operation, summed.
Target: import + close + book (the settlement imported and booked) in at most
60 s on this machine; the reimport of the open group is printed apart.

``--reuse-db`` runs the timed steps again on the database a previous run kept
(``--keep-db``, same ``--db`` and ``--transactions``, the same day): the sandbox
generates the same orders from the same seeds, so the set-up is skipped; the
settlements, their transactions and entries are removed first (the invoices are
left open again, the database vacuumed and analysed) and the account is pointed
at the new sandbox.

``--profile DIR`` writes cProfile statistics of each timed step to
``DIR/<step>.prof`` (profiling slows the steps: do not read its times as the
benchmark's).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.benchmarks._odoo import (  # noqa: E402
    addons_path,
)
from tests.benchmarks._odoo import (  # noqa: E402
    clean_env as _clean_env,
)
from tests.benchmarks._odoo import (  # noqa: E402
    environment as _environment,
)
from tests.scenarios import loopback_only  # noqa: E402

ADDON = "amazon_connector_account"
TARGET_SECONDS = 60.0
IT = "APJ6JRA9NG5V4"


# --- the children: one Odoo process per step --------------------------------------
def child_setup(env, base_url):
    from odoo import fields

    from tests.sandbox import account_vals
    from tests.sandbox.generate import default_skus

    # the products of the sandbox's SKUs, as the seller's catalogue holds them
    Product = env["product.product"]
    skus = default_skus(100)
    known = set(Product.search([("default_code", "in", skus)]).mapped("default_code"))
    Product.create(
        [
            {"name": sku, "default_code": sku, "is_storable": True}
            for sku in skus
            if sku not in known
        ]
    )
    marketplace = env.ref("amazon_connector.marketplace_it")
    account = env["amazon.account"].create(
        account_vals(
            base_url,
            marketplace.id,
            name=f"Benchmark settlements {time.time():.0f}",
            seller_id=f"ABENCHSET{time.time_ns()}",
            active_marketplace_ids=[(6, 0, marketplace.ids)],
            order_import_from_date=fields.Datetime.now() - timedelta(days=20),
        )
    )
    return {"account": account.id}


def child_reuse(env, base_url):
    """A kept database ready for the timed steps again: no settlement left, every
    invoice open, the account on this sandbox."""
    account = env["amazon.account"].search(
        [("name", "=like", "Benchmark settlements %")], order="id desc", limit=1
    )
    if not account:
        raise SystemExit("--reuse-db: no benchmark account in this database")
    settlements = env["amazon.settlement"].search([("account_id", "=", account.id)])
    settlements._amazon_reset()
    transactions = env["amazon.finance.transaction"].search(
        [("account_id", "=", account.id)]
    )
    settlements.unlink()
    transactions.unlink()
    account._sync_schedule("settlements")._keep_position("group", None)
    account.write(
        {
            "sp_api_endpoint": base_url,
            "lwa_endpoint": f"{base_url}/auth/o2/token",
            "settlement_import_from": False,
        }
    )
    env["amazon.rate.bucket"].search([("account_id", "=", account.id)]).unlink()
    return {"account": account.id}


def child_import(env, account_id):
    """A user's run: no context of the benchmark's own."""
    account = env(context={})["amazon.account"].browse(account_id)
    started, cpu = time.perf_counter(), time.process_time()
    log = env["amazon.settlement.importer"]._run(account)
    env.cr.commit()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    settlements = env["amazon.settlement"].search([("account_id", "=", account_id)])
    return {
        "seconds": seconds,
        "cpu": cpu,
        "state": log.state,
        "created": log.created,
        "failed": log.failed,
        "settlements": len(settlements),
        "lines": len(settlements.line_ids),
        "transactions": len(settlements.line_ids.finance_transaction_id),
        "difference": sum(settlements.mapped("difference")),
    }


def child_orders(env, account_id):
    """Set-up: the orders Amazon pays, imported and invoiced (not in the target)."""
    account = env(context={})["amazon.account"].browse(account_id)
    account.write({"invoice_policy_fbm": "import", "invoice_policy_fba": "import"})
    env.cr.commit()
    started = time.perf_counter()
    log = env["amazon.order.importer"]._run(account)
    env.cr.commit()
    orders = env["sale.order"].search([("amazon_account_id", "=", account_id)])
    todo = orders.filtered(lambda o: not o.invoice_ids)
    if todo:
        env["amazon.invoicer"]._invoice_orders(todo)
        env.cr.commit()
    invoices = orders.invoice_ids.filtered(
        lambda m: m.move_type == "out_invoice" and m.state == "posted"
    )
    return {
        "seconds": time.perf_counter() - started,
        "state": log.state,
        "message": (log.message or "")[:500],
        "orders": len(orders),
        "invoices": len(invoices),
    }


def child_book(env, account_id):
    """The accountant's Book button on the closed settlement."""
    settlements = env["amazon.settlement"].search(
        [("account_id", "=", account_id), ("state", "=", "closed")]
    )
    started, cpu = time.perf_counter(), time.process_time()
    settlements.action_amazon_book()
    env.cr.commit()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    orders = env["sale.order"].search([("amazon_account_id", "=", account_id)])
    invoices = orders.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
    moves = settlements.move_ids
    return {
        "seconds": seconds,
        "cpu": cpu,
        "settlements": len(settlements),
        "booked": len(settlements.filtered(lambda s: s.state == "booked")),
        "review": "; ".join(filter(None, settlements.mapped("review_message"))),
        "entry_lines": len(moves.line_ids),
        "balanced": all(
            m.currency_id.is_zero(sum(m.line_ids.mapped("balance"))) for m in moves
        ),
        "invoices": len(invoices),
        "paid": len(
            invoices.filtered(lambda m: m.currency_id.is_zero(m.amount_residual))
        ),
    }


# Each step: (name, child function, what it measures, counted in the target).
STEPS = [
    ("import", child_import, "import (groups, transactions, payouts)", True),
    ("reimport", child_import, "re-read of the open group (nothing new)", False),
    ("close", child_import, "import of the group once closed", True),
    ("book", child_book, "booking (one entry, invoices cleared)", True),
]
FUNCTIONS = {name: fn for name, fn, _what, _counted in STEPS}
FUNCTIONS["orders"] = child_orders


def child_main(args):
    loopback_only.install()
    cr, env = _environment(args.db)
    try:
        if args.child == "setup":
            result = child_setup(env, args.base_url)
        elif args.child == "reuse":
            result = child_reuse(env, args.base_url)
        elif args.profile and args.child != "orders":
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
            result = FUNCTIONS[args.child](env, args.account)
            profiler.disable()
            os.makedirs(args.profile, exist_ok=True)
            profiler.dump_stats(os.path.join(args.profile, f"{args.child}.prof"))
        else:
            result = FUNCTIONS[args.child](env, args.account)
        cr.commit()
    finally:
        cr.close()
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def run_child(args, mode, **extra):
    cmd = [sys.executable, "-m", "tests.benchmarks.settlement", "--child", mode]
    cmd += ["--db", args.db]
    if args.profile:
        cmd += ["--profile", os.path.abspath(args.profile)]
    for key, value in extra.items():
        cmd += ["--" + key.replace("_", "-"), str(value)]
    proc = subprocess.run(
        cmd, cwd=REPO_ROOT, capture_output=True, text=True, env=_clean_env()
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode or not lines:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-8000:])
        raise SystemExit(f"the {mode} process failed")
    return json.loads(lines[-1][len("RESULT ") :])


# --- the sandbox's side -------------------------------------------------------------
def load_group(server, count):
    """Shipped amazon.it orders posted in the current window, one group."""
    from tests.sandbox import settlements

    state = server.state
    options = settlements.one_window(state, days=6)
    shipped, seed = [], 0
    while len(shipped) < count:
        orders = state.generate_orders(
            2000,
            seed=1600 + seed,
            countries=["IT"],
            **options,
        )
        seed += 1
        shipped += [
            o["orderId"]
            for o in orders
            if o["fulfillment"]["fulfillmentStatus"] in ("SHIPPED", "PARTIALLY_SHIPPED")
        ]
    keep = set(shipped[:count])
    with state.lock:
        for order_id in list(state.orders):
            if order_id not in keep:
                del state.orders[order_id]
                state.order_owner.pop(order_id, None)
    groups = settlements._groups(state, next(iter(state.sellers)))
    return groups


def amazon_time(calls):
    """Seconds the calls take at Amazon's usage plans, one operation after another."""
    from tests.sandbox.contract import usage_plan

    total, rows = 0.0, []
    for (api, operation), count in sorted(calls.items()):
        rate, burst = usage_plan(api, operation)
        seconds = max(0, count - burst) / rate
        rows.append((operation, count, rate, burst, seconds))
        total += seconds
    return total, rows


def create_database(args):
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    if args.template:
        subprocess.run(["createdb", "-T", args.template, args.db], check=True)
    cmd = [sys.executable, "-m", "odoo", "-d", args.db, "--addons-path"]
    cmd += [addons_path(), "-i", ADDON, "--without-demo", "all", "--stop-after-init"]
    cmd += ["--no-http", "--log-level", "warn"]
    print(f"Installing {ADDON} on {args.db} ...", flush=True)
    subprocess.run(cmd, check=True, env=_clean_env())


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", type=int, default=5000)
    parser.add_argument("--db", default=f"amz_bench_set_{os.getpid()}")
    parser.add_argument("--template", help="a database with the addons")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="run the timed steps again on a database kept by --keep-db",
    )
    parser.add_argument(
        "--profile", metavar="DIR", help="write cProfile stats of each step here"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--account", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    loopback_only.install()
    from tests.sandbox import SandboxServer, money, settlements

    # Rate limits off; the huge scale tells the client-side budget not to wait.
    server = SandboxServer(port=0, rate_scale=1e6, rate_limits=False).start()
    results, calls = {}, {}
    try:
        groups = load_group(server, args.transactions)
        print(
            "Sandbox: %d group(s), %s transactions" % (len(groups), args.transactions),
            flush=True,
        )
        if args.reuse_db:
            setup = run_child(args, "reuse", base_url=server.base_url)
            # what the removal left behind cleaned up, as autovacuum would
            subprocess.run(
                ["vacuumdb", "--analyze", "--quiet", args.db],
                check=True,
            )
            print(f"set-up: the orders of {args.db}, kept by a previous run")
        else:
            create_database(args)
            setup = run_child(args, "setup", base_url=server.base_url)
            results["orders"] = run_child(args, "orders", account=setup["account"])
            print(
                "set-up (not timed into the target): %(orders)d orders imported, "
                "%(invoices)d invoiced in %(seconds).1f s (log %(state)s %(message)s)"
                % results["orders"],
                flush=True,
            )
        for name, _fn, _what, _counted in STEPS:
            if name == "close":
                settlements.close(server.state, {})
            with server.state.lock:
                server.state.requests = []
            results[name] = run_child(args, name, account=setup["account"])
            calls[name] = Counter(
                (r["api"], r["operation"])
                for r in server.state.requests
                if r["api"] != "lwa"
            )
    finally:
        server.stop()
        if not (args.keep_db or args.reuse_db):
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
            import odoo

            shutil.rmtree(odoo.tools.config.filestore(args.db), ignore_errors=True)
    first = results["import"]
    print(
        "page sizes: listTransactions %d (the sandbox's, Amazon sets its own), "
        "listFinancialEventGroups %d (MaxResultsPerPage), listPayouts %d"
        % (money.PAGE_SIZE, settlements.MAX_GROUPS_PAGE, settlements.PAYOUTS_PAGE)
    )
    print(
        "stored: %(settlements)d settlement(s), %(transactions)d transactions, "
        "%(lines)d lines, difference %(difference).2f, log %(state)s "
        "(%(failed)d failed)" % first
    )
    book = results["book"]
    print(
        "booked: %(booked)d of %(settlements)d settlement(s), %(entry_lines)d entry "
        "lines, balanced %(balanced)s, %(paid)d of %(invoices)d invoices paid"
        % book
        + (f" (to review: {book['review']})" if book["review"] else "")
    )
    total_seconds = 0.0
    for name, _fn, what, counted in STEPS:
        figures = results[name]
        total_seconds += figures["seconds"] if counted else 0.0
        print(
            f"{what}: {figures['seconds']:.1f} s (the Odoo process's CPU: "
            f"{figures['cpu']:.1f} s)"
        )
        amazon, rows = amazon_time(calls[name])
        for operation, count, rate, burst, seconds in rows:
            print(
                f"    {operation}: {count} calls (rate {rate:g}/s, burst {burst}) "
                f"-> {seconds:.0f} s at Amazon's usage plan"
            )
        print(f"    at Amazon's usage plans: {amazon:.0f} s ({amazon / 60:.1f} min)")
    ok = (
        first["transactions"] == args.transactions
        and first["failed"] == 0
        and book["booked"] == book["settlements"] == 1
        and book["balanced"]
        and book["paid"] == book["invoices"] == args.transactions
        and total_seconds <= TARGET_SECONDS
    )
    print(
        "settlement of %d transactions imported and booked in %.1f s "
        "(target <= %.0f s): %s"
        % (args.transactions, total_seconds, TARGET_SECONDS, "PASS" if ok else "FAIL")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
