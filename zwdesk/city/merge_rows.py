"""The rows a bundle's lines become in the city database — made here, or for a large bundle in
a second process while this one inserts the rows made so far."""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from operator import itemgetter

from zwdesk.city.errors import CityError
from zwdesk.sync.bundle import AUDIT_TABLE, BundleRecord, VerifiedBundle, record_json_text
from zwdesk.sync.manifest import BundleManifest

# From this many lines (a station's first bundle) the lines are read, checked and made into
# rows in a spawned process: on two cores the city inserts while the next rows are made, and a
# city-size bundle takes about the time of the longer of the two instead of both. Below it,
# starting a process costs more than it saves.
LINES_IN_WORKER = 100_000
RECORDS, AUDIT_ENTRIES = "records", "audit_entries"
WORKERS_TABLE = "workers"
_AUDIT_BATCH_ROWS = 50_000  # audit entries handed over at a time (in id order already)
_SENT_ROWS = 25_000  # rows per message from the worker process
_PIECES_AHEAD = 8  # messages made and not yet sent, at most
_RECORD_ORDER = itemgetter(0, 1)  # (table_name, uuid): the records' primary key

Row = tuple[object, ...]
Batch = tuple[str, list[Row]]  # RECORDS or AUDIT_ENTRIES, and the rows
Worker = tuple[object, object, object, int]  # uuid, ID number, name, deleted


class MergeWorkerError(CityError):
    """The process making a bundle's rows ended without finishing (the merge is rolled back;
    the station sends the bundle again later)."""


def merged_rows(
    manifest: BundleManifest,
    source: VerifiedBundle | Iterable[BundleRecord],
    workers: list[Worker],
) -> Iterator[Batch]:
    """The rows to insert, in batches; `workers` is filled with the bundle's worker records
    once the last batch is out. A refused line raises BundleRefusedError here."""
    if isinstance(source, VerifiedBundle):
        if manifest.record_count >= LINES_IN_WORKER:
            yield from _made_elsewhere(source, workers)
            return
        source = source.records()
    yield from row_batches(manifest, source, workers)


def row_batches(
    manifest: BundleManifest, records: Iterable[BundleRecord], workers: list[Worker]
) -> Iterator[Batch]:
    """Each table's records once the next table starts, sorted by key, so the B-trees fill
    front to back instead of at random pages (a city-size bundle merges about three times
    faster); audit entries in batches as they come. Each record becomes its row as it is read
    (its JSON text; the parsed record is dropped)."""
    station, bundle_id = manifest.station_id, manifest.bundle_id
    rows: list[Row] = []
    audits: list[Row] = []
    current = None
    for table, record, text in records:
        data = record_json_text(record) if text is None else text
        change = record.get("change_number")
        if table == AUDIT_TABLE:
            audits.append((station, record.get("id"), change, data, bundle_id))
            if len(audits) >= _AUDIT_BATCH_ROWS:
                yield AUDIT_ENTRIES, audits
                audits = []
            continue
        if table != current:
            if rows:
                rows.sort(key=_RECORD_ORDER)
                yield RECORDS, rows
                rows = []
            current = table
        uuid, deleted = record.get("uuid"), 1 if record.get("deleted_at") else 0
        rows.append((table, uuid, station, change, deleted, data, bundle_id))
        if table == WORKERS_TABLE:
            workers.append((uuid, record.get("id_number"), record.get("name"), deleted))
    if rows:
        rows.sort(key=_RECORD_ORDER)
        yield RECORDS, rows
    if audits:
        yield AUDIT_ENTRIES, audits


def _made_elsewhere(verified: VerifiedBundle, workers: list[Worker]) -> Iterator[Batch]:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=make_rows, args=(verified, sender), name="zwdesk-merge-rows", daemon=True
    )
    try:
        process.start()
    except OSError:  # no second process to be had: make them here
        receiver.close()
        sender.close()
        yield from row_batches(verified.manifest, verified.records(), workers)
        return
    sender.close()  # the worker holds its own end: a worker that dies ends the pipe
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError:
                raise MergeWorkerError("生成数据行的进程意外退出，本次接收已撤销") from None
            if message[0] == "rows":
                yield message[1], message[2]
            elif message[0] == "workers":
                workers.extend(message[1])
            elif message[0] == "error":
                raise message[1]
            else:
                return
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()
        process.join()


def make_rows(verified: VerifiedBundle, sender: Connection) -> None:
    """In the worker process: send each batch (in pieces of at most _SENT_ROWS rows), then the
    workers, then "done" — or the error (a refused line) that stopped it.

    A thread does the sending: while the server is still inserting the last piece (and not
    reading the pipe), the next rows are being made."""
    outgoing: queue.Queue[tuple[object, ...] | None] = queue.Queue(maxsize=_PIECES_AHEAD)
    sending = threading.Thread(target=_send_all, args=(outgoing, sender), daemon=True)
    sending.start()
    try:
        workers: list[Worker] = []
        for kind, rows in row_batches(verified.manifest, verified.records(), workers):
            for start in range(0, len(rows), _SENT_ROWS):
                outgoing.put(("rows", kind, rows[start : start + _SENT_ROWS]))
        outgoing.put(("workers", workers))
        outgoing.put(("done",))
    except Exception as error:
        outgoing.put(("error", error))
    finally:
        outgoing.put(None)
        sending.join()
        sender.close()


def _send_all(outgoing: queue.Queue[tuple[object, ...] | None], sender: Connection) -> None:
    while (message := outgoing.get()) is not None:
        try:
            sender.send(message)
        except OSError:  # the server stopped listening (it rolled back): nothing to tell it
            return
