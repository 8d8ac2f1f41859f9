"""A measure the question gives, and whether a sentence's range holds it.

"so if i pull out 3 weeks before how much do i get back" gives three weeks. Of a policy's
"Less than 14 days before the start: no refund", "Between 14 and 28 days before the start:
50% refund" and "More than 28 days before the start: full refund", only the second holds
21 days; words cannot tell them apart, as each shares the same few with the question.
"my mates boat, its about 4.8m long" is a large space's ("Boats 4.5–6 m long"), not a
small one's ("Boats up to 4.5 m long").

    >>> holds("Between 14 and 28 days before the start: 50% refund", given("if i cancel 3 weeks before"))
    True
    >>> holds("More than 28 days before the start: full refund", given("if i cancel 3 weeks before"))
    False
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

# Each unit in a base unit of its kind: days for time, metres for length.
_UNITS: dict[str, tuple[str, float]] = {
    **{u: ("time", 1 / 1440) for u in ("minute", "minutes", "min", "mins")},
    **{u: ("time", 1 / 24) for u in ("hour", "hours", "hr", "hrs")},
    **{u: ("time", 1.0) for u in ("day", "days", "night", "nights")},
    **{u: ("time", 7.0) for u in ("week", "weeks", "wk", "wks")},
    **{u: ("time", 14.0) for u in ("fortnight", "fortnights")},
    **{u: ("time", 30.0) for u in ("month", "months")},
    **{u: ("time", 365.0) for u in ("year", "years", "yr", "yrs")},
    **{u: ("length", 0.001) for u in ("mm",)},
    **{u: ("length", 0.01) for u in ("cm",)},
    **{u: ("length", 1.0) for u in ("m", "metre", "metres", "meter", "meters")},
    **{u: ("length", 1000.0) for u in ("km",)},
    **{u: ("length", 0.3048) for u in ("ft", "foot", "feet")},
}
_WORDS = {
    w: float(n)
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split(),
    )
}
_NUMBER = r"(\d+(?:\.\d+)?|" + "|".join(_WORDS) + r")"
_UNIT = r"(?:(" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")\b)"
# "3 weeks", "4.8m", "two days": a measure the question gives. Not one it asks for ("how
# many days", "how much a month" hold no figure).
_GIVEN = re.compile(rf"(?<![\w.£$€]){_NUMBER}\s*-?\s*{_UNIT}", re.I)
# The ranges a sentence sets, each with its bounds' places in the match.
_BETWEEN = re.compile(rf"\bbetween\s+{_NUMBER}\s*(?:{_UNIT})?\s+and\s+{_NUMBER}\s*{_UNIT}", re.I)
_SPAN = re.compile(rf"(?<![\w.£$€]){_NUMBER}\s*(?:{_UNIT})?\s*(?:–|—|-|to)\s*{_NUMBER}\s*{_UNIT}", re.I)
_ABOVE = re.compile(
    rf"\b(?:more\s+than|over|at\s+least|longer\s+than|above|beyond|from)\s+{_NUMBER}\s*{_UNIT}"
    rf"|(?<![\w.£$€]){_NUMBER}\s*{_UNIT}\s*(?:or\s+(?:more|longer|over|above)|\+)",
    re.I,
)
_BELOW = re.compile(
    rf"\b(?:less\s+than|under|up\s+to|within|no\s+more\s+than|fewer\s+than|shorter\s+than|below)\s+{_NUMBER}\s*{_UNIT}"
    rf"|(?<![\w.£$€]){_NUMBER}\s*{_UNIT}\s*or\s+(?:less|under|shorter|below|fewer)",
    re.I,
)

Measure = tuple[str, float]  # its kind ("time", "length") and its size in the base unit


def _number(text: str) -> float:
    return _WORDS[text.lower()] if text.lower() in _WORDS else float(text)


def _measure(number: str, unit: str) -> Measure:
    kind, factor = _UNITS[unit.lower()]
    return kind, _number(number) * factor


def given(question: str) -> list[Measure]:
    """The measures ``question`` gives ("3 weeks" as 21 days)."""
    return [_measure(m.group(1), m.group(2)) for m in _GIVEN.finditer(question)]


def _ranges(text: str) -> list[tuple[str, float, float]]:
    """The ranges ``text`` sets, each as its kind and its bounds in the base unit."""
    found = []
    taken: list[tuple[int, int]] = []
    for match in [*_BETWEEN.finditer(text), *_SPAN.finditer(text)]:
        low_number, low_unit, high_number, high_unit = match.groups()
        kind, high = _measure(high_number, high_unit)
        low = _measure(low_number, low_unit or high_unit)[1]
        found.append((kind, min(low, high), max(low, high)))
        taken.append(match.span())
    for pattern, bound in ((_ABOVE, "low"), (_BELOW, "high")):
        for match in pattern.finditer(text):
            if any(a <= match.start() < b for a, b in taken):
                continue
            number, unit = [g for g in match.groups() if g is not None][:2]
            kind, size = _measure(number, unit)
            found.append((kind, size, math.inf) if bound == "low" else (kind, 0.0, size))
    return found


def holds(text: str, measures: Sequence[Measure]) -> bool | None:
    """Whether a range ``text`` sets holds a measure the question gave: True if one does,
    False if ``text`` sets ranges of that kind and none holds it, None if it sets none."""
    verdict = None
    for kind, low, high in _ranges(text):
        for asked, size in measures:
            if asked != kind:
                continue
            if low <= size <= high:
                return True
            verdict = False
    return verdict
