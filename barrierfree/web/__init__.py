"""The Flask app, its JSON API, accessible pages and the mobile-web SDK."""

from barrierfree.web.app import create_app

__all__ = ["create_app"]
