"""A large bundle's audit entries, written in a second process while this one writes the records."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zwdesk.storage.outbox_repository import (
    OutboxRepository,
    audit_entries,
    read_only_connection,
)
from zwdesk.sync.bundle import EncodedLines, encode_lines

# From this many audit entries (a station's first bundle, or one after a large import) a
# second process writes their lines: on two cores a city-size first bundle is built in about
# the time of its records alone. Below it, starting a process costs more than it saves.
AUDIT_ENTRIES_IN_WORKER = 100_000

Rows = Iterator[tuple[str, dict[str, Any]]]


def encode_audit_entries(path: str, since: int, through: int) -> EncodedLines:
    """The payload lines of the audit entries of the changes in (since, through] (in the worker
    process: its own read-only connection sees them, for they are all committed)."""
    with read_only_connection(Path(path)) as connection:
        return encode_lines(audit_entries(connection, since, through), since + 1, through)


@contextmanager
def changed_parts(
    outbox: OutboxRepository, path: Path, since: int, through: int
) -> Iterator[tuple[Rows, Iterable[EncodedLines]]]:
    """(the rows to write here, the lines written elsewhere) of the changes in (since, through]
    — the same lines, in the same order, as writing every row here."""
    if outbox.audit_entry_count(since, through) < AUDIT_ENTRIES_IN_WORKER or not path.is_file():
        yield outbox.changed_records(since, through), ()
        return
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    try:
        try:
            future = pool.submit(encode_audit_entries, str(path), since, through)
        except (BrokenProcessPool, OSError):  # no second process to be had
            yield outbox.changed_records(since, through), ()
            return
        yield outbox.changed_rows(since, through), _written(future, outbox, since, through)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _written(
    future: Future[EncodedLines], outbox: OutboxRepository, since: int, through: int
) -> Iterator[EncodedLines]:
    try:
        lines = future.result()
    except (BrokenProcessPool, OSError):  # the process failed: write them here
        lines = encode_lines(outbox.changed_audit_entries(since, through), since + 1, through)
    yield lines
