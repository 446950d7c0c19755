# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

# Header names accepted for each column (lower case, spaces/underscores ignored).
SKU_HEADERS = {"amazonsku", "sku", "sellersku", "skuamazon"}
CODE_HEADERS = {"defaultcode", "internalreference", "reference", "code", "odoocode"}


def _norm(header):
    return "".join(ch for ch in (header or "").lower() if ch.isalnum())


class AmazonSkuRecodeImport(models.TransientModel):
    """Load a recoding table from a two-column CSV (Amazon SKU, internal reference).

    A spreadsheet exported from another channel tool is the usual source, so the
    delimiter is sniffed and the header names are lenient. Rows update the
    existing recoding of the same SKU; bad rows are reported, never fatal.
    Odoo's standard import (Favourites > Import records) works too, for files that
    name products instead of references.
    """

    _name = "amazon.sku.recode.import"
    _description = "Import Amazon SKU Recoding"

    account_id = fields.Many2one("amazon.account", required=True)
    data_file = fields.Binary(string="CSV File", required=True)
    filename = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    result = fields.Text(readonly=True)

    def action_import(self):
        self.ensure_one()
        rows = self._read_rows()
        Recode = self.env["amazon.sku.recode"].with_context(active_test=False)
        existing = {
            r.amazon_sku: r
            for r in Recode.search(
                [
                    ("account_id", "=", self.account_id.id),
                    ("amazon_sku", "in", [sku for _n, sku, _c in rows]),
                ]
            )
        }
        created = updated = 0
        errors = []
        to_create = []
        seen = set()
        known_codes = self._known_references({code for _n, _s, code in rows if code})
        for line_no, sku, code in rows:
            if not sku or not code:
                errors.append(
                    self.env._(
                        "Line %s: the SKU and the reference are both needed.", line_no
                    )
                )
                continue
            if code not in known_codes:
                errors.append(
                    self.env._(
                        "Line %(n)s: no product has the internal reference "
                        "%(code)s, so orders of SKU %(sku)s would fail. Check the "
                        "reference or create the product, then import the line "
                        "again.",
                        n=line_no,
                        code=code,
                        sku=sku,
                    )
                )
                continue
            if sku in seen:
                errors.append(
                    self.env._("Line %(n)s: SKU %(sku)s repeated.", n=line_no, sku=sku)
                )
                continue
            seen.add(sku)
            row = existing.get(sku)
            if row:
                row.write({"default_code": code, "product_id": False, "active": True})
                updated += 1
            else:
                to_create.append(
                    {
                        "account_id": self.account_id.id,
                        "amazon_sku": sku,
                        "default_code": code,
                    }
                )
        Recode.create(to_create)
        created = len(to_create)
        summary = self.env._(
            "%(created)s recodings created, %(updated)s updated, %(errors)s lines "
            "refused.",
            created=created,
            updated=updated,
            errors=len(errors),
        )
        self.write({"state": "done", "result": "\n".join([summary, *errors])})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import SKU Recoding"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _known_references(self, codes):
        """The references of ``codes`` some product of the account's company has."""
        if not codes:
            return set()
        products = (
            self.env["product.product"]
            .with_context(active_test=False)
            .search(
                [
                    ("default_code", "in", list(codes)),
                    ("company_id", "in", [False, self.account_id.company_id.id]),
                ]
            )
        )
        return set(products.mapped("default_code"))

    def _read_rows(self):
        """Parse the file into ``[(line number, sku, reference)]``.

        :raise UserError: when the file is not a CSV with the expected columns
        """
        raw = base64.b64decode(self.data_file or b"")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        header = next(reader, None)
        if not header:
            raise UserError(self.env._("The file is empty."))
        names = [_norm(h) for h in header]
        sku_col = next((i for i, n in enumerate(names) if n in SKU_HEADERS), None)
        code_col = next((i for i, n in enumerate(names) if n in CODE_HEADERS), None)
        if sku_col is None or code_col is None:
            raise UserError(
                self.env._(
                    "The first line must name the columns: 'Amazon SKU' and "
                    "'Internal Reference'."
                )
            )
        rows = []
        for line_no, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            sku = values[sku_col].strip() if len(values) > sku_col else ""
            code = values[code_col].strip() if len(values) > code_col else ""
            rows.append((line_no, sku, code))
        return rows
