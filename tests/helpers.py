"""Helpers shared by the tests: a small built-in deck, and a JSON client that sends bearer tokens."""
from __future__ import annotations

import base64

from app.extensions import db
from app.models import Deck, Term

PASSWORD = "correct horse"
WORDS = ["过年", "春节", "孝顺", "户口", "春运", "打工", "回家", "团圆", "家乡", "火车票",
         "排队", "工厂", "宿舍", "工资", "奶奶", "女儿", "儿子", "父母", "吵架", "原谅", "学费", "上学"]


def make_deck(n=5, title="归途列车") -> Deck:
    deck = Deck(title=title, builtin=True)
    deck.terms = [Term(simplified=w, pinyin="", english=f"word {i}", position=i) for i, w in enumerate(WORDS[:n])]
    db.session.add(deck)
    db.session.commit()
    return deck


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
