# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools

from odoo import models

from .. import spapi
from ..const import SPAPI_MAX_WAIT, SPAPI_OPERATIONS
from ..exceptions import AmazonAuthError, AmazonThrottled


class AmazonSpapiMixin(models.AbstractModel):
    """The one way the connector talks to Amazon: ``account._spapi_call()``.

    Mixed into ``amazon.account`` (whose fields and ``_check_authorization_valid``
    / ``_set_connection_error`` it uses); kept apart so that the seam reads on its
    own. Flows call these methods only; tests fake ``_spapi_call`` on the account
    model class. The transport itself is in ``spapi.py`` (the only module
    importing sp_api).
    """

    _name = "amazon.spapi.mixin"
    _description = "Amazon SP-API Seam"

    def _spapi_cache_scope(self):
        return f"{self.env.cr.dbname}/{self.id}"

    def _spapi_credentials(self):
        """The account's own credentials and endpoints (read as superuser)."""
        self.ensure_one()
        account = self.sudo()
        return spapi.SpApiCredentials(
            cache_scope=self._spapi_cache_scope(),
            lwa_client_id=account.lwa_client_id,
            lwa_client_secret=account.lwa_client_secret,
            refresh_token=account.refresh_token,
            region=account.region,
            marketplace_id=account.home_marketplace_id.marketplace_id or "",
            sp_api_endpoint=account.sp_api_endpoint,
            lwa_endpoint=account.lwa_endpoint,
        )

    def _forget_access_tokens(self):
        for account in self:
            spapi.evict_tokens(account._spapi_cache_scope())

    def _spapi_call(self, operation, **params):
        """Call one SP-API operation with this account's credentials.

        Waits at most ``SPAPI_MAX_WAIT`` seconds for the shared rate budget, after
        the budget's own transaction is committed (context key
        ``amazon_spapi_max_wait`` lowers that bound, 0 never waits); never retries
        by itself (the flow decides, with ``retryable``).

        :param str operation: ``"<api>.<operationId>"``, a key of
            ``const.SPAPI_OPERATIONS`` (e.g. ``"orders.searchOrders"``)
        :param params: Amazon's parameter names: path parameters (``orderId=``),
            query parameters (``marketplaceIds=``, lists are sent comma-delimited),
            ``body=`` for a JSON body; ``_restricted_data_token=`` to send an RDT
        :return: the response's JSON data: its ``payload`` member when Amazon wraps
            the result in one, the whole body otherwise (``{}`` when empty)
        :raise AmazonError: a subclass, see ``exceptions.py``
        :raise ValueError: for an operation the connector does not know
        """
        self.ensure_one()
        if operation not in SPAPI_OPERATIONS:
            raise ValueError(f"Unknown SP-API operation {operation!r}")
        self._check_authorization_valid()
        restricted_data_token = params.pop("_restricted_data_token", None)
        spec = SPAPI_OPERATIONS[operation]
        credentials = self._spapi_credentials()
        spapi.check_credentials(credentials)
        budget = self.env["amazon.rate.bucket"].sudo()
        # A flow that holds row locks it must not keep while waiting can pass
        # context amazon_spapi_max_wait=0: it then gets AmazonThrottled at once.
        max_wait = min(
            float(self.env.context.get("amazon_spapi_max_wait", SPAPI_MAX_WAIT)),
            SPAPI_MAX_WAIT,
        )
        try:
            result = spapi.call(
                credentials,
                operation,
                params,
                restricted_data_token=restricted_data_token,
                # taken once the client is built, right before the request
                # leaves: the time the library takes to build it (tens of ms)
                # would otherwise be missing from Amazon's side of the budget
                before_send=functools.partial(
                    budget._acquire,
                    self.id,
                    operation,
                    spec.rate,
                    spec.burst,
                    max_wait=max_wait,
                ),
            )
        except AmazonThrottled as err:
            if err.status is not None:
                # Amazon's 429 (not the budget's own refusal): our estimate was
                # too generous
                budget._drain(self.id, operation)
            raise
        except AmazonAuthError as err:
            # A refused token must not be reused from the cache by the next call.
            spapi.evict_tokens(credentials.cache_scope)
            self._set_connection_error(err)
            raise
        if result.rate_limit:
            budget._set_rate(self.id, operation, result.rate_limit)
        return result.data

    def _spapi_upload(self, url, data, content_type):
        """Upload a feed document to the pre-signed URL of ``createFeedDocument``.

        :param str url: the document's pre-signed URL
        :param bytes data: the document
        :param str content_type: the content type declared to ``createFeedDocument``
        :raise AmazonError: on failure
        """
        self.ensure_one()
        spapi.upload(url, data, content_type)

    def _spapi_download(self, url, compression=None):
        """Download a document (e.g. a feed processing report).

        :param str url: the document's pre-signed URL
        :param str compression: ``compressionAlgorithm`` of the document (``GZIP``)
        :return: the document's content
        :rtype: bytes
        :raise AmazonError: on failure
        """
        self.ensure_one()
        return spapi.download(url, compression=compression)
