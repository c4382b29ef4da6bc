"""The foundation's own pages pass axe-core in real headless Chromium."""

from __future__ import annotations

import pytest

from barrierfree.settings import Settings
from barrierfree.web import create_app
from tests.browser import axe_violations, launch, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("path", ["/", "/problems/not-an-image"])
def test_page_has_no_axe_violations(tmp_path, path):
    app = create_app(Settings(data_dir=tmp_path))
    with serve(app) as base, launch() as browser:
        page = browser.new_page()
        page.goto(base + path)
        assert page.locator("main h1").count() == 1
        assert axe_violations(page) == []


def test_the_audit_really_finds_violations():
    with launch() as browser:
        page = browser.new_page()
        page.set_content('<html><body><img src="x.png"><button></button></body></html>')
        found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "button-name", "html-has-lang"} <= found


def test_home_leads_to_the_journey_and_the_sign_language_service(tmp_path):
    client = create_app(Settings(data_dir=tmp_path)).test_client()
    for lang in ("zh-CN", "en"):
        page = client.get(f"/?lang={lang}").get_data(as_text=True)
        for target in (f"/journey/?lang={lang}", f"/sign-language/?lang={lang}"):
            assert f'href="{target}"' in page
            assert client.get(target).status_code == 200
