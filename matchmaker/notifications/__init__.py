"""In-app notifications and demand alerts; no Flask here.

- messages: what a notification says, stored as a message key and params, rendered in the
  reader's language at display time.
- store: the repository port (graph-backed, or an in-memory fake in unit tests).
- inbox: an account's notifications: create, page, count, mark read.
- alerts: who hears of a newly published demand item (pure rules plus one sending step).
- hook: `publish_alerts`, called by the item services after a write commits; never raises.
- settings: an account's alert switch.
"""
from .hook import Alerting, bind, publish_alerts, unbind

__all__ = ["Alerting", "bind", "publish_alerts", "unbind"]
