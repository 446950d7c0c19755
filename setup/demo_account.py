# Run by ./setup/run through `odoo shell`: creates (or repoints) the demo Amazon
# account at the local SP-API sandbox. `env` is provided by odoo shell.
# ruff: noqa: F821
import os
import sys
from datetime import datetime, timedelta

sys.path.insert(0, os.environ["AMAZON_REPO"])
sys.path.insert(0, os.path.join(os.environ["AMAZON_REPO"], "setup"))
from demo_company import make_italian_company

from tests.sandbox import generate  # the sandbox's own SKU pool

# An Italian company (chart, EUR, VAT 22%, rates) before any product or order.
company = make_italian_company(env)
env = env(context=dict(env.context))

SANDBOX = os.environ.get("AMAZON_SANDBOX_URL") or ""
Account = env["amazon.account"].sudo()
account = Account.search([("name", "=", "Demo (SP-API sandbox)")], limit=1)
values = {
    "name": "Demo (SP-API sandbox)",
    "account_type": "seller",
    "region": "eu",
    "seller_id": "A1SANDBOXSELLER",
    "lwa_client_id": "amzn1.application-oa2-client.sandbox",
    "lwa_client_secret": "sandbox-secret",
    "refresh_token": "Atzr|sandbox-refresh-token",
    "sp_api_endpoint": SANDBOX or False,
    "lwa_endpoint": (SANDBOX + "/auth/o2/token") if SANDBOX else False,
    "home_marketplace_id": env.ref("amazon_connector.marketplace_it").id,
    # the administrator is the seller: salesperson of the orders, reminders
    "user_id": env.ref("base.user_admin").id,
}
if account:
    account.write(values)
else:
    account = Account.create(values)
# The sandbox sells a pool of 40 SKUs: give the demo company those products (the
# order import finds them by internal reference; the listings import binds them).
Product = env["product.product"].sudo()
for sku in generate.default_skus():
    if not Product.search_count([("default_code", "=", sku)]):
        Product.create(
            {
                "name": generate.sku_title(sku),
                "default_code": sku,
                "barcode": generate.sku_ean(sku),
                "list_price": float(generate.sku_base_price(sku)),
                "type": "consu",
                "is_storable": True,
            }
        )
if not account.order_import_from_date:
    # generated orders spread over the last week; the default first run looks
    # back one day only
    account.order_import_from_date = datetime.now() - timedelta(days=8)
state = "unconnected"
if SANDBOX:
    try:
        account.action_test_connection()
        state = account.state
    except Exception as exc:  # the demo must come up even if the sandbox is off
        state = "error: %s" % exc
env.cr.commit()
print(
    "DEMO-ACCOUNT %s (id %s) -> %s [%s]"
    % (account.name, account.id, SANDBOX or "-", state)
)
