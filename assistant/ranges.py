"""A measure the question gives, and whether a sentence's range holds it.

"so if i pull out 3 weeks before how much do i get back" gives three weeks. Of a policy's
"Less than 14 days before the start: no refund", "Between 14 and 28 days before the start:
50% refund" and "More than 28 days before the start: full refund", only the second holds
21 days; words cannot tell them apart, as each shares the same few with the question.
"my mates boat, its about 4.8m long" is a large space's ("Boats 4.5–6 m long"), not a
small one's ("Boats up to 4.5 m long"). An age is read apart from times: "my son is 11"
is in the band "Ages 8 to 11", not in "12 to 17", and "my 14 month old" is "Under 2".

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


# Ages, in years. "my son is 11", "he's 13", "my lad's 13", "im 23": a person's age where
# the number ends its clause (not "im 3 days late", "she is 15 minutes away").
_AGE_IS = re.compile(
    r"\b(?:i['’]?m|i\s+am|(?:he|she)(?:['’]s|\s+is)|(?:son|daughter|kid|child|boy|girl|lad|lass|grandson"
    r"|granddaughter|baby|toddler)(?:['’]s|\s+is)|(?:they|they['’]re|theyre)(?:\s+are)?)"
    r"\s+(?:only\s+|just\s+|nearly\s+|almost\s+|about\s+)?(\d{1,2})(\s*½|\.5|\s+and\s+a\s+half)?"
    r"(?:\s*(?:years?|yrs?)(?:\s+old)?|\s*yo)?"
    r"(?=\s*(?:$|[,.;:!?)]|and\b|but\b|so\b|now\b|next\b|this\b|too\b|can\b|could\b|is\b|are\b|do\b|does\b|will\b"
    r"|which\b|what\b|how\b|would\b|should\b))",
    re.I,
)
# "my 4 yr old", "an 8-year-old", "2½ years old", "14 months old", "my 14 month old".
_AGE_OLD = re.compile(
    r"(?<![\w.,£$€])(\d{1,2})(\s*½|\.5|\s+and\s+a\s+half)?[\s-]*(years?|yrs?|months?|mths?)[\s-]*olds?\b", re.I
)
# An age band: "ages 8 to 11", "aged 14–17", "8 to 11 years", "0-2 years"; a bound: "under 2",
# "under-5s", "18 and over", "65+", "over-65s", "aged 6 and over".
_AGE_SPAN = re.compile(
    r"\b(?:aged?|ages)\s+(?:from\s+)?(\d{1,2})\s*(?:–|—|-|to)\s*(\d{1,2})\b(?:\s*(years?|months?))?"
    r"|(?<![\w.,£$€:])(\d{1,2})\s*(?:–|—|-|to)\s*(\d{1,2})\s*(years?|yrs?|months?)\b",
    re.I,
)
# A bound is an age's only where an age is named: "aged 6 and over", "Age Under 2" (a
# cell after its header), "under-5s", "18 years and over"; not "grade 5+", "groups of 10
# and over" or "under 2 hours".
_AGED = r"\b(?:aged?|ages)\s+(?:(?:of|from)\s+)?"
_AGE_UNDER = re.compile(
    rf"{_AGED}(?:under|below)[\s-]*(\d{{1,2}})(?:\s*(years?|months?))?\b(?![.:]\d)"
    r"|\b(?:under|below)[\s-]*(\d{1,2})(?:s\b|\s*(years?|months?)(?:\s+old)?\b)",
    re.I,
)
_AGE_OVER = re.compile(
    rf"{_AGED}(\d{{1,2}})\s*(?:years?\s+)?(?:and|or)\s+(?:over|older|above)\b|{_AGED}(\d{{1,2}})\+"
    r"|(?<![\w.,£$€:])(\d{1,2})\s*years?\s+(?:and|or)\s+(?:over|older|above)\b|\bover[\s-]*(\d{1,2})s\b",
    re.I,
)


def _in_years(number: str, half: str | None, unit: str | None) -> float:
    value = float(number) + (0.5 if half else 0.0)
    return value / 12 if unit and unit.lower().startswith("m") else value


def ages_given(question: str) -> list[Measure]:
    """The ages ``question`` gives, in years ("my son is 11": 11; "my 14 month old": 14/12)."""
    found = [("age", _in_years(m.group(1), m.group(2), None)) for m in _AGE_IS.finditer(question)]
    found += [("age", _in_years(m.group(1), m.group(2), m.group(3))) for m in _AGE_OLD.finditer(question)]
    return found


def _age_ranges(text: str) -> list[Range]:
    """The age bands ``text`` sets, in years. A band of whole years holds every age in its
    last year: "8 to 11" holds 11½, and "under 2" does not hold 2."""
    found: list[Range] = []
    for match in _AGE_SPAN.finditer(text):
        low, high, unit = (match.group(1), match.group(2), match.group(3)) if match.group(1) else match.group(4, 5, 6)
        lo, hi = sorted((_in_years(low, None, unit), _in_years(high, None, unit)))
        found.append(("age", lo, hi + (1 / 12 if unit and unit.lower().startswith("m") else 1.0), True, False))
    for match in _AGE_UNDER.finditer(text):
        number, unit = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        found.append(("age", 0.0, _in_years(number, None, unit), True, False))
    for match in _AGE_OVER.finditer(text):
        if match.group(4):
            found.append(("age", float(match.group(4)) + 1.0, math.inf, True, True))  # "over-65s"
        else:
            found.append(("age", float(match.group(1) or match.group(2) or match.group(3)), math.inf, True, True))
    return found


def sets_ages(text: str) -> bool:
    """Whether ``text`` sets an age band ("Ages 12 to 17", "aged 6 and over")."""
    return bool(_age_ranges(text))


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


def narrowest(text: str, measures: Sequence[Measure]) -> float:
    """How wide the narrowest range ``text`` sets that holds a measure given is (infinite
    when none does): "Ages 12 to 17" fits a 13-year-old more closely than "aged 6 and over"."""
    read = _ranges(text) + (_age_ranges(text) if any(kind == "age" for kind, _ in measures) else [])
    return min(
        (
            high - low
            for kind, low, high, _, _ in read
            for asked, size in measures
            if asked == kind and low <= size <= high
        ),
        default=math.inf,
    )


def holds(text: str, measures: Sequence[Measure]) -> bool | None:
    """Whether a range ``text`` sets holds a measure the question gave: True if one does,
    False if ``text`` sets ranges of that kind and none holds it, None if it sets none."""
    verdict = None
    read = _ranges(text) + (_age_ranges(text) if any(kind == "age" for kind, _ in measures) else [])
    for kind, low, high, low_within, high_within in read:
        for asked, size in measures:
            if asked != kind:
                continue
            above = size >= low if low_within else size > low
            below = size <= high if high_within else size < high
            if above and below:
                return True
            verdict = False
    return verdict
