/** @odoo-module **/
// Copyright 2026 The Amazon Connector Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// An Amazon manager opens the account, presses "Sync orders" and finds the
// imported orders in Amazon > Orders (driven by test_order_tour.py).
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
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_sync_orders]",
            run: "click",
        },
        {
            content: "The notification says plainly the sync succeeded",
            trigger: ".o_notification:contains(Succeeded: 3 created)",
        },
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
