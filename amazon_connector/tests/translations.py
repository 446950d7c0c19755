# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The addons' translation files: exported by Odoo, merged, checked.

Shared by ``setup/i18n.py`` (which writes ``<addon>/i18n/<addon>.pot`` and
``it.po``) and ``test_translations`` (which fails when they are stale or a term
has no Italian), so that the tool and the test judge the files the same way.

The terms come from Odoo's own exporter (``TranslationModuleReader``, what
``odoo-bin --i18n-export`` runs) on a database where the addons are installed;
only the header is normalized: Odoo stamps the export time and its build date
there, which would change the files on every run without a change of terms.
"""

import io
import re
from collections import Counter

import polib

from odoo.tools.translate import PoFileWriter, TranslationModuleReader

LANG = "it"
# OCA's header: no dates (no churn), the series, not the nightly build.
POT_METADATA = {
    "Project-Id-Version": "Odoo Server 18.0",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "",
    "Language-Team": "",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "",
    "Plural-Forms": "",
}
PO_METADATA = dict(
    POT_METADATA,
    **{"Language": LANG, "Plural-Forms": "nplurals=2; plural=n != 1;"},
)

# What a translation must keep exactly: %-placeholders, str.format fields, the
# names of XML tags and the QWeb directives of a view or template term.
_PERCENT = re.compile(r"%(?:\([\w.]+\))?[#0+-]?\d*(?:\.\d+)?[sdifr%]")
_BRACES = re.compile(r"\{\{.*?\}\}|\{[\w.]*\}")
_TAG = re.compile(r"</?([a-zA-Z][\w.:-]*)")
_QWEB = re.compile(r"""\bt-[\w-]+="[^"]*"|\bt-[\w-]+='[^']*'""")


def export_templates(cr, modules):
    """Export the terms of ``modules`` as one normalized template per module.

    :param cr: a cursor on a database where ``modules`` are installed
    :param modules: addon names
    :return: ``{module: polib.POFile}`` (a module without terms is absent)
    """
    templates = {}
    for module in modules:
        # One reader per module, as ``--i18n-export --modules=<module>`` does:
        # given several, the reader keeps one module's external id per record,
        # and a model that several addons extend would lose its terms.
        rows = list(TranslationModuleReader(cr, modules=[module]))
        if not rows:
            continue
        writer = PoFileWriter(io.BytesIO(), lang=None)
        writer.write_rows(rows)
        writer.po.metadata = dict(POT_METADATA)
        templates[module] = writer.po
    return templates


def merge(template, old):
    """The Italian file for ``template``: its entries, the translations of ``old``.

    Terms no longer in the template are dropped (Odoo ignores them anyway: it
    merges the template into the ``.po`` when it loads it and skips obsolete
    entries). Flags set by a translator (``fuzzy``) are kept.

    :param template: the ``polib.POFile`` exported for the module
    :param old: the current ``it.po`` as ``polib.POFile``, or None
    """
    known = {e.msgid: e for e in old or () if not e.obsolete}
    new = polib.POFile(wrapwidth=template.wrapwidth)
    new.header = template.header
    new.metadata = dict(PO_METADATA)
    for entry in template:
        previous = known.get(entry.msgid)
        new.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=previous.msgstr if previous else "",
                comment=entry.comment,
                occurrences=list(entry.occurrences),
                flags=list(previous.flags) if previous else [],
            )
        )
    return new


def placeholders(text):
    """What a translation of ``text`` must keep: placeholders, tags, directives."""
    positional = [p for p in _PERCENT.findall(text) if "(" not in p]
    return (
        positional,
        Counter(p for p in _PERCENT.findall(text) if "(" in p),
        Counter(_BRACES.findall(text)),
        Counter(_TAG.findall(text)),
        Counter(_QWEB.findall(text)),
    )


def problems(template, po):
    """Every term of ``template`` that ``po`` does not translate usably.

    :return: sorted list of ``(msgid, reason)``
    """
    known = {e.msgid: e for e in po or () if not e.obsolete}
    found = []
    for entry in template:
        translated = known.get(entry.msgid)
        if translated is None or not translated.msgstr.strip():
            found.append((entry.msgid, "no Italian"))
        elif "fuzzy" in translated.flags:
            found.append((entry.msgid, "fuzzy (to review)"))
        elif placeholders(entry.msgid) != placeholders(translated.msgstr):
            found.append(
                (entry.msgid, "placeholders or markup differ in %r" % translated.msgstr)
            )
    return sorted(found)


def template_differences(fresh, committed_text):
    """How the committed template differs from the fresh export.

    :param fresh: the ``polib.POFile`` just exported
    :param committed_text: the committed ``.pot`` text, or None when missing
    :return: a list of lines for a human; empty when the file is up to date
    """
    if committed_text is None:
        return ["the .pot file is missing"]
    if str(fresh) == committed_text:
        return []
    committed = {e.msgid: e for e in polib.pofile(committed_text)}
    current = {e.msgid: e for e in fresh}
    lines = ["new term: %r" % m for m in sorted(set(current) - set(committed))]
    lines += ["term gone: %r" % m for m in sorted(set(committed) - set(current))]
    for msgid in sorted(set(current) & set(committed)):
        if str(current[msgid]) != str(committed[msgid]):
            lines.append("references changed: %r" % msgid)
    return lines or ["the header or the layout differs"]
