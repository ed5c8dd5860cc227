from . import test_server_raid
from . import test_usage_parser
from . import test_ingestion
from . import test_api
from . import test_warnings
from . import test_purge
from . import test_access
from . import test_sample
