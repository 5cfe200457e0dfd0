from shop.state import StateStore


def test_state_survives_reopening(tmp_path):
    path = tmp_path / "state.db"
    store = StateStore(path)
    ticket = store.create_ticket("handoff", "wants a human", customer_id="C00001", sender_id="abc")
    store.set_order_status("KE-100001", "cancelled", reason="test")
    store.set_marketing_consent("C00001", False)
    store.request_erasure("C00002")
    store.close()

    reopened = StateStore(path)
    assert reopened.ticket(ticket.ticket_id) == ticket
    assert reopened.order_status_override("KE-100001") == "cancelled"
    assert reopened.order_status_overrides() == {"KE-100001": "cancelled"}
    assert reopened.marketing_consent("C00001") is False
    assert reopened.marketing_consent("C00003") is None
    assert reopened.erasure_requested_at("C00002") is not None


def test_ticket_ids_are_unique_and_text_is_stored_verbatim(tmp_path):
    store = StateStore(tmp_path / "state.db")
    hostile = "Robert'); DROP TABLE tickets;-- 🙂 \x07"
    ids = {store.create_ticket("complaint", hostile).ticket_id for _ in range(200)}
    assert len(ids) == 200
    assert all(i.startswith("KT-") for i in ids)
    assert store.ticket(next(iter(ids))).summary == hostile
    # NUL cannot be stored in PostgreSQL text; it becomes U+FFFD on every engine alike.
    assert store.create_ticket("complaint", "a\x00b").summary == "a\ufffdb"


def test_consent_can_be_given_back(tmp_path):
    store = StateStore(tmp_path / "state.db")
    store.set_marketing_consent("C00001", False)
    store.set_marketing_consent("C00001", True)
    assert store.marketing_consent("C00001") is True


def test_erasing_a_customer_removes_their_rows_and_leaves_others(tmp_path):
    store = StateStore(f"sqlite:///{tmp_path / 'state.db'}")
    store.create_ticket("handoff", "mine", customer_id="C00001", sender_id="s1")
    store.create_ticket("handoff", "anonymous chat of theirs", sender_id="s2")
    kept = store.create_ticket("handoff", "someone else", customer_id="C00002", sender_id="s3")
    store.set_marketing_consent("C00001", False)
    store.add_feedback("C00001", "P00001", "details", "2026-01-01T00:00:00Z")
    store.add_feedback("guest:s2", "P00002", "not_interested", "2026-01-01T00:00:00Z")
    assert store.erase_customer("C00001") == 3
    assert store.erase_senders(["s2"]) == 2
    assert store.marketing_consent("C00001") is None and store.ticket(kept.ticket_id) == kept
    store.audit("erase", "C00001", "test", "3 rows")
    assert [line["detail"] for line in store.audit_lines("C00001")] == ["3 rows"]


def test_an_sqlite_url_in_a_missing_folder_is_created(tmp_path):
    """A fresh clone has no var/: the first start must make it, whichever form the setting takes."""
    from shop.state import StateStore

    for target in (f"sqlite:///{tmp_path}/a/b/state.db", tmp_path / "c" / "d" / "state.db"):
        store = StateStore(target)
        store.set_marketing_consent("C00001", False)
        assert store.marketing_consent("C00001") is False
        store.close()


def _open_stores(url: str) -> str:
    from shop.marketing.store import MarketingStore
    from shop.state import StateStore

    StateStore(url).close()
    MarketingStore(url).close()
    return "ok"


def test_action_servers_starting_together_create_the_tables_once(postgres):
    """Several action servers starting at once on an empty PostgreSQL database: without the schema
    lock, concurrent CREATE TABLEs fail on pg_type's unique index and a server dies at start."""
    from concurrent.futures import ProcessPoolExecutor

    postgres.create_database("startup_race")
    url = postgres.url("startup_race")
    with ProcessPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(_open_stores, [url] * 8)) == ["ok"] * 8
