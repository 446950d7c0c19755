# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.amazon_connector.exceptions import (
    AmazonError,
    AmazonInvalidRequest,
    AmazonNotFound,
    AmazonServerError,
    AmazonThrottled,
)

from .. import const

_logger = logging.getLogger(__name__)

OUTBOX_KINDS = [
    ("retail_ack", "Purchase order acknowledgement"),
    ("invoice", "Invoice"),
    ("credit_note", "Credit note"),
    ("df_ack", "Direct Fulfillment acknowledgement"),
    ("df_shipment", "Direct Fulfillment shipment confirmation"),
    ("df_invoice", "Direct Fulfillment invoice"),
    ("df_inventory", "Direct Fulfillment inventory update"),
]
OUTBOX_STATES = [
    ("pending", "Waiting to be sent"),
    ("sending", "Being sent"),
    ("sent", "Received by Amazon, processing"),
    ("accepted", "Accepted by Amazon"),
    ("rejected", "Rejected by Amazon"),
    ("unknown", "Outcome unknown"),
    ("cancelled", "Cancelled"),
]
# kind -> (operation that sends it, operation that reads Amazon's verdict)
KIND_OPERATIONS = {
    "retail_ack": (const.OP_SUBMIT_ACKNOWLEDGEMENT, const.OP_GET_TRANSACTION),
    "invoice": (const.OP_SUBMIT_INVOICES, const.OP_GET_TRANSACTION),
    "credit_note": (const.OP_SUBMIT_INVOICES, const.OP_GET_TRANSACTION),
    "df_ack": (const.OP_DF_SUBMIT_ACKNOWLEDGEMENT, const.OP_DF_GET_TRANSACTION),
    "df_shipment": (
        const.OP_DF_SUBMIT_SHIPMENT_CONFIRMATIONS,
        const.OP_DF_GET_TRANSACTION,
    ),
    "df_invoice": (const.OP_DF_SUBMIT_INVOICE, const.OP_DF_GET_TRANSACTION),
    "df_inventory": (const.OP_DF_SUBMIT_INVENTORY_UPDATE, const.OP_DF_GET_TRANSACTION),
}
# A message still "being sent" after this long was cut off mid-call (a crash, a
# killed worker): Amazon may have it, so it is never sent again blindly.
STALE_SENDING_MINUTES = 10
# Amazon usually decides within minutes: read the verdict again after this delay.
VERDICT_RECHECK_MINUTES = 2
# Attempts of a message refused before reaching Amazon (throttled, authorization).
MAX_ATTEMPTS = 5
# Amazon's answers to a transaction status read.
TX_PROCESSING, TX_SUCCESS, TX_FAILURE = "Processing", "Success", "Failure"


class AmazonOutboxMessage(models.Model):
    """One message to Amazon's vendor APIs, sent exactly once.

    The rule of the house: a message is recorded and committed before it is sent,
    it is sent by a job outside the user's transaction, and it is never sent
    twice. So a document (a purchase order, an invoice, a delivery) never calls
    Amazon itself: it posts a message here, in its own transaction, and the job
    sends it later. One message per document and kind (``key``): pressing a
    button twice, or a retry, finds the same message.

    When the answer is lost (the connection drops after Amazon may have taken the
    message), the message goes to "Outcome unknown"; it is resolved by reading
    Amazon's own state (the purchase order's acknowledgement status, the DF
    order's status) or by a person, never by sending it again blindly. Amazon's
    202 only means "received": the verdict (success, or failure with Amazon's
    errors) is read back with the transaction status operations.
    """

    _name = "amazon.outbox.message"
    _description = "Amazon outbound message"
    _order = "id desc"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.account", required=True, readonly=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    kind = fields.Selection(OUTBOX_KINDS, required=True, readonly=True)
    key = fields.Char(
        required=True,
        readonly=True,
        help="Identifies the document: one message per account, kind and document.",
    )
    document_name = fields.Char("Document", readonly=True)
    res_model = fields.Char("Document model", readonly=True, index=True)
    res_id = fields.Many2oneReference(
        "Document id", model_field="res_model", readonly=True, index=True
    )
    vendor_order_id = fields.Many2one(
        "amazon.vendor.order", readonly=True, ondelete="set null", index=True
    )
    move_id = fields.Many2one(
        "account.move", "Invoice", readonly=True, ondelete="set null", index=True
    )
    picking_id = fields.Many2one(
        "stock.picking", "Delivery", readonly=True, ondelete="set null", index=True
    )
    operation = fields.Char(readonly=True)
    params = fields.Json("Path parameters", readonly=True)
    payload = fields.Json(readonly=True)
    state = fields.Selection(
        OUTBOX_STATES, default="pending", required=True, readonly=True, index=True
    )
    transaction_id = fields.Char("Amazon transaction", readonly=True, index=True)
    error = fields.Text("Amazon's answer", readonly=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_date = fields.Datetime(readonly=True)
    sent_date = fields.Datetime("Sent on", readonly=True)
    checked_date = fields.Datetime("Verdict read on", readonly=True)
    verdict_date = fields.Datetime("Decided on", readonly=True)
    verdict = fields.Char(compute="_compute_verdict", string="Amazon's verdict")

    _sql_constraints = (
        (
            "key_uniq",
            "unique(account_id, kind, key)",
            "Amazon gets one message per document and kind.",
        ),
    )

    @api.depends("state", "error", "kind", "document_name")
    def _compute_display_name(self):
        # Translated labels: the user's language, not the code's English.
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for message in self:
            message.display_name = (
                f"{kinds.get(message.kind, '')} {message.document_name or ''}".strip()
            )

    @api.depends("state", "error")
    def _compute_verdict(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for message in self:
            verdict = states.get(message.state, "")
            if message.error and message.state in ("rejected", "unknown", "pending"):
                verdict = f"{verdict}: {message.error}"
            message.verdict = verdict

    # ------------------------------------------------------------------ posting
    @api.model
    def _post(self, account, kind, document, payload, key=None, params=None, **links):
        """Record a message for Amazon; the job sends it after the commit.

        :param account: the ``amazon.account`` that sends it
        :param kind: one of ``OUTBOX_KINDS``
        :param document: the record the message is about (its model and id are kept)
        :param payload: the request body, exactly as it will be sent
        :param key: identifies the document for this kind (default: model and id)
        :param params: path parameters of the operation (e.g. ``warehouseId``)
        :param links: ``vendor_order_id``, ``move_id`` or ``picking_id`` values
        :return: the message; an existing one when the document already has one
            that is waiting, sent, accepted or of unknown outcome (never a second)
        """
        # The outbox is the connector's machinery: whoever validates a delivery
        # or posts an invoice records its message, whatever their rights on it.
        outbox = self.sudo()
        key = key or f"{document._name},{document.id}"
        existing = outbox.search(
            [("account_id", "=", account.id), ("kind", "=", kind), ("key", "=", key)]
        )
        values = {
            "payload": payload,
            "params": params or {},
            "operation": KIND_OPERATIONS[kind][0],
            "document_name": document.display_name,
            "res_model": document._name,
            "res_id": document.id,
            **links,
        }
        if existing and existing.state not in ("rejected", "cancelled"):
            return existing
        if existing:
            # Amazon refused the previous version: the corrected document goes again.
            existing.write(
                dict(
                    values,
                    state="pending",
                    error=False,
                    transaction_id=False,
                    attempts=0,
                    next_attempt_date=False,
                    sent_date=False,
                    checked_date=False,
                    verdict_date=False,
                )
            )
            message = existing
        else:
            message = outbox.create(
                dict(values, account_id=account.id, kind=kind, key=key)
            )
        outbox._schedule()
        return message

    @api.model
    def _schedule(self, at=None):
        """Run the job once the current transaction commits (or at ``at``)."""
        cron = self.env.ref(
            "amazon_connector_sale.ir_cron_amazon_outbox", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger(at)

    # ---------------------------------------------------------------- the job
    @api.model
    def _cron_process(self):
        """Send what waits, read Amazon's verdicts, settle unknown outcomes."""
        self._mark_stale_sending()
        now = fields.Datetime.now()
        pending = self.search(
            [
                ("state", "=", "pending"),
                "|",
                ("next_attempt_date", "=", False),
                ("next_attempt_date", "<=", now),
            ],
            order="id",
        )
        for message in pending:
            message._send()
        self.search([("state", "=", "sent")], order="id")._read_verdicts()
        self.search([("state", "=", "unknown")], order="id")._resolve_unknown()
        if self.search_count([("state", "in", ("sent", "pending"))]):
            self._schedule(now + timedelta(minutes=VERDICT_RECHECK_MINUTES))
        return True

    @api.model
    def _mark_stale_sending(self):
        limit = fields.Datetime.now() - timedelta(minutes=STALE_SENDING_MINUTES)
        stale = self.search([("state", "=", "sending"), ("write_date", "<", limit)])
        for message in stale:
            message._set_state(
                "unknown",
                error=self.env._(
                    "The job stopped while sending: Amazon may have the message."
                ),
            )
        self._commit()

    def _claim(self):
        """Move a pending message to "being sent"; False when another run has it."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            "UPDATE amazon_outbox_message SET state = 'sending', "
            "attempts = attempts + 1, write_date = now() at time zone 'UTC' "
            "WHERE id = %s AND state = 'pending' RETURNING id",
            (self.id,),
        )
        claimed = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["state", "attempts", "write_date"])
        # Committed before the call: a crash during it leaves "being sent",
        # which becomes "outcome unknown", never a second message.
        self._commit()
        return claimed

    def _send(self):
        """Send one message; what Amazon answered decides the next state."""
        self.ensure_one()
        if not self._claim():
            return
        try:
            params = dict(self.params or {})
            data = self.account_id._spapi_call(
                self.operation, body=self.payload, **params
            )
        except AmazonThrottled as error:
            # Refused before processing: safe to send again later.
            self._retry_later(str(error), getattr(error, "retry_after", 60) or 60)
        except (AmazonInvalidRequest, AmazonNotFound) as error:
            self._set_state("rejected", error=str(error))
        except AmazonServerError as error:
            # A lost answer, a timeout, a 5xx: Amazon may have taken it.
            self._set_state("unknown", error=str(error))
        except (AmazonError, UserError) as error:
            # Refused before Amazon processed anything (authorization, account).
            self._retry_later(str(error), 300)
        except Exception as error:  # never lose track of a message
            _logger.exception("Amazon outbox message %s failed", self.id)
            self._set_state("unknown", error=str(error))
        else:
            transaction = (data or {}).get("transactionId")
            self._set_state(
                "sent",
                transaction_id=transaction,
                sent_date=fields.Datetime.now(),
                error=False,
            )
        self._commit()

    def _retry_later(self, error, seconds):
        if self.attempts >= MAX_ATTEMPTS:
            self._set_state("rejected", error=error)
            return
        self._set_state(
            "pending",
            error=error,
            next_attempt_date=fields.Datetime.now() + timedelta(seconds=seconds),
        )

    # ----------------------------------------------------------- the verdict
    def _read_verdicts(self):
        """Read Amazon's verdict of sent messages (``getTransaction`` and
        ``getTransactionStatus``); a message Amazon still processes stays "sent"."""
        for message in self:
            if not message.transaction_id:
                message._set_state("accepted", verdict_date=fields.Datetime.now())
                continue
            operation = KIND_OPERATIONS[message.kind][1]
            try:
                data = message.account_id._spapi_call(
                    operation, transactionId=message.transaction_id
                )
            except AmazonError as error:
                _logger.info("Verdict of %s not read: %s", message.display_name, error)
                continue
            status = (data or {}).get("transactionStatus") or {}
            values = {"checked_date": fields.Datetime.now()}
            if status.get("status") == TX_SUCCESS:
                message._set_state("accepted", verdict_date=values["checked_date"])
            elif status.get("status") == TX_FAILURE:
                message._set_state(
                    "rejected",
                    error=message._errors_in_words(status.get("errors")),
                    verdict_date=values["checked_date"],
                )
            else:
                message.write(values)
            message._commit()

    def _errors_in_words(self, errors):
        lines = []
        for error in errors or []:
            text = error.get("message") or error.get("code") or ""
            if error.get("details"):
                text = f"{text} ({error['details']})"
            if error.get("code") and error.get("message"):
                text = f"{error['code']}: {text}"
            lines.append(text)
        return "\n".join(lines) or self.env._("Amazon gave no reason.")

    # ------------------------------------------------------ unknown outcomes
    def _resolve_unknown(self):
        """Settle unknown outcomes by reading Amazon's state, when it can say.

        Acknowledgements: the purchase order (Retail) or the DF order shows
        whether Amazon has one; the only shipment confirmation of a DF order:
        the order shows "shipped". An inventory update carries whole
        quantities, so sending it again is harmless. Invoices and the
        confirmations of split deliveries leave no readable trace: a person
        decides (*Amazon has it* or *Send again*), warned by an activity.
        """
        for message in self:
            try:
                received = message._amazon_has_it()
            except AmazonError as error:
                _logger.info("State of %s not read: %s", message.display_name, error)
                continue
            if received:
                message._set_state(
                    "accepted",
                    error=False,
                    verdict_date=fields.Datetime.now(),
                )
                message._document_note(
                    self.env._(
                        "Amazon shows the %(kind)s as received: the lost answer is "
                        "settled.",
                        kind=message._kind_label(),
                    )
                )
            elif received is None and message.kind == "df_inventory":
                message._set_state("pending", next_attempt_date=False)
            message._commit()

    def _amazon_has_it(self):
        """True/False when Amazon's state tells, None when it cannot."""
        self.ensure_one()
        order = self.vendor_order_id
        if self.kind == "retail_ack" and order:
            data = self.account_id._spapi_call(
                const.OP_GET_PURCHASE_ORDERS_STATUS, purchaseOrderNumber=order.name
            )
            for status in (data or {}).get("ordersStatus") or []:
                if status.get("purchaseOrderNumber") != order.name:
                    continue
                return any(
                    (item.get("acknowledgementStatus") or {}).get("confirmationStatus")
                    not in (None, "UNCONFIRMED")
                    for item in status.get("itemStatus") or []
                )
            return False
        if self.kind == "df_ack" and order:
            return self._df_order_status(order) in ("ACCEPTED", "CANCELLED", "SHIPPED")
        if self.kind == "df_shipment" and order:
            others = order.outbox_message_ids.filtered(
                lambda m: m.kind == "df_shipment" and m != self
            )
            if others:
                # Amazon's order status cannot tell which delivery it saw.
                return None
            return self._df_order_status(order) == "SHIPPED"
        return None

    def _df_order_status(self, order):
        data = self.account_id._spapi_call(
            const.OP_DF_GET_ORDER, purchaseOrderNumber=order.name
        )
        return ((data or {}).get("orderDetails") or {}).get("orderStatus")

    # ------------------------------------------------------- people decide
    def action_mark_received(self):
        """A person checked Vendor Central: Amazon has the message."""
        self.env["amazon.account"]._check_amazon_manager(self)
        for message in self.filtered(lambda m: m.state == "unknown"):
            message._set_state(
                "accepted",
                error=self.env._("Marked as received by %s.", self.env.user.name),
                verdict_date=fields.Datetime.now(),
            )
        return True

    def action_send_again(self):
        """A person checked Vendor Central: Amazon does not have it; send it."""
        self.env["amazon.account"]._check_amazon_manager(self)
        messages = self.filtered(lambda m: m.state in ("unknown", "rejected"))
        for message in messages:
            message._set_state("pending", error=False, next_attempt_date=False)
        if messages:
            self._schedule()
        return True

    def action_cancel(self):
        """Give the message up: it will not be sent (Amazon managers only)."""
        self.env["amazon.account"]._check_amazon_manager(self)
        for message in self.filtered(
            lambda m: m.state in ("pending", "unknown", "rejected")
        ):
            message._set_state("cancelled")
        return True

    # ------------------------------------------------------------- helpers
    def _set_state(self, state, **values):
        """Write the state and tell the document; warn its responsible on trouble."""
        self.ensure_one()
        self.write(dict(values, state=state))
        try:
            # What Amazon said about the message is never lost to an error of
            # the document's own follow-up (it would roll the state back).
            with self.env.cr.savepoint():
                self._tell_documents()
                if state in ("rejected", "unknown"):
                    self._warn_responsible()
        except Exception:  # pylint: disable=broad-except
            _logger.exception(
                "Amazon outbox: %s could not show its new state", self.display_name
            )

    def _tell_documents(self):
        document = self._document()
        for target in (document, self.vendor_order_id):
            if target and hasattr(target, "_amazon_outbox_updated"):
                target._amazon_outbox_updated(self)
            if target == self.vendor_order_id:
                break

    def _document(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return None
        document = self.env[self.res_model].browse(self.res_id).exists()
        return document or None

    def _kind_label(self):
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    def _document_note(self, body):
        document = self._document()
        if document and hasattr(document, "message_post"):
            document.message_post(body=body)

    def _warn_responsible(self):
        """An activity on the document for the account's responsible user."""
        document = self._document()
        if not document or not hasattr(document, "activity_schedule"):
            return
        if self.state == "rejected":
            summary = self.env._("Amazon rejected the %s", self._kind_label())
        else:
            summary = self.env._(
                "Did Amazon receive the %s? Check Vendor Central", self._kind_label()
            )
        user = self.account_id.user_id or self.account_id.create_uid
        document.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=self.error or "",
            user_id=user.id or self.env.uid,
        )

    def _commit(self):
        """Commit when running as a job (the suite's one commit seam)."""
        self.env["amazon.account"]._amazon_commit()
