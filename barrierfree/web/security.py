"""Security headers on every response, the CSP nonce, the session cookie and the trusted proxies.

- **CSP** with a fresh nonce per request and no ``'unsafe-inline'``: templates
  put ``nonce="{{ csp_nonce() }}"`` on the few ``<script>``/``<style>`` elements
  they have; everything else comes from ``/static``.
- **Framing**: ``frame-ancestors 'none'`` (and ``X-Frame-Options: DENY``) unless
  the app runs in embed mode (``web.embeddable``), where only the
  ``web.frame_ancestors`` origins may frame it; embed mode without that list
  refuses to start.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``, a
  ``Permissions-Policy`` that gives the camera and motion sensors to this origin
  (and the allowlisted embedders) and nothing else, HSTS on HTTPS responses.
- **Caching**: ``Cache-Control: no-store`` on every response but static files
  and the few that set their own (the prompt catalog, speech, earcons): pages
  and documents show personal data or carry a token.
- **Cookies**: the session cookie is ``HttpOnly; SameSite=Lax``, ``Secure``
  whenever the request came over HTTPS; ``SameSite=None; Secure; Partitioned``
  only for allowlisted embedding.
- **Proxies**: with ``web.trusted_proxies`` = N, werkzeug's ``ProxyFix`` takes
  the client address and scheme from the N nearest proxies' ``X-Forwarded-*``
  headers, so each customer has their own rate-limit allowance and HTTPS is seen.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from barrierfree.errors import BadInput
from barrierfree.settings import Settings

#: Motion sensors the guidance reads (DeviceOrientation/DeviceMotion) besides the camera.
_SENSORS = ("accelerometer", "gyroscope", "magnetometer")
#: Powerful features no page here uses: denied to this origin and to every frame.
_DENIED = ("geolocation", "payment", "usb", "serial", "bluetooth", "hid", "midi")


def csp_nonce() -> str:
    """This request's CSP nonce (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session whose cookie is ``Secure`` whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


class SecurityHeaders:
    """The headers of one app, computed once from its settings (only the nonce changes per request)."""

    def __init__(self, settings: Settings) -> None:
        web = settings.web
        embedders = web.frame_ancestors if web.embeddable else ()
        jitsi = _origin(settings.scheduler.jitsi_base_url)
        self.embeddable = web.embeddable
        self.frame_ancestors = " ".join(embedders) or "'none'"
        self.frame_src = jitsi or "'none'"
        self.permissions = self._permissions(embedders, jitsi)
        self.hsts = f"max-age={web.hsts_max_age_s}"

    @staticmethod
    def _permissions(embedders: tuple[str, ...], jitsi: str) -> str:
        quoted = [f'"{origin}"' for origin in embedders]
        room = [f'"{jitsi}"'] if jitsi else []  # the Jitsi frame needs the camera and microphone delegated
        allowed = " ".join(["self", *quoted])
        policy = [f"camera=({' '.join(['self', *quoted, *room])})"]
        policy += [f"{sensor}=({allowed})" for sensor in _SENSORS]
        policy.append(f"microphone=({' '.join(room)})")
        policy += [f"{feature}=()" for feature in _DENIED]
        return ", ".join(policy)

    def csp(self, nonce: str | None) -> str:
        styles = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        # 'wasm-unsafe-eval' lets the SDK's on-device engines (OpenCV.js, TensorFlow Lite's web API, vendored
        # under /static/vendor/) compile their WebAssembly; it allows no JavaScript eval.
        scripts = f"{styles} 'wasm-unsafe-eval'"
        return "; ".join((
            "default-src 'self'", f"script-src {scripts}", f"style-src {styles}", "img-src 'self' data: blob:",
            "media-src 'self' blob:", "connect-src 'self'", "font-src 'self'", "worker-src 'self' blob:",
            "object-src 'none'", "base-uri 'none'", "form-action 'self'", f"frame-src {self.frame_src}",
            f"frame-ancestors {self.frame_ancestors}",
        ))

    def apply(self, response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = self.csp(g.get("csp_nonce"))
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = self.permissions
        if not self.embeddable:
            headers["X-Frame-Options"] = "DENY"
        if request.is_secure:
            headers["Strict-Transport-Security"] = self.hsts
        if request.endpoint != "static":
            headers.setdefault("Cache-Control", "no-store")
        return response


def register(app: Flask, settings: Settings) -> None:
    """Install the proxy fix, the session cookie's attributes, the nonce helper and the headers."""
    web = settings.web
    if web.embeddable and not web.frame_ancestors:
        raise BadInput(
            "bad-setting",
            "BARRIERFREE_WEB__FRAME_ANCESTORS: embed mode needs the origins allowed to frame the pages, "
            'e.g. ["https://bank.example"]. Set it, or unset BARRIERFREE_WEB__EMBEDDABLE.',
        )
    if web.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=web.trusted_proxies, x_proto=web.trusted_proxies)  # type: ignore[method-assign]
    app.session_interface = _SessionInterface()
    if web.embeddable:
        # Partitioned (CHIPS): browsers that block third-party cookies still keep this one, per embedding site.
        app.config.update(SESSION_COOKIE_SAMESITE="None", SESSION_COOKIE_SECURE=True, SESSION_COOKIE_PARTITIONED=True)
    else:
        app.config.update(SESSION_COOKIE_SAMESITE="Lax")
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    headers = SecurityHeaders(settings)
    app.after_request(headers.apply)
