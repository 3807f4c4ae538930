"""The fast paths of zhen.text.normalize give exactly what the plain OpenCC/NFKC route gives."""

from __future__ import annotations

import os
import subprocess
import unicodedata
from pathlib import Path

import opencc
import pytest

from tests.support import SOURCES, third_party
from zhen.io import tmx
from zhen.text import normalize
from zhen.text.traditional_chars import T2S_CHARS, generate

T2S = opencc.OpenCC("t2s")
TRICKY = [
    "深沈的夜",  # changed only by OpenCC's phrase table (深沈 → 深沉)
    "他打坏了杯子",  # 打坏 → 打坯 in OpenCC's phrases: kept, since it is what OpenCC does
    "“你好”　ＡＢＣ，１５亿！",  # curly quotes, ideographic space, full-width forms
    " 經不起\u3000驚濤\t駭浪 ",
    "\U00030ede",  # convertible, yet outside has_cjk's ranges: left alone, as before
    "\U00030ede中",
    "回覆 ‘x’ — y",
    "ﬁne ①",  # compatibility forms that only full NFKC folds
    "Ａ\u0301",  # folds to A + combining acute, which NFKC then composes
    "臺灣",
    "\u00a0a\u2028b\x1c c",
    "İstanbul",
    "a\x00b，",
    "",
    "   ",
]


def slow_zh(text: str) -> str:
    """normalize_zh without any shortcut."""
    folded = unicodedata.normalize("NFKC", text)
    if normalize.has_cjk(folded):
        folded = T2S.convert(folded)
    folded = folded.translate(normalize._PUNCT_FOLD).lower()
    return " ".join(folded.split())


def slow_en(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(normalize._PUNCT_FOLD).lower()
    return " ".join(folded.split())


def real_texts() -> list[str]:
    texts = []
    for path in sorted(SOURCES.glob("*.txt")):
        texts += path.read_text(encoding="utf-8").splitlines()
    tico = third_party("data", "tico19", "all.en-zh.tmx")
    for unit in tmx.iter_units(tico):
        texts += [unit.zh, unit.en]
    return texts + TRICKY + [T2S_CHARS[i : i + 9] for i in range(0, len(T2S_CHARS), 9)]


def test_single_and_batch_forms_match_the_plain_route() -> None:
    texts = real_texts()
    want_zh = [slow_zh(t) for t in texts]
    want_en = [slow_en(t) for t in texts]
    assert [normalize.normalize_zh(t) for t in texts] == want_zh
    assert [normalize.normalize_en(t) for t in texts] == want_en
    assert normalize.normalize_zh_batch(texts) == want_zh
    assert normalize.normalize_en_batch(texts) == want_en
    assert normalize.normalize_zh("深沈") == "深沉"


def test_trigger_characters_cover_every_single_character_conversion() -> None:
    assert generate() == T2S_CHARS


def test_trigger_characters_cover_every_phrase_conversion() -> None:
    package = Path(opencc.__file__).parent / "clib"
    tool = package / "bin" / "opencc_dict"
    dictionary = package / "share" / "opencc" / "TSPhrases.ocd2"
    if not (tool.exists() and dictionary.exists()):
        pytest.skip("this OpenCC build ships no opencc_dict tool to list its phrases")
    env = {**os.environ, "LD_LIBRARY_PATH": str(package / "lib64")}
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"zhen-tsphrases-{os.getpid()}.txt"
    try:
        subprocess.run(
            [tool, "-i", dictionary, "-o", out, "-f", "ocd2", "-t", "text"], check=True, env=env
        )
        phrases = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    finally:
        out.unlink(missing_ok=True)
    triggers = set(T2S_CHARS)
    changing = [key for key, value in phrases if value.split(" ")[0] != key]
    assert len(changing) > 100
    assert [key for key in changing if triggers.isdisjoint(key)] == []
