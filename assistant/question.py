"""What a question asks for: the kind of answer it expects and the names it hinges on.

A "when" question needs a date, "opening hours" times of day, "how many" a count
(digits or number words), a question about dollars, cost or price an amount of money
(a currency), and "how much" or "what is the value of" a quantity (digits or a scale
word); a measure asked in a unit ("how many megabytes") needs one of its kind.

The extractive answerer uses this to abstain instead of quoting something merely
related: a "when" question needs a sentence with a date in it, a "how many" question
a number, and a question about "Boeing" a passage that mentions Boeing at all.

    >>> expected_type("How many rounds of talks were held?")
    'count'
    >>> names("What did Kwatra discuss with Senator Marco Rubio?")
    ['Kwatra', 'Senator', 'Marco', 'Rubio']
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from core.text import STOPWORDS, stem

from . import ranges

AnswerType = Literal[
    "date", "clock", "hours", "phone", "email", "contact", "count", "money", "quantity", "span", "age", "any"
]

# A day of the week: "Sunday", "sundays".
WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"

# "What are its opening hours?" wants the times of day it is open, not when it opened.
_HOURS_QUESTION = re.compile(
    r"\b(?:opening|closing|business|office|visiting)\s+(?:hours|times)\b"
    r"|\bwhat\s+(?:hours|times?)\s+(?:is|are|does|do)\b.*\b(?:open|close|closes|opens)\b",
    re.I,
)
_HOURS_ANSWER = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am\b|pm\b|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(?:noon|midday|midnight|daily)\b"
    rf"|\b{WEEKDAY}\b|\b(?:weekdays?|weekends?)\b|\b24 hours\b(?!['’]|\s+(?:notice|in\s+advance|before|after|earlier|later|ahead))|\bround the clock\b",
    re.I,
)

# "whats the number to ring?", "what's the helpdesk's phone number?": a telephone number,
# not a count ("How many numbers ...?") nor any figure the passage holds.
_PHONE_QUESTION = re.compile(
    r"\b(?:phone|telephone|contact|helpline|hotline|helpdesk|emergency|mobile)\s+(?:number|no\.?)\b"
    r"|\bnumbers?\s+(?:to|should\s+i|do\s+i|can\s+i|i\s+should|i\s+can)\s+(?:ring|call|phone|dial|text)\b"
    r"|\bwhat\s+numbers?\s+(?:do|should|can|shall|must|would)\s+(?:i|we|you|they|staff)\s+(?:ring|call|phone|dial|text)\b"
    # Someone's number ("whats his number", "her number at the office") is theirs to ring;
    # not "their number one priority", "his number plate", "their number of staff".
    r"|\b(?:his|her|their|your|its)\s+(?:(?:phone|telephone|contact|mobile)\s+)?number"
    r"(?=\s*(?:[?.!,]|$|(?:at|for|please|again|then|there|now)\b))",
    re.I,
)
# "whats their email", "what's the email address for bookings?": an address to write to,
# not "can i email them?" nor "how do i email the office?".
_EMAIL_QUESTION = re.compile(
    r"^\W*(?:what|which)(?:['’]?s)?\b(?:\s+\w+){0,4}?\s+e-?mail(?:\s+address(?:es)?)?\b(?!\s+(?:them|him|her|you|us))"
    r"|^\W*e-?mail\s+address(?:es)?\b",
    re.I,
)
# "hows best to contact him", "how can i get in touch with them": a number to ring or an
# address to write to, whichever the documents give. Not directions ("how do i reach the
# venue"), nor whom to contact ("who do i contact ...", which asks for someone).
_PEOPLE_REACHED = (
    r"(?:him|her|them|you|us|(?:the|your)\s+(?:\w+\s+)?(?:office|desk|team|manager|coordinator|organi[sz]ers?|staff"
    r"|director|secretary|treasurer|chair|helpline|club|centre|center|reception|leader|owner|landlord|warden|clerk))\b"
)
_CONTACT_QUESTION = re.compile(
    r"^\W*(?:how(?:['’]?s|\s+(?:do|can|could|should|would|shall|best))|what(?:['’]?s|\s+is)\s+the\s+best\s+way)\b"
    r"(?:\s+(?:i|we|best|to|is|it|the|way))*\s+"
    # "contact" as the verb asked about takes anyone; "reach" and "get hold of" say where
    # to go and what to obtain too, so only a person or an office counts for them.
    rf"(?:contact\s+(?!details\b)\w|get\s+in\s+touch\s+with\s+(?!nature\b)\w|(?:get\s+hold\s+of|reach)\s+{_PEOPLE_REACHED})"
    r"|^\W*(?:what\s+are\s+)?(?:the\s+|your\s+|their\s+|his\s+|her\s+)?contact\s+details\b(?!\s+(?:with|to)\b)",
    re.I,
)
_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A telephone number: digits in groups ("01632 960 418", "+44 20 7946 0958", "(555)
# 010-4477"), seven at least (``satisfies``), or a three-digit emergency line.
_PHONE_NUMBER = re.compile(r"(?<![\w£$€.,])(?:\+\d{1,3}[\s-]?)?\(?\d{2,5}\)?(?:[\s-]?\d{2,4}){2,3}(?![\w.,]\d)")
_EMERGENCY_LINE = re.compile(r"\b(?:999|911|112|111|101)\b")
# "What time do the backups run?" wants a time of day ("every night at 11:30 pm"), not a
# day ("every Sunday"); "what time of year", or "What time did the plant open in 2019?"
# (a day of that year, as likely as an hour) does not.
_CLOCK_QUESTION = re.compile(
    r"\bwhat\s+times?\s+(?:do|does|is|are|will|would|should|can|could|must|shall|has|have)\b", re.I
)
_CLOCK_ANSWER = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am\b|pm\b|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(?:noon|midday|midnight|o'clock)\b",
    re.I,
)
_DATE_QUESTION = re.compile(
    r"^\s*when\b|\b(what|which)\s+(date|day|year|month|time)\b|\bon what date\b|\bin what year\b"
    # "which nights can i use it?": the days of the week ("any Tuesday performance").
    r"|\b(what|which)\s+(dates|days|nights|evenings|mornings|afternoons|weekdays)\b",
    re.I,
)
_MONEY_QUESTION = re.compile(
    # "money off" is a discount, as often a share ("a 50% discount") as a sum; "my money
    # back" a refund, which a rule gives ("Between 10 and 30 days before the start: 50%
    # refund") rather than a price.
    r"\b(dollars?|money(?!\s+(?:off|back)\b)|costs?|price|priced|worth|budget|spend|spent|revenue|funding|paid"
    # "can i pay cash?", "can i pay by card", "can we pay it in instalments": a way of paying,
    # which a sentence on cheques, cash or direct debits answers without a sum.
    r"|pay(?!\s+(?:(?!for\b|to\b)[a-z]+\s+){0,2}(?:by|with|using|via|cash|online|contactless|card"
    r"|cheque|check|in\s+(?:cash|instalments|installments|full|advance|person)|over\s+the\s+phone)\b))\b"
    # "how much is a band 1 treatment?", "how much are the lessons?": a price ("how much is the
    # notice period?" is not).
    r"|\bhow\s+much\s+(?:is|was)\s+(?:a|an|one|each)\b|\bhow\s+much\s+(?:are|were)\s+(?:the|these|those|your|our)\b"
    # "how much is it?", "how much r they", "how much is this bed?", "how much for the beginners'
    # course?": a price; not "how much is it expected to grow?", "how much is it in kg?" nor
    # "how much for longer can i stay".
    r"|\bhow\s+much\s+(?:is|are|was|were|r)\s+(?:(?:it|they|them)|(?:this|that|these|those)(?:\s+[a-z]+)?)"
    r"(?=\s*(?:$|[?.!,;]|(?:for|per|each|altogether|now|then|please)\b|in\s+(?:total|euros?|pounds?|dollars?)\b))"
    r"|\bhow\s+much\s+for\s+(?:a|an|the|one|two|three|four|five|my|our|\d)"
    # "how much to hire a kayak for 2 hours?", "how much is it to join": what doing it costs.
    r"|\bhow\s+much\s+(?:is\s+it\s+|would\s+it\s+be\s+)?to\s+(?!be\b)[a-z]+"
    # "how much per year for a family membership?", "how much a month is it": a rate's price;
    # not "how much a day do i need to drink".
    r"|\bhow\s+much\s+(?:(?:is|are|r)\s+(?:it|they|that|this)\s+)?(?:per|a|an|each|every)\s+"
    r"(?:year|month|week|day|night|hour|session|person|child|kid|adult|head|visit|class|lesson)s?\b"
    r"(?!\s+(?:do|does|did|should|can|could|must|will|would|need|i|you|we)\b)"
    r"|\bhow much\b.*\b(cost|pay|spend|invest|charge|fees?|fares?|rent|salary|wages?)\b"
    # "What's the bus fare?", not "What level did they set port fees at?"
    r"|\bwhat(?:['’]?s|\s+is|\s+are)\s+(?:the\s+|a\s+|my\s+|our\s+)?(?:[\w-]+\s+){0,2}(?:fees?|fares?|rent|salary|wages?)\b",
    re.I,
)
_COUNT_QUESTION = re.compile(r"\bhow many\b|\b(what|which) number of\b|\bnumber of\b", re.I)
_QUANTITY_QUESTION = re.compile(
    # "how soon" asks how long until something happens ("within three working days").
    r"\bhow (much|long|soon|far|large|big|heavy|tall|high|deep|wide|thick|thin|narrow|low|fast|slow|old|hot|cold|warm|small|short)\b|\b(percentage|amount|value|figure|proportion|volume|cost|price|budget)"
    r" of\b|\b(dollar|total|monetary) (value|amount|figure)\b|\bwhat percent|\bwhat (speed|rate|pace)\b"
    # "at what river level is rowing stopped?", "what height is the bridge": a measure ("gauge
    # above 1.3 m"), the noun followed by its verb or the end. Not a noun of a compound ("what
    # distance learning courses", "what weight limit"), a level of its own ("what level of
    # membership"), nor what an answer gives in words as often ("what temperature should i
    # wash it at": "on a cool cycle").
    r"|\bwhat\s+(?:height|depth|weight|length|width|distance|(?:(?:river|water|tide|flood|noise|sound|gauge|sea"
    r"|lake)\s+)level)(?=\s+(?:is|are|was|were|do|does|did|should|must|can|could|will|would|has|have)\b|\s*[?.!]|\s*$)",
    re.I,
)
MONTHS = frozenset("january february march april may june july august september october november december".split())
_DATE_ANSWER = re.compile(
    r"\b(1[5-9]\d\d|20\d\d)\b|\b(" + "|".join(sorted(MONTHS)) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b"
    r"|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow)\b"
    r"|\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b|\b(week|month|year|decade|century)s?\b",
    re.I,
)
# "twice a year", "£18.50 a month", "every week": how often, not how long ("for a year" is).
_RATE = re.compile(r"(?<!\bfor )\b(?:a|per|each|every)\s+(?:year|month|week|day|hour)\b", re.I)
_NUMBER_ANSWER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|half|double|twice|triple)\b",
    re.I,
)
_QUANTITY_ANSWER = re.compile(
    r"\d|\b(hundred|thousand|million|billion|trillion|dozen|half|double|twice|triple|percent|per cent)\b"
    # A span in words: "nine months", "one full calendar month"; "a" or "one" alone only
    # after a word saying it is a span ("for a year", "took one week"; not "one day you").
    r"|\b(?:(?:for|by|after|within|about|around|roughly|approximately|nearly|almost|spent|spends|lasted|lasts|took|takes)\s+(?:an?|one)"
    r"|one(?=\s+(?:full|whole|clear|calendar|working)\b)|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"\s+(?:(?:full|whole|clear|calendar|working|more|further)\s+)*"
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries)\b",
    re.I,
)
# How long something has gone on, said by when it began: "has run the library since
# 2015", "She joined in January 2021" (not "was built in 1890").
_STARTED = re.compile(
    r"\b(?:since|joined|began|started|took\s+(?:up|over)|appointed|founded|set\s+up|launched)\b"
    r"[^.;]{0,30}?\b(?:1[5-9]\d\d|20\d\d)\b",
    re.I,
)
# "How long has she been doing that?": how long something has gone on, which its start
# answers as well as a span ("She joined in January 2021").
_SPAN_QUESTION = re.compile(r"\bhow\s+long\s+(?:has|have)\b", re.I)
# "whos the race director" is typed as often as "who's".
_WHO = re.compile(r"\s*(?:who|whom|whose|whos)\b", re.I)
# "how old was the pipe that burst?" is answered by an age or by when it was made ("a
# cast-iron pipe laid in 1961"), not by any figure ("35 additional sensors", "6 metres long").
_AGE_QUESTION = re.compile(r"\bhow\s+old\b|\bwhat\s+age\b", re.I)
_AGE_ANSWER = re.compile(
    r"\b\d+\s*-?\s*(?:years?|months?|weeks?|days?|hours?|decades?|centur(?:y|ies))\s*-?\s*old\b|\b(?:aged|age\s+of)\s+(?:about\s+|around\s+)?\d"
    r"|\b(?:born|built|laid|installed|made|opened|constructed|erected|founded|established|dug|planted|dat(?:es|ing)"
    r"(?:\s+back)?\s+(?:from|to)|since)\s+(?:in\s+)?(?:about\s+|around\s+|the\s+)?(?:1[5-9]\d\d|20\d\d)s?\b",
    re.I,
)
# A date's numbers ("14 August 2022", "in 2024", "3/5/2021") measure nothing.
_DATES = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:"
    + "|".join(sorted(MONTHS))
    + r")(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?(?:\s+\d{4})?\b"
    r"|\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b|(?<![\d.,])\b(?:1[5-9]\d\d|20\d\d)s?\b(?![.,]?\d|\s*(?:%|per\s*cent|percent))",
    re.I,
)
_MANUAL_PAGE = re.compile(r"(?<=[\w.+-])\(\d[a-z]*\)")
_MONEY_ANSWER = re.compile(
    r"[$€£¥₹]|\b(dollars?|usd|eur|euros?|pounds?|rupees?|yen|yuan|crores?|lakhs?|bn|pence)\b|\d\s*(million|billion|trillion)\b"
    r"|\b\d{1,3}p\b"  # "50p": pence
    # "Membership is free", "at no cost": what it costs, when the question asks.
    r"|\bfree\s+(?:of\s+charge|for|to)\b|\bis\s+free\b|\bare\s+free\b|\bno\s+(?:charge|cost|fee)\b|\bcosts?\s+nothing\b",
    re.I,
)
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9&-]*")
# "Who ...?", "Which senator ...?": a person's name is the answer.
# Words naming a role someone holds ("senator", "CEO"), in the singular or plural.
ROLES = (
    r"(?:officials?|senators?|ministers?|ceos?|leaders?|engineers?|founders?|directors?|presidents?|"
    r"ambassadors?|chairs?|chairman|chairwoman|managers?|heads?|owners?|mayors?|secretar(?:y|ies)|"
    r"commanders?|captains?|authors?|chiefs?)"
)
# A word describing what a "which" question asks for ("US" in "Which US senators ...?"),
# not a verb or article ("What do senators ...?").
_DESCRIBING = r"(?!(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|the|a|an)\b)[\w.-]+\s+"
# The role a question asks the name of: "Which senator ...?", "What's the name of its
# CEO?", "the name of the Lockheed Martin CEO the ambassador met" (a few words describe
# the role; "the name of the ship the captain sailed" asks for the ship's).
_ROLE_ASKED = re.compile(
    # "Which US senators ...?": a word or two may describe the role.
    rf"\b(?:which|what) (?:{_DESCRIBING}){{0,2}}(?P<role>{ROLES})\b"
    r"|\bnames?\s+of\s+(?:the\s+|its\s+|his\s+|her\s+|their\s+|[\w.-]+(?:\s+[\w.-]+)?['’]s?\s+)?"
    rf"(?:(?!(?:the|a|an|who|whom|that|which)\b)[\w.&-]+\s+){{0,3}}(?P<named>{ROLES})\b",
    re.I,
)
_PERSON_QUESTION = re.compile(
    rf"^\s*(who|whom|whose|whos)\b|\b(which|what) (person|people)\b|{_ROLE_ASKED.pattern}", re.I
)
# People a service names by their work: "who's the hygienist?" asks for a person, not a body
# ("the Brookfield Care Plan").
_PROFESSIONS = (
    r"(?:doctors?|dentists?|nurses?|hygienists?|receptionists?|teachers?|coach(?:es)?|instructors?|curators?|"
    r"coordinators?|volunteers?|lifeguards?|councillors?|surgeons?|pharmacists?|trainers?|wardens?|caretakers?|"
    r"clerks?|librarians?|therapists?|solicitors?|accountants?|plumbers?|electricians?|midwi(?:fe|ves)|vets?)"
)
_ROLE_WORD = re.compile(rf"\b(?:{ROLES}|{_PROFESSIONS})\b", re.I)
# "what's the race director called?": the name a role's holder goes by.
_ROLE_CALLED = re.compile(
    rf"\bwhat(?:['’]?s|\s+is)\s+(?:the\s+|their\s+|your\s+|its\s+)?(?:[\w-]+\s+){{0,2}}(?:{ROLES}|{_PROFESSIONS})\s+called\b",
    re.I,
)
# "What did she do for a living?" (read "work as"), "What was his job before?": a line of
# work ("Which package turns the download job into upgrades?" asks for no one's).
_WORK_QUESTION = re.compile(
    r"\bfor\s+a\s+living\b|\b(?:he|she|they|you|i)\s+work(?:s|ed)?\s+as\b"
    r"|\b(?:his|her|their)\s+(?:job|profession|occupation|line\s+of\s+work)\b"
    r"|\b(?:what|which)\s+(?:profession|occupation)\b|\bwhat\s+job\s+(?:did|does|do|was|is|has|had)\b"
    # "What did she do before her PhD?": what she worked as then (not "What did India do
    # before the summit?", nor "What did he do before the meeting?").
    r"|\bwhat\s+did\s+(?:he|she|(?-i:[A-Z][a-z][\w-]*\s+[A-Z][\w-]*))\s+do\s+(?:before|prior\s+to)\s+"
    r"(?:(?:her|his|their)\s+(?!meeting|visit|trip|talk|speech)|joining|becoming|founding|starting|that\b|then\b)",
    re.I,
)
WORK_WORDS = re.compile(r"\b(?:work(?:s|ed|ing)?|jobs?|professions?|occupations?)\b", re.I)
# "as a naval architect", "a former harbour pilot", "joined as chief turbine engineer":
# a person's work is named by an agent noun after "as" or "former".
_WORK_ANSWER = re.compile(
    r"\b(?:as\s+an?|as\s+(?:chief|head|senior|lead)|former)\s+(?:[a-z]+\s+){0,2}?"
    r"[a-z]+(?:er|or|ist|ian|ect|ot|ant|eon|wright)s?\b"
)
# "Who are ...?", "Which senators ...?": several people.
_PEOPLE_QUESTION = re.compile(
    r"^\s*who\s+(are|were|else)\b"
    rf"|\b(which|what)\s+(?:{_DESCRIBING}){{0,2}}(people|officials|senators|ministers|leaders|members|companies)\b"
    r"|\bwho\b.*\b(all|each)\b",
    re.I,
)
_PLACE_QUESTION = re.compile(
    r"^\s*where\b|\b(which|what)\s+(country|countries|region|regions|place|places|city|cities)\b", re.I
)
# "How do I ...?" opening the question, or its last sentence or clause ("I made a key
# without a passphrase. How do I add one?", "Before an upgrade, how can I ...?"); and
# "Can I ...?", "Can fuser show ...?": whether the asker or a command (a lower-case name)
# can do something asks how, as "Is there a way (a command) to ...?" does; "Can India
# ...?", "Can the deal ...?" or "Can we ...?" do not. A lower-case noun ("Can prices
# rise?") reads as a command too, which only weighs command lines up where there are any.
_HOW_TO_QUESTION = re.compile(
    r"(?:^|[.,;:!?]\s)\s*how\s+(do|can|could|should|would|to)\b|\b(which|what)\s+(command|package|tool|program|utility|"
    r"file|option|flag|setting|key|syntax|entry|pattern)s?\b"
    r"|^\s*(?:can|could)\s+(?!(?:the|a|an|this|that|these|those|it|they|he|she|there|we|any|some|all|such)\b)"
    r"(?:I|(?-i:[a-z])[\w.+-]*)\s"
    r"|^\s*is\s+there\s+(?:a|an|any)\s+(?:\w+\s+)?(?:way|command|tool|program|utility)s?\b"
    r"|^\s*is\s+there\s+(?:a|an|any)\s+(?:\w+\s+)?packages?\s+(?:that|which|to|for)\b",
    re.I,
)


# "And how do I ...?", "So who ...?": a follow-up's opening conjunction hides what it asks.
_LEAD_IN = re.compile(r"^\s*(?:and|but|so|then|also|ok(?:ay)?|well|now)\b[\s,]*", re.I)


# "When reconfiguring exim4 for a smarthost, which ... should I choose?", "If the array
# is late, when will ...?": a clause opening the question sets the scene, and what it
# asks (a date or not, a person or not) is in the question after the comma.
_SCENE = re.compile(
    r"^\s*(?:when|whenever|if|once|after|before|while|since|unless|until)\b[^,;?]*,\s*"
    r"(?=(?:what|which|who|whom|whose|where|when|why|how|is|are|was|were|do|does|did|can|could|should|"
    r"would|will|shall|may|might|must|has|have|had)\b)"
    # Without its comma, before a verb and its subject: "when shes 14 can she come on her
    # own" asks whether she can, not when ("when can i come" asks when).
    r"|^\s*(?:when|whenever|if|once)\s+(?!(?:is|are|was|were|do|does|did|can|could|will|would|should|may|might|must"
    r"|has|have|had|shall)\b)\w+[^,;?]*?\s(?=(?:can|could|will|would|should|do|does|is|are|may|must)"
    r"\s+(?:i|we|you|u|he|she|they|it)\b)",
    re.I,
)


# "which nights can i use it?", "what day do they come?": a day of the week answers it.
_WEEKDAY_QUESTION = re.compile(
    r"\b(?:what|which)\s+(?:days?|nights?|evenings?|mornings?|afternoons?|weekdays?)\b(?!\s+of\b)", re.I
)
_WEEKDAY_NAMED = re.compile(rf"\b{WEEKDAY}\b|\bweekdays?\b|\bweekends?\b", re.I)


def asks_for_a_weekday(question: str) -> bool:
    """ "Which nights can I use it?": a day of the week answers it."""
    return _WEEKDAY_QUESTION.search(question) is not None


def gives_an_age(question: str) -> bool:
    """Whether the question says how old someone is ("can i take the van if im 23"), as
    ``ranges`` reads ages: not a time ("i'm 5 minutes late") nor a count ("we're 4")."""
    return bool(ranges.ages_given(question))


# A limit of age as guides set one: "aged 25 or over", "ages 4 to 7", "under 16",
# "over 65", "16 and over", "14-year-olds", "under-12s".
_AGE_LIMIT = re.compile(
    r"\b(?:aged?|ages)\s+(?:of\s+)?\d{1,2}\b|\b(?:under|over|below|above)(?:\s+the\s+age\s+of)?[\s-]+\d{1,2}s?\b"
    # "under 16 can join", "over 65s": not "under 5 minutes", "over 30 turbines".
    r"(?=\s*(?:$|[,.;:)!?]|s\b|and\b|or\b|can\b|must\b|may\b|need|are\b|get|go\b|pay|only\b|with\b|will\b|should\b|"
    r"free\b|years?\s+old\b))"
    r"|\b\d{1,2}\s+(?:years?\s+)?(?:or|and)\s+(?:over|under|older|younger|above)\b|\b\d{1,2}[\s-]*years?[\s-]*olds?\b",
    re.I,
)


def sets_an_age(sentence: str) -> bool:
    """Whether ``sentence`` sets a limit of age ("... by members aged 25 or over"): not a limit
    of time ("in under 5 minutes") nor of number. Read more loosely than ``ranges`` reads a band,
    whose figures pick one row of several: "members who are 25 or over", "drivers over the age
    of 25" set a limit, and "(18+)", "Over 60s" a band."""
    return _AGE_LIMIT.search(sentence) is not None or ranges.sets_ages(sentence)


# What else a date or a range of dates holds: days of the month ("15-20 February"),
# short names of days and months ("Mon 4 Jan"), and what joins them.
_DATE_PARTS = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?|[\s,–—-]+|\b(?:to|until|and)\b",
    re.I,
)


def is_a_date(text: str) -> bool:
    """Whether ``text`` is only a date or a range of dates ("Monday 4 January 2027",
    "15 February - 20 February 2027", "15-20 Feb 2027"), as a table's cell gives one."""
    rest = _DATES.sub(" ", text)
    return rest != text and not _DATE_PARTS.sub("", _WEEKDAY_NAMED.sub(" ", rest))


def names_a_weekday(sentence: str) -> bool:
    """Whether ``sentence`` names a day of the week ("any Tuesday performance", "weekends")."""
    return _WEEKDAY_NAMED.search(sentence) is not None


def sets_a_scene(question: str) -> bool:
    """Whether ``question`` opens with a clause of its own case ("If the disk fills up,
    what happens then?"), which its "then" means."""
    return _SCENE.match(question) is not None


# "my lad's 13, when does his club run?", "hi, how much is it", "i want to learn to lead
# myself - whats the price": what the asker says before the question is no part of what it
# asks. Not a clause that is itself a question ("what
# did the report say, when ...").
_SAID_FIRST = re.compile(
    r"^(?!\s*(?:what|which|who|whom|whose|where|when|why|how|is|are|was|were|do|does|did|can|could|should|would|"
    r"will|shall|may|might|must|has|have|had)\b)[^?]*?(?:,|;|\s[-–—])\s*"
    r"(?=(?:what|which|who|whom|whose|where|when|why|how)\b)"
    # Not a question about what the first clause names: "the opening hours, what are they?",
    # "Priya Ramaswamy, who is she?".
    r"(?!\w+(?:['’]s|\s+(?:is|are|was|were))\s+(?:it|they|that|this|these|those|she|he|them)\b)",
    re.I,
)


def _asked(question: str) -> str:
    question = _SCENE.sub("", _LEAD_IN.sub("", question, count=1), count=1)
    return _SAID_FIRST.sub("", question, count=1)


def expected_type(question: str) -> AnswerType:
    question = _asked(question)
    if _WHO.match(question):
        return "any"  # "Who paid for ...?" asks for whoever paid, not a sum
    if _HOURS_QUESTION.search(question) and not _COUNT_QUESTION.search(question):
        return "hours"
    if _PHONE_QUESTION.search(question):
        return "phone"
    if _EMAIL_QUESTION.search(question):
        return "email"
    if _CONTACT_QUESTION.search(question):
        return "contact"
    if _CLOCK_QUESTION.search(question):
        return "clock"
    if _DATE_QUESTION.search(question):
        return "date"
    if _COUNT_QUESTION.search(question):
        return "count"
    if _MONEY_QUESTION.search(question):
        return "money"
    if _SPAN_QUESTION.search(question):
        return "span"
    if _AGE_QUESTION.search(question):
        return "age"
    if _QUANTITY_QUESTION.search(question):
        return "quantity"
    return "any"


# "Who is Vinay Mohan Kwatra?" gives the name and asks what the person is (a role, a
# description), not for someone else's name.
_WHO_IS_NAMED = re.compile(r"^\s*(?i:who)(?:\s+(?i:is|was)|['’]?s)\s+(?:[A-Z][\w’'.-]*\s*)+\??\s*$")


# "who should i speak to about ...", "who do we contact if ...": someone to reach.
_WHOM_TO_REACH = re.compile(
    r"^\s*who(?:m)?\s+(?:should|shall|do|can|could|would|must)\s+(?:i|we)\s+(?:speak|talk|contact|ask|call|"
    r"ring|phone|e-?mail|write|see|complain|get\s+(?:in\s+touch|hold))\b",
    re.I,
)


def asks_whom_to_reach(question: str) -> bool:
    """ "Who should I speak to about ...?": the answer is someone to reach, a person before
    the service the question is about."""
    return _WHOM_TO_REACH.match(_asked(question)) is not None


def asks_for_person(question: str) -> bool:
    """ "Who is ...?", "Which senator ...?": the answer is a person's name."""
    asked = _asked(question)
    return bool(_PERSON_QUESTION.search(asked) or _ROLE_CALLED.search(asked)) and not _WHO_IS_NAMED.match(asked)


def asks_who_did(question: str) -> bool:
    """ "Who is the headline sponsor?", "Who built the app?": whoever it is may be a body
    ("Thames Valley Building Society", "the Oxford firm Cyclelogic") as well as a person;
    not when the question names a person's role ("Who is the CEO ...?")."""
    asked = _asked(question)
    return bool(_WHO.match(asked)) and not _ROLE_WORD.search(asked) and not _WHO_IS_NAMED.match(asked)


def role_asked(question: str) -> str:
    """The role whose holder's name the question asks for, lower-cased ("ceo" in
    "What is the name of the Lockheed Martin CEO?"); "" when it names none."""
    match = _ROLE_ASKED.search(_asked(question))
    return (match.group("role") or match.group("named")).lower() if match else ""


def asks_the_name_of_a_role(question: str) -> bool:
    """ "What's the name of its CEO?": only a name answers it, not a sentence about the CEO."""
    match = _ROLE_ASKED.search(_asked(question))
    return bool(match and match.group("named"))


# Cached: asked once for every sentence a "who" answer weighs.
@functools.lru_cache(maxsize=256)
def other_roles(question: str) -> frozenset[str]:
    """Roles a question that asks for one role's holder calls other people by: in "What
    is the name of the CEO the ambassador met?", "ambassador" is someone the question
    already means, and "Ambassador Kwatra" is no answer to it."""
    asked = role_asked(question)
    if not asked:
        return frozenset()
    return frozenset(m.group(0).lower() for m in _ROLE_WORD.finditer(question)) - {asked}


# "Which tools does e2fsprogs give me?", "What are the main risks?": several things, named
# by a plural ("process", "status", "analysis" and "does" are no plurals).
# Not plurals: "does", "its", ...; nor "sundays" in "what about sundays?", a day it asks about.
_NOT_PLURAL = rf"(?!(?:does|is|was|has|its|this|his|hers|ours|yours|theirs|us|thus|plus|less|unless|{WEEKDAY})\b)"
_SEVERAL_QUESTION = re.compile(
    r"^\s*(?:which|what)\s+(?:(?:kinds?|sorts?|types?)\s+of\s+)?(?:[a-z][\w.-]*\s+)?"
    rf"{_NOT_PLURAL}[a-z]+[^\Wsu']s"
    # The plural is followed by its verb ("Which tools does ...", "What commands can ..."),
    # not read as one ("Which file holds the ...?").
    r"(?:\s+(?:do|does|did|are|were|can|could|should|would|will|may|might|must|have|had|exist)\b|\s*\?)"
    rf"|^\s*what\s+(?:are|were)\s+(?:the\s+)?(?:{_NOT_PLURAL}[\w-]+\s+)?{_NOT_PLURAL}[a-z]+[^\Wsu']s\b",
    re.I,
)


# "How is the construction split up?", "What is it divided into?": its parts.
_PARTS_QUESTION = re.compile(
    r"^\s*(?:how|into\s+what)\b.*\b(?:is|are|was|were|been|be)\s+(?:\w+\s+){0,3}?"
    r"(?:split|divided|broken\s+(?:up|down)|subdivided|phased|staged|organi[sz]ed\s+into|grouped)\b"
    r"|^\s*what\b.*\b(?:split|divided|broken|subdivided|organi[sz]ed|grouped)\s+into\b"
    r"|^\s*what\b.*\b(?:consist(?:s|ing)?|made\s+up)\s+of\b",
    re.I,
)


def asks_for_several(question: str) -> bool:
    """ "Which tools does e2fsprogs give me?", "How is the construction split up?": the
    answer is a list of things."""
    asked = _asked(question)
    return bool(_SEVERAL_QUESTION.search(asked) or _PARTS_QUESTION.search(asked))


def asks_for_people(question: str) -> bool:
    """ "Who are ...?", "Which senators ...?": the answer names several."""
    return bool(_PEOPLE_QUESTION.search(_asked(question)))


def asks_where(question: str) -> bool:
    """ "Where ...?", "Which country ...?": the answer is a place."""
    return bool(_PLACE_QUESTION.search(_asked(question)))


def asks_for_path(question: str) -> bool:
    """ "Which file do I edit ...?", "Where are downloaded .deb files cached?": the answer
    is a path."""
    return bool(_PATH_QUESTION.search(_asked(question)))


_PATH_QUESTION = re.compile(
    # "Which file ...?", not "Which file format ...?"
    r"\b(?:which|what)\s+(?:\w+\s+)?(?:file|directory|folder|dir)s?\b"
    r"(?!\s+(?:formats?|sizes?|systems?|types?|names?|extensions?|permissions?)\b)"
    # "Where are the log files kept?", not "Where were the prisoners kept?"
    r"|^\s*where\b(?=.*\b(?:files?|logs?|config\w*|settings|packages?|\.deb|data|cache|keys?|archives?)\b)"
    r".*\b(?:cached|stored|kept|saved|located|logged|written|placed)\b",
    re.I,
)
# A path: "/etc/sudoers", "~/.gitconfig", "/var/cache/apt/archives/".
PATH = re.compile(r"(?:^|[\s\"“'(])~?/[\w.+-]+(?:/[\w.*+-]*)*")


# What the documents themselves are: "what's this document about?", "summarise the post",
# "give me an overview", "tl;dr". "What is it about?" only opens a conversation: later,
# "it" is what the conversation was on.
_TEXT = (
    r"(?:document|doc|file|post|blog(?:\s+post)?|article|text|report|paper|page|guide|policy|policies|handbook|"
    r"manual|book|faq)s?"
)
_OPEN = r"^\W*(?:(?:so|ok(?:ay)?|and|well|hi|hello|hey)\W+)?"
_OVERVIEW = re.compile(
    rf"{_OPEN}what(?:['’]?s|\s+is|\s+are|\s+was|\s+were)\s+(?:(?:this|that|the|these|those|your|my)\s+)?{_TEXT}\s+"
    r"(?:all\s+|mainly\s+|mostly\s+)?about\W*$"
    rf"|{_OPEN}(?:(?:can|could)\s+you\s+|please\s+)?(?:summari[sz]e|sum\s+up|give\s+(?:me\s+)?(?:a\s+|an\s+|the\s+)?"
    r"(?:summary|overview|gist)|tl;?dr|tldr)"
    rf"(?:\s+(?:(?:of|for)\s+)?(?:(?:this|that|the|these|those|your|my)\s+{_TEXT}|this|these|it|them))?"
    r"(?:\s+please)?\W*$",
    re.I,
)
_OVERVIEW_OPENING = re.compile(rf"{_OPEN}what(?:['’]?s|\s+is)\s+(?:it|this)\s+(?:all\s+)?about\W*$", re.I)


def asks_for_overview(question: str, follow_up: bool = False) -> bool:
    """ "What's this document about?", "Summarise the post.": what the documents are, not
    something in them. ``follow_up``: the conversation has turns already, where "What is
    it about?" asks about what it was on."""
    if follow_up and re.search(r"\b(?:it|them)\W*$", question, re.I):
        return False  # "Summarise it." after a question on the BTA is about the BTA
    return bool(_OVERVIEW.search(question)) or (not follow_up and bool(_OVERVIEW_OPENING.search(question)))


def asks_for_more(question: str) -> bool:
    """ "Tell me more.", "Can you say more about the first one?", "What else did he do?":
    what the conversation has not said yet about what it was on; not "Tell me more, when
    would I need it?", which asks a question of its own."""
    match = _MORE_QUESTION.search(question)
    return match is not None and not _QUESTION_AFTER.match(question, match.end())


def shifts_subject(question: str) -> bool:
    """ "What about from inside vim?", "And how about the second phase?", "and a crown?":
    the question before, asked again of something else, so the answer before does not
    answer it."""
    return bool(_SHIFT_QUESTION.match(question) or _BARE_AND.match(question))


def asked_as(question: str, context: str) -> str:
    """The question whose form says what kind of answer is wanted: the one before for
    "What about the second phase?" (a date, after "When was the first one finished?")."""
    return context if context and shifts_subject(question) else question


# "How about we ...?" proposes something new.
_SHIFT_QUESTION = re.compile(
    r"^\W*(?:and\s+|so\s+|ok(?:ay)?,?\s+)?(?:what|how)\s+about\s+(?!(?:we|you|i|us)\b)\w", re.I
)

# "and a crown?", "and for the kids?": a few words after "and", with no verb or question
# word of their own, ask what the question before asked.
_BARE_AND = re.compile(
    r"^\W*and\s+(?!.*\b(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|"
    r"should|would|will|has|have|had|it|they|he|she|that|this|those|these|them|then|else|i|you|we|thanks?)\b)"
    r"(?:[\w'’.-]+\s+){0,4}[\w'’.-]+[?.!]*\s*$",
    re.I,
)
# A question put after the request for more, in the same breath.
_QUESTION_AFTER = re.compile(
    r"[^?.!]*?[,:;.!–—-]\s*(?:and\s+|but\s+|so\s+)?(?:what|which|who|whom|whose|when|where|why|how|is|are|was|"
    r"were|do|does|did|can|could|should|would|will|has|have)\b",
    re.I,
)
_MORE_QUESTION = re.compile(
    # Asked as a request of its own: "Tell me more.", "Can you say more about the first of
    # those?", "What else did he do?", "Go on." ("How do I tell git to show more context
    # lines?" and "Is there anything else I need?" are questions of their own).
    r"^\W*(?:and\s+|so\s+|ok(?:ay)?,?\s+)?(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?"
    r"(?:(?:tell|say|give|show)\s+(?:me\s+|us\s+)?(?:a\s+(?:bit|little)\s+|some(?:thing)?\s+)?more\b(?!\s+\w+\s+(?:was|is|were|are)\b)"
    r"|what\s+else\b|go\s+on\b|keep\s+going\b|elaborate\b|expand\s+on\b)",
    re.I,
)


def asks_for_work(question: str) -> bool:
    """ "What did she work as?", "What was his job?": the answer is a line of work."""
    return bool(_WORK_QUESTION.search(_asked(question)))


# "Commerce Minister Piyush Goyal", "Deputy Secretary of Energy, James Danly": an office
# written before a name is that person's work.
_TITLED = re.compile(
    r"\b(?:[A-Z][a-z]+\s+){0,3}(?:Minister|Secretary|Senator|Ambassador|Director|President|Governor|Mayor|"
    r"Commander|Chair(?:man|woman)?|Engineer|Officer|Professor)(?:\s+of\s+[A-Z][a-z]+)?,?\s+(?:Dr\.\s+)?[A-Z][a-z]+"
)


def names_work(sentence: str) -> bool:
    """Whether ``sentence`` names someone's line of work ("... as a naval architect",
    "Commerce Minister Piyush Goyal")."""
    return bool(_WORK_ANSWER.search(sentence) or _TITLED.search(sentence))


# "How do I ...?", "Can I make ...?": how to do something; not "Can I rely on that tool
# ...?", a judgement, nor "Which command was that again?".
_TO_DO_QUESTION = re.compile(
    r"\s*(?:(?:and|so|ok(?:ay)?|oh)\b[\s,]*)?(?:how\s+(?:do|can|could|should|would)\s+(?:i|we|you|one)\b"
    r"|(?:can|could)\s+i\s+(?!rely|depend|count|trust)\w+|is\s+there\s+a\s+way\b)",
    re.I,
)


def asks_to_do(question: str) -> bool:
    """ "How do I make it ignore one bug?", "Can I make that limit ...?": the asker wants to
    do something, which saying again what a tool is does not tell."""
    return bool(_TO_DO_QUESTION.match(question))


# "Must I go into single user mode ...?", "Can I make and sell Debian CDs?": answered yes
# or no, whatever else the answer says.
_YES_NO_QUESTION = re.compile(
    r"\s*(?:(?:and|so|but|ok(?:ay)?|oh)\b[\s,]*)?"
    r"(?:(?:is|are|was|were|do|does|did|can|could|should|must|will|would|may|has|have|had|shall)(?:n[’']t)?"
    r"|am|ca[n]?[’']t|won[’']t|shan[’']t)\s+"
    # "Do you know who wrote dpkg?", "Can you explain how apt works?": asked for a name or
    # an explanation, not yes or no.
    r"(?!you\s+(?:know|tell|explain|show|say|describe|remember)\b)[a-z]"
    # "any ev chargers there?", "any discounts for students?": "are there any ...", said short.
    # Not "any idea what time ...", nor "any info on parking?", which ask what.
    r"|\s*(?:(?:and|so|but|ok(?:ay)?|oh)\b[\s,]*)?any\s+(?!(?:idea|ideas|clue|clues|thoughts|tips|advice|info|"
    r"information|details?|suggestions?|recommendations?|news|updates?|word|help|guidance|pointers)\b)[a-z]",
    re.I,
)


def asks_yes_or_no(question: str) -> bool:
    """A question answered yes or no: it opens with the verb ("Must I ...?", "Is there
    ...?", "And does it ...?")."""
    if (turned := TURNED_TO.match(question)) is not None:
        question = question[turned.end() :]  # "what about shampoo, do you sell it?"
    return bool(_YES_NO_QUESTION.match(question))


# "what about shampoo and shower gel, ...", "as for the kids, ...": the things a question turns
# to before its comma, then what it asks of them.
TURNED_TO = re.compile(r"\W*(?:and\s+|ok(?:ay)?\s+)?(?:(?:what|how)\s+about|as\s+for)\s+([^,?]+),\s*", re.I)


def asks_how(question: str) -> bool:
    """A how-to question: "How do I ...?", "Which package ...?"."""
    return bool(_HOW_TO_QUESTION.search(_asked(question)))


def _dialled(text: str) -> bool:
    """Whether ``text`` holds a telephone number of seven digits or more."""
    return any(sum(c.isdigit() for c in m.group(0)) >= 7 for m in _PHONE_NUMBER.finditer(text))


def is_an_address(cell: str) -> bool:
    """Whether a table's ``cell`` holds an email address or a telephone number of seven
    digits or more: not a count that reads as an emergency line ("112" seats)."""
    return _EMAIL_ADDRESS.search(cell) is not None or _dialled(cell)


def satisfies(sentence: str, answer_type: AnswerType) -> bool:
    """Whether ``sentence`` can hold an answer of ``answer_type`` at all."""
    # "sudo(8)" names a manual page: its section number counts nothing.
    sentence = _MANUAL_PAGE.sub(" ", sentence)
    if answer_type == "date":
        # "When was the account locked?": "at 10:52 am" says when too.
        return bool(_DATE_ANSWER.search(sentence) or _CLOCK_ANSWER.search(sentence))
    if answer_type == "clock":
        return bool(_CLOCK_ANSWER.search(sentence))
    if answer_type == "phone":
        return _dialled(sentence) or bool(_EMERGENCY_LINE.search(sentence))
    if answer_type == "email":
        return _EMAIL_ADDRESS.search(sentence) is not None
    if answer_type == "contact":
        return satisfies(sentence, "phone") or satisfies(sentence, "email")
    if answer_type == "hours":
        return bool(_HOURS_ANSWER.search(sentence))
    if answer_type == "count":
        return bool(_NUMBER_ANSWER.search(sentence))
    if answer_type == "money":
        return bool(_MONEY_ANSWER.search(sentence))
    if answer_type == "span":
        # A span of time ("for eight years", "within 30 days") or its start: a number that
        # counts something else ("a team of 14 engineers", a telephone number) says nothing
        # of how long.
        return bool(_MEASURED_IN["time"].search(_DATES.sub(" ", sentence)) or _STARTED.search(sentence))
    if answer_type == "age":
        return bool(_AGE_ANSWER.search(sentence) or _STARTED.search(sentence))
    if answer_type == "quantity":
        # "14 August 2022" is when, not how heavy or how much.
        return bool(_QUANTITY_ANSWER.search(_DATES.sub(" ", sentence)))
    return True


# Units a question can ask its measure in, by what they measure. A sentence
# measuring in another unit of the same kind answers ("1.5 GB" for "how many
# megabytes"); one whose only number counts something else does not ("2 resources").
_UNITS = {
    "data": r"(?:[kmgtp]i?b|bytes?|(?:kilo|mega|giga|tera|peta)bytes?|[kmgt]bytes?)",
    "length": r"(?:(?:kilo|centi|milli)?(?:metres?|meters?)|km|cm|mm|miles?|feet|foot|ft|inch(?:es)?|yards?)",
    "mass": r"(?:(?:kilo)?grams?|kg|tonnes?|tons?)",
    # Energy before power: "how many gigawatt-hours" is energy, not gigawatts.
    "energy": r"(?:(?:kilo|mega|giga|tera)?watt[- ]hours?|[kmgt]wh|(?:kilo|mega)?joules?)",
    "power": r"(?:(?:kilo|mega|giga)?watts?(?![- ]?hours?)|[kmg]w(?!h))",
    "time": r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|secs?|mins?|hrs?)",
    "dollars": r"(?:dollars?|usd)",
}
_SCALE = r"(?:(?:thousand|million|billion|trillion)\s+)?"
_ASKED_IN = {
    kind: re.compile(
        rf"\bhow (?:many|much)\s+(?:(?:more|extra|additional|fewer|less|total)\s+)?{_SCALE}{unit}\b|\bin\s+{_SCALE}{unit}\s*(?:,|\?|$)",
        re.I,
    )
    for kind, unit in _UNITS.items()
}
# A number in digits or words: "nine days", "eight hours", "1,150 local investors".
_NUMBER = (
    r"(?:\d+(?:[,.]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|billion|dozen|dozens|several|(?:hundreds|thousands|millions)\s+of)"
)
_MEASURED_IN = {kind: re.compile(rf"(?:\d|\b{_NUMBER})\s*-?{_SCALE}{unit}\b", re.I) for kind, unit in _UNITS.items()}
_MEASURED_IN["dollars"] = re.compile(rf"\$\s*\d|{_MEASURED_IN['dollars'].pattern}", re.I)


def measured_in(question: str) -> str | None:
    """The kind of unit the question asks its measure in: "how many megabytes of
    RAM?" is "data", "How much LNG, in million tonnes, ...?" is "mass"."""
    return next((kind for kind, asked in _ASKED_IN.items() if asked.search(question)), None)


def gives_measure(sentence: str, kind: str) -> bool:
    """Whether ``sentence`` measures something in a unit of ``kind``; a year is a time."""
    sentence = _MANUAL_PAGE.sub(" ", sentence)
    # A date counts ("from 2001 until 2019"), as a span in words does ("for a year"); "a
    # year" after a count is a rate, not how many ("two hygienist visits a year" for "how
    # many years has she been doing it").
    return bool(_MEASURED_IN[kind].search(sentence)) or (
        kind == "time" and bool(_DATE_ANSWER.search(_RATE.sub(" ", sentence)))
    )


# "How many seals has her team counted?": the things counted, named after "how many" up
# to the verb; a number answers only when it counts them ("46 people", "eight more 1.5 MW
# turbines"), not when it counts something else ("twice a year").
_COUNTED = re.compile(
    r"\bhow\s+many\s+((?:[a-z][\w-]*\s+){0,3}?)(?=(?:are|is|was|were|do|does|did|have|has|had|can|could|will|would|"
    r"should|may|might|must|of|in|on|at|for|to|i|we|you|they|he|she)\b|\?|$)",
    re.I,
)


# "how much notice do i have to give?": what is measured, named right after "how much".
_QUANTITY_OF = re.compile(r"\bhow\s+much\s+([a-z][\w-]*)\b", re.I)


# A sum of money, its figures with it: "£120", "£1,450.50", "$3 million".
_SUM = re.compile(r"[$€£¥₹]\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:million|billion|m|bn|k)\b)?|\b\d{1,3}p\b", re.I)
_HOW_LONG = re.compile(r"\bhow\s+long\b", re.I)


def asks_how_long(question: str) -> bool:
    """ "how long can i leave my car there?", "how long is the pool?": a span of time or a
    length is asked (not "how long has she ...", which its start answers too)."""
    if _HOW_LONG.search(question) is None:
        return False
    # "how long have i got to cancel?" asks a span, as "how long has she worked there?" does not.
    return not _SPAN_QUESTION.search(question) or bool(_HAVE_GOT.search(question))


_HAVE_GOT = re.compile(r"\bhow\s+long\s+(?:have|has)\s+(?:i|we|you|they|he|she|it)\s+got\b", re.I)


def gives_a_length(sentence: str) -> bool:
    """Whether ``sentence`` holds what a how-long question asks: a span of time ("limited to
    two hours"), a length ("25 metres") or a time of day (it lasts "until 10pm", or opens
    "9am to 5pm"; a time that only says when, "leaves at 9am", counts too)."""
    sentence = _DATES.sub(" ", sentence)
    return bool(
        _SPAN_OF_TIME.search(sentence)
        or _MEASURED_IN["length"].search(sentence)
        or _CLOCK_ANSWER.search(sentence)
        or _TEXT_LENGTH.search(sentence)
    )


# "at least 12 characters", "no more than 500 words": how long a password or a text is.
_TEXT_LENGTH = re.compile(rf"(?:\d|\b{_NUMBER})\s*-?\s*(?:characters?|chars|letters|digits|words)\b", re.I)


# "two hours", "45 minutes", "10 working days", "a fortnight", "24-hour": a span of time.
_SPAN_OF_TIME = re.compile(
    rf"(?:\d|\b{_NUMBER})\s*-?\s*(?:(?:full|whole|clear|calendar|working|business|school|more|further|extra)\s+)*"
    r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?|years?)\b"
    r"|\bfortnight\b|\b(?:an|one|a\s+full)\s+(?:hour|day|week|month|year)\b"
    # "for a week", "within a day", "a few days", "a couple of hours"; not "£8 a month", a rate.
    r"|\b(?:for|within|up\s+to|about|around|over|under|than|after|in|take|takes|last|lasts)\s+a\s+"
    r"(?:day|week|month|year|term|season)\b"
    r"|\ba\s+(?:few|couple\s+of)\s+(?:minutes?|mins?|hours?|days?|weeks?|months?|years?)\b"
    r"|\b(?:overnight|all\s+day|the\s+same\s+day|the\s+next\s+day|the\s+following\s+day)\b",
    re.I,
)


def only_a_sum(question: str, sentence: str) -> bool:
    """Whether ``sentence`` is no answer to a how-long question for holding no figure but a
    sum of money ("£120" for "how long do the kids' clubs run for?")."""
    if not _HOW_LONG.search(question) or not _SUM.search(sentence):
        return False
    return not any(ch.isdigit() for ch in _SUM.sub(" ", sentence))


# "how much of the plot has to be cultivated?" asks what part of a thing; "how much of it is
# free?" too. Not "how much of a deposit ...", which asks an amount.
_SHARE_ASKED = re.compile(r"\bhow\s+much\s+of\s+(?:the|my|your|our|their|his|her|its|this|that|it|them)\b", re.I)
# A part of a whole: "75%", "75 per cent", "a quarter of it", "half the rent". Not "a quarter
# past ten", "first half-term", "24/7" or a date.
_SHARE_GIVEN = re.compile(
    r"\d\s?%|\bper\s?cent\b|\b(?:half|halves|quarters?|thirds?|fifths?|tenths?)\s+(?:of|the)\b", re.I
)


def asks_a_share(question: str) -> bool:
    """ "how much of the plot ...?": a part of a thing is asked ("75%", "a quarter")."""
    return _SHARE_ASKED.search(question) is not None


def gives_a_share(sentence: str) -> bool:
    """Whether ``sentence`` gives a part of a whole: "at least 75% of it", "a quarter of it"."""
    return _SHARE_GIVEN.search(sentence) is not None


def quantity_of(question: str) -> str | None:
    """The stem of what "how much" measures ("notice" in "how much notice do i have to
    give?"); None when it measures nothing named ("how much is it?", "how much more")."""
    found = _QUANTITY_OF.search(question)
    if found is None:
        return None
    word = found.group(1).lower()
    return None if word in STOPWORDS or word in {"more", "less", "longer", "further", "extra"} else stem(word)


# A number and the (up to four) words right after it, in one run without punctuation.
_COUNTING = re.compile(rf"\b{_NUMBER}\s+((?:[\w.-]+\s+){{0,3}}[\w-]+)", re.I)


# Words that count whatever the documents call the things: "how many items can i have on
# hold" is answered by "up to 10 reservations" as well as by a sentence counting items.
ANY_THINGS = frozenset(stem(w) for w in "item items thing things stuff".split())


def counted(question: str) -> list[str]:
    """The stems of what "how many" counts: ["seal"] for "how many seals has her team counted?"."""
    found = _COUNTED.search(question)
    if found is None:
        return []
    return [stem(w.lower()) for w in found.group(1).split() if w.lower() not in STOPWORDS and w.lower() != "more"]


def counts(sentence: str, things: list[str]) -> bool:
    """Whether a number in ``sentence`` counts one of ``things`` (stems), at most three words
    coming between ("five rounds", "eight more 1.5 MW turbines" by "more 1.5 MW"); the words
    are compared by their stems, so "five companies" counts "company"."""
    sentence = _MANUAL_PAGE.sub(" ", sentence)
    for number in _COUNTING.finditer(sentence):
        after = [stem(w.lower()) for w in number.group(1).split()]
        if any(
            word.startswith(thing) or (thing.startswith(word) and len(word) >= 4) for word in after for thing in things
        ):
            return True
    return False


# Words after a number that measure rather than count: a span, a rate, a unit, a sum.
_MEASURING_WORDS = frozenset(
    "year years month months week weeks day days hour hours minute minutes second seconds time times "
    "pounds dollars euros rupees pence cents miles metres meters kilometres kilometers feet inches tonnes tons "
    "kilograms grams litres liters percent".split()
)


def counts_things(sentence: str) -> bool:
    """Whether a number in ``sentence`` counts things ("38 docking stations"), not a span
    of time, a rate or a measure ("twice a year", "three times", "4,000 pounds")."""
    for number in _COUNTING.finditer(_MANUAL_PAGE.sub(" ", sentence)):
        for word in number.group(1).lower().split():
            if word in _MEASURING_WORDS:
                break  # "three months", "twice a year", "4,000 pounds"
            if re.fullmatch(r"[a-z]{3,}s", word) and word not in STOPWORDS:
                return True
    return False


def names(question: str) -> list[str]:
    """Capitalised words of the question, as written, apart from its opening word.

    These are the proper names a question hinges on; a question about a name the
    documents never mention cannot be answered from them.
    """
    found: list[str] = []
    for match in _NAME.finditer(question):
        if match.start() == len(question) - len(question.lstrip()):
            continue  # the first word is capitalised anyway
        for word in re.split(r"[-&]", match.group(0)):
            if len(word) > 1 and word.lower() not in STOPWORDS and word not in found:
                found.append(word)
    return found


# "Let's Encrypt", "Who's Who": a capitalised contraction inside a question opens a name
# of several words, which only means that name where the words stand together.
_CONTRACTED_NAME = re.compile(r"(?<=\w\s)[A-Z][a-z]*['’][a-z]{1,2}\s+[A-Z][\w-]*")


def phrase_names(question: str) -> list[str]:
    """Names of several words that hold together, as written.

    >>> phrase_names("How do I get a free Let's Encrypt TLS certificate?")
    ["Let's Encrypt"]
    """
    return [m.group(0) for m in _CONTRACTED_NAME.finditer(question)]


def name_stem(name: str) -> str:
    """The part of a name that its other forms share ("Russian" -> "Russi", "Indian" -> "Indi")."""
    return name[: max(4, len(name) - 2)] if len(name) > 4 else name
