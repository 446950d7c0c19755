from . import amazon_listing_bind
from . import amazon_sku_recode_import
