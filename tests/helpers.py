"""Helpers shared by the tests: a small built-in deck, a JSON client that sends bearer tokens, a TCP
proxy to cut the database, studying words until they are known, and term files written the way Anki
and Pleco write them.

Anki's "Notes in Plain Text" export, as Anki writes it:
- since 2.1.55 (the Rust exporter): header lines `#separator:tab`, `#html:true|false`, then
  `#tags column:N` (1-based, the last column) when tags are included; one note per line, fields
  separated by tabs and quoted CSV-style only where needed (a tab, a double quote, a line end);
  with html false, HTML is stripped from the fields;
- before 2.1.55 (the Python exporter): no header at all; each field with its line ends turned into
  spaces and tabs into eight spaces, quoted (with doubled quotes) only when it holds a double quote;
  with html false, HTML stripped; tags as the last column.
Pleco's flashcard export: `// Category` lines, then `简体[繁體]<TAB>pin1yin1<TAB>definition`.
"""
from __future__ import annotations

import base64
import html
import re
import uuid
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Card, Deck, Term, User

PASSWORD = "correct horse"
WORDS = ["过年", "春节", "孝顺", "户口", "春运", "打工", "回家", "团圆", "家乡", "火车票",
         "排队", "工厂", "宿舍", "工资", "奶奶", "女儿", "儿子", "父母", "吵架", "原谅", "学费", "上学"]


def make_deck(n=5, title="归途列车") -> Deck:
    deck = Deck(title=title, builtin=True)
    deck.terms = [Term(simplified=w, pinyin="", english=f"word {i}", position=i) for i, w in enumerate(WORDS[:n])]
    db.session.add(deck)
    db.session.commit()
    return deck


def know(user: User, word: str, now: datetime) -> None:
    """The learner grades Easy every card they have for `word`: each leaves the learning steps."""
    from app.services import study

    cards = db.session.scalars(select(Card).join(Term).where(Card.user_id == user.id, Term.simplified == word)).all()
    assert cards, f"{user.username} has no card for {word}"
    for card in cards:
        study.grade(user, card.id, 4, uuid.uuid4().hex, now)


class ApiClient:
    def __init__(self, client, token: str | None = None):
        self.client, self.token = client, token

    def _headers(self, headers):
        out = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        out.update(headers or {})
        return out

    def get(self, path, headers=None, **kw):
        return self.client.get("/api/v1" + path, headers=self._headers(headers), **kw)

    def post(self, path, json=None, headers=None, **kw):
        return self.client.post("/api/v1" + path, json=json, headers=self._headers(headers), **kw)

    def delete(self, path, headers=None, **kw):
        return self.client.delete("/api/v1" + path, headers=self._headers(headers), **kw)

    def as_(self, token):
        return ApiClient(self.client, token)


def basic(username, password=PASSWORD) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def login(client, username, password=PASSWORD) -> str:
    response = client.post("/api/v1/tokens", headers=basic(username, password))
    assert response.status_code == 201, response.json
    return response.json["token"]


def inline_code_outside_the_nonce(response) -> list[str]:
    """What in an HTML page the Content-Security-Policy would block: <script> and <style> without src
    and without this response's nonce, and style and event-handler attributes (which cannot carry one)."""
    html = response.get_data(as_text=True)
    nonces = set(re.findall(r"'nonce-([^']+)'", response.headers.get("Content-Security-Policy", "")))
    blocked = [tag for tag in re.findall(r"<(?:script|style)\b[^>]*>", html)
               if "src=" not in tag and not ((m := re.search(r'nonce="([^"]+)"', tag)) and m[1] in nonces)]
    return blocked + re.findall(r"\sstyle=\"[^\"]*\"", html) + re.findall(r"\son[a-z]+=\"[^\"]*\"", html)


def is_problem(response, status: int) -> bool:
    body = response.get_json(force=True, silent=True) or {}
    return (response.status_code == status and response.mimetype == "application/problem+json"
            and body.get("status") == status and "title" in body and "detail" in body)


class TcpProxy:
    """A TCP forwarder on a localhost port to a database server, that a test can cut and restore:
    a database outage as the app sees it (connections refused, open ones dropped)."""

    def __init__(self, target_host: str, target_port: int):
        import socket

        self.target = (target_host, target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener = None
        self._sockets: list = []

    def start(self) -> None:
        import socket
        import threading

        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._listener.listen(64)
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and drop every open one."""
        import socket

        for sock in [self._listener, *self._sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes the threads blocked in accept() and recv()
            except OSError:
                pass
            sock.close()
        self._sockets.clear()

    def _accept(self, listener) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink) -> None:
        import socket

        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# ---- term files as Anki and Pleco write them ------------------------------------------------------

def _strip_html(field: str) -> str:
    field = re.sub(r"(?i)<br\s*/?>", "\n", field)
    return html.unescape(re.sub(r"<[^>]+>", "", field))


def anki_notes(notes: list[list[str]], *, with_html: bool, header: bool = True,
               tags: list[str] | None = None) -> bytes:
    """The bytes of an Anki "Notes in Plain Text" export of `notes` (each its fields as Anki stores
    them, i.e. HTML), with a `#tags column` when tags are given (one string per note)."""
    lines = []
    if header:
        lines += ["#separator:tab", f"#html:{'true' if with_html else 'false'}"]
        if tags is not None:
            lines.append(f"#tags column:{len(notes[0]) + 1}")
    for index, fields in enumerate(notes):
        cells = [field if with_html else _strip_html(field) for field in fields]
        if tags is not None:
            cells.append(tags[index])
        lines.append("\t".join(_modern(cell) if header else _legacy(cell) for cell in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _modern(cell: str) -> str:
    if any(ch in cell for ch in '\t"\n\r') or cell.startswith("#"):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _legacy(cell: str) -> str:
    cell = cell.replace("\n", " ").replace("\t", " " * 8)
    if '"' in cell:
        cell = '"' + cell.replace('"', '""') + '"'
    return cell


def pleco_export(categories: dict[str, list[tuple[str, str, str, str]]], encoding: str = "utf-8") -> bytes:
    """Pleco's flashcard text export: per category, `// name` then (simplified, traditional,
    numbered pinyin, definition) cards; Pleco writes 简体[繁體] only where the forms differ."""
    lines = []
    for name, cards in categories.items():
        lines.append(f"// {name}")
        for simplified, traditional, pinyin, definition in cards:
            head = simplified if traditional in ("", simplified) else f"{simplified}[{traditional}]"
            lines.append(f"{head}\t{pinyin}\t{definition}")
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# ---- the add-terms preview, submitted as an instructor would ---------------------------------------

def confirm(client, deck_id, page, include=None, duplicates=None, **overrides):
    """Submit the preview's table as the instructor would, optionally unticking rows or editing fields."""
    return client.post(f"/decks/{deck_id}/terms", data=preview_form(page, include, duplicates, **overrides))


def preview_form(page, include=None, duplicates=None, **overrides):
    fields = ("hanzi", "traditional", "pinyin", "english", "example_zh", "example_pinyin", "example_en", "note")
    table = page.split('<table class="preview editable">')[1]
    rows = []
    for chunk in table.split("<tr")[2:]:
        row = {"key": re.search(r'name="key" value="([^"]*)"', chunk)[1]}
        for name in fields:
            match = re.search(rf'name="{name}" value="([^"]*)"', chunk)
            if match:
                row[name] = html_unescape(match[1])
            elif name == "pinyin":  # a word with several readings: the selected option
                row[name] = html_unescape(re.search(r'<option value="([^"]*)"[^>]*selected', chunk)[1])
        row["ticked"] = 'name="include" value="' + row["key"] + '" checked' in chunk
        rows.append(row)
    data = {name: [r.get(name, "") for r in rows] for name in fields}
    for (index, name), value in overrides.get("edits", {}).items():
        data[name][index] = value
    data["key"] = [r["key"] for r in rows]
    data["include"] = [r["key"] for i, r in enumerate(rows) if (r["ticked"] if include is None else i in include)]
    data["source"] = re.search(r'name="source" value="([^"]*)"', page)[1]
    for name in ("file_b64",):
        match = re.search(rf'name="{name}" value="([^"]*)"', page)
        if match:
            data[name] = match[1]
    columns = re.findall(r'<input type="hidden" name="column" value="([^"]*)">', page)
    if columns:
        data["column"] = columns
    if duplicates:
        data["duplicates"] = duplicates
    return data


def html_unescape(text):
    return html.unescape(text)
