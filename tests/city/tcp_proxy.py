"""A fault-injecting TCP proxy on 127.0.0.1 (tests only): between an HTTP client and a real
server, each connection is passed through, dropped, reset, delayed, truncated or duplicated.

One request per connection, as the station's client (urllib, `Connection: close`) makes them:
the proxy reads the whole request from the client, decides its fate, and forwards it on a
fresh connection to the server. Decisions come from a seeded random generator in the order
connections are accepted (one client → the same run every time), and every injected fault is
counted, so a test can assert that the faults it meant to survive really happened.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from types import TracebackType
from urllib.parse import urlsplit

_HEAD_END = b"\r\n\r\n"
_MAX_HEAD_BYTES = 64 * 1024
_CHUNK = 64 * 1024


class Fault(Enum):
    """What happens to one connection."""

    PASS = "pass"  # forwarded both ways untouched
    DROP = "drop"  # closed (FIN) before anything reaches the server
    RESET = "reset"  # SO_LINGER 0 → RST to the client, before or after the server answered
    DELAY = "delay"  # forwarded after a pause each way (shorter than the client's timeout)
    TRUNCATE_REQUEST = "truncate-request"  # the server gets the request cut off midway
    TRUNCATE_RESPONSE = "truncate-response"  # the client gets the answer cut off midway
    DUPLICATE = "duplicate"  # the server gets the same request bytes twice, at the same time


FAULTS = tuple(fault for fault in Fault if fault is not Fault.PASS)


@dataclass(frozen=True)
class FaultMix:
    """How often and which faults: a connection is faulty with probability `rate`, the kind
    drawn by `weights` (all faults alike when empty); after `max_in_a_row` faulty connections
    the next one passes, so a client that keeps retrying always gets through."""

    rate: float = 0.3
    weights: Mapping[Fault, float] = field(default_factory=dict)
    delay_seconds: tuple[float, float] = (0.005, 0.05)
    max_in_a_row: int = 3
    reset_before_server: float = 0.5  # the share of resets that happen before forwarding
    cut_at: int | None = None  # where truncations cut (bytes kept); None: anywhere, at random


@dataclass(frozen=True)
class Exchange:
    """One connection as the proxy saw it. `detail` says where a reset or a cut happened;
    `server_got` is how many complete copies of the request reached the server."""

    number: int
    fault: Fault
    method: str
    path: str
    detail: str
    server_got: int
    status: int | None  # the server's answer (the first copy's, for a duplicate)
    answer_bytes: int  # its size, head and body
    answer_head_bytes: int  # the size of its status line and headers, blank line included


@dataclass(frozen=True)
class DuplicateAnswers:
    """The server's two answers to one duplicated request: (status, body) each."""

    path: str
    first: tuple[int | None, bytes]
    second: tuple[int | None, bytes]


def read_message(sock: socket.socket, *, is_response: bool) -> bytes:
    """One HTTP/1.1 message (head and body by Content-Length or chunked; a response without
    either runs to EOF). Returns what arrived, possibly short if the peer closed early."""
    data = bytearray()
    while _HEAD_END not in data:
        chunk = sock.recv(_CHUNK)
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > _MAX_HEAD_BYTES:
            return bytes(data)
    head_end = data.index(_HEAD_END) + len(_HEAD_END)
    headers = _headers(bytes(data[:head_end]))
    if "content-length" in headers:
        try:
            wanted = head_end + int(headers["content-length"])
        except ValueError:
            return bytes(data)
        while len(data) < wanted:
            chunk = sock.recv(_CHUNK)
            if not chunk:
                break
            data += chunk
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        while not data.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(_CHUNK)
            if not chunk:
                break
            data += chunk
    elif is_response:
        while chunk := sock.recv(_CHUNK):
            data += chunk
    return bytes(data)


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    pairs = (line.split(":", 1) for line in lines if ":" in line)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def _request_line(request: bytes) -> tuple[str, str]:
    line = request.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
    return (line[0], line[1]) if len(line) >= 2 else ("?", "?")


def _status_and_body(response: bytes) -> tuple[int | None, bytes]:
    head, _, body = response.partition(_HEAD_END)
    parts = head.split(b" ", 2)
    try:
        return int(parts[1]), body
    except (IndexError, ValueError):
        return None, body


def _reset(sock: socket.socket) -> None:
    """Close with an RST instead of a FIN (SO_LINGER on, timeout 0)."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    """Listens on 127.0.0.1 (a free port) and forwards to `upstream_url`'s host and port.

    Use as a context manager; `url` is what the client should talk to. `script` (faults for
    the first connections, in order) comes before the random mix.
    """

    def __init__(
        self,
        upstream_url: str,
        mix: FaultMix | None = None,
        *,
        seed: int = 0,
        script: Sequence[Fault] = (),
        io_timeout: float = 15.0,
    ) -> None:
        parts = urlsplit(upstream_url)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"upstream URL needs a host and a port: {upstream_url}")
        self.upstream = (parts.hostname, parts.port)
        self.mix = mix or FaultMix(rate=0.0)
        self.seed = seed
        self.io_timeout = io_timeout
        self.counts: Counter[Fault] = Counter()
        self.exchanges: list[Exchange] = []
        self.duplicates: list[DuplicateAnswers] = []
        self._script = list(script)
        self._rng = random.Random(seed)
        self._in_a_row = 0
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}/"

    def __enter__(self) -> FaultProxy:
        self._acceptor.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopping.set()
        self._acceptor.join(5)
        self._listener.close()
        for thread in list(self._threads):
            thread.join(self.io_timeout)

    def set_script(self, faults: Sequence[Fault]) -> None:
        with self._lock:
            self._script = list(faults)

    def faults_on(self, path: str) -> Counter[Fault]:
        """Faults injected on requests to `path` (PASS included)."""
        with self._lock:
            return Counter(exchange.fault for exchange in self.exchanges if exchange.path == path)

    # -- the decision --------------------------------------------------------------------------
    def _next_fault(self) -> Fault:
        if self._script:
            return self._script.pop(0)
        mix = self.mix
        if self._in_a_row >= mix.max_in_a_row or self._rng.random() >= mix.rate:
            return Fault.PASS
        kinds = [fault for fault in FAULTS if not mix.weights or mix.weights.get(fault, 0) > 0]
        weights = [mix.weights.get(fault, 1.0) for fault in kinds]
        return self._rng.choices(kinds, weights)[0]

    def _accept_loop(self) -> None:
        number = 0
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            number += 1
            with self._lock:
                fault = self._next_fault()
                self._in_a_row = 0 if fault is Fault.PASS else self._in_a_row + 1
                self.counts[fault] += 1
            # Each connection's own generator: where a cut falls does not depend on timing.
            rng = random.Random(f"{self.seed}/{number}")
            thread = threading.Thread(
                target=self._serve, args=(client, number, fault, rng), daemon=True
            )
            self._threads = [alive for alive in self._threads if alive.is_alive()]
            self._threads.append(thread)
            thread.start()

    # -- one connection ----------------------------------------------------------------------
    def _exchange(self, request: bytes) -> bytes:
        """Send `request` to the server on a new connection; its whole answer."""
        with socket.create_connection(self.upstream, timeout=self.io_timeout) as upstream:
            upstream.sendall(request)
            return read_message(upstream, is_response=True)

    def _serve(self, client: socket.socket, number: int, fault: Fault, rng: random.Random) -> None:
        client.settimeout(self.io_timeout)
        request = b""
        detail, server_got, response = "", 0, b""
        try:
            request = read_message(client, is_response=False)
            detail, server_got, response = self._apply(client, request, fault, rng)
        except OSError as error:  # the client or the server went away: note it, carry on
            detail = f"{detail} {type(error).__name__}".strip()
        finally:
            with contextlib.suppress(OSError):
                client.close()
            method, path = _request_line(request)
            status = _status_and_body(response)[0] if response else None
            head = response.find(_HEAD_END) + len(_HEAD_END) if _HEAD_END in response else 0
            exchange = Exchange(
                number, fault, method, path, detail, server_got, status, len(response), head
            )
            with self._lock:
                self.exchanges.append(exchange)

    def _apply(
        self, client: socket.socket, request: bytes, fault: Fault, rng: random.Random
    ) -> tuple[str, int, bytes]:
        """Do what `fault` says; (what happened, copies the server got, its answer)."""
        if fault is Fault.DROP:
            client.shutdown(socket.SHUT_RDWR)
            return "", 0, b""
        if fault is Fault.RESET and rng.random() < self.mix.reset_before_server:
            _reset(client)
            return "before the server", 0, b""
        if fault is Fault.TRUNCATE_REQUEST:
            cut = self._cut(len(request), rng)
            with socket.create_connection(self.upstream, timeout=self.io_timeout) as upstream:
                upstream.sendall(request[:cut])
            client.shutdown(socket.SHUT_RDWR)
            return f"request cut at {cut}/{len(request)}", 0, b""
        if fault is Fault.DELAY:
            time.sleep(rng.uniform(*self.mix.delay_seconds))
        response = self._duplicate(request) if fault is Fault.DUPLICATE else self._exchange(request)
        copies = 2 if fault is Fault.DUPLICATE else 1
        if fault is Fault.RESET:
            _reset(client)
            return "after the server answered", copies, response
        if fault is Fault.DELAY:
            time.sleep(rng.uniform(*self.mix.delay_seconds))
        if fault is Fault.TRUNCATE_RESPONSE:
            cut = self._cut(len(response), rng)
            client.sendall(response[:cut])
            client.shutdown(socket.SHUT_RDWR)
            return f"answer cut at {cut}/{len(response)}", copies, response
        client.sendall(response)
        return "", copies, response

    def _cut(self, size: int, rng: random.Random) -> int:
        """How many bytes of a `size`-byte message get through: at least one, never all."""
        if self.mix.cut_at is not None:
            return max(1, min(self.mix.cut_at, size - 1))
        return rng.randrange(1, max(size, 2))

    def _duplicate(self, request: bytes) -> bytes:
        """The same request on two connections at once; the client gets the first answer."""
        answers: list[bytes | BaseException] = [b"", b""]

        def send(index: int) -> None:
            try:
                answers[index] = self._exchange(request)
            except OSError as error:
                answers[index] = error

        second = threading.Thread(target=send, args=(1,), daemon=True)
        second.start()
        send(0)
        second.join(self.io_timeout)
        first_answer, second_answer = answers
        if isinstance(first_answer, BaseException):
            raise first_answer
        if isinstance(second_answer, BaseException):
            raise second_answer
        with self._lock:
            self.duplicates.append(
                DuplicateAnswers(
                    _request_line(request)[1],
                    _status_and_body(first_answer),
                    _status_and_body(second_answer),
                )
            )
        return first_answer
