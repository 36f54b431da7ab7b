"""Near-duplicate pairs grow linearly with a cluster: each text keeps its PARTNER_CAP closest earlier
twins (and a text with none its first later twin), on the archive's index and in `archiver parse`."""

from __future__ import annotations

import json
import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from archive_helpers import connect, run
from archiver import dedupe, neardup
from archiver.dedupe import MIN_CHARS, NEAR_THRESHOLD, PARTNER_CAP, choose_partners

TEMPLATES = [
    "On {date} the {city} court fined {name} {amount} tenge for {offence}.",
    "On {date} {name} was detained in {city} after {event} and fined.",
    "On {date} the {city} court jailed {name} for {days} days for {offence}.",
]
NAMES = ["Aigerim", "Nurlan", "Dana", "Yerlan", "Saule", "Marat", "Gulnara", "Askar", "Zhanna", "Timur"]
SURNAMES = ["Nurlanova", "Seitkali", "Abenov", "Omarov", "Kassymova", "Tulegenov", "Iskakova", "Bekova"]
CITIES = ["Almaty", "Astana", "Shymkent", "Aktobe", "Karaganda", "Taraz", "Pavlodar", "Semey", "Atyrau"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def templated(count: int, seed: int = 3) -> list[str]:
    """`count` paragraphs of a court-report bot: three templates, their slots filled at random."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        out.append(rng.choice(TEMPLATES).format(
            date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2019, 2024)}", city=rng.choice(CITIES),
            name=f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}", amount=f"{rng.randint(5, 90) * 5000:,}",
            offence=rng.choice(["a picket", "a post", "a rally", "a banner", "a video"]),
            event=rng.choice(["a picket", "a rally", "a post", "a march"]), days=rng.randint(3, 30)))
    return out


def dump(texts: list[str]) -> str:
    """Paragraphs two blank lines apart: each one a post of its own."""
    return "\n\n\n".join(texts) + "\n"


def near_twins(texts: list[str]) -> list[int]:
    """For each text, how many of the others are near it (the archive's measure), all pairs compared."""
    folded = [neardup.fold(t) for t in texts]
    scores = process.cdist(folded, folded, scorer=fuzz.ratio, score_cutoff=NEAR_THRESHOLD * 100, workers=-1)
    return ((scores > 0).sum(axis=1) - 1).tolist()


def _ingested(db, texts: list[str]) -> tuple[dict[str, str], list[tuple[str, str]], int]:
    """texts ingested in one dump: (fragment id by text, the stored pairs, the pairs the ingest reported)."""
    result = run("ingest", db, "-", "--json", input=dump(texts))
    assert result.exit_code == 0, result.output
    conn = connect(db)
    ids = dict(conn.execute("select text, id from fragments"))
    pairs = conn.execute("select fragment_a, fragment_b from near_duplicates").fetchall()
    return ids, pairs, json.loads(result.output)["fragments"]["near_duplicates"]


def test_templated_paragraphs_keep_at_most_partner_cap_pairs_each_and_every_twin_a_partner(tmp_path, monkeypatch):
    """2,000 templated paragraphs, each near hundreds of others: at most PARTNER_CAP pairs per
    fragment are stored (every verified pair: more than five per fragment), and every fragment that
    is in a pair when all verified pairs are kept is in a stored pair."""
    texts = templated(2000)
    ids, pairs, reported = _ingested(tmp_path / "capped.db", texts)
    assert len(ids) == len(set(texts)) and reported == len(pairs)
    assert len(pairs) <= PARTNER_CAP * len(ids)
    twins = near_twins(list(ids))
    assert sum(t > 0 for t in twins) > 1900  # the generator makes a cluster: nearly every text has twins
    monkeypatch.setattr(dedupe, "PARTNER_CAP", len(texts))
    _, every, _ = _ingested(tmp_path / "uncapped.db", texts)
    assert len(every) > 5 * len(ids)
    assert {f for pair in pairs for f in pair} == {f for pair in every for f in pair}
    assert set(pairs) < set(every)
    # the pairs kept are near ones, with their exact similarity
    conn = connect(tmp_path / "capped.db")
    for a, b, sim in conn.execute("select n.fragment_a, n.fragment_b, n.similarity from near_duplicates n limit 200"):
        ta, tb = (conn.execute("select text from fragments where id = ?", [f]).fetchone()[0] for f in (a, b))
        assert sim == round(neardup.similarity_folded(neardup.fold(ta), neardup.fold(tb)), 4) >= NEAR_THRESHOLD


def test_the_pairs_kept_do_not_depend_on_how_the_texts_were_split_into_ingests(tmp_path, monkeypatch):
    """The choice depends only on the fragments before (and a text's first later twin): four ingests
    in a row (chunk by chunk), and one bulk ingest of eight files (one pass at its end, the workers'
    band keys, candidates verified in a second thread), store the same pairs as one ingest of the
    same paragraphs in the same order."""
    texts = templated(800, seed=9)
    whole, parts, files = tmp_path / "whole.db", tmp_path / "parts.db", tmp_path / "files.db"
    assert run("ingest", whole, "-", input=dump(texts)).exit_code == 0
    for k in range(4):
        assert run("ingest", parts, "-", input=dump(texts[k * 200:(k + 1) * 200])).exit_code == 0
    folder = tmp_path / "dumps"
    folder.mkdir()
    for k in range(8):
        (folder / f"{k}.txt").write_text(dump(texts[k * 100:(k + 1) * 100]), encoding="utf-8")
    monkeypatch.setattr(neardup, "BULK_BACKLOG", 100)  # 800 fragments take the one pass
    passes, readers = [], []
    real_verify, real_index = neardup._verify, neardup.index_pending
    monkeypatch.setattr(neardup, "_verify", lambda *a, **kw: passes.append(1) or real_verify(*a, **kw))
    monkeypatch.setattr(neardup, "index_pending", lambda *a, **kw: readers.append(kw.get("reader")) or real_index(*a, **kw))
    assert run("ingest", files, folder).exit_code == 0
    assert len(passes) == 1 and any(readers)  # one pass, verified on a reader connection of its own
    got = [connect(db).execute("select f.text, g.text, n.similarity from near_duplicates n"
                               " join fragments f on f.id = n.fragment_a join fragments g on g.id = n.fragment_b"
                               " order by 1, 2").fetchall() for db in (whole, parts, files)]
    assert got[0] == got[1] == got[2] and len(got[0]) > len(texts)


def _planted(rng: random.Random, text: str) -> str | None:
    """An edited copy of `text` (a prefix, a word dropped or replaced, a tag) at or above the threshold."""
    for _ in range(20):
        words = text.split()
        op = rng.random()
        if op < 0.3:
            words.insert(0, rng.choice(["Recall,", "UPDATE:", "Breaking:", "RT"]))
        elif op < 0.6:
            del words[rng.randrange(1, len(words))]
        elif op < 0.8:
            words[rng.randrange(len(words))] = rng.choice(["reportedly", "again", "today", "quietly"])
        else:
            words.append(rng.choice(["#Kazakhstan", "(via @monitor)", "Please share."]))
        copy = " ".join(words)
        if copy != text and neardup.similarity_folded(neardup.fold(text), neardup.fold(copy)):
            return copy
    return None


def test_planted_near_duplicates_are_still_found_inside_and_outside_a_templated_cluster(tmp_path):
    """Recall on a small generated set: 1,500 distinct texts (random sentences) and 1,500 templated
    paragraphs, 80 edited copies of either kind planted among them in two later dumps; at least 95%
    of the planted (original, copy) pairs are stored, in either cluster."""
    rng = random.Random(17)
    vocab = ("the court police officers activists reported detained fined rally picket station city district"
             " observers election count votes protest statement lawyer appeal hearing sentence days prison"
             " journalist video post arrest released charged warned organiser march square morning evening").split()
    plain = []
    while len(plain) < 1500:
        t = " ".join(rng.choice(vocab) for _ in range(rng.randint(9, 16))).capitalize() + "."
        if len(t) >= MIN_CHARS:
            plain.append(t)
    cluster = templated(1500, seed=5)
    originals = plain + cluster
    rng.shuffle(originals)
    planted = []
    for i in rng.sample(range(len(originals)), 120):
        copy = _planted(rng, originals[i])
        if copy and copy not in originals and len(planted) < 80:
            planted.append((originals[i], copy))
    db = tmp_path / "archive.db"
    assert run("ingest", db, "-", input=dump(originals)).exit_code == 0
    copies = [c for _, c in planted]
    for half in (copies[:40], copies[40:]):
        assert run("ingest", db, "-", input=dump(half)).exit_code == 0
    conn = connect(db)
    ids = dict(conn.execute("select text, id from fragments"))
    stored = {tuple(r) for r in conn.execute("select fragment_a, fragment_b from near_duplicates")}
    found = [tuple(sorted((ids[a], ids[b]))) in stored for a, b in planted]
    in_cluster = [f for (a, _), f in zip(planted, found) if a in set(cluster)]
    assert len(planted) == 80 and len(in_cluster) >= 20
    assert sum(found) / len(found) >= 0.95, (sum(found), len(found))
    assert sum(in_cluster) / len(in_cluster) >= 0.95
    assert conn.execute("select count(*) from near_duplicates").fetchone()[0] <= PARTNER_CAP * len(ids)


def test_parse_json_duplicates_of_templated_paragraphs_grow_linearly(tmp_path, monkeypatch):
    """`archiver parse --json` caps its near pairs the same way: 2,000 templated paragraphs give at
    most PARTNER_CAP near pairs per text (uncapped: more than four), and every part the uncapped
    search pairs is in a pair."""
    path = tmp_path / "templated.txt"
    path.write_text(dump(templated(2000, seed=4)), encoding="utf-8")
    result = run("parse", path, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    near = [d for d in doc["duplicates"] if d["kind"] == "near"]
    refs = [(t["id"], p["n"]) for t in doc["threads"] for p in t["parts"]]
    texts = [p["text"] for t in doc["threads"] for p in t["parts"]]
    assert len(texts) == 2000 and len(near) <= PARTNER_CAP * len(texts)
    monkeypatch.setattr(dedupe, "PARTNER_CAP", len(texts))
    uncapped = list(dedupe.near_pairs(texts))
    assert len(uncapped) > 4 * len(texts)  # the cap binds
    assert {tuple(p) for d in near for p in d["parts"]} == {refs[k] for i, j, _ in uncapped for k in (i, j)}


def _reference(pairs: list[tuple[int, int, float, int]], codes: int, stored: set[int], cap: int) -> set[int]:
    """choose_partners spelled out: pairs (later, earlier, closeness, tie) in order of later."""
    keep: set[int] = set()
    own: dict[int, list[int]] = {}
    for k, (later, *_rest) in enumerate(pairs):
        own.setdefault(later, []).append(k)
    for later, ks in own.items():
        keep.update(sorted(ks, key=lambda k: (-pairs[k][2], pairs[k][3]))[:cap])
    for code in range(codes):
        if code in own or code in stored:
            continue
        met = [k for k, p in enumerate(pairs) if p[1] == code]
        if met:
            keep.add(min(met, key=lambda k: pairs[k][0]))
    return keep


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.sampled_from([0.8, 0.85, 0.9, 0.95])),
                max_size=60),
       st.sets(st.integers(0, 11)), st.integers(1, 4), st.lists(st.integers(1, 60), max_size=4))
def test_choose_partners_keeps_the_closest_earlier_twins_and_one_pair_for_every_text(raw, stored, cap, cuts):
    """choose_partners against its definition, its pairs given at once or in batches: each text its
    `cap` closest earlier twins (ties: the lower id rank), and a text with no earlier twin and no
    stored pair the pair with its first later twin; at most `cap` pairs are charged to any text."""
    seen, pairs = set(), []
    for a, b, closeness in raw:
        if a != b and (max(a, b), min(a, b)) not in seen:
            seen.add((max(a, b), min(a, b)))
            pairs.append((max(a, b), min(a, b), closeness, (min(a, b) * 7) % 12))  # tie: a rank of the id
    pairs.sort(key=lambda p: p[0])
    expected = _reference(pairs, 12, stored, cap)
    later, earlier, closeness, tie = (np.array(c) for c in zip(*pairs)) if pairs else (np.zeros(0, np.int64),) * 4
    asked: list[int] = []

    def lookup(codes: np.ndarray) -> np.ndarray:
        asked.extend(codes.tolist())
        return np.array([c in stored for c in codes.tolist()], dtype=bool)

    assert set(choose_partners(later, earlier, closeness, tie, np.zeros(12, bool), lookup, cap=cap).tolist()) == expected
    # in batches cut between two texts, the same array carried from one to the next
    starts = [k for k in range(1, len(pairs)) if pairs[k][0] != pairs[k - 1][0]]
    bounds = [0, *sorted({starts[c % len(starts)] for c in cuts} if starts else ()), len(pairs)]
    linked, got = np.zeros(12, bool), set()
    for lo, hi in zip(bounds, bounds[1:]):
        kept = choose_partners(later[lo:hi], earlier[lo:hi], closeness[lo:hi], tie[lo:hi], linked, lookup, cap=cap)
        got.update((kept + lo).tolist())
    assert got == expected
    assert len(expected) <= cap * 12
    assert set(asked) <= {p[1] for p in pairs}  # only texts met as an earlier twin are looked up
