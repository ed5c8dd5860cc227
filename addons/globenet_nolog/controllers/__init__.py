from . import api
from . import portal
from . import main
from . import signup
from . import keep
from . import address_link
