"""Reading Xinhua texts: encodings, page chrome, captions, mixed files, stray paragraphs."""

from __future__ import annotations

import pytest

from zhen.errors import EncodingError, InputError, NoEnglishError
from zhen.io.article import extract_language, split_document, split_halves
from zhen.io.textfile import decode_bytes, read_text
from zhen.text.normalize import to_traditional

# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "utf-16-le"])
def test_seed_copies_in_other_encodings_read_back_identically(seed_path, tmp_path, encoding):
    original = read_text(seed_path("000"))
    copy = tmp_path / f"000.{encoding}.txt"
    copy.write_bytes(original.encode(encoding))
    assert read_text(copy) == original


def test_gbk_copy_of_seed_reads_back(seed_path, tmp_path):
    # 004 holds only characters GBK can encode (000 has a no-break space, which GBK lacks).
    original = read_text(seed_path("004"))
    copy = tmp_path / "004.gbk.txt"
    copy.write_bytes(original.encode("gbk"))
    assert read_text(copy) == original
    assert "习近平同越共中央总书记苏林通电话" in read_text(copy)


def test_windows_line_ends_become_newlines(seed_path):
    original = read_text(seed_path("004"))
    assert decode_bytes(original.replace("\n", "\r\n").encode("utf-8"), "x.txt") == original


def test_damaged_utf8_names_file_and_byte_offset(seed_path, tmp_path):
    data = read_text(seed_path("004")).encode("utf-8")
    offset = data.index("中越应当".encode())
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data[:offset] + b"\xff" + data[offset:])
    with pytest.raises(EncodingError) as error:
        read_text(bad)
    assert str(bad) in str(error.value)
    assert f"byte offset {offset}" in str(error.value)


def test_damaged_gb18030_names_byte_offset(seed_path):
    data = read_text(seed_path("004")).encode("gb18030")
    offset = data.index("中越应当".encode("gb18030"))
    with pytest.raises(EncodingError, match=f"gb.txt: byte offset {offset}"):
        decode_bytes(data[:offset] + b"\xff" + data[offset:], "gb.txt")


def test_binary_file_is_refused():
    with pytest.raises(EncodingError, match="byte offset 3"):
        decode_bytes(b"PK\x03\x00\x14\x00", "archive.zip")


def test_empty_file_directory_and_missing_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_text(empty)
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n ", encoding="utf-8")
    with pytest.raises(InputError, match="no text"):
        read_text(blank)
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")


# --- chrome and captions ---------------------------------------------------------------------


def _all_text(document) -> str:
    return "\n".join(
        document.zh_paragraphs
        + document.en_paragraphs
        + document.zh_captions
        + document.en_captions
    )


def test_seed_000_chrome_removed_title_and_date(seed_path):
    document = split_document(read_text(seed_path("000")), "000")
    text = _all_text(document)
    for chrome in ("首页", "头条", "发布时间", "来源:", "责任编辑", "张芃芃", "■"):
        assert chrome not in text
    assert document.title == "习近平同越共中央总书记苏林举行会谈"
    assert document.zh_paragraphs[0] == document.title
    # 08:30 Beijing time is 00:30 UTC.
    assert document.date == "2025-04-16T00:30:00Z"
    assert document.en_paragraphs[-1].endswith("media, and more.")


def test_seed_000_photo_captions_are_set_apart_without_credits(seed_path):
    document = split_document(read_text(seed_path("000")), "000")
    assert len(document.zh_captions) == 5
    assert len(document.en_captions) == 5
    body = "\n".join(document.zh_paragraphs + document.en_paragraphs)
    assert "新华社记者" not in body
    assert "(Xinhua/" not in _all_text(document)
    assert "摄" not in "".join(document.zh_captions)
    assert document.zh_captions[0] == (
        "4月14日下午,中共中央总书记、国家主席习近平在越共中央驻地同越共中央总书记苏林举行会谈。"
    )
    assert document.en_captions[-1].endswith("headquarters on Monday.")
    # The dateline's reporter names in brackets are body text, not a caption credit.
    assert document.zh_paragraphs[1].startswith("新华社河内4月14日电(记者倪四义 张崇防)4月14日下午")


def test_seed_004_glued_publication_line_keeps_the_dateline(seed_path):
    document = split_document(read_text(seed_path("004")), "004")
    assert document.zh_paragraphs[1] == (
        "新华社北京1月26日电 1月26日下午,中共中央总书记、国家主席习近平同越共中央总书记苏林通电话。"
    )
    assert "丁素云" not in _all_text(document)
    assert document.date == "2026-01-27T01:10:21Z"
    assert document.title == "习近平同越共中央总书记苏林通电话"


def test_seed_004_stray_english_paragraph_is_dropped(seed_path):
    document = split_document(read_text(seed_path("004")), "004")
    assert len(document.dropped) == 1
    assert document.dropped[0].startswith("We will stay firmly rooted in Chinese culture.")
    assert not any("rooted in Chinese culture" in p for p in document.en_paragraphs)
    assert document.en_paragraphs[0] == "Xi holds phone talks with Vietnam's To Lam"
    assert len(document.en_paragraphs) == 16
    assert document.en_paragraphs[-1].endswith("happiness and health.")


def test_glued_editor_name_without_a_dateline():
    text = (
        "发布时间:2025年4月16日 | 来源:新华网 | 责任编辑:张芃芃习近平指出,双方要加强合作。\n"
        "Xi said the two sides should strengthen cooperation, according to the statement.\n"
    )
    document = split_document(text, "glued")
    assert document.zh_paragraphs == ["习近平指出,双方要加强合作。"]
    assert document.date == "2025-04-16T00:00:00Z"


def test_seed_001_has_no_english_half(seed_path):
    text = read_text(seed_path("001"))
    assert "\n" not in text  # one long line: paragraphs are separated by spaces only
    with pytest.raises(NoEnglishError) as error:
        split_document(text, "001.txt")
    message = str(error.value)
    assert "001.txt" in message
    assert "no English text" in message
    assert "second file" in message


def test_seed_001_flattened_paragraphs_are_recovered(seed_path):
    document = extract_language(read_text(seed_path("001")), "001", "zh")
    assert document.title.endswith("的联合声明")
    assert "新华网" not in document.title
    assert document.zh_paragraphs[2].startswith("一、应越南共产党中央委员会总书记苏林")
    assert document.zh_paragraphs[-1] == "2025年4月15日于河内"
    assert len(document.zh_paragraphs) > 40


def test_chinese_half_alone_with_stray_english_is_not_a_mixed_file(seed_path):
    lines = read_text(seed_path("004")).split("\n")
    chinese_only = "\n".join(lines[:7])  # the stray English paragraph and the Chinese article
    with pytest.raises(NoEnglishError):
        split_document(chinese_only, "004-zh")


def test_english_first_file_is_split_too(seed_path):
    lines = read_text(seed_path("004")).split("\n")
    swapped = "\n".join(lines[7:] + lines[1:7])
    document = split_document(swapped, "swapped")
    assert document.zh_paragraphs[0] == "习近平同越共中央总书记苏林通电话"
    assert document.en_paragraphs[0] == "Xi holds phone talks with Vietnam's To Lam"


def test_split_halves_marks_stray_paragraphs():
    paragraphs = ["An English stray.", "中文一。", "中文二。", "English one.", "中文游离。", "Two."]
    zh, en, stray = split_halves(paragraphs)
    assert zh == [1, 2]
    assert en == [3, 5]
    assert stray == [0, 4]


def test_english_page_chrome_and_end_marks():
    text = (
        "双方同意加强合作。（完）\n"
        "【纠错】 【责任编辑:王萌】\n"
        "Source: Xinhua | 2025-04-14 22:51:45 | Editor: huaxia\n"
        "The two sides agreed to strengthen cooperation in many fields this year. (End)\n"
    )
    document = split_document(text, "page")
    assert document.zh_paragraphs == ["双方同意加强合作。"]
    assert document.en_paragraphs == [
        "The two sides agreed to strengthen cooperation in many fields this year."
    ]
    assert document.date == "2025-04-14T14:51:45Z"


def test_english_file_drops_stray_chinese_and_keeps_captions_apart(seed_path):
    lines = read_text(seed_path("000")).split("\n")
    english = "\n".join(["习近平同越共中央总书记苏林举行会谈", *lines[54:]])
    document = extract_language(english, "000.en.txt", "en")
    assert document.dropped == ["习近平同越共中央总书记苏林举行会谈"]
    assert document.en_paragraphs[0].startswith("Xi calls for deepening")
    assert len(document.en_captions) == 5
    assert document.zh_paragraphs == []


def test_file_in_the_wrong_language_is_an_error(seed_path):
    with pytest.raises(InputError, match="no English text found"):
        extract_language(read_text(seed_path("001")), "001.txt", "en")


def test_interleaved_bilingual_text_keeps_every_paragraph(seed_path):
    lines = read_text(seed_path("004")).split("\n")
    chinese, english = lines[3:7], lines[11:15]
    interleaved = "\n".join(p for pair in zip(chinese, english, strict=True) for p in pair)
    document = split_document(interleaved, "interleaved")
    assert document.zh_paragraphs == chinese
    assert document.en_paragraphs == english
    assert document.dropped == []


def test_big5_traditional_text_is_not_read_as_gb18030_mojibake(seed_path):
    chinese = "\n".join(read_text(seed_path("004")).split("\n")[1:7])
    # OpenCC writes 爲 where Big5 has 為; characters Big5 lacks are left out of the sample.
    traditional = to_traditional(chinese).replace("爲", "為")
    traditional = traditional.encode("cp950", errors="ignore").decode("cp950")
    assert traditional.startswith("習近平同越共中央總書記蘇林通電話")
    assert decode_bytes(traditional.encode("cp950"), "big5.txt") == traditional
    # The same Traditional text in GB18030 stays GB18030.
    assert decode_bytes(traditional.encode("gb18030"), "gb.txt") == traditional


def test_spaces_inside_ordinary_chinese_lines_are_not_paragraph_breaks():
    # WMT22-style user text: spaces between Chinese words but no flattened page structure.
    document = extract_language("我 爱 北京 天安门\n已经 3 日没有回复……", "chat", "zh")
    assert document.zh_paragraphs == ["我 爱 北京 天安门", "已经 3 日没有回复……"]


def test_one_line_mixed_file(seed_path):
    lines = read_text(seed_path("004")).split("\n")
    one_line = " ".join(line for line in lines[3:] if line)
    document = split_document(one_line, "one-line")
    assert document.zh_paragraphs[0].startswith("习近平祝贺越共十四大")
    assert document.zh_paragraphs[-1] == "习近平和苏林并互致新春问候,祝福两国人民幸福安康。"
    # English paragraph breaks cannot be told from sentence spaces: one English paragraph.
    assert document.en_paragraphs[0].startswith("Xi holds phone talks with Vietnam's To Lam")
    assert document.en_paragraphs[0].endswith("happiness and health.")
