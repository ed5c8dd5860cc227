from . import nolog_server_key_show
from . import nolog_ingestion_upload
from . import nolog_mailbox_warn
from . import nolog_mailbox_suspend
