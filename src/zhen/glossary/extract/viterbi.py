"""jieba's part-of-speech HMM decoded with arrays: the same path and score as its Python loop."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

# jieba.posseg.viterbi's values for an emission it has not seen and a transition it lacks.
MIN_FLOAT = -3.14e100
MIN_INF = float("-inf")

State = tuple[str, str]  # (B/M/E/S, part-of-speech tag)


class _Model:
    """jieba's transition table as a matrix over its states, largest state first, so that
    the first best score argmax finds is the one max() over (score, state) tuples picks."""

    def __init__(
        self,
        char_states: Mapping[str, Sequence[State]],
        start_p: Mapping[State, float],
        trans_p: Mapping[State, Mapping[State, float]],
        emit_p: Mapping[State, Mapping[str, float]],
    ) -> None:
        self.tables = (char_states, start_p, trans_p, emit_p)
        self.states: list[State] = sorted(trans_p, reverse=True)
        self.index = {state: i for i, state in enumerate(self.states)}
        size = len(self.states)
        self.trans = np.full((size, size), MIN_INF)
        self.follows = np.zeros((size, size), dtype=bool)
        for state, row in trans_p.items():
            for following, p in row.items():
                self.trans[self.index[state], self.index[following]] = p
                self.follows[self.index[state], self.index[following]] = True
        self.leads: npt.NDArray[np.bool_] = np.any(self.follows, axis=1)  # has a next state
        self.start = np.array([start_p[state] for state in self.states])
        self.emit_rows = [emit_p[state] for state in self.states]
        self.everywhere = np.ones(size, dtype=bool)
        self._char_masks: dict[str, npt.NDArray[np.bool_]] = {}

    def allowed(self, char: str) -> npt.NDArray[np.bool_]:
        """The states jieba lets a character take (every state for one it does not list)."""
        mask = self._char_masks.get(char)
        if mask is None:
            listed = self.tables[0].get(char)
            if listed is None:
                return self.everywhere  # not kept: only jieba's own characters are, a bound
            mask = np.zeros(len(self.states), dtype=bool)
            mask[[self.index[state] for state in listed]] = True
            self._char_masks[char] = mask
        return mask

    def emission(self, rows: npt.NDArray[np.intp], char: str) -> npt.NDArray[np.float64]:
        emit = self.emit_rows
        return np.array([emit[row].get(char, MIN_FLOAT) for row in rows])

    def fits(self, tables: tuple[object, ...]) -> bool:
        """True when built from these very tables (jieba's, loaded once)."""
        return all(mine is theirs for mine, theirs in zip(self.tables, tables, strict=True))


_model: _Model | None = None


def viterbi(
    obs: str,
    states: Mapping[str, Sequence[State]],
    start_p: Mapping[State, float],
    trans_p: Mapping[State, Mapping[State, float]],
    emit_p: Mapping[State, Mapping[str, float]],
) -> tuple[float, list[State]]:
    """jieba.posseg.viterbi.viterbi, with the same arguments and result. At each character it
    weighs every state the last one allows against every state the character allows, as jieba
    does, but as one array sum; sums are added in jieba's order, so each score is the same
    float, and ties go to the larger state as jieba's max() over tuples gives them."""
    global _model
    model = _model
    if model is None or not model.fits((states, start_p, trans_p, emit_p)):
        model = _model = _Model(states, start_p, trans_p, emit_p)
    current = np.flatnonzero(model.allowed(obs[0]))
    scores = model.start[current] + model.emission(current, obs[0])
    back: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]] = []
    for char in obs[1:]:
        leading = model.leads[current]
        previous, previous_scores = current[leading], scores[leading]
        expected: npt.NDArray[np.bool_] = np.any(model.follows[previous], axis=0)
        allowed = model.allowed(char) & expected
        if not allowed.any():
            allowed = expected if expected.any() else model.everywhere
        current = np.flatnonzero(allowed)
        # (score before + transition) + emission: jieba's order of addition, for equal floats.
        table = previous_scores[:, None] + model.trans[np.ix_(previous, current)]
        table = table + model.emission(current, char)[None, :]
        best = table.argmax(axis=0)
        scores = table[best, np.arange(len(current))]
        back.append((current, previous[best]))
    last = int(scores.argmax())
    prob = float(scores[last])
    state = int(current[last])
    route = [model.states[state]]
    for positions, came_from in reversed(back):
        state = int(came_from[int(np.searchsorted(positions, state))])
        route.append(model.states[state])
    route.reverse()
    return prob, route
