"""From files or texts to aligned sentence pairs: read, clean, segment, align."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zhen import aligner
from zhen.errors import InputError, NoEnglishError, SegmentationError
from zhen.io import tmx
from zhen.io.article import (
    Document,
    extract_language,
    require_both_halves,
    split_document,
    split_halves,
)
from zhen.io.output import STDOUT, atomic_output, resolve_output
from zhen.io.spreadsheet import neutralise_cell
from zhen.io.textfile import read_text
from zhen.models import Term, TranslationUnit
from zhen.text.segment import split_en, split_zh

Progress = Callable[[int, int], None]

# Pairs scoring below this are counted as low-confidence in summaries (worth a human look).
LOW_CONFIDENCE = 0.5
OUTPUT_FORMATS = (".tmx", ".tsv", ".align")
# A longer line of --presegmented input is not one sentence (the segmenter cuts sentences at
# segment.ZH_MAX_SENTENCE / EN_MAX_SENTENCE): most likely the option was given by mistake.
PRESEGMENTED_MAX_LINE = 10_000


@dataclass(slots=True)
class AlignedDocument:
    """One aligned document: its sentences on both sides and the beads linking them."""

    name: str
    date: str | None
    zh_sentences: list[str]
    en_sentences: list[str]
    beads: list[aligner.Bead]
    title: str | None = None
    # Paragraphs left out before alignment (stray text in the other language).
    dropped: list[str] = field(default_factory=list)

    def pairs(self, min_score: float = 0.0) -> list[TranslationUnit]:
        """The sentence pairs scoring at least min_score (1-0 and 0-1 beads are not pairs)."""
        units: list[TranslationUnit] = []
        for bead in self.beads:
            if not bead.zh or not bead.en or bead.score < min_score:
                continue
            units.append(
                TranslationUnit(
                    zh="".join(self.zh_sentences[i] for i in bead.zh),
                    en=" ".join(self.en_sentences[j] for j in bead.en),
                    origin=self.name,
                    position=len(units),
                    score=round(bead.score, 4),
                    created_at=self.date,
                    changed_at=self.date,
                )
            )
        return units

    def linked_beads(self) -> list[aligner.Bead]:
        """Beads that pair at least one sentence on each side."""
        return [bead for bead in self.beads if bead.zh and bead.en]

    def summary(self, min_score: float = 0.0) -> AlignmentSummary:
        """Counts for the report printed after aligning."""
        linked = self.linked_beads()
        kept = [bead for bead in linked if bead.score >= min_score]
        pairs = self.pairs(min_score)
        return AlignmentSummary(
            name=self.name,
            zh_sentences=len(self.zh_sentences),
            en_sentences=len(self.en_sentences),
            pairs=len(kept),
            below_min_score=len(linked) - len(kept),
            low_confidence=sum(1 for bead in kept if bead.score < LOW_CONFIDENCE),
            unaligned_zh=len(self.unaligned_zh()),
            unaligned_en=len(self.unaligned_en()),
            mean_score=sum(bead.score for bead in kept) / len(kept) if kept else 0.0,
            duplicates=len(pairs) - len(unique_pairs(pairs)),
        )

    def unaligned_zh(self) -> list[int]:
        """Indices of Chinese sentences the aligner left without an English counterpart."""
        return [i for bead in self.beads if not bead.en for i in bead.zh]

    def unaligned_en(self) -> list[int]:
        """Indices of English sentences the aligner left without a Chinese counterpart."""
        return [j for bead in self.beads if not bead.zh for j in bead.en]


@dataclass(slots=True)
class _Side:
    """Sentences of one language with the paragraph each came from (a soft alignment anchor)."""

    sentences: list[str] = field(default_factory=list)
    paragraph_ids: list[int] = field(default_factory=list)

    def add_paragraph(self, sentences: Sequence[str]) -> None:
        paragraph_id = self.paragraph_ids[-1] + 1 if self.paragraph_ids else 0
        self.sentences.extend(sentences)
        self.paragraph_ids.extend([paragraph_id] * len(sentences))


def align_files(
    zh_path: Path | str,
    en_path: Path | str | None = None,
    *,
    presegmented: bool = False,
    terms: Sequence[Term] = (),
    progress: Progress | None = None,
) -> AlignedDocument:
    """Align a Chinese file with its English version (or a mixed file holding both)."""
    zh_text = read_text(zh_path)
    en_text = read_text(en_path) if en_path is not None else None
    return align_texts(
        zh_text,
        en_text,
        name=document_name(zh_path),
        source=str(zh_path),
        en_source=str(en_path) if en_path is not None else None,
        presegmented=presegmented,
        terms=terms,
        progress=progress,
    )


def document_name(path: Path | str) -> str:
    """The origin recorded for a source file's pairs: its name without .txt (or .zh.txt)."""
    stem = Path(path).stem
    return stem[: -len(".zh")] if stem.endswith(".zh") else stem


def align_texts(
    zh_text: str,
    en_text: str | None,
    *,
    name: str,
    source: str | None = None,
    en_source: str | None = None,
    presegmented: bool = False,
    terms: Sequence[Term] = (),
    progress: Progress | None = None,
) -> AlignedDocument:
    """Align a Chinese text with its English version; en_text None means zh_text is mixed.

    `name` becomes the origin of the pairs; `source` and `en_source` (default: name) name the
    inputs in error messages.

    With presegmented=True every non-blank line is one sentence (blank lines separate
    paragraphs) and nothing is re-segmented or cleaned, so bead indices are line numbers among
    the non-blank lines. Otherwise page chrome is removed, paragraphs are split into sentences,
    and photo captions are aligned with each other after the body.
    """
    source = source or name
    if presegmented:
        _require_sentence_lines(zh_text, source)
        if en_text is not None:
            _require_sentence_lines(en_text, en_source or source)
        aligned = _align_presegmented(zh_text, en_text, source, terms, progress)
        aligned.name = name
        return aligned
    if en_text is None:
        document = split_document(zh_text, source)
    else:
        document = extract_language(zh_text, source, "zh")
        english = extract_language(en_text, en_source or source, "en")
        document.en_paragraphs = english.en_paragraphs
        document.en_captions = english.en_captions
        document.dropped.extend(english.dropped)
        document.date = document.date or english.date
    document.name = name
    return _align_document(document, terms, progress)


def _align_document(
    document: Document, terms: Sequence[Term], progress: Progress | None
) -> AlignedDocument:
    body_zh, body_en = _Side(), _Side()
    for paragraph in document.zh_paragraphs:
        body_zh.add_paragraph(split_zh(paragraph))
    for paragraph in document.en_paragraphs:
        body_en.add_paragraph(split_en(paragraph))
    caption_zh, caption_en = _Side(), _Side()
    for caption in document.zh_captions:
        caption_zh.add_paragraph(split_zh(caption))
    for caption in document.en_captions:
        caption_en.add_paragraph(split_en(caption))
    beads = _align_sides(body_zh, body_en, terms, progress)
    # Captions come after the body on both sides, so their beads keep the order monotone.
    caption_beads = _align_sides(caption_zh, caption_en, terms, None)
    beads.extend(_shift(caption_beads, len(body_zh.sentences), len(body_en.sentences)))
    return AlignedDocument(
        name=document.name,
        date=document.date,
        zh_sentences=body_zh.sentences + caption_zh.sentences,
        en_sentences=body_en.sentences + caption_en.sentences,
        beads=beads,
        title=document.title,
        dropped=list(document.dropped),
    )


def _align_presegmented(
    zh_text: str,
    en_text: str | None,
    name: str,
    terms: Sequence[Term],
    progress: Progress | None,
) -> AlignedDocument:
    dropped: list[str] = []
    if en_text is None:
        zh_side, en_side = _split_presegmented_mixed(zh_text, name, dropped)
    else:
        zh_side, en_side = _presegmented_side(zh_text), _presegmented_side(en_text)
        require_both_halves(name, zh_side.sentences, en_side.sentences)
    return AlignedDocument(
        name=name,
        date=None,
        zh_sentences=zh_side.sentences,
        en_sentences=en_side.sentences,
        beads=_align_sides(zh_side, en_side, terms, progress),
        dropped=dropped,
    )


def _require_sentence_lines(text: str, source: str) -> None:
    """Refuse presegmented text with a line too long to be one sentence."""
    for number, line in enumerate(text.split("\n"), start=1):
        length = len(line.strip())
        if length > PRESEGMENTED_MAX_LINE:
            raise SegmentationError(
                f"{source}: line {number} has {length:,} characters, too many for one sentence "
                f"(--presegmented lines hold at most {PRESEGMENTED_MAX_LINE:,}); "
                "leave out --presegmented to have the text split into sentences"
            )


def _presegmented_side(text: str) -> _Side:
    """One sentence per non-blank line; a blank line starts a new paragraph."""
    side = _Side()
    paragraph: list[str] = []
    for line in text.split("\n"):
        sentence = line.strip()
        if sentence:
            paragraph.append(sentence)
        elif paragraph:
            side.add_paragraph(paragraph)
            paragraph = []
    if paragraph:
        side.add_paragraph(paragraph)
    return side


def _split_presegmented_mixed(text: str, name: str, dropped: list[str]) -> tuple[_Side, _Side]:
    """The Chinese and English halves of a presegmented mixed file, keeping paragraph breaks."""
    lines: list[tuple[str, int]] = []
    paragraph_id = 0
    for raw in text.split("\n"):
        sentence = raw.strip()
        if sentence:
            lines.append((sentence, paragraph_id))
        else:
            paragraph_id += 1
    zh_half, en_half, stray = split_halves([sentence for sentence, _ in lines])
    dropped.extend(lines[i][0] for i in stray)
    sides = (_Side(), _Side())
    for side, indices in zip(sides, (zh_half, en_half), strict=True):
        previous = None
        for index in indices:
            sentence, paragraph = lines[index]
            if paragraph != previous:
                side.add_paragraph([sentence])
            else:
                side.sentences.append(sentence)
                side.paragraph_ids.append(side.paragraph_ids[-1])
            previous = paragraph
    require_both_halves(name, sides[0].sentences, sides[1].sentences)
    return sides


def _align_sides(
    zh: _Side, en: _Side, terms: Sequence[Term], progress: Progress | None
) -> list[aligner.Bead]:
    if zh.sentences and en.sentences:
        return aligner.align_sentences(
            zh.sentences,
            en.sentences,
            zh_paragraph_ids=zh.paragraph_ids,
            en_paragraph_ids=en.paragraph_ids,
            terms=terms,
            progress=progress,
        )
    # One side is empty: every sentence of the other is unaligned.
    return [aligner.Bead(zh=(i,), en=(), score=0.0) for i in range(len(zh.sentences))] + [
        aligner.Bead(zh=(), en=(j,), score=0.0) for j in range(len(en.sentences))
    ]


def _shift(beads: list[aligner.Bead], zh_offset: int, en_offset: int) -> list[aligner.Bead]:
    return [
        aligner.Bead(
            zh=tuple(i + zh_offset for i in bead.zh),
            en=tuple(j + en_offset for j in bead.en),
            score=bead.score,
        )
        for bead in beads
    ]


@dataclass(frozen=True, slots=True)
class AlignmentSummary:
    """What happened to one document's sentences."""

    name: str
    zh_sentences: int
    en_sentences: int
    pairs: int
    below_min_score: int
    low_confidence: int
    unaligned_zh: int
    unaligned_en: int
    mean_score: float
    # Pairs repeating an earlier pair word for word (captions often do): written once.
    duplicates: int = 0


def unique_pairs(units: Sequence[TranslationUnit]) -> list[TranslationUnit]:
    """The units without word-for-word repeats of an earlier (zh, en) pair, first one kept.

    A translation memory gains nothing from the same pair twice; Xinhua pages repeat the same
    photo caption under several photos.
    """
    seen: set[tuple[str, str]] = set()
    unique: list[TranslationUnit] = []
    for unit in units:
        if (unit.zh, unit.en) not in seen:
            seen.add((unit.zh, unit.en))
            unique.append(unit)
    return unique


def check_output_path(path: Path | str, fmt: str | None = None) -> str:
    """The output format (".tmx", ".tsv", ".align"): `fmt` when given, else the path's extension;
    standard output (`-`) is TSV unless told, the pairs as a person or a pipe reads them."""
    if fmt:
        suffix = "." + fmt.lower().lstrip(".")
        if suffix not in OUTPUT_FORMATS:
            raise InputError(f"unknown output format {fmt!r}; use one of tmx, tsv, align")
        return suffix
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        if str(path) == STDOUT:
            return ".tsv"
        raise InputError(
            f"{path}: unknown output format {suffix or '(no extension)'}; "
            f"use one of {', '.join(OUTPUT_FORMATS)} or give --format"
        )
    return suffix


def write_aligned(
    document: AlignedDocument,
    path: Path | str,
    *,
    min_score: float = 0.0,
    fmt: str | None = None,
    inputs: Sequence[Path | str | None] = (),
) -> int:
    """Write the document's alignment to path (`-`: stdout), format by `fmt` or extension.

    .tmx and .tsv hold the pairs scoring at least min_score, each distinct pair once; .align
    holds every bead (1-0 and 0-1 included), as evaluation tools expect complete links.
    Returns the records written; `inputs` are files the output must not overwrite.
    """
    suffix = check_output_path(path, fmt)
    resolve_output(path, inputs)
    if suffix == ".align":
        with atomic_output(path, "w", encoding="utf-8") as out:
            out.write(aligner.write_align_links(document.beads))
        return len(document.beads)
    units = unique_pairs(document.pairs(min_score))
    if suffix == ".tmx":
        return tmx.write_tmx(path, units, creation_date=document.date)
    with atomic_output(path, "w", encoding="utf-8") as out:
        for unit in units:
            out.write(f"{_tsv_cell(unit.zh)}\t{_tsv_cell(unit.en)}\t{unit.score:.4f}\n")
    return len(units)


def _tsv_cell(text: str) -> str:
    # A tab or line break inside a cell would shift the columns of every later row; a leading
    # "=" or "-" would make a spreadsheet run it as a formula (`zhen tm import` restores it).
    return neutralise_cell(" ".join(text.split()))


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What `build_tm` did: a row per source document and the units written to the TMX."""

    rows: list[BuildRow]
    written: int


@dataclass(frozen=True, slots=True)
class BuildRow:
    """One source document in the `zhen build` report; `skipped` says why it gave no pairs."""

    source: str
    summary: AlignmentSummary | None
    skipped: str | None = None


def build_tm(
    sources: Path | str,
    output: Path | str,
    *,
    terms: Sequence[Term] = (),
    min_score: float = 0.0,
) -> BuildReport:
    """Align every text in `sources` into one TMX at `output`; report per document.

    A source is a mixed file (`*.txt`) or a pair `NAME.zh.txt` + `NAME.en.txt`. A mixed file
    with no English half is skipped and reported. Each distinct pair is written once. The TMX
    is byte-identical from run to run:
    unit dates come from the sources' publication lines and the header date is the newest of
    them, never the clock.
    """
    folder = Path(sources)
    if not folder.is_dir():
        raise InputError(
            f"{folder}: no such folder; run zhen build in a zhen checkout (it reads tm/sources/) "
            "or pass --sources DIR"
        )
    jobs = _source_jobs(folder)
    if not jobs:
        raise InputError(f"{folder}: no source texts (*.txt) found")
    rows: list[BuildRow] = []
    units: list[TranslationUnit] = []
    dates: list[str] = []
    for zh_path, en_path in jobs:
        label = zh_path.name if en_path is None else f"{zh_path.name} + {en_path.name}"
        try:
            document = align_files(zh_path, en_path, terms=terms)
        except NoEnglishError:
            rows.append(BuildRow(label, None, skipped="no English half"))
            continue
        units.extend(document.pairs(min_score))
        if document.date:
            dates.append(document.date)
        rows.append(BuildRow(label, document.summary(min_score)))
    written = tmx.write_tmx(
        output, unique_pairs(units), creation_date=max(dates) if dates else None
    )
    return BuildReport(rows, written)


def _source_jobs(folder: Path) -> list[tuple[Path, Path | None]]:
    """(zh file, en file or None for a mixed file) for every source text, in name order."""
    jobs: list[tuple[Path, Path | None]] = []
    for path in sorted(folder.glob("*.txt")):
        if path.name.endswith(".en.txt"):
            continue  # read as the partner of its .zh.txt file
        if path.name.endswith(".zh.txt"):
            partner = path.with_name(path.name[: -len(".zh.txt")] + ".en.txt")
            jobs.append((path, partner if partner.exists() else None))
        else:
            jobs.append((path, None))
    return jobs
