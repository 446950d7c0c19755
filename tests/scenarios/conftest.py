"""Odoo fixtures of the cross-addon scenarios (run by pytest-odoo).

The scenarios prove exactly-once behaviour across transactions and processes, so
they COMMIT, and a killed Odoo process commits what it finished. They therefore
run on a dedicated throwaway database, copied with ``createdb -T`` from the
database pytest-odoo was given (where the three addons are installed) and dropped
at the end of the session, also when a scenario fails.

Why a throwaway copy rather than "own company + cleanup": what a sync commits is
not cleanly removable through the ORM (confirmed sale orders, done FBA moves,
no-gap sequence numbers, advisory locks of a killed process, mail messages);
a partial cleanup would leave the database pytest-odoo was given different after
every run. Dropping a copy removes everything, whatever a scenario left behind.
Inside the copy each scenario still gets its own account (unique name), so
scenarios do not see each other's orders, cursors, failures or rate budgets.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.sandbox import (  # noqa: E402
    account_vals,
)
from tests.sandbox.generate import default_skus  # noqa: E402
from tests.scenarios import loopback_only  # noqa: E402

# Marketplaces of the scenario accounts (xml ids of amazon_connector) and the
# countries the sandbox generates orders for: four EUR markets and one GBP.
MARKETPLACE_XMLIDS = ("it", "de", "fr", "es", "uk")
COUNTRIES = ["IT", "DE", "FR", "ES", "GB"]
# Sandbox rate scale of the scenarios: Amazon's real usage plans, 1000x faster.
RATE_SCALE = 1000.0
WORKER = Path(__file__).with_name("sync_worker.py")


# --- the throwaway database ----------------------------------------------------


def _filestore(db_name):
    return Path(odoo.tools.config.filestore(db_name))


@contextmanager
def throwaway_registry(suffix, prepare=None):
    """A registry on a throwaway copy of pytest-odoo's database, dropped after.

    :param suffix: what names the copy (``<database>_<suffix>_<pid>``)
    :param prepare: called with the copy's name before its registry is loaded
        (to install more modules in it), or None
    """
    loopback_only.install()
    source = odoo.tools.config["db_name"]
    if isinstance(source, list | tuple):
        source = source[0]
    name = f"{source}_{suffix}_{os.getpid()}"[:63]
    # createdb -T needs the template without connections: close pytest-odoo's.
    odoo.sql_db.close_db(source)
    subprocess.run(["dropdb", "--if-exists", name], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", source, name], check=True)
    if _filestore(source).is_dir():
        shutil.copytree(_filestore(source), _filestore(name), dirs_exist_ok=True)
    try:
        if prepare:
            prepare(name)
        # Loading a registry with test_enable set would run every module's
        # at_install tests on it: load it as a server would.
        saved = odoo.tools.config["test_enable"]
        odoo.tools.config["test_enable"] = False
        try:
            registry = Registry(name)
        finally:
            odoo.tools.config["test_enable"] = saved
        yield registry
    finally:
        Registry.delete(name)
        odoo.sql_db.close_db(name)
        subprocess.run(["dropdb", "--if-exists", name], check=False)
        shutil.rmtree(_filestore(name), ignore_errors=True)


@pytest.fixture(scope="session")
def scenario_registry():
    """A registry on a throwaway copy of pytest-odoo's database."""
    with throwaway_registry("scen") as registry:
        yield registry


@contextmanager
def transaction(registry):
    """An environment on a new cursor, committed at the end (rolled back on error)."""
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


@pytest.fixture(scope="session")
def catalog(scenario_registry):
    """Products for the sandbox's SKU pool (internal reference = SKU), committed."""
    with transaction(scenario_registry) as env:
        Product = env["product.product"]
        existing = set(
            Product.search([("default_code", "in", default_skus())]).mapped(
                "default_code"
            )
        )
        Product.create(
            [
                {"name": sku, "default_code": sku, "is_storable": True}
                for sku in default_skus()
                if sku not in existing
            ]
        )
    return default_skus()


@pytest.fixture
def registry(scenario_registry, catalog):
    return scenario_registry


@pytest.fixture
def fast_importer(registry, monkeypatch):
    """Back-off sleeps of the importer shortened (the run itself is untouched)."""
    with transaction(registry) as env:
        Importer = type(env["amazon.order.importer"])
    monkeypatch.setattr(Importer, "_sleep", lambda self, seconds: time.sleep(0.01))
    return Importer


@pytest.fixture
def scenario_sandbox(sandbox):
    """The in-process sandbox with Amazon's usage plans, scaled up."""
    sandbox.state.set_rate_limits(scale=RATE_SCALE, enabled=True)
    return sandbox


@pytest.fixture
def make_account(registry, scenario_sandbox):
    """Factory: a committed seller account (unique name) on the sandbox.

    :return: the account id
    """

    def make(**vals):
        with transaction(registry) as env:
            marketplaces = env["amazon.marketplace"]
            for code in MARKETPLACE_XMLIDS:
                marketplaces |= env.ref(f"amazon_connector.marketplace_{code}")
            suffix = uuid.uuid4().hex[:10]
            values = account_vals(
                scenario_sandbox.base_url,
                marketplaces[0].id,
                name=f"Scenario {suffix}",
                # one seller per account: a seller id is configured once
                seller_id=f"ASCENARIO{suffix.upper()}",
                active_marketplace_ids=[(6, 0, marketplaces.ids)],
                order_import_from_date=fields.Datetime.now() - timedelta(days=10),
            )
            values.update(vals)
            return env["amazon.account"].create(values).id

    return make


def prime_rate_budget(registry, sandbox, account_id, operation="orders.searchOrders"):
    """Give the account's client-side budget the sandbox's (scaled) usage plan.

    The connector learns the rate in force from ``x-amzn-RateLimit-Limit`` of a
    successful answer; a fresh account whose first answer is a 429 would
    otherwise wait Amazon's real 1/rate (three minutes for searchOrders).
    """
    api_name, operation_id = operation.split(".")
    sandbox_api = {"orders": "orders-2026"}.get(api_name, api_name)
    rate, burst = sandbox.state.rate_for(sandbox_api, operation_id)
    with transaction(registry) as env:
        env["amazon.rate.bucket"]._acquire(account_id, operation, rate, burst)


# --- what the account must import ------------------------------------------------


def importable_ids(registry, account_id, orders, now=None):
    """Amazon ids of the sandbox orders the account's settings import.

    The same rules as the account's "Orders" tab, computed independently from the
    sandbox's data: sales channel AMAZON, a marketplace of the account, status
    among the wanted ones (Pending availability counts as Pending), a wanted
    fulfilment channel, and last updated inside the first run's window.
    """
    with transaction(registry) as env:
        account = env["amazon.account"].browse(account_id)
        statuses = account._get_order_import_statuses()
        channels = {
            "MERCHANT": account.order_import_fbm,
            "AMAZON": account.order_import_fba,
        }
        marketplaces = set(account.active_marketplace_ids.mapped("marketplace_id"))
        start = account.order_import_from_date - timedelta(minutes=15)
        active = account.order_import_active
    end = (now or fields.Datetime.now()) - timedelta(minutes=2)
    wanted = set()
    for order in orders:
        fulfillment = order.get("fulfillment") or {}
        status = fulfillment.get("fulfillmentStatus")
        if status == "PENDING_AVAILABILITY":
            status = "PENDING"
        updated = fields.Datetime.to_datetime(
            order["lastUpdatedTime"].replace("T", " ").rstrip("Z")
        )
        if (
            active
            and (order.get("salesChannel") or {}).get("channelName") == "AMAZON"
            and order["salesChannel"].get("marketplaceId") in marketplaces
            and status in statuses
            and channels.get(fulfillment.get("fulfilledBy", "MERCHANT"))
            and start <= updated <= end
        ):
            wanted.add(order["orderId"])
    return wanted


def sale_orders(registry, account_id):
    """{amazon order id: [(amount_total, currency, state), ...]} of the account."""
    with transaction(registry) as env:
        rows = env["sale.order"].search_read(
            [("amazon_account_id", "=", account_id)],
            ["amazon_order_id", "amount_total", "currency_id", "state"],
        )
    out = {}
    for row in rows:
        out.setdefault(row["amazon_order_id"], []).append(
            (row["amount_total"], row["currency_id"][1], row["state"])
        )
    return out


def assert_exactly_once_with_amazon_totals(registry, account_id, orders, expected):
    """Every expected order exactly once, nothing else, totals to the cent."""
    found = sale_orders(registry, account_id)
    duplicated = {oid: rows for oid, rows in found.items() if len(rows) > 1}
    assert not duplicated, f"orders imported more than once: {sorted(duplicated)}"
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    assert not missing, f"{len(missing)} importable orders missing: {missing[:10]}"
    assert not extra, f"{len(extra)} orders imported that should not be: {extra[:10]}"
    by_id = {o["orderId"]: o for o in orders}
    wrong = []
    for order_id, [(total, currency, _state)] in found.items():
        grand = by_id[order_id]["proceeds"]["grandTotal"]
        if (
            Decimal(str(total)).quantize(Decimal("0.01")) != Decimal(grand["amount"])
            or currency != grand["currencyCode"]
        ):
            wrong.append((order_id, total, currency, grand))
    assert not wrong, f"{len(wrong)} totals differ from Amazon's: {wrong[:5]}"


def odoo_process_setup():
    """(addons path, environment) for another Odoo process on these addons,
    without the variables python-amazon-sp-api reads behind our back."""
    addons = odoo.tools.config["addons_path"]
    if isinstance(addons, list | tuple):
        addons = ",".join(addons)
    env = dict(os.environ)
    for var in ("SP_API_DEFAULT_MARKETPLACE", "AWS_ENV"):
        env.pop(var, None)
    return addons, env


def run_worker(db_name, account_id, **popen_kwargs):
    """Start a separate Odoo process that runs ``account.action_sync_orders()``."""
    addons, env = odoo_process_setup()
    cmd = [
        sys.executable,
        str(WORKER),
        "--database",
        db_name,
        "--addons-path",
        addons,
        "--account",
        str(account_id),
    ]
    return subprocess.Popen(cmd, env=env, cwd=str(REPO_ROOT), **popen_kwargs)
