# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A tiny scripted HTTP server on 127.0.0.1, standing in for SP-API and LWA.

Each test scripts the answers it needs (status, headers, raw body), so that the real
python-amazon-sp-api client, real httpx and real HTTP are exercised, including the
malformed answers a full sandbox would never send (empty 429, HTML 503...).
"""

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN_PATH = "/auth/o2/token"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that timed out closed the socket: expected, not worth a traceback.
        return


class LoopbackAmazon:
    """Scripted SP-API + LWA server; use as a context manager."""

    def __init__(self):
        self.requests = []
        self._routes = {}
        self._tokens = itertools.count(1)
        self._lock = threading.Lock()
        self.token_route_default = True
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test log clean
                return

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                request = {
                    "method": self.command,
                    "path": url.path,
                    "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": raw,
                    "at": time.monotonic(),
                }
                with outer._lock:
                    outer.requests.append(request)
                status, headers, body, delay = outer._answer(
                    self.command, url.path, raw
                )
                if delay:
                    time.sleep(delay)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def token_url(self):
        return self.base_url + TOKEN_PATH

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def route(
        self, method, path, status=200, body=None, headers=None, repeat=True, delay=0
    ):
        """Script the answer to ``method path``.

        :param body: dict/list (sent as JSON), bytes/str (sent as is) or None (empty)
        :param repeat: keep answering this; False queues a one-shot answer
        :param delay: seconds to wait before answering
        """
        if isinstance(body, dict | list):
            raw = json.dumps(body).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        elif isinstance(body, str):
            raw = body.encode()
        else:
            raw = body or b""
        answer = (status, headers or {}, raw, delay)
        with self._lock:
            queue = self._routes.setdefault((method, path), [])
            if repeat:
                queue.clear()
            queue.append((answer, repeat))

    def _answer(self, method, path, raw):
        with self._lock:
            queue = self._routes.get((method, path))
            if queue:
                answer, repeat = queue[0]
                if not repeat:
                    queue.pop(0)
                return answer
        if method == "POST" and path == TOKEN_PATH and self.token_route_default:
            token = f"Atza|loopback-access-token-{next(self._tokens)}"
            body = {"access_token": token, "token_type": "bearer", "expires_in": 3600}
            raw = json.dumps(body).encode()
            return 200, {"Content-Type": "application/json"}, raw, 0
        return 404, {}, b"", 0

    def reset(self):
        """Forget the scripted answers and the requests received."""
        with self._lock:
            self._routes.clear()
            self.requests.clear()

    def calls(self, path=None, method=None):
        """The requests received (optionally for one path/method), oldest first."""
        return [
            r
            for r in self.requests
            if (path is None or r["path"] == path)
            and (method is None or r["method"] == method)
        ]

    def token_requests(self):
        return self.calls(TOKEN_PATH, "POST")

    @staticmethod
    def form(request):
        return {k: v[0] for k, v in parse_qs(request["body"].decode()).items()}
