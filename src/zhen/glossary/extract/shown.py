"""Stage 6 of term extraction, presentation: scored Candidates → what `zhen glossary extract`
shows a reviewer (each Chinese term once, best rendering first, the others as "also"), and
which candidates the glossary already knows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from zhen.glossary.entries import DISPLAY_SCORE, Candidate, term_key
from zhen.models import Term
from zhen.text.normalize import normalize_en


def rendering_key(text: str) -> str:
    """English compared without case, curly quotes or a leading article."""
    key = normalize_en(text)
    for article in ("the ", "a ", "an "):
        if key.startswith(article):
            key = key[len(article) :]
            break
    # A possessive is the same rendering: "China's" is "China".
    return key[:-2] if key.endswith("'s") else key


@dataclass(slots=True)
class ShownTerm:
    """One Chinese term as `zhen glossary extract` shows it: its best-scoring rendering, and the
    other renderings found for it that also reach the cut-off (listed, not proposed)."""

    best: Candidate
    others: list[Candidate] = field(default_factory=list)


def shown_terms(
    candidates: Iterable[Candidate], min_score: float = DISPLAY_SCORE
) -> list[ShownTerm]:
    """Candidates at or above the cut-off, one per Chinese term, best first.

    A glossary entry is one Chinese term with one preferred rendering, so a reviewer sees each
    term once with its strongest rendering; the weaker ones for the same term ride along as
    alternatives instead of competing as separate proposals (越共中央 → "CPV Central Committee",
    also "CPV").
    """
    by_term: dict[str, ShownTerm] = {}
    for candidate in sorted(candidates, key=lambda c: (-c.score, -c.count, c.zh, c.en)):
        if candidate.score < min_score:
            break
        key = term_key(candidate.zh)
        if key in by_term:
            by_term[key].others.append(candidate)
        else:
            by_term[key] = ShownTerm(candidate)
    for shown in by_term.values():
        _prefer_full_form(shown)
    return sorted(by_term.values(), key=lambda shown: -shown.best.score)


# A rendering that holds the best one and scores nearly as well is its full form.
_FULL_FORM_MARGIN = 0.05


def _prefer_full_form(shown: ShownTerm) -> None:
    """Propose the full form of a term when it scores nearly as well as a short form it holds:
    习近平 → "Xi Jinping" rather than "Xi", the name the short form abbreviates."""
    best = shown.best
    if not shown.others:
        return
    # Only the runner-up may take over, so every other rendering still scores below the proposal.
    runner_up = max(shown.others, key=lambda c: c.score)
    short = f" {rendering_key(best.en)} "
    if (
        runner_up.score >= best.score - _FULL_FORM_MARGIN
        and short in f" {rendering_key(runner_up.en)} "
    ):
        shown.others = [best, *(c for c in shown.others if c is not runner_up)]
        shown.best = runner_up


def mark_known(candidate: Candidate, known: Sequence[Term]) -> None:
    """Label a candidate the glossary holds: known, with the entry's status, or "forbidden" when
    its rendering is a forbidden one."""
    key = term_key(candidate.zh)
    en = rendering_key(candidate.en)
    for term in known:
        if term_key(term.zh) != key:
            continue
        if en in {rendering_key(r) for r in term.renderings}:
            candidate.known, candidate.known_status = True, term.status
            return
        if en in {rendering_key(r) for r in term.forbidden}:
            candidate.known, candidate.known_status = True, "forbidden"
            return
