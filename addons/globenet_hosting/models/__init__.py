from . import res_company
from . import res_config_settings
from . import product_template
from . import hosting_subscription
from . import hosting_subscription_line
from . import account_move
