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
# "1,000", "4.8", "two": a figure; a comma groups thousands only.
_NUMBER = r"(\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|" + "|".join(_WORDS) + r")"
_UNIT = r"(?:(" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")\b)"
# "3 weeks", "4.8m", "two days": a measure the question gives. Not one it asks for ("how
# many days", "how much a month" hold no figure), nor an age ("8 years old", "aged 8").
_GIVEN = re.compile(rf"(?<![\w.,£$€])(?<!aged\s){_NUMBER}\s*-?\s*{_UNIT}(?!\s*old\b)", re.I)
# The ranges a sentence sets, each with its bounds' places in the match.
_BETWEEN = re.compile(rf"\bbetween\s+{_NUMBER}\s*(?:{_UNIT})?\s+and\s+{_NUMBER}\s*{_UNIT}", re.I)
_SPAN = re.compile(rf"(?<![\w.,£$€])(?:from\s+)?{_NUMBER}\s*(?:{_UNIT})?\s*(?:–|—|-|to)\s*{_NUMBER}\s*{_UNIT}", re.I)
# Bounds, each as whether it is the low one and whether the measure on it is within: "more
# than 28 days" holds 29 days, not 28; "at least 28 days" holds 28. "no more than 3 days" is
# at most 3, "no less than 6 weeks" at least 6 ("no" and "not" turn the bound round).
# "Over 5.5 m" opens a cell; "spread over 3 days" is a duration, no bound.
_BOUNDS: list[tuple[re.Pattern[str], bool, bool]] = [
    (re.compile(rf"\bno[t]?\s+(?:more|longer|later|greater|bigger)\s+than\s+{_NUMBER}\s*{_UNIT}", re.I), False, True),
    (re.compile(rf"\bno[t]?\s+(?:less|fewer|shorter|earlier|sooner)\s+than\s+{_NUMBER}\s*{_UNIT}", re.I), True, True),
    (re.compile(rf"\b(?:more|longer|later|greater|bigger)\s+than\s+{_NUMBER}\s*{_UNIT}", re.I), True, False),
    (re.compile(rf"(?:^|(?<=\t))\s*over\s+{_NUMBER}\s*{_UNIT}|\babove\s+{_NUMBER}\s*{_UNIT}", re.I), True, False),
    (
        re.compile(
            rf"\bat\s+least\s+{_NUMBER}\s*{_UNIT}|(?<![\w.,£$€]){_NUMBER}\s*{_UNIT}\s*(?:or\s+(?:more|longer|over|above)|\+)",
            re.I,
        ),
        True,
        True,
    ),
    (
        re.compile(
            rf"\b(?:less|fewer|shorter)\s+than\s+{_NUMBER}\s*{_UNIT}|\b(?:under|below)\s+{_NUMBER}\s*{_UNIT}", re.I
        ),
        False,
        False,
    ),
    (
        re.compile(
            # "free of charge up to 24 hours in advance" is a notice, which the asker's "2 days
            # before" gives more of, not a bound it must be within.
            rf"\b(?:up\s+to|within)\s+{_NUMBER}\s*{_UNIT}(?!\s+(?:in\s+advance|before|ahead|beforehand|prior))"
            rf"|(?<![\w.,£$€]){_NUMBER}\s*{_UNIT}\s*or\s+(?:less|under|shorter|below|fewer)",
            re.I,
        ),
        False,
        True,
    ),
]

Measure = tuple[str, float]  # its kind ("time", "length") and its size in the base unit
# A range: its kind, its bounds in the base unit, and whether each bound is within it.
Range = tuple[str, float, float, bool, bool]


def _number(text: str) -> float:
    return _WORDS[text.lower()] if text.lower() in _WORDS else float(text.replace(",", ""))


def _measure(number: str, unit: str) -> Measure:
    kind, factor = _UNITS[unit.lower()]
    return kind, _number(number) * factor


def given(question: str) -> list[Measure]:
    """The measures ``question`` gives ("3 weeks" as 21 days); none where it gives a range
    of its own ("3-4 nights"), which no one figure stands for."""
    if _SPAN.search(question) or _BETWEEN.search(question):
        return []
    return [_measure(m.group(1), m.group(2)) for m in _GIVEN.finditer(question)]


def _ranges(text: str) -> list[Range]:
    """The ranges ``text`` sets."""
    found: list[Range] = []
    taken: list[tuple[int, int]] = []
    for match in [*_BETWEEN.finditer(text), *_SPAN.finditer(text)]:
        low_number, low_unit, high_number, high_unit = match.groups()
        kind, high = _measure(high_number, high_unit)
        low = _measure(low_number, low_unit or high_unit)[1]
        found.append((kind, min(low, high), max(low, high), True, True))
        taken.append(match.span())
    for pattern, low_bound, within in _BOUNDS:
        for match in pattern.finditer(text):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue  # a part of a range already read ("not more than", "from 30 minutes to 1 hour")
            taken.append(match.span())
            number, unit = [g for g in match.groups() if g is not None][:2]
            kind, size = _measure(number, unit)
            found.append((kind, size, math.inf, within, True) if low_bound else (kind, 0.0, size, True, within))
    return found


def holds(text: str, measures: Sequence[Measure]) -> bool | None:
    """Whether a range ``text`` sets holds a measure the question gave: True if one does,
    False if ``text`` sets ranges of that kind and none holds it, None if it sets none."""
    verdict = None
    for kind, low, high, low_within, high_within in _ranges(text):
        for asked, size in measures:
            if asked != kind:
                continue
            above = size >= low if low_within else size > low
            below = size <= high if high_within else size < high
            if above and below:
                return True
            verdict = False
    return verdict
