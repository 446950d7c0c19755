from . import amazon_order_recover
