"""Normalisation: Traditional→Simplified, width folding, case, index tokens."""

from __future__ import annotations

from zhen.text import normalize


def test_traditional_folds_to_simplified() -> None:
    assert normalize.normalize_zh("同誌加兄弟") == "同志加兄弟"
    assert normalize.normalize_zh("經不起驚濤駭浪") == "经不起惊涛骇浪"
    assert normalize.to_traditional("澜湄合作") == "瀾湄合作"


def test_full_width_forms_fold_to_half_width() -> None:
    assert normalize.normalize_zh("ＲＣＥＰ　１５亿") == "rcep 15亿"
    assert normalize.fold_width("（３＋３）") == "(3+3)"


def test_english_case_quotes_and_dashes_fold() -> None:
    assert normalize.normalize_en("China’s  “Six Mores” — today") == 'china\'s "six mores" - today'


def test_cjk_detection_and_ratio() -> None:
    assert normalize.has_cjk("Xi 习近平")
    assert not normalize.has_cjk("Lancang-Mekong Cooperation")
    assert normalize.cjk_ratio("习近平") == 1.0
    assert normalize.cjk_ratio("") == 0.0
    assert 0 < normalize.cjk_ratio("Xi 习近平") < 1


def test_normalize_dispatches_on_language() -> None:
    assert normalize.normalize("瀾湄合作") == "澜湄合作"
    assert normalize.normalize("Lancang-Mekong") == "lancang-mekong"


def test_index_tokens() -> None:
    assert normalize.en_words("China’s Six-Mores, 1.5 billion") == [
        "china's",
        "six",
        "mores",
        "1",
        "5",
        "billion",
    ]
