/** @odoo-module **/
// Copyright 2026 The Amazon Connector Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// What a seller sees first (driven by test_every_view_tour.py): the overview's
// counts with their links, labels in words, and the empty states' texts. The
// expected counts come from the Python test through sessionStorage.
import { registry } from "@web/core/registry";

const EXPECTED_KEY = "amazon_connector_overview_expected";

function expected() {
    return JSON.parse(sessionStorage.getItem(EXPECTED_KEY) || "{}");
}

function openAction(xmlid) {
    return async () => {
        const env = odoo.__WOWL_DEBUG__.root.env;
        await env.services.action.doAction(xmlid, { clearBreadcrumbs: true });
    };
}

registry.category("web_tour.tours").add("amazon_connector_overview", {
    steps: () => {
        const counts = expected();
        const card = `.o_kanban_record:contains(${counts.account || "Tour sandbox account"})`;
        return [
            {
                content: "The Amazon overview shows the orders to ship",
                trigger: `${card} .o_amazon_overview_to_ship:contains(${counts.to_ship} orders to ship)`,
            },
            {
                content: "... the late ones",
                trigger: `${card} .o_amazon_overview_late:contains(${counts.late} late)`,
            },
            {
                content: "... the failed shipment confirmations",
                trigger: `${card} .o_amazon_overview_failed_confirmations:contains(${counts.failed_confirmations} failed shipment confirmations)`,
            },
            {
                content: "... the authorization expiry and the syncs in words",
                trigger: `${card}:contains(Authorization valid until):contains(Orders: last)`,
            },
            {
                content: "Follow the failed orders link of the card",
                trigger: `${card} .o_amazon_overview_failed_orders:contains(${counts.failed_orders} failed orders)`,
                run: "click",
            },
            {
                content: "The failed order is listed with its reason",
                trigger: ".o_list_view .o_data_row:contains(405-9999999-0000001)",
            },
            {
                content: "Open the Amazon orders",
                trigger: "body",
                run: openAction("amazon_connector_sale.sale_order_amazon_action"),
            },
            {
                content: "Amazon's status is in words, not SHIPPED or UNSHIPPED",
                trigger: ".o_list_view .o_data_row .o_data_cell:contains(nshipped)",
                run: () => {
                    const raw = [...document.querySelectorAll(".o_list_view .o_data_cell")].filter(
                        (cell) => /^(UNSHIPPED|SHIPPED|PARTIALLY_SHIPPED|CANCELLED)$/.test(cell.innerText.trim())
                    );
                    if (raw.length) {
                        throw new Error(`raw Amazon statuses on screen: ${raw[0].innerText}`);
                    }
                },
            },
            {
                content: "Open the sync logs",
                trigger: "body",
                run: openAction("amazon_connector.amazon_sync_log_action"),
            },
            {
                content: "The kind of sync and its outcome are in words",
                trigger: ".o_list_view .o_data_row:contains(Listings):contains(Succeeded)",
            },
        ];
    },
});

registry.category("web_tour.tours").add("amazon_connector_empty_states", {
    steps: () => [
        {
            content: "The overview without an account says what it will show",
            trigger: ".o_view_nocontent:contains(This overview shows)",
        },
        {
            content: "Open the Amazon orders",
            trigger: "body",
            run: openAction("amazon_connector_sale.sale_order_amazon_action"),
        },
        {
            content: "No order yet: how orders come in",
            trigger: ".o_view_nocontent:contains(No Amazon order yet):contains(Sync orders)",
        },
        {
            content: "Open the failed orders",
            trigger: "body",
            run: openAction("amazon_connector_sale.amazon_order_failure_action"),
        },
        {
            content: "Failed orders: what they will hold",
            trigger: ".o_view_nocontent:contains(No failed Amazon order)",
        },
        {
            content: "Open the failed shipment confirmations",
            trigger: "body",
            run: openAction("amazon_connector_stock.stock_picking_amazon_failed_action"),
        },
        {
            content: "Failed confirmations: Amazon's words, no stock sample rows",
            trigger: ".o_view_nocontent:contains(No failed shipment confirmation)",
            run: () => {
                if (document.querySelector(".o_view_sample_data")) {
                    throw new Error("sample transfers are shown behind the empty state");
                }
            },
        },
        {
            content: "Open the stock feeds",
            trigger: "body",
            run: openAction("amazon_connector_stock.amazon_stock_feed_action"),
        },
        {
            content: "Stock feeds: what they will hold and how to get there",
            trigger: ".o_view_nocontent:contains(No stock feed yet):contains(Push stock)",
        },
    ],
});
