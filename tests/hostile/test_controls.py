"""Control characters in every position: file fields, file names, arguments, and databases that
already hold them. Nothing may reach the terminal raw; readers drop or refuse them and say so."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hostile import generators as gen
from hostile.commands import READERS
from hostile.databases import DISPLAY_COLUMNS, poison_database

# --------------------------------------------------------------------------- in files

TM_CASES = [(fmt, field) for fmt, fields in gen.TM_FIELDS.items() for field in fields]
GLOSSARY_CASES = [(fmt, field) for fmt, fields in gen.GLOSSARY_FIELDS.items() for field in fields]


def _show_tm(ws) -> None:
    ws.run(["lookup", gen.UNIT_QUERY, "--db", ws.db], reads=True)
    ws.run(["tm", "stats", "--db", ws.db], reads=True)


def _show_glossary(ws) -> None:
    ws.run(["glossary", "list", "--db", ws.db], reads=True)
    ws.run(["glossary", "show", gen.ENTRY_QUERY, "--db", ws.db], reads=True)
    ws.run(["lookup", gen.ENTRY_QUERY, "--db", ws.db], reads=True)


def _import_and_show(ws, argv, payload: str, show) -> None:
    """Import; on success nothing stored holds a control and the summary says some were
    dropped; then every display of the data is held to the contract."""
    outcome = ws.run(argv, expect="error" if payload == "nul" else None)
    if outcome.code == 0:
        ws.check_stored(outcome.command)
        # The workspace path is left out: it holds the test's name, "test_controls_…".
        summary = (outcome.stdout + outcome.stderr).replace(str(ws.root), "").lower()
        if payload != "nul" and "control" not in summary:
            ws.problem(f"{outcome.command}: SILENT CLEANING: the summary does not mention controls")
    show(ws)


@pytest.mark.parametrize("payload", sorted(gen.PAYLOADS))
@pytest.mark.parametrize("fmt,field", TM_CASES, ids=[f"{f}-{p}" for f, p in TM_CASES])
def test_controls_in_tm_file(ws, fmt, field, payload) -> None:
    suffix, build = gen.TM_FORMATS[fmt]
    unit = replace(
        gen.UNIT_UNDER_TEST,
        **{field: gen.inject(getattr(gen.UNIT_UNDER_TEST, field), gen.PAYLOADS[payload])},
    )
    path = ws.write(f"payload{suffix}", build((*gen.UNITS, unit)))
    _import_and_show(ws, ["tm", "import", path, "--db", ws.db], payload, _show_tm)
    ws.verify()


@pytest.mark.parametrize("payload", sorted(gen.PAYLOADS))
@pytest.mark.parametrize("fmt,field", GLOSSARY_CASES, ids=[f"{f}-{p}" for f, p in GLOSSARY_CASES])
def test_controls_in_glossary_file(ws, fmt, field, payload) -> None:
    suffix, build = gen.GLOSSARY_FORMATS[fmt]
    entry = replace(
        gen.ENTRY_UNDER_TEST,
        **{field: gen.inject(getattr(gen.ENTRY_UNDER_TEST, field), gen.PAYLOADS[payload])},
    )
    path = ws.write(f"payload{suffix}", build((*gen.ENTRIES, entry)))
    _import_and_show(ws, ["glossary", "import", path, "--db", ws.db], payload, _show_glossary)
    ws.verify()


TEXT_READERS = ("check-texts", "align", "lookup-batch")


@pytest.mark.parametrize("payload", sorted(gen.PAYLOADS))
@pytest.mark.parametrize("reader", TEXT_READERS)
def test_controls_in_plain_text(ws, reader, payload) -> None:
    """Texts for align/check and batch queries: the report, summary and output stay clean."""
    text = gen.QUERIES if reader == "lookup-batch" else gen.ZH_TEXT
    path = ws.write("payload.txt", gen.inject(text, gen.PAYLOADS[payload]))
    spec = READERS[reader]
    ws.run(spec.argv(ws, path), ok=spec.ok, reads=True)
    aligned = ws.outputs / "aligned.tmx"
    if aligned.exists() and gen.PAYLOADS[payload] != "\x00":
        written = aligned.read_text(encoding="utf-8")
        if any(ch in written for ch in "\x1b\x9b\x7f"):
            ws.problem(f"align {path.name}: STORED CONTROL in the aligned TMX")
    ws.verify()


def test_controls_in_english_draft(ws) -> None:
    """The draft's sentences are echoed by the check report."""
    draft = ws.write(
        "draft.txt", gen.inject(gen.EN_TEXT, gen.PAYLOADS["esc"] + gen.PAYLOADS["c1-del-bidi"])
    )
    ws.run(["check", ws.zh_txt, draft, "--db", ws.db], ok=(0, 1), reads=True)
    ws.verify()


# --------------------------------------------------------------------------- in file names

# The files hold a unit that is new to the database, so that its origin (the file name) is stored.
_NEW_UNIT = (replace(gen.UNIT_UNDER_TEST, origin=None),)
NAMED_READERS = [
    ("tm-import", ".tsv", gen.tm_tsv(_NEW_UNIT)),
    ("tm-import", ".tmx", gen.tmx(_NEW_UNIT)),
    ("glossary-import", ".csv", gen.glossary_csv((gen.ENTRY_UNDER_TEST,))),
    ("check-texts", ".txt", gen.ZH_TEXT),
    ("align", ".txt", gen.ZH_TEXT),
    ("lookup-batch", ".txt", gen.QUERIES),
    ("glossary-extract", ".tmx", gen.tmx()),
]
NAME_PAYLOADS = ("esc", "c1-del-bidi")


@pytest.mark.parametrize("exists", [True, False], ids=["existing", "missing"])
@pytest.mark.parametrize("payload", NAME_PAYLOADS)
@pytest.mark.parametrize(
    "reader,suffix,text", NAMED_READERS, ids=[f"{r}{s}" for r, s, _ in NAMED_READERS]
)
def test_controls_in_file_name(ws, reader, suffix, text, payload, exists) -> None:
    """A file name is echoed in summaries and errors and stored as an origin."""
    name = f"client{gen.PAYLOADS[payload]}{suffix}"
    path = ws.write(name, text) if exists else ws.inputs / name
    spec = READERS[reader]
    outcome = ws.run(
        spec.argv(ws, path), ok=spec.ok, reads=not spec.stores, expect=None if exists else "error"
    )
    if spec.stores and outcome.code == 0:
        ws.check_stored(outcome.command)
        _show_tm(ws)
    ws.verify()


# --------------------------------------------------------------------------- in arguments

ADD_OPTIONS = {
    "zh": lambda p: ["经济" + p + "发展", "economic development"],
    "en": lambda p: ["经济发展", "economic" + p + " development"],
    "note": lambda p: ["经济发展", "economic development", "--note", "a" + p + "note"],
    "variant": lambda p: ["经济发展", "economic development", "--variant", "growth" + p],
    "forbidden": lambda p: ["经济发展", "economic development", "--forbid", "eco" + p + "dev"],
    "domain": lambda p: ["经济发展", "economic development", "--domain", "eco" + p + "nomy"],
    "source": lambda p: ["经济发展", "economic development", "--source", "src" + p],
    "pos": lambda p: ["经济发展", "economic development", "--pos", "noun" + p],
}


@pytest.mark.parametrize("payload", NAME_PAYLOADS)
@pytest.mark.parametrize("option", sorted(ADD_OPTIONS))
def test_controls_in_glossary_add(ws, option, payload) -> None:
    """Arguments that become data are cleaned or refused like file contents."""
    args = ADD_OPTIONS[option](gen.PAYLOADS[payload])
    outcome = ws.run(["glossary", "add", *args, "--db", ws.db])
    if outcome.code == 0:
        ws.check_stored(outcome.command)
    ws.run(["glossary", "show", "经济发展", "--db", ws.db], reads=True)
    ws.run(["glossary", "list", "--db", ws.db], reads=True)
    ws.verify()


ECHOED_ARGUMENTS = {
    "lookup": lambda ws, p: ["lookup", "人民" + p],
    "tm-delete-origin": lambda ws, p: ["tm", "delete", "--origin", "doc" + p],
    "tm-export-origin": lambda ws, p: ["tm", "export", ws.outputs / "x.tmx", "--origin", "doc" + p],
    "glossary-show": lambda ws, p: ["glossary", "show", "人民" + p],
    "glossary-remove": lambda ws, p: ["glossary", "remove", "人民" + p],
    "glossary-edit": lambda ws, p: ["glossary", "edit", "人民" + p, "--note", "x"],
}


@pytest.mark.parametrize("payload", NAME_PAYLOADS)
@pytest.mark.parametrize("command", sorted(ECHOED_ARGUMENTS))
def test_controls_in_echoed_argument(ws, command, payload) -> None:
    """An argument echoed in a result or an error line is shown escaped."""
    ws.run([*ECHOED_ARGUMENTS[command](ws, gen.PAYLOADS[payload]), "--db", ws.db])
    ws.verify()


# --------------------------------------------------------------------------- stored already

LEGACY_DISPLAYS = {
    "lookup-term": (["lookup", "人民"], (0,)),
    "lookup-english": (["lookup", "people"], (0,)),
    "lookup-unit": (["lookup", "人民代表大会举行全体会议"], (0,)),
    "lookup-json": (["lookup", "人民", "--json"], (0,)),
    "lookup-batch": (["lookup", "--batch", "QUERIES"], (0,)),
    "lookup-batch-json": (["lookup", "--batch", "QUERIES", "--json"], (0,)),
    "glossary-show": (["glossary", "show", "人民"], (0,)),
    "glossary-show-json": (["glossary", "show", "人民", "--json"], (0,)),
    "glossary-list": (["glossary", "list"], (0,)),
    "glossary-list-json": (["glossary", "list", "--json"], (0,)),
    "tm-stats": (["tm", "stats"], (0,)),
    "tm-stats-json": (["tm", "stats", "--json"], (0,)),
    "check": (["check", "ZH", "EN"], (0, 1)),
    "check-json": (["check", "ZH", "EN", "--json"], (0, 1)),
    "glossary-extract-units": (["glossary", "extract", "--db-units"], (0,)),
    "glossary-review": (["glossary", "review"], (0,)),
}


@pytest.mark.parametrize("payload", sorted(gen.SINGLE_PAYLOADS))
@pytest.mark.parametrize("display", sorted(LEGACY_DISPLAYS))
def test_stored_controls_are_escaped_on_output(ws, display, payload) -> None:
    """A database that already holds control characters never drives the terminal."""
    # `check` finds terms by their Chinese text in the source: that column stays clean for it.
    columns = DISPLAY_COLUMNS - {"zh"} if display.startswith("check") else DISPLAY_COLUMNS
    poison_database(ws.db, gen.SINGLE_PAYLOADS[payload], columns)
    queries = ws.write("queries.txt", gen.QUERIES)
    argv, ok = LEGACY_DISPLAYS[display]
    files = {"QUERIES": queries, "ZH": ws.zh_txt, "EN": ws.en_txt}
    argv = [files.get(arg, arg) for arg in argv]
    review = display == "glossary-review"
    ws.run([*argv, "--db", ws.db], ok=ok, reads=not review, stdin="s\n" if review else None)
    ws.verify()
