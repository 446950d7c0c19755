"""The demo company: an Italian seller, as the project's users are.

``make_italian_company(env)`` turns the main company of a fresh database into an
Italian company: Odoo's Italian chart of accounts (``l10n_it``, which sets VAT
22% as the default sales tax), EUR, the EU One-Stop-Shop taxes
(``l10n_eu_oss``) and exchange rates for the currencies of Amazon's
marketplaces, so that an order in GBP, SEK or PLN converts to EUR at a real-looking
rate. Run by ``setup/demo_account.py`` (through ``odoo shell``); reusable by
any setup script that needs the same company (e.g. the accounting addon's demo).

Idempotent: a company that already has the Italian chart is left as it is,
apart from missing rates.
"""

from datetime import date

# Units of each currency for 1 EUR: demo rates, close to the ECB's reference
# rates of 2025; dated 1 January 2025 so that every demo order finds one.
DEMO_RATES = {
    "GBP": 0.8450,
    "SEK": 11.20,
    "PLN": 4.27,
    "TRY": 36.50,
    "USD": 1.08,
    "CAD": 1.49,
    "MXN": 21.50,
    "BRL": 6.30,
    "ZAR": 19.80,
    "EGP": 53.00,
    "SAR": 4.05,
    "AED": 3.97,
    "INR": 91.00,
    "SGD": 1.46,
    "AUD": 1.66,
    "JPY": 163.00,
}
RATE_DATE = date(2025, 1, 1)
COMPANY_VALUES = {
    "name": "Demo Amazon Italia S.r.l.",
    "street": "Via Giuseppe Verdi 12",
    "city": "Milano",
    "zip": "20121",
    "vat": "IT12345670017",
    "email": "amministrazione@example.com",
}


def make_italian_company(env, company=None):
    """Make ``company`` (default: the main company) an Italian company in EUR.

    :return: the company
    """
    company = company or env.ref("base.main_company")
    italy = env.ref("base.it")
    eur = env.ref("base.EUR")
    eur.active = True
    if company.chart_template != "it":
        values = dict(COMPANY_VALUES, country_id=italy.id)
        if company.currency_id != eur:
            values["currency_id"] = eur.id
        company.write(values)
        env["account.chart.template"].try_loading("it", company, install_demo=False)
        env = env(context=dict(env.context))  # the registry may have been reloaded
        company = env["res.company"].browse(company.id)
    oss = env["ir.module.module"].search(
        [("name", "=", "l10n_eu_oss"), ("state", "=", "uninstalled")]
    )
    if oss:
        oss.button_immediate_install()
        env = env(context=dict(env.context))
        company = env["res.company"].browse(company.id)
    # the OSS fiscal positions (one per EU country of delivery), as the settings'
    # "Refresh tax mapping" button makes them; idempotent
    company._map_eu_taxes()
    # products made before the chart (the addons' shipping and gift-wrap
    # products) lost the generic chart's taxes with it
    untaxed = env["product.template"].search(
        [("taxes_id", "=", False), ("sale_ok", "=", True)]
    )
    untaxed.write({"taxes_id": [(6, 0, company.account_sale_tax_id.ids)]})
    set_demo_rates(env, company)
    return company


def set_demo_rates(env, company):
    """Activate the marketplaces' currencies and give each a rate to EUR."""
    Currency = env["res.currency"].with_context(active_test=False)
    Rate = env["res.currency.rate"]
    for code, rate in DEMO_RATES.items():
        currency = Currency.search([("name", "=", code)], limit=1)
        if not currency or currency == company.currency_id:
            continue
        currency.active = True
        if not Rate.search_count(
            [("currency_id", "=", currency.id), ("company_id", "=", company.id)]
        ):
            Rate.create(
                {
                    "currency_id": currency.id,
                    "company_id": company.id,
                    "name": RATE_DATE,
                    "rate": rate,
                }
            )
