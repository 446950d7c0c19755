"""``amazon.account`` values that connect an Odoo account to the sandbox."""

from .state import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    DEMO_SELLER_ID,
)


def account_vals(base_url, home_marketplace_id, **vals):
    """Values of the sandbox's demo seller, connected to the sandbox at
    ``base_url``; ``vals`` add or override (name, account type, marketplaces...).

    Plain values, no Odoo import: the Odoo tests, the scenarios and the
    benchmarks create their accounts with them.
    """
    return {
        "name": "Sandbox",
        "account_type": "seller",
        "region": "eu",
        "seller_id": DEMO_SELLER_ID,
        "lwa_client_id": DEMO_CLIENT_ID,
        "lwa_client_secret": DEMO_CLIENT_SECRET,
        "refresh_token": DEMO_REFRESH_TOKEN,
        "sp_api_endpoint": base_url,
        "lwa_endpoint": f"{base_url}/auth/o2/token",
        "home_marketplace_id": home_marketplace_id,
        "state": "connected",
        **vals,
    }
