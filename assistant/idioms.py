"""Idioms a question or a document may use for a plain word the other would use instead.

"What does the US bring to the table?" asks what it offers; "What did she do for a
living?" asks for her work. The idiom's own words ("table", "living") name nothing the
answer is about, and a rare one among them would pull towards any sentence that happens
to use it, so the answerer reads the plain words in their place; a document's "In short:"
and a question's "sum up" both read "summary".

    >>> plain("What does America bring to the table economically?")
    'What does America offer economically?'
"""

from __future__ import annotations

import functools
import re

# An idiom (a regular expression over the question's words) and the plain words it stands for.
# What is brought or got back: "it", "my deposit", "the car"; not a way of travelling back
# ("get the last bus back", "take the train back to town", "took the long way back").
_RETURNED = (
    r"(?:it|them|this|that|these|those|(?:the|my|your|our|their|his|her|any)\s+"
    r"(?!(?:last|first|next|long|short|quick|early|late)\b|(?:\w+\s+)?(?:bus|train|ferry|boat|coach|tram|taxi|lift"
    r"|way|road|path|route|flight|one)\b)(?:\w+\s+)?\w+)"
)
_TABLE = [
    (r"(?:brings?|brought|bringing)\s+to\s+the\s+table", "offer"),
    # "What's in it for the US?" asks what the US gains: its "it" stands for nothing.
    (r"what(?:['’]s|\s+is)\s+in\s+it\s+for", "what benefits for"),
    (r"(?:do|does|did|doing)\s+for\s+a\s+living", "work as"),
    (r"for\s+a\s+living", "as work"),
    (r"sums?\s+up|summed\s+up|summing\s+up|summari[sz]e[sd]?|summari[sz]ing", "summary"),
    (r"in\s+a\s+nutshell|in\s+short|in\s+sum|all\s+in\s+all|to\s+conclude|in\s+conclusion", "in summary"),
    (r"keeps?\s+an\s+eye\s+on|kept\s+an\s+eye\s+on", "monitor"),
    (r"gets?\s+rid\s+of|got\s+rid\s+of", "remove"),
    # "enabled" and "enable" are different terms to the light stemmer, as a document's
    # "is actually enabled" and "enable it" are different forms: the tense is kept.
    (r"(?:turned|switched)\s+on", "enabled"),
    (r"(?:turned|switched)\s+off", "disabled"),
    (r"(?:turns?|turning|switch(?:es)?|switching)\s+on", "enable"),
    (r"(?:turns?|turning|switch(?:es)?|switching)\s+off", "disable"),
    (r"figures?\s+out|figured\s+out", "determine"),
    (r"comes?\s+up\s+with|came\s+up\s+with", "propose"),
    (r"(?:is|are|was|were)\s+in\s+charge\s+of", "leads"),
    (r"(?:takes?|took)\s+place", "happen"),
    (r"(?:the\s+)?bottom\s+line", "conclusion"),
    # "what number do i ring if she's off sick?" asks about a child absent through illness;
    # "how soon will they come back?" when they return; "do i get money off?" a discount.
    (r"off\s+sick", "absent ill"),
    (r"(?:come|comes|came|coming)\s+back(?!\s+(?:in|with|on|up)\b)", "return"),
    # "what time's the last one back" asks for the last return bus, train or boat.
    (
        r"(?:(?<=\bone\s)|(?<=\bbus\s)|(?<=\btrain\s)|(?<=\bboat\s)|(?<=\bferry\s)|(?<=\bcoach\s)|(?<=\bshuttle\s))back"
        r"(?!\s+(?:door|of|row|seat|seats|page|up)\b)",
        "back return",
    ),
    (r"money\s+off", "discount"),
    # "whats the cheapest package": the one of the lowest price, as a table's column says.
    (r"cheapest|least\s+expensive", "cheapest price"),
    (r"most\s+expensive|priciest|dearest", "most expensive price"),
    # "what happens if i go over my hours", "if i go over the allowance": what is beyond it,
    # and extra, as a guide says ("Firing beyond the amount included ...", "£6 per extra
    # hour"); not going over a bridge, a form, the data or a time sheet with someone.
    (
        r"(?:go|goes|going|gone|went)\s+over(?=\s+(?:my|the|your|our|their|its)\s+(?:\w+\s+)?"
        r"(?:hours|allowance|limit|minutes|quota|credits)\b)",
        "go beyond extra",
    ),
    # "when i bring the car back": something returned, as a guide says; "do i get my subs
    # back" is returned or refunded ("... is returned to you", "... refunded"). The verb is
    # read so; what is returned stays.
    (
        r"(?:brings?|brought|bringing|takes?|took|taking|hands?|handed|handing)(?=\s+" + _RETURNED + r"\s+back\b)",
        "return",
    ),
    (
        r"(?:gives?|gave|giving|gets?|got|getting)(?=\s+" + _RETURNED + r"\s+back\b)",
        "return refund",
    ),
    # "how long will they hold onto it if i don't pick it up": how long it is kept if it is
    # not collected, as a pharmacy's or a lost property office's guide says it.
    # Not a pace, a call or a bus picked up, nor what picks up with nothing picked ("if it
    # picks up while im out": the wind rising).
    (
        r"(?:pick|picks|picked|picking)(?=\s+(?:" + _RETURNED + r"\s+)?up\b)"
        r"(?!\s+up\s+(?:the\s+|a\s+|my\s+)?(?:phone|pace|speed|call|calls|slack|tab|signal|bus|train|coach|habit)\b)"
        r"(?!\s+up\s*(?:$|[?.!,;]|(?:while|when|whilst|if|again|later|overnight|during|so|and|but|too)\b))",
        "collect",
    ),
    (r"(?:hold|holds|held|holding)\s+on(?:to|\s+to)", "keep"),
    # "how much clay comes with it", "what comes with each package": what is included, as a
    # table heads the column ("Clay included"); not someone coming with anyone ("can i come
    # with a friend", "do children have to come with an adult").
    (r"(?:come|comes|came|coming)\s+with(?=\s+(?:it|that|this|each|every)\b)", "come included with"),
    # "is there a sign up fee", "how do i sign up": joining, as a club's guide says it.
    (r"sign(?:s|ed|ing)?[\s-]?ups?|signups?", "sign up join"),
    # "How far off is the deal?" asks how near it is, not a distance ("how far away" is one).
    (r"how\s+far\s+off\s+(?=is|are|was|were)", "how near "),
    (r"(?:jump|jumps|jumped|jumping|leap|leaps|leapt)\s+(?:straight\s+|right\s+)?over", "skip"),
    (r"(?:puts?|putting)\s+off", "delay"),
    (r"(?:carry|carries|carried|carrying)\s+out", "perform"),
    (r"(?:leave|leaves|left|leaving)\s+out", "omit"),
    # "What does that add up to right now?" asks for the total as it currently stands.
    (r"(?:adds?|added|adding)\s+up\s+to", "total"),
    (r"right\s+now|at\s+the\s+moment|as\s+things\s+stand", "currently"),
    # "Do both countries come out ahead?" asks whether they win.
    (r"(?:comes?|came|coming)\s+out\s+(?:ahead|on\s+top)", "win"),
    # "Why would the price come down?" asks why it would fall.
    (r"(?:comes?|came|coming)\s+down(?!\s+with)", "fall"),
    # "Can he call off an outing last minute?" asks whether he can cancel it at short notice.
    (r"(?:call|calls|called|calling)\s+(?:it\s+|them\s+)?off", "cancel"),
    (r"(?:at\s+the\s+)?(?:very\s+)?last[\s-]minute", "at short notice"),
    # "whens the first day of the spring term" asks when it starts ("Starts" over the dates).
    # These keep their own words too: a guide may say "On your first day, bring ...", or
    # speak of "the middle of the night shift".
    (r"first\s+day\s+of", "first day start of"),
    # "a problem in the middle of the night" is one out of hours, as guides put it.
    (r"the\s+middle\s+of\s+the\s+night", "the middle of the night out of hours"),
    # "how long can i keep it" asks how long a loan lasts, as a lender's guide says it.
    (r"how\s+long\s+(?:can|could|do|may|will)\s+(?:i|we|you)\s+(?:get\s+to\s+)?keep", "how long is the loan to keep"),
    # "the coat check" is what a theatre's guide calls its cloakroom.
    (r"coat\s+checks?", "coat check cloakroom"),
    (r"last\s+day\s+of", "last day end of"),
    # "how do i get in touch with him" asks how to contact him, as a contacts table heads it.
    (r"get\s+in\s+touch", "get in touch contact"),
    # "Is that going up?" asks whether the price rises; "go up the river" is a way to go.
    (r"(?:go|goes|going|gone|went)\s+up(?!\s+(?:the|a|an|to\s+the|and|there|here|stairs|river|hill)\b)", "rise"),
    # "How heavy are the bases?" is answered by what they weigh, seldom by "heavy".
    (r"how\s+heavy", "how much weigh"),
    # "What is SSH made up of?" asks what it consists of: "made" is no word of the answer
    # ("... have made common cause ..." is no answer).
    (r"made\s+up\s+of", "consisting of"),
    # "How long was it out of action?" asks how long it was out of service.
    (r"out\s+of\s+action", "out of service"),
    # "How many places were in the running?" asks how many were candidates.
    (r"in(?:to)?\s+the\s+running", "candidates"),
    # "How quick does the water get through?" asks its speed, as "how heavy" its weight.
    (r"how\s+quick(?:ly)?", "at what speed"),
    # Colloquial words for theft ("bikes getting nicked") and for a price ("how much does a
    # year pass set you back?"), as people type them; "nicked" is no word a report uses.
    # Only in the passive: "I nicked my finger" is no theft.
    (r"(?:get|gets|getting|got|been|being)\s+nicked", "theft"),
    (r"sets?\s+(?:you|me|us)\s+back", "cost"),
    # Short words people type for long ones: "from my own pc at home" is about personal
    # computers, "any info on parking" about information.
    # Lower case only: "PC Jones" is a constable.
    (r"(?-i:pcs)", "personal computers"),
    (r"(?-i:pc)(?!\s*(?:discount|off)\b)", "personal computer"),
    (r"info", "information"),
    # "do i get my subs back" asks about subscriptions, as a club's guide says it; the word
    # is kept, which a team's guide may use for its substitutes.
    (r"subs", "subs subscriptions"),
    (r"govt", "government"),
    # "do i get a discount" asks for a reduced price, which guides call a concession ("25%
    # concession on the rent", "Concessions: over-65s"); the word is kept.
    (r"discount(?:s|ed)?", "discount concession"),
    # "my 14 yr old", "over 3 yrs": years; "how many hrs do i get": hours (in lower case:
    # "HRS" may be a department's; "hr" alone, "who is my hr contact", is one).
    (r"yrs", "years"),
    (r"yr", "year"),
    (r"(?-i:hrs)", "hours"),
    # Days of the week as people shorten them: "r u open on weds", "thurs evening". Not
    # "mon", "wed", "sat" or "sun", which are words and names too ("Mon Valley", "sun cream",
    # "sat nav"), and which documents write in ranges ("Mon–Sat") that a search reads as is.
    (r"weds", "wednesday"),
    (r"tues|tue", "tuesday"),
    (r"thurs|thur", "thursday"),
    # "do i get in trouble?" asks whether one is disciplined; "if i get into trouble on the
    # water" and "the project could be in trouble" do not.
    (r"(?:do|does|will|would|could|can|might)\s+(?:i|we|you|they|he|she)\s+get\s+in(?:to)?\s+trouble", "disciplined"),
]


@functools.lru_cache(maxsize=1)
def alternatives() -> dict[str, str]:
    """Words an idiom puts beside the word it keeps, with that word: "concession" for
    "discount" ("discount concession"), "subscriptions" for "subs". A document need use only one."""
    pairs: dict[str, str] = {}
    for idiom, plain_words in _TABLE:
        kept, *added = plain_words.split()
        if added and re.fullmatch(idiom, kept, re.I):
            pairs.update((word, kept) for word in added)
    return pairs


@functools.lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], list[str]]:
    # One word boundary checked before any idiom is tried ("(?=\\w)" first, as that is
    # cheaper than a boundary test): the alternatives tried at every position of every
    # sentence read were a tenth of answering time.
    alternatives = "|".join(f"({idiom})" for idiom, _ in _TABLE)
    return re.compile(rf"(?=\w)\b(?:{alternatives})\b", re.I), [p for _, p in _TABLE]


# A word every idiom of the table holds at least one of ("table", "nutshell", "switched"):
# most sentences hold none, and a set lookup per word is far cheaper than trying every
# idiom at every word (a fifth of the time spent reading a passage's sentences).
_KEYS = frozenset(
    """table what living sum sums summed summing summarise summarises summarised summarize
    summarizes summarized summarising summarizing nutshell short all conclude conclusion eye
    rid turn turns turned turning switch switches switched switching figure figures figured
    come comes came coming charge place bottom far jump jumps jumped jumping leap leaps leapt put
    puts putting carry carries carried carrying leave leaves left leaving add adds added
    adding right moment stand heavy made action running quick quickly nicked back trouble go goes sick money
    going gone went call calls called calling minute pc pcs info govt yr yrs hrs day middle coat keep touch sign
    signs signed signing signup signups cheapest least most priciest dearest pick picks picked picking hold holds held holding
    weds tues tue thurs thur subs discount discounts discounted""".split()
)
_WORD = re.compile(r"[a-z]+")


def plain(question: str) -> str:
    """``question`` with each idiom replaced by the plain words it stands for."""
    if _KEYS.isdisjoint(_WORD.findall(question.lower())):
        return question
    pattern, words = _pattern()
    return pattern.sub(lambda m: words[next(i for i, g in enumerate(m.groups()) if g is not None)], question)
