from . import nolog_server_key_show
from . import nolog_ingestion_upload
from . import nolog_mailbox_warn
from . import nolog_mailbox_suspend
from . import nolog_signup_change
from . import nolog_capacity_planner
