from . import test_invoice_vat
