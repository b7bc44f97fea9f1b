"""What a simulated person reads off a page, with the standard library only (the locustfile runs
under gevent and imports no Django): the forms, with what a browser would send for them unchanged,
the pager's links, and the TOTP code an authenticator app shows."""

import base64
import hashlib
import hmac
import struct
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

TOTP_PERIOD = 30


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    # What the browser sends as the form stands: (name, value) in document order.
    fields: list[tuple[str, str]] = field(default_factory=list)
    # Each radio group's values, checked or not, for a person who picks one.
    radios: dict[str, list[str]] = field(default_factory=dict)
    # Submit buttons: (name, value, the text on the button).
    buttons: list[tuple[str, str, str]] = field(default_factory=list)
    file_inputs: list[str] = field(default_factory=list)

    def data(
        self, *, button: str | None = None, choose: dict[str, str] | None = None
    ) -> list[tuple[str, str]]:
        """The fields as sent by pressing the button whose text contains `button` (or none), with
        radio groups set as in `choose`."""
        choose = choose or {}
        sent = [(name, value) for name, value in self.fields if name not in choose]
        sent += list(choose.items())
        if button is not None:
            for name, value, text in self.buttons:
                if button.lower() in text.lower():
                    if name:
                        sent.append((name, value))
                    break
            else:
                raise LookupError(f"no button {button!r} in the form to {self.action}")
        return sent


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        # The pager's links: (href, aria-label), leaving out the current page's.
        self.pager_links: list[tuple[str, str]] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._button: tuple[str, str] | None = None
        self._pager_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "nav" and "usa-pagination" in a.get("class", ""):
            self._pager_depth = 1
        elif tag == "nav" and self._pager_depth:
            self._pager_depth += 1
        if tag == "a" and self._pager_depth and a.get("href") and "aria-current" not in a:
            self.pager_links.append((a["href"], a.get("aria-label", "")))
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "image"}:
                form.buttons.append((name, a.get("value", ""), a.get("value", "")))
            elif kind == "file":
                form.file_inputs.append(name)
            elif kind == "radio" and name:
                form.radios.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind == "checkbox" and name:
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind not in {"button", "reset"} and name:
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._button = (name, a.get("value", ""))
            self._text = []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._text = []
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._pager_depth:
            self._pager_depth -= 1
        form = self._form
        if tag == "form":
            self._form = None
        elif form is None:
            return
        elif tag == "button" and self._button is not None:
            name, value = self._button
            form.buttons.append((name, value, " ".join("".join(self._text).split())))
            self._button = None
        elif tag == "option" and self._select is not None:
            value = self._option_value
            text = "".join(self._text).strip()
            self._options.append((text if value is None else value, self._option_selected))
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            form.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # As browsers do, one newline straight after <textarea> is not part of the value.
            form.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None


def read(html: str) -> _Parser:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser


def forms(html: str) -> list[Form]:
    return read(html).forms


def form_posting_to(html: str, path: str) -> Form:
    """The page's POST form whose action is `path` (or empty, meaning the page itself)."""
    for form in forms(html):
        if form.method == "post" and form.action in {path, ""}:
            return form
    raise LookupError(f"no form posting to {path}")


def furthest_page(html: str, *, current: int = 1) -> str | None:
    """The pager's numbered link that goes furthest into the list past page `current`; None
    when it offers none."""
    numbered = [(page_number(href), href) for href, _ in read(html).pager_links]
    further = [(number, href) for number, href in numbered if number and number > current]
    return max(further)[1] if further else None


def pager_link(html: str, label: str) -> str | None:
    """The pager's link whose accessible name says `label` ("Next page", "last page")."""
    for href, name in read(html).pager_links:
        if label.lower() in name.lower():
            return href
    return None


def page_number(link: str) -> int | None:
    page = parse_qs(urlsplit(link).query).get("page", [""])[0]
    return int(page) if page.isdigit() else None


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 with SHA-1, 6 digits and 30-second steps, as allauth checks it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int(at if at is not None else time.time()) // TOTP_PERIOD
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def seconds_left_in_period(at: float | None = None) -> float:
    return TOTP_PERIOD - (at if at is not None else time.time()) % TOTP_PERIOD
