"""What only the PostgreSQL city database has: URLs with passwords, schemas, a server that
goes away — and `zwdesk city … --db postgresql://…` naming it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.city.conftest import postgres_schema, with_search_path
from zwdesk.city.database import CityDatabase
from zwdesk.city.db_postgres import APPLICATION_NAME, mask_url
from zwdesk.city.errors import CityDatabaseError
from zwdesk.cli import main


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


def test_urls_are_shown_without_their_password() -> None:
    assert mask_url("postgresql://city:s3cret@db.example:5432/zw") == (
        "postgresql://city:***@db.example:5432/zw"
    )
    assert mask_url("postgresql://db.example/zw?user=city&password=s3cret&sslmode=require") == (
        "postgresql://db.example/zw?user=city&password=***&sslmode=require"
    )
    assert mask_url("postgresql://city@db.example/zw") == "postgresql://city@db.example/zw"


def test_a_wrong_password_is_reported_without_the_password(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = with_password(pg_url, "Wrong-Pa55word")
    with pytest.raises(CityDatabaseError, match="无法连接市里数据库") as caught:
        CityDatabase(wrong)
    assert "Wrong-Pa55word" not in str(caught.value) and ":***@" in str(caught.value)
    assert caught.value.__cause__ is None  # nothing behind it that could print the URL

    assert main(["city", "import", "nothing.zwbundle", "--db", wrong]) == 2
    captured = capsys.readouterr()
    assert "无法连接市里数据库" in captured.err
    assert "Wrong-Pa55word" not in captured.out + captured.err


def test_no_server_at_the_address_is_a_clear_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CityDatabaseError, match="无法连接市里数据库"):
        CityDatabase(f"postgresql://zwdesk:pw@127.0.0.1:{port}/zwdesk")


def test_a_search_path_naming_no_schema_is_a_clear_error(pg_url: str) -> None:
    nowhere = with_search_path(pg_url, "no_such_schema_here")
    with pytest.raises(CityDatabaseError, match="没有可建表的模式"):
        CityDatabase(nowhere)


def test_the_database_lives_in_the_urls_schema(pg_url: str) -> None:
    with CityDatabase(pg_url) as database:
        database.add_station("T1", "T1 工作站", "https://c/", "token")
    schema = urlsplit(pg_url).query.rpartition("search_path%3D")[2]
    with psycopg.connect(pg_url, autocommit=True) as connection:
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            )
        }
    assert {"stations", "records", "conflicts", "policy_updates", "zwdesk_meta"} <= tables


def test_calls_go_on_after_the_server_dropped_the_idle_connections(pg_url: str) -> None:
    with CityDatabase(pg_url) as database:
        database.add_station("T1", "T1 工作站", "https://c/", "token")
        assert database.counts()["stations"] == 1  # leaves idle connections behind
        with psycopg.connect(pg_url, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = %s AND usename = current_user"
                " AND pid <> pg_backend_pid()",
                (APPLICATION_NAME,),
            ).fetchone()
        assert ended is not None and ended[0] >= 1
        assert database.counts()["stations"] == 1
        database.add_station("T2", "T2 工作站", "https://c/", "token")
        assert database.station("T2") is not None


def test_sorted_columns_compare_bytes_whatever_the_servers_locale(pg_url: str) -> None:
    """live_records, conflicts and policy updates come in the same order as from SQLite."""
    CityDatabase(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as connection:
        collations = {
            (str(table), str(column)): collation
            for table, column, collation in connection.execute(
                "SELECT table_name, column_name, collation_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND data_type = 'text'"
            )
        }
    for key in [
        ("records", "table_name"),
        ("records", "uuid"),
        ("conflicts", "key"),
        ("conflict_refs", "conflict_key"),
        ("policy_updates", "name"),
    ]:
        assert collations[key] == "C", key
