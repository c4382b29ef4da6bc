"""Accessible pages for customers and agents under ``/sign-language/``.

Plain HTML forms that work without JavaScript (the times are radio buttons);
the scripts add the keyboard time picker (days as tabs, times as a listbox,
see ``picker.py``), the announced hold on a chosen time, the queue's live
status and the video room. Every error is shown on the page in a
``role=alert`` box (the API gives problem documents instead). The console's
sign-in and the room are in :mod:`.access_pages`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from barrierfree.errors import BadInput, BarrierFreeError
from barrierfree.onboarding.scheduler import agents, bookings, queue, reminders, waitlist
from barrierfree.onboarding.scheduler.times import parse_day, parse_instant, utcnow, zone
from barrierfree.onboarding.scheduler.types import Customer
from barrierfree.web.i18n import texts
from barrierfree.web.journey import csrf
from barrierfree.web.sign_language.access import session_actor, sign_in
from barrierfree.web.sign_language.common import acting_agent, config, day_window, reading, sessions, writing
from barrierfree.web.sign_language.console import console_state
from barrierfree.web.sign_language.picker import PICKER_DAYS, day_label, local_label, picker_days

#: Templates live in ``web/templates/sign_language/`` and assets in
#: ``web/static/sign_language/``, where the package data already ships them.
blueprint = Blueprint("sign_language", __name__, url_prefix="/sign-language")


def _t():  # noqa: ANN202
    return texts("sign_language")


def _skills(session, t) -> list[tuple[str, str]]:  # noqa: ANN001
    lang_zh = t.lang == "zh-CN"
    return [(s.code, s.label_zh if lang_zh else s.label_en) for s in agents.list_skills(session)]


def _render(template: str, status: int = 200, **context):  # noqa: ANN003, ANN202
    t = _t()
    context.setdefault("error", None)
    return render_template(
        f"sign_language/{template}", t=t, poll_ms=config().poll_interval_ms, csrf_token=csrf.token(), **context
    ), status


def _error_text(error: BarrierFreeError) -> str:
    return error.detail


@blueprint.get("/")
def home() -> ResponseReturnValue:
    return _render("home.html")


def _picker_args(session) -> tuple[str, date, str]:  # noqa: ANN001
    skill = request.values.get("skill") or "csl"
    agents.require_skill(session, skill)
    tz_name = request.values.get("tz") or config().display_time_zone
    zone(tz_name)
    today = utcnow().astimezone(zone(tz_name)).date()
    first = parse_day(request.values["date"], "date") if request.values.get("date") else today
    return skill, max(first, today), tz_name


@blueprint.route("/book", methods=["GET", "POST"])
def book() -> ResponseReturnValue:
    t = _t()
    error = None
    if request.method == "POST":
        try:
            customer = _form_customer()
            booking_id = _confirm_hold(request.form.get("hold_id"), customer)
            if booking_id is None:
                agent_id, start = _chosen_slot()
                booking_id = bookings.book(
                    sessions(), config(), bookings.BookingRequest(agent_id, start, request.form.get("skill", ""), customer),
                    request.form.get("idempotency_key") or None,
                ).booking.id
            return redirect(url_for(".booking_page", booking_id=booking_id, created=1), 303)
        except BarrierFreeError as failure:
            error = _error_text(failure)
    with reading() as session:
        try:
            skill, first, tz_name = _picker_args(session)
        except BarrierFreeError as failure:
            error, (skill, first, tz_name) = _error_text(failure), ("csl", utcnow().date(), config().display_time_zone)
        groups = picker_days(session, t, skill, first, tz_name)
        return _render(
            "book.html", 422 if error else 200, error=error, groups=groups, skills=_skills(session, t), skill=skill,
            first=first, tz_name=tz_name, next_day=first + timedelta(days=PICKER_DAYS), form=request.form,
            idempotency_key=request.form.get("idempotency_key") or _new_key(),
        )


def _confirm_hold(hold_id: str | None, customer: Customer) -> str | None:
    """Confirm the slot the page held while the customer typed; ``None`` when there is no live hold (book it afresh)."""
    if not hold_id:
        return None
    try:
        return bookings.confirm(sessions(), config(), hold_id, customer=customer).id
    except BarrierFreeError as failure:
        if failure.code in ("hold-expired", "unknown-booking"):
            return None
        raise


def _new_key() -> str:
    from barrierfree.onboarding.scheduler.models import new_id

    return new_id()


def _form_customer() -> Customer:
    """The customer's name and contact from a form post, after the CSRF check."""
    csrf.check()
    return Customer.parse({"name": request.form.get("name"), "contact": request.form.get("contact")}, config().max_text_chars)


def _chosen_slot() -> tuple[str, datetime]:
    chosen = [value for value in request.form.getlist("slot") if value]
    if not chosen or "|" not in chosen[-1]:
        raise BadInput("no-slot-chosen", _t()("error_no_slot"))
    agent_id, start = chosen[-1].split("|", 1)
    return agent_id, parse_instant(start)


@blueprint.get("/bookings/<booking_id>")
def booking_page(booking_id: str) -> ResponseReturnValue:
    t = _t()
    tz_name = request.args.get("tz") or config().display_time_zone
    with reading() as session:
        booking = bookings.view(bookings.get_booking(session, booking_id))
        messages = [(m.subject, m.body) for m in reminders.outbox(session, booking_id)]
    return _render(
        "booking.html", booking=booking, when=local_label(booking.start, tz_name, t), messages=messages,
        created=bool(request.args.get("created")), notice=request.args.get("notice"),
    )


@blueprint.post("/bookings/<booking_id>/cancel")
def cancel_page(booking_id: str) -> ResponseReturnValue:
    csrf.check()
    try:
        bookings.cancel(sessions(), config(), booking_id)
        notice = "cancelled"
    except BarrierFreeError as failure:
        if failure.code == "unknown-booking":
            raise
        notice = failure.code
    return redirect(url_for(".booking_page", booking_id=booking_id, notice=notice), 303)


@blueprint.route("/bookings/<booking_id>/reschedule", methods=["GET", "POST"])
def reschedule_page(booking_id: str) -> ResponseReturnValue:
    t = _t()
    error = None
    if request.method == "POST":
        try:
            csrf.check()
            agent_id, start = _chosen_slot()
            bookings.reschedule(sessions(), config(), booking_id, start, agent_id)
            return redirect(url_for(".booking_page", booking_id=booking_id, notice="rescheduled"), 303)
        except BarrierFreeError as failure:
            error = _error_text(failure)
    with reading() as session:
        booking = bookings.view(bookings.get_booking(session, booking_id))
        _, first, tz_name = _picker_args(session)
        groups = picker_days(session, t, booking.skill, first, tz_name, ignore=booking.id)
    return _render(
        "reschedule.html", 422 if error else 200, error=error, booking=booking, groups=groups, first=first,
        tz_name=tz_name, next_day=first + timedelta(days=PICKER_DAYS),
        when=local_label(booking.start, tz_name, t),
    )


@blueprint.route("/queue", methods=["GET", "POST"])
def queue_join() -> ResponseReturnValue:
    t = _t()
    error = None
    if request.method == "POST":
        try:
            customer = _form_customer()
            with writing() as session:
                ticket = queue.join_queue(session, request.form.get("skill", ""), customer, request.form.get("reason", ""))
            return redirect(url_for(".queue_page", ticket_id=ticket.id), 303)
        except BarrierFreeError as failure:
            error = _error_text(failure)
    with reading() as session:
        return _render("queue_join.html", 422 if error else 200, error=error, skills=_skills(session, t), form=request.form)


@blueprint.get("/queue/<ticket_id>")
def queue_page(ticket_id: str) -> ResponseReturnValue:
    with reading() as session:
        ticket = queue.queue_status(session, ticket_id)
    return _render("queue.html", ticket=ticket)


@blueprint.post("/queue/<ticket_id>/leave")
def queue_leave(ticket_id: str) -> ResponseReturnValue:
    csrf.check()
    try:
        with writing() as session:
            queue.leave_queue(session, ticket_id)
    except BarrierFreeError as failure:
        if failure.code == "unknown-ticket":
            raise
    return redirect(url_for(".queue_page", ticket_id=ticket_id), 303)


@blueprint.route("/waitlist", methods=["GET", "POST"])
def waitlist_join() -> ResponseReturnValue:
    t = _t()
    error = entry = None
    tz_name = config().display_time_zone
    if request.method == "POST":
        try:
            customer = _form_customer()
            day = parse_day(request.form.get("date"), "date")
            start, end = day_window(day.isoformat(), day.isoformat(), tz_name)
            start = max(start, utcnow())
            with writing() as session:
                entry = waitlist.join_waitlist(session, config(), request.form.get("skill"), start, end, customer)
        except BarrierFreeError as failure:
            error = _error_text(failure)
    with reading() as session:
        return _render(
            "waitlist.html", 422 if error else 200, error=error, entry=entry, skills=_skills(session, t), form=request.form,
            day_label=day_label(parse_day(request.form["date"], "date"), t) if entry else "",
        )


def _agent_page(agent_id: str) -> None:
    """Only the agent themself (signed in, or their token) or a supervisor may use an agent's console."""
    actor = acting_agent()
    if actor is None or not actor.may_act_for(agent_id):
        abort(403)
    if session_actor() != actor:
        sign_in(actor)  # the console's room links then work without any token


#: Notices the console shows after an action (``?notice=``), each a text key.
_CONSOLE_NOTICES = {
    "queue_empty": "agent_queue_empty", "completed": "agent_marked_completed", "no_show": "agent_marked_no_show",
    "booking-not-confirmed": "agent_outcome_refused", "session-not-started": "agent_outcome_refused",
    "not-your-booking": "agent_outcome_refused",
}


@blueprint.get("/agent/<agent_id>")
def agent_console(agent_id: str) -> ResponseReturnValue:
    _agent_page(agent_id)
    t = _t()
    with reading() as session:
        state = console_state(session, agent_id)
        skill_names = dict(_skills(session, t))
    tz_name = state.agent.time_zone
    return _render(
        "agent.html", state=state, label=lambda instant: local_label(instant, tz_name, t),
        notice=_CONSOLE_NOTICES.get(request.args.get("notice", "")), now=utcnow(), skill_names=skill_names,
    )


def _back_to_console(agent_id: str, notice: str | None = None):  # noqa: ANN202
    return redirect(url_for(".agent_console", agent_id=agent_id, notice=notice), 303)


@blueprint.post("/agent/<agent_id>/claim")
def agent_claim(agent_id: str) -> ResponseReturnValue:
    _agent_page(agent_id)
    csrf.check()
    ticket = queue.claim_next(sessions(), agent_id)
    if ticket is None:
        return _back_to_console(agent_id, "queue_empty")
    return redirect(url_for("sign_language_access.room_page", room_id=ticket.room_id, **{"as": "agent"}), 303)  # type: ignore[arg-type]  # "as" is a keyword


@blueprint.post("/agent/<agent_id>/finish/<ticket_id>")
def agent_finish(agent_id: str, ticket_id: str) -> ResponseReturnValue:
    _agent_page(agent_id)
    csrf.check()
    with writing() as session:
        queue.finish(session, ticket_id, agent_id)
    return _back_to_console(agent_id)


@blueprint.post("/agent/<agent_id>/outcome/<booking_id>")
def agent_outcome(agent_id: str, booking_id: str) -> ResponseReturnValue:
    """Mark a started session completed or missed; the console's agent must be the booking's."""
    _agent_page(agent_id)
    csrf.check()
    outcome = request.form.get("outcome")
    try:
        bookings.record_outcome(sessions(), booking_id, outcome, acting_agent=agent_id)
    except BarrierFreeError as failure:
        if failure.code in ("unknown-booking", "bad-outcome"):
            raise
        return _back_to_console(agent_id, failure.code)
    return _back_to_console(agent_id, outcome)


__all__ = ["blueprint"]
