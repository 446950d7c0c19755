"""``python3 -m tests.sandbox --port PORT``: run the sandbox until SIGTERM/SIGINT."""

import argparse
import signal
import sys
import threading

from .server import LOOPBACK_HOSTS, SandboxServer


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m tests.sandbox")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--rate-scale", type=float, default=1.0)
    parser.add_argument("--no-rate-limits", action="store_true")
    parser.add_argument("--generate", type=int, default=0, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.host not in LOOPBACK_HOSTS:
        print(
            f"refusing to bind {args.host}: the sandbox binds 127.0.0.1 only",
            file=sys.stderr,
        )
        return 2
    server = SandboxServer(
        port=args.port,
        host=args.host,
        rate_scale=args.rate_scale,
        rate_limits=not args.no_rate_limits,
    )
    if args.generate:
        server.state.generate_orders(args.generate, args.seed)
        server.state.generate_listings(40, args.seed)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    print(f"SP-API sandbox ready at {server.base_url}", flush=True)
    # A timed wait: the kernel may deliver SIGTERM to the server thread, and an
    # untimed wait in the main thread would then never run the Python handler.
    while not stop.wait(0.2):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
