# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The project's local SP-API sandbox (``tests/sandbox`` at the repository root)
for the Odoo tests of the three addons.

Importing this module puts the repository root on ``sys.path`` and clears the
environment variables python-amazon-sp-api reads behind our back. It is
deliberately not guarded by a skip: a test that needs the sandbox must fail when
the sandbox is missing, never pass by not running.
"""

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
for _name in ("SP_API_DEFAULT_MARKETPLACE", "AWS_ENV"):
    os.environ.pop(_name, None)

from tests import sandbox  # noqa: E402
from tests.sandbox import (  # noqa: E402
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    DEMO_SELLER_ID,
    SandboxServer,
    contract,
)
from tests.sandbox import account_vals as sandbox_account_vals  # noqa: E402
from tests.sandbox.generate import default_skus, sku_ean  # noqa: E402

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_REFRESH_TOKEN",
    "DEMO_SELLER_ID",
    "REPO_ROOT",
    "SandboxServer",
    "contract",
    "default_skus",
    "sandbox",
    "sandbox_account_vals",
    "sku_ean",
]
