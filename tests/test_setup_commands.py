"""The two commands behave as the README says on a machine without Odoo.

A machine without Odoo is simulated with an interpreter wrapper (named in
ODOO_PYTHON, as a user would) that refuses to import ``odoo``.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

WRAPPER = textwrap.dedent(
    """\
    #!{python}
    # A python3 on which Odoo is not installed.
    import runpy
    import sys


    class _NoOdoo:
        def find_spec(self, name, path=None, target=None):
            if name == "odoo" or name.startswith("odoo."):
                raise ModuleNotFoundError("No module named 'odoo'", name=name)


    sys.meta_path.insert(0, _NoOdoo())
    args = sys.argv[1:]
    if args[:1] == ["-m"]:
        sys.argv = [args[1]] + args[2:]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    elif args[:1] == ["-c"]:
        sys.argv = ["-c"] + args[2:]
        exec(compile(args[1], "<string>", "exec"), {{"__name__": "__main__"}})
    else:
        sys.argv = args
        runpy.run_path(args[0], run_name="__main__")
    """
)


@pytest.fixture
def python_without_odoo(tmp_path):
    wrapper = tmp_path / "python3-without-odoo"
    wrapper.write_text(WRAPPER.format(python=sys.executable))
    wrapper.chmod(0o755)
    return str(wrapper)


def _run(cmd, python):
    env = dict(os.environ, ODOO_PYTHON=python)
    return subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


def test_run_without_odoo_fails_with_one_clear_paragraph(python_without_odoo):
    proc = _run(["./setup/run"], python_without_odoo)
    assert proc.returncode != 0, "setup/run must fail without Odoo"
    out = proc.stdout + proc.stderr
    assert "Odoo 18 is not installed" in out
    assert "ODOO_PYTHON" in out and "18.0" in out, "it says how to install Odoo"
    assert "Traceback" not in out


def test_test_command_without_odoo_skips_and_counts_the_odoo_tests(
    python_without_odoo,
):
    proc = _run(["./setup/test", "--only", "odoo"], python_without_odoo)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Skipping" in out and "Odoo 18 not importable" in out
    summary = [ln for ln in out.splitlines() if ln.startswith("odoo: ")]
    assert summary and "skipped" in summary[0], out


def test_test_command_requiring_odoo_fails_without_it(python_without_odoo):
    proc = _run(
        ["./setup/test", "--only", "odoo", "--require-odoo"], python_without_odoo
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, "CI must fail when Odoo is missing"
    assert "odoo: 0 passed, 1 failed" in out
