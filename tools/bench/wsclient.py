"""A minimal Streamlit client speaking its WebSocket protocol: one session, its widgets, timed reruns.

It does what the browser's frontend does for a script run and nothing else: it opens
`/_stcore/stream` (subprotocol « streamlit »), sends a `rerun_script` BackMsg with the widgets'
values, and reads ForwardMsgs until `script_finished`. A rerun's time is from sending the
request to that message: the server's whole work for one visitor's change, as the load test
needs it, without a browser per session. The source address may be chosen (127.0.0.x), so that
a reverse proxy hashing client addresses spreads local clients as it spreads real ones.
"""

from __future__ import annotations

import contextlib
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.sync.client import connect

RUN_TIMEOUT_S = 600.0
FINISHED = "script_finished"


@dataclass
class Run:
    """What one script run sent back: its time, the widgets it drew (user key -> widget id), any error."""

    seconds: float
    widgets: dict[str, str] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    exception: str = ""


class Session:
    """One visitor: a WebSocket to a Streamlit server (directly or through a proxy)."""

    def __init__(self, base: str, source: str | None = None, query: str = "", cookie: str = "") -> None:
        url = urlparse(base)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if source:
            sock.bind((source, 0))
        sock.settimeout(30)
        sock.connect((url.hostname or "127.0.0.1", url.port or 80))
        headers = {"Cookie": cookie} if cookie else None
        self._open = contextlib.ExitStack()  # websockets wants its connection used as a context manager
        self.ws = self._open.enter_context(connect(f"ws://{url.netloc}{url.path.rstrip('/')}/_stcore/stream",
                                                   sock=sock, subprotocols=["streamlit"], additional_headers=headers,
                                                   max_size=None, open_timeout=30))
        self.query = query
        self.session_id = ""
        self.widgets: dict[str, str] = {}
        self.values: dict[str, str] = {}

    def run(self, **strings: str) -> Run:
        """Rerun the script with these text widgets' values (by user key); wait for the end of the run."""
        self.values.update(strings)
        states = [WidgetState(id=self.widgets[k], string_value=v) for k, v in self.values.items() if k in self.widgets]
        msg = BackMsg(rerun_script=ClientState(query_string=self.query, widget_states=WidgetStates(widgets=states)))
        start = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        found = Run(0.0)
        deadline = time.time() + RUN_TIMEOUT_S
        while time.time() < deadline:
            frame = self.ws.recv(timeout=max(1.0, deadline - time.time()))
            if isinstance(frame, str):
                continue
            fwd = ForwardMsg()
            fwd.ParseFromString(frame)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "delta":
                _read_delta(fwd, found)
            elif kind == FINISHED:
                found.seconds = time.perf_counter() - start
                self.widgets.update(found.widgets)
                return found
        raise TimeoutError("the script run did not finish")

    def close(self) -> None:
        """Close the WebSocket (the server ends the session)."""
        self._open.close()


def _read_delta(fwd: ForwardMsg, found: Run) -> None:
    element = fwd.delta.new_element
    kind = element.WhichOneof("type")
    if kind is None:
        return
    body = getattr(element, kind)
    widget_id = getattr(body, "id", "")
    if widget_id and "-" in widget_id:
        found.widgets[widget_id.rsplit("-", 1)[-1]] = widget_id  # "$$ID-<hash>-<user key>"
    if kind == "exception":
        found.exception = body.message
    elif kind in ("markdown", "alert", "text", "heading"):
        found.texts.append(getattr(body, "body", "") or getattr(body, "text", ""))
