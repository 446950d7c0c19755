"""Build each addon's README.rst from its readme/*.md fragments, as OCA does.

    python3 setup/gen_readme.py           # write the README.rst files
    python3 setup/gen_readme.py --check   # exit 1 when one is out of date

OCA's own generator (oca-gen-addon-readme) is not published on PyPI; this one
covers the Markdown the fragments use (headings, lists, tables, code, links) and
is checked by tests/test_packaging.py, which also renders the result with
docutils as Odoo does for the Apps screen.
"""

import ast
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = (
    "amazon_connector",
    "amazon_connector_sale",
    "amazon_connector_stock",
    "amazon_connector_account",
)

# (fragment, section title); DESCRIPTION has no title, as in OCA's READMEs.
FRAGMENTS = (
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
)
UNDERLINES = {1: "=", 2: "-", 3: "~", 4: "^"}

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_CODE = re.compile(r"(?<!`)`([^`]+)`(?!`)")


def _inline(text):
    text = _CODE.sub(r"``\1``", text)
    return _LINK.sub(r"`\1 <\2>`__", text)


def _heading(title, level):
    title = _inline(title.strip())
    return [title, UNDERLINES[level] * len(title), ""]


def _table(rows):
    cells = [
        [_inline(c.strip()) for c in row.strip().strip("|").split("|")] for row in rows
    ]
    header, body = cells[0], [r for r in cells[2:]]
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header] + body:
        for i, cell in enumerate(row):
            out.append(("   * - " if i == 0 else "     - ") + (cell or " "))
    return out + [""]


def md_to_rst(markdown, base_level=1):
    """Convert one Markdown fragment; its ``#`` headings start at ``base_level``."""
    lines = markdown.rstrip().splitlines()
    out = []
    i = 0
    in_list_depth = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            out += ["::", ""]
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append("    " + lines[i] if lines[i] else "")
                i += 1
            out.append("")
            i += 1
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            # ``#`` and ``##`` are sections of the fragment, ``###`` below them.
            level = min(max(len(heading.group(1)) - 2, 0) + base_level, 4)
            if out and out[-1]:
                out.append("")
            out += _heading(heading.group(2), level)
            i += 1
            continue
        if (
            line.lstrip().startswith("|")
            and i + 1 < len(lines)
            and re.match(r"^\s*\|?\s*:?-+", lines[i + 1])
        ):
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i])
                i += 1
            if out and out[-1]:
                out.append("")
            out += _table(rows)
            continue
        item = re.match(r"^(\s*)([-*]|\d+\.)\s+(.*)$", line)
        if item:
            depth = len(item.group(1)) // 2
            if depth != in_list_depth and out and out[-1]:
                out.append("")  # RST wants blank lines around nested lists
            in_list_depth = depth
            out.append("  " * depth + item.group(2) + " " + _inline(item.group(3)))
            i += 1
            continue
        if in_list_depth and line.startswith(" ") and line.strip():
            out.append("  " * in_list_depth + "  " + _inline(line.strip()))
            i += 1
            continue
        if not line.strip():
            in_list_depth = 0
        out.append(_inline(line))
        i += 1
    return "\n".join(out).rstrip() + "\n"


def build(addon):
    folder = REPO / addon
    manifest = ast.literal_eval((folder / "__manifest__.py").read_text())
    name = manifest["name"]
    parts = [
        ".. Generated from readme/*.md by setup/gen_readme.py: edit those, not this.",
        "",
        "=" * len(name),
        name,
        "=" * len(name),
        "",
        "|license| |version|",
        "",
        ".. |license| image:: https://img.shields.io/badge/licence-LGPL--3-blue.png",
        "    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
        "    :alt: License: LGPL-3",
        ".. |version| image:: https://img.shields.io/badge/Odoo-18.0-714B67.png",
        "    :alt: Odoo 18.0",
        "",
    ]
    for fragment, title in FRAGMENTS:
        path = folder / "readme" / fragment
        if not path.exists():
            continue
        if title:
            parts += _heading(title, 1)
        parts.append(md_to_rst(path.read_text(), base_level=2))
    parts += _heading("Credits", 1) + _heading("Authors", 2)
    parts += ["* %s" % manifest["author"], ""]
    contributors = folder / "readme" / "CONTRIBUTORS.md"
    if contributors.exists():
        parts += _heading("Contributors", 2)
        parts.append(md_to_rst(contributors.read_text()))
    return "\n".join(parts).rstrip() + "\n"


def main(argv):
    check = "--check" in argv
    stale = []
    for addon in ADDONS:
        target = REPO / addon / "README.rst"
        text = build(addon)
        if check:
            if not target.exists() or target.read_text() != text:
                stale.append(str(target.relative_to(REPO)))
        else:
            target.write_text(text)
    if stale:
        print("out of date (run python3 setup/gen_readme.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
