from . import hosting_subscription_close
from . import hosting_subscription_preview
from . import hosting_subscription_preview_line
