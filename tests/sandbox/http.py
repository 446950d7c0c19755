"""Request/response plumbing shared by the operation handlers."""

import json
from urllib.parse import parse_qs

# python-amazon-sp-api adds these aliases of ``marketplaceIds`` to queries/bodies.
MARKETPLACE_ALIASES = (
    "marketplaceIds",
    "MarketplaceIds",
    "marketplace_ids",
    "MarketplaceId",
)


class ApiError(Exception):
    """An Amazon-shaped error: ``{"errors": [{"code", "message", "details"}]}``."""

    def __init__(self, status, code, message, details=""):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def body(self):
        return error_body(self.code, self.message, self.details)


def error_body(code, message, details=""):
    return {"errors": [{"code": code, "message": message, "details": details}]}


def invalid(message, details=""):
    return ApiError(400, "InvalidInput", message, details)


def not_found(message, details=""):
    return ApiError(404, "NotFound", message, details)


class Response:
    def __init__(
        self, status=200, body=None, headers=None, raw=None, content_type=None
    ):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.raw = raw
        self.content_type = content_type or "application/json"

    def payload(self):
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b""
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


class Request:
    def __init__(self, method, path, query_string, headers, body, state):
        self.method = method
        self.path = path
        self.query_string = query_string
        self.query = parse_qs(query_string, keep_blank_values=True)
        self.headers = headers
        self.raw_body = body
        self.state = state
        self.params = {}
        self.seller_id = None
        self.token = None
        self._json = None

    def json(self, required=True):
        if self._json is None:
            if not self.raw_body:
                if required:
                    raise invalid("A request body is required.")
                self._json = {}
                return self._json
            try:
                self._json = json.loads(self.raw_body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise invalid("The request body is not valid JSON.", str(exc)) from exc
        return self._json

    def one(self, *names):
        """First value of the first query parameter present among ``names``."""
        for name in names:
            values = self.query.get(name)
            if values:
                return values[-1]
        return None

    def many(self, *names):
        """List value of a query parameter: CSV (``a,b``) or repeated keys."""
        for name in names:
            values = self.query.get(name)
            if values:
                out = []
                for value in values:
                    out.extend(v.strip() for v in value.split(",") if v.strip())
                return out
        return []

    def marketplace_ids(self, canonical="marketplaceIds"):
        names = (canonical, *[a for a in MARKETPLACE_ALIASES if a != canonical])
        return self.many(*names)

    def integer(self, name, default=None, minimum=None, maximum=None):
        value = self.one(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError as exc:
            raise invalid(f"Invalid {name}: {value!r} is not an integer.") from exc
        if (minimum is not None and number < minimum) or (
            maximum is not None and number > maximum
        ):
            raise invalid(
                f"Invalid {name}: {number} is out of range [{minimum}, {maximum}]."
            )
        return number


def strip_aliases(body, keep=()):
    """Drop the keys python-amazon-sp-api adds to request bodies (marketplace id
    aliases and a stray ``path``), except those in ``keep``."""
    if isinstance(body, dict):
        drop = {*MARKETPLACE_ALIASES, "path"} - set(keep)
        return {k: v for k, v in body.items() if k not in drop}
    return body
