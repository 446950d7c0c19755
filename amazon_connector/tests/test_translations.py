# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.translate import code_translations, get_translation

from . import translations

LANG = "it_IT"


def _our_modules(env):
    """The installed addons of this repository (those next to amazon_connector)."""
    home = os.path.dirname(get_module_path("amazon_connector"))
    installed = env["ir.module.module"].search(
        [("state", "=", "installed"), ("name", "=like", "amazon\\_%")]
    )
    return sorted(
        m.name
        for m in installed
        if os.path.dirname(get_module_path(m.name) or "") == home
    )


def _read(module, filename):
    path = os.path.join(get_module_path(module), "i18n", filename)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@tagged("post_install", "-at_install")
class TestTranslationFiles(TransactionCase):
    """The ``i18n/`` files cover every term Odoo's exporter finds in the addons.

    Odoo reads the ``.pot`` next to ``it.po`` when it loads the Italian (it takes
    the references from there), so a stale template hides new translations too.
    ``python3 setup/i18n.py`` regenerates both; ``--check`` says the same as here.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.modules = _our_modules(cls.env)
        cls.templates = translations.export_templates(cls.env.cr, cls.modules)

    def test_the_addons_of_the_repository_are_the_ones_checked(self):
        self.assertIn("amazon_connector", self.modules)
        self.assertEqual(
            set(self.templates),
            set(self.modules),
            msg="every addon of the repository has translatable terms",
        )

    def test_every_committed_template_lists_the_terms_odoo_exports(self):
        for module, template in self.templates.items():
            with self.subTest(module=module):
                stale = translations.template_differences(
                    template, _read(module, "%s.pot" % module)
                )
                self.assertFalse(
                    stale,
                    msg="%s/i18n/%s.pot is stale, run `python3 setup/i18n.py`:\n%s"
                    % (module, module, "\n".join(stale[:40])),
                )

    def test_every_term_of_every_addon_has_an_italian_translation(self):
        for module, template in self.templates.items():
            with self.subTest(module=module):
                text = _read(module, "it.po")
                missing = translations.problems(
                    template, polib.pofile(text) if text else None
                )
                self.assertFalse(
                    missing,
                    msg="%s/i18n/it.po lacks %d translations (run `python3 "
                    "setup/i18n.py`, then translate; `--todo FILE` lists them):\n%s"
                    % (
                        module,
                        len(missing),
                        "\n".join("%s: %r" % (r, m) for m, r in missing[:40]),
                    ),
                )


@tagged("post_install", "-at_install")
class TestItalianUser(TransactionCase):
    """A user whose language is Italian sees the Amazon screens in Italian.

    Italian is activated and the addons' terms loaded the way Odoo does when it
    installs a module on a database where Italian is active
    (``ir.module.module._update_translations``), which proves the files load.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        cls.modules = _our_modules(cls.env)
        cls.env["ir.module.module"].search(
            [("name", "in", cls.modules)]
        )._update_translations(LANG)
        # {module: {English: Italian}}: a term may read differently per addon.
        cls.italian = {
            module: {e.msgid: e.msgstr for e in polib.pofile(_read(module, "it.po"))}
            for module in cls.modules
        }
        cls.user = new_test_user(
            cls.env,
            login="amz_italian_manager",
            groups="base.group_user,amazon_connector.amazon_connector_group_manager",
            lang=LANG,
        )
        cls.uenv = cls.env(user=cls.user, context={"lang": LANG})

    def test_the_amazon_menus_are_in_italian(self):
        root = self.env.ref("amazon_connector.amazon_connector_menu_root")
        menus = (
            self.env["ir.ui.menu"]
            .with_user(self.user)
            .search([("id", "child_of", root.id), ("id", "!=", root.id)])
        )
        self.assertTrue(menus, msg="an Amazon manager sees the Amazon menus")
        xmlids = menus.get_external_id()
        for menu in menus:
            module = xmlids[menu.id].split(".")[0]
            english = menu.with_context(lang="en_US").name
            self.assertEqual(
                menu.with_context(lang=LANG).name,
                self.italian[module].get(english),
                msg="menu %r" % english,
            )
        labels = {
            data["id"]: data["name"]
            for data in self.env["ir.ui.menu"]
            .with_user(self.user)
            .with_context(lang=LANG)
            .load_menus(False)
            .values()
            if isinstance(data.get("id"), int)
        }
        for xmlid, italian in (
            ("amazon_connector.amazon_connector_menu_orders", "Ordini"),
            ("amazon_connector.amazon_connector_menu_listings", "Inserzioni"),
            ("amazon_connector.amazon_connector_menu_configuration", "Configurazione"),
        ):
            self.assertEqual(labels.get(self.env.ref(xmlid).id), italian, msg=xmlid)

    def test_the_fields_of_every_amazon_model_are_labelled_in_italian(self):
        checked = 0
        for model in self.env["ir.model"].search([("model", "=like", "amazon.%")]):
            english = self.env[model.model].fields_get(attributes=["string"])
            italian = self.uenv[model.model].fields_get(attributes=["string"])
            for name, attrs in italian.items():
                field = self.env[model.model]._fields[name]
                if field._module not in self.modules:
                    continue
                translation = self.italian[field._module].get(english[name]["string"])
                if not translation:
                    continue
                self.assertEqual(
                    attrs["string"],
                    translation,
                    msg="%s.%s" % (model.model, name),
                )
                checked += 1
        self.assertGreater(checked, 100, msg="the models' own fields were checked")

    def test_the_account_form_shows_its_buttons_and_tabs_in_italian(self):
        view = self.env.ref("amazon_connector.amazon_account_view_form")
        as_english = self.env(user=self.user, context={"lang": "en_US"})
        english = as_english["amazon.account"].get_views([(view.id, "form")])
        italian = self.uenv["amazon.account"].get_views([(view.id, "form")])
        arch_en = english["views"]["form"]["arch"]
        arch_it = italian["views"]["form"]["arch"]
        terms = {
            msgid: msgstr
            for module in self.modules
            for msgid, msgstr in self.italian[module].items()
            if msgid != msgstr
            and not set(msgid) & set("&<>\"'")
            and '"%s"' % msgid in arch_en
        }
        self.assertGreater(len(terms), 10, msg="the form's labels were found")
        untranslated = [m for m, it in terms.items() if '"%s"' % it not in arch_it]
        self.assertFalse(untranslated, msg="labels left in English on the form")

    def _code_terms(self, module, comment):
        """The terms of ``module``'s code (``odoo-python`` or ``odoo-javascript``).

        Odoo serves the two apart: ``_()`` in Python reads the Python terms only,
        the web client gets the JavaScript ones with the session.
        """
        return [
            entry
            for entry in polib.pofile(_read(module, "it.po"))
            if comment in entry.comment.split("\n") and "%" not in entry.msgid
        ]

    def test_messages_raised_by_the_code_are_in_italian(self):
        code_terms = self._code_terms("amazon_connector", "odoo-python")
        self.assertTrue(code_terms)
        for entry in code_terms:
            self.assertEqual(self.uenv._(entry.msgid), entry.msgstr, msg=entry.msgid)

    def test_the_messages_of_every_addon_are_in_italian(self):
        for module in self.modules:
            for entry in self._code_terms(module, "odoo-python"):
                self.assertEqual(
                    get_translation(module, LANG, entry.msgid, ()),
                    entry.msgstr,
                    msg="%s: %s" % (module, entry.msgid),
                )
        self.assertTrue(
            self._code_terms("amazon_connector_account", "odoo-python")
            or "amazon_connector_account" not in self.modules,
            msg="the accounting addon's messages are checked when it is installed",
        )

    def test_the_web_client_gets_the_javascript_terms_in_italian(self):
        checked = 0
        for module in self.modules:
            terms = self._code_terms(module, "odoo-javascript")
            checked += len(terms)
            served = {
                message["id"]: message["string"]
                for message in code_translations.get_web_translations(module, LANG)[
                    "messages"
                ]
            }
            for entry in terms:
                self.assertEqual(
                    served.get(entry.msgid),
                    entry.msgstr,
                    msg="%s: %s" % (module, entry.msgid),
                )
        self.assertTrue(
            checked, msg="the JavaScript terms (sync progress) were checked"
        )
