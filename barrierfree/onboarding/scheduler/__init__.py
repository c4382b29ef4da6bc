"""The sign-language video session scheduler.

Deaf and hard-of-hearing customers book a session with a signing agent (or
queue for the next free one); agents keep weekly working hours in their own
time zone. Modules, from the bottom up:

- :mod:`.times`, :mod:`.slots`: zones, DST-proof wall-time resolution, slot generation (pure);
- :mod:`.models`: the tables (migration ``0002_scheduler``); :mod:`.txn`: write transactions;
- :mod:`.agents`: skills, agents, rules, time off; :mod:`.availability`: free slots;
- :mod:`.bookings`: held → confirmed → completed / cancelled / no_show, idempotent, no double booking;
- :mod:`.queue`: the on-demand queue; :mod:`.waitlist`: waiting for a full day;
- :mod:`.reminders`: text messages, the ticker, senders and outbox; :mod:`.ics`: calendar files;
- :mod:`.rooms`: WebRTC signalling and chat; :mod:`.retention`: deleting old conversations;
- :mod:`.demo`: demo agents.

For "ask for human help" the journey calls :func:`join_queue` and links the
customer to ``QUEUE_PAGE.format(ticket_id=ticket.id)``.
"""

from barrierfree.onboarding.scheduler.queue import QUEUE_PAGE, join_queue
from barrierfree.onboarding.scheduler.types import Customer, QueueTicket

__all__ = ["QUEUE_PAGE", "Customer", "QueueTicket", "join_queue"]
