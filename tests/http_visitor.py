"""A browser's part for tests that drive a running server over HTTP: a cookie jar per person, a
connection kept open per thread, and the forms of a page with the values a browser would send."""

import http.client
import re
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar


@dataclass
class Answer:
    status: int
    body: str
    location: str = ""


class Visitor:
    """One person's browser: a cookie jar shared by every worker acting as them, like a page's own
    overlapping requests (htmx fragments, an autosave, a second tab). Each worker thread keeps its
    own connection open, as a browser does; a redirect is an answer to look at, not to follow."""

    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.connections = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        if not hasattr(self.connections, "open"):
            host, port = urllib.parse.urlsplit(self.base).netloc.split(":")
            self.connections.open = http.client.HTTPConnection(host, int(port), timeout=60)
        return self.connections.open

    def request(self, path: str, data: dict | list | None = None, **headers: str) -> Answer:
        pairs = data.items() if isinstance(data, dict) else data or []
        body = None if data is None else urllib.parse.urlencode([*map(tuple, pairs)]).encode()
        # Only ever http://127.0.0.1:<port>/ of the server this test started.
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            request.add_header("Referer", self.base + path)  # CSRF's origin check
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        self.jar.add_cookie_header(request)
        connection = self._connection()
        try:
            connection.request(
                request.get_method(), path, body=body, headers=dict(request.header_items())
            )
            response = connection.getresponse()
            text = response.read().decode()
        except OSError:
            connection.close()  # the next request opens a new one
            raise
        self.jar.extract_cookies(response, request)
        return Answer(response.status, text, response.getheader("Location", ""))

    def get(self, path: str, **headers: str) -> Answer:
        return self.request(path, **headers)

    def post(self, path: str, data: dict | list, **headers: str) -> Answer:
        return self.request(path, data, **headers)


class _Forms(HTMLParser):
    """Each form's action and the fields a browser would send, with their current values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": [], "choices": {}})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in {"submit", "file"}:
            if a.get("type") == "radio":
                self.forms[-1]["choices"].setdefault(a["name"], []).append(a.get("value", ""))
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.forms[-1]["fields"].append([a["name"], a.get("value", "")])
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "options": [], "chosen": None}
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["chosen"] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = select["chosen"] if select["chosen"] is not None else select["options"][0]
            self.forms[-1]["fields"].append([select["name"], chosen])
            self.forms[-1]["choices"][select["name"]] = select["options"]
        elif tag == "textarea" and self._textarea is not None:
            # As browsers do, a newline just after <textarea> is not part of its value.
            self._textarea[1] = self._textarea[1].removeprefix("\n")
            self.forms[-1]["fields"].append(self._textarea)
            self._textarea = None


def forms_in(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, action_part: str) -> dict:
    found = [form for form in forms_in(html) if action_part in form["action"]]
    assert found, f"no form posting to {action_part!r} in the page"
    return found[0]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def with_values(fields: list, **changes: str) -> list:
    """A form's fields as a browser sends them, with some values changed."""
    return [[name, changes.get(name, value)] for name, value in fields] + [
        [name, value] for name, value in changes.items() if name not in {n for n, _ in fields}
    ]


def value_of(fields: list, name: str) -> str | None:
    return next((value for field_name, value in fields if field_name == name), None)
