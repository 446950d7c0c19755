/** @odoo-module **/
// Copyright 2026 The Amazon Connector Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// An Amazon manager presses "Import FBA inventory" on the account: the import
// runs in the background (the account's scheduled action), the page stays
// usable, the progress of each page appears live (Odoo's bus) and the end of the
// run is announced with its counts (driven by test_sync_progress_tour.py, which
// plays Odoo's cron worker).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("amazon_connector_stock_sync_progress", {
    steps: () => [
        {
            content: "Open the account from its card in the Amazon overview",
            trigger: ".o_kanban_view .o_kanban_record:contains(Live progress account)",
            run: "click",
        },
        {
            content: "Press Import FBA inventory",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_sync_in_background]:contains(Import FBA inventory)",
            run: "click",
        },
        {
            content: "The import runs in the background",
            trigger: ".o_notification:contains(runs in the background)",
        },
        {
            content: "The user keeps working: the Schedule tab opens meanwhile",
            trigger: ".o_notebook .nav-link:contains(Schedule)",
            run: "click",
        },
        {
            content: "The first page's progress appears while the import runs",
            trigger: ".o_amazon_sync_progress:contains(1 read, 1 created)",
        },
        {
            content: "The end of the run is announced with its counts",
            trigger:
                ".o_notification:contains(Amazon synchronization finished):contains(2 read, 2 created)",
        },
        {
            content: "The progress notification is gone",
            trigger: "body:not(:has(.o_amazon_sync_progress))",
        },
    ],
});
