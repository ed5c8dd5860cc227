from . import test_recurring_invoicing
from . import test_subscription_lifecycle
from . import test_invoicing_robustness
from . import test_hosting_access
from . import test_invoicing_query_count
