#!/usr/bin/env python3
"""Regenerate the addons' translation files, or check them.

    python3 setup/i18n.py [--db NAME [--no-update]] [--check] [--keep-db]
    python3 setup/i18n.py --todo FILE      # the terms without Italian, as JSON
    python3 setup/i18n.py --fill FILE      # write the Italian of such a JSON

For every addon of ``setup/_lib.py`` ADDONS, Odoo's own exporter (the one behind
``odoo-bin --i18n-export``) reads the terms of the addon from a database where the
addons are installed: a throwaway one (installed fresh, dropped afterwards) or
``--db NAME`` (the addons are installed or updated there first, unless
``--no-update``). It writes ``<addon>/i18n/<addon>.pot`` and merges
``<addon>/i18n/it.po`` (translations kept, terms gone dropped, new terms empty),
then prints how many terms each addon has and how many lack Italian.

``--check`` writes nothing: it fails, with the list, when a committed ``.pot``
differs from the export or a term has no usable Italian (missing, fuzzy, or
placeholders and markup not kept). Odoo's test ``test_translations`` runs the
same check inside ``./setup/test``.

``--todo`` and ``--fill`` need no database: ``--todo FILE`` writes
``{addon: {msgid: ""}}`` for every term without Italian (prefilled where another
addon translates the same term), ``--fill FILE`` writes the non-empty values back
into the ``it.po`` files. Run with the Python that has Odoo (``$ODOO_PYTHON`` or
``python3``).
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _lib
from _lib import ADDONS, REPO, say

HELPERS = REPO / "amazon_connector" / "tests" / "translations.py"


def helpers():
    """The shared module of the test, loaded alone (not the whole test package)."""
    spec = importlib.util.spec_from_file_location("amazon_i18n_helpers", HELPERS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pot_path(addon):
    return REPO / addon / "i18n" / ("%s.pot" % addon)


def po_path(addon):
    return REPO / addon / "i18n" / "it.po"


def read(path):
    return path.read_text(encoding="utf-8") if path.exists() else None


def installed_addons(db):
    out = subprocess.run(
        [
            "psql",
            "-d",
            db,
            "-tAc",
            "select name from ir_module_module where state = 'installed'",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    return set(out) & set(ADDONS)


def prepare_database(python, info, db, fresh):
    """Install the addons on ``db`` (or update them when they are there)."""
    to_update = set() if fresh else installed_addons(db)
    to_install = set(ADDONS) - to_update
    cmd = [
        python,
        "-m",
        "odoo",
        "--database",
        db,
        "--addons-path",
        _lib.addons_path(info),
        "--without-demo",
        "all",
        "--stop-after-init",
        "--no-http",
        "--log-level",
        "warn",
    ]
    if to_install:
        cmd += ["--init", ",".join(sorted(to_install))]
    if to_update:
        cmd += ["--update", ",".join(sorted(to_update))]
    say(
        "Preparing database %s (install: %s; update: %s) ..."
        % (
            db,
            ", ".join(sorted(to_install)) or "-",
            ", ".join(sorted(to_update)) or "-",
        )
    )
    proc = subprocess.run(cmd, cwd="/", capture_output=True, text=True)
    if proc.returncode != 0:
        say((proc.stdout + proc.stderr)[-6000:])
        raise SystemExit("Odoo could not install the addons on %s." % db)


def export(info, db):
    """Export the templates of ADDONS in this process: ``{addon: POFile}``."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        ["--addons-path", _lib.addons_path(info), "--log-level", "warn"],
        setup_logging=True,
    )
    tools = helpers()
    registry = Registry(db)
    with registry.cursor() as cr:
        return tools.export_templates(cr, ADDONS)


def regenerate(tools, templates):
    for addon in ADDONS:
        template = templates.get(addon)
        if template is None:
            say("%s: no translatable term" % addon)
            continue
        pot_path(addon).parent.mkdir(exist_ok=True)
        pot_path(addon).write_text(str(template), encoding="utf-8")
        old = read(po_path(addon))
        po = tools.merge(template, tools.polib.pofile(old) if old else None)
        po_path(addon).write_text(str(po), encoding="utf-8")
        report(tools, addon, template, po)


def report(tools, addon, template, po):
    missing = tools.problems(template, po)
    say(
        "%s: %d terms, %d without Italian"
        % (addon, len(template), len([p for p in missing if p[1] == "no Italian"]))
        + (
            ", %d to review" % len([p for p in missing if p[1] != "no Italian"])
            if any(p[1] != "no Italian" for p in missing)
            else ""
        )
    )
    return missing


def check(tools, templates):
    failures = 0
    for addon in ADDONS:
        template = templates.get(addon)
        if template is None:
            continue
        stale = tools.template_differences(template, read(pot_path(addon)))
        for line in stale:
            say("  %s.pot is stale: %s" % (addon, line))
        old = read(po_path(addon))
        missing = report(
            tools, addon, template, tools.polib.pofile(old) if old else None
        )
        for msgid, reason in missing:
            say("  %s it.po: %s: %r" % (addon, reason, msgid))
        failures += len(stale) + len(missing)
    if failures:
        say(
            "Run `python3 setup/i18n.py` to regenerate, then translate the terms "
            "listed (`--todo FILE`, edit, `--fill FILE`)."
        )
    return 1 if failures else 0


def todo(tools, path):
    """Write the terms without Italian as ``{addon: {msgid: suggestion}}``."""
    pos = {a: tools.polib.pofile(read(po_path(a))) for a in ADDONS if read(po_path(a))}
    known = {}
    for po in pos.values():
        for entry in po:
            if entry.msgstr and "fuzzy" not in entry.flags:
                known.setdefault(entry.msgid, entry.msgstr)
    out = {}
    for addon, po in pos.items():
        missing = tools.problems(po, po)
        if missing:
            out[addon] = {m: known.get(m, "") for m, _reason in missing}
    Path(path).write_text(
        json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    say("%d terms to translate written to %s" % (sum(map(len, out.values())), path))


def fill(tools, path):
    """Write the non-empty translations of ``path`` into the ``it.po`` files."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    bad = 0
    for addon, terms in sorted(data.items()):
        po = tools.polib.pofile(read(po_path(addon)))
        entries = {e.msgid: e for e in po}
        for msgid, msgstr in terms.items():
            if not msgstr:
                continue
            entry = entries.get(msgid)
            if entry is None:
                say("  %s: no such term (regenerate first?): %r" % (addon, msgid))
                bad += 1
                continue
            if tools.placeholders(msgid) != tools.placeholders(msgstr):
                say("  %s: placeholders or markup differ: %r" % (addon, msgstr))
                bad += 1
                continue
            entry.msgstr = msgstr
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po_path(addon).write_text(str(po), encoding="utf-8")
        report(tools, addon, po, po)
    return 1 if bad else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="reuse this database (created when missing)")
    parser.add_argument(
        "--no-update", action="store_true", help="with --db: export it as it is"
    )
    parser.add_argument("--check", action="store_true", help="write nothing, judge")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--todo", metavar="FILE")
    parser.add_argument("--fill", metavar="FILE")
    args = parser.parse_args()

    python = _lib.odoo_python()
    if (
        os.environ.get("ODOO_PYTHON")
        and not os.environ.get("AMAZON_I18N_CHILD")
        and os.path.realpath(python) != os.path.realpath(sys.executable)
    ):
        # Odoo runs in-process for the export: use the interpreter that has it.
        os.environ["AMAZON_I18N_CHILD"] = "1"
        os.execv(python, [python, __file__, *sys.argv[1:]])
    python = sys.executable
    ok, info = _lib.probe_odoo(python)
    if not ok:
        raise SystemExit(_lib.ODOO_MISSING.format(python=python, detail=info))
    tools = helpers()
    if args.todo:
        todo(tools, args.todo)
        return 0
    if args.fill:
        return fill(tools, args.fill)

    _lib.ensure_postgres()
    db = args.db or "i18n_tmp_%d" % os.getpid()
    fresh = not _lib.db_exists(db)
    try:
        if not (args.db and args.no_update):
            prepare_database(python, info, db, fresh)
        templates = export(info, db)
        if args.check:
            return check(tools, templates)
        regenerate(tools, templates)
        return 0
    finally:
        if not args.db and not args.keep_db:
            _lib.drop_db(db)
            filestore = Path.home() / ".local/share/Odoo/filestore" / db
            subprocess.run(["rm", "-rf", str(filestore)], check=False)


if __name__ == "__main__":
    sys.exit(main())
