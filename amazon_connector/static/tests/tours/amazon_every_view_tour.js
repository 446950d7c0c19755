/** @odoo-module **/
// Copyright 2026 The Amazon Connector Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// Opens every view of every action under the Amazon menu, and the form of a real
// record of each, then fails on any error dialog or console error. The plan (which
// action, which view type, which record) is computed from ir.ui.menu by the Python
// test (amazon_connector/tests/every_view.py) and handed over in sessionStorage,
// so a new menu cannot be missed.
import { registry } from "@web/core/registry";

export const PLAN_KEY = "amazon_connector_every_view_plan";

const VIEW_SELECTORS = {
    list: ".o_list_view",
    form: ".o_form_view",
    kanban: ".o_kanban_view",
    pivot: ".o_pivot_view",
    graph: ".o_graph_view",
    calendar: ".o_calendar_view",
    activity: ".o_activity_view",
};

function describe(entry) {
    const what = entry.res_id ? `record ${entry.res_id} in ` : "";
    return `${entry.menu}: ${what}${entry.view} view`;
}

function checkNoError(entry) {
    const dialog = document.querySelector(".o_error_dialog, .o_dialog .modal-body .o_error_detail");
    if (dialog) {
        throw new Error(`${describe(entry)} shows an error: ${dialog.innerText}`);
    }
}

function stepsFor(entry) {
    const selector = VIEW_SELECTORS[entry.view] || "> *";
    // an action opening in a dialog (target "new") renders outside the manager
    const container = entry.dialog ? ".o_dialog" : ".o_action_manager";
    let trigger = `${container} ${selector}`;
    if (entry.res_id) {
        // the record is loaded: its breadcrumb shows its name, not "New"
        trigger = ".o_action_manager .o_form_view .o_form_saved";
    } else if (entry.rows && entry.view === "list") {
        trigger = `.o_action_manager ${selector} .o_data_row`;
    } else if (entry.rows && entry.view === "kanban") {
        trigger = `.o_action_manager ${selector} .o_kanban_record:not(.o_kanban_ghost)`;
    } else if (entry.rows && entry.view === "pivot") {
        trigger = `.o_action_manager ${selector} .o_pivot_cell_value`;
    } else if (entry.rows && entry.view === "graph") {
        trigger = `.o_action_manager ${selector} canvas`;
    }
    const close = entry.dialog
        ? [
              {
                  content: `Close ${describe(entry)}`,
                  trigger: ".o_dialog .btn-close",
                  run: "click",
              },
          ]
        : [];
    return [
        {
            content: `Open ${describe(entry)}`,
            trigger: ".o_web_client .o_action_manager",
            run: async () => {
                const env = odoo.__WOWL_DEBUG__.root.env;
                const options = { clearBreadcrumbs: true, viewType: entry.view };
                if (entry.res_id) {
                    options.props = { resId: entry.res_id };
                }
                await env.services.action.doAction(entry.action, options);
            },
        },
        {
            content: `${describe(entry)} is shown${entry.rows ? " with data" : ""}`,
            trigger,
            run: () => checkNoError(entry),
        },
        ...close,
    ];
}

registry.category("web_tour.tours").add("amazon_connector_every_view", {
    steps: () => {
        const plan = JSON.parse(sessionStorage.getItem(PLAN_KEY) || "[]");
        if (!plan.length) {
            // steps() also runs before the plan is handed over (odoo.isTourReady)
            return [
                {
                    content: "The Python test hands over the plan of views",
                    trigger: "body",
                    run: () => {
                        throw new Error("No Amazon view to open: the plan is empty");
                    },
                },
            ];
        }
        return [
            ...plan.flatMap(stepsFor),
            {
                content: "No error dialog is left open",
                trigger: ".o_web_client:not(:has(.o_error_dialog))",
            },
        ];
    },
});
