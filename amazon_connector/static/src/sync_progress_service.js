/** @odoo-module **/
// Copyright 2026 The Amazon Connector Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// Live progress of a synchronization running in the background: the scheduled
// action sends "amazon_sync_progress" on Odoo's bus (amazon.sync.schedule
// _notify_progress) to the user who started it, after each page: a notification
// shows what the run did so far, the account form showing that account reloads
// itself (unless it has unsaved changes), and the end of the run is announced
// with its counts.
import { registry } from "@web/core/registry";
import { _t } from "@web/core/l10n/translation";

export const amazonSyncProgressService = {
    dependencies: ["bus_service", "action", "notification"],
    start(env, { bus_service, action, notification }) {
        // One progress notification per account and kind, replaced by each page.
        const running = new Map();
        bus_service.subscribe("amazon_sync_progress", (payload) => {
            const key = `${payload.account_id}:${payload.kind}`;
            if (running.has(key)) {
                running.get(key)();
                running.delete(key);
            }
            if (payload.done) {
                notification.add(payload.progress || _t("Finished."), {
                    title: _t("Amazon synchronization finished"),
                    type: "info",
                });
            } else if (payload.progress) {
                running.set(
                    key,
                    notification.add(payload.progress, {
                        title: _t("Amazon synchronization running"),
                        type: "info",
                        sticky: true,
                        className: "o_amazon_sync_progress",
                    })
                );
            }
            const controller = action.currentController;
            const props = controller && controller.props;
            const showsAccount =
                props &&
                props.resModel === "amazon.account" &&
                props.resId === payload.account_id &&
                controller.view &&
                controller.view.type === "form";
            const dirty = document.querySelector(".o_form_view .o_form_button_save");
            if (showsAccount && !dirty) {
                action.restore(controller.jsId);
            }
        });
        bus_service.start();
    },
};

registry.category("services").add("amazon_sync_progress", amazonSyncProgressService);
