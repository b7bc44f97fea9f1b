"""What certification tells the apps above it without importing them (imports stay one-way).

`decision_issued` is sent inside the transaction that records a decision, once the `Decision` row
and its letter exist, with `decision=`. A receiver's writes commit or roll back with the decision,
so a certification never exists without what the apps above keep for it (the participant
register, for one).
"""

from django.dispatch import Signal

decision_issued = Signal()
