"""Statements in the Django admin, one module per idea:

* editions.py: the list of statements and the edition's edit page with its workflow panel;
* workflow_views.py: the workflow's confirmation pages and buttons (they call actions/);
* history_views.py: compare, restore and read old revisions;
* filters.py: the list filters;
* reference.py: observances, topics, organisations;
* audit.py: the audit trail, read-only.
"""

from statements.admin import audit, editions, reference

__all__ = ["audit", "editions", "reference"]
