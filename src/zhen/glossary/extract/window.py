"""The English window of a Chinese span within one pair: which English words the span explains,
the window that covers it best, and the edits that make the window a well-formed term (Title
Case runs, whole hyphenated compounds, no articles or function words at its edges)."""

from __future__ import annotations

import re

from zhen.glossary.extract.coverage import SpanView, anchored_words, content_flags, cover_of
from zhen.glossary.extract.evidence import is_content
from zhen.glossary.extract.shape import AUXILIARIES
from zhen.glossary.extract.tokens import EnToken

_ARTICLES = frozenset(("the", "a", "an"))


def _is_edge_word(token: EnToken) -> bool:
    # A capitalised "To" is part of a name ("To Lam"); a capitalised "The" is still an article.
    return token.lower in _ARTICLES or (not is_content(token) and not token.capitalized)


def extend_hyphens(text: str, en: tuple[EnToken, ...], low: int, high: int) -> tuple[int, int]:
    """Take in the rest of a hyphenated compound the window cuts ("good-neighborliness",
    "people-to-people"): a word is never split at its hyphen."""

    while low > 0 and text[en[low - 1].end : en[low].start] == "-":
        low -= 1
    while high + 1 < len(en) and text[en[high].end : en[high + 1].start] == "-":
        high += 1
    return low, high


def trim(en: tuple[EnToken, ...], low: int, high: int) -> tuple[int, int]:
    """The window without articles or lower-case function words at either edge."""
    while low < high and _is_edge_word(en[low]):
        low += 1
    while high > low and _is_edge_word(en[high]):
        high -= 1
    return low, high


# Endings of English adjectives: a term does not end in one ("exchanges and mutual" lacks its
# noun "learning", "resources of revolutionary" its "heritage").
_ADJECTIVE_ENDINGS = ("al", "ary", "ive", "ic", "ous", "ful", "ant", "ent", "ible", "able")


# Verbs that open a verb phrase around a term ("support comprehensive reform", "oppose
# hegemonism"); -ed and -ing forms are recognised by their ending.
_LEADING_VERBS = frozenset(
    """
    support promote build deepen advance achieve oppose uphold strengthen enhance expand
    implement pursue safeguard launch carry push boost foster
    """.split()  # noqa: SIM905 (a word list reads best as prose)
)


def drop_leading_verb(
    text: str,
    en: tuple[EnToken, ...],
    view: SpanView,
    links: list[int | None],
    low: int,
    high: int,
) -> int:
    """The start of the window without its first word when that is a verb rendering no word of
    the span of its own: linked outside it, or to a Chinese word another word of the window
    renders ("achieved historic accomplishments" → "historic accomplishments" for 历史性成就,
    "has achieved" echoing 成就; 取得 stands outside). A sentence-initial capital does not make
    "Advancing" a name. Call it only for Chinese that does not itself open with a verb
    (讲好友好故事 → "promote stories of friendship")."""
    hyphenated = (low > 0 and text[en[low - 1].end : en[low].start] == "-") or (
        low < high and text[en[low].end : en[low + 1].start] == "-"
    )
    if hyphenated:
        return low  # part of a compound ("much-needed")
    word = en[low].lower
    # Inside a run of capitalised words it is a name's first word ("United Nations"), unless a
    # sentence opens with an -ing form ("Advancing Chinese modernization").
    title_run = en[low].capitalized and low < high and en[low + 1].capitalized
    if title_run and (low > 0 or not word.endswith("ing")):
        return low
    verb = word in _LEADING_VERBS or (len(word) > 4 and word.endswith(("ed", "ing")))
    content_after = sum(1 for j in range(low + 1, high + 1) if is_content(en[j]))
    # After an auxiliary ("has achieved") a participle is a finite verb, not an adjective
    # ("neighboring socialist countries"); then echoing a word of the window gives it away.
    finite = low > 0 and en[low - 1].lower in AUXILIARIES and not en[low].capitalized
    echoed = finite and any(links[j] == links[low] for j in range(low + 1, high + 1))
    if verb and content_after >= 1 and (low not in view.own or echoed):
        return trim(en, low + 1, high)[0]
    return low


def complete_adjective(
    text: str, en: tuple[EnToken, ...], view: SpanView, low: int, high: int
) -> tuple[int, int]:
    """A window ending in an adjective takes in the noun that follows it. Lower case: call it for
    spans whose Chinese is not fully explained, where that noun is the likeliest rendering of the
    rest ("exchanges and mutual" + "learning" for 交流互鉴, 鉴 missing from CC-CEDICT). Title
    Case: a name does not end in its adjective ("CPV Central" + "Committee")."""
    last = en[high].lower
    if high + 1 >= len(en) or len(last) <= 4 or not last.endswith(_ADJECTIVE_ENDINGS):
        return low, high
    after = en[high + 1]
    if text[en[high].end : after.start] != " " or not is_content(after):
        return low, high
    if en[high].capitalized:
        return (low, high + 1) if after.capitalized else (low, high)
    if not after.capitalized and high + 1 not in view.taken:
        return low, high + 1
    return low, high


# Endings of demonyms, capitalised wherever they stand ("German", "Vietnamese", "British").
_DEMONYM_ENDINGS = ("an", "ese", "ish")
_TITLE_JOINERS = frozenset(
    ("of", "and", "the", "for", "in", "on", "to", "with", "at", "by", "as", "a", "an", "from")
)
# Lower-case words a title's window may grow across to reach its next capitalised word
# ("Thinking at the Edge"); not "and", which joins two names more often than it sits in one.
_GROWTH_JOINERS = _TITLE_JOINERS - {"and"}


def title_run(
    text: str, en: tuple[EnToken, ...], view: SpanView, low: int, high: int
) -> tuple[int, int]:
    """Within the window, the Title Case run ("China-Vietnam Year of People-to-People
    Exchanges") holding most of the span's anchored words, when a name or a title quoted in the
    Chinese lands in a window that also holds ordinary lower-case text; else the window."""
    runs: list[tuple[int, int]] = []
    start = None
    for j in range(low, high + 1):
        joined = j > low and text[en[j - 1].end : en[j].start] in (" ", "-")
        if en[j].capitalized:
            if start is None or not joined:
                start = j
            runs.append((start, j))
        elif start is not None and not (joined and en[j].lower in _TITLE_JOINERS):
            start = None
    if not runs:
        return low, high
    # Each (start, j) is a run prefix; keep the longest per start.
    longest: dict[int, int] = {}
    for start, end in runs:
        longest[start] = max(end, longest.get(start, end))
    anchored = [j for j in range(low, high + 1) if view.anchored(j)]
    best = max(
        longest.items(),
        key=lambda run: (sum(1 for j in anchored if run[0] <= j <= run[1]), run[1] - run[0]),
    )
    inside = sum(1 for j in anchored if best[0] <= j <= best[1])
    has_lower = any(is_content(en[j]) and not en[j].capitalized for j in range(low, high + 1))
    if best[1] > best[0] and has_lower and 2 * inside >= len(anchored):
        return best
    return low, high


def extend_capitals(
    text: str,
    en: tuple[EnToken, ...],
    open_words: set[int],
    low: int,
    high: int,
    *,
    across_joiners: bool = False,
    across_and: bool = False,
    linked: frozenset[int] = frozenset(),
) -> tuple[int, int]:
    """Grow a capitalised span over adjacent capitalised words in `open_words` — unlinked, or
    linked to another occurrence of a word of the span ("To" in "To Lam"; "Committee" of "CPV
    Central Committee" when 越共中央 occurs twice) — never across punctuation ("BEIJING,
    Jan."). With `across_joiners` (a title or name), also over up to two lower-case joiners
    when a capitalised open word follows them ("Edge" → "Thinking at the Edge"), and over "and"
    too with `across_and` (a title whose Chinese joins two parts with 和). A word opening
    the sentence is capitalised by position, so it joins only when `linked` (English words
    linked to the span) holds it or it reads as a demonym ("German Chancellor Scholz"): not
    "Take" of "Take Dongcheng District as an example"."""

    def sentence_initial(position: int) -> bool:
        before = text[: en[position].start].rstrip(' "“‘(')
        return not before or before[-1] in ".!?"

    def joined(left: int, right: int) -> bool:
        return text[en[left].end : en[right].start] in (" ", "-")

    def reach(start: int, step: int) -> int | None:
        """The next capitalised open word from `start` in direction `step`, or None."""
        position, skipped = start + step, 0
        while 0 <= position < len(en) and joined(
            min(position, position - step), max(position, position - step)
        ):
            if position not in open_words:
                return None
            if en[position].capitalized:
                by_position = sentence_initial(position) and position not in linked
                if by_position and not en[position].lower.endswith(_DEMONYM_ENDINGS):
                    return None
                return position
            joiners = _TITLE_JOINERS if across_and else _GROWTH_JOINERS
            if not across_joiners or en[position].lower not in joiners or skipped == 2:
                return None
            position, skipped = position + step, skipped + 1
        return None

    if en[low].capitalized:
        while (found := reach(low, -1)) is not None:
            low = found
    if en[high].capitalized:
        while (found := reach(high, 1)) is not None:
            high = found
    return low, high


def best_window(
    text: str,
    en: tuple[EnToken, ...],
    view: SpanView,
    parts: list[tuple[int, set[int]]],
    breaks: re.Pattern[str],
) -> tuple[float, int, int] | None:
    """The English window that best translates the Chinese span: (quality, low, high).

    No window runs across text matching `breaks` (clause punctuation, brackets; a comma unless
    the Chinese enumerates too), so "four global initiatives" is not lost to "Road Initiative,
    and the four global initiatives".

    An English content word counts for the span when it is anchored to it (SpanView.anchored);
    Chinese parts count when a word in the window translates them. Quality is the geometric mean
    of both coverages; among equal windows the one holding more words linked to the span, then
    more translated words, then the tighter one, wins. A window whose Chinese is not fully
    explained may then take in unaligned neighbours.
    """
    anchor_list = anchored_words(view)
    if not anchor_list:
        return None  # no window to start from
    cover = cover_of(en, view, parts, anchor_list)
    best = None
    for a, low in enumerate(anchor_list):
        highs = []
        for high in anchor_list[a:]:
            if high - low > 12 or breaks.search(text, en[low].start, en[high].end):
                break
            highs.append(high)
        for high, (quality, good, _) in zip(highs, cover.along(low, highs), strict=True):
            # Equal quality: the window holding more words the sentence's alignment links to
            # the span (新华社 → "Xinhua", not the "China" of another name), then more
            # translated words, then the tighter one.
            key = (round(quality, 6), cover.own(low, high), good, low - high)
            if best is None or key > best[0]:
                best = (key, low, high)
    if best is None:
        return None
    (quality, *_), low, high = best

    def joined(left: int, right: int) -> bool:
        return all(text[en[k].end : en[k + 1].start] in (" ", "-") for k in range(left, right))

    def right_option(high: int) -> int | None:
        """The next free content word to the right, over at most two function words
        ("community" → "community with a shared")."""
        for k in range(high + 1, min(high + 4, len(en))):
            if is_content(en[k]):
                return k if view.free(k) and joined(high, k) else None
        return None

    # English terms grow to the right (head nouns, "of"/"with" complements); to the left only
    # over capitalised words, since a free word before a noun phrase is mostly its verb
    # ("support comprehensive reform").
    for _ in range(3):
        options = []
        right = right_option(high)
        if right is not None:
            options.append((low, right))
        if low > 0 and view.free(low - 1) and joined(low - 1, low):
            options.append((low - 1, high))
        scored = [(cover(*w)[0], w) for w in options]
        if not scored or max(scored)[0] <= quality:
            break
        quality, (low, high) = max(scored)
    return quality, low, high


def window_qualities(
    en: tuple[EnToken, ...],
    view: SpanView,
    parts: list[tuple[int, set[int]]],
    windows: list[tuple[int, int]],
) -> list[float]:
    """The coverage quality best_window gives each window (low, high); 0 for a window of
    function words only ("of", left when a variant drops a window's only content word)."""
    cover = cover_of(en, view, parts)
    content = content_flags(en)
    return [cover(low, high)[0] if any(content[low : high + 1]) else 0.0 for low, high in windows]


# Words a variant window may grow across to reach one more content word.
_VARIANT_JOINERS = frozenset(("of", "and", "the"))


def edge_variants(
    text: str, en: tuple[EnToken, ...], view: SpanView, low: int, high: int
) -> list[tuple[int, int]]:
    """Windows one word wider or narrower at either edge, for the statistics across pairs to
    judge: a head noun the dictionary does not link ("face" + "shields"), an office word before
    "of" ("Ministry of" + "Education of Jiangxi"), or without an unlinked word the window took
    in ("Countless antihuman crimes")."""

    def joined(left: int, right: int) -> bool:
        return text[en[left].end : en[right].start] in (" ", "-")

    def open_word(j: int) -> bool:
        # A word linked elsewhere may still be the head the window lacks: the alignment links
        # each English word once, often to a look-alike elsewhere in the sentence.
        return is_content(en[j]) and not view.anchored(j)

    def ends_in_adjective(window: tuple[int, int]) -> bool:
        last = en[window[1]].lower
        return window[1] < high and len(last) > 4 and last.endswith(_ADJECTIVE_ENDINGS)

    def grown(edge: int, step: int) -> int | None:
        """The next open word beyond `edge` in direction `step`, over one joiner at most
        ("University" + "of Macau", "Ministry of" + "Education of Jiangxi")."""
        position = edge + step
        if not 0 <= position < len(en) or not joined(min(edge, position), max(edge, position)):
            return None
        if open_word(position):
            return position
        beyond = position + step
        across = (
            en[position].lower in _VARIANT_JOINERS
            and 0 <= beyond < len(en)
            and joined(min(position, beyond), max(position, beyond))
            and open_word(beyond)
        )
        return beyond if across else None

    def mid_name(edge: int, step: int) -> bool:
        """A window edge at `edge` would cut a name whose next word lies beyond it ("Nations"
        of "United Nations")."""
        beyond = edge + step
        return (
            0 <= beyond < len(en)
            and en[edge].capitalized
            and en[beyond].capitalized
            and joined(*sorted((edge, beyond)))
        )

    variants = []
    if (right := grown(high, 1)) is not None and not mid_name(right, 1):
        variants.append((low, right))
    if (left := grown(low, -1)) is not None and not mid_name(left, -1):
        variants.append((left, high))

    def loose(edge: int, inner: int) -> bool:
        """The edge word is unexplained and no part of a name running inward ("United" of
        "United Nations")."""
        in_name = en[edge].capitalized and en[inner].capitalized and joined(*sorted((edge, inner)))
        return edge not in view.own and not view.anchored(edge) and not in_name

    if high > low and loose(high, high - 1):
        variants.append(trim(en, low, high - 1))
    if high > low and loose(low, low + 1):
        variants.append(trim(en, low + 1, high))
    # The window cut to the outermost words the span explains ("Hunan International Expo Center
    # this morning to exhibit" → "Hunan International Expo Center").
    explained = [j for j in range(low, high + 1) if j in view.own or view.anchored(j)]
    if explained:
        variants.append(trim(en, explained[0], explained[-1]))
    # A narrower window never strands an adjective without its noun ("exchanges and mutual",
    # "CPV Central") or holds function words only.
    return [
        extend_hyphens(text, en, *w)
        for w in dict.fromkeys(variants)
        if w != (low, high)
        and not ends_in_adjective(w)
        and any(is_content(en[j]) for j in range(w[0], w[1] + 1))
    ]


# Coverage credited to a window found only between its neighbours' renderings (gap_window).
GAP_QUALITY = 0.5


def gap_window(
    text: str,
    en: tuple[EnToken, ...],
    view: SpanView,
    left: set[int],
    right: set[int],
) -> tuple[int, int] | None:
    """For a Chinese word no evidence links to anything, the free English words between the
    renderings of its neighbours (滥用|无人机|空袭, "by abusing UAV to launch air strikes":
    "UAV" follows "abusing"): the run of unlinked content words right after the left
    neighbour's English, else right before the right neighbour's. `left` and `right` are the
    English words linked to the neighbours."""

    def joined(a: int, b: int) -> bool:
        return text[en[a].end : en[b].start] in (" ", "-")

    def run(start: int, step: int) -> tuple[int, int] | None:
        position, words = start, list[int]()
        while 0 <= position < len(en) and view.free(position) and is_content(en[position]):
            if words and not joined(min(words[-1], position), max(words[-1], position)):
                break
            words.append(position)
            position += step
        return (min(words), max(words)) if words else None

    found = []
    if left:
        after = max(left) + 1
        if after < len(en) and joined(after - 1, after):
            found.append(run(after, 1))
    if right:
        before = min(right) - 1
        if before >= 0 and joined(before, before + 1):
            found.append(run(before, -1))
    windows = [w for w in found if w is not None and w[1] - w[0] < 4]
    return windows[0] if windows else None
