from . import units
from . import usage_parser
