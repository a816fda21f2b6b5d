#!/usr/bin/env python3
"""The Blue Valley reference agent: runs on an instrument's PC and reports who uses it.

It asks for a campus card (a card reader types the number and Enter) or an e-mail address,
asks the platform whether that person may use the instrument now, and tells the platform when
they leave; a heartbeat every minute shows the PC online. When the network is down it keeps
working: it lets people in (or not, `--offline deny`), writes what happened to its own queue
(a SQLite file beside it) and sends it once the platform answers again, each event once: every
event has an id, sent as its Idempotency-Key, so a repeat is answered from the first answer.

Python 3.9 or later, the standard library only. Register the agent on the instrument's page
("Agents and QR code") and run, on the instrument PC:

    python3 instrument_agent.py --server https://share.example.org --token <token>

Options (or the environment: SHARING_AGENT_SERVER, SHARING_AGENT_TOKEN):
    --queue PATH        the local queue (default: instrument-agent.sqlite3 in the working folder)
    --heartbeat SECS    seconds between heartbeats (default 60; the platform says offline after 300)
    --offline allow|deny  an interlock's answer while the platform cannot be reached (allow)
    --on-start CMD, --on-end CMD   run when a session starts or ends (switch the instrument's
                        software on or off); the person is in the environment as AGENT_PERSON

At the prompt: a card or e-mail starts a session; the same one again (or an empty line) ends it;
another person's ends it and starts theirs. Ctrl-D (Ctrl-Z Enter on Windows) quits; a session
left open is still open when the agent starts again.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

RETRY_LATER = {408, 425, 429, 500, 502, 503, 504}
TIMEOUT_SECONDS = 10
REASONS = {
    "no_booking": "没有当前的预约 / no current booking",
    "not_qualified": "未获得上机资格 / not qualified on this instrument",
    "suspended": "预约权限已暂停 / booking rights suspended",
    "instrument_unavailable": "仪器停用中 / instrument out of service",
}
SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,          -- sent as the Idempotency-Key
    kind TEXT NOT NULL,               -- start or end
    local_session TEXT NOT NULL,
    body TEXT NOT NULL,               -- the JSON sent, never changed once written
    sent_status INTEGER,              -- the platform's answer; NULL until it has answered
    answer TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    local_id TEXT PRIMARY KEY,
    person TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    server_id INTEGER,
    refused TEXT                      -- the reason, when the platform said no
);
"""


def now_text() -> str:
    """This moment with the PC's offset (RFC 3339), as the platform reads it."""
    # timezone.utc, not datetime.UTC: instrument PCs may run Python older than 3.11.
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="milliseconds")  # noqa: UP017


def after(start: str, end: str) -> str:
    """`end`, or a millisecond after `start` when the clock has not moved on (or went back)."""
    begun = datetime.fromisoformat(start)
    if datetime.fromisoformat(end) > begun:
        return end
    return (begun + timedelta(milliseconds=1)).isoformat(timespec="milliseconds")


class Queue:
    """What the agent has seen and what the platform has heard of it, in one SQLite file."""

    def __init__(self, path: str):
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)

    def add(self, kind: str, local_session: str, body: dict) -> str:
        event_id = str(uuid.uuid4())
        self.db.execute(
            "INSERT INTO events (id, kind, local_session, body) VALUES (?, ?, ?, ?)",
            (event_id, kind, local_session, json.dumps(body, ensure_ascii=False)),
        )
        return event_id

    def event(self, event_id: str):
        return self.db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()

    def pending(self) -> list:
        return self.db.execute(
            "SELECT * FROM events WHERE sent_status IS NULL ORDER BY seq"
        ).fetchall()

    def answered(self, event_id: str, status: int, answer) -> None:
        self.db.execute(
            "UPDATE events SET sent_status = ?, answer = ? WHERE id = ?",
            (status, json.dumps(answer, ensure_ascii=False), event_id),
        )

    def open_session(self):
        return self.db.execute(
            "SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1"
        ).fetchone()

    def session(self, local_id: str):
        return self.db.execute("SELECT * FROM sessions WHERE local_id = ?", (local_id,)).fetchone()

    def begin(self, person: str, at: str) -> str:
        local_id = str(uuid.uuid4())
        self.db.execute(
            "INSERT INTO sessions (local_id, person, started_at) VALUES (?, ?, ?)",
            (local_id, person, at),
        )
        return local_id

    def finish(self, local_id: str, at: str) -> None:
        self.db.execute("UPDATE sessions SET ended_at = ? WHERE local_id = ?", (at, local_id))

    def known_as(self, local_id: str, server_id=None, refused=None) -> None:
        self.db.execute(
            "UPDATE sessions SET server_id = coalesce(?, server_id), refused = ?"
            " WHERE local_id = ?",
            (server_id, refused, local_id),
        )


class Platform:
    """The platform's agent API: (status, JSON) of a call, or None when it cannot be reached."""

    def __init__(self, server: str, token: str):
        self.server = server.rstrip("/")
        self.token = token

    def call(self, method: str, path: str, body=None, key: str | None = None):
        headers = {"Authorization": f"Agent {self.token}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.server + "/api/v1" + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except (OSError, ValueError):  # refused, unreachable, timed out, a broken answer
            return None
        if status in RETRY_LATER:
            return None
        try:
            answer = json.loads(raw) if raw else None
        except ValueError:
            return None
        if status == 409 and (answer or {}).get("error", {}).get("code") == "in_progress":
            return None  # the first sending is still being worked on: ask again later
        return status, answer


class Agent:
    """Starts and ends sessions, queues what the platform has not heard yet, sends it later."""

    def __init__(
        self, platform: Platform, queue: Queue, offline_allows=True, on_start="", on_end=""
    ):
        self.platform, self.queue = platform, queue
        self.offline_allows = offline_allows
        self.on_start, self.on_end = on_start, on_end
        self.lock = threading.RLock()

    # -- what the person does ----------------------------------------------------------------

    def tap(self, person: str) -> str:
        """A card or e-mail typed at the prompt (empty: the person leaves); what to show."""
        person = person.strip()
        with self.lock:
            current = self.queue.open_session()
            if current is not None and (not person or person.lower() == current["person"].lower()):
                return self.leave()
            said = self.leave() + "\n" if current is not None else ""
            if not person:
                return "请刷卡或输入邮箱 / Swipe your card or type your e-mail"
            return said + self.come(person)

    def come(self, person: str) -> str:
        at = now_text()
        if self.drain() and self.heartbeat(drain=False):
            return self._ask(person, at)
        if not self.offline_allows:
            return (
                "平台暂时无法连接，请联系仪器管理员 / The platform cannot be reached: ask the lab"
            )
        local = self.queue.begin(person, at)
        self.queue.add("start", local, {"user": person, "at": at, "offline": True})
        self._run(self.on_start, person)
        return "离线上机，恢复联网后补报 / Offline: you are in, the platform will be told later"

    def _ask(self, person: str, at: str) -> str:
        local = self.queue.begin(person, at)
        event = self.queue.add("start", local, {"user": person, "at": at})
        answer = self._send_one(self.queue.event(event))
        if answer is None:
            # Lost on the way (the platform answered the heartbeat a moment ago): it is sent
            # again later with its key, so if it did arrive the first answer comes back.
            if not self.offline_allows:
                return "平台暂时无法连接，请稍后再试 / The platform did not answer: try again"
            self._run(self.on_start, person)
            return "已上机，记录稍后补报 / You are in; the platform will be told later"
        status, body = answer
        if status in (200, 201):
            self._run(self.on_start, person)
            until = body.get("until")
            return f"欢迎 {body.get('user_name', '')}" + (
                f"，预约至 {until[11:16]}" if until else ""
            )
        self.queue.finish(local, at)  # refused: nobody is in session
        reason = (body or {}).get("error", {}).get("reason", "")
        return "不能上机 / Not allowed: " + REASONS.get(reason, reason or str(status))

    def leave(self) -> str:
        current = self.queue.open_session()
        if current is None:
            return ""
        at = after(current["started_at"], now_text())  # a session ends after it starts
        self.queue.finish(current["local_id"], at)
        if current["refused"] is None:
            self.queue.add("end", current["local_id"], {"at": at})
            self._run(self.on_end, current["person"])
        self.drain()
        return "已下机，谢谢 / Session ended, thank you"

    # -- what the platform hears -------------------------------------------------------------

    def heartbeat(self, drain: bool = True) -> bool:
        """Tell the platform the PC is on; send the queue when it answers."""
        reached = self.platform.call("POST", "/agent/heartbeat") is not None
        if reached and drain:
            self.drain()
        return reached

    def drain(self) -> bool:
        """Send every queued event in order; True when nothing is left to send."""
        with self.lock:
            # In order, stopping at the first the platform does not answer.
            return all(self._send_one(event) is not None for event in self.queue.pending())

    def _send_one(self, event):
        """Send one event (its id is its Idempotency-Key); the answer, or None to try later."""
        body = json.loads(event["body"])
        if event["kind"] == "start":
            answer = self.platform.call("POST", "/agent/sessions", body, key=event["id"])
        else:
            session = self.queue.session(event["local_session"])
            if session["server_id"] is None:
                # Its start was refused (nothing to end) or is not answered yet (wait for it).
                if session["refused"] is not None:
                    self.queue.answered(event["id"], 0, "not started")
                    return 0, None
                return None
            path = f"/agent/sessions/{session['server_id']}/end"
            answer = self.platform.call("POST", path, body, key=event["id"])
        if answer is None:
            return None
        status, reply = answer
        self.queue.answered(event["id"], status, reply)
        if event["kind"] == "start":
            if status in (200, 201):
                self.queue.known_as(event["local_session"], server_id=reply["session_id"])
            else:
                reason = (reply or {}).get("error", {}).get("reason") or str(status)
                self.queue.known_as(event["local_session"], refused=reason)
        return answer

    @staticmethod
    def _run(command: str, person: str) -> None:
        if command:
            subprocess.run(
                shlex.split(command), env={**os.environ, "AGENT_PERSON": person}, check=False
            )


def _heartbeats(agent: Agent, seconds: float, stop: threading.Event) -> None:
    while not stop.wait(seconds):
        agent.heartbeat()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("SHARING_AGENT_SERVER"))
    parser.add_argument("--token", default=os.environ.get("SHARING_AGENT_TOKEN"))
    parser.add_argument("--queue", default="instrument-agent.sqlite3")
    parser.add_argument("--heartbeat", type=float, default=60)
    parser.add_argument("--offline", choices=("allow", "deny"), default="allow")
    parser.add_argument("--on-start", default="")
    parser.add_argument("--on-end", default="")
    args = parser.parse_args(argv)
    if not args.server or not args.token:
        parser.error("give --server and --token (or SHARING_AGENT_SERVER, SHARING_AGENT_TOKEN)")
    agent = Agent(
        Platform(args.server, args.token),
        Queue(args.queue),
        offline_allows=args.offline == "allow",
        on_start=args.on_start,
        on_end=args.on_end,
    )
    agent.heartbeat()
    stop = threading.Event()
    threading.Thread(target=_heartbeats, args=(agent, args.heartbeat, stop), daemon=True).start()
    interactive = sys.stdin.isatty()
    try:
        while True:
            if interactive:
                print("刷卡或输入邮箱 / Swipe your card or type your e-mail: ", end="", flush=True)
            line = sys.stdin.readline()
            if not line:
                break
            print(agent.tap(line), flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        agent.drain()
    left = len(agent.queue.pending())
    if left:
        print(f"{left} event(s) wait for the platform; they are sent when the agent runs again.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
