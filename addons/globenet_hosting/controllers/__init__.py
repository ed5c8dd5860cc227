from . import portal
from . import hosting_request
from . import followup_portal
