"""A local, stateful SP-API sandbox (test and demo infrastructure).

from tests.sandbox import SandboxServer
srv = SandboxServer(port=0).start()
srv.state.generate_orders(100, seed=1)
...
srv.stop()
"""

from .account import account_vals
from .server import SandboxServer
from .state import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    DEMO_SELLER_ID,
    SandboxState,
)

__all__ = [
    "account_vals",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_REFRESH_TOKEN",
    "DEMO_SELLER_ID",
    "SandboxServer",
    "SandboxState",
]
