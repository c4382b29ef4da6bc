"""Issue 17 item 8 (the console part): no agent token in a URL. The console's ``?token=`` is gone:
a one-time link (from the API with the token in a header, or from the CLI) is exchanged for a
session cookie, and no redirect carries a token or the link's code. Each attack goes to the app
over real HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func, select

from barrierfree.onboarding.scheduler.agents import issue_token
from barrierfree.onboarding.scheduler.console_links import issue_link
from barrierfree.onboarding.scheduler.models import ConsoleLink
from barrierfree.onboarding.scheduler.times import utcnow
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.settings import Settings
from barrierfree.web import create_app
from barrierfree.web.app import seed_demo
from tests.browser import serve

API = "/api/v1/sign-language"
SUPERVISOR = "supervisor-token-for-console-attacks"


@pytest.fixture
def site(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", scheduler={"agent_token": SUPERVISOR}))
    seed_demo(app)
    sessions = app.extensions["barrierfree.sessions"]
    with write_session(sessions) as session:
        tokens = {agent: issue_token(session, agent) for agent in ("li-na", "wang-wei")}
    with serve(app) as base:
        yield SimpleNamespace(base=base, tokens=tokens, sessions=sessions)


def _link(site, agent: str = "li-na", token: str | None = None) -> str:
    answer = requests.post(f"{site.base}{API}/agents/{agent}/console-link", headers={"X-Agent-Token": token or site.tokens[agent]}, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()["url"]


def _secrets(site) -> list[str]:
    return [*site.tokens.values(), SUPERVISOR]


def _signed_in(site, agent: str = "li-na") -> requests.Session:
    browser = requests.Session()
    assert browser.get(f"{site.base}{_link(site, agent)}", timeout=30).status_code == 200
    return browser


def test_a_token_in_the_url_opens_nothing(site):
    for token in (site.tokens["li-na"], SUPERVISOR):
        page = requests.get(f"{site.base}/sign-language/agent/li-na", params={"token": token}, timeout=30)
        assert page.status_code == 403 and "agent-console" not in page.text
        api = requests.get(f"{site.base}{API}/agents/li-na/console", params={"token": token}, timeout=30)
        assert (api.status_code, api.json()["type"]) == (403, "/problems/agent-token-required")


def test_a_one_time_link_signs_in_once_and_its_redirect_carries_no_secret(site):
    url = _link(site)
    assert not any(secret in url for secret in _secrets(site))
    browser = requests.Session()
    opened = browser.get(f"{site.base}{url}", allow_redirects=False, timeout=30)
    code = url.rsplit("/", 1)[1]
    assert opened.status_code == 303 and opened.headers["Location"] == "/sign-language/agent/li-na"
    assert code not in opened.headers["Location"] and opened.headers["Cache-Control"] == "no-store"
    assert "session=" in opened.headers["Set-Cookie"]
    console = browser.get(f"{site.base}/sign-language/agent/li-na?lang=en", timeout=30)
    assert console.status_code == 200 and 'id="agent-console"' in console.text
    assert not any(secret in console.text for secret in _secrets(site))  # the page carries no token either
    # Used once: a second opening (another browser, or the same) is refused and signs nobody in.
    for again in (requests.Session(), browser):
        reused = again.get(f"{site.base}{url}?lang=en", allow_redirects=False, timeout=30)
        assert reused.status_code == 401 and "used or has expired" in reused.text
    late = requests.Session()
    with write_session(site.sessions) as session:
        expired, _ = issue_link(session, "li-na", supervisor=False, minutes=10, now=utcnow() - timedelta(minutes=11))
    assert late.get(f"{site.base}/sign-language/agent/sign-in/{expired}", allow_redirects=False, timeout=30).status_code == 401
    assert late.get(f"{site.base}/sign-language/agent/li-na", timeout=30).status_code == 403
    _link(site)  # issuing a link clears the expired ones away
    with site.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ConsoleLink).where(ConsoleLink.expires_at <= utcnow())) == 0
        assert session.scalar(select(func.count()).select_from(ConsoleLink)) == 2  # the used one (until it expires) and the new one


def test_an_agents_link_opens_only_their_own_console(site):
    _problem = requests.post(f"{site.base}{API}/agents/wang-wei/console-link", headers={"X-Agent-Token": site.tokens["li-na"]}, timeout=30)
    assert (_problem.status_code, _problem.json()["type"]) == (403, "/problems/not-your-agent")
    assert requests.post(f"{site.base}{API}/agents/li-na/console-link", timeout=30).status_code == 403  # no token, no link
    browser = _signed_in(site, "li-na")
    assert browser.get(f"{site.base}/sign-language/agent/wang-wei", timeout=30).status_code == 403
    assert browser.get(f"{site.base}{API}/agents/wang-wei/console", timeout=30).status_code == 403
    # A supervisor's link opens any console, as the supervisor token does.
    boss = requests.Session()
    assert boss.get(f"{site.base}{_link(site, 'wang-wei', SUPERVISOR)}", timeout=30).status_code == 200
    assert boss.get(f"{site.base}/sign-language/agent/li-na", timeout=30).status_code == 200


def test_console_actions_redirect_without_any_credential(site):
    browser = _signed_in(site)
    requests.post(f"{site.base}{API}/queue", json={"skill": "csl", "customer": {"name": "张三", "contact": "z@example.cn"}}, timeout=30)
    html = browser.get(f"{site.base}/sign-language/agent/li-na", timeout=30).text
    assert 'name="token"' not in html and "token=" not in html
    marker = 'name="csrf_token" value="'
    csrf = html[html.index(marker) + len(marker):].split('"', 1)[0]
    claimed = browser.post(f"{site.base}/sign-language/agent/li-na/claim", data={"csrf_token": csrf}, allow_redirects=False, timeout=30)
    empty = browser.post(f"{site.base}/sign-language/agent/li-na/claim", data={"csrf_token": csrf}, allow_redirects=False, timeout=30)
    for answer in (claimed, empty):
        assert answer.status_code == 303 and "token" not in answer.headers["Location"]
        assert not any(secret in answer.headers["Location"] for secret in _secrets(site))
    assert "/sign-language/rooms/" in claimed.headers["Location"] and "notice=queue_empty" in empty.headers["Location"]
    assert browser.get(f"{site.base}{claimed.headers['Location']}", timeout=30).status_code == 200  # the agent is let into the room


def test_the_session_reads_the_api_but_never_writes_through_it(site):
    """A cross-site form could make the browser send the cookie: writes need the token header."""
    browser = _signed_in(site)
    assert browser.get(f"{site.base}{API}/agents/li-na/console", timeout=30).status_code == 200
    for method, path, body in [("post", "/agents/li-na/claim", None), ("patch", "/agents/li-na", {"active": False}),
                               ("post", "/agents/li-na/time-off", {"start": "2030-01-01T00:00:00Z", "end": "2030-01-02T00:00:00Z"}),
                               ("post", "/agents/li-na/console-link", None)]:
        answer = getattr(browser, method)(f"{site.base}{API}{path}", json=body, timeout=30)
        assert (answer.status_code, answer.json()["type"]) == (403, "/problems/agent-token-required"), path


def test_a_new_token_ends_the_console_sessions_it_stood_for(site):
    browser, boss = _signed_in(site), requests.Session()
    assert boss.get(f"{site.base}{_link(site, 'li-na', SUPERVISOR)}", timeout=30).status_code == 200
    with write_session(site.sessions) as session:
        issue_token(session, "li-na")
    assert browser.get(f"{site.base}/sign-language/agent/li-na", timeout=30).status_code == 403
    assert boss.get(f"{site.base}/sign-language/agent/li-na", timeout=30).status_code == 200  # the supervisor's token did not change


def test_the_sign_in_form_takes_the_token_in_the_body(site):
    browser = requests.Session()
    form = browser.get(f"{site.base}/sign-language/agent/sign-in?lang=en", timeout=30)
    assert form.status_code == 200 and 'type="password"' in form.text
    marker = 'name="csrf_token" value="'
    csrf = form.text[form.text.index(marker) + len(marker):].split('"', 1)[0]
    wrong = browser.post(f"{site.base}/sign-language/agent/sign-in?lang=en", data={"csrf_token": csrf, "agent_id": "li-na", "agent_token": "guess"},
                         allow_redirects=False, timeout=30)
    assert wrong.status_code == 401 and 'role="alert"' in wrong.text
    assert browser.get(f"{site.base}/sign-language/agent/li-na", timeout=30).status_code == 403
    right = browser.post(f"{site.base}/sign-language/agent/sign-in", allow_redirects=False, timeout=30,
                         data={"csrf_token": csrf, "agent_id": "wang-wei", "agent_token": site.tokens["li-na"]})
    assert right.status_code == 303 and right.headers["Location"] == "/sign-language/agent/li-na"  # the token says who, not the list
    assert browser.get(f"{site.base}/sign-language/agent/li-na", timeout=30).status_code == 200


def test_the_cli_prints_a_one_time_link_that_works_once(tmp_path):
    env = {**os.environ, "BARRIERFREE_DATA_DIR": str(tmp_path / "cli"), "BARRIERFREE_LOG_LEVEL": "WARNING",
           "BARRIERFREE_SCHEDULER__AGENT_TOKEN": SUPERVISOR}
    env.pop("BARRIERFREE_DATABASE_URL", None)
    cli = [sys.executable, "-m", "barrierfree.cli", "scheduler"]
    subprocess.run([*cli, "seed-demo"], env=env, capture_output=True, check=True)
    printed = subprocess.run([*cli, "console-link", "chen-jie", "--json"], env=env, capture_output=True, text=True, check=True)
    link = json.loads(printed.stdout)
    # The printed link is absolute, on the configured public base URL; a browser opens its path here.
    assert link["agent_id"] == "chen-jie" and link["url"].startswith(os.environ["BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL"])
    link["url"] = urlsplit(link["url"]).path
    assert link["url"].startswith("/sign-language/agent/sign-in/")
    app = create_app(Settings(data_dir=tmp_path / "cli", scheduler={"agent_token": SUPERVISOR}))
    with serve(app) as base:
        browser = requests.Session()
        assert browser.get(f"{base}{link['url']}", timeout=30).url == f"{base}/sign-language/agent/chen-jie"
        assert requests.get(f"{base}{link['url']}", allow_redirects=False, timeout=30).status_code == 401
    refused = subprocess.run([*cli, "console-link", "nobody"], env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
