# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..const import MIN_BEFORE_DELAY_MINUTES

WINDOW_UNITS = {"hours": "hours", "days": "days"}


class AmazonVendorTimeRange(models.Model):
    """Which stretch of time a vendor order import asks Amazon about.

    A reusable record (one range can serve several accounts): the orders created
    or changed in a rolling window ("the last 7 days"), since the last successful
    import, or between two fixed dates; and the cadence at which an import using
    it is meant to run. Amazon's vendor order lists take no "everything" query: a
    window is always needed.
    """

    _name = "amazon.vendor.time.range"
    _description = "Amazon vendor order time range"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Empty: the range can be used by every company."
    )
    date_field = fields.Selection(
        [("changed", "Changed"), ("created", "Created")],
        "Orders",
        required=True,
        default="changed",
        help="Changed: orders created or changed by Amazon in the window (catches "
        "quantity changes and cancellations). Created: orders created in the window "
        "only. Direct Fulfillment orders can only be asked by creation date.",
    )
    mode = fields.Selection(
        [
            ("rolling", "Rolling window"),
            ("since_last", "Since the last import"),
            ("fixed", "Fixed dates"),
        ],
        required=True,
        default="rolling",
        help="Rolling window: the last N hours or days before each run. Since the "
        "last import: from the end of the last successful import (minus the "
        "overlap), the rolling window on the first run. Fixed dates: always the "
        "same interval (a one-off recovery).",
    )
    window_number = fields.Integer("Last", default=7)
    window_unit = fields.Selection(
        [("hours", "Hours"), ("days", "Days")], default="days", required=True
    )
    overlap_minutes = fields.Integer(
        default=15,
        help="Since the last import: re-read this much of the previous window. "
        "Amazon can publish an order a little after its time stamp; the import is "
        "idempotent, so reading an order twice is harmless.",
    )
    date_after = fields.Datetime("From")
    date_before = fields.Datetime("To", help="Empty: up to now.")
    interval_number = fields.Integer(
        "Run every",
        default=1,
        help="Cadence of the scheduled import using this range; choosing the range "
        "on an account copies it to the account's schedule.",
    )
    interval_type = fields.Selection(
        [("hours", "Hours"), ("days", "Days"), ("weeks", "Weeks")],
        default="hours",
    )

    @api.constrains("mode", "window_number", "date_after", "date_before")
    def _check_window(self):
        for time_range in self:
            if time_range.mode in ("rolling", "since_last") and (
                time_range.window_number <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "The window of %s must last at least one hour or day.",
                        time_range.name,
                    )
                )
            if time_range.mode == "fixed":
                if not time_range.date_after:
                    raise ValidationError(
                        self.env._(
                            "The fixed range %s needs a start date.", time_range.name
                        )
                    )
                if (
                    time_range.date_before
                    and time_range.date_before <= time_range.date_after
                ):
                    raise ValidationError(
                        self.env._(
                            "The range %s ends before it starts.", time_range.name
                        )
                    )

    def _get_window(self, now=None, cursor=None):
        """Return the interval an import asks Amazon about.

        :param now: the run's reference time (naive UTC); defaults to now.
        :param cursor: end of the last successful import (naive UTC), for the
            "since the last import" mode.
        :return: ``(after, before)`` naive UTC datetimes.
        :raise UserError: when the interval is empty (a fixed range in the future).
        """
        self.ensure_one()
        now = now or fields.Datetime.now()
        latest = now - timedelta(minutes=MIN_BEFORE_DELAY_MINUTES)
        window = timedelta(**{WINDOW_UNITS[self.window_unit]: self.window_number})
        if self.mode == "fixed":
            after = self.date_after
            before = min(self.date_before or latest, latest)
        elif self.mode == "since_last" and cursor:
            after = cursor - timedelta(minutes=max(self.overlap_minutes, 0))
            before = latest
        else:
            after = latest - window
            before = latest
        if after >= before:
            raise UserError(
                self.env._(
                    "The time range %(name)s is empty (%(after)s - %(before)s).",
                    name=self.name,
                    after=after,
                    before=before,
                )
            )
        return after, before
