# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SP-API seam: the only module of the project that imports ``sp_api``.

Everything Amazon-specific about *transport* lives here, so that the rest of the
code base only deals with plain JSON data and the exceptions of ``exceptions.py``.
The ORM side (credentials, rate budget, account state) is in
``models/amazon_spapi_mixin.py``; this module has no database access.

python-amazon-sp-api 2.1.35 traps handled here (read in the library's source,
github.com/saleweaver/python-amazon-sp-api, tag v2.1.35):

* credentials: only ``FromCodeCredentialProvider`` is ever used, so the library never
  falls back to environment variables, AWS Secrets Manager or its config file;
* ``SP_API_DEFAULT_MARKETPLACE`` silently replaces the marketplace given to a client:
  the endpoint, marketplace and region are set again after construction;
* ``AWS_ENV`` only changes the library's ``Marketplaces`` enum, never used here: the
  endpoints come from ``const.SPAPI_ENDPOINTS`` or the account's override;
* the LWA token URL is a class attribute: ``_AccountTokenClient`` carries the
  account's own URL, timeout and a token cache scoped to the account (the library's
  module-level cache is keyed by refresh token only and shared by every account);
* the library raises only when a body has ``errors``: every status code is checked
  here, and an error status with an empty or non-JSON body is an error too;
* at DEBUG level the library logs request headers, access token included: its loggers
  are kept at INFO and filtered;
* the per-operation wrappers of the library each take parameters differently and add
  ``MarketplaceIds`` aliases or a stray ``path`` key to requests: the pinned client
  class is used for authentication, transport and parsing, but the request itself is
  built from Amazon's own path and parameter names (``const.SPAPI_OPERATIONS``).
"""

import functools
import gzip
import hashlib
import ipaddress
import json
import logging
import re
import threading
import time
from collections import namedtuple
from urllib.parse import quote, urlsplit

import httpx
import sp_api.api
from sp_api.auth import AccessTokenClient, AccessTokenResponse
from sp_api.base import Client, sp_endpoint
from sp_api.base._transport_httpx import HttpxTransport
from sp_api.base.credential_provider import FromCodeCredentialProvider
from sp_api.base.exceptions import SellingApiException

from .const import (
    LWA_TOKEN_URL,
    SPAPI_CONNECT_TIMEOUT,
    SPAPI_DEFAULT_RETRY_AFTER,
    SPAPI_ENDPOINTS,
    SPAPI_OPERATIONS,
    SPAPI_READ_TIMEOUT,
)
from .exceptions import (
    AmazonAuthError,
    AmazonError,
    AmazonInvalidRequest,
    AmazonNotFound,
    AmazonServerError,
    AmazonThrottled,
)

_logger = logging.getLogger(__name__)

# What a client needs to know about its target (duck-typed like sp_api's Marketplaces).
SpApiTarget = namedtuple("SpApiTarget", "endpoint marketplace_id region")

# Everything the seam needs to call Amazon for one account.
#  cache_scope: identifies the account (database and id) in the token cache
SpApiCredentials = namedtuple(
    "SpApiCredentials",
    "cache_scope lwa_client_id lwa_client_secret refresh_token region "
    "marketplace_id sp_api_endpoint lwa_endpoint",
)

# The outcome of one successful call.
#  data: the ``payload`` member when Amazon wraps the result in one, else the body
#  rate_limit: the ``x-amzn-RateLimit-Limit`` header as a float, when present
SpApiResult = namedtuple("SpApiResult", "status headers body data rate_limit")


def _timeout():
    return httpx.Timeout(SPAPI_READ_TIMEOUT, connect=SPAPI_CONNECT_TIMEOUT)


# ---------------------------------------------------------------------------
# Logging: the library logs the access token at DEBUG level.
# ---------------------------------------------------------------------------
class _SecretLogFilter(logging.Filter):
    """Drop every DEBUG record of sp_api and redact anything that looks like a token.

    A filter attached to a logger only sees records emitted by that very logger, so
    it is attached to every ``sp_api`` logger (see :func:`harden_library_logging`).
    """

    _TOKEN_RE = re.compile(r"(Atza\||Atzr\||x-amz-access-token['\"]?\s*[:=]\s*)\S+")

    def filter(self, record):
        if record.levelno <= logging.DEBUG:
            return False
        try:
            message = record.getMessage()
        except Exception:  # a broken record must not break logging
            return False
        if self._TOKEN_RE.search(message):
            record.msg = self._TOKEN_RE.sub(r"\1***", message)
            record.args = ()
        return True


_LOG_FILTER = _SecretLogFilter()


def harden_library_logging():
    """Keep every ``sp_api`` logger above DEBUG and filtered.

    Called at import and before each client is built, so that a ``--log-handler``
    setting or a later ``logging.config`` call cannot re-enable header logging.
    """
    manager = logging.Logger.manager
    names = ["sp_api"] + [
        name for name in manager.loggerDict if name.startswith("sp_api.")
    ]
    for name in names:
        library_logger = logging.getLogger(name)
        if library_logger.level and library_logger.level < logging.INFO:
            library_logger.setLevel(logging.INFO)
        if _LOG_FILTER not in library_logger.filters:
            library_logger.addFilter(_LOG_FILTER)


harden_library_logging()


# ---------------------------------------------------------------------------
# Access tokens: one cache per account, never the library's shared one.
# ---------------------------------------------------------------------------
class _TokenCache:
    """Access tokens of this process, keyed by (account scope, credential digest)."""

    def __init__(self):
        self._entries = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] > time.monotonic():
                return entry[1]
            self._entries.pop(key, None)
            return None

    def put(self, key, value, ttl):
        with self._lock:
            self._entries[key] = (time.monotonic() + ttl, value)

    def evict_scope(self, scope):
        with self._lock:
            for key in [k for k in self._entries if k[0] == scope]:
                del self._entries[key]

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


TOKEN_CACHE = _TokenCache()


def evict_tokens(cache_scope):
    """Forget the access tokens of one account (credentials changed or refused)."""
    TOKEN_CACHE.evict_scope(cache_scope)


class _AccountTokenClient(AccessTokenClient):
    """LWA client of one account: its own token URL, timeout and token cache.

    ``Client`` builds its token client as ``auth_token_client_class(refresh_token=,
    credentials=, proxies=, verify=)``; the seam passes a ``functools.partial`` of
    this class that adds the account's settings.
    """

    def __init__(self, *, token_url, cache_scope, timeout, **kwargs):
        super().__init__(**kwargs)
        parts = urlsplit(token_url or LWA_TOKEN_URL)
        self.scheme = f"{parts.scheme}://"
        self.host = parts.netloc
        self.path = parts.path or "/auth/o2/token"
        self.cache_scope = cache_scope
        # The library's token client has no timeout: replace its transport.
        self._transport.close()
        self._transport = HttpxTransport(
            timeout=timeout, proxies=self.proxies, verify=self.verify
        )

    def _get_cache_key(self, token_flavor=""):
        digest = hashlib.sha256(
            "\0".join(
                (
                    self.scheme + self.host + self.path,
                    self.cred.client_id or "",
                    self.cred.refresh_token or "",
                    token_flavor,
                )
            ).encode()
        ).hexdigest()
        return (self.cache_scope, digest)

    def get_auth(self):
        key = self._get_cache_key()
        token = TOKEN_CACHE.get(key)
        if token is None:
            token = self._request(
                self.scheme + self.host + self.path, self.data, self.headers
            )
            expires_in = token.get("expires_in") or 3600
            TOKEN_CACHE.put(key, token, ttl=max(min(float(expires_in) - 120, 3200), 1))
        return AccessTokenResponse(**token)

    def get_grantless_auth(self, scope="sellingpartnerapi::notifications"):
        raise AmazonInvalidRequest(
            "Grantless operations are not used by this connector."
        )

    def _request(self, url, data, headers):
        try:
            response = self._transport.request("POST", url, data=data, headers=headers)
        except httpx.TimeoutException as err:
            raise AmazonServerError(
                "Login with Amazon did not answer in time.", code="timeout"
            ) from err
        except httpx.HTTPError as err:
            raise AmazonServerError(
                f"Login with Amazon could not be reached ({type(err).__name__}).",
                code="network",
            ) from err
        body = _json_or_none(response)
        if (
            response.status_code == 200
            and isinstance(body, dict)
            and body.get("access_token")
        ):
            return body
        raise lwa_error(response.status_code, body)


def lwa_error(status, body):
    """Map a failed Login with Amazon token response to a project exception.

    :param int status: HTTP status of the token response
    :param body: the decoded JSON body, or None when it was empty or not JSON
    :return: the exception to raise
    :rtype: AmazonError
    """
    if status == 429:
        return AmazonThrottled(
            "Login with Amazon throttled the token request.",
            retry_after=SPAPI_DEFAULT_RETRY_AFTER,
        )
    if status >= 500 or not isinstance(body, dict) or not body.get("error"):
        return AmazonServerError(
            f"Login with Amazon answered HTTP {status} without a readable error.",
            code=str(status),
            status=status,
        )
    code = body.get("error")
    description = body.get("error_description") or ""
    if code == "invalid_grant":
        message = (
            "Amazon refused the refresh token (invalid_grant): the authorization was "
            "revoked or has expired. Authorize the application again in Seller "
            "Central and enter the new refresh token."
        )
    elif code in ("invalid_client", "unauthorized_client"):
        message = (
            "Login with Amazon refused the application's client id or secret "
            f"({code}). Check the LWA credentials of the account."
        )
    else:
        message = f"Login with Amazon refused the request ({code}): {description}"
    return AmazonAuthError(message.strip(), code=code, status=status)


# ---------------------------------------------------------------------------
# SP-API clients
# ---------------------------------------------------------------------------
def _json_or_none(response):
    """Decode a JSON body; None when it is empty or not JSON."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _float_header(headers, name):
    try:
        return float(headers.get(name))
    except (TypeError, ValueError):
        return None


def api_error(status, headers, body):
    """Map an SP-API error response to a project exception.

    :param int status: the HTTP status (>= 300)
    :param headers: the response headers
    :param body: the decoded JSON body, or None when it was empty or not JSON
    :return: the exception to raise
    :rtype: AmazonError
    """
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors is None and isinstance(body, dict) and body.get("code"):
        # DF Transactions 2021-12-28 answers errors with one Error object.
        errors = [body]
    first = (
        errors[0]
        if isinstance(errors, list) and errors and isinstance(errors[0], dict)
        else {}
    )
    code = first.get("code") or str(status)
    detail = " ".join(
        str(part) for part in (first.get("message"), first.get("details")) if part
    )
    request_id = headers.get("x-amzn-RequestId")
    suffix = f" (request id {request_id})" if request_id else ""
    if status == 429:
        retry_after = _float_header(headers, "Retry-After")
        if retry_after is None:
            rate = _float_header(headers, "x-amzn-RateLimit-Limit")
            retry_after = 1.0 / rate if rate else SPAPI_DEFAULT_RETRY_AFTER
        detail = f", {detail}" if detail else ""
        return AmazonThrottled(
            f"Amazon throttled the request (HTTP 429{detail}); "
            f"retry in {retry_after:.0f} seconds.{suffix}",
            code=code,
            retry_after=retry_after,
        )
    if body is None or not first:
        kind = "an empty body" if body is None and not errors else "an unreadable body"
        message = f"Amazon answered HTTP {status} with {kind}.{suffix}"
        if status in (401, 403):
            return AmazonAuthError(message, code=code, status=status)
        if status == 404:
            return AmazonNotFound(message, code=code, status=status)
        if 400 <= status < 500:
            return AmazonInvalidRequest(message, code=code, status=status)
        return AmazonServerError(message, code=code, status=status)
    message = f"Amazon answered HTTP {status} {code}: {detail or 'no details'}.{suffix}"
    if status in (401, 403):
        return AmazonAuthError(
            f"Access denied by Amazon ({code}: {detail or 'no details'}). The "
            "authorization may have been revoked, or the application lacks the role "
            f"this operation needs.{suffix}",
            code=code,
            status=status,
        )
    if status == 404:
        return AmazonNotFound(message, code=code, status=status)
    if 400 <= status < 500:
        return AmazonInvalidRequest(message, code=code, status=status)
    return AmazonServerError(message, code=code, status=status)


class _SeamClientMixin:
    """Put on top of the pinned sp_api client class (see :func:`client_class`)."""

    def __init__(self, target, **kwargs):
        super().__init__(target, **kwargs)
        # SP_API_DEFAULT_MARKETPLACE replaces the marketplace given above; ours wins.
        self.endpoint = target.endpoint
        self.marketplace_id = target.marketplace_id
        self.region = target.region
        self.last_response = None
        self.last_body = None

    @property
    def headers(self):
        headers = super().headers
        # The library cuts the host out of the endpoint assuming "https://".
        headers["host"] = urlsplit(self.endpoint).netloc
        return headers

    def _check_response(self, res, res_no_data=False, bulk=False, wrap_list=False):
        # The library raises only when a body has "errors": check the status first.
        self.last_response = res
        body = _json_or_none(res)
        if not 200 <= res.status_code < 300:
            raise api_error(res.status_code, res.headers, body)
        if body is None and res.content:
            raise AmazonServerError(
                f"Amazon answered HTTP {res.status_code} with a body that is not JSON.",
                code="malformed",
                status=res.status_code,
            )
        self.last_body = body
        return super()._check_response(res, res_no_data, bulk, wrap_list)


class FinancesInvoices(Client):
    """Finances Invoices 2026-06-25 (financesInvoices_2026-06-25.json), which
    python-amazon-sp-api 2.1.35 lacks: written as the library writes its own API
    classes, on its ``Client`` base with ``@sp_endpoint``."""

    @sp_endpoint("/finances/invoices/2026-06-25/invoices", method="GET")
    def get_invoice_headers(self, **kwargs):
        return self._request(kwargs.pop("path"), params=kwargs, add_marketplace=False)

    @sp_endpoint("/finances/invoices/2026-06-25/invoices/{}", method="GET")
    def get_invoice(self, invoice_identifier, **kwargs):
        path = kwargs.pop("path").format(quote(str(invoice_identifier), safe=""))
        return self._request(path, params=kwargs, add_marketplace=False)


class TransfersV20240601(Client):
    """Transfers API 2024-06-01 (transfers_2024-06-01.json), which
    python-amazon-sp-api 2.1.35 lacks: written as the library writes its own."""

    version = "2024-06-01"

    @sp_endpoint("/finances/transfers/2024-06-01/payouts", method="GET")
    def list_payouts(self, **kwargs):
        """The seller's payouts (0.5 requests/s, burst 10).

        :return: ApiResponse whose payload has ``payouts`` and ``nextToken``
        """
        return self._request(kwargs.pop("path"), params={**kwargs})


# API classes the library lacks, by the name SPAPI_OPERATIONS gives them.
SEAM_API_CLASSES = {
    "Transfers": TransfersV20240601,
    "FinancesInvoices": FinancesInvoices,
}


@functools.cache
def _ssl_context():
    """The TLS context (CA bundle, certificate checks) httpx makes by default,
    made once per process and shared (an SSLContext is thread-safe)."""
    return httpx.create_ssl_context()


@functools.cache
def client_class(api_class, version):
    """The seam's client class for a pinned sp_api class and version.

    :param str api_class: name in ``sp_api.api`` (``Orders``, ``Sellers``...), or
        of ``SEAM_API_CLASSES``
    :param version: pinned version (``"2026-01-01"``) or None for single-version APIs
    :return: a subclass of the version's implementation class
    """
    front = SEAM_API_CLASSES.get(api_class) or getattr(sp_api.api, api_class)
    version_map = getattr(front, "_VERSION_MAP", None)
    impl = version_map[version] if version_map else front
    return type(f"Seam{impl.__name__}", (_SeamClientMixin, impl), {})


def check_credentials(credentials):
    """Refuse to build a client with incomplete credentials.

    The library would otherwise look for the missing ones in environment variables,
    AWS Secrets Manager and its config file.

    :param SpApiCredentials credentials: the account's credentials
    :raise AmazonAuthError: naming the missing credentials
    """
    missing = [
        label
        for label, value in (
            ("LWA client id", credentials.lwa_client_id),
            ("LWA client secret", credentials.lwa_client_secret),
            ("refresh token", credentials.refresh_token),
        )
        if not value
    ]
    if missing:
        raise AmazonAuthError(
            f"The account has no {', '.join(missing)}: enter the credentials first.",
            code="missing_credentials",
        )


def _refuse_amazon_under_tests(*urls):
    """Under Odoo's tests, refuse any URL that is not on this machine.

    Nobody may call Amazon from a test: an account a test forgot to point at a
    loopback server must fail there, not reach Amazon's production hosts.
    """
    if not getattr(threading.current_thread(), "testing", False):
        return
    for url in urls:
        host = urlsplit(url).hostname or ""
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise AmazonServerError(
                f"Tests may only reach loopback addresses, not {host}.",
                code="network",
            )


def build_client(credentials, operation):
    """Build a client of the pinned API class with the account's own credentials only.

    :param SpApiCredentials credentials: the account's credentials and endpoints
    :param SpApiOperation operation: the entry of ``const.SPAPI_OPERATIONS``
    :return: an sp_api client (close it after use)
    :raise AmazonAuthError: when a credential is missing
    """
    check_credentials(credentials)
    harden_library_logging()
    default_endpoint, aws_region = SPAPI_ENDPOINTS[credentials.region]
    endpoint = (credentials.sp_api_endpoint or default_endpoint).rstrip("/")
    target = SpApiTarget(endpoint, credentials.marketplace_id, aws_region)
    timeout = _timeout()
    token_client = functools.partial(
        _AccountTokenClient,
        token_url=credentials.lwa_endpoint or LWA_TOKEN_URL,
        cache_scope=credentials.cache_scope,
        timeout=timeout,
    )
    cls = client_class(operation.api_class, operation.version)
    kwargs = {
        "credentials": {
            "lwa_app_id": credentials.lwa_client_id,
            "lwa_client_secret": credentials.lwa_client_secret,
            "refresh_token": credentials.refresh_token,
        },
        "refresh_token": credentials.refresh_token,
        "credential_providers": (FromCodeCredentialProvider,),
        "auth_token_client_class": token_client,
        "timeout": timeout,
        # one TLS context for every client: loading the CA bundle costs ~70 ms,
        # and the library makes three HTTP clients per API client
        "verify": _ssl_context(),
    }
    if operation.version:
        kwargs["version"] = operation.version
    return cls(target, **kwargs)


_PATH_PARAM_RE = re.compile(r"\{(\w+)\}")


def _query_value(value):
    # Amazon's list parameters are comma-delimited ("marketplaceIds=A,B").
    if isinstance(value, list | tuple | set):
        return ",".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def split_params(operation_key, operation, params):
    """Split the caller's parameters into path, query and body.

    :param str operation_key: ``"<api>.<operationId>"`` (for messages)
    :param SpApiOperation operation: the operation
    :param dict params: Amazon's parameter names; ``body`` is the JSON body
    :return: (path, query dict, body or None)
    :raise AmazonInvalidRequest: when a path parameter is missing
    """
    params = dict(params)
    body = params.pop("body", None)

    def fill(match):
        name = match.group(1)
        value = params.pop(name, None)
        if value in (None, ""):
            raise AmazonInvalidRequest(
                f"{operation_key} needs the path parameter {name}.",
                code="missing_parameter",
            )
        return quote(str(value), safe="")

    path = _PATH_PARAM_RE.sub(fill, operation.path)
    query = {
        key: _query_value(value) for key, value in params.items() if value is not None
    }
    return path, query, body


def call(
    credentials, operation_key, params, restricted_data_token=None, before_send=None
):
    """Call one SP-API operation through python-amazon-sp-api.

    :param SpApiCredentials credentials: the account's credentials and endpoints
    :param str operation_key: key of ``const.SPAPI_OPERATIONS``
    :param dict params: Amazon's parameter names; ``body`` for the JSON body
    :param str restricted_data_token: an RDT to send instead of the access token
    :param before_send: called once the client is built and its access token
        obtained, right before the request leaves (the rate budget: Amazon
        counts a request when it arrives, not when the caller decided to send
        it); an exception from it cancels the call
    :return: the result
    :rtype: SpApiResult
    :raise AmazonError: every failure, mapped
    """
    operation = SPAPI_OPERATIONS[operation_key]
    _refuse_amazon_under_tests(
        credentials.sp_api_endpoint or SPAPI_ENDPOINTS[credentials.region][0],
        credentials.lwa_endpoint or LWA_TOKEN_URL,
    )
    path, query, body = split_params(operation_key, operation, params)
    client = build_client(credentials, operation)
    client.restricted_data_token = restricted_data_token
    if before_send is not None:
        try:
            if not restricted_data_token:
                # Login with Amazon first (the cache after the first call)
                _ = client.auth
            before_send()
        except BaseException:
            client.close()
            raise
    started = time.monotonic()
    try:
        client._request(
            path,
            params={**query, "method": operation.http_method},
            data=body,
            add_marketplace=False,
        )
    except AmazonError as err:
        _log_call(operation_key, client, started, err)
        raise
    except SellingApiException as err:  # a 2xx body carrying "errors"
        mapped = api_error(
            err.code if err.code != 999 else 500,
            err.headers or {},
            {"errors": err.error},
        )
        _log_call(operation_key, client, started, mapped)
        raise mapped from err
    except httpx.TimeoutException as err:
        _log_call(operation_key, client, started, err)
        raise AmazonServerError(
            f"Amazon did not answer {operation_key} in time.", code="timeout"
        ) from err
    except httpx.HTTPError as err:
        _log_call(operation_key, client, started, err)
        raise AmazonServerError(
            f"Amazon could not be reached for {operation_key} ({type(err).__name__}).",
            code="network",
        ) from err
    finally:
        client.close()
    _log_call(operation_key, client, started)
    response = client.last_response
    body = client.last_body
    data = body["payload"] if isinstance(body, dict) and "payload" in body else body
    # FBA Inventory pages with a ``pagination`` member beside ``payload``: keep it.
    if isinstance(data, dict) and data is not body and "pagination" in body:
        data = {**data, "pagination": body["pagination"]}
    return SpApiResult(
        response.status_code,
        response.headers,
        body,
        {} if data is None else data,
        _float_header(response.headers, "x-amzn-RateLimit-Limit"),
    )


def _log_call(operation_key, client, started, error=None):
    """One INFO line per call: operation, status, duration. Never headers or bodies."""
    status = (
        client.last_response.status_code if client.last_response is not None else "-"
    )
    elapsed = (time.monotonic() - started) * 1000
    if error is None:
        _logger.info("SP-API %s -> %s in %.0f ms", operation_key, status, elapsed)
    else:
        _logger.info(
            "SP-API %s -> %s in %.0f ms: %s",
            operation_key,
            status,
            elapsed,
            type(error).__name__,
        )


# ---------------------------------------------------------------------------
# Feed and report documents (pre-signed URLs: no SP-API authentication)
# ---------------------------------------------------------------------------
def _document_request(method, url, **kwargs):
    _refuse_amazon_under_tests(url)
    try:
        with httpx.Client(timeout=_timeout()) as client:
            response = client.request(method, url, **kwargs)
    except httpx.TimeoutException as err:
        raise AmazonServerError(
            "The document URL did not answer in time.", code="timeout"
        ) from err
    except httpx.HTTPError as err:
        raise AmazonServerError(
            f"The document URL could not be reached ({type(err).__name__}).",
            code="network",
        ) from err
    if not 200 <= response.status_code < 300:
        raise document_error(response.status_code)
    return response


def document_error(status):
    """Map a failed pre-signed URL request (S3 answers XML: only the status counts).

    :param int status: the HTTP status
    :return: the exception to raise
    :rtype: AmazonError
    """
    if status in (429, 503):
        return AmazonThrottled(
            f"The document storage asked to slow down (HTTP {status}).",
            code=str(status),
            status=status,
            retry_after=SPAPI_DEFAULT_RETRY_AFTER,
        )
    if status >= 500:
        return AmazonServerError(
            f"The document storage failed (HTTP {status}).",
            code=str(status),
            status=status,
        )
    if status == 404:
        return AmazonNotFound(
            "The document does not exist (HTTP 404).", code="404", status=status
        )
    return AmazonInvalidRequest(
        f"The document URL refused the request (HTTP {status}); pre-signed URLs "
        "expire after a few minutes: request a new document.",
        code=str(status),
        status=status,
    )


def upload(url, data, content_type):
    """Upload a feed document to the pre-signed URL ``createFeedDocument`` returned.

    :param str url: the pre-signed URL
    :param bytes data: the document
    :param str content_type: the content type given to ``createFeedDocument``
    :raise AmazonError: on any failure
    """
    _document_request("PUT", url, content=data, headers={"Content-Type": content_type})


def download(url, compression=None):
    """Download a (processing report) document from its pre-signed URL.

    :param str url: the pre-signed URL
    :param str compression: ``"GZIP"`` when Amazon says the document is compressed
    :return: the document's bytes, decompressed
    :rtype: bytes
    :raise AmazonError: on any failure
    """
    content = _document_request("GET", url).content
    if compression == "GZIP":
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError) as err:
            raise AmazonServerError(
                "The document is not the GZIP file Amazon announced.", code="malformed"
            ) from err
    return content


def dumps(data):
    """JSON text of a payload, for logs and failure records (stable key order)."""
    return json.dumps(data, sort_keys=True, default=str)
