# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One order is one line of one run; the report e-mail says what is new."""

from odoo.tests import tagged

from .common import AmazonOrderCase, make_item, make_order

BAD_ID = "405-9999999-0000001"


@tagged("post_install", "-at_install")
class TestOrderOncePerRun(AmazonOrderCase):
    def bad_order(self, updated="2026-03-02T10:00:00Z", sku="NOPE"):
        return make_order(BAD_ID, items=[make_item(sku=sku)], updated=updated)

    def mails_to(self, recipient):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", recipient.ids)], order="id"
        )

    def test_a_failed_order_the_overlap_brings_again_is_one_line_of_the_run(self):
        self.sync([[self.bad_order()]])
        # The next run retries the open failure and the overlapping window
        # brings the same order again: it is still one order of the run.
        log, _fake = self.sync([[self.bad_order()]])
        self.assertEqual(log.failed, 1, msg="one order, one failure")
        self.assertEqual(
            log.line_ids.mapped("amazon_ref"), [BAD_ID], msg="one line in the log"
        )
        failure = self.env["amazon.order.failure"].search([])
        self.assertEqual(failure.retry_count, 1, msg="retried once in the run")

    def test_a_retried_order_that_imports_is_not_counted_again_by_the_window(self):
        self.sync([[self.bad_order(sku="LATER")]])
        self.product2.default_code = "LATER"
        log, _fake = self.sync([[self.bad_order(sku="LATER")]])
        self.assertEqual(
            (log.created, log.updated, log.skipped, log.failed),
            (1, 0, 0, 0),
            msg="created once by the retry, the window's copy is the same order",
        )
        self.assertEqual(len(self.find_order(BAD_ID)), 1)

    def test_a_newer_copy_in_the_window_replaces_the_retry_of_the_run(self):
        self.sync([[self.bad_order(sku="LATER")]])
        # Amazon changed the order meanwhile: the newer copy is imported and
        # the retry of the stored copy no longer counts.
        newer = self.bad_order(updated="2026-03-04T10:00:00Z", sku="AMZ-SKU-1")
        log, _fake = self.sync([[newer]])
        self.assertEqual((log.created, log.failed), (1, 0), msg="one order")
        self.assertFalse(log.line_ids, msg="the retry's line is taken back")
        self.assertEqual(
            self.env["amazon.order.failure"].search([]).state,
            "done",
            msg="the newer copy closes the failure",
        )

    def test_the_same_order_twice_in_one_window_is_handled_once(self):
        log, _fake = self.sync([[self.bad_order()], [self.bad_order()]])
        self.assertEqual(log.failed, 1)
        self.assertEqual(len(log.line_ids), 1)

    def test_the_report_email_lists_a_failure_once_not_on_every_run(self):
        recipient = self.env["res.partner"].create(
            {"name": "Back office", "email": "office@example.com"}
        )
        self.account.order_notify_partner_ids = recipient
        self.sync([[self.bad_order()]])
        self.assertEqual(len(self.mails_to(recipient)), 1)
        self.assertIn(BAD_ID, self.mails_to(recipient).body_html)
        self.sync([[self.bad_order()]])
        self.sync([[]])
        self.assertEqual(
            len(self.mails_to(recipient)),
            1,
            msg="no new e-mail while the same failure stays failed",
        )

    def test_a_failure_whose_reason_changes_is_reported_again(self):
        recipient = self.env["res.partner"].create(
            {"name": "Back office", "email": "office@example.com"}
        )
        self.account.order_notify_partner_ids = recipient
        self.sync([[self.bad_order(sku="NOPE")]])
        self.sync([[self.bad_order(updated="2026-03-04T10:00:00Z", sku="OTHER")]])
        mails = self.mails_to(recipient)
        self.assertEqual(len(mails), 2, msg="the new reason is news")
        self.assertIn("OTHER", mails[-1].body_html)
        self.assertEqual(
            mails[-1].body_html.count(BAD_ID), 1, msg="listed once in the e-mail"
        )

    def test_an_email_with_new_orders_does_not_repeat_old_failures(self):
        recipient = self.env["res.partner"].create(
            {"name": "Back office", "email": "office@example.com"}
        )
        self.account.order_notify_partner_ids = recipient
        self.sync([[self.bad_order()]])
        self.sync([[self.bad_order(), make_order("405-0000002-0000001")]])
        mails = self.mails_to(recipient)
        self.assertEqual(len(mails), 2, msg="the new order is news")
        self.assertNotIn(BAD_ID, mails[-1].body_html, msg="the old failure is not")
