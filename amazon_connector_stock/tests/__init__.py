from . import test_shipment_confirmation
from . import test_stock_push
from . import test_fba_inventory
from . import test_package_weight
from . import test_stock_sandbox
from . import test_shipment_kits
from . import test_every_view_tour
