from . import portal
from . import hosting_request
