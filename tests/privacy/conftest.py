"""Fixtures of the ``privacy`` suite (run by pytest-odoo, like the scenarios).

The suite searches a whole database for buyer data, so it runs on its own
throwaway copy of the database pytest-odoo was given (the scenarios' fixtures,
reused), with ``base_vat`` installed in the copy: a refused VAT number is where
Odoo quotes the buyer's name in an error, and that copy must not survive either.
"""

import subprocess
import sys

import pytest

from tests.scenarios.conftest import (  # noqa: F401  (fixtures)
    catalog,
    make_account,
    odoo_process_setup,
    registry,
    scenario_sandbox,
    throwaway_registry,
)

EXTRA_MODULES = "base_vat"


def _install_extra_modules(name):
    addons, env = odoo_process_setup()
    subprocess.run(
        [sys.executable, "-m", "odoo", "--database", name, "--addons-path", addons]
        + ["--init", EXTRA_MODULES, "--without-demo", "all", "--stop-after-init"]
        + ["--no-http", "--log-level", "warn"],
        check=True,
        cwd="/",
        env=env,
    )


@pytest.fixture(scope="session")
def scenario_registry():
    """A registry on a throwaway copy of pytest-odoo's database, plus base_vat."""
    with throwaway_registry("privacy", prepare=_install_extra_modules) as copy:
        yield copy
