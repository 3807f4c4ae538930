"""zhen.toml projects: finding and reading the file, database precedence, `zhen init`, and the
glossary files, origins and check settings that lookup, check and `db info` take from it."""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import pytest

from tests.support import run_cli
from tests.support.cli import one_error_line
from zhen import Database
from zhen.models import TranslationUnit
from zhen.project import PROJECT_FILE, find, load
from zhen.search.scope import LookupScope

XINHUA_A = "000_fce62a77146710a9"
XINHUA_B = "004_eb715c92c15eb68e"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A user's home folder inside the test's temp dir; the project folders are made in it."""
    path = tmp_path / "home" / "translator"
    path.mkdir(parents=True)
    return path


@pytest.fixture
def zhen_in(tmp_path: Path, home: Path):
    """Run `zhen` in-process in a folder, with HOME, the data folder and ZHEN_DB the test's."""
    env = {"HOME": str(home), "XDG_DATA_HOME": str(tmp_path / "xdg"), "ZHEN_DB": None}

    def run(folder: Path, *args: object, **extra_env: str | None):
        return run_cli(args, env={**env, **extra_env}, cwd=folder)

    return run


@pytest.fixture
def project(home: Path, seeded_db: Path) -> Path:
    """A client folder holding a copy of the seeded database and a glossary file."""
    folder = home / "client"
    folder.mkdir()
    shutil.copyfile(seeded_db, folder / "client.db")
    (folder / "client.tsv").write_text(
        "zh\ten\tstatus\n同志加兄弟\tcomrades and brothers\tapproved\n", encoding="utf-8"
    )
    return folder


def _write(folder: Path, text: str | bytes) -> Path:
    path = folder / PROJECT_FILE
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _info(zhen_in, folder: Path, *args: object, **env: str | None) -> dict:
    result = zhen_in(folder, "db", "info", "--json", *args, **env)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


# --- finding and reading the file ----------------------------------------------------------


BAD_FILES = [
    ('database = "a.db"\norigins = [\n', "not valid TOML"),
    (b'database = "\xff.db"\n', "not UTF-8"),
    ('databse = "a.db"\n', "unknown key 'databse'"),
    ("database = 3\n", "database must be a non-empty string"),
    ('origins = "xinhua"\n', "origins must be a list of strings"),
    ("origins = []\n", "origins is empty"),
    ('origins = ["a\\u001b[31m"]\n', "control character"),
    ('database_glossary = "first"\n', "database_glossary must be one of after, before, none"),
    ('check = "strict"\n', "check must be a table"),
    ('[check]\nfail_on = "never"\n', "check.fail_on must be one of"),
    ("[check]\nskip = [1]\n", "check.skip must be a non-empty string"),
    ("[check]\nstrict = true\n", "unknown key 'check.strict'"),
    ("glossaries = [[]]\n", "glossaries must be a non-empty string"),
    (b"# " + b"x" * (1 << 20) + b"\n", "larger than"),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ('glossaries = ["~nosuchuser9z/terms.tbx"]\n', "no such user's home folder"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES, ids=[m for _, m in BAD_FILES])
@pytest.mark.parametrize("command", [("lookup", "中国"), ("db", "info"), ("tm", "stats")])
def test_a_bad_project_file_isone_error_line(zhen_in, project, text, message, command):
    path = _write(project, text)
    line = one_error_line(zhen_in(project, *command))
    assert line.startswith(f"zhen: error: {path}: ") and message in line, line
    assert "\x1b" not in line


def test_a_project_file_that_cannot_be_read_isone_error_line(zhen_in, project):
    (project / PROJECT_FILE).mkdir()  # not a file: the search goes on upwards, finds none
    assert _info(zhen_in, project)["project"] is None
    (project / PROJECT_FILE).rmdir()
    path = _write(project, 'database = "client.db"\n')
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            # Root reads any file; reading /proc/self/mem from its start fails for anyone.
            path.unlink()
            path.symlink_to("/proc/self/mem")
        line = one_error_line(zhen_in(project, "db", "info"))
        assert line.startswith(f"zhen: error: {path}: cannot read")
    finally:
        if not path.is_symlink():
            path.chmod(0o644)


def test_found_in_a_parent_folder_up_to_home_but_not_above(zhen_in, project, home, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    deep = project / "drafts" / "2025"
    deep.mkdir(parents=True)
    path = _write(project, 'database = "client.db"\n')
    assert find(deep) == path
    info = _info(zhen_in, deep)
    assert info["project"] == str(path)
    assert info["path"] == str(project / "client.db")
    path.unlink()
    # A file in $HOME applies below it; one in $HOME's parent (say /home) never does.
    broken = _write(home.parent, "not toml at all [[[")
    assert find(deep) is None
    assert _info(zhen_in, deep)["project"] is None
    at_home = _write(home, 'origins = ["x"]\n')
    assert find(deep) == at_home
    broken.unlink()


def test_paths_are_relative_to_the_project_file(project):
    _write(
        project,
        'database = "db/client.db"\nglossaries = ["a.tsv", "~/b.tsv"]\n'
        '[check]\nignore = "ignore.tsv"\nglossaries = []\n',
    )
    settings = load(project / PROJECT_FILE)
    assert settings.database == project / "db" / "client.db"
    assert settings.glossaries == (project / "a.tsv", Path("~/b.tsv").expanduser())
    assert settings.check.ignore == project / "ignore.tsv"
    assert settings.check_glossaries() == ()
    _write(project, 'database = "postgresql://zhen@db.example/client"\n')
    assert load(project / PROJECT_FILE).database == "postgresql://zhen@db.example/client"


# --- which database: option > $ZHEN_DB > project > default -----------------------------------


def test_database_precedence(zhen_in, project, seeded_db, tmp_path):
    from_env = tmp_path / "env.db"
    from_option = tmp_path / "option.db"
    for copy in (from_env, from_option):
        shutil.copyfile(seeded_db, copy)
    default = _info(zhen_in, project)
    assert default["database_from"] == "default" and default["project"] is None
    assert default["path"] == str(tmp_path / "xdg" / "zhen" / "zhen.db")

    _write(project, 'database = "client.db"\n')
    chosen = _info(zhen_in, project)
    assert (chosen["path"], chosen["database_from"]) == (str(project / "client.db"), "project")
    chosen = _info(zhen_in, project, ZHEN_DB=str(from_env))
    assert (chosen["path"], chosen["database_from"]) == (str(from_env), "environment")
    chosen = _info(zhen_in, project, "--db", from_option, ZHEN_DB=str(from_env))
    assert (chosen["path"], chosen["database_from"]) == (str(from_option), "option")
    assert chosen["project"] == str(project / PROJECT_FILE)


def test_db_info_text_names_the_project_file(zhen_in, project):
    result = zhen_in(project, "db", "info")
    assert "project    none" in result.stdout.splitlines()
    path = _write(project, 'database = "client.db"\n')
    lines = zhen_in(project, "db", "info").stdout.splitlines()
    assert f"project    {path}" in lines
    assert "chosen by  the project file" in lines
    assert f"database   {project / 'client.db'}" in lines


def test_a_project_database_that_does_not_exist_is_not_created(zhen_in, project):
    _write(project, 'database = "missing.db"\n')
    line = one_error_line(zhen_in(project, "lookup", "中国"))
    assert "missing.db" in line
    assert not (project / "missing.db").exists()


# --- zhen init -------------------------------------------------------------------------------


def test_init_writes_a_commented_file_zhen_reads(zhen_in, project):
    result = zhen_in(
        project, "init", "--database", "client.db", "--glossary", "client.tsv", "--origin", 'a"b'
    )
    assert result.code == 0, result.stderr
    path = project / PROJECT_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count("\n# ") > 10, "every setting is explained"
    settings = load(path)
    assert settings.database == project / "client.db"
    assert settings.glossaries == (project / "client.tsv",)
    assert settings.origins == ('a"b',)
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == [], "no temp file"


def test_init_without_options_leaves_every_setting_commented(zhen_in, home):
    assert zhen_in(home, "init").code == 0
    settings = load(home / PROJECT_FILE)
    assert (settings.database, settings.glossaries, settings.origins) == (None, (), None)


def test_init_never_replaces_a_file(zhen_in, project):
    path = _write(project, "# mine\n")
    line = one_error_line(zhen_in(project, "init", "--database", "client.db"))
    assert "already exists" in line
    assert path.read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--database", "postgresql://zhen:secret@db.example/client"], "password"),
        (["--origin", "a\x1b[31m"], "control character"),
    ],
)
def test_init_refuses_what_it_should_not_write(zhen_in, project, args, message):
    line = one_error_line(zhen_in(project, "init", *args))
    assert message in line and "secret" not in line
    assert not (project / PROJECT_FILE).exists()


# --- lookup: glossary files and origins ------------------------------------------------------


def _lookup(zhen_in, folder: Path, *args: object) -> dict:
    result = zhen_in(folder, "lookup", *args, "--json")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def test_lookup_searches_the_project_glossaries_first(zhen_in, project):
    _write(project, 'database = "client.db"\nglossaries = ["client.tsv"]\n')
    terms = _lookup(zhen_in, project, "同志加兄弟")["terms"]
    assert [(t["en"], t["origin"]) for t in terms[:2]] == [
        ("comrades and brothers", "client.tsv"),
        ("camaraderie plus brotherhood", "glossary"),
    ]
    assert terms[0]["term_id"] is None
    text = zhen_in(project, "lookup", "同志加兄弟").stdout
    assert "同志加兄弟 → comrades and brothers  [approved, exact, client.tsv]" in text

    _write(
        project,
        'database = "client.db"\nglossaries = ["client.tsv"]\ndatabase_glossary = "before"\n',
    )
    terms = _lookup(zhen_in, project, "同志加兄弟")["terms"]
    assert [t["origin"] for t in terms[:2]] == ["glossary", "client.tsv"]

    _write(
        project, 'database = "client.db"\nglossaries = ["client.tsv"]\ndatabase_glossary = "none"\n'
    )
    terms = _lookup(zhen_in, project, "同志加兄弟")["terms"]
    assert [t["origin"] for t in terms] == ["client.tsv"]


def test_lookup_glossary_option_replaces_the_projects(zhen_in, project):
    other = project / "other.tsv"
    other.write_text("zh\ten\n同志加兄弟\tcomrades plus brothers\n", encoding="utf-8")
    _write(project, 'database = "client.db"\nglossaries = ["client.tsv"]\n')
    terms = _lookup(zhen_in, project, "同志加兄弟", "--glossary", other)["terms"]
    assert [t["origin"] for t in terms[:2]] == ["other.tsv", "glossary"]
    assert "client.tsv" not in {t["origin"] for t in terms}
    # Without a project the option works all the same, on the default database.
    (project / PROJECT_FILE).unlink()
    terms = _lookup(zhen_in, project, "同志加兄弟", "--glossary", other)["terms"]
    assert terms[0]["origin"] == "other.tsv"


def test_an_entry_a_higher_glossary_has_is_shown_once(zhen_in, project):
    same = project / "same.tsv"
    same.write_text("zh\ten\n同志加兄弟\tcamaraderie plus brotherhood\n", encoding="utf-8")
    terms = _lookup(zhen_in, project, "同志加兄弟", "--db", "client.db", "--glossary", same)[
        "terms"
    ]
    shown = [(t["en"], t["origin"]) for t in terms if t["zh"] == "同志加兄弟"]
    assert shown == [("camaraderie plus brotherhood", "same.tsv")]


def test_a_missing_glossary_file_isone_error_line(zhen_in, project):
    _write(project, 'database = "client.db"\nglossaries = ["gone.tsv"]\n')
    line = one_error_line(zhen_in(project, "lookup", "中国"))
    assert str(project / "gone.tsv") in line


def _origins(data: dict) -> set[str]:
    return {unit["origin"] for unit in data["units"]}


def test_lookup_origin_option_limits_tm_hits(zhen_in, project):
    args = ("--db", "client.db", "--limit", "50", "--min-score", "0")
    assert _origins(_lookup(zhen_in, project, "中国", *args)) == {XINHUA_A, XINHUA_B}
    assert _origins(_lookup(zhen_in, project, "中国", *args, "--origin", XINHUA_B)) == {XINHUA_B}
    both = _lookup(zhen_in, project, "中国", *args, "--origin", XINHUA_A, "--origin", XINHUA_B)
    assert _origins(both) == {XINHUA_A, XINHUA_B}
    # Terms are not TM units: the origin leaves them alone.
    assert _lookup(zhen_in, project, "中国", *args, "--origin", XINHUA_B)["terms"]


def test_lookup_origin_limits_fuzzy_matches_too(zhen_in, project):
    with Database(project / "client.db", readonly=True) as db:
        unit = next(u for u in db.units() if u.origin == XINHUA_B and len(u.zh) > 20)
    query = unit.zh[:-3] + "了吗"  # a near match of a 004 sentence, not a substring
    found = _lookup(zhen_in, project, query, "--db", "client.db")
    assert any(u["zh"] == unit.zh and u["kind"] == "unit" for u in found["units"])
    kept = _lookup(zhen_in, project, query, "--db", "client.db", "--origin", XINHUA_A)
    assert all(u["zh"] != unit.zh for u in kept["units"])
    assert _origins(kept) <= {XINHUA_A}


def test_an_origin_matches_a_unit_any_of_whose_sources_it_is(zhen_in, project):
    with Database(project / "client.db", readonly=True) as db:
        unit = next(u for u in db.units() if u.origin == XINHUA_A and "中国" in u.zh)
    client_tm = project / "client-tm.tsv"
    client_tm.write_text(f"{unit.zh}\t{unit.en}\n", encoding="utf-8")
    assert zhen_in(project, "tm", "import", client_tm, "--db", "client.db").code == 0
    data = _lookup(
        zhen_in, project, "中国", "--db", "client.db", "--origin", "client-tm.tsv", "--limit", "50"
    )
    # The unit came first from 000 and shows that origin; the client's file also supplied it.
    assert [(u["zh"], u["origin"]) for u in data["units"]] == [(unit.zh, XINHUA_A)]


def test_project_origins_apply_unless_the_option_replaces_them(zhen_in, project):
    _write(project, f'database = "client.db"\norigins = ["{XINHUA_B}"]\n')
    args = ("--limit", "50", "--min-score", "0")
    assert _origins(_lookup(zhen_in, project, "中国", *args)) == {XINHUA_B}
    assert _origins(_lookup(zhen_in, project, "中国", *args, "--origin", XINHUA_A)) == {XINHUA_A}
    batch = project / "queries.txt"
    batch.write_text("中国\n合作\n", encoding="utf-8")
    for line in zhen_in(project, "lookup", "--batch", batch, "--json").stdout.splitlines():
        assert _origins(json.loads(line)) == {XINHUA_B}


def test_an_unknown_origin_option_gets_a_note(zhen_in, project):
    result = zhen_in(project, "lookup", "中国", "--db", "client.db", "--origin", "xinhau")
    assert result.code == 0
    assert "zhen: note: no unit has the origin 'xinhau'" in result.stderr
    assert "TM matches" not in result.stdout and "Concordance" not in result.stdout


def test_scope_on_the_python_api(project):
    with Database(project / "client.db", readonly=True) as db:
        scope = LookupScope(glossary_files=(project / "client.tsv",), origins=(XINHUA_B,))
        result = db.lookup("同志加兄弟", scope=scope, min_score=0)
        assert result.terms[0].origin == "client.tsv"
        assert {hit.origin for hit in (*result.units, *result.concordance)} <= {XINHUA_B}
        assert db.lookup("同志加兄弟") == db.lookup("同志加兄弟", scope=LookupScope())


# --- check ------------------------------------------------------------------------------------


@pytest.fixture
def draft(project: Path) -> tuple[Path, Path]:
    source = project / "source.txt"
    source.write_text("双方赓续同志加兄弟的传统友谊。\n", encoding="utf-8")
    target = project / "draft.txt"
    target.write_text(
        "the two sides carried forward their traditional friendship of comrades and brothers.\n"
    )
    return source, target


def _kinds(result) -> list[str]:
    return [issue["kind"] for issue in json.loads(result.stdout)["issues"]]


def test_check_honours_the_check_table(zhen_in, project, draft):
    source, target = draft
    args = ("check", source, target, "--presegmented", "--json")
    _write(project, 'database = "client.db"\n')
    plain = zhen_in(project, *args)
    assert plain.code == 1 and "term-forbidden" in _kinds(plain)
    assert "lowercase-start" in _kinds(plain)

    _write(project, 'database = "client.db"\n[check]\nskip = ["lowercase-start"]\n')
    skipped = zhen_in(project, *args)
    assert "lowercase-start" not in _kinds(skipped) and "term-forbidden" in _kinds(skipped)
    # The command line adds to the file's kinds.
    both = zhen_in(project, *args, "--skip", "term-forbidden")
    assert not {"lowercase-start", "term-forbidden"} & set(_kinds(both))

    # Left with a warning only, the exit status follows the file's fail_on.
    only_warning = '[check]\nskip = ["term-forbidden", "term-missing"]\n'
    _write(project, f'database = "client.db"\n{only_warning}')
    assert zhen_in(project, *args).code == 1
    _write(project, f'database = "client.db"\n{only_warning}fail_on = "error"\n')
    assert zhen_in(project, *args).code == 0
    assert zhen_in(project, *args, "--fail-on", "warning").code == 1


def test_check_uses_the_project_glossary_first(zhen_in, project, draft):
    source, target = draft
    args = ("check", source, target, "--presegmented", "--json", "--skip", "lowercase-start")
    # The client's glossary makes "comrades and brothers" the rendering; the database's entry
    # for the same Chinese (which forbids it) ranks below and is left out.
    _write(project, 'database = "client.db"\nglossaries = ["client.tsv"]\n')
    result = zhen_in(project, *args)
    assert "term-forbidden" not in _kinds(result), result.stdout
    assert "term-missing" not in _kinds(result)
    _write(
        project, 'database = "client.db"\nglossaries = ["client.tsv"]\n[check]\nglossaries = []\n'
    )
    assert "term-forbidden" in _kinds(zhen_in(project, *args))


def test_check_with_an_unknown_skip_kind_in_the_file_names_it(zhen_in, project, draft):
    path = _write(project, '[check]\nskip = ["lowercase"]\n')
    line = one_error_line(zhen_in(project, "check", *draft))
    assert line.startswith(f"zhen: error: {path}: check.skip: unknown issue kind 'lowercase'")


def test_check_ignore_file_from_the_project(zhen_in, project, draft):
    source, target = draft
    args = ("check", source, target, "--presegmented", "--json")
    _write(project, 'database = "client.db"\n')
    assert zhen_in(project, *args, "--write-ignore", project / "accepted.tsv").code == 1
    _write(project, 'database = "client.db"\n[check]\nignore = "accepted.tsv"\n')
    result = zhen_in(project, *args)
    assert result.code == 0 and _kinds(result) == []


def test_a_word_the_origins_lack_is_no_division_by_zero(project):
    with Database(project / "client.db") as db:
        db.import_pairs([TranslationUnit(zh="你好，世界。", en="Hello, world.")], origin="tiny")
    with Database(project / "client.db", readonly=True) as db, warnings.catch_warnings():
        warnings.simplefilter("error")
        result = db.lookup("China Vietnam", scope=LookupScope(origins=("tiny",)), min_score=0)
    assert result.units == [] and result.concordance == []


def test_tui_reports_a_bad_glossary_file_before_taking_the_screen(zhen_in, project):
    _write(project, 'database = "client.db"\nglossaries = ["gone.tsv"]\n')
    line = one_error_line(zhen_in(project, "tui"))
    assert str(project / "gone.tsv") in line
    line = one_error_line(zhen_in(project, "tui", "--glossary", "client.tsv", "--db", "none.db"))
    assert "none.db" in line


def test_an_open_session_sees_the_origins_change(project):
    """The TUI keeps a connection open for hours: imports and deletes by others must show."""
    path = project / "client.db"
    scope = LookupScope(origins=("late.tsv",))

    def found(db: Database) -> list[str]:
        result = db.lookup("中国", scope=scope, limit=50, min_score=0)
        return [hit.zh for hit in (*result.units, *result.concordance)]

    with Database(path, readonly=True) as session:
        assert found(session) == []
        with Database(path) as other:
            unit = next(u for u in other.units() if "中国" in u.zh)
            other.import_pairs([TranslationUnit(zh=unit.zh, en=unit.en)], origin="late.tsv")
        assert found(session) == [unit.zh]
        with Database(path) as other:
            other.delete_origin("late.tsv")
        assert found(session) == []


def test_align_is_anchored_by_the_projects_glossaries(tmp_path: Path) -> None:
    """Without --glossary, `zhen align` in a project anchors on the project's glossary files."""
    from tests.support.paths import REPO_ROOT, SOURCES

    article = SOURCES / "000_fce62a77146710a9.txt"
    (tmp_path / "anchors.tsv").write_bytes((REPO_ROOT / "glossary" / "xinhua.tsv").read_bytes())

    def mean_score(*options: object, cwd: Path) -> float:
        argv = ["align", article, "-o", tmp_path / "out.tsv", "--json", *options]
        result = run_cli(argv, cwd=cwd)
        assert result.code == 0, result.stderr
        return json.loads(result.stdout)["mean_score"]

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    plain = mean_score(cwd=outside)
    anchored = mean_score("--glossary", tmp_path / "anchors.tsv", cwd=outside)
    assert anchored != plain
    (tmp_path / "zhen.toml").write_text('glossaries = ["anchors.tsv"]\n', encoding="utf-8")
    assert mean_score(cwd=tmp_path) == anchored
