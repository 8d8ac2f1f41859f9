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
    # Areas, in square metres: "a plot of 250 sq m" falls in "151–300 sq m".
    **{
        u: ("area", 1.0)
        for u in ("sq m", "sq. m", "sqm", "m2", "square metre", "square metres", "square meter", "square meters")
    },
    **{u: ("area", 0.092903) for u in ("sq ft", "sq. ft", "sqft", "square foot", "square feet")},
    **{u: ("area", 4046.86) for u in ("acre", "acres")},
    **{u: ("area", 10000.0) for u in ("hectare", "hectares")},
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
_GIVEN = re.compile(rf"(?<![\w.,£$€])(?<!aged\s){_NUMBER}\s*-?\s*{_UNIT}(?![\s-]*olds?\b)", re.I)
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


# Ages, in years. Who may be given an age: the asker, a pronoun, or someone the asker names
# by their relation ("my son is 11", "my nephew is 7", "my dad is 70").
_WHO = (
    r"(?:i['’]?m|i\s+am|(?:he|she)(?:['’]s|\s+is)|hes|shes|(?:they|they['’]re|theyre)(?:\s+are)?|(?:(?:son|daughter|kid|child"
    r"|boy|girl|lad|lass|grandson|granddaughter|baby|toddler|nephew|niece|brother|sister|friend|mate|partner|wife"
    r"|husband|dad|mum|mom|father|mother|grandad|grandpa|grandma|nan|twins|kids|children|boys|girls)"
    r"(?:['’]s|\s+is|\s+are|,)))"
)
# A number and how much of a year it is: "11", "2½", "2.5", "2 and a half", "6 months".
_AGE = r"(\d{1,2})(\s*½|\.5(?!\d)|\s+and\s+a\s+half)?(?:\s*(years?|yrs?|months?|mths?)(?:\s+old)?|\s*yo\b)?"
# "my son is 11", "he's 13", "my lad's 13", "im 23", "my daughter, 9,", "he turns 12": where the
# number ends its clause (not "im 3 days late", "she is 15 minutes away", "she is 1.5m tall").
# "he turns 12 in june", "she's 5 on saturday": when the age is reached. Not a place in a
# count ("im 2 in the queue", "they are 4 in our group").
_WHEN_NEXT = (
    r"(?:on|in)\s+(?:the\s+)?(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun"
    r"|day\b|spring|summer|autumn|fall|winter|reception|year\s+\d|a\s+(?:week|month|year|fortnight|few|couple)"
    r"|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:days|weeks|months|years)|next|this)"
)
_AGE_IS = re.compile(
    rf"\b(?:{_WHO}|turns?|turned|turning)\s+(?:only\s+|just\s+|nearly\s+|almost\s+|about\s+)?{_AGE}"
    rf"(?=\s*(?:$|[,.;:](?!\d)|[!?)]|\s[-–—]\s(?!\d)|and\b|but\b|so\b|now\b|next\b|this\b|too\b|today\b|{_WHEN_NEXT}|soon\b|can\b"
    r"|could\b|is\b|are\b|do\b|does\b|will\b|which\b|what\b|how\b|would\b|should\b))",
    re.I,
)
# "... are 5 and 8": a second age after the first.
_AND_AGE = re.compile(r"^\s*(?:and|&)\s+(\d{1,2})\b(?![.,:]\d)", re.I)
# "my 4 yr old", "an 8-year-old", "2½ years old", "my 14 month old", "my 7yo", "twins aged 9".
# Not the end of a range ("8-11 year olds" gives no one age).
_AGE_OLD = re.compile(
    r"(?<![\w.,£$€–-])(?<!\d\s)(?<!\bto\s)(\d{1,2})(\s*½|\.5(?!\d)|\s+and\s+a\s+half)?"
    r"(?:[\s-]*(years?|yrs?|months?|mths?)[\s-]*olds?\b|\s*(?:yo|y/o)\b)"
    r"|\baged\s+(\d{1,2})\b(?!\s*(?:–|—|-|to)\s*\d)(?![.,:]\d)",
    re.I,
)
# Units of age and how much of a year each is.
_OF_A_YEAR = {"y": 1.0, "m": 1 / 12, "w": 7 / 365, "d": 1 / 365}
_AGE_UNIT = r"(years?|yrs?|months?|mths?|weeks?|days?)"
# Words that make a number after them an age: "aged 6", "Ages 8 to 11" (a cell after its
# header "Ages", "Age group", "Age range"), "children under 14", "anyone under 18".
_AGED = (
    r"(?:\b(?:aged?|ages)(?:\s+(?:group|range|band|limit)s?)?\s*:?\s+(?:(?:of|from|between)\s+)?"
    r"|\b(?:children|child|kids|babies|toddlers|juniors|pupils|anyone|people|those|everyone|members|visitors"
    r"|passengers|guests|players|swimmers|climbers|riders)\s+(?:aged\s+)?)"
)
_NUM = r"(\d{1,2}(?:\s*½|\.5)?)"
# An age band: "ages 8 to 11", "aged 6-12 weeks", "Ages 2½ to 4", "children 2-5 years", "5-11
# year olds", "aged 6 months to 2 years".
_AGE_SPAN = re.compile(
    rf"{_AGED}{_NUM}\s*{_AGE_UNIT}?\s*(?:–|—|-|to|and)\s*{_NUM}\s*{_AGE_UNIT}?\b(?!\s*(?:%|[:.]\d))"
    rf"|(?<![\w.,£$€:])(?<!\d\s)(?<!\bfor\s){_NUM}\s*(?:–|—|-|to)\s*{_NUM}[\s-]*(years?|yrs?|months?)[\s-]*olds?\b",
    re.I,
)
# Bounds: "aged under 2", "children under 14", "Junior (under 16)", "under-5s", "Under 18s";
# "aged 6 and over", "aged over 65", "Adults (18+)", "18+ only", "over-65s", "Over 18s"; "14
# and under", "aged 14 and under"; "Minimum age 16", "Maximum age 12".
_AGE_BELOW = re.compile(
    rf"(?:{_AGED}|\()(?:under|below|younger\s+than)[\s-]*{_NUM}\s*{_AGE_UNIT}?\b(?![.:]\d)"
    rf"|\b(?:under|below)[\s-]*{_NUM}(?:s\b|\s*{_AGE_UNIT}(?:\s+old)?\b)"
    rf"|{_AGED}{_NUM}\s*{_AGE_UNIT}?\s*(?:and|or)\s+(?:under|younger|below)\b"
    rf"|\bmaximum\s+age\s*:?\s*(?:of\s+)?{_NUM}\b",
    re.I,
)
_AGE_ABOVE = re.compile(
    rf"{_AGED}{_NUM}\s*{_AGE_UNIT}?\s*(?:\+|(?:and|or)\s+(?:over|older|above|upwards)\b)"
    rf"|(?:{_AGED}|\()(?:over|above|older\s+than)[\s-]*{_NUM}\b(?![.:]\d)"
    rf"|(?:^|(?<=[\t(]))\s*{_NUM}\+(?=\s*(?:\)|only\b|$|[,;\t]))"
    rf"|(?<![\w.,£$€:]){_NUM}\s*{_AGE_UNIT}\s+(?:and|or)\s+(?:over|older|above)\b"
    rf"|\bover[\s-]*{_NUM}s\b"
    rf"|\bminimum\s+age\s*:?\s*(?:of\s+)?{_NUM}\b",
    re.I,
)


def _in_years(number: str, half: str | None = None, unit: str | None = None) -> float:
    value = float(number.replace("½", "").strip() or 0) + (0.5 if half or "½" in number else 0.0)
    return value * _OF_A_YEAR[unit[0].lower()] if unit else value


def ages_given(question: str) -> list[Measure]:
    """The ages ``question`` gives, in years ("my son is 11": 11; "my 14 month old": 14/12;
    "my kids are 5 and 8": 5 and 8)."""
    found: list[Measure] = []
    for match in _AGE_IS.finditer(question):
        found.append(("age", _in_years(match.group(1), match.group(2), match.group(3))))
        if more := _AND_AGE.match(question[match.end() :]):
            found.append(("age", float(more.group(1))))
    for match in _AGE_OLD.finditer(question):
        if match.group(4):
            found.append(("age", float(match.group(4))))
        else:
            found.append(("age", _in_years(match.group(1), match.group(2), match.group(3))))
    return list(dict.fromkeys(found))


def _age_ranges(text: str) -> list[Range]:
    """The age bands ``text`` sets, in years. A band of whole years holds every age in its
    last year: "8 to 11" holds 11½, "under 2" does not hold 2, "over-65s" holds 65."""
    found: list[Range] = []
    taken: list[tuple[int, int]] = []
    for match in _AGE_SPAN.finditer(text):
        groups = match.groups()
        low, low_unit, high, high_unit = groups[:4] if groups[0] else (groups[4], groups[6], groups[5], groups[6])
        unit = high_unit or low_unit
        lo, hi = _in_years(low, None, low_unit or unit), _in_years(high, None, unit)
        last = _OF_A_YEAR[unit[0].lower()] if unit else 1.0  # the last year (or month) is in the band
        found.append(("age", min(lo, hi), max(lo, hi) + last, True, False))
        taken.append(match.span())
    for pattern, below in ((_AGE_BELOW, True), (_AGE_ABOVE, False)):
        for match in pattern.finditer(text):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue
            number = next(g for g in match.groups() if g is not None)
            units = [g for g in match.groups()[1:] if g is not None and g[:1].isalpha()]
            size = _in_years(number, None, units[0] if units else None)
            and_under = re.search(r"(?:and|or)\s+(?:under|younger|below)|maximum", match.group(0), re.I)
            if below:
                last = _OF_A_YEAR[units[0][0].lower()] if units else 1.0
                found.append(("age", 0.0, size + last if and_under else size, True, False))
            else:
                found.append(("age", size, math.inf, True, True))
            taken.append(match.span())
    return found


def sets_ages(text: str) -> bool:
    """Whether ``text`` sets an age band ("Ages 12 to 17", "aged 6 and over")."""
    return bool(_age_ranges(text))


def only_ages(text: str) -> bool:
    """Whether the figures of ``text`` are all of age bands ("Ages 12 to 17"), not also a
    time or a price ("Ages 6 to 8, Saturdays 10:00–10:45")."""
    bands = [*_AGE_SPAN.finditer(text), *_AGE_BELOW.finditer(text), *_AGE_ABOVE.finditer(text)]
    if not bands:
        return False
    rest = text
    for match in sorted(bands, key=lambda m: -m.start()):
        rest = rest[: match.start()] + " " + rest[match.end() :]
    return not any(ch.isdigit() for ch in rest)


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


def narrowest(text: str, measures: Sequence[Measure]) -> tuple[float, float]:
    """How close the narrowest range ``text`` sets that holds a measure given fits it, as
    (width, minus the lower bound), least first; (inf, inf) when none holds it. "Ages 12 to
    17" fits a 13-year-old more closely than "aged 6 and over", and "67 or over" a
    68-year-old more closely than "18 and over"."""
    fits = [(high - low, -low) for low, high in _holding(text, measures)]
    return min(fits, default=(math.inf, math.inf))


def _holding(text: str, measures: Sequence[Measure]) -> list[tuple[float, float]]:
    read = _ranges(text) + (_age_ranges(text) if any(kind == "age" for kind, _ in measures) else [])
    return [
        (low, high)
        for kind, low, high, low_within, high_within in read
        for asked, size in measures
        if asked == kind
        and (size >= low if low_within else size > low)
        and (size <= high if high_within else size < high)
    ]


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
