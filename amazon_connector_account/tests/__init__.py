from . import test_invoice_vat
from . import test_refunds
from . import test_returns
from . import test_money_sandbox
from . import test_settlement_booking
from . import test_settlement_sandbox
from . import test_settlement_scenario
from . import test_settlements
