"""Deduplication: one fragment per normalised text with every sighting; near-duplicates found archive-wide."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_helpers import SEED_FILES, SEEDS, connect, dump_all, run
from archiver import neardup
from archiver.dedupe import NEAR_THRESHOLD
from archiver.db import open_db
from archiver.normalize import content_hash, normalize_text

MAJILIS_000 = "Elections in Majilis and Maslikhats on party lists took place on January 10"
MAJILIS_002 = "Recall, the elections in Majilis on party lists took place on January 10"
PREVENTIVE = "Preventive political persecution"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    db = tmp_path_factory.mktemp("dedupe") / "archive.db"
    result = run("ingest", db, SEEDS, "--json")
    assert result.exit_code == 0, result.output
    return db, json.loads(result.output)


def _fragment(conn, prefix: str) -> list[tuple[str, str]]:
    return conn.execute("select id, text from fragments where text like ? order by id", [prefix + "%"]).fetchall()


def test_paragraphs_shared_by_seeds_000_and_002_are_one_fragment_with_two_sightings(seeded):
    db, _ = seeded
    conn = connect(db)
    paragraphs = [
        {normalize_text(line) for line in f.read_text(encoding="utf-8").splitlines() if len(normalize_text(line)) >= 40}
        for f in (SEED_FILES[0], SEED_FILES[2])
    ]
    shared = paragraphs[0] & paragraphs[1]
    assert len(shared) >= 4
    for text in shared:
        rows = conn.execute("select id, text from fragments where hash = ?", [content_hash(text)]).fetchall()
        assert len(rows) == 1, text
        fid, stored = rows[0]
        assert normalize_text(stored) == text
        sources = conn.execute("select src.name from sightings s join sources src on src.id = s.source_id"
                               " where s.fragment_id = ? order by src.name", [fid]).fetchall()
        assert [r[0] for r in sources] == [SEED_FILES[0].name, SEED_FILES[2].name]


def test_reworded_majilis_paragraphs_are_a_near_duplicate_pair(seeded):
    db, _ = seeded
    conn = connect(db)
    ((a, text_a),) = _fragment(conn, MAJILIS_000)
    ((b, text_b),) = _fragment(conn, MAJILIS_002)
    assert a != b
    row = conn.execute("select similarity, method from near_duplicates where fragment_a = ? and fragment_b = ?",
                       sorted((a, b))).fetchone()
    assert row is not None
    similarity, method = row
    assert method == neardup.METHOD
    assert 0.8 <= similarity < 1
    assert similarity == round(neardup.similarity_folded(neardup.fold(text_a), neardup.fold(text_b)), 4)


def test_seed_003_preventive_posts_are_near_duplicates_in_separate_threads(seeded):
    db, _ = seeded
    conn = connect(db)
    rows = _fragment(conn, PREVENTIVE)
    assert len(rows) == 2
    (a, _), (b, _) = rows
    assert conn.execute("select similarity from near_duplicates where fragment_a = ? and fragment_b = ?",
                        [a, b]).fetchone()[0] >= 0.8
    threads = [conn.execute("select thread_id from thread_parts where fragment_id = ?", [f]).fetchall() for f in (a, b)]
    assert len(threads[0]) == len(threads[1]) == 1 and threads[0] != threads[1]
    source_003 = conn.execute("select id from sources where name = ?", [SEED_FILES[3].name]).fetchone()[0]
    for fid in (a, b):
        assert conn.execute("select source_id from sightings where fragment_id = ?", [fid]).fetchall() == [(source_003,)]
    assert conn.execute("select count(*) from thread_aliases").fetchone()[0] == 0


def test_ingest_summary_counts_new_known_and_near(seeded, tmp_path):
    _, doc = seeded
    conn = connect(seeded[0])
    assert doc["fragments"]["new"] == conn.execute("select count(*) from fragments").fetchone()[0]
    assert doc["fragments"]["near_duplicates"] == conn.execute("select count(*) from near_duplicates").fetchone()[0]
    db = tmp_path / "archive.db"
    first = json.loads(run("ingest", db, SEED_FILES[0], "--json").output)
    second = json.loads(run("ingest", db, SEED_FILES[2], "--json").output)
    conn = connect(db)
    (source_002,) = conn.execute("select id from sources where name = ?", [SEED_FILES[2].name]).fetchone()
    assert second["fragments"]["new"] == conn.execute(
        "select count(*) from fragments where first_source_id = ?", [source_002]).fetchone()[0]
    assert second["fragments"]["known"] >= 5  # the paragraphs 002 shares with 000
    pairs = conn.execute("select count(*) from near_duplicates").fetchone()[0]
    assert second["fragments"]["near_duplicates"] == pairs - first["fragments"]["near_duplicates"] >= 2
    text = run("ingest", tmp_path / "text.db", SEED_FILES[0]).output + run("ingest", tmp_path / "text.db", SEED_FILES[2]).output
    assert (f"fragments: {second['fragments']['new']} new, {second['fragments']['known']} already known, "
            f"{second['fragments']['near_duplicates']} near-duplicate pairs") in text


def test_near_duplicates_do_not_depend_on_ingest_order(tmp_path):
    forward, backward = tmp_path / "forward.db", tmp_path / "backward.db"
    for f in SEED_FILES:
        run("ingest", forward, f)
    for f in reversed(SEED_FILES):
        run("ingest", backward, f)
    pairs = [connect(db).execute("select fragment_a, fragment_b, similarity, method from near_duplicates"
                                 " order by 1, 2").fetchall() for db in (forward, backward)]
    assert pairs[0] == pairs[1] and len(pairs[0]) >= 2
    bands = [connect(db).execute("select key, fragment_id from fragment_bands order by 1, 2").fetchall()
             for db in (forward, backward)]
    assert bands[0] == bands[1]


def test_duplicates_command_lists_exact_groups_and_near_pairs(seeded):
    db, _ = seeded
    before = dump_all(db)
    result = run("duplicates", db, "--near", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    groups = {g["fragment_id"]: g for g in doc["exact"]}
    conn = connect(db)
    multi = dict(conn.execute("select fragment_id, count(*) from sightings group by 1 having count(*) > 1"))
    assert {fid: len(g["sightings"]) for fid, g in groups.items()} == multi
    some = next(g for g in doc["exact"] if {s["source_name"] for s in g["sightings"]} >= {SEED_FILES[0].name})
    assert all(s["line_start"] and s["line_end"] >= s["line_start"] for s in some["sightings"])
    near = {(p["fragment_a"], p["fragment_b"]): p for p in doc["near"]}
    ((a, _),) = _fragment(conn, MAJILIS_000)
    ((b, _),) = _fragment(conn, MAJILIS_002)
    pair = near[tuple(sorted((a, b)))]
    assert 0.8 <= pair["similarity"] < 1 and pair["method"] == neardup.METHOD
    assert pair["threads_a"] != pair["threads_b"]
    text = run("duplicates", db, "--near")
    assert text.exit_code == 0
    assert f"exact duplicates: {len(multi)} texts seen more than once" in text.output
    assert f"{min(a, b)} ~ {max(a, b)}  similarity {pair['similarity']:.3f}" in text.output
    plain = run("duplicates", db, "--json")
    assert "near" not in json.loads(plain.output)
    assert dump_all(db) == before  # reading changes nothing


def test_duplicates_on_a_missing_archive_fails_cleanly(tmp_path):
    result = run("duplicates", tmp_path / "nope.db")
    assert result.exit_code != 0 and "no such archive" in result.output
    assert not (tmp_path / "nope.db").exists()


def test_short_texts_get_no_bands(tmp_path):
    db = tmp_path / "archive.db"
    run("ingest", db, "-", input="Thanks!\n\nThanks!!\n")
    conn = connect(db)
    assert conn.execute("select count(*) from fragment_bands").fetchone()[0] == 0
    assert conn.execute("select count(*) from near_duplicates").fetchone()[0] == 0
    assert conn.execute("select value from neardup_index where name = 'indexed_rowid'").fetchone()[0] == \
        str(conn.execute("select max(rowid) from fragments").fetchone()[0])


def _bulk_inserted_archive(tmp_path):
    """Seeds ingested, then the index forgotten: as after a write path that does not index."""
    db = tmp_path / "archive.db"
    run("ingest", db, SEEDS)
    conn = sqlite3.connect(db)
    expected = conn.execute("select * from near_duplicates order by 1, 2").fetchall()
    bands = conn.execute("select * from fragment_bands order by 1, 2").fetchall()
    conn.execute("delete from near_duplicates")
    conn.execute("delete from fragment_bands")
    conn.execute("update neardup_index set value = '0' where name = 'indexed_rowid'")
    conn.commit()
    conn.close()
    return db, expected, bands


@pytest.mark.parametrize("chunk", [7, neardup.CHUNK], ids=["small reads", "one read"])
def test_the_one_pass_reads_only_the_texts_the_workers_did_not_sign(tmp_path, monkeypatch, chunk):
    """Given the workers' band keys (and the ids of the texts too short for any) for every other
    fragment, the one pass reads only the other fragments' texts before pairing them, and finds the
    same pairs and keys as with none given."""
    db, expected, bands = _bulk_inserted_archive(tmp_path)
    conn = open_db(db).conn
    rows = conn.execute("select rowid, text from fragments order by rowid").fetchall()
    ids, keys, lengths, short = neardup.presign(text for _, text in rows[::2])
    assert ids and short  # the seeds have texts of both kinds
    index = {fid: i for i, fid in enumerate(ids)}
    index.update((fid, neardup.SHORT) for fid in short)
    read: list = []
    real_fetch, real_sort = neardup._fetch, neardup._sort_keys
    monkeypatch.setattr(neardup, "_fetch",
                        lambda c, column, values, *rest: read.extend(values) or real_fetch(c, column, values, *rest))
    monkeypatch.setattr(neardup, "_sort_keys", lambda table: read.append("sorted") or real_sort(table))
    conn.execute("BEGIN IMMEDIATE")
    result = neardup.index_pending(conn, "2024-01-01T00:00:00+00:00", chunk=chunk, bulk=True,
                                   presigned=[(index, keys, lengths)])
    conn.execute("COMMIT")
    assert read.index("sorted") > 0 and sorted(read[:read.index("sorted")]) == [rowid for rowid, _ in rows[1::2]]
    assert result.pairs == len(expected)
    assert [r[:4] for r in conn.execute("select * from near_duplicates order by 1, 2")] == [r[:4] for r in expected]
    assert conn.execute("select * from fragment_bands order by 1, 2").fetchall() == bands


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 2**56 - 1), min_size=neardup.BANDS, max_size=neardup.BANDS), max_size=40),
       st.booleans(), st.booleans())
def test_keys_sorted_band_by_band_are_the_keys_sorted(rows, banded, few):
    """_sort_keys (each band sorted on its own) gives what one stable sort of all the keys gives,
    and still does for keys not led by their band number."""
    import numpy as np

    table = np.array(rows, dtype=np.int64).reshape(len(rows), neardup.BANDS)
    if few:
        table %= 3  # many equal keys: a stable order is needed
    if banded:
        table |= np.arange(neardup.BANDS, dtype=np.int64)[None, :] << 56
    order = np.argsort(table.ravel(), kind="stable")
    keys, owners = neardup._sort_keys(table)
    assert keys.tolist() == table.ravel()[order].tolist() and owners.tolist() == (order // neardup.BANDS).tolist()


def test_fragments_written_without_indexing_are_caught_up_by_the_next_ingest(tmp_path):
    db, expected, bands = _bulk_inserted_archive(tmp_path)
    result = run("ingest", db, "-", input="A new paste that has nothing to do with the seeds at all, long enough.\n")
    assert result.exit_code == 0
    conn = sqlite3.connect(db)
    got = conn.execute("select * from near_duplicates order by 1, 2").fetchall()
    assert [r[:4] for r in got] == [r[:4] for r in expected]
    assert set(bands) <= set(conn.execute("select * from fragment_bands").fetchall())


@pytest.mark.parametrize("how", [{"chunk": 7, "bulk": False}, {"chunk": 7, "bulk": True}, {"bulk": True}],
                         ids=["small chunks", "one pass, small reads", "one pass"])
def test_chunking_or_one_pass_does_not_change_the_result(tmp_path, how):
    db, expected, bands = _bulk_inserted_archive(tmp_path)
    database = open_db(db)
    conn = database.conn
    conn.execute("BEGIN IMMEDIATE")
    result = neardup.index_pending(conn, "2024-01-01T00:00:00+00:00", **how)
    conn.execute("COMMIT")
    assert result.pairs == len(expected) and result.indexed == conn.execute("select count(*) from fragments").fetchone()[0]
    assert [r[:4] for r in conn.execute("select * from near_duplicates order by 1, 2")] == [r[:4] for r in expected]
    assert conn.execute("select * from fragment_bands order by 1, 2").fetchall() == bands


def test_changed_band_parameters_rebuild_the_index(tmp_path):
    db = tmp_path / "archive.db"
    run("ingest", db, SEEDS)
    conn = sqlite3.connect(db)
    bands = conn.execute("select * from fragment_bands order by 1, 2").fetchall()
    conn.execute("update neardup_index set value = 'an older scheme' where name = 'params'")
    conn.execute("insert into fragment_bands values (42, 'stale')")
    conn.commit()
    conn.close()
    assert run("ingest", db, "-", input="Something else entirely, long enough to be indexed as well.\n").exit_code == 0
    conn = sqlite3.connect(db)
    assert conn.execute("select value from neardup_index where name = 'params'").fetchone()[0] == neardup.PARAMS
    now = set(conn.execute("select * from fragment_bands").fetchall())
    assert set(bands) <= now and (42, "stale") not in now


def test_signatures_are_stable_and_similar_texts_share_bands():
    a = neardup.fold("Elections in Majilis and Maslikhats on party lists took place on January 10 from 7.00 to 20.00.")
    b = neardup.fold("Recall, the elections in Majilis on party lists took place on January 10 from 7.00 to 20.00.")
    c = neardup.fold("A completely different sentence about the weather in Almaty this week, nothing else.")
    ka, kb, kc = neardup.band_keys(__import__("numpy").stack([neardup.signature(t) for t in (a, b, c)])).tolist()
    assert ka == neardup.band_keys(neardup.signature(a)[None, :]).tolist()[0]  # deterministic
    assert set(ka) & set(kb) and not set(ka) & set(kc)
    assert all(k >> 56 == band for band, k in enumerate(ka))  # the band number is the key's top byte


def test_batch_signatures_equal_one_by_one():
    """neardup.signatures (all texts at once, numpy) gives exactly datasketch's MinHash of each text."""
    import numpy as np

    texts = [neardup.fold(t) for t in (
        "Elections in Majilis and Maslikhats on party lists took place on January 10 from 7.00 to 20.00.",
        "Выборы в Мажилис прошли 10 января; наблюдатели ОБСЕ отметили нарушения 🧵",
        "abc", "abcde", "x" * 40, "défenseurs des droits humains au Kazakhstan, 2/5",
    )]
    assert np.array_equal(neardup.signatures(texts), np.stack([neardup.signature(t) for t in texts]))
    assert np.array_equal(neardup.signatures(texts[:1]), neardup.signature(texts[0])[None, :])


def test_permutations_are_datasketchs():
    """neardup draws the affine32 permutations itself (no datasketch import); they are datasketch's."""
    import numpy as np
    from datasketch import MinHash

    a, b = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED, scheme="affine32").permutations
    ours = neardup._permutations()
    assert np.array_equal(ours[0], a.astype(np.uint32)) and np.array_equal(ours[1], b.astype(np.uint32))


def test_a_very_long_text_is_signed_in_slices_to_the_same_signature(monkeypatch):
    import numpy as np

    text = neardup.fold(" ".join(SEED_FILES[3].read_text(encoding="utf-8").split()))
    whole = neardup.signatures([text, "short one here", text[:500]])
    monkeypatch.setattr(neardup, "LONG_CHARS", 97)  # every text but the short one is sliced
    assert np.array_equal(neardup.signatures([text, "short one here", text[:500]]), whole)
    assert np.array_equal(whole[0], neardup.signature(text))


def test_one_pass_over_a_backlog_matches_ingest_by_ingest(tmp_path):
    """A backlog indexed in one pass on top of an indexed archive gives what chunked indexing gives."""
    from archive_helpers import make_dumps

    dumps = make_dumps(tmp_path / "dumps", 12)
    db = tmp_path / "archive.db"
    for p in [*dumps, *SEED_FILES]:  # the seeds' near pairs fall in the later half
        assert run("ingest", db, p).exit_code == 0
    conn = sqlite3.connect(db)
    expected = conn.execute("select fragment_a, fragment_b, similarity from near_duplicates order by 1, 2").fetchall()
    bands = conn.execute("select * from fragment_bands order by 1, 2").fetchall()
    (middle,) = conn.execute("select max(rowid) / 2 from fragments").fetchone()
    conn.execute("delete from fragment_bands where fragment_id in (select id from fragments where rowid > ?)", [middle])
    conn.execute("delete from near_duplicates")
    conn.execute("update neardup_index set value = ? where name = 'indexed_rowid'", [str(middle)])
    conn.commit()
    conn.close()
    database = open_db(db)
    database.conn.execute("BEGIN IMMEDIATE")
    neardup.index_pending(database.conn, "2024-01-01T00:00:00+00:00", bulk=True)
    database.conn.execute("COMMIT")
    got = database.execute("select fragment_a, fragment_b, similarity from near_duplicates order by 1, 2").fetchall()
    later = {r[0] for r in database.execute("select id from fragments where rowid > ?", [middle])}
    assert got == [p for p in expected if p[0] in later or p[1] in later] and len(got) >= 2
    assert database.execute("select * from fragment_bands order by 1, 2").fetchall() == bands


@pytest.mark.parametrize("how", [{"chunk": 7, "bulk": False}, {"chunk": 7, "bulk": True}, {"bulk": True}],
                         ids=["small chunks", "one pass, small reads", "one pass"])
def test_the_projections_index_is_the_public_archives_on_every_path(tmp_path, how):
    """The public projection's own index (neardup.PUBLIC: the public fragments in pub_fragments.seq
    order) holds the pairs of the archive of the public sources alone; made again for its later half
    chunk by chunk or in one pass, on top of the first half, it holds the same pairs and keys."""
    from archive_helpers import make_dumps

    dumps = make_dumps(tmp_path / "dumps", 12)
    # a private copy of a seed, archived first: its texts are the archive's before the public ones
    witness = tmp_path / "witness.txt"
    witness.write_text(SEED_FILES[2].read_text(encoding="utf-8") + "\nA private note.\n", encoding="utf-8")
    db, alone = tmp_path / "archive.db", tmp_path / "alone.db"
    assert run("ingest", db, witness, "--private").exit_code == 0
    for p in [*dumps, *SEED_FILES]:
        assert run("ingest", db, p).exit_code == 0 and run("ingest", alone, p).exit_code == 0
    conn = sqlite3.connect(db)
    expected = conn.execute("select fragment_a, fragment_b, similarity from pub_near_duplicates order by 1, 2").fetchall()
    other = sqlite3.connect(alone)
    assert expected == other.execute("select fragment_a, fragment_b, similarity from near_duplicates"
                                     " order by 1, 2").fetchall() and len(expected) >= 3
    assert conn.execute("select * from pub_fragment_bands order by 1, 2").fetchall() == \
        other.execute("select * from fragment_bands order by 1, 2").fetchall()
    other.close()
    bands = conn.execute("select * from pub_fragment_bands order by 1, 2").fetchall()
    (middle,) = conn.execute("select max(seq) / 2 from pub_fragments").fetchone()
    later = "select f.id from pub_fragments p join fragments f on f.rowid = p.fragment_rowid where p.seq > ?"
    conn.execute(f"delete from pub_fragment_bands where fragment_id in ({later})", [middle])
    conn.execute("delete from pub_near_duplicates")
    conn.execute("update neardup_index set value = ? where name = 'pub_indexed_seq'", [str(middle)])
    conn.commit()
    conn.close()
    database = open_db(db)
    database.conn.execute("BEGIN IMMEDIATE")
    result = neardup.index_public(database.conn, "2024-01-01T00:00:00+00:00", **how)
    database.conn.execute("COMMIT")
    got = database.execute("select fragment_a, fragment_b, similarity from pub_near_duplicates order by 1, 2").fetchall()
    ids = {r[0] for r in database.execute(later, [middle])}
    assert got == [p for p in expected if p[0] in ids or p[1] in ids] and result.pairs == len(got) >= 2
    assert database.execute("select * from pub_fragment_bands order by 1, 2").fetchall() == bands


def _cluster_texts(copies: int = 40) -> list[str]:
    """`copies` edits of one report (a word replaced, a tag added): a cluster whose band keys are
    shared by all of them, as copies of a viral post are."""
    import random

    rng = random.Random(5)
    words = ("Observers of the OSCE mission reported that the count at polling station 214 in Almaty was"
             " stopped for two hours on January 10 and resumed after they had been asked to leave").split()
    texts = []
    for i in range(copies):
        w = list(words)
        w[rng.randrange(1, len(w))] = rng.choice(["quietly", "later", "again", "reportedly", "twice"])
        texts.append(" ".join(w) + f" #{i}")
    return texts


def _reindexed(tmp_path, name: str, texts: list[str], first: int, **how) -> tuple[list, list, int]:
    """texts ingested, the index then rebuilt: the first `first` fragments chunk by chunk, the rest `how`;
    returns (near pairs, band rows, candidates verified by the second step)."""
    db = tmp_path / f"{name}.db"
    assert run("ingest", db, "-", input="\n\n".join(texts) + "\n").exit_code == 0
    database = open_db(db)
    conn = database.conn
    conn.execute("delete from near_duplicates")
    conn.execute("delete from fragment_bands")
    conn.execute("update neardup_index set value = '0' where name = 'indexed_rowid'")
    conn.execute("BEGIN IMMEDIATE")
    if first:
        rows = conn.execute("select id, text from fragments where rowid <= ? order by rowid", [first]).fetchall()
        result = neardup.IndexResult()
        neardup._index_chunk(conn, rows, "2024-01-01T00:00:00+00:00", result)
        conn.execute("update neardup_index set value = ? where name = 'indexed_rowid'", [str(first)])
    result = neardup.index_pending(conn, "2024-01-01T00:00:00+00:00", **how)
    conn.execute("COMMIT")
    pairs = conn.execute("select fragment_a, fragment_b, similarity from near_duplicates order by 1, 2").fetchall()
    bands = conn.execute("select * from fragment_bands order by 1, 2").fetchall()
    database.conn.close()
    return pairs, bands, result.candidates


@pytest.mark.parametrize("first", [0, 17])
def test_a_popular_band_key_meets_at_most_key_cap_fragments_the_same_way_on_every_path(tmp_path, monkeypatch, first):
    """A key shared by more than KEY_CAP fragments pairs each one with the KEY_CAP lowest ids before it,
    whether the archive is indexed chunk by chunk or in one pass, on an empty index or on top of one."""
    monkeypatch.setattr(neardup, "KEY_CAP", 3)
    texts = _cluster_texts()
    runs = {name: _reindexed(tmp_path, name, texts, first, **how) for name, how in
            {"chunks": {"chunk": 7, "bulk": False}, "one pass, small reads": {"chunk": 7, "bulk": True},
             "one pass": {"bulk": True}}.items()}
    (pairs, bands, candidates), *others = runs.values()
    assert all(o[:2] == (pairs, bands) for o in others)
    keys = {}
    for key, _ in bands:
        keys[key] = keys.get(key, 0) + 1
    assert max(keys.values()) > 3 * 5  # the cap is exercised: keys shared by many copies
    # bounded work: the same cluster indexed without a cap verifies more than twice as many candidates
    monkeypatch.setattr(neardup, "KEY_CAP", len(texts))
    uncapped = _reindexed(tmp_path, "uncapped", texts, first, bulk=True)[2]
    assert all(2 * c < uncapped for *_, c in runs.values()), (uncapped, [c for *_, c in runs.values()])
    # ... and the cluster stays one: every copy is linked, through stored pairs, to every other
    group = {t: t for t in {a for a, _, _ in pairs} | {b for _, b, _ in pairs}}

    def root(x):
        while group[x] != x:
            x = group[x]
        return x

    for a, b, _ in pairs:
        group[root(a)] = root(b)
    assert len(group) == len(texts) and len({root(x) for x in group}) == 1


@pytest.mark.parametrize("first", [0, 17])
def test_a_fragment_with_more_candidates_than_allowed_gets_the_same_ones_on_every_path(tmp_path, monkeypatch, first):
    """Past MAX_CANDIDATES a fragment is verified against its best candidates (most shared bands, then
    the lowest ids): chunk by chunk and in one pass they are the same ones, and so are the pairs."""
    monkeypatch.setattr(neardup, "KEY_CAP", 100)
    monkeypatch.setattr(neardup, "MAX_CANDIDATES", 4)
    texts = _cluster_texts()
    runs = {name: _reindexed(tmp_path, name, texts, first, **how) for name, how in
            {"chunks": {"chunk": 7, "bulk": False}, "one pass": {"bulk": True}}.items()}
    (pairs, bands, candidates), *others = runs.values()
    assert all(o == (pairs, bands, candidates) for o in others)
    # the limit binds: fragment k of the cluster has k earlier copies, at most 4 of them verified
    assert candidates == sum(min(k, 4) for k in range(first, len(texts)))


def test_a_cluster_within_the_cap_is_compared_pair_by_pair(tmp_path, monkeypatch):
    """The control: KEY_CAP + 1 copies (each meets at most KEY_CAP before it): every pair is verified;
    each copy keeps its pairs with the PARTNER_CAP closest copies before it, or all of them uncapped."""
    from archiver import dedupe

    size = neardup.KEY_CAP + 1
    pairs, _, candidates = _reindexed(tmp_path, "all", _cluster_texts(size), 0, bulk=True)
    assert candidates == size * (size - 1) // 2
    assert len(pairs) == sum(min(k, dedupe.PARTNER_CAP) for k in range(size))
    monkeypatch.setattr(dedupe, "PARTNER_CAP", size)
    every = _reindexed(tmp_path, "uncapped", _cluster_texts(size), 0, bulk=True)[0]
    assert len(every) == size * (size - 1) // 2 and set(pairs) < set(every)
    # the copies kept are the closest: no pair left out is closer than the farthest its later copy kept
    rowid = dict(connect(tmp_path / "all.db").execute("select id, rowid from fragments"))
    kept: dict[str, list[float]] = {}
    for a, b, sim in pairs:
        kept.setdefault(max((a, b), key=rowid.get), []).append(sim)
    for a, b, sim in set(every) - set(pairs):
        assert sim <= min(kept[max((a, b), key=rowid.get)])


def test_a_fragment_id_standing_for_another_text_is_refused_not_merged(tmp_path):
    """Lookups go by fragment id (the hash's first 16 digits); should an id ever stand for a text
    with another hash, the new text is refused with a message instead of joining the wrong fragment."""
    db = tmp_path / "archive.db"
    text = "Observers reported that the count at polling station 214 was stopped for two hours."
    assert run("ingest", db, "-", input=text + "\n").exit_code == 0
    conn = sqlite3.connect(db)
    conn.execute("update fragments set hash = ? where hash = ?", ["f" * 64, content_hash(text)])
    conn.commit()
    conn.close()
    result = run("ingest", db, "-", input="  " + text + "  \n\n")  # other bytes, the same text
    assert result.exit_code != 0 and "already stands for another text" in result.output + (result.stderr or "")
    assert connect(db).execute("select count(*) from sources").fetchone()[0] == 1


@pytest.mark.parametrize("bulk", [False, True], ids=["one source", "bulk"])
def test_a_new_row_whose_key_is_taken_stops_the_ingest_instead_of_being_ignored(tmp_path, monkeypatch, bulk):
    """New fragments and threads go in with `insert or ignore` (no statement journal), their keys
    looked up first; should a key be taken all the same, the ingest stops and stores nothing of the
    source rather than skip the row."""
    import archiver.store as store

    db = tmp_path / "archive.db"
    text = "Observers reported that the count at polling station 214 was stopped for two hours."
    assert run("ingest", db, "-", input=text + "\n").exit_code == 0
    monkeypatch.setattr(store, "find_known_fragments", lambda conn, hashes: [])  # the lookup misses it
    paths = []
    for i in range(2 if bulk else 1):
        paths.append(tmp_path / f"dump{i}.txt")
        paths[-1].write_text(" " * (i + 1) + text + "\n\n")  # other bytes, the same text
    result = run("ingest", db, *paths)
    assert result.exit_code != 0 and "already in the archive" in result.output + (result.stderr or "")
    assert connect(db).execute("select count(*) from sources").fetchone()[0] == 1
    assert connect(db).execute("select count(*) from fragments").fetchone()[0] == 1


def test_one_pass_over_a_backlog_whose_keys_are_all_distinct(tmp_path):
    """A backlog in which no two fragments share a band key (a single long line, a few unrelated
    posts) is indexed in one pass like any other: its keys stored, no pairs."""
    db = tmp_path / "archive.db"
    assert run("ingest", db, "-", input="A single paragraph, long enough to be banded for near duplicates.\n").exit_code == 0
    database = open_db(db)
    conn = database.conn
    bands = conn.execute("select * from fragment_bands order by 1, 2").fetchall()
    conn.execute("delete from fragment_bands")
    conn.execute("update neardup_index set value = '0' where name = 'indexed_rowid'")
    conn.execute("BEGIN IMMEDIATE")
    result = neardup.index_pending(conn, "2024-01-01T00:00:00+00:00", bulk=True)
    conn.execute("COMMIT")
    assert (result.banded, result.pairs) == (1, 0) and len(bands) == neardup.BANDS
    assert conn.execute("select * from fragment_bands order by 1, 2").fetchall() == bands


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcde ", min_size=1, max_size=60), st.text(alphabet="abcde ", min_size=1, max_size=60))
def test_a_pair_ruled_out_by_its_lengths_never_reaches_the_threshold(a, b):
    """The one pass skips pairs whose folded lengths differ by more than the threshold allows
    (min / max below t / (2 - t)); the bound is exact: no such pair scores at the threshold."""
    bound = NEAR_THRESHOLD / (2 - NEAR_THRESHOLD)
    if min(len(a), len(b)) < bound * max(len(a), len(b)):
        assert neardup.similarity_folded(a, b) == 0.0


def test_the_one_pass_reads_no_text_for_a_pair_its_lengths_rule_out(tmp_path, monkeypatch):
    """Candidates are chosen as on the chunk path, then those whose lengths cannot reach the
    threshold are dropped before their texts are fetched: the long text is never read."""
    from array import array

    import numpy as np

    base = "Observers at polling station 214 reported that the count was stopped for two hours"
    texts = [base, base + " tonight.", base + " and then " + "resumed under police watch " * 6]
    conn = sqlite3.connect(tmp_path / "t.db")
    conn.execute("create table fragments (id text primary key, text text)")
    conn.executemany("insert into fragments values (?, ?)", [(f"f{i:015d}", t) for i, t in enumerate(texts)])
    fetched: list = []
    real = neardup._fetch
    monkeypatch.setattr(neardup, "_fetch",
                        lambda c, column, values, *rest: fetched.extend(values) or real(c, column, values, *rest))
    ids = [f"f{i:015d}" for i in range(3)]
    lengths = np.array([len(neardup.fold(t)) for t in texts], dtype=np.int32)
    result = neardup.IndexResult()
    pairs = neardup._verify(conn, np.array([1, 2]), np.array([0, 0]), np.array([3, 1]), array("q", [1, 2, 3]),
                            ids, [], "now", result, lengths)
    assert result.candidates == 2 and sorted(fetched) == [1, 2]  # rowids of texts 0 and 1 only
    assert [(a, b) for a, b, *_ in pairs] == [(ids[0], ids[1])]
