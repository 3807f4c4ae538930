"""Bounded memory: align and check under an address-space cap, and the parts that keep it low."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest

from tests.support import REPO_ROOT
from zhen.aligner.aligner import EMBEDDING_MODEL, MAX_SENTENCES
from zhen.aligner.blocks import MAX_BLOCK, Blocks, components, normalisers
from zhen.aligner.document import PRESEGMENTED_MAX_LINE
from zhen.aligner.features import SideFeatures
from zhen.aligner.rows import SparseRows

GOLD = REPO_ROOT / "tests" / "gold"
# Address space for one CLI run. The aligner needs about half of it for the texts below; it
# used to need far more (about 15 kB per token of the one giant "sentence" in the encoder), so
# these runs ended in numpy ArrayMemoryError tracebacks.
CAP = 1_000_000_000


def _unpunctuated(gold_file: str, characters: int, joiner: str) -> str:
    """Seed 000's lines with every punctuation mark removed, run together into one line."""
    lines = (GOLD / gold_file).read_text(encoding="utf-8").splitlines()
    bare = [
        "".join(ch for ch in line if not unicodedata.category(ch).startswith("P")) for line in lines
    ]
    text = joiner.join(bare)
    return joiner.join([text] * (characters // len(text) + 1))[:characters] + "\n"


@pytest.fixture
def unpunctuated(tmp_path: Path) -> tuple[Path, Path]:
    """50,000 Chinese and 150,000 English characters without a single sentence end."""
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text(_unpunctuated("000.zh", 50_000, ""), encoding="utf-8")
    en.write_text(_unpunctuated("000.en", 150_000, " "), encoding="utf-8")
    return zh, en


# An address-space cap (RLIMIT_AS) holds a whole process, so these runs are real processes.
@pytest.mark.subprocess
@pytest.mark.slow
def test_align_text_without_sentence_ends_under_a_memory_cap(zhen_process, unpunctuated, tmp_path):
    zh, en = unpunctuated
    out = tmp_path / "out.tsv"
    result = zhen_process("align", zh, en, "-o", out, memory=CAP)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    # The text was cut into sentences (600 Chinese characters at most) and aligned.
    assert len(out.read_text(encoding="utf-8").splitlines()) > 20


@pytest.mark.subprocess
@pytest.mark.slow
def test_check_text_without_sentence_ends_under_a_memory_cap(zhen_process, unpunctuated):
    zh, en = unpunctuated
    glossary = REPO_ROOT / "glossary" / "xinhua.tsv"
    result = zhen_process("check", zh, en, "--glossary", glossary, memory=CAP)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout


@pytest.mark.subprocess
@pytest.mark.parametrize("command", ["align", "check"])
def test_too_many_sentences_refused_in_one_line(zhen_process, tmp_path, command):
    zh, en, out = tmp_path / "zh.txt", tmp_path / "en.txt", tmp_path / "out.tsv"
    zh.write_text("好。" * (MAX_SENTENCES + 1) + "\n", encoding="utf-8")
    en.write_text("Good. " * 3 + "\n", encoding="utf-8")
    extra = ["-o", out] if command == "align" else []
    result = zhen_process(command, zh, en, *extra, memory=CAP)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"zhen: error: the zh text has {MAX_SENTENCES + 1:,} sentences, more than the "
        f"{MAX_SENTENCES:,} zhen aligns at once; split the texts into parts"
    ]
    assert not out.exists()


def test_presegmented_line_too_long_for_a_sentence(run_zhen, tmp_path):
    zh, en, out = tmp_path / "zh.txt", tmp_path / "en.txt", tmp_path / "out.tsv"
    zh.write_text("你好。\n" + "好" * (PRESEGMENTED_MAX_LINE + 1) + "\n", encoding="utf-8")
    en.write_text("Hello.\nGood.\n", encoding="utf-8")
    result = run_zhen("align", zh, en, "--presegmented", "-o", out)
    assert result.code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"zhen: error: {zh}: line 2 has {PRESEGMENTED_MAX_LINE + 1:,} characters"
    )
    assert not out.exists()


# --- the parts -------------------------------------------------------------------------------


def _sparse_matrix(rng: np.random.Generator, rows: int, dim: int, fill: float) -> np.ndarray:
    matrix = rng.standard_normal((rows, dim)).astype(np.float32)
    matrix[rng.random((rows, dim)) > fill] = 0.0
    matrix[rows // 3] = 0.0  # an empty row
    return matrix


def test_sparse_rows_give_back_the_dense_matrix() -> None:
    rng = np.random.default_rng(7)
    dense = _sparse_matrix(rng, 2501, 64, 0.05)
    rows = SparseRows.from_dense(dense)
    assert rows.shape == dense.shape
    assert np.array_equal(rows.dense(0, len(dense)), dense)
    assert np.array_equal(rows.dense(1000, 1300), dense[1000:1300])
    picked = np.array([[5, 2500], [5, 0]])
    assert np.array_equal(rows.take(picked), dense[picked.ravel()])
    padded = np.vstack([dense, np.zeros((1, 64), np.float32)])
    assert np.array_equal(rows.pairs(np.add).dense(0, 1251), padded[0::2] + padded[1::2])
    halves = rows.pairs(np.maximum).dense(0, 1251)
    assert np.array_equal(halves, np.maximum(padded[0::2], padded[1::2]))


def _side(rng: np.random.Generator, n: int, terms: int) -> SideFeatures:
    embeddings = rng.standard_normal((n, 512)).astype(np.float32)
    term_matrix = np.where(rng.random((n, terms)) < 0.1, 1.0, 0.0).astype(np.float32)
    return SideFeatures(
        lengths=rng.integers(5, 80, n).astype(np.float64),
        lexical=SparseRows.from_dense(_sparse_matrix(rng, n, 1024, 0.03)),
        anchors=SparseRows.from_dense(_sparse_matrix(rng, n, 128, 0.02)),
        embeddings=embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True),
        paragraphs=np.arange(n) // 4,
        terms=SparseRows.from_dense(term_matrix),
    )


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


@pytest.mark.slow
def test_blocks_built_by_chunk_equal_the_whole_document_computation() -> None:
    """The block vectors of a chunk are those of the whole-document cumulative sums."""
    rng = np.random.default_rng(11)
    side = _side(rng, 700, 9)
    n = len(side)
    blocks = Blocks(side, EMBEDDING_MODEL, np.ones(n))
    wholes = [
        (np.cumsum(np.vstack([np.zeros((1, m.shape[1])), _all(m)]), axis=0, dtype=np.float64), w)
        for m, w in components(side, EMBEDDING_MODEL)
    ]
    terms = _all(side.terms)
    for size in range(1, MAX_BLOCK + 1):
        rows = np.arange(size, n + 1)
        pieces = []
        for cum, weight in wholes:
            block = np.zeros((n + 1, cum.shape[1]), dtype=np.float32)
            block[rows] = cum[rows] - cum[rows - size]
            pieces.append(_unit(block) * np.float32(np.sqrt(weight)))
        expected = np.hstack(pieces)
        union = np.zeros((n + 1, terms.shape[1]), dtype=np.float32)
        for row in rows:
            union[row] = terms[row - size : row].max(axis=0)
        # Out of order, so that chunks are dropped from the cache and built again.
        for row in rng.permutation(n + 1):
            assert np.array_equal(blocks.vector(size, row), expected[row]), (size, row)
            assert np.array_equal(blocks.terms(size, row), union[row]), (size, row)
        probe = expected[n // 2]
        assert np.allclose(blocks.similarity(size, 3, n + 1, probe), expected[3:] @ probe)


def _all(matrix: np.ndarray | SparseRows) -> np.ndarray:
    return matrix.dense(0, len(matrix)) if isinstance(matrix, SparseRows) else matrix


def test_normalisers_in_slices_equal_the_whole_computation() -> None:
    rng = np.random.default_rng(3)
    zh, en = _side(rng, 301, 0), _side(rng, 257, 0)
    got = normalisers(zh, en, EMBEDDING_MODEL)

    def stack(side: SideFeatures) -> np.ndarray:
        parts = components(side, EMBEDDING_MODEL)
        return np.hstack([_unit(_all(m).astype(np.float32)) * np.sqrt(w) for m, w in parts])

    for own, other, result in ((zh, en, got[0]), (en, zh, got[1])):
        own_vectors, other_vectors = stack(own), stack(other)
        n, m = len(own_vectors), len(other_vectors)
        offsets = (np.arange(n)[:, None] * m // n + m // 2 + np.arange(12) * 7) % m
        sims = np.einsum("nd,nkd->nk", own_vectors, other_vectors[offsets])
        assert np.array_equal(result, np.clip(1.0 - sims.mean(axis=1), 0.2, 2.0))


def test_a_text_too_long_for_one_encoder_call_is_embedded_in_pieces() -> None:
    from zhen.aligner.embedding import _model, _pieces, embed

    long = " ".join(f"word{i}" for i in range(1200))  # about 9,000 characters
    short = "A short sentence."
    vectors = embed([short, long, short])
    pieces = _pieces(long)
    assert len(pieces) > 1 and "".join(pieces) == long
    assert all(len(piece) <= 2000 for piece in pieces)
    total = np.asarray(_model().encode(pieces)).sum(axis=0)
    assert np.allclose(vectors[1], total / np.linalg.norm(total), atol=1e-6)
    assert np.array_equal(vectors[0], embed([short])[0])
    assert np.array_equal(vectors[0], vectors[2])
