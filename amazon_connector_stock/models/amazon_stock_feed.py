# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.amazon_connector.exceptions import (
    AmazonAuthError,
    AmazonError,
    AmazonSyncRunning,
    AmazonThrottled,
)

from ..const import (
    FEED_CONTENT_TYPE,
    FEED_DONE,
    FEED_FINAL_FAILED,
    FEED_SCHEMA_VERSION,
    FEED_TYPE_JSON_LISTINGS,
    SEVERITY_ERROR,
)

_logger = logging.getLogger(__name__)

# A feed Amazon has not processed after this long is given up: its listings are
# released and their quantities sent again by the next push.
FEED_TIMEOUT = timedelta(hours=24)


class AmazonStockFeed(models.Model):
    """One JSON_LISTINGS_FEED of quantities sent to one marketplace.

    Amazon processes a feed asynchronously; the listings it carries keep the
    quantity sent in ``stock_qty_pending`` and are not sent again until the
    processing report says, per SKU, whether the value was accepted.
    """

    _name = "amazon.stock.feed"
    _description = "Amazon Stock Feed"
    _order = "id desc"
    _rec_name = "feed_id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, precompute=True
    )
    marketplace_id = fields.Many2one("amazon.marketplace", required=True)
    feed_id = fields.Char(string="Amazon Feed ID", index=True, readonly=True)
    document_id = fields.Char(string="Feed Document ID", readonly=True)
    state = fields.Selection(
        [("submitted", "Submitted"), ("done", "Done"), ("failed", "Failed")],
        default="submitted",
        required=True,
        index=True,
    )
    processing_status = fields.Char(readonly=True)
    message_count = fields.Integer(string="SKUs", readonly=True)
    accepted_count = fields.Integer(string="Accepted", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    error = fields.Text(readonly=True)
    message_map = fields.Text(
        readonly=True, help="JSON: feed messageId -> [listing id, quantity]."
    )
    listing_ids = fields.One2many(
        "amazon.listing", "stock_feed_id", string="Pending Listings"
    )
    done_date = fields.Datetime(readonly=True)

    # ------------------------------------------------------------------ submit
    @api.model
    def _prepare_feed_document(self, account, changes):
        """JSON listings feed body and the messageId -> (listing, qty) map."""
        pusher = self.env["amazon.stock.pusher"]
        messages = []
        mapping = {}
        for message_id, (listing, qty) in enumerate(changes.items(), start=1):
            mapping[str(message_id)] = [listing.id, qty]
            messages.append(
                {
                    "messageId": message_id,
                    "sku": listing.sku,
                    "operationType": "PATCH",
                    "productType": listing.product_type or "PRODUCT",
                    "patches": [pusher._prepare_quantity_patch(qty)],
                }
            )
        document = {
            "header": {
                "sellerId": account.seller_id,
                "version": FEED_SCHEMA_VERSION,
                "issueLocale": "en_US",
            },
            "messages": messages,
        }
        return document, mapping

    @api.model
    def _submit(self, account, marketplace, changes):
        """Create, upload and submit one feed (createFeedDocument, upload, createFeed).

        :param changes: dict amazon.listing -> quantity, all of ``marketplace``
        :return: the amazon.stock.feed record
        """
        document, mapping = self._prepare_feed_document(account, changes)
        data = json.dumps(document, separators=(",", ":")).encode()
        created = account._spapi_call(
            "feeds.createFeedDocument", body={"contentType": FEED_CONTENT_TYPE}
        )
        account._spapi_upload(created["url"], data, FEED_CONTENT_TYPE)
        response = account._spapi_call(
            "feeds.createFeed",
            body={
                "feedType": FEED_TYPE_JSON_LISTINGS,
                "marketplaceIds": [marketplace.marketplace_id],
                "inputFeedDocumentId": created["feedDocumentId"],
            },
        )
        feed = self.create(
            {
                "account_id": account.id,
                "marketplace_id": marketplace.id,
                "feed_id": response["feedId"],
                "document_id": created["feedDocumentId"],
                "message_count": len(mapping),
                "message_map": json.dumps(mapping),
            }
        )
        by_qty = defaultdict(lambda: self.env["amazon.listing"])
        for listing, qty in changes.items():
            by_qty[qty] |= listing
        for qty, listings in by_qty.items():
            listings.write({"stock_feed_id": feed.id, "stock_qty_pending": qty})
        return feed

    # ----------------------------------------------------------------- results
    @api.model
    def _check_pending(self, account, log=None):
        """Read the reports of this account's submitted feeds that are ready."""
        feeds = self.search(
            [("account_id", "=", account.id), ("state", "=", "submitted")]
        )
        feeds._process(log=log)
        return feeds

    @api.model
    def _cron_check_pending(self):
        """Job: read the processing reports of all submitted feeds."""
        feeds = self.search([("state", "=", "submitted")])
        for account in feeds.account_id:
            try:
                with account._sync_run("stock", trigger="scheduled") as run:
                    stats = run.stats
                    try:
                        feeds.filtered(lambda f, a=account: f.account_id == a)._process(
                            log=run.log, stats=stats
                        )
                    except AmazonError as exc:
                        run.stop(exc)
                    # Only the feeds' results count here.
                    stats["fetched"] = stats["updated"] + stats["failed"]
                    if run.state == "done" and stats["failed"] and not stats["updated"]:
                        run.state = "failed"
            except (AmazonSyncRunning, AmazonAuthError) as exc:
                account._sync_refused(exc, "stock")

    def _process(self, log=None, stats=None):
        """Poll each feed once and apply its report when Amazon is done.

        :raise AmazonThrottled: stop polling, the next run continues
        """
        stats = stats if stats is not None else defaultdict(int)
        for feed in self.filtered(lambda f: f.state == "submitted"):
            account = feed.account_id
            try:
                info = account._spapi_call("feeds.getFeed", feedId=feed.feed_id)
            except AmazonThrottled:
                raise
            except AmazonError as exc:
                if log:
                    log._add_line(feed.feed_id, str(exc))
                continue
            status = info.get("processingStatus")
            feed.processing_status = status
            report_id = info.get("resultFeedDocumentId")
            if status != FEED_DONE and status not in FEED_FINAL_FAILED:
                if fields.Datetime.now() - feed.create_date > FEED_TIMEOUT:
                    feed._fail(
                        self.env._("Amazon did not process the feed in time."),
                        log,
                        stats,
                    )
                continue
            report = feed._download_report(report_id) if report_id else {}
            feed._apply_report(report, status, log, stats)

    def _download_report(self, document_id):
        """Fetch and decode a processing report (getFeedDocument + download)."""
        self.ensure_one()
        document = self.account_id._spapi_call(
            "feeds.getFeedDocument", feedDocumentId=document_id
        )
        data = self.account_id._spapi_download(
            document["url"], compression=document.get("compressionAlgorithm")
        )
        try:
            return json.loads(data or b"{}")
        except ValueError:
            _logger.warning("Unreadable processing report of feed %s", self.feed_id)
            return {}

    def _apply_report(self, report, status, log, stats):
        """Remember accepted quantities; record errors on their listing and the log.

        A message is accepted unless an ERROR issue names it. Issues without a
        messageId concern the whole feed: with a FATAL feed they fail every SKU.
        """
        self.ensure_one()
        mapping = json.loads(self.message_map or "{}")
        errors = defaultdict(list)
        feed_errors = []
        for issue in report.get("issues") or []:
            if issue.get("severity") != SEVERITY_ERROR:
                continue
            text = self.env["amazon.listing"]._issues_in_words([issue])
            if issue.get("messageId") is not None:
                errors[str(issue["messageId"])].append(text)
            else:
                feed_errors.append(text)
        if status != FEED_DONE:
            reason = "\n".join(feed_errors) or self.env._(
                "Amazon rejected the feed (%(status)s).", status=status
            )
            self._fail(reason, log, stats)
            return
        listings = (
            self.env["amazon.listing"].browse([v[0] for v in mapping.values()]).exists()
        )
        existing = set(listings.ids)
        accepted = defaultdict(list)
        error_count = 0
        pusher = self.env["amazon.stock.pusher"]
        for message_id, (listing_id, qty) in mapping.items():
            if listing_id not in existing:
                continue
            listing = self.env["amazon.listing"].browse(listing_id)
            if message_id in errors:
                pusher._record_error(
                    listing, "\n".join(errors[message_id]), log, stats, refused=qty
                )
                error_count += 1
            else:
                accepted[qty].append(listing_id)
        for qty, ids in accepted.items():
            pusher._record_accepted(self.env["amazon.listing"].browse(ids), qty)
        accepted_count = sum(len(ids) for ids in accepted.values())
        stats["updated"] += accepted_count
        self.write(
            {
                "state": "done",
                "accepted_count": accepted_count,
                "error_count": error_count,
                "done_date": fields.Datetime.now(),
                "error": "\n".join(feed_errors) or False,
            }
        )

    def _fail(self, reason, log, stats):
        self.ensure_one()
        for listing in self.listing_ids:
            self.env["amazon.stock.pusher"]._record_error(listing, reason, log, stats)
        self.write(
            {
                "state": "failed",
                "error": reason,
                "error_count": self.message_count,
                "done_date": fields.Datetime.now(),
            }
        )
