/** @odoo-module **/
// Copyright 2026 The Amazon Connector Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// An Amazon manager opens the account and presses "Sync orders": the sync starts
// in the background and the page stays usable; the account's Schedule tab shows
// it waiting for a worker. Once the account's scheduled action ran (the test runs
// it, as a cron worker would), the manager finds the imported orders in
// Amazon > Orders (driven by test_order_tour.py).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("amazon_connector_sale_sync_orders", {
    steps: () => [
        {
            content: "Open the account from its card in the Amazon overview",
            trigger: ".o_kanban_view .o_kanban_record:contains(Tour sandbox account)",
            run: "click",
        },
        {
            content: "Press Sync orders",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_sync_in_background]:contains(Sync orders)",
            run: "click",
        },
        {
            content: "The sync runs in the background",
            trigger: ".o_notification:contains(runs in the background)",
        },
    ],
});

registry.category("web_tour.tours").add("amazon_connector_sale_sync_waiting", {
    steps: () => [
        {
            content: "Open the account again from its card in the Amazon overview",
            trigger: ".o_kanban_view .o_kanban_record:contains(Tour sandbox account)",
            run: "click",
        },
        {
            content: "Open the Schedule tab",
            trigger: ".o_notebook .nav-link:contains(Schedule)",
            run: "click",
        },
        {
            content: "The order sync waits for a free worker",
            trigger: ".o_field_one2many[name=sync_schedule_ids] .o_data_row:contains(Waiting for a free worker)",
        },
    ],
});

registry.category("web_tour.tours").add("amazon_connector_sale_orders_listed", {
    steps: () => [
        {
            content: "Open the Orders menu of the Amazon app",
            trigger:
                ".o_menu_sections [data-menu-xmlid='amazon_connector.amazon_connector_menu_orders']",
            run: "click",
        },
        {
            content: "Open Amazon > Orders > Sales Orders",
            trigger: "[data-menu-xmlid='amazon_connector_sale.amazon_sale_order_menu']",
            run: "click",
        },
        {
            content: "The first imported order is listed",
            trigger: ".o_list_view .o_data_cell:contains(408-0000000-0000001)",
        },
        {
            content: "The second imported order is listed",
            trigger: ".o_list_view .o_data_cell:contains(408-0000000-0000002)",
        },
        {
            content: "The third imported order is listed",
            trigger: ".o_list_view .o_data_cell:contains(408-0000000-0000003)",
        },
    ],
});
