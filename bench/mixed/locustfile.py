"""The simulated users of the mixed-load benchmark, for locust in headless mode.

bench/bench_mixed.py runs this file with ``locust --headless``; it is not meant to be run
alone (it reads its plan from the JSON file named by ``MIXED_PLAN``).

* ``MixedUser`` is one client connection that, visit after visit, plays whichever kind of
  visitor the mix is furthest behind on, counted in requests: 60% browsing (guide pages,
  search, home), 15% disclosure portal, 10% applicants applying online with an upload,
  10% staff at their worklists acting on cases, 5% window clerks accepting walk-ins. Each
  user keeps one browser per role: an anonymous visitor (a new one, with a new address and
  no cookies, every ``VISITOR_PAGES`` pages), a demo applicant, a demo approver and a demo
  window clerk, each signed in once and kept for the run. The approver and the clerk sign
  in when the user starts, as staff do when their shift starts (``--staff-sign-in start``,
  the default): the measured window begins ``warmup`` seconds after the last of them has
  signed in, and the run ends ``seconds`` later. With ``first-use`` they sign in on their
  first visit, inside the window, as the bench did at first. The applicant signs in on
  first use (with the SMS code, no password hashing).
* ``ProbeUser`` asks for the bare view twice a second during the mix: the wait a request
  spends in the server's queue, beside the real pages.
* ``BareUser`` asks for nothing but the bare view (its own phase, same users and nodes).

Every request goes to the user's own node, as a load balancer with sticky sessions would
send it; with several nodes, every fourth user signs in on the next node and carries on on
its own, so its sessions must hold across nodes. The bench stands in for the TLS proxy:
it sends ``X-Forwarded-Proto: https`` and appends the client's address in
``X-Forwarded-For`` (the server trusts 127.0.0.1, as docs/deploy.md sets it up), so each
simulated person has an address of their own, as real residents do.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict
from urllib.parse import quote

import gevent
from locust import User, constant, constant_pacing, events, task
from locust.contrib.fasthttp import FastHttpSession

from mixed.forms import Form, form_posting_to, forms_of, links

with open(os.environ["MIXED_PLAN"], encoding="utf-8") as _fh:
    PLAN = json.load(_fh)
FIX = PLAN["fixtures"]
NODES: list[str] = PLAN["nodes"]
PASSWORD = "Sanyi-Demo-2026"
SHARES = {"browse": 0.60, "disclosure": 0.15, "apply": 0.10, "staff": 0.10, "counter": 0.05}
# Requests a visit of each kind usually makes (sign-ins aside): the chooser books them when
# the visit starts and corrects by what it really made when it ends.
EXPECTED = {"browse": 1, "disclosure": 1, "apply": 6, "staff": 3, "counter": 5}
VISITOR_PAGES = 20
# Walk-ins at the counter are the last of the demo residents; the others sign in online.
COUNTER_PEOPLE = 500
# A page that refuses something says so in one of these (a form's summary or a field's
# message, see docs/ui.md), never in a plain 200 the bench would take for success.
ERROR_TEXT = re.compile(
    r'class="[^"]*\b(?:field-error|error-summary|errorlist)\b[^"]*"[^>]*>.{0,120}', re.S
)

_user_numbers = itertools.count()
_addresses = itertools.count(1)
_booked: Counter = Counter()
RESULTS: dict = {
    "times": defaultdict(list),  # request name -> [(start, ms, ok)]
    "failures": Counter(),  # "kind: message" -> count
    "lost_sessions": Counter(),  # kind -> count
    "online": [],  # case numbers submitted online
    "counter": [],  # case numbers accepted at the counter
    "visits": Counter(),
    # Sessions signed in on another node than the one the user then stays on, and the
    # requests they made there afterwards.
    "crossed": Counter(),
}
# Users whose staff have signed in (``--staff-sign-in start``).
_shift = {"users": 0}


class VisitFailed(Exception):
    """A step of a visit failed (already recorded as a failed request): stop the visit."""


def _address() -> str:
    """A client address of its own for each simulated person (10.<phase>.x.y)."""
    n = next(_addresses)
    return f"10.{PLAN['phase'] % 250 + 1}.{n // 250 % 250}.{n % 250 + 1}"


class BehindTls(http.cookiejar.DefaultCookiePolicy):
    """Cookies marked Secure go back to the app: the browser spoke HTTPS to the proxy the
    bench stands in for, and the proxy speaks plain HTTP to the app on loopback."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


# A real browser's User-Agent, phone or desktop, so the server treats each simulated person
# as a person: the guide-view count (docs/analytics.md) skips robots and scripts, and its
# session write on a visitor's first view of a guide is part of a resident's request.
USER_AGENTS = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36",
)


def _origin(node: str) -> str:
    return "https://" + node.split("://", 1)[1]


class Browser:
    """One person's browser: a cookie jar, an address, and the node it talks to."""

    def __init__(self, user: User, node: str) -> None:
        self.user, self.node = user, node
        self.address = _address()
        # --no-browser-agent: the HTTP client's own User-Agent, as the runs before it.
        self.user_agent = random.choice(USER_AGENTS) if PLAN["browser_agent"] else None
        self.session = FastHttpSession(
            node,
            user.environment.events.request,
            user,
            network_timeout=60.0,
            connection_timeout=60.0,
            max_retries=0,
        )
        self.session.cookiejar.set_policy(BehindTls())
        self.signed_in = False
        self.crossed = False
        self.last = None

    @property
    def kind(self) -> str:
        return self.user.kind

    def fetch(
        self,
        method: str,
        path: str,
        name: str,
        *,
        expect: int = 200,
        location: str | None = None,
        contains: str | None = None,
        node: str | None = None,
        **kwargs,
    ):
        """One request, checked: the status, where a redirect leads, what the page says.
        A failure is recorded under the request's name and ends the visit."""
        node = node or self.node
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Accept-Language": "zh-CN,zh;q=0.9",
            **kwargs.pop("headers", {}),
        }
        if self.user_agent:
            headers["User-Agent"] = self.user_agent
        if method == "POST":
            headers.update(Origin=_origin(node), Referer=_origin(node) + path)
        self.user.made += 1
        if self.crossed and self.signed_in:
            RESULTS["crossed"]["requests"] += 1
        with self.session.request(
            method,
            node + path,
            name=f"{self.kind}: {name}",
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            context={"kind": self.kind},
            **kwargs,
        ) as response:
            problem = self._problem(response, expect, location, contains)
            if problem:
                response.failure(problem)
                RESULTS["failures"][f"{self.kind}: {name}: {problem}"] += 1
                raise VisitFailed(problem)
            response.success()
            self.last = response
            return response

    def last_location(self) -> str:
        """Where the last redirect pointed (a path on this site)."""
        where = self.last.headers.get("Location", "")
        return re.sub(r"^https?://[^/]+", "", where)

    def broken(self, name: str, problem: str) -> None:
        """A page that loaded but lacks what the visit needs: a failure too."""
        self.user.environment.events.request.fire(
            request_type="CHECK",
            name=f"{self.kind}: {name}",
            response_time=0,
            response_length=0,
            exception=VisitFailed(problem),
            context={"kind": self.kind},
        )
        RESULTS["failures"][f"{self.kind}: {name}: {problem}"] += 1
        raise VisitFailed(problem)

    def _problem(self, response, expect: int, location: str | None, contains: str | None):
        status = response.status_code
        where = response.headers.get("Location", "") if response.headers else ""
        if self.signed_in and status == 302 and re.search(r"/(my/)?login/", where):
            RESULTS["lost_sessions"][self.kind] += 1
            return f"lost session: sent to {where}"
        if status != expect:
            return f"HTTP {status} (expected {expect}) {where}"
        if location is not None and not re.search(location, where):
            return f"redirected to {where!r}, not {location!r}"
        text = response.text or ""
        refusal = ERROR_TEXT.search(text) if expect == 200 else None
        if refusal:
            return "page shows an error: " + re.sub(r"<[^>]+>|\s+", " ", refusal.group(0))[-100:]
        if contains is not None and contains not in text:
            return f"page lacks {contains!r}"
        return None

    def post_form(self, path: str, form: Form, name: str, extra: dict | None = None, **checks):
        data = form.values()
        data.update(extra or {})
        target = form.action.split("#")[0] or path
        return self.fetch("POST", target, name, data=data, **checks)


# --- the visits ----------------------------------------------------------------------------


def browse(user: MixedUser) -> None:
    b = user.visitor()
    roll = random.random()
    if roll < 0.45:
        b.fetch("GET", f"/services/{random.choice(FIX['guides'])}/", "guide /services/<code>/")
    elif roll < 0.75:
        word = random.choice(FIX["search_words"])
        b.fetch("GET", f"/services/search/?q={quote(word)}", "search /services/search/?q=")
    else:
        b.fetch("GET", "/", "home /")


def disclosure(user: MixedUser) -> None:
    b = user.visitor()
    roll = random.random()
    if roll < 0.25:
        b.fetch("GET", "/open/", "portal /open/")
    elif roll < 0.65:
        pk = random.choice(FIX["publications"])
        b.fetch("GET", f"/open/p/{pk}/", "publication /open/p/<id>/")
    elif roll < 0.80:
        page = random.randint(1, 5)
        b.fetch("GET", f"/open/list/?page={page}", "list /open/list/?page=")
    elif roll < 0.90:
        word = random.choice(FIX["open_words"])
        b.fetch("GET", f"/open/search/?q={quote(word)}", "search /open/search/?q=")
    else:
        b.fetch("GET", f"/open/areas/{random.choice(FIX['areas'])}/", "area /open/areas/<code>/")


def applicant_sign_in(b: Browser, person: dict, node: str) -> None:
    """/my/login/ with the ID number and the mobile on file, then the SMS code (read from the
    file the server's SMS provider writes, as the phone would show it)."""
    page = b.fetch("GET", "/my/login/", "sign-in /my/login/", node=node)
    form = form_posting_to(page.text, r"^/my/login/$")
    sent_before = SMS.count(person["phone"])
    b.post_form(
        "/my/login/",
        form,
        "sign-in /my/login/ (post)",
        {"id_number": person["id_number"], "phone": person["phone"]},
        expect=302,
        location=r"/my/login/code/$",
        node=node,
    )
    code = SMS.code_after(person["phone"], sent_before)
    if code is None:
        b.broken("sign-in /my/login/ (post)", "no SMS code arrived")
    page = b.fetch("GET", "/my/login/code/", "sign-in /my/login/code/", node=node)
    form = form_posting_to(page.text, r"^/my/login/code/$")
    b.post_form(
        "/my/login/code/",
        form,
        "sign-in /my/login/code/ (post)",
        {"code": code},
        expect=302,
        node=node,
    )
    b.signed_in = True


def apply_online(user: MixedUser) -> None:
    """Start an application, upload every file it asks for, submit, see the case."""
    b = user.applicant()
    code = random.choice(FIX["apply_items"])
    start = f"/cases/apply/{code}/"
    page = b.fetch("GET", start, "apply /cases/apply/<code>/")
    form = next((f for f in forms_of(page.text) if f.values().get("for") == "self"), None)
    if form is None:
        b.broken("apply /cases/apply/<code>/", "no form to start the application")
    b.post_form(start, form, "apply /cases/apply/<code>/ (post)", expect=302, location=r"/edit/$")
    edit = b.last_location()
    page = b.fetch("GET", edit, "apply /cases/mine/<no>/edit/")
    number = edit.split("/")[3]
    for upload in [f for f in forms_of(page.text) if f.action.endswith("/upload/")]:
        b.fetch(
            "POST",
            upload.action,
            "apply /cases/mine/<no>/materials/<id>/upload/",
            data=upload.values(),
            files={"file": ("申请材料.pdf", UPLOAD, "application/pdf")},
            headers={"HX-Request": "true"},
            contains="已上传",
        )
    form = next((f for f in forms_of(page.text) if f.attrs.get("id") == "application-form"), None)
    if form is None:
        b.broken("apply /cases/mine/<no>/edit/", "no application form")
    b.post_form(
        edit,
        form,
        "apply /cases/mine/<no>/edit/ (submit)",
        {"action": "submit", "description": "材料已按指南准备好，申请办理。"},
        expect=302,
        location=rf"/cases/mine/{re.escape(number)}/$",
    )
    RESULTS["online"].append(number)
    b.fetch("GET", f"/cases/mine/{number}/", "apply /cases/mine/<no>/", contains="申请已提交")


def staff_work(user: MixedUser) -> None:
    """A worklist, one case from it, and now and then an action on it (an opinion on a
    step of mine, or claiming a step of my unit)."""
    b = user.staff()
    roll = random.random()
    which = "mine" if roll < 0.5 else "unit" if roll < 0.85 else "overdue"
    page = b.fetch("GET", f"/workbench/cases/work/{which}/", f"worklist /work/{which}/")
    cases = links(page.text, r"^/workbench/cases/work/cases/\d+/$")
    if not cases:
        return
    case = random.choice(cases)
    claims = [f for f in forms_of(page.text) if f.action == case + "claim/"]
    detail = b.fetch("GET", case, "case /work/cases/<id>/")
    if random.random() < 0.5:
        return
    opinion = form_posting_to(detail.text, r"/task/")
    if opinion is not None:
        extra = {"task-task_action": "opinion", "task-opinion": "材料齐全，情况属实，拟同意。"}
        b.post_form(case, opinion, "case /work/cases/<id>/task/ (opinion)", extra, expect=302)
    elif claims:
        b.post_form(case, claims[0], "case /work/cases/<id>/claim/", expect=302)
    else:
        return
    b.fetch("GET", case, "case /work/cases/<id>/ (after action)", contains="message-success")


def counter_accept(user: MixedUser) -> None:
    """A walk-in at the window: identify the resident, pick the item, tick the papers
    handed in, accept, show the receipt."""
    b = user.clerk()
    walk_in = "/workbench/cases/counter/accept/"
    page = b.fetch("GET", walk_in, "counter /counter/accept/")
    form = next(f for f in forms_of(page.text) if f.field("item") is not None)
    codes = set(FIX["clerks"][user.clerk_name])
    options = [o for o in form.field("item").options if any(c in o[1] for c in codes)]
    person = random.choice(FIX["people"][-COUNTER_PEOPLE:])
    extra = {
        "id_number": person["id_number"],
        "name": person["name"],
        "phone": person["phone"],
        "item": random.choice(options)[0],
    }
    b.post_form(walk_in, form, "counter /counter/accept/ (post)", extra, expect=302)
    accept = b.last_location()
    page = b.fetch("GET", accept, "counter /counter/accept/<no>/")
    form = next(f for f in forms_of(page.text) if f.field("decision") is not None)
    ticks = {f.name: "on" for f in form.fields if f.name.startswith("received_")}
    extra = {**ticks, "decision": "accept", "action": "decide"}
    b.post_form(accept, form, "counter /counter/accept/<no>/ (post)", extra, expect=302)
    receipt = b.last_location()
    RESULTS["counter"].append(accept.rstrip("/").rsplit("/", 1)[1])
    b.fetch("GET", receipt, "counter /counter/cases/<no>/", contains="已受理")


VISITS = {
    "browse": browse,
    "disclosure": disclosure,
    "apply": apply_online,
    "staff": staff_work,
    "counter": counter_accept,
}


def staff_sign_in(b: Browser, username: str, node: str) -> None:
    page = b.fetch("GET", "/login/", "sign-in /login/", node=node)
    form = form_posting_to(page.text, r"^/login/$")
    extra = {"username": username, "password": PASSWORD}
    b.post_form(
        "/login/", form, "sign-in /login/ (post)", extra, expect=302, location=r"/workbench/",
        node=node,
    )  # fmt: skip
    b.signed_in = True


# --- what the visits need -------------------------------------------------------------------


class SmsFile:
    """The texts the server's SMS provider ("file") appends, read as they come: the sign-in
    code is what the resident's phone would show."""

    def __init__(self, path: str) -> None:
        self.path, self.offset = path, 0
        self.codes: dict[str, list[str]] = defaultdict(list)

    def _read(self) -> None:
        try:
            fh = open(self.path, "rb")  # noqa: SIM115
        except FileNotFoundError:
            return
        with fh:
            fh.seek(self.offset)
            for line in fh:
                if not line.endswith(b"\n"):
                    break  # being written: read it next time
                self.offset += len(line)
                entry = json.loads(line)
                found = re.search(r"验证码(\d{6})", entry.get("text", ""))
                if found and not entry.get("resend"):
                    self.codes[entry["phone"]].append(found.group(1))

    def count(self, phone: str) -> int:
        self._read()
        return len(self.codes[phone])

    def code_after(self, phone: str, seen: int) -> str | None:
        """The first code for ``phone`` after the ``seen`` earlier ones (the provider writes
        before the page answers, so it is there; a short wait covers a slow disk)."""
        for _ in range(40):
            self._read()
            if len(self.codes[phone]) > seen:
                return self.codes[phone][seen]
            gevent.sleep(0.05)
        return None


def scan_pdf(kb: int) -> bytes:
    """A valid one-page PDF carrying an uncompressed grey image of about ``kb`` KB of noise,
    the size of a phone's scan of a form (the server reads it and counts its pages)."""
    side = max(int((kb * 1024) ** 0.5), 8)
    pixels = random.Random(2026).randbytes(side * side)
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    image = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray " % (
        side,
        side,
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        image + b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels
        + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]  # fmt: skip
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


SMS = SmsFile(PLAN["sms_file"])
UPLOAD = scan_pdf(PLAN["upload_kb"])


# --- the users -------------------------------------------------------------------------------


def _choose_kind() -> str:
    """The kind the mix is furthest behind on, in requests booked so far."""
    return min(SHARES, key=lambda kind: _booked[kind] / SHARES[kind])


class MixedUser(User):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.number = next(_user_numbers)
        self.kind, self.made = "browse", 0
        self.node = NODES[self.number % len(NODES)]
        # With several nodes every fourth user signs in on the next node and goes on here.
        crossing = len(NODES) > 1 and self.number % 4 == 1
        self.sign_in_node = NODES[(self.number + 1) % len(NODES)] if crossing else self.node
        people = FIX["people"][:-COUNTER_PEOPLE]
        self.person = people[(PLAN["people_offset"] + self.number) % len(people)]
        self.staff_name = FIX["staff"][self.number % len(FIX["staff"])]
        clerks = sorted(FIX["clerks"])
        self.clerk_name = clerks[self.number % len(clerks)]
        self._visitor: Browser | None = None
        self._visitor_pages = 0
        self._signed: dict[str, Browser] = {}
        if PLAN["staff_sign_in"] == "start":
            for kind, sign_in in (("staff", self.staff), ("counter", self.clerk)):
                self.kind = kind
                with contextlib.suppress(VisitFailed):  # recorded as an error where it failed
                    sign_in()
            self.kind = "browse"
            _shift_started(self.environment)

    def visitor(self) -> Browser:
        """The anonymous browser; a new visitor (address, cookies) every VISITOR_PAGES pages."""
        if self._visitor is None or self._visitor_pages >= VISITOR_PAGES:
            self._visitor, self._visitor_pages = Browser(self, self.node), 0
        self._visitor_pages += 1
        return self._visitor

    def _signed_in(self, role: str, sign_in) -> Browser:
        if role not in self._signed:
            browser = Browser(self, self.node)
            sign_in(browser)
            if self.sign_in_node != self.node:
                browser.crossed = True
                RESULTS["crossed"]["sessions"] += 1
            self._signed[role] = browser
        return self._signed[role]

    def applicant(self) -> Browser:
        return self._signed_in(
            "applicant", lambda b: applicant_sign_in(b, self.person, self.sign_in_node)
        )

    def staff(self) -> Browser:
        return self._signed_in(
            "staff", lambda b: staff_sign_in(b, self.staff_name, self.sign_in_node)
        )

    def clerk(self) -> Browser:
        return self._signed_in(
            "clerk", lambda b: staff_sign_in(b, self.clerk_name, self.sign_in_node)
        )

    @task
    def visit(self) -> None:
        kind = self.kind = _choose_kind()
        _booked[kind] += EXPECTED[kind]
        self.made = 0
        try:
            VISITS[kind](self)
        except VisitFailed:
            gevent.sleep(0.1)
        except Exception as exc:  # a page the bench did not expect: count it, go on
            problem = f"unexpected page: {exc!r}"[:200]
            RESULTS["failures"][f"{kind}: {problem}"] += 1
            self.environment.events.request.fire(
                request_type="CHECK", name=f"{kind}: visit", response_time=0,
                response_length=0, exception=exc, context={"kind": kind},
            )  # fmt: skip
            gevent.sleep(0.1)
        finally:
            _booked[kind] += self.made - EXPECTED[kind]
            RESULTS["visits"][kind] += 1


def _shift_started(environment) -> None:
    """Count a user whose staff have signed in; after the last one, measure for ``warmup``
    plus ``seconds`` and stop the run."""
    _shift["users"] += 1
    if _shift["users"] == PLAN["users"]:
        RESULTS["shift_started"] = time.time()
        gevent.spawn_later(PLAN["warmup"] + PLAN["seconds"] + 2, environment.runner.quit)


class ProbeUser(User):
    """The bare view, twice a second, during the mix (each node in turn)."""

    fixed_count = 1
    wait_time = constant_pacing(0.5)

    def on_start(self) -> None:
        self.kind, self.made = "probe", 0
        self.browsers = [Browser(self, node) for node in NODES]

    @task
    def ok(self) -> None:
        browser = self.browsers[self.made % len(self.browsers)]
        with contextlib.suppress(VisitFailed):
            browser.fetch("GET", "/bench/ok/", "bare /bench/ok/", contains="ok")


class BareUser(User):
    """Nothing but the bare view, as fast as it answers (the same users and nodes)."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.kind, self.made = "bare", 0
        self.browser = Browser(self, NODES[next(_user_numbers) % len(NODES)])

    @task
    def ok(self) -> None:
        with contextlib.suppress(VisitFailed):
            self.browser.fetch("GET", "/bench/ok/", "bare /bench/ok/", contains="ok")


@events.request.add_listener
def _record(name, response_time, start_time=None, exception=None, **_kwargs) -> None:
    row = (round(start_time or 0, 3), round(response_time, 1), exception is None)
    RESULTS["times"][name].append(row)


@events.quitting.add_listener
def _write(**_kwargs) -> None:
    with open(PLAN["report"], "w", encoding="utf-8") as fh:
        json.dump(
            {
                "times": RESULTS["times"],
                "failures": dict(RESULTS["failures"]),
                "lost_sessions": dict(RESULTS["lost_sessions"]),
                "online": RESULTS["online"],
                "counter": RESULTS["counter"],
                "visits": dict(RESULTS["visits"]),
                "crossed": dict(RESULTS["crossed"]),
                "shift_started": RESULTS.get("shift_started"),
            },
            fh,
            ensure_ascii=False,
        )
