# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer matcher: customers and delivery addresses of Amazon orders.

The order importer hands it a batch of orders (one order is a batch of one) and
gets back, per order, the customer and the delivery contact, found or created.

Rules (issue 4, "Customers and addresses"):
- a buyer e-mail that matches a contact (case-insensitive, trimmed) attaches the
  order to that contact, which is never written;
- otherwise a new customer is created from Amazon's data and marked as such;
- without e-mail (common since February 2026), an Amazon-created customer with the
  same normalized name and delivery address is reused, otherwise one is created;
- a delivery contact of the customer with the same normalized name and address is
  reused, otherwise a new one is created; existing addresses are never changed.
"""

import logging
import re
import unicodedata

import phonenumbers

from odoo import api, models
from odoo.tools import email_normalize

from odoo.addons.amazon_connector.utils import as_dict, as_list

from ..buyer_text import MAX_NAME, clean_text, text_to_html
from ..const import STATE_ALIASES
from ..exceptions import AmazonOrderDataError
from ..region_match import fold_region, region_keys, strip_region_words
from ..utils import noted_text, page_cache, page_memo, usable_reference

_logger = logging.getLogger(__name__)

MAX_TEXT = MAX_NAME
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


class AmazonOrderCustomerMatcher(models.AbstractModel):
    _name = "amazon.order.customer.matcher"
    _description = "Amazon Order Customer Matcher"

    # --- text helpers ---------------------------------------------------------
    @api.model
    def _normalize(self, text):
        text = unicodedata.normalize("NFKD", text or "")
        text = "".join(c for c in text if not unicodedata.combining(c))
        return _NON_WORD.sub(" ", text.casefold()).strip()

    @api.model
    def _address_key(self, vals):
        """Normalized name + address: what makes two delivery addresses the same."""
        country = vals.get("country_id") or ""
        parts = [
            vals.get("name"),
            vals.get("street"),
            vals.get("street2"),
            (vals.get("zip") or "").replace(" ", ""),
            vals.get("city"),
        ]
        return "|".join([self._normalize(p) for p in parts] + [str(country)])

    @api.model
    def _partner_address_key(self, partner):
        return self._address_key(
            {
                "name": partner.name,
                "street": partner.street,
                "street2": partner.street2,
                "zip": partner.zip,
                "city": partner.city,
                "country_id": partner.country_id.id,
            }
        )

    # --- reading Amazon's address ---------------------------------------------
    @api.model
    def _prepare_address(self, order, notes):
        """Contact values of the delivery address (``recipient.deliveryAddress``)."""
        address = as_dict(as_dict(order.get("recipient")).get("deliveryAddress"))
        buyer = as_dict(order.get("buyer"))

        def clean(value, label, notes, limit=MAX_TEXT):
            return noted_text(self.env, value, label, notes, limit)

        name = clean(address.get("name"), self.env._("Recipient name"), notes)
        if not name:
            name = clean(buyer.get("buyerName"), self.env._("Buyer name"), notes)
        if not name:
            name = self.env._("Amazon buyer %s", usable_reference(order.get("orderId")))
            notes.append(self.env._("Amazon sent no recipient name."))
        lines = [
            clean(address.get(key), self.env._("Address line"), notes)
            for key in ("addressLine1", "addressLine2", "addressLine3")
        ]
        vals = {
            "name": name,
            "street": lines[0] or False,
            "street2": ", ".join(line for line in lines[1:] if line) or False,
            "city": clean(address.get("city"), self.env._("City"), notes) or False,
            "zip": clean(
                address.get("postalCode"), self.env._("Postal code"), notes, 24
            )
            or False,
        }
        if not vals["street"] and not vals["city"]:
            notes.append(self.env._("Amazon sent no delivery street or city."))
        country = self._find_country(address.get("countryCode"), notes)
        vals["country_id"] = country.id or False
        state = self._find_state(country, address.get("stateOrRegion"), notes)
        vals["state_id"] = state.id or False
        phone = self._format_phone(address.get("phone"), country, notes)
        if phone:
            vals["phone"] = phone
        return vals

    @api.model
    def _find_country(self, code, notes):
        Country = self.env["res.country"]
        if isinstance(code, str) and code.strip():
            country_code = code.strip().upper()[:2]
            country = page_memo(
                self.env,
                "country",
                country_code,
                lambda: Country.search([("code", "=", country_code)], limit=1),
            )
            if country:
                return country
            notes.append(self.env._("Unknown country code %r.", code[:10]))
        else:
            notes.append(self.env._("Amazon sent no country."))
        return Country

    @api.model
    def _find_state(self, country, state_text, notes):
        State = self.env["res.country.state"]
        if not country or not isinstance(state_text, str) or not state_text.strip():
            return State
        text = clean_text(state_text, MAX_TEXT)
        state, has_states = page_memo(
            self.env,
            "state",
            (country.id, text),
            lambda: self._search_state(country, text),
        )
        if not state and has_states:
            notes.append(self.env._("Unknown state or region %r.", text))
        return state

    @api.model
    def _search_state(self, country, text):
        """:return: (the state of ``country`` Amazon's text names, whether the
        text is a region Odoo knows nothing to say about)

        Amazon sends ``stateOrRegion`` as the buyer wrote it: an ISO code without
        the country prefix Odoo has for some countries (``BE`` for ``DE-BE``,
        ``AC`` for ``SE-AC``), a name in the local language with or without its
        accents, or a common variant ("Greater London", "Bavaria", "Co. Cork").
        """
        State = self.env["res.country.state"]
        states = State.search([("country_id", "=", country.id)])
        if not states:
            return State, False
        aliases = STATE_ALIASES.get(country.code, {})
        folded = fold_region(text)
        for key in (folded, strip_region_words(folded)):
            if key in aliases:
                code = aliases[key]
                if code is None:
                    return State, False
                state = states.filtered(lambda s, code=code: s.code == code)
                if state:
                    return state[:1], True
        by_key = page_memo(
            self.env,
            "state_keys",
            country.id,
            lambda: self._state_keys(states, country),
        )
        for key in (folded, strip_region_words(folded)):
            if key in by_key:
                return by_key[key], True
        return State, True

    @api.model
    def _state_keys(self, states, country):
        """{folded spelling: state} of every state of ``country``."""
        by_key = {}
        for state in states:
            for key in region_keys(state, country.code):
                by_key.setdefault(key, state)
        return by_key

    @api.model
    def _format_phone(self, phone, country, notes):
        """E.164 when phonenumbers can read it (with the address's country)."""
        if not isinstance(phone, str) or not phone.strip():
            return False
        raw = clean_text(phone, 64)
        try:
            parsed = phonenumbers.parse(raw, country.code or None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed and phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(
                parsed, phonenumbers.PhoneNumberFormat.E164
            )
        notes.append(self.env._("The phone number %r could not be normalized.", raw))
        return raw

    @api.model
    def _get_buyer_vat(self, order):
        tax = as_dict(order.get("tax"))
        for registration in as_list(tax.get("taxRegistrations")):
            number = registration.get("taxRegistrationNumber")
            if (
                registration.get("entityType") == "BUYER"
                and registration.get("taxRegistrationType") == "VAT"
                and isinstance(number, str)
                and number.strip()
            ):
                return clean_text(number, 32) or False
        return False

    # --- finding and creating -------------------------------------------------
    @api.model
    def _match(self, account, entries):
        """Customers and delivery contacts of a batch of orders, found or created.

        One order is a batch of one. The rules apply order by order, with the
        new customers created in one ``create`` and then the new delivery
        contacts in another. A buyer with several orders in the batch is created
        once: by e-mail, or without e-mail by the same name and address (as an
        Amazon-created customer would be found in the database).

        :param entries: list of (order, amazon.marketplace, notes)
        :return: list of (customer, delivery contact), one per entry
        """
        addresses, emails, match_keys = [], [], []
        for order, _marketplace, notes in entries:
            address = self._prepare_address(order, notes)
            addresses.append(address)
            raw_email = as_dict(order.get("buyer")).get("buyerEmail")
            email = self._buyer_email(order)
            if raw_email and not email:
                notes.append(self.env._("The buyer e-mail is not a valid address."))
            emails.append(email)
            match_keys.append(self._customer_match_key(order, address))
        # The buyers without e-mail, in one query (nothing is created before the
        # batch's customers are, below).
        by_key = self._find_customers_by_match_keys(
            account,
            [key for key, email in zip(match_keys, emails, strict=True) if not email],
        )
        customers, pending = [], []
        pending_by_email, pending_by_key = {}, {}
        for (order, marketplace, notes), address, email, match_key in zip(
            entries, addresses, emails, match_keys, strict=True
        ):
            # A record, or an int: the index of a customer still to create.
            if email:
                customer = self._find_customers_by_emails(account, [email])[
                    email
                ] or pending_by_email.get(email)
            else:
                customer = by_key.get(match_key) or pending_by_key.get(match_key)
            if customer is None:
                customer = len(pending)
                pending.append((order, marketplace, address, email, notes))
                if email:
                    pending_by_email[email] = customer
                pending_by_key.setdefault(match_key, customer)
            customers.append(customer)
        if pending:
            created = self._create_customers(account, pending)
            customers = [
                created[customer] if isinstance(customer, int) else customer
                for customer in customers
            ]
        return list(
            zip(
                customers,
                self._find_or_create_deliveries(account, customers, addresses),
                strict=True,
            )
        )

    @api.model
    def _partner_company_domain(self, account):
        return [("company_id", "in", [account.company_id.id, False])]

    @api.model
    def _buyer_email(self, order):
        """The buyer's e-mail, normalized, or False (absent or invalid)."""
        raw_email = as_dict(order.get("buyer")).get("buyerEmail")
        return (
            email_normalize(raw_email.strip()) if isinstance(raw_email, str) else False
        )

    @api.model
    def _find_customers_by_emails(self, account, emails):
        """The contacts of these e-mails (case-insensitive, trimmed), the oldest
        first; the page's prefetch answers those it looked up.

        :return: ``{email: res.partner}`` for every e-mail given (empty when none)
        """
        Partner = self.env["res.partner"]
        page = page_cache(self.env)
        known = page["emails"] if page is not None else {}
        found = {email: known[email] for email in emails if email in known}
        missing = [email for email in emails if email not in found]
        if not missing:
            return found
        domain = self._partner_company_domain(account)
        for partner in Partner.search_fetch(
            domain + [("email_normalized", "in", missing)],
            ["email_normalized"],
            order="id",
        ):
            found.setdefault(partner.email_normalized, partner)
        missing = [email for email in missing if email not in found]
        if missing:
            # A contact whose e-mail Odoo could not normalize: equal text.
            email_domain = [
                ("email", "=ilike", re.sub(r"([%_\\])", r"\\\1", email))
                for email in missing
            ]
            email_domain = ["|"] * (len(email_domain) - 1) + email_domain
            for partner in Partner.search_fetch(
                domain + email_domain, ["email"], order="id"
            ):
                email = (partner.email or "").strip().lower()
                if email in missing:
                    found.setdefault(email, partner)
        return {email: found.get(email, Partner) for email in emails}

    @api.model
    def _customer_match_key(self, order, address):
        buyer = as_dict(order.get("buyer"))
        name = buyer.get("buyerName") if isinstance(buyer.get("buyerName"), str) else ""
        return (
            self._normalize(name or address.get("name"))
            + "#"
            + self._address_key(address)
        )

    @api.model
    def _find_customers_by_match_keys(self, account, keys):
        """No e-mail: only Amazon-created customers match, by name and address
        (:meth:`_customer_match_key`), the oldest first.

        :return: ``{key: res.partner}`` of the keys found
        """
        found = {}
        if not keys:
            return found
        for partner in self.env["res.partner"].search_fetch(
            self._partner_company_domain(account)
            + [
                ("amazon_created", "=", True),
                ("parent_id", "=", False),
                ("amazon_match_key", "in", list(set(keys))),
            ],
            ["amazon_match_key"],
            order="id",
        ):
            found.setdefault(partner.amazon_match_key, partner)
        return found

    @api.model
    def _prepare_customer(self, account, order, marketplace, address, email, notes):
        buyer = as_dict(order.get("buyer"))
        company_name = noted_text(
            self.env, buyer.get("buyerCompanyName"), self.env._("Company name"), notes
        )
        buyer_name = noted_text(
            self.env, buyer.get("buyerName"), self.env._("Buyer name"), notes
        )
        vals = dict(
            address,
            name=company_name or buyer_name or address["name"],
            is_company=bool(company_name),
            email=email or False,
            customer_rank=1,
            amazon_created=True,
            amazon_account_id=account.id,
            amazon_match_key=self._customer_match_key(order, address),
            company_id=account.company_id.id,
        )
        if company_name and buyer_name:
            vals["comment"] = text_to_html(self.env._("Amazon buyer: %s", buyer_name))
        vat = self._get_buyer_vat(order)
        if vat:
            vals["vat"] = vat
        lang = marketplace.lang
        if lang and self.env["res.lang"]._lang_get(lang):
            vals["lang"] = lang
        if account.customer_receivable_account_id:
            vals["property_account_receivable_id"] = (
                account.customer_receivable_account_id.id
            )
        return vals

    @api.model
    def _create_customers(self, account, pending):
        """Create the new customers of a batch in one ``create``.

        A refused VAT number (``base_vat``) is retried without it, noted on the
        order, when the customer is created alone: in a batch the error goes up
        and the page is imported again order by order.

        :param pending: list of (order, marketplace, address, email, notes)
        :return: res.partner, one record per entry, in the same order
        """
        vals_list = [
            self._prepare_customer(account, order, marketplace, address, email, notes)
            for order, marketplace, address, email, notes in pending
        ]
        Partner = self.env["res.partner"].with_company(account.company_id)
        page = page_cache(self.env)
        if page is not None:
            # The next orders of these buyers must find the new customers.
            for _order, _market, _address, email, _notes in pending:
                if email:
                    page["emails"].pop(email, None)
        if len(vals_list) > 1 or not vals_list[0].get("vat"):
            # Only a refused VAT number is worth a second try: no savepoint (and
            # its flush) for the others.
            try:
                return Partner.create(vals_list)
            except Exception as error:
                raise AmazonOrderDataError(
                    self.env._("The customer could not be created: %s", error)
                ) from error
        vals, notes = vals_list[0], pending[0][4]
        try:
            with self.env.cr.savepoint():
                return Partner.create(vals)
        except Exception as error:
            vals.pop("vat")
            notes.append(self.env._("The buyer's VAT number was refused: %s", error))
            return Partner.create(vals)

    @api.model
    def _find_or_create_deliveries(self, account, customers, addresses):
        """The delivery contact of each (customer, address), the new ones created
        in one ``create``.

        A delivery contact of the customer (or the customer itself) with the same
        normalized name and address is reused; an address seen twice in the batch
        for one customer gives one new contact.

        :return: list of res.partner, one per customer
        """
        deliveries, to_create, pending = [], [], {}
        for customer, address in zip(customers, addresses, strict=True):
            key = self._address_key(address)
            delivery = self._find_delivery(customer, key)
            if not delivery:
                delivery = pending.get((customer.id, key))
                if delivery is None:
                    delivery = pending[customer.id, key] = len(to_create)
                    to_create.append(
                        dict(
                            address,
                            type="delivery",
                            parent_id=customer.id,
                            amazon_created=True,
                            amazon_account_id=account.id,
                            company_id=customer.company_id.id or account.company_id.id,
                        )
                    )
            deliveries.append(delivery)
        if not to_create:
            return deliveries
        created = (
            self.env["res.partner"]
            .with_context(amazon_keep_parent=True)
            .create(to_create)
        )
        return [
            created[delivery] if isinstance(delivery, int) else delivery
            for delivery in deliveries
        ]

    @api.model
    def _find_delivery(self, customer, key):
        """The customer, or one of its contacts, at the address ``key``."""
        candidates = customer | customer.child_ids.filtered(
            lambda c: c.type in ("delivery", "contact", "other")
        )
        for candidate in candidates:
            if self._partner_address_key(candidate) == key:
                return candidate
        return customer.browse()
