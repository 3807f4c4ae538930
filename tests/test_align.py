"""The sentence aligner on real excerpts: bead types, invariants, glossary anchors, link format."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support import REPO_ROOT, third_party
from zhen.aligner import Bead, align_sentences, read_align_links, write_align_links
from zhen.errors import AlignmentError
from zhen.models import Term

GOLD = REPO_ROOT / "tests" / "gold"


def wmt_lines(start: int, count: int) -> tuple[list[str], list[str]]:
    folder = third_party("data", "wmt22-general-zhen")
    zh = (folder / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").splitlines()
    en = (folder / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    return zh[start : start + count], en[start : start + count]


def links(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.zh, b.en) for b in beads]


def assert_invariants(beads: list[Bead], n_zh: int, n_en: int) -> None:
    assert [i for b in beads for i in b.zh] == list(range(n_zh))
    assert [j for b in beads for j in b.en] == list(range(n_en))
    assert all(0.0 <= b.score <= 1.0 for b in beads)
    assert all(b.zh or b.en for b in beads)


def test_links_round_trip_and_bad_lines() -> None:
    beads = [
        Bead((0, 1), (0,), 0.9),
        Bead((2,), (), 0.0),
        Bead((), (1,), 0.0),
        Bead((3,), (2, 3), 1),
    ]
    text = write_align_links(beads)
    assert text == "[0,1]:[0]\n[2]:[]\n[]:[1]\n[3]:[2,3]\n"
    assert read_align_links(text) == links(beads)
    assert read_align_links("[0]:[0]:0.93\n\n[1, 2]:[1]\n") == [((0,), (0,)), ((1, 2), (1,))]
    with pytest.raises(AlignmentError, match="line 2"):
        read_align_links("[0]:[0]\n0-0\n")


def test_seed_004_gold() -> None:
    zh = (GOLD / "004.zh").read_text(encoding="utf-8").splitlines()
    en = (GOLD / "004.en").read_text(encoding="utf-8").splitlines()
    gold = read_align_links((GOLD / "004.align").read_text(encoding="utf-8"))
    beads = align_sentences(zh, en)
    assert_invariants(beads, len(zh), len(en))
    correct = set(links(beads)) & set(gold)
    assert len(correct) >= 0.85 * len(gold)
    # The headline and the dateline sentence are unambiguous and confidently paired.
    assert beads[0].zh == (0,) and beads[0].en == (0,)
    assert beads[1].score > 0.5


def context(zh: list[str], en: list[str], middle_zh: list[str], middle_en: list[str]):
    """Six real pairs, the construct under test, six more real pairs."""
    return zh[:6] + middle_zh + zh[6:], en[:6] + middle_en + en[6:]


# WMT22 lines 40-55 are news sentences of ordinary length; 0-11 below index into this excerpt.
@pytest.mark.parametrize(
    ("kind", "build", "expected"),
    [
        ("1-1", lambda z, e: ([z[12]], [e[12]]), ((6,), (6,))),
        ("1-0", lambda z, e: ([z[12]], []), ((6,), ())),
        ("0-1", lambda z, e: ([], [e[12]]), ((), (6,))),
        ("1-2", lambda z, e: ([z[12] + z[13]], [e[12], e[13]]), ((6,), (6, 7))),
        ("2-1", lambda z, e: ([z[12], z[13]], [e[12] + " " + e[13]]), ((6, 7), (6,))),
        ("1-3", lambda z, e: (["".join(z[12:15])], e[12:15]), ((6,), (6, 7, 8))),
        ("3-1", lambda z, e: (z[12:15], [" ".join(e[12:15])]), ((6, 7, 8), (6,))),
        ("2-2", lambda z, e: (z[12:14], [e[13], e[12]]), ((6, 7), (6, 7))),  # order swapped
    ],
)
def test_each_bead_type_where_it_belongs(kind: str, build, expected) -> None:
    zh_all, en_all = wmt_lines(40, 16)
    middle_zh, middle_en = build(zh_all, en_all)
    zh, en = context(zh_all[:12], en_all[:12], middle_zh, middle_en)
    beads = align_sentences(zh, en)
    assert_invariants(beads, len(zh), len(en))
    assert expected in links(beads), f"{kind} bead missing: {write_align_links(beads)}"
    bead = next(b for b in beads if (b.zh, b.en) == expected)
    assert bead.kind == kind
    if bead.zh and bead.en:
        assert bead.score > 0.3
    else:
        assert bead.score == 0.0  # unaligned sentences never pass a score filter


def test_deterministic_and_paragraph_ids() -> None:
    zh, en = wmt_lines(100, 30)
    zh_par = [i // 4 for i in range(len(zh))]
    en_par = [i // 3 for i in range(len(en))]
    first = align_sentences(zh, en, zh_paragraph_ids=zh_par, en_paragraph_ids=en_par)
    second = align_sentences(zh, en, zh_paragraph_ids=zh_par, en_paragraph_ids=en_par)
    assert first == second
    assert links(first) == [((i,), (i,)) for i in range(30)]
    with pytest.raises(AlignmentError, match="paragraph ids"):
        align_sentences(zh, en, zh_paragraph_ids=[0, 1])


def test_empty_side_leaves_everything_unaligned() -> None:
    zh, _ = wmt_lines(0, 3)
    beads = align_sentences(zh, [])
    assert links(beads) == [((0,), ()), ((1,), ()), ((2,), ())]
    assert align_sentences([], []) == []


def test_glossary_terms_add_evidence() -> None:
    # Seed 000: 同志加兄弟 is the Xinhua set phrase "camaraderie plus brotherhood"; CC-CEDICT
    # has no entry for it, so only the glossary knows the two sides say the same thing.
    zh = ["赓续“越中情谊深、同志加兄弟”的传统友谊。", "越方坚定奉行一个中国政策。"]
    en = [
        "carry forward the profound traditional friendship featuring"
        ' "camaraderie plus brotherhood."',
        "Vietnam firmly adheres to the one-China policy.",
    ]
    term = Term("同志加兄弟", "camaraderie plus brotherhood", variants=["comrades plus brothers"])
    plain = align_sentences(zh, en, embeddings=False)
    anchored = align_sentences(zh, en, embeddings=False, terms=[term])
    assert links(anchored) == [((0,), (0,)), ((1,), (1,))]
    # The same single pair scores higher once the glossary vouches for it.
    alone = align_sentences(zh[:1], en[:1], embeddings=False)[0].score
    assert align_sentences(zh[:1], en[:1], embeddings=False, terms=[term])[0].score > alone
    # A rejected term is no evidence.
    rejected = Term("同志加兄弟", "camaraderie plus brotherhood", status="rejected")
    assert align_sentences(zh, en, embeddings=False, terms=[rejected]) == plain


def test_mac_dev_excerpt() -> None:
    root = third_party("data", "mac-dev")
    gold = read_align_links((root / "gold" / "001.align").read_text(encoding="utf-8"))[:40]
    zh_end, en_end = max(i for z, _ in gold for i in z) + 1, max(j for _, e in gold for j in e) + 1
    zh = (root / "zh" / "001").read_text(encoding="utf-8").splitlines()[:zh_end]
    en = (root / "en" / "001").read_text(encoding="utf-8").splitlines()[:en_end]
    beads = align_sentences(zh, en)
    assert_invariants(beads, len(zh), len(en))
    assert len(set(links(beads)) & set(gold)) >= 0.8 * len(gold)


@pytest.mark.slow
def test_long_document_keeps_the_diagonal() -> None:
    """2,000+ sentences (banded multi-resolution search) with omissions on both sides."""
    zh_lines, en_lines = wmt_lines(0, 1875)
    zh, en = list(zh_lines), list(en_lines)
    del zh[700]  # English line 700 has no Chinese
    del en[1200]  # Chinese line 1200 (now 1199) has no English
    zh, en = zh + zh_lines[:300], en + en_lines[:300]
    beads = align_sentences(zh, en, embeddings=False)
    assert_invariants(beads, len(zh), len(en))
    got = set(links(beads))
    assert ((), (700,)) in got
    # Dictionary evidence alone (no embeddings here) leaves some short chat lines ("好的" / "OK")
    # unpaired and may absorb the lone zh line into a 2-1 bead, but it must not drift.
    assert sum(1 for b in beads if not b.zh or not b.en) <= 0.01 * len(beads)
    expected = [((i,), (i,)) for i in range(0, 700)] + [((i,), (i + 1,)) for i in range(700, 1199)]
    expected += [((i,), (i,)) for i in range(1200, 1874)]
    assert len(got & set(expected)) >= 0.9 * len(expected)


# PYTHONHASHSEED is fixed when an interpreter starts: each seed needs its own process.
@pytest.mark.subprocess
def test_same_links_in_fresh_processes_whatever_the_hash_seed() -> None:
    """`zhen build` must be byte-identical: no set order or salted hash may leak into scores."""
    script = (
        "import sys\n"
        "from zhen.aligner import align_sentences, write_align_links\n"
        "from zhen.models import Term\n"
        f"zh = open({str(GOLD / '000.zh')!r}, encoding='utf-8').read().splitlines()\n"
        f"en = open({str(GOLD / '000.en')!r}, encoding='utf-8').read().splitlines()\n"
        "terms = [Term('同志加兄弟', 'camaraderie plus brotherhood'), Term('越共', 'CPV')]\n"
        "beads = align_sentences(zh, en, embeddings=False, terms=terms)\n"
        "sys.stdout.write(write_align_links(beads) + repr([b.score for b in beads]))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
        )
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith("[")


def test_glossary_never_splits_a_correct_merge() -> None:
    """Seed 004: 习近平祝贺…表示相信… is two English sentences; the gold is [2]:[2,3].

    The rendering of 两个一百年 sits in the second English sentence only, and 习近平总书记 /
    越南共产党 are rendered in the English ("Xi", "CPV") but not named in the Chinese. Once the
    glossary's evidence was a cosine over per-sentence term bags, such one-sided hits diluted
    the merged block and the glossary turned [2]:[2,3] into [2]:[3] + []:[2].
    """
    zh = (GOLD / "004.zh").read_text(encoding="utf-8").splitlines()[:6]
    en = (GOLD / "004.en").read_text(encoding="utf-8").splitlines()[:7]
    paragraphs = {"zh_paragraph_ids": [0, 1, 2, 2, 3, 3], "en_paragraph_ids": list(range(7))}
    terms = [
        Term(
            "习近平总书记", "General Secretary Xi", variants=["Xi", "General Secretary Xi Jinping"]
        ),
        Term("越南共产党", "Communist Party of Vietnam (CPV)", variants=["CPV"]),
        Term("通电话", "phone talks"),
        Term("社会主义事业", "cause of socialism"),
        Term("两个一百年", "two goals set for the centenary of the party and the country"),
    ]
    plain = align_sentences(zh, en, **paragraphs)
    anchored = align_sentences(zh, en, **paragraphs, terms=terms)
    assert ((2,), (2, 3)) in links(plain)
    assert links(anchored) == links(plain)
    # The glossary still vouches for the merge: its confidence rises.
    merged = next(b for b in anchored if b.zh == (2,))
    assert merged.score > next(b for b in plain if b.zh == (2,)).score


def test_progress_moves_while_embedding() -> None:
    zh = (GOLD / "004.zh").read_text(encoding="utf-8").splitlines()
    en = (GOLD / "004.en").read_text(encoding="utf-8").splitlines()
    calls: list[tuple[int, int]] = []
    align_sentences(
        zh, en, embeddings=True, progress=lambda done, total: calls.append((done, total))
    )
    assert {total for _, total in calls} == {len(zh)}
    assert calls[-1] == (len(zh), len(zh))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    # The embedding reports too (the search alone reports only row 0 and the end here).
    assert any(0 < done < len(zh) for done, _ in calls)
