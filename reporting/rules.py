"""Who reads the program's figures and exports its data: supervisors, who balance the queue and
answer to management, and CBP's administrators. Everyone else is told the pages do not exist."""

import rules

from recordkeepers.rules import is_cbp_admin, is_supervisor

sees_reports = is_supervisor | is_cbp_admin
rules.add_perm("reporting.view_reports", sees_reports)
