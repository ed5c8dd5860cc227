from . import hosting_subscription_close
from . import hosting_subscription_preview
from . import hosting_subscription_preview_line
from . import debt_plan_renegotiate
from . import debt_plan_summary
from . import sepa_direct_debit_line_reject
from . import hosting_legacy_import
