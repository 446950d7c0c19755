"""What every benchmark does around Odoo: the database, the child processes that
measure (one Odoo process per measurement, its network the loopback only), and
their environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.scenarios import loopback_only  # noqa: E402


def addons_path():
    import odoo

    core = Path(odoo.__file__).resolve().parent / "addons"
    return f"{core},{REPO_ROOT}"


def clean_env():
    """The environment of a child, without the variables python-amazon-sp-api
    reads behind our back."""
    env = dict(os.environ)
    for var in ("SP_API_DEFAULT_MARKETPLACE", "AWS_ENV"):
        env.pop(var, None)
    return env


def create_database(db, modules, template=None, install_on_template=False):
    """A new database ``db``: a copy of ``template``, else ``modules`` installed
    (installed on the copy too with ``install_on_template``)."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    if template:
        subprocess.run(["createdb", "-T", template, db], check=True)
        if not install_on_template:
            return
    print(f"Installing {', '.join(modules)} on a new database {db} ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "odoo", "-d", db, "--addons-path", addons_path()]
        + ["-i", ",".join(modules), "--without-demo", "all", "--stop-after-init"]
        + ["--no-http", "--log-level", "warn"],
        check=True,
        env=clean_env(),
    )


def environment(database):
    """(cursor, superuser environment) on ``database``, in this process."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        ["--database", database, "--addons-path", addons_path(), "--no-http"]
        + ["--log-level", "warn"]
    )
    odoo.netsvc.init_logger()
    registry = Registry(database)
    cr = registry.cursor()
    return cr, api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


def child_run(database, work):
    """The body of a child: ``work(env)`` committed, its result printed for the
    orchestrator (:func:`run_child`)."""
    loopback_only.install()
    cr, env = environment(database)
    try:
        result = work(env)
        cr.commit()
    finally:
        cr.close()
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def run_child(module, mode, args, **extra):
    """Run ``python -m tests.benchmarks.<module> --child <mode>`` and return the
    result it printed.

    :param args: the child's fixed arguments (``["--db", name, ...]``)
    :param extra: more arguments, ``name=value`` for ``--name value``
    """
    cmd = [sys.executable, "-m", f"tests.benchmarks.{module}", "--child", mode]
    cmd += args
    for key, value in extra.items():
        cmd += ["--" + key.replace("_", "-"), str(value)]
    proc = subprocess.run(
        cmd, cwd=REPO_ROOT, capture_output=True, text=True, env=clean_env()
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode or not lines:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-8000:])
        raise SystemExit(f"the {mode} process failed")
    return json.loads(lines[-1][len("RESULT ") :])
