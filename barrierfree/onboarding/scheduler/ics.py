"""Calendar files (RFC 5545) for a booking, written with ``icalendar``.

The UID is derived from the booking id and never changes; SEQUENCE is the
booking's ``sequence``, bumped on every reschedule and cancellation, so a
calendar replaces its copy instead of adding a second one; a cancelled
booking is sent with ``METHOD:CANCEL`` and ``STATUS:CANCELLED``.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from barrierfree.onboarding.scheduler.times import utcnow
from barrierfree.onboarding.scheduler.types import BookingView

PRODID = "-//barrierfree//sign-language scheduler//EN"
UID_DOMAIN = "barrierfree.invalid"


def uid(booking_id: str) -> str:
    return f"sl-booking-{booking_id}@{UID_DOMAIN}"


def booking_calendar(booking: BookingView, base_url: str = "", now: datetime | None = None) -> bytes:
    """The booking as an iCalendar document (``text/calendar``)."""
    cancelled = booking.status == "cancelled"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid(booking.id))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", now or utcnow())
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("summary", f"Sign-language video session / 手语视频服务 ({booking.agent_name})")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    room = f"{base_url.rstrip('/')}/sign-language/rooms/{booking.room_id}"
    event.add("location", room)
    event.add("url", room)
    event.add("description", "Open the link on your phone at the time of the session. / 请在预约时间用手机打开链接。")
    calendar.add_component(event)
    return calendar.to_ical()
