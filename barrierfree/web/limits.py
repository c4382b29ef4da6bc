"""Rate limits for every blueprint, with counters in a shared store (Flask-Limiter over ``limits``).

Why a library: counters must be shared by every gunicorn worker and app
instance, or the effective limit grows with their number; Flask-Limiter keeps
them in the store that ``web.rate_limit_storage_uri`` names (``memory://`` for
the demo, Redis in production) and counts in a moving window, so N allowed
means N in any window, across workers.

- **Per client address, over every route** (pages, forms, both JSON APIs):
  ``client_requests_per_minute``. The address is the peer's, or the one the
  ``trusted_proxies`` nearest proxies report (see :mod:`.security`), so
  customers behind one proxy do not share one allowance.
- **New journeys per client** (API and HTML form together): ``client_journeys_per_hour``.
- **Sign-language sign-ups per client** (bookings, queue, waitlist; API and
  forms together): ``client_signups_per_hour``.
- **Per journey**: ``journey_requests_per_minute``, counted by :func:`count_journey`
  only once the request has shown that journey's token (or signed session), so
  a stranger cannot use up someone else's journey.

A store that goes away does not switch the limits off: each process falls
back to counting in memory until it is back. No counter is ever reset to make
room; the store expires each one at the end of its window.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import RateLimitItemPerMinute, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from barrierfree.errors import BarrierFreeError
from barrierfree.log import get_logger

log = get_logger(__name__)
KEY_PREFIX = "barrierfree"
#: Views (endpoint names) that start a journey, and that sign a customer up for a sign-language session.
NEW_JOURNEY_VIEWS = ("api.start_journey", "journey.start")
SIGNUP_VIEWS = (
    "sign_language_api.create_booking", "sign_language_api.join_queue", "sign_language_api.join_waitlist",
    "sign_language.book", "sign_language.queue_join", "sign_language.waitlist_join",
)
_UNLIMITED = ("pages.healthz",)


class TooManyRequests(BarrierFreeError):
    status = 429
    exit_code = 2
    default_code = "too-many-requests"


def register(app: Flask) -> Limiter:
    """Install the limits on ``app`` (call after every blueprint is registered)."""
    web = app.extensions["barrierfree.settings"].web
    limiter = Limiter(
        key_func=get_remote_address,
        app=app,
        storage_uri=web.rate_limit_storage_uri,
        strategy="moving-window",
        key_prefix=KEY_PREFIX,
        application_limits=[f"{web.client_requests_per_minute}/minute"],
        in_memory_fallback_enabled=True,
        headers_enabled=False,
    )
    limiter.request_filter(_unlimited)
    _share(app, limiter, NEW_JOURNEY_VIEWS, f"{web.client_journeys_per_hour}/hour", "new-journeys", "POST")
    _share(app, limiter, SIGNUP_VIEWS, f"{web.client_signups_per_hour}/hour", "sign-ups", "POST")
    app.extensions["barrierfree.limiter"] = limiter
    app.extensions["barrierfree.journey_limit"] = RateLimitItemPerMinute(web.journey_requests_per_minute)
    app.extensions["barrierfree.fallback_limiter"] = MovingWindowRateLimiter(MemoryStorage())
    app.register_error_handler(RateLimitExceeded, _from_library)
    app.register_error_handler(TooManyRequests, _from_ours)
    return limiter


def _unlimited() -> bool:
    return request.endpoint in _UNLIMITED


def _share(app: Flask, limiter: Limiter, endpoints: tuple[str, ...], limit: str, scope: str, method: str) -> None:
    """One allowance (``scope``) shared by the ``endpoints``' views, counted on ``method`` only."""
    parse(limit)  # a bad limit string fails at start-up, not on the first request
    shared = limiter.shared_limit(limit, scope=scope, methods=[method])
    for endpoint in endpoints:
        # Flask-Limiter checks a decorated limit when the wrapped view runs: wrap this app's view only.
        app.view_functions[endpoint] = shared(app.view_functions[endpoint])  # type: ignore[assignment]  # typed as maybe async


def count_journey(journey_id: str) -> None:
    """Count one request against ``journey_id``'s allowance; call only after its credential was checked."""
    item = current_app.extensions["barrierfree.journey_limit"]
    keys = (KEY_PREFIX, "journey", journey_id)
    strategy = current_app.extensions["barrierfree.limiter"].limiter
    try:
        allowed = strategy.hit(item, *keys)
    except Exception:  # noqa: BLE001 - any storage failure: keep limiting in this process
        log.warning("rate-limit store unreachable; counting this journey in process memory")
        strategy = current_app.extensions["barrierfree.fallback_limiter"]
        allowed = strategy.hit(item, *keys)
    if not allowed:
        wait = max(1.0, strategy.get_window_stats(item, *keys).reset_time - time.time())
        raise TooManyRequests(
            "too-many-requests", f"Too many requests for this journey; wait {math.ceil(wait)} s and try again.",
            retry_after=math.ceil(wait),
        )


def _problem_429(detail: str, wait_s: float) -> Response:
    from barrierfree.web.problems import problem

    seconds = max(1, math.ceil(wait_s))
    response = problem(429, "too-many-requests", "Too many requests", detail, retry_after=seconds)
    response.headers["Retry-After"] = str(seconds)
    return response


def _from_library(error: RateLimitExceeded) -> Response:
    limit = current_app.extensions["barrierfree.limiter"].current_limit
    wait = (limit.reset_at - time.time()) if limit is not None else 60.0
    return _problem_429(f"Too many requests from this address ({error.description}); wait and try again.", wait)


def _from_ours(error: TooManyRequests) -> Response:
    return _problem_429(error.detail, float(error.extra["retry_after"]))
