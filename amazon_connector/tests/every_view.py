# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Open every view under the Amazon menu in Chromium, with real data.

Two passes, both failing on any error dialog, console error or server error:

* Odoo's own click bot over the Amazon app: every menu, every view switcher and
  every filter the user can click;
* the tour ``amazon_connector_every_view``: every view type of every action found
  under the Amazon root in ``ir.ui.menu`` (so a new menu cannot be missed), and the
  form of a real record of each.

A sibling addon that adds menus subclasses the test that uses this mixin and
creates records for its models; a menu whose model has no record fails the test
(a form never opened is a form never tested).
"""

import json

from odoo.tools.safe_eval import safe_eval

ROOT_MENU = "amazon_connector.amazon_connector_menu_root"
PLAN_KEY = "amazon_connector_every_view_plan"
# view types the tour knows how to recognise; others still open (generic check)
VIEW_TYPES = ("list", "kanban", "form", "pivot", "graph", "calendar", "activity")


class EveryViewMixin:
    """For an ``HttpCase``: the plan of views and the two browser passes."""

    def _amazon_menus(self):
        root = self.env.ref(ROOT_MENU)
        return (
            self.env["ir.ui.menu"]
            .search([("id", "child_of", root.id)])
            .filtered(lambda menu: menu.action)
        )

    def _action_domain(self, action):
        try:
            return safe_eval(
                action.domain or "[]",
                {"uid": self.env.uid, "context": {}, "allowed_company_ids": []},
            )
        except Exception:  # a domain needing an active_id: take every record
            return []

    def amazon_view_plan(self):
        """:return: ``(plan, missing)``: the entries for the tour, and the menus
        whose model has no record to open"""
        plan, missing = [], []
        for menu in self._amazon_menus():
            action = menu.action
            label = menu.complete_name
            if action._name != "ir.actions.act_window":
                plan.append({"menu": label, "action": action.id, "view": "any"})
                continue
            view_types = [vt for vt in action.view_mode.split(",") if vt]
            Model = self.env[action.res_model]
            records = Model.search(self._action_domain(action), limit=1)
            # rows must show unless a default filter of the action may hide them
            rows = bool(records) and "search_default" not in (action.context or "")
            if not records and not Model._transient:
                records = Model.search([], limit=1)
            for view_type in view_types:
                entry = {
                    "menu": label,
                    "action": action.id,
                    "view": view_type,
                    "dialog": action.target == "new",
                }
                if view_type != "form":
                    entry["rows"] = rows
                plan.append(entry)
            if "form" in view_types and not Model._transient:
                if records:
                    plan.append(
                        {
                            "menu": label,
                            "action": action.id,
                            "view": "form",
                            "res_id": records.id,
                        }
                    )
                else:
                    missing.append(label)
            elif not Model._transient and not records:
                missing.append(label)
        return plan, missing

    def run_every_view_tour(self, login="admin"):
        plan, missing = self.amazon_view_plan()
        self.assertFalse(
            missing,
            msg="menus without a record to show: create data for them in setUp",
        )
        code = "sessionStorage.setItem(%s, %s); odoo.startTour(%s, %s)" % (
            json.dumps(PLAN_KEY),
            json.dumps(json.dumps(plan)),
            json.dumps("amazon_connector_every_view"),
            json.dumps({"stepDelay": 0, "keepWatchBrowser": False, "debug": False}),
        )
        self.start_tour(
            "/odoo",
            "amazon_connector_every_view",
            login=login,
            code=code,
            timeout=600,
        )
        return plan

    def run_click_everywhere(self, login="admin"):
        """Odoo's click bot over the Amazon app (menus, view switchers, filters)."""
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere(%s);" % json.dumps(ROOT_MENU),
            "odoo.isReady === true",
            login=login,
            timeout=600,
            success_signal="clickbot test succeeded",
        )
