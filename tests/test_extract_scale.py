"""The TM-scale benchmark of term extraction (benchmarks/extract_scale.py) times the real
command, and with --stages says when each stage started and what each process had used."""

from __future__ import annotations

import re

import pytest

from tests.support.paths import load_script, third_party

STAGE = re.compile(r"units: ([\w ]+?) at [\d,]+ s; processor s: command ([\d,]+), workers ([\d,]+)")


@pytest.mark.slow
@pytest.mark.subprocess
def test_each_stage_is_timed_in_the_command_it_measures(capsys):
    third_party("data", "tico19")  # skips, saying why, without the data
    third_party("data", "wmt22-general-zhen")
    scale = load_script("benchmarks/extract_scale.py")
    # Three chunks of 500: the workers read and align, the command counts and scores.
    seconds, cpu, peak = scale.run(1200, 2, None, "", "long", stages=True)
    err = capsys.readouterr().err
    stages = [match.groups() for match in STAGE.finditer(err)]
    assert [stage for stage, _, _ in stages] == [
        "reading",
        "pairing words",
        "aligning",
        "counting",
        "scored",
    ]
    workers = [int(used.replace(",", "")) for _, _, used in stages]
    assert workers[0] <= workers[1] <= workers[2] <= workers[3] == workers[4] and workers[3] > 0
    assert "1,200 units: " in err and "terms shown" in err
    assert seconds > 0 and cpu > 0 and peak > 100e6
