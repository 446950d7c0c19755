# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The few exceptions every flow has to tell apart.

A flow only asks one question of an Amazon failure: may I try again later
(``retryable``), or is something wrong that a person must fix? The seam
(:mod:`odoo.addons.amazon_connector.spapi`) maps every HTTP status, LWA error and
network failure onto one of these classes, so no flow ever sees a library or httpx
exception.

Two more answer the same question for what happens before Amazon is called:
another run of the same sync holds the account (:class:`AmazonSyncRunning`, try
again later, nobody needs to be told) and the authorization expired
(:class:`AmazonAuthError` with code ``authorization_expired``: a person must renew
it, and the account's responsible user gets an activity).
"""

from odoo.exceptions import UserError


class AmazonError(Exception):
    """Base class of every error raised by the SP-API seam.

    :param message: what went wrong, in words a user understands (never a secret)
    :param code: Amazon's error code (``InvalidInput``, ``invalid_grant``...) or the
        HTTP status as text, when known
    :param status: HTTP status of the failed response, when there was one
    """

    retryable = False

    def __init__(self, message, code=None, status=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status

    def __str__(self):
        return self.message


class AmazonThrottled(AmazonError):
    """Amazon (or our own client-side budget) refused the call for now.

    :param retry_after: seconds after which the same call may succeed
    """

    retryable = True

    def __init__(
        self, message=None, code="QuotaExceeded", status=429, retry_after=60.0
    ):
        self.retry_after = max(float(retry_after or 0.0), 0.0)
        message = message or (
            f"Amazon throttled the request; retry in {self.retry_after:.0f} seconds."
        )
        super().__init__(message, code=code, status=status)


class AmazonAuthError(AmazonError):
    """The credentials were refused, the authorization expired or a role is missing."""


class AmazonNotFound(AmazonError):
    """The resource (order, listing, feed...) does not exist for this account."""


class AmazonInvalidRequest(AmazonError):
    """Amazon rejected the request as invalid: retrying the same request is useless."""


class AmazonServerError(AmazonError):
    """Amazon failed (5xx), timed out, was unreachable or sent an unreadable answer."""

    retryable = True


class AmazonSyncRunning(AmazonError, UserError):
    """Another run of the same kind of sync of this account holds its lock.

    Retryable and quiet: a scheduled run simply stops (the running one does the
    work). It is also a ``UserError`` so that a button pressed meanwhile shows the
    message as a plain warning, not as a crash.
    """

    retryable = True


class AmazonAuthorizationExpired(AmazonAuthError, UserError):
    """The account's yearly authorization expired: no call is made until renewed.

    Not retryable: a person must renew it in Seller Central; the account's
    responsible user gets an activity. Also a ``UserError``, so that a button
    pressed meanwhile shows the renewal instructions as a plain warning.
    """

    def __init__(self, message, code="authorization_expired", status=None):
        super().__init__(message, code=code, status=status)
