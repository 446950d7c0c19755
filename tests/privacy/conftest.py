"""Fixtures of the ``privacy`` suite (run by pytest-odoo, like the scenarios).

The suite searches a whole database for buyer data, so it runs on its own
throwaway copy of the database pytest-odoo was given (the scenarios' fixtures,
reused), with ``base_vat`` installed in the copy: a refused VAT number is where
Odoo quotes the buyer's name in an error, and that copy must not survive either.
"""

import os
import shutil
import subprocess
import sys

import pytest

import odoo
from odoo.modules.registry import Registry

from tests.scenarios import loopback_only
from tests.scenarios.conftest import (  # noqa: F401  (fixtures)
    _filestore,
    catalog,
    make_account,
    registry,
    scenario_sandbox,
)

EXTRA_MODULES = "base_vat"


@pytest.fixture(scope="session")
def scenario_registry():
    """A registry on a throwaway copy of pytest-odoo's database, plus base_vat."""
    loopback_only.install()
    source = odoo.tools.config["db_name"]
    if isinstance(source, list | tuple):
        source = source[0]
    name = f"{source}_privacy_{os.getpid()}"[:63]
    odoo.sql_db.close_db(source)
    subprocess.run(["dropdb", "--if-exists", name], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", source, name], check=True)
    if _filestore(source).is_dir():
        shutil.copytree(_filestore(source), _filestore(name), dirs_exist_ok=True)
    try:
        addons = odoo.tools.config["addons_path"]
        if isinstance(addons, list | tuple):
            addons = ",".join(addons)
        env = dict(os.environ)
        for var in ("SP_API_DEFAULT_MARKETPLACE", "AWS_ENV"):
            env.pop(var, None)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                "--database",
                name,
                "--addons-path",
                addons,
                "--init",
                EXTRA_MODULES,
                "--without-demo",
                "all",
                "--stop-after-init",
                "--no-http",
                "--log-level",
                "warn",
            ],
            check=True,
            cwd="/",
            env=env,
        )
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
