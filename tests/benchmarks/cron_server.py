"""An Odoo server whose network reaches only the loopback (for the benchmarks).

    python3 -m tests.benchmarks.cron_server <odoo server options>

Runs ``odoo server`` with the given options after installing the loopback guard
of the scenarios, so that its cron workers can reach the local sandbox and
nothing else.
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.scenarios import loopback_only  # noqa: E402


def main():
    loopback_only.install()
    from odoo.cli.command import main as odoo_main

    sys.argv = ["odoo", "server", *sys.argv[1:]]
    odoo_main()


if __name__ == "__main__":
    main()
