"""Shared helpers for ``setup/run`` and ``setup/test``.

Standard library only: these scripts must work on a machine where nothing of the
project is installed yet. Odoo is never installed by them; it is the platform the
user already has (see README.md, "Prerequisite: Odoo 18").
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = (
    "amazon_connector",
    "amazon_connector_sale",
    "amazon_connector_stock",
    "amazon_connector_account",
)

ODOO_MISSING = textwrap.dedent(
    """\
    Odoo 18 is not installed for {python}: `import odoo` failed or gave another
    version ({detail}). This project is a set of Odoo 18.0 addons and needs the
    platform itself, which it never bundles. Install Odoo 18.0 Community the way you
    run it in production (the official 18.0 nightly .deb or a git checkout of
    odoo/odoo branch 18.0 with `pip install -r requirements.txt`), make sure
    `python3 -c "import odoo"` works (for a source checkout, add a .pth file that
    points at it to your site-packages or `pip install -e` it), or name the Python
    interpreter that has Odoo in ODOO_PYTHON, then run this command again."""
)


def say(msg=""):
    print(msg, flush=True)


def odoo_python():
    """The interpreter that runs Odoo: ``$ODOO_PYTHON`` or ``python3``."""
    return os.environ.get("ODOO_PYTHON") or shutil.which("python3") or sys.executable


def probe_odoo(python):
    """Ask ``python`` whether it can import Odoo 18.

    :return: ``(ok, detail)`` where detail is a dict with ``version`` and
        ``addons_path`` when ok, else the error text.
    """
    code = textwrap.dedent(
        """\
        import json, odoo.release as r
        from odoo.tools import config
        config.parse_config([])
        print(json.dumps({"version": list(r.version_info[:2]),
                          "addons_path": config["addons_path"]}))
        """
    )
    try:
        proc = subprocess.run(
            [python, "-c", code],
            capture_output=True,
            text=True,
            timeout=120,
            cwd="/",
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["import failed"])[-1]
        return False, last
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    if info["version"][0] != 18:
        return False, "found Odoo %s.%s" % tuple(info["version"])
    return True, info


def addons_path(info):
    return ",".join([info["addons_path"], str(REPO)])


def run(cmd, check=True, **kwargs):
    """Run a command, echoing it; raise on failure when ``check``."""
    return subprocess.run(cmd, check=check, **kwargs)


def pip_install(python, requirements, quiet=True):
    cmd = [python, "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        cmd.append("-q")
    cmd += ["-r", str(requirements)]
    env = dict(os.environ, PIP_ROOT_USER_ACTION="ignore")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        say(proc.stdout[-3000:])
        say(proc.stderr[-3000:])
        raise SystemExit("pip could not install %s" % requirements)


# -- PostgreSQL -------------------------------------------------------------


def _pg_ready():
    if not shutil.which("pg_isready"):
        return False
    return subprocess.run(["pg_isready", "-q"], check=False).returncode == 0


def _as_postgres(cmd):
    """Run ``cmd`` as the ``postgres`` OS user when we are root."""
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


def ensure_postgres():
    """Make sure a local PostgreSQL answers and that we have a role on it.

    Starts the installed cluster when it is down, installs Debian's postgresql
    when none is installed (root only), and creates a superuser role named after
    the current OS user when missing: Odoo refuses to connect as ``postgres``.
    """
    if not _pg_ready():
        if not shutil.which("pg_lsclusters"):
            if os.geteuid() != 0 or not shutil.which("apt-get"):
                raise SystemExit(
                    "PostgreSQL is not installed. Install it (Debian/Ubuntu: "
                    "`sudo apt-get install postgresql`) and run this again."
                )
            say("Installing Debian's postgresql ...")
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            run(["apt-get", "update", "-qq"], env=env)
            run(["apt-get", "install", "-y", "-qq", "postgresql"], env=env)
        out = subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True
        ).stdout.split()
        if len(out) >= 2:
            version, cluster = out[0], out[1]
            say("Starting PostgreSQL cluster %s/%s ..." % (version, cluster))
            run(
                [
                    "pg_ctlcluster",
                    "--skip-systemctl-redirect",
                    version,
                    cluster,
                    "start",
                ],
                check=False,
            )
        for _i in range(30):
            if _pg_ready():
                break
            subprocess.run(["sleep", "1"], check=False)
        else:
            raise SystemExit("PostgreSQL did not start; see its log in /var/log.")
    user = os.environ.get("PGUSER") or _os_user()
    probe = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", "select 1"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        run(_as_postgres(["createuser", "--superuser", user]), check=False)


def _os_user():
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def db_exists(name):
    out = subprocess.run(
        [
            "psql",
            "-d",
            "postgres",
            "-tAc",
            "select 1 from pg_database where datname = '%s'" % name.replace("'", ""),
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return out == "1"


def drop_db(name):
    subprocess.run(
        ["dropdb", "--if-exists", "--force", name],
        check=False,
        capture_output=True,
    )


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_answers(port, host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0
