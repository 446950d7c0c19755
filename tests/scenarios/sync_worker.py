"""A separate Odoo process that runs one order sync of an account, as a server would.

    python3 tests/scenarios/sync_worker.py --database DB --addons-path PATH \
        --account ID

Used by the scenarios to sync from another process (and to SIGKILL it mid-run).
Prints ``started`` when the registry is loaded and ``done <log state>`` at the end.
"""

import argparse
import os
import sys
from pathlib import Path

for _name in ("SP_API_DEFAULT_MARKETPLACE", "AWS_ENV"):
    os.environ.pop(_name, None)
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.scenarios import loopback_only  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--account", type=int, required=True)
    args = parser.parse_args(argv)
    loopback_only.install()

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [
            "--database",
            args.database,
            "--addons-path",
            args.addons_path,
            "--log-level",
            "warn",
            "--no-http",
        ]
    )
    odoo.netsvc.init_logger()
    registry = Registry(args.database)
    print("started", flush=True)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        account = env["amazon.account"].browse(args.account)
        account.action_sync_orders()
        log = env["amazon.sync.log"].search(
            [("account_id", "=", account.id)], order="id desc", limit=1
        )
        state = log.state
    print(f"done {state}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
