"""The eval-set generator (benchmarks/corpus.py): its gold is right by construction, for every noise family."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

pytestmark = pytest.mark.skipif(not corpus.PAPERTWEET.exists(), reason="needs ../shared/corpora")

SEEDS = (1, 2, 3)
COUNT = 60
# sha256 of the file names and bytes that the generator at main 560df26 wrote for `corpus.py OUT 12 7`
CLASSIC_12_7 = "98a03cba120935fc43bc7c79c05316f7f8d1fb34da12f9501911ad187f4f8f54"
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩０１２３４５６７８９／", "0123456789" "0123456789/")
HEADER = re.compile(r"(?:^|\s)@([A-Za-z0-9_]+)(?: · \w+(?: \d+)?)?$")
# where each style puts its marker: (which line, pattern); a pattern's groups are (n, total or None)
WHERE = {
    "lead": ("first", r"(\d+)/(\d+) "), "bracket": ("first", r"\[(\d+)/(\d+)\] "),
    "slash": ("first", r"(\d+)/() "), "part": ("first", r"Part (\d+)/(\d+): "), "of": ("first", r"(\d+) of (\d+) "),
    "arabic": ("first", r"(\d+)/(\d+) "), "fullwidth": ("first", r"(\d+)/(\d+) "),
    "line_before": ("first", r"(\d+)/(\d+)$"), "bare": ("first", r"(\d+)()$"),
    "trail": ("last", r".* (\d+)/(\d+)$"), "paren_after": ("last", r"\((\d+)/(\d+)\)$"),
    "paren_open": ("last", r".* \((\d+)/()\)$"), "paren_open_line": ("last", r"\((\d+)/()\)$"),
    "own_line_after": ("last", r"(\d+)/(\d+)$"),
    "glued": ("any", r".*[.!?…](\d+)/(\d+)(?: .*)?$"), "glued_n": ("any", r".*[.!?…](\d+)/()n(?: .*)?$"),
}


def _dumps(folder: Path) -> list[tuple[list[str], dict]]:
    out = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        text = gold_path.with_name(gold_path.name[:-len(".gold.json")] + ".txt").read_text(encoding="utf-8")
        assert text.endswith("\n")
        out.append((text[:-1].split("\n"), json.loads(gold_path.read_text(encoding="utf-8"))))
    return out


@pytest.fixture(scope="module")
def eval_sets(tmp_path_factory) -> list[tuple[list[str], dict]]:
    """Dumps and gold of three small sets written through the command line."""
    dumps = []
    for seed in SEEDS:
        out = tmp_path_factory.mktemp(f"seed{seed}")
        assert corpus.main([str(out), str(COUNT), str(seed)]) == 0
        dumps += _dumps(out)
    return dumps


def _spans(part: dict) -> list[list[int]]:
    return [part["lines"]] + part.get("also", [])


def _content(lines: list[str], span: list[int]) -> list[str]:
    return [line for line in lines[span[0] - 1:span[1]] if not corpus.is_blank(line)]


def _marker(style: str, content: list[str]) -> tuple[int, int | None] | None:
    """The (n, total) the style's marker says in a part's lines, or None when the part carries none."""
    if style not in WHERE:
        return None
    where, pattern = WHERE[style]
    if content and re.fullmatch(r"@\w+", content[-1]) and style not in corpus.END_MARKER_STYLES:
        content = content[:-1]  # a trailing @handle line ends the text, after any marker at its start
    lines = {"first": content[:1], "last": content[-1:], "any": content[::-1]}[where]
    for line in lines:
        m = re.match(pattern, line.translate(DIGITS))
        if m:
            return int(m.group(1)), int(m.group(2)) if m.group(2) else None
    return None


def test_every_family_is_rendered(eval_sets):
    seen = {f for _, gold in eval_sets for t in gold["threads"] for f in t.get("families", [])}
    assert set(corpus.FAMILIES) <= seen
    styles = {t.get("style") for _, gold in eval_sets for t in gold["threads"]}
    assert set(corpus.MARKER_STYLES) | set(corpus.NEW_STYLES) <= styles


def test_spans_are_inside_the_dump_in_order_and_never_overlap(eval_sets):
    for lines, gold in eval_sets:
        owner: dict[int, str] = {}
        for t in gold["threads"]:
            assert [p["n"] for p in t["parts"]] == sorted({p["n"] for p in t["parts"]})
            firsts = [p["lines"] for p in t["parts"]]
            assert all(a[1] < b[0] for a, b in zip(firsts, firsts[1:])), (gold["source"], t["key"])
            for p in t["parts"]:
                for lo, hi in _spans(p):
                    assert 1 <= lo <= hi <= len(lines), (gold["source"], t["key"], p)
                    assert not corpus.is_blank(lines[lo - 1]) and not corpus.is_blank(lines[hi - 1])
                    for ln in range(lo, hi + 1):
                        assert ln not in owner, (gold["source"], ln)
                        owner[ln] = t["key"]


def test_also_spans_hold_the_text_of_their_part(eval_sets):
    seen = 0
    for lines, gold in eval_sets:
        for t in gold["threads"]:
            for p in t["parts"]:
                for span in p.get("also", []):
                    assert _content(lines, span) == _content(lines, p["lines"])
                    seen += 1
    assert seen


def test_total_and_missing_are_what_the_thread_declares(eval_sets):
    for lines, gold in eval_sets:
        for t in gold["threads"]:
            present = [p["n"] for p in t["parts"]]
            if t["kind"] == "article" or not t["score_n"]:
                assert t["total"] is None and t["missing"] == [] and present == list(range(1, len(present) + 1))
                continue
            top = t["total"] if t["total"] is not None else max(present)
            assert t["missing"] == [k for k in range(1, top + 1) if k not in present], (gold["source"], t["key"])


def test_the_rendered_markers_say_the_gold_numbers_and_total(eval_sets):
    checked = 0
    for lines, gold in eval_sets:
        for t in gold["threads"]:
            if t["kind"] != "thread" or t.get("style") in (None, "none"):
                continue
            found = [(p["n"], _marker(t["style"], _content(lines, p["lines"]))) for p in t["parts"]]
            marked = [(n, m) for n, m in found if m]
            assert bool(marked) == t["score_n"], (gold["source"], t["key"])  # numbered iff a marker survives
            for n, (mn, mtotal) in marked:
                assert mn == n and mtotal == t["total"], (gold["source"], t["key"], n, mn, mtotal)
                checked += 1
            if t["style"] in ("glued", "glued_n"):  # '2019.3/7' would read as a number, not a marker
                for p in t["parts"]:
                    assert not any(re.search(r"\d\.\d+/", line) for line in _content(lines, p["lines"]))
    assert checked > 500


def test_interleaved_threads_run_across_other_authors_and_stand_under_their_own(eval_sets):
    seen = 0
    for lines, gold in eval_sets:
        labelled = {ln for t in gold["threads"] for p in t["parts"] for lo, hi in _spans(p) for ln in range(lo, hi + 1)}
        for t in gold["threads"]:
            if "interleaved" not in t.get("families", []):
                continue
            seen += 1
            lo, hi = t["parts"][0]["lines"][0], t["parts"][-1]["lines"][1]
            # another author's thread runs across this one, or this one across it
            assert any(o["key"] != t["key"] and o["kind"] == "thread" and "interleaved" in o["families"]
                       and (lo < o["parts"][0]["lines"][0] < hi or o["parts"][0]["lines"][0] < lo < o["parts"][-1]["lines"][1])
                       for o in gold["threads"]), (gold["source"], t["key"])
            for p in t["parts"]:  # the nearest author line above each post names the thread's author
                ln = p["lines"][0] - 1
                names = []
                while ln >= 1 and ln not in labelled:
                    m = HEADER.search(lines[ln - 1])
                    if m and not lines[ln - 1].startswith("Replying to"):
                        names.append(m.group(1))
                    ln -= 1
                assert names and names[0] == t["handle"][1:], (gold["source"], t["key"], p["n"])
    assert seen


def test_junctions_repastes_in_a_row_and_trailing_handles_look_as_their_family_says(eval_sets):
    counts = dict.fromkeys(["junction_closed", "repaste_row", "trailing_handle", "final_nn_between"], 0)
    for lines, gold in eval_sets:
        key_of = {ln: t["key"] for t in gold["threads"] for p in t["parts"] for lo, hi in _spans(p)
                  for ln in range(lo, hi + 1)}
        for t in gold["threads"]:
            fams = t.get("families", [])
            last = t["parts"][-1]
            if "junction_closed" in fams:  # ends on its N/N, and the next thread's text follows on the next line
                counts["junction_closed"] += 1
                assert last["n"] == t["total"] and _marker(t["style"], _content(lines, last["lines"])) == (t["total"],) * 2
                nxt = last["lines"][1] + 1
                assert key_of.get(nxt) not in (None, t["key"]), (gold["source"], t["key"])
            if "repaste_row" in fams:  # the copy comes right after its part: only chrome and gaps between
                counts["repaste_row"] += 1
                in_a_row = [p for p in t["parts"] if p.get("also")
                            and not any(ln in key_of for ln in range(p["lines"][1] + 1, p["also"][0][0]))]
                assert in_a_row, (gold["source"], t["key"])
                if t["layout"] in ("chrome", "chrome_fr", "counts"):  # a copy of the page: the chrome comes along
                    p = in_a_row[0]
                    shift = p["also"][0][0] - p["lines"][0]
                    assert lines[p["lines"][0] - 2:p["lines"][1] + 1] == lines[p["lines"][0] - 2 + shift:p["lines"][1] + 1 + shift]
            if "trailing_handle" in fams:
                counts["trailing_handle"] += 1
                assert any(re.fullmatch(r"@\w+", _content(lines, p["lines"])[-1]) for p in t["parts"])
            if "final_nn_between" in fams:
                counts["final_nn_between"] += 1
                assert any(re.fullmatch(r"\(?(\d+)/\1\)?", lines[ln - 1]) and key_of.get(ln - 1) and key_of.get(ln + 1)
                           for p in t["parts"] for ln in range(p["lines"][0], p["lines"][1] + 1))
    assert all(counts.values()), counts


def test_classic_renders_byte_for_byte_what_it_rendered_before(tmp_path):
    assert corpus.main([str(tmp_path), "12", "7", "--classic"]) == 0
    digest = hashlib.sha256()
    for path in sorted(tmp_path.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert digest.hexdigest() == CLASSIC_12_7
    assert "families" not in (tmp_path / "held-000.gold.json").read_text(encoding="utf-8")


def test_the_same_seed_renders_the_same_set(tmp_path):
    corpus.write_eval_set(tmp_path / "a", 8, 5)
    corpus.write_eval_set(tmp_path / "b", 8, 5)
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


ORACLE = """
import json, sys
gold = json.load(open(sys.argv[-1][:-4] + ".gold.json", encoding="utf-8"))
drop = sys.argv[1] if len(sys.argv) > 2 else None
threads = [{"id": t["key"], "kind": t["kind"], "total": t["total"], "missing": t["missing"],
            "parts": [{"n": p["n"], "line_start": p["lines"][0], "line_end": p["lines"][1], "also": p.get("also", [])}
                      for p in t["parts"]]}
           for t in gold["threads"] if drop not in t.get("families", [])]
print(json.dumps({"threads": threads, "duplicates": []}))
"""


def test_score_families_counts_each_thread_under_each_of_its_families(tmp_path):
    import score_families

    corpus.write_eval_set(tmp_path / "set", 30, 4)
    oracle = tmp_path / "oracle.py"
    oracle.write_text(ORACLE)
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "set").glob("*.gold.json")]
    fams = [t.get("families") or [score_families.NONE] for g in golds for t in g["threads"]]
    tot, tables = score_families.tally([tmp_path / "set"], [sys.executable, str(oracle)], ["style"])
    assert (tot["exact"], tot["threads"], tot["failed"]) == (len(fams), len(fams), 0)
    assert tables["family"]["interleaved"] == [sum("interleaved" in f for f in fams)] * 2
    tot, tables = score_families.tally([tmp_path / "set"], [sys.executable, str(oracle), "interleaved"], [])
    wrong = sum("interleaved" in f for f in fams)
    assert tables["family"]["interleaved"] == [0, wrong] and wrong
    assert tables["family"][score_families.ALL] == [len(fams) - wrong, len(fams)]
    assert "interleaved" in score_families.render(tot, tables)


def test_bare_numbers_number_only_threads_long_enough_to_run_in_sequence():
    import random

    short = corpus.Source("Ann Lee", "Ann_Lee", ["First post.", "Second post."], "", "")
    longer = corpus.Source("Ann Lee", "Ann_Lee", ["First post.", "Second post.", "Third post."], "", "")
    styles = [corpus._plan_thread(src, "T0", "Ann_Lee", random.Random(seed), set()).style
              for seed in range(400) for src in (short, longer)]
    assert "bare" in styles[1::2] and "bare" not in styles[::2]


def test_score_families_pools_folders_and_reuses_its_cache(tmp_path, capsys):
    import score_families

    for seed in (4, 5):
        corpus.write_eval_set(tmp_path / f"set{seed}", 6, seed)
    oracle = tmp_path / "oracle.py"
    oracle.write_text(ORACLE)
    folders = [str(tmp_path / "set4"), str(tmp_path / "set5")]
    cache = tmp_path / "cache"
    assert score_families.main(folders + ["--cache", str(cache), "--", sys.executable, str(oracle)]) == 0
    first = capsys.readouterr().out
    assert len(list(cache.glob("*/*.json"))) == 12
    # a command that cannot run: every figure now comes from the cache
    assert score_families.main(folders + ["--cache", str(cache), "--", str(tmp_path / "missing")]) == 0
    assert capsys.readouterr().out == first
    threads = sum(len(json.loads(p.read_text(encoding="utf-8"))["threads"]) for p in tmp_path.glob("set*/*.gold.json"))
    assert first.startswith(f"exact_thread_rate 1.0000 ({threads}/{threads})")
    assert score_families.main([str(tmp_path / "nowhere"), "--", "true"]) == 2
