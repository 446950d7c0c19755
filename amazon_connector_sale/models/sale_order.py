# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..const import SERVICE_LEVELS, STATUS_SELECTION


class SaleOrder(models.Model):
    _inherit = "sale.order"

    amazon_account_id = fields.Many2one(
        "amazon.account", index=True, readonly=True, copy=False
    )
    amazon_order_id = fields.Char(index=True, readonly=True, copy=False)
    amazon_marketplace_id = fields.Many2one(
        "amazon.marketplace", string="Marketplace", readonly=True, copy=False
    )
    amazon_fulfillment_channel = fields.Selection(
        [("fbm", "Fulfilled by Merchant"), ("fba", "Fulfilled by Amazon")],
        string="Fulfilment Channel",
        readonly=True,
        copy=False,
    )
    amazon_status = fields.Char(
        string="Amazon Status Code",
        readonly=True,
        copy=False,
        help="Amazon's status as its API spells it (UNSHIPPED, SHIPPED...).",
    )
    amazon_seller_status = fields.Selection(
        STATUS_SELECTION,
        string="Amazon Order Status",
        compute="_compute_amazon_seller_status",
        store=True,
        help="The status of a seller order on Amazon.",
    )
    amazon_status_label = fields.Char(
        string="Amazon Status",
        compute="_compute_amazon_status_label",
        help="The order's status on Amazon, in words.",
    )
    amazon_purchase_date = fields.Datetime(readonly=True, copy=False)
    amazon_ship_by = fields.Datetime(
        string="Ship By",
        readonly=True,
        copy=False,
        help="The latest time Amazon promised the buyer the order ships "
        "(shipByWindow).",
    )
    amazon_deliver_by = fields.Datetime(
        string="Deliver By",
        readonly=True,
        copy=False,
        help="The latest time Amazon promised the buyer the delivery "
        "(deliverByWindow).",
    )
    amazon_service_level = fields.Selection(
        SERVICE_LEVELS,
        string="Shipping Service",
        readonly=True,
        copy=False,
        help="The shipping speed the buyer chose at checkout.",
    )
    amazon_ship_to = fields.Text(
        string="Ship To",
        compute="_compute_amazon_ship_to",
        help="The delivery address of the order.",
    )
    amazon_last_update = fields.Datetime(readonly=True, copy=False)
    amazon_order_kind = fields.Selection(
        [
            ("seller", "Seller"),
            ("vendor_retail", "Vendor (retail)"),
            ("vendor_df", "Vendor (direct fulfilment)"),
        ],
        default="seller",
        copy=False,
    )
    amazon_closed_date = fields.Datetime(
        string="Amazon Closed On",
        readonly=True,
        copy=False,
        help="When Amazon reported the order shipped or cancelled: starts the "
        "personal-data retention period.",
    )
    amazon_import_notes = fields.Text(
        string="Import Notes",
        readonly=True,
        copy=False,
        help="Data Amazon sent that could not be used as is.",
    )
    amazon_pii_anonymized = fields.Boolean(readonly=True, copy=False)
    amazon_sync_log_id = fields.Many2one(
        "amazon.sync.log", string="Import Log", readonly=True, copy=False
    )
    # Amazon sells in the marketplace's currency (EUR, GBP, SEK, PLN...): reports
    # that add orders up need one currency, the company's, at the order's rate.
    amazon_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amazon_amount_untaxed_company = fields.Monetary(
        string="Untaxed (company currency)",
        currency_field="amazon_company_currency_id",
        compute="_compute_amazon_company_amounts",
        store=True,
        help="Untaxed amount converted to the company's currency at the rate of "
        "the order date.",
    )
    amazon_amount_total_company = fields.Monetary(
        string="Total (company currency)",
        currency_field="amazon_company_currency_id",
        compute="_compute_amazon_company_amounts",
        store=True,
        help="Total converted to the company's currency at the rate of the order date.",
    )

    _sql_constraints = (
        (
            "amazon_order_uniq",
            # The kind is part of the key: Amazon numbers Retail purchase orders
            # and Direct Fulfillment orders independently, and its own examples
            # reuse one number for both (vendorOrders.json, 2021-12-28 DF model).
            "unique(amazon_account_id, amazon_order_kind, amazon_order_id)",
            "An Amazon order can only be imported once per account.",
        ),
    )

    @api.depends("amazon_status", "amazon_order_kind")
    def _compute_amazon_seller_status(self):
        known = dict(STATUS_SELECTION)
        for order in self:
            status = order.amazon_status
            order.amazon_seller_status = (
                status
                if status in known and order.amazon_order_kind in (False, "seller")
                else False
            )

    @api.depends("amazon_status", "amazon_order_kind")
    def _compute_amazon_status_label(self):
        """Amazon's status in words (the labels of the selections that hold it)."""
        VendorOrder = self.env["amazon.vendor.order"]
        words = {
            "seller": dict(
                self._fields["amazon_seller_status"]._description_selection(self.env)
            ),
            "vendor_retail": dict(
                VendorOrder._fields["po_state"]._description_selection(self.env)
            ),
            "vendor_df": dict(
                VendorOrder._fields["df_status"]._description_selection(self.env)
            ),
        }
        for order in self:
            status = order.amazon_status
            kind_words = words.get(order.amazon_order_kind or "seller", {})
            order.amazon_status_label = (
                kind_words.get(status, status) if status else False
            )

    @api.depends("partner_shipping_id")
    def _compute_amazon_ship_to(self):
        for order in self:
            partner = order.partner_shipping_id
            if not order.amazon_order_id or not partner:
                order.amazon_ship_to = False
                continue
            lines = [partner.name or ""]
            lines.append(partner._display_address(without_company=True))
            if partner.phone:
                lines.append(partner.phone)
            order.amazon_ship_to = "\n".join(line for line in lines if line).strip()

    def action_confirm(self):
        """Confirm, keeping Amazon's purchase date as the order date.

        Odoo sets ``date_order`` to the confirmation time; for an Amazon order
        the date the buyer ordered is the one reports and invoices need.
        """
        res = super().action_confirm()
        for order in self:
            if (
                order.amazon_purchase_date
                and order.date_order != order.amazon_purchase_date
            ):
                order.date_order = order.amazon_purchase_date
        return res

    @api.depends("amount_untaxed", "amount_total", "currency_rate")
    def _compute_amazon_company_amounts(self):
        for order in self:
            rate = order.currency_rate or 1.0
            order.amazon_amount_untaxed_company = order.amount_untaxed / rate
            order.amazon_amount_total_company = order.amount_total / rate

    def _prepare_invoice(self):
        """Invoices of Amazon orders go to the account's sales journal."""
        vals = super()._prepare_invoice()
        journal = self.amazon_account_id.sale_journal_id
        if journal:
            vals["journal_id"] = journal.id
        return vals

    def _get_invoiceable_lines(self, final=False):
        """A gift message is for the parcel: an invoice is kept ten years and
        shown to accountants, so it never carries one."""
        lines = super()._get_invoiceable_lines(final=final)
        return lines.filtered(lambda line: not line.amazon_gift_message)

    # --- Vendor Central: the purchase order behind a vendor sale order ---------
    amazon_vendor_order_ids = fields.One2many(
        "amazon.vendor.order", "sale_order_id", string="Amazon Purchase Orders"
    )
    amazon_vendor_order_id = fields.Many2one(
        "amazon.vendor.order",
        string="Amazon Purchase Order",
        compute="_compute_amazon_vendor_order_id",
    )

    @api.depends("amazon_vendor_order_ids")
    def _compute_amazon_vendor_order_id(self):
        for order in self:
            order.amazon_vendor_order_id = order.amazon_vendor_order_ids[:1]

    def action_open_amazon_vendor_order(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "amazon.vendor.order",
            "res_id": self.amazon_vendor_order_id.id,
            "view_mode": "form",
        }
