"""Issue F: every encoding a pasted dump arrives in is detected, decoded, recorded, and kept exactly.

Each case is written to a file, archived with `archiver ingest`, and read back from the source
row: the decoded content, the recorded encoding and repair, and the original bytes (sources.raw
when stored, else the content encoded with the recorded encoding) byte for byte.
"""

from __future__ import annotations

import codecs
import json
import sqlite3

import pytest
from ftfy import bad_codecs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from archive_helpers import ingest_bytes, original_bytes, run, run_subprocess, sha256

assert bad_codecs  # importing it registers sloppy-windows-1252, used below to make real mojibake

RUSSIAN = (
    "Центральная избирательная комиссия объявила предварительные итоги выборов в Мажилис.\n"
    "По данным наблюдателей, в нескольких регионах были зафиксированы нарушения: вбросы бюллетеней, "
    "давление на членов участковых комиссий и препятствия для независимых наблюдателей.\n"
    "\n"
    "«Правозащитники потребовали пересчёта голосов на участках, где явка превысила девяносто процентов», — "
    "сообщил корреспондент агентства. Курс тенге за неделю упал на 3%.\n"
)
KAZAKH = (
    "Қазақстан Республикасы сайлау нәтижелері жарияланды.\n"
    "Орталық сайлау комиссиясының мәліметінше, дауыс беруге сайлаушылардың жартысынан көбі қатысты. "
    "Бақылаушылар бірнеше учаскеде заң бұзушылықтарды тіркеді.\n"
    "\n"
    "Құқық қорғаушылар дауыстарды қайта санауды талап етті.\n"
)
FRENCH = (
    "La pression des ONG est endommagée à l'image internationale du Kazakhstan - l'UE\n"
    "\n"
    "Almaty. 2 février. KAZTAG - La pression sur les organisations non gouvernementales sape l'image "
    "internationale du Kazakhstan, a déclaré le représentant officiel de l'Union européenne.\n"
    "« Récemment, plusieurs organisations des droits de l'homme opérant au Kazakhstan ont été exposées "
    "à une pression accrue des autorités du pays », a-t-il précisé. Les activités d'au moins trois "
    "organisations ont été suspendues pendant trois mois.\n"
)
FRENCH_WINDOWS = FRENCH.replace("'", "\u2019").replace(" - ", " \u2013 ")  # curly quotes: cp1252 only
CYRILLIC = RUSSIAN + "\n" + KAZAKH

# name -> (bytes on disk, expected text, expected encoding, expected repair starts with)
CASES = {
    "utf-8": (CYRILLIC.encode("utf-8"), CYRILLIC, "utf-8", None),
    "utf-8 with BOM": (codecs.BOM_UTF8 + CYRILLIC.encode("utf-8"), CYRILLIC, "utf-8-sig", None),
    "utf-16 LE with BOM": (codecs.BOM_UTF16_LE + CYRILLIC.encode("utf-16-le"), CYRILLIC, "utf-16", None),
    "utf-16 BE with BOM": (codecs.BOM_UTF16_BE + CYRILLIC.encode("utf-16-be"), CYRILLIC, "utf-16", None),
    "utf-16 LE without BOM": (CYRILLIC.encode("utf-16-le"), CYRILLIC, "utf-16-le", None),
    "utf-16 BE without BOM": (KAZAKH.encode("utf-16-be"), KAZAKH, "utf-16-be", None),
    "cp1251 Russian": (RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251", None),
    "kz1048 Kazakh": (KAZAKH.encode("kz1048"), KAZAKH, "kz1048", None),
    "latin-1 French": (FRENCH.encode("latin-1"), FRENCH, "iso8859-1", None),
    "cp1252 French": (FRENCH_WINDOWS.encode("cp1252"), FRENCH_WINDOWS, "cp1252", None),
    # UTF-8 text once read as cp1252 and saved again as UTF-8: `Ð¢ÐµÐ½Ð³Ðµ` for `Тенге`.
    "mojibake": (CYRILLIC.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"), CYRILLIC, "utf-8", "ftfy"),
    "mojibake French": (FRENCH.encode("utf-8").decode("latin-1").encode("utf-8"), FRENCH, "utf-8", "ftfy"),
    # Valid UTF-8 with one bad byte pair (an overlong `/`) or a stray continuation byte inside a word:
    # UTF-8 still, the bad bytes marked U+FFFD (issue J.5; it used to be read whole as GB18030).
    "utf-8 with a bad byte pair": (RUSSIAN.encode("utf-8").replace("избирательная".encode(), "избира".encode()
                                   + b"\xc0\xaf" + "тельная".encode()),
                                   RUSSIAN.replace("избирательная", "избира\ufffd\ufffdтельная"), "utf-8", "utf-8 with 2"),
    "utf-8 with a stray byte": (CYRILLIC.encode("utf-8").replace("наблюдателей".encode(), "наблюда".encode()
                                + b"\x80" + "телей".encode(), 1),
                                CYRILLIC.replace("наблюдателей", "наблюда\ufffdтелей", 1), "utf-8", "utf-8 with 1"),
}


@pytest.mark.parametrize("case", CASES)
def test_detected_decoded_recorded_and_kept(tmp_path, case):
    data, text, encoding, repair = CASES[case]
    row = ingest_bytes(tmp_path, data)
    assert row["content"] == text
    assert row["encoding"] == encoding
    if repair is None:
        assert row["repair"] is None
    else:
        assert row["repair"] and row["repair"].startswith(repair)
        assert row["raw"] is not None, "a repaired source must keep its raw bytes"
    assert row["sha256"] == sha256(data)
    assert row["bytes"] == len(data)
    assert original_bytes(row) == data


@pytest.mark.parametrize("case", ["utf-8", "utf-8 with BOM", "utf-16 LE with BOM", "utf-16 BE without BOM",
                                  "cp1251 Russian", "kz1048 Kazakh", "latin-1 French", "cp1252 French"])
def test_lossless_decodings_keep_no_duplicate_raw_copy(tmp_path, case):
    data, text, encoding, _ = CASES[case]
    row = ingest_bytes(tmp_path, data)
    assert row["raw"] is None
    assert row["content"].encode("utf-8") != data or encoding == "utf-8"
    assert original_bytes(row) == data


def test_big_endian_utf16_keeps_raw_bytes(tmp_path):
    data = CASES["utf-16 BE with BOM"][0]
    row = ingest_bytes(tmp_path, data)
    assert bytes(row["raw"]) == data


def test_mojibake_tenge_is_repaired(tmp_path):
    data = "Курс: 1 доллар = 450 Ð¢ÐµÐ½Ð³Ðµ, сообщает Нацбанк Казахстана.\n".encode("utf-8")
    row = ingest_bytes(tmp_path, data)
    assert "450 Тенге" in row["content"]
    assert row["repair"].startswith("ftfy")
    assert bytes(row["raw"]) == data


def test_legitimate_accents_are_not_repaired(tmp_path):
    row = ingest_bytes(tmp_path, FRENCH.encode("utf-8"))
    assert row["repair"] is None and row["content"] == FRENCH


def test_parse_reports_encoding_and_repair(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    moj = tmp_path / "moj.txt"
    moj.write_bytes(CASES["mojibake"][0])
    result = run("parse", path, moj, "--json")
    assert result.exit_code == 0, result.output
    sources = json.loads(result.stdout)["sources"]
    assert [(s["name"], s["encoding"]) for s in sources] == [("ru.txt", "cp1251"), ("moj.txt", "utf-8")]
    assert sources[0]["repair"] is None and sources[1]["repair"].startswith("ftfy")
    assert sources[0]["sha256"] == sha256(RUSSIAN.encode("cp1251"))


def test_cp1251_paste_on_standard_input(tmp_path):
    db = tmp_path / "archive.db"
    proc = run_subprocess("ingest", db, "-", input=RUSSIAN.encode("cp1251"))
    assert proc.returncode == 0, proc.stderr.decode()
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    row = conn.execute("select * from sources").fetchone()
    assert (row["kind"], row["encoding"], row["content"]) == ("paste", "cp1251", RUSSIAN)
    assert original_bytes(row) == RUSSIAN.encode("cp1251")


def test_every_encoding_in_one_archive_verifies(tmp_path):
    folder = tmp_path / "dumps"
    folder.mkdir()
    for i, (data, _, _, _) in enumerate(CASES.values()):
        (folder / f"{i:02d}.txt").write_bytes(data)
    db = tmp_path / "archive.db"
    result = run("ingest", db, folder)
    assert result.exit_code == 0, result.output
    assert f"sources: {len(CASES)} new" in result.stdout
    verified = run("verify", db)
    assert verified.exit_code == 0, verified.output


def test_mojibake_prefilter_never_hides_what_ftfy_would_fix():
    """sources.may_be_mojibake looks only around non-ASCII characters; it must be True whenever
    ftfy's heuristic is (else a mojibake repair would be skipped)."""
    import random

    from ftfy.badness import is_bad

    from archiver.sources import may_be_mojibake

    clean = [RUSSIAN, KAZAKH, "Zhovtis, défenseurs des droits — “quoted” · 3/10 🧵 ⠀ naïve café", "plain ascii 1/2"]
    mangled = [t.encode("utf-8").decode(enc, errors="ignore") for t in clean
               for enc in ("sloppy-windows-1252", "latin-1", "cp1251", "mac_roman", "cp437")]
    rng = random.Random(5)
    pieces = [t[a:a + rng.randint(1, 60)] for t in clean + mangled for a in rng.sample(range(len(t)), min(len(t), 40))]
    for text in clean + mangled + pieces + ["Ã ", "x Ã ", "ГўВЂВ\u009dx", "Â·", "vo\u00edl\u00e0"]:
        assert may_be_mojibake(text) or not is_bad(text), repr(text)
    assert not may_be_mojibake("long ascii text " * 1000 + "naïve")


def test_damaged_utf8_is_searchable(tmp_path):
    """The words around a bad byte pair are stored as written, so search finds them (this text was
    read whole as GB18030: `小褍写 芯褕褌褉邪褎...`)."""
    text = ("Суд оштрафовал активистов за участие в мирном собрании у здания суда.\n\n"
            "Центральная избирательная комиссия объявила предварительные итоги выборов.\n")
    data = text.encode("utf-8").replace("оштрафовал".encode(), "оштраф".encode() + b"\xc0\xaf" + "овал".encode())
    row = ingest_bytes(tmp_path, data)
    assert row["content"] == text.replace("оштрафовал", "оштраф\ufffd\ufffdовал")
    conn = sqlite3.connect(tmp_path / "archive.db")
    for word in ("Суд", "активистов", "Центральная", "выборов"):
        assert conn.execute("select count(*) from fragments_fts where fragments_fts match ?", [word]).fetchone()[0]
    assert run("verify", tmp_path / "archive.db").exit_code == 0


def test_text_that_is_not_mostly_utf8_still_goes_to_detection():
    """One valid UTF-8 sequence inside cp1251 text does not make it UTF-8."""
    from archiver.sources import decode_bytes, damaged_utf8

    data = RUSSIAN.encode("cp1251") + "Курс".encode("utf-8")
    assert damaged_utf8([data]) is None
    assert decode_bytes(data)[1] == "cp1251"
    assert damaged_utf8([RUSSIAN.encode("utf-8")]) is None  # valid: nothing damaged


# Words of several scripts (1- to 4-byte UTF-8): none of them looks like mojibake to ftfy.
_letters = st.one_of(
    st.characters(min_codepoint=0x61, max_codepoint=0x7a),
    st.characters(min_codepoint=0x430, max_codepoint=0x44f),
    st.characters(min_codepoint=0x3b1, max_codepoint=0x3c9),
    st.characters(min_codepoint=0x4e00, max_codepoint=0x4fff),
    st.characters(min_codepoint=0xe0, max_codepoint=0xfe).filter(str.isalpha),
    st.characters(min_codepoint=0x1f600, max_codepoint=0x1f64f),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_letters, min_size=1, max_size=10), min_size=1, max_size=60),
       st.lists(st.tuples(st.integers(0, 10**6), st.integers(0x80, 0xFF)), min_size=1, max_size=3))
def test_damaged_utf8_keeps_every_untouched_word(words, damage):
    """Valid UTF-8 text with a few bytes overwritten by non-ASCII bytes (a few: at most one per 20
    non-ASCII bytes of the text) decodes with every word whose bytes were not touched intact."""
    from archiver.sources import decode_bytes

    text = " ".join(words) + "\n"
    raw = bytearray(text.encode("utf-8"))
    assume(sum(b >= 0x80 for b in raw) >= 20 * len(damage))
    spans, pos = [], 0
    for w in words:
        spans.append((pos, pos + len(w.encode("utf-8"))))
        pos = spans[-1][1] + 1
    hit = set()
    for where, byte in damage:
        hit.add(where % len(raw))
        raw[where % len(raw)] = byte
    decoded, encoding, repair = decode_bytes(bytes(raw))
    assert encoding == "utf-8"
    try:
        bytes(raw).decode("utf-8")
    except UnicodeDecodeError:  # (an overwritten continuation byte may still be valid UTF-8)
        assert repair and repair.startswith("utf-8 with"), repair
    for w, (a, b) in zip(words, spans):
        if not any(a <= i < b for i in hit):
            assert w in decoded, (w, decoded, encoding)
