"""Strict alignment precision/recall/F1 of zhen against a length-only Gale-Church baseline.

Usage: python benchmarks/align_eval.py [--sets mac,news,seeds] [--no-glossary] [--no-embeddings]
                                       [--speed N]

Gold sets
- mac:   ../shared/data/mac-dev (6 novel chapters, gold links; read in place, never copied)
- news:  documents built from ../shared/data/wmt22-general-zhen: consecutive lines form
         paragraphs (the English side splits some paragraphs further, as Xinhua's English does),
         a few lines are dropped on one side only (1-0/0-1 links) and some neighbouring lines are
         merged on one side (1-2/2-1 links); the line pairs are then recovered.
- seeds: tests/gold/NNN.{zh,en,align} hand-checked golds of the Xinhua seeds, with and without
         the glossary (glossary/xinhua.tsv) as anchors.

Strict scores count a test link as right only if the identical link is in the gold (1-0 and 0-1
links included): precision over test links, recall over gold links, micro-averaged per set.
"Pairs/s" is (zh sentences + en sentences) / 2 per second of alignment, models already loaded.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO / "src"))

from zhen.aligner import align_sentences, read_align_links  # noqa: E402
from zhen.aligner.links import Link  # noqa: E402
from zhen.models import Term  # noqa: E402


@dataclass
class GoldDoc:
    """One document of a gold set: its sentences, gold links and (optional) paragraph ids."""

    name: str
    zh: list[str]
    en: list[str]
    gold: list[Link]
    zh_paragraphs: list[int] | None = None
    en_paragraphs: list[int] | None = None


@dataclass
class Score:
    """Running strict counts and timing for one system on one gold set."""

    correct: int = 0
    test: int = 0
    gold: int = 0
    seconds: float = 0.0
    pairs: float = 0.0
    missed: list[str] = field(default_factory=list)

    def add(self, test: Sequence[Link], gold: Sequence[Link], seconds: float, pairs: float) -> None:
        self.correct += len(set(test) & set(gold))
        self.test += len(test)
        self.gold += len(gold)
        self.seconds += seconds
        self.pairs += pairs

    def row(self) -> tuple[float, float, float, float]:
        precision = self.correct / self.test if self.test else 0.0
        recall = self.correct / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1, self.pairs / self.seconds if self.seconds else 0.0


# ------------------------------------------------------------------------------- the baseline


def gale_church(zh: Sequence[str], en: Sequence[str]) -> list[Link]:
    """Length-only Gale & Church (1993) with their bead priors; characters on both sides."""
    zh_len = [len("".join(s.split())) for s in zh]
    en_len = [len(s) for s in en]
    ratio = sum(en_len) / max(sum(zh_len), 1)
    variance = 6.8 * ratio  # Gale-Church's s² scaled to the character ratio of this pair
    priors = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2,
              (1, 2): 0.089 / 2, (2, 2): 0.011}  # fmt: skip
    penalty = {bead: -math.log(p) for bead, p in priors.items()}

    def match_cost(z: int, e: int) -> float:
        if z == 0 and e == 0:
            return 0.0
        mean = (z + e / ratio) / 2
        delta = (e - z * ratio) / math.sqrt(max(mean, 1) * variance)
        tail = max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12)
        return -math.log(tail)

    n, m = len(zh), len(en)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for (a, b), prior in penalty.items():
                if i < a or j < b or cost[i - a][j - b] == inf:
                    continue
                z = sum(zh_len[i - a : i])
                e = sum(en_len[j - b : j])
                c = cost[i - a][j - b] + prior + (match_cost(z, e) if a and b else 0.0)
                if c < cost[i][j]:
                    cost[i][j] = c
                    back[i][j] = (a, b)
    links: list[Link] = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]  # type: ignore[misc]
        links.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return links[::-1]


# ------------------------------------------------------------------------------- gold sets


def mac_dev() -> list[GoldDoc]:
    root = SHARED / "mac-dev"
    docs = []
    for gold in sorted((root / "gold").glob("*.align")):
        name = gold.stem
        zh = (root / "zh" / name).read_text(encoding="utf-8").splitlines()
        en = (root / "en" / name).read_text(encoding="utf-8").splitlines()
        docs.append(GoldDoc(f"mac/{name}", zh, en, read_align_links(gold.read_text())))
    return docs


def news_docs(doc_lines: int = 150) -> list[GoldDoc]:
    """News-style documents from WMT22 line pairs with deletions, merges and paragraphs."""
    root = SHARED / "wmt22-general-zhen"
    zh_lines = (root / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").splitlines()
    en_lines = (root / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    rng = random.Random(2022)
    docs = []
    for start in range(0, len(zh_lines), doc_lines):
        zh_src, en_src = zh_lines[start : start + doc_lines], en_lines[start : start + doc_lines]
        docs.append(_perturb(f"news/{start // doc_lines:02d}", zh_src, en_src, rng))
    return docs


def _perturb(name: str, zh_src: list[str], en_src: list[str], rng: random.Random) -> GoldDoc:
    zh: list[str] = []
    en: list[str] = []
    zh_par: list[int] = []
    en_par: list[int] = []
    gold: list[Link] = []
    paragraph = en_paragraph = 0
    left_in_paragraph = 0
    k = 0
    while k < len(zh_src):
        if left_in_paragraph == 0:
            paragraph += 1
            en_paragraph += 1
            left_in_paragraph = rng.randint(2, 5)
        elif rng.random() < 0.25:  # English starts a new paragraph inside a Chinese one
            en_paragraph += 1
        left_in_paragraph -= 1
        roll = rng.random()
        can_merge = k + 1 < len(zh_src) and left_in_paragraph > 0
        if roll < 0.03:  # line only in Chinese
            gold.append(((len(zh),), ()))
            zh.append(zh_src[k])
            zh_par.append(paragraph)
            k += 1
        elif roll < 0.06:  # line only in English
            gold.append(((), (len(en),)))
            en.append(en_src[k])
            en_par.append(en_paragraph)
            k += 1
        elif roll < 0.12 and can_merge:  # two Chinese lines rendered as one English sentence
            gold.append(((len(zh), len(zh) + 1), (len(en),)))
            zh.extend(zh_src[k : k + 2])
            zh_par.extend([paragraph, paragraph])
            en.append(en_src[k] + " " + en_src[k + 1])
            en_par.append(en_paragraph)
            left_in_paragraph -= 1
            k += 2
        elif roll < 0.18 and can_merge:  # one Chinese sentence split into two in English
            gold.append(((len(zh),), (len(en), len(en) + 1)))
            zh.append(zh_src[k] + zh_src[k + 1])
            zh_par.append(paragraph)
            en.extend(en_src[k : k + 2])
            en_par.extend([en_paragraph, en_paragraph])
            left_in_paragraph -= 1
            k += 2
        else:
            gold.append(((len(zh),), (len(en),)))
            zh.append(zh_src[k])
            en.append(en_src[k])
            zh_par.append(paragraph)
            en_par.append(en_paragraph)
            k += 1
    return GoldDoc(name, zh, en, gold, zh_par, en_par)


def seed_docs() -> list[GoldDoc]:
    docs = []
    for gold in sorted((REPO / "tests" / "gold").glob("*.align")):
        zh = gold.with_suffix(".zh").read_text(encoding="utf-8").splitlines()
        en = gold.with_suffix(".en").read_text(encoding="utf-8").splitlines()
        docs.append(GoldDoc(f"seed/{gold.stem}", zh, en, read_align_links(gold.read_text())))
    return docs


def glossary_terms() -> list[Term]:
    """Approved terms of glossary/xinhua.tsv (the glossary package's reader when it exists)."""
    path = REPO / "glossary" / "xinhua.tsv"
    if not path.exists():
        return []
    try:
        from zhen.glossary import load_terms_file

        return [t for t in load_terms_file(path) if t.status == "approved"]
    except ImportError:  # the glossary package has not landed: read the TSV minimally
        terms = []
        for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
            cells = (line.split("\t") + [""] * 7)[:7]
            zh, en, variants, _forbidden, status = cells[:5]
            if zh and en and status in ("", "approved"):
                terms.append(Term(zh, en, [v.strip() for v in variants.split("|") if v.strip()]))
        return terms


# ------------------------------------------------------------------------------- running


Aligner = Callable[[GoldDoc], list[Link]]


def zhen_aligner(*, embeddings: bool, terms: Sequence[Term] = ()) -> Aligner:
    def run(doc: GoldDoc) -> list[Link]:
        beads = align_sentences(
            doc.zh,
            doc.en,
            zh_paragraph_ids=doc.zh_paragraphs,
            en_paragraph_ids=doc.en_paragraphs,
            terms=terms,
            embeddings=embeddings,
        )
        return [(b.zh, b.en) for b in beads]

    return run


def evaluate(docs: Sequence[GoldDoc], aligner: Aligner) -> Score:
    score = Score()
    for doc in docs:
        started = time.perf_counter()
        test = aligner(doc)
        elapsed = time.perf_counter() - started
        score.add(test, doc.gold, elapsed, (len(doc.zh) + len(doc.en)) / 2)
    return score


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="mac,news,seeds", help="comma list: mac,news,seeds")
    parser.add_argument("--no-glossary", action="store_true", help="skip the glossary comparison")
    parser.add_argument(
        "--no-embeddings", action="store_true", help="skip the (slower) embedding runs"
    )
    parser.add_argument(
        "--speed", type=int, default=5000, metavar="N", help="time an N-sentence document (0: skip)"
    )
    args = parser.parse_args(argv)
    wanted = set(args.sets.split(","))
    sets: list[tuple[str, list[GoldDoc]]] = []
    if "mac" in wanted and (SHARED / "mac-dev").exists():
        sets.append(("MAC-Dev", mac_dev()))
    if "news" in wanted and (SHARED / "wmt22-general-zhen").exists():
        sets.append(("WMT22 news docs", news_docs()))
    if "seeds" in wanted:
        sets.extend((f"Xinhua {doc.name}", [doc]) for doc in seed_docs())
    if not sets:
        print("no gold sets found", file=sys.stderr)
        return 2
    # Load the dictionary and the embedding model before timing anything.
    align_sentences(["你好。"], ["Hello."], embeddings=not args.no_embeddings)
    terms = [] if args.no_glossary else glossary_terms()
    systems: list[tuple[str, Aligner]] = []
    if not args.no_embeddings:
        systems.append(("zhen", zhen_aligner(embeddings=True)))
    systems.append(("zhen --no-embeddings", zhen_aligner(embeddings=False)))
    systems.append(("Gale-Church (length only)", gale_church_aligner))
    header = (
        f"{'gold set':<18} {'system':<34} {'links':>6} {'P':>6} {'R':>6} {'F1':>6} {'pairs/s':>8}"
    )
    print(header)
    print("-" * len(header))
    for set_name, docs in sets:
        runs = list(systems)
        if set_name.startswith("Xinhua") and terms:
            if not args.no_embeddings:
                runs.append(
                    (
                        f"zhen + glossary ({len(terms)} terms)",
                        zhen_aligner(embeddings=True, terms=terms),
                    )
                )
            runs.append(("zhen --no-emb + glossary", zhen_aligner(embeddings=False, terms=terms)))
        gold_links = sum(len(d.gold) for d in docs)
        for system_name, aligner in runs:
            precision, recall, f1, speed = evaluate(docs, aligner).row()
            print(
                f"{set_name:<18} {system_name:<34} {gold_links:>6} "
                f"{precision:6.3f} {recall:6.3f} {f1:6.3f} {speed:8.0f}",
                flush=True,
            )
    if args.speed and (SHARED / "wmt22-general-zhen").exists():
        speed_table(args.speed, embeddings=not args.no_embeddings)
    return 0


def speed_table(sentences: int, *, embeddings: bool) -> None:
    """Time one long document (WMT22 lines, repeated) end to end, one process, models loaded."""
    root = SHARED / "wmt22-general-zhen"
    zh_lines = (root / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").splitlines()
    en_lines = (root / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    repeat = sentences // len(zh_lines) + 1
    zh, en = (zh_lines * repeat)[:sentences], (en_lines * repeat)[:sentences]
    del zh[sentences // 3], en[2 * sentences // 3]  # one omission on each side
    runs = [("zhen", True)] if embeddings else []
    runs.append(("zhen --no-embeddings", False))
    for name, use_embeddings in runs:
        started = time.perf_counter()
        beads = align_sentences(zh, en, embeddings=use_embeddings)
        elapsed = time.perf_counter() - started
        diagonal = sum(1 for b in beads if len(b.zh) == len(b.en) == 1)
        print(
            f"{'long doc':<18} {name:<34} {len(zh):>6} {elapsed:7.1f}s "
            f"{len(zh) / elapsed:8.0f} pairs/s  ({diagonal} 1-1 beads)",
            flush=True,
        )


def gale_church_aligner(doc: GoldDoc) -> list[Link]:
    return gale_church(doc.zh, doc.en)


if __name__ == "__main__":
    raise SystemExit(main())
