"""Packaging: each addon builds as an OCA-style wheel, and the manifests keep the
rules the project set itself (version, license, PyPI names, no description)."""

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS = (
    "amazon_connector",
    "amazon_connector_sale",
    "amazon_connector_stock",
    "amazon_connector_account",
)


def _manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_follows_the_oca_18_conventions(addon):
    manifest = _manifest(addon)
    assert manifest["version"].startswith("18.0."), "an 18.0.x.y.z version"
    assert len(manifest["version"].split(".")) == 5
    assert manifest["license"] == "LGPL-3"
    assert "description" not in manifest, "README comes from readme/*.md fragments"
    assert "python-amazon-sp-api" in manifest["external_dependencies"]["python"]
    assert (REPO / addon / "readme" / "DESCRIPTION.md").exists()
    assert (REPO / addon / "pyproject.toml").read_text().count("whool") == 2
    for path in manifest.get("data", []):
        assert (REPO / addon / path).exists(), "%s lists a missing file" % path


def test_addon_dependencies_form_the_documented_chain():
    assert "amazon_connector" in _manifest("amazon_connector_sale")["depends"]
    stock = _manifest("amazon_connector_stock")["depends"]
    assert {"amazon_connector_sale", "sale_stock", "stock_delivery"} <= set(stock)
    account = _manifest("amazon_connector_account")["depends"]
    assert {"amazon_connector_sale", "account"} <= set(account)
    assert not [d for d in account if d.startswith("l10n_")], (
        "users outside Italy must not need a localization"
    )


def test_the_addons_and_the_metapackage_build_as_wheels(tmp_path):
    for addon in ADDONS:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "--disable-pip-version-check",
                "-q",
                "-w",
                str(tmp_path),
                str(REPO / addon),
            ],
            check=True,
            cwd=REPO,
        )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO / "setup" / "_metapackage"),
        ],
        check=True,
        cwd=REPO,
    )
    wheels = sorted(p.name for p in tmp_path.glob("*.whl"))
    for addon in ADDONS:
        matching = [w for w in wheels if w.startswith("odoo_addon_%s-18.0." % addon)]
        assert matching, "no wheel for %s in %s" % (addon, wheels)
        with zipfile.ZipFile(tmp_path / matching[0]) as whl:
            names = whl.namelist()
            assert "odoo/addons/%s/__manifest__.py" % addon in names
            metadata = next(n for n in names if n.endswith("METADATA"))
            text = whl.read(metadata).decode()
            assert "Requires-Dist: odoo==18.0.*" in text or "odoo>=18.0" in text
    assert any(w.startswith("odoo_addons_amazon_connector-") for w in wheels)


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_rst_is_generated_from_the_fragments_and_renders_cleanly(addon):
    import io

    from docutils.core import publish_string

    proc = subprocess.run(
        [sys.executable, "setup/gen_readme.py", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout
    warnings = io.StringIO()
    publish_string(
        (REPO / addon / "README.rst").read_text(),
        writer_name="html",
        settings_overrides={"warning_stream": warnings, "report_level": 2},
    )
    assert not warnings.getvalue(), "Odoo renders README.rst in Apps: " + (
        warnings.getvalue()
    )
