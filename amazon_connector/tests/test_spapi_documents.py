# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Feed documents go to and come from pre-signed URLs, outside SP-API."""

import gzip

from odoo.tests import tagged

from odoo.addons.amazon_connector.exceptions import (
    AmazonInvalidRequest,
    AmazonNotFound,
    AmazonServerError,
)

from .common import AmazonLoopbackCase


@tagged("post_install", "-at_install")
class TestFeedDocuments(AmazonLoopbackCase):
    """Against the scripted loopback Amazon."""

    def test_a_document_is_uploaded_as_is_with_its_content_type(self):
        self.server.route("PUT", "/upload/doc-1", 200, None)
        data = b'{"header": {"sellerId": "A3CORETEST"}, "messages": []}'
        self.account._spapi_upload(
            self.server.base_url + "/upload/doc-1",
            data,
            "application/json; charset=UTF-8",
        )
        (request,) = self.server.calls("/upload/doc-1", "PUT")
        self.assertEqual(request["body"], data)
        self.assertEqual(
            request["headers"]["content-type"], "application/json; charset=UTF-8"
        )
        self.assertNotIn(
            "x-amz-access-token", request["headers"], msg="pre-signed: no token"
        )

    def test_a_refused_upload_is_an_error(self):
        self.server.route(
            "PUT", "/upload/doc-2", 403, "<Error>Request has expired</Error>"
        )
        with self.assertRaises(AmazonInvalidRequest) as caught:
            self.account._spapi_upload(
                self.server.base_url + "/upload/doc-2", b"x", "text/plain"
            )
        self.assertEqual(caught.exception.status, 403)

    def test_a_gzip_report_is_downloaded_and_decompressed(self):
        report = b'{"header": {"reportId": "1"}, "issues": []}'
        self.server.route("GET", "/download/report-1", 200, gzip.compress(report))
        content = self.account._spapi_download(
            self.server.base_url + "/download/report-1", compression="GZIP"
        )
        self.assertEqual(content, report)

    def test_a_document_that_is_not_the_announced_gzip_is_an_error(self):
        self.server.route("GET", "/download/report-2", 200, b"plain text")
        with self.assertRaises(AmazonServerError):
            self.account._spapi_download(
                self.server.base_url + "/download/report-2", compression="GZIP"
            )

    def test_a_missing_document_is_not_found(self):
        self.server.route("GET", "/download/missing", 404, b"")
        with self.assertRaises(AmazonNotFound):
            self.account._spapi_download(self.server.base_url + "/download/missing")
