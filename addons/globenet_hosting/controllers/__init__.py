from . import portal
from . import followup_portal
