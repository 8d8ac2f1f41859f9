"""The offline answerer: quotes the retrieved sentences that best answer the question.

No language model is involved, so nothing can be invented: every sentence of the
answer is copied from a passage and followed by that passage's ``[n]``.

Each statement in the retrieved passages is scored by a weighted sum of signals
(``evidence.rank``): how much of the question it covers (question words weighted
by how rare they are among the candidates, names folded across their forms so
"American" meets "U.S."), its passage's similarity to the question, the question's
words in the headings above it, whether it holds the kind of answer asked for (a name
for "who", a number for "how many"), and whether it was already said earlier in the
conversation. The best sentence leads; a runner-up joins only when it is nearly as good
and adds words the lead does not have.

Quotes are made readable (``quoting``): questions and headings are never quoted, a
label pasted in front of a sentence is left out, and a sentence opening with "He" or
"Thus" brings what it refers to.

    >>> answer = ExtractiveAnswerer().answer("Who met Danly?", hits)
    >>> answer.answer
    'Ambassador Kwatra also held a “fruitful discussion” with U.S. Deputy Secretary ... [1].'
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from core.records import Chunk, Hit
from core.text import STOPWORDS, abbreviation_may_end, content_terms, is_signature, sentence_spans, stem, words

from . import evidence, ranges
from .aliases import fold, forms, places
from .answer import ABSTAIN_TEXT, MARKER, Answer, Citation
from .conversation import full_names, typed_lower
from .evidence import Candidate, Scored, row_line, row_start
from .grounding import looks_like_injection
from .idioms import plain
from .question import (
    ANY_THINGS,
    PATH,
    ROLES,
    asked_as,
    asks_a_share,
    asks_for_a_weekday,
    asks_for_more,
    asks_for_path,
    asks_for_people,
    asks_for_person,
    asks_for_several,
    asks_for_work,
    asks_how,
    asks_how_long,
    asks_the_name_of_a_role,
    asks_where,
    asks_whom_to_reach,
    asks_yes_or_no,
    counted,
    counts,
    counts_things,
    expected_type,
    gives_a_length,
    gives_a_share,
    gives_an_age,
    gives_measure,
    is_a_date,
    is_an_address,
    measured_in,
    name_stem,
    names,
    names_a_weekday,
    names_work,
    only_a_sum,
    phrase_names,
    quantity_of,
    role_asked,
    satisfies,
    shifts_subject,
)
from .quoting import (
    about_the_text,
    asks,
    bracketed,
    connective_end,
    given_names,
    label_end,
    looks_like_title,
    opens_with_referent,
    person_before,
    points_above,
    points_at_a_table,
    pronoun_gender,
    reference,
    run_in_heading,
    run_in_headings,
    title_cased,
    with_full_names,
    with_items,
)
from .spelling import respelled
from .synonyms import Synonyms
from .unheard import any_unheard_of, nowhere
from .word_vectors import WordVectors

# The best sentence of the expected kind (a date, a number) must reach this share of
# the best sentence's score and question-word coverage, or the answer is not there.
TYPED_SHARE = 0.8
# A sentence naming a person in the best sentence's passage answers "who should I speak to
# about ...?" before it when it scores this share of it.
WHOM_SHARE = 0.75
# A row or rule whose age band holds the age the question gives answers it at this share of
# the best sentence's score: the band is what the question asks about, the best sentence
# ("Our kids' clubs run in 10-week terms") only shares more of its words.
AGE_SHARE = 0.6
# Money got back is a refund; a sentence on one says "refund", "reimburse", "repay", "money
# back" or gives a credit note instead.
_MONEY_BACK = re.compile(r"\b(?:money|cash)\s+back\b", re.I)
_REFUNDS = re.compile(r"\brefund|\breimburs|\brepa(?:y|id)|\bmoney\s+back\b|\bcredit\s+note", re.I)
# Kinds of answer an age band's figures ("12 to 17") may look like but are not.
_NOT_AGES = frozenset({"date", "clock", "hours", "count", "quantity", "span"})
# From one time of day to another: "8:30am to 5:30pm", "9am-1pm", "10.00 until 16.00".
# A time of day: with am or pm ("9am", "5.30pm") or with a colon ("17:30").
_CLOCK = r"(?:\d{1,2}(?:[:.][0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)|(?:[01]?\d|2[0-4]):[0-5]\d\b)"
_TIME_RANGE = re.compile(
    rf"\b(?:{_CLOCK}|\d{{1,2}}(?=\s*(?:to|until|till|-|–|—)\s*\d{{1,2}}\s*(?:am|pm)))\s*(?:to|until|till|-|–|—)\s*"
    # ... or to a time of day named: "from 7am until dusk".
    r"(?:" + _CLOCK + r"|(?:dusk|dawn|sunset|sunrise|midnight|noon|midday)\b)",
    re.I,
)
# Hours given as times of day lead over hours named only by days ("at weekends") that
# score at most this much better.
HOURS_SHARE = 0.75
# ... and hold at least this share of the best sentence's question words.
HOURS_COVERAGE = 0.5
# For "who", the best sentence naming someone new leads if it scores this share of the best.
PERSON_SHARE = 0.6
# Question-word coverage that stands on its own even when dense similarity is low.
STRONG_LEXICAL = 0.5
# A question word the documents never use ("ufw", "certbot", "kubeadm") means they are
# not about the question, unless the best sentence holds at least this share of its
# words all the same: "What entry in hosts.deny might be the culprit?" is answered by the
# sentence on hosts.deny, which never says "culprit". (On the dev sets, the questions
# about tools no document mentions reach 0.16 at most; that one 0.27.)
KNOWN_REST = 0.25
# A follow-up's lead sentence must hold at least this share of the follow-up's own
# words, a word matched by meaning counting for its cosine ("concerns" for "worried").
FOLLOW_UP_OWN = 0.15
# Below that, a lead holding at least this share still answers when no sentence of an
# earlier answer holds more ("When's the last one due?" quoting the item with "final").
FOLLOW_UP_WEAK = 0.05
# A sentence the conversation already gave leads again when it holds this many times the
# lead's share of the follow-up's own words.
AGAIN_OWN = 1.5
# Asked what is done about a problem, a sentence of the lead's passage saying what someone
# does leads if it scores this share of the lead (which states the problem, in the words
# the follow-up borrowed from the question before).
ACTING_SHARE = 0.8
# For "who", a sentence naming everyone the question names leads if it scores this share of the best.
NAMED_SHARE = 0.8
# How many of the best sentences are searched for every name a short question asks about.
NAMED_CANDIDATES = 20
# What a document is about, asked of one document, is said in this many of its sentences.
OVERVIEW_SENTENCES = 2
# Shorter lines at a document's head are bylines and dates, not what it is about.
OVERVIEW_MIN_WORDS = 8
# A lead sentence this short is followed by the next sentence of its passage.
SHORT_SENTENCE_WORDS = 12
# How far back a quote may reach for what its opening word refers to.
MAX_ANTECEDENT_SENTENCES = 2
# How many items of a list up from an item its announcing line is looked for.
MAX_LIST_ITEMS_UP = 12
# Scores closer than this are a tie (the same signals, as two rows of one table get);
# at most this many tied sentences are compared by meaning (one embedding call of
# the question and these; each text costs a few milliseconds).
TIE = 1e-9
MAX_TIED = 4


def _phrases(question: str, sentence: str) -> int:
    """How many pairs of the question's adjacent content words (stopwords between them
    skipped) ``sentence`` holds adjacent the same way."""
    asked = content_terms(question)
    pairs = set(itertools.pairwise(asked))
    return len(pairs & set(itertools.pairwise(content_terms(sentence)))) if pairs else 0


class ExtractiveAnswerer:
    def __init__(
        self,
        max_sentences: int = 3,
        min_relevance: float = 0.2,
        mentions: Callable[[str], bool] | None = None,
        pieces: Callable[[str], int] | None = None,
        vectors: WordVectors | None = None,
        meaning: Callable[[list[str]], np.ndarray] | None = None,
        following: Callable[[Chunk, int], list[Chunk]] | None = None,
        synonyms: Synonyms | None = None,
    ):
        """``mentions(text)`` tells whether the index contains ``text`` anywhere;
        ``pieces(word)`` how many word pieces the embedding model cuts ``word`` into;
        ``vectors`` match question words to sentence words by meaning; ``meaning``
        embeds texts (the embedding model's ``embed``), to tell tied sentences apart;
        ``following(chunk, n)`` gives the ``n`` passages after ``chunk`` in its document
        (the store's ``chunks_after``), where a list a sentence announces runs on past the
        passages retrieved; ``synonyms`` match question words to the synonyms WordNet
        lists for them ("phone" for "ring")."""
        if max_sentences < 1:
            raise ValueError("max_sentences must be at least 1")
        self.max_sentences = max_sentences
        self.min_relevance = min_relevance
        self.mentions = mentions
        self.pieces = pieces
        self.vectors = vectors
        self.meaning = meaning
        self.following = following
        self.synonyms = synonyms

    def warm_up(self) -> None:
        """Load the word vectors and synonyms before the first question."""
        if self.vectors is not None:
            self.vectors.warm_up()
        if self.synonyms is not None:
            self.synonyms.warm_up()

    def answer(
        self,
        question: str,
        hits: list[Hit],
        context: str = "",
        said: Sequence[str] = (),
        context_share: float | None = None,
        max_passages: int | None = None,
        about: Sequence[str] = (),
        sources: frozenset[str] = frozenset(),
    ) -> Answer:
        """Answer ``question`` from ``hits``, citing at most ``max_passages`` of them;
        ``sources`` are the documents the conversation's last answer quoted.

        ``context`` is earlier conversation text whose words count for less than the
        question's own; ``said`` holds earlier answers, whose sentences are not repeated
        unless nothing else answers.
        """
        # "for swimmng": the word of the passages found that a misspelt one was meant for.
        question = self.respelled(question, hits)
        # Ties are broken below, among the sentences of the kind asked for: a question
        # declined, or whose tied sentences are of another kind, needs no model call.
        scored = self.score(question, hits, context, said, context_share, ties=False, sources=sources)
        # "how long does it go on for" after "when is rhyme time on?": the one name the
        # conversation typed in lower case ("Rhyme Time", as the passages write it) is what
        # the follow-up is about, though "it" was not read as standing for it (a referent
        # would also narrow the passages searched, which a name typed in passing should not).
        lowered = (
            typed_lower(context, [s.candidate.text for s in scored[:NAMED_CANDIDATES]]) if context and not about else []
        )
        meant = tuple(lowered) if len(lowered) == 1 else tuple(about)
        if self._off_topic(question, hits, scored, meant):
            return abstention()
        if asks_yes_or_no(question) and any_unheard_of(
            question,
            [" ".join([h.chunk.text, *h.chunk.headings]) for h in hits],
            self.mentions,
            self.synonyms,
            self.vectors,
        ):
            # "Do I have to wear a helmet?" where the documents never speak of helmets: the
            # sentence on the bikes that shares its other words does not say.
            return abstention()
        more = bool(said) and asks_for_more(question)
        if more:
            # "Tell me more.": what the answers have not said yet.
            scored = [s for s in scored if not s.repeated]
        # "What about the second phase?" asks what the question before asked (a date, how).
        form = asked_as(question, context)
        answer_type = expected_type(plain(form))  # "how far off" asks how near, not how far
        # "Does ls show sizes in bytes?" asks no measure: only a question for one is held to a unit.
        unit = measured_in(form) if answer_type in ("count", "quantity", "money") else None
        # A unit asked ("how many megabytes") is checked as a unit: "40 MB" counts megabytes.
        things = counted(form) if answer_type == "count" and unit is None else []
        # "how many items can i have on hold?": whatever a sentence counts ("up to 10
        # reservations") may be the items; not any figure ("a 14-day loan", "a four-digit PIN").
        any_things = bool(things) and set(things) <= ANY_THINGS
        if answer_type == "count" and unit is None and not things and about and _OF_THEM.search(question):
            # "and how many of those are electric?" about the bikes counts bikes: not "Each
            # e-bike has a 36-volt battery".
            things = [stem(w) for w in words(about[0]) if w not in STOPWORDS]
        # "which days are the lessons?": "on Tuesdays and Thursdays" says, as "on Tuesday" does.
        weekday = asks_for_a_weekday(form)
        typed = [
            s
            for s in scored
            if (s.coverage > 0.0 or more)
            and (
                satisfies(evidence.as_read(s.candidate), answer_type)
                or (weekday and names_a_weekday(s.candidate.text))
                or (answer_type == "age" and _age_cell(s.candidate))
            )
            # "12 to 17" under "Ages" is no date ("when does his club run?") nor count.
            and (answer_type not in _NOT_AGES or not _age_cell(s.candidate, only=True))
            and not (answer_type == "quantity" and only_a_sum(form, s.candidate.text))
            and (unit is None or gives_measure(s.candidate.text, unit))
            and (
                not things
                or counts(evidence.as_read(s.candidate), things)
                or _seats(s.candidate.text, things)
                or (any_things and counts_things(evidence.as_read(s.candidate)))
            )
        ]
        fitting: set[int] = set()
        # "and the water on top?" after "my plot is 250 sq m how much rent": the measure given
        # before still picks the row, when the follow-up gives no figure of its own.
        given = ranges.given(question) or (
            ranges.given(context)
            if context and not any(ch.isdigit() for ch in question) and not gives_an_age(context)
            else []
        )
        if typed and not asks_yes_or_no(question) and not gives_an_age(question) and (measures := given):
            # "if i pull out 3 weeks before how much do i get back": of the refund rules the
            # best sentence's passage sets, the one whose range holds 21 days ("Between 14 and
            # 28 days ..."), not those that share as many of its words. Only the rules of that
            # passage, which are alternatives of one another: a range elsewhere may be of
            # something else ("valid for 14 days"). Not for a yes-or-no question ("can i book
            # otter for 2 hours?" is answered by the rule it breaks) nor one giving an age.
            passage = typed[0].candidate.hit
            floor = TYPED_SHARE * typed[0].score
            verdicts: dict[int, bool | None] = {
                id(s): ranges.holds(_range_text(s.candidate), measures) if s.candidate.hit is passage else None
                for s in scored
            }
            # A row the measure falls in is the one asked about, though the conversation named
            # its neighbour ("Dinghy park space" before "my mates boat, its about 4.8m long").
            leading = [s for s in typed if verdicts[id(s)] and s.score >= floor]
            if leading:
                led = {id(s) for s in leading}  # by identity, as Scored records compare by value
                typed = [*leading, *(s for s in typed if id(s) not in led and verdicts[id(s)] is not False)]
                scored = [s for s in scored if verdicts[id(s)] is not False]
                fitting = {id(s) for s in typed if verdicts[id(s)]}
        aged_lead = False
        if typed and not asks_yes_or_no(question) and (ages := ranges.ages_given(question)):
            # "my son is 11, which of the kids clubs would he go in?": the row or rule whose age
            # band holds 11 ("Junior Club | 8 to 11 | ..." under "Ages"), not another band that
            # shares as many of its words. Not for a yes-or-no question, which the rule it
            # breaks answers too. Only in the best sentence's passage: a band elsewhere is
            # of something else ("Anyone aged 13 and over" for emergency contraception, for
            # "my son is 13, what does he need to travel alone?").
            passage = typed[0].candidate.hit
            floor = AGE_SHARE * typed[0].score
            aged = {
                id(s): ranges.holds(_with_header(s.candidate), ages) if s.candidate.hit is passage else None
                for s in scored
            }
            # Only one that holds as much of the question's words as the best sentence: "my
            # son is 11, how much is a party?" is the party's price, not the Junior Club's,
            # whose band holds 11 too. Nearly as much where the best sentence's band does not
            # hold the age ("Young people aged 12 to 15 may travel alone" for a 10-year-old),
            # and any share where it sets none ("Our kids' clubs run in 10-week terms" for "my
            # lad's 13, when does his club run?" is no one club's time).
            verdict = aged[id(typed[0])]
            share = 1.0 if verdict else TYPED_SHARE if verdict is False else 0.0
            widths = {
                id(s): ranges.narrowest(_with_header(s.candidate), ages)
                for s in typed
                if aged[id(s)] and s.score >= floor and s.coverage >= share * typed[0].coverage - TIE
            }
            # The one holding most of the question's words, then the narrowest band; the best
            # sentence first when its band holds the age ("We also host birthday parties for
            # children aged 6 and over ... for £180" for "my son is 11, how much is a party?",
            # whose "11" the Junior Club's "8 to 11" holds as a word too).
            leading = sorted(
                (s for s in typed if id(s) in widths),
                key=lambda s: (s is not typed[0] or not verdict, -round(s.coverage, 9), widths[id(s)], -s.score),
            )
            if leading and _asks_for_one(question) and not (verdict and leading[0] is typed[0]):
                # Of the closest fits, one: the cell nearest the question in meaning ("£210"
                # for "how much", not "12 to 17" in the same row).
                closest = [
                    s
                    for s in leading
                    if widths[id(s)] == widths[id(leading[0])] and abs(s.coverage - leading[0].coverage) <= TIE
                ]
                leading = [*self._break_ties(question, closest), *leading[len(closest) :]]
            if leading:
                led = {id(s) for s in leading}
                typed = [*leading, *(s for s in typed if id(s) not in led and aged[id(s)] is not False)]
                # Only what holds the age joins it: "[Saturday] 09:00–19:00" of the opening
                # hours says nothing of when the 13-year-old's club runs.
                scored = [*leading, *(s for s in scored if aged[id(s)] and id(s) not in led)]
                fitting |= led
                aged_lead = True
        if typed and any(_first_cell(s.candidate) for s in typed):
            # "when does the spring term start?" asks Spring's row: when that row is not
            # read as figures ("To be confirmed" under "Ends"), Summer's start is no answer.
            asked_rows = set(evidence.terms_of(f"{question} {context}"))
            named_rows: dict[str, set[str]] = {}  # per passage, read once
            typed = [
                s for s in typed if id(s) in fitting or not _another_row_named(s.candidate, asked_rows, named_rows)
            ]
        if typed and (lowest := _cheapest_or_dearest(question)) is not None:
            typed = _by_price(typed, lowest, question)
        if answer_type == "quantity" and asks_a_share(form):
            # "how much of the plot has to be cultivated?" is answered by a part of it ("at
            # least 75% of it"), not by the best sentence holding any figure ("A 16- or
            # 17-year-old can work an adult plot"), when one gives a part.
            typed = [s for s in typed if gives_a_share(evidence.as_read(s.candidate))] or typed
        if answer_type == "quantity" and asks_how_long(form):
            # "how long can i leave my car there?" is answered by a span ("Parking is limited
            # to two hours"), not by the best sentence holding any figure ("there are 24 free
            # spaces in the car park"), when one gives a span.
            typed = [s for s in typed if gives_a_length(evidence.as_read(s.candidate))] or typed
            # "how long does it take?": of those, a span that "takes" governs ("It's free, takes
            # about 45 minutes"), not one of notice ("at least 24 hours' notice") or of something
            # else ("a separate 30-minute lifting sign-off"), where its paragraph holds as much
            # of the conversation as the best one's ("... you need to complete an induction
            # ..."). A paragraph on something else holds less: "It takes about 15 minutes" of a
            # belay check is not what bouldering's induction takes ("a free 20-minute talk").
            if typed and evidence.says_what_it_takes(form):
                asked = set(evidence.terms_of(context))
                held = len(asked & _paragraph_terms(typed[0]))
                typed = [
                    s
                    for s in typed
                    if evidence.says_what_it_takes(form, s.candidate.text) and len(asked & _paragraph_terms(s)) >= held
                ] or typed
        if answer_type == "quantity" and (measured := quantity_of(form)) and not about:
            # "how much notice do i have to give?" is answered by a sentence giving notice
            # ("one full calendar month's notice"), not by the best one holding any figure
            # ("a 25-metre, six-lane main pool"), when one does. Not when the question points
            # at what it asks about: "how much capacity does the second one add?" is answered
            # by the second phase's "adding 12 MW", not by the third's "final capacity".
            # A table's cell gives it under its column's header ("10 kg" under "Clay included").
            # Terms are cut to a prefix ("firewoo" for "firewood").
            measured = measured[: evidence.PREFIX]
            typed = [s for s in typed if measured in s.candidate.terms or measured in s.candidate.meets] or typed
        if _MONEY_BACK.search(form):
            # "do i get my money back if i cancel 5 days before?" asks for a refund rule
            # ("Cancellations made within 7 days receive a credit note ... no refunds"): a
            # sentence that says nothing of refunds ("you can apply for an assisted
            # collection", for "can i get my money back if i move house") does not answer.
            typed = [s for s in typed if _REFUNDS.search(s.candidate.text)]
        if answer_type == "clock" and not typed:
            # "What time is the deadline?" answered by a day ("31 March 2026") when no
            # sentence gives a time of day.
            answer_type = "date"
            typed = [s for s in scored if s.coverage > 0.0 and satisfies(evidence.as_read(s.candidate), "date")]
        if things and not typed and scored and _counts_in_other_words(evidence.as_read(scored[0].candidate), things):
            # "How many places around town can I grab a bike from?" is answered by the
            # best sentence, "... at 38 docking stations across the town", though it
            # counts them in other words.
            typed = scored[:1]
        # The best sentence of the right kind must be a serious contender, not a
        # distant one that merely contains a number or a date. When the best sentence
        # won on similarity alone (no question word), any typed one covers at least as much.
        if about and typed:
            # "How much did its repair cost?" about turbine T3: a passage that never
            # mentions T3 is about another repair.
            # Nor is she answered for by a sentence whose "she" the passage shows to be
            # someone else ("[Ingrid Halvard] later completed a doctorate ..." for "which
            # university did she get her doctorate from?" about Saoirse Blackwood); a
            # question for a person asks about whom "he" met, who may be the sentence's own
            # ("which senator from Tennessee did he talk to?").
            for_whom = not asks_for_person(question)
            # "how long has she been doing that?" about Priya Natarajan is not answered by
            # "Before going into local politics, he taught geography ..." in her passage.
            asked_gender = pronoun_gender(question, standing=True)
            typed = [
                s
                for s in typed
                if _mentions(s.candidate, about)
                and not (for_whom and s.signals.get("someone_else"))
                and not _another_gender(s.candidate, asked_gender, about)
            ]
        if about and answer_type in _ADDRESSES and full_names(" ".join(about)):
            # "whats her email address" after the studio manager's name: the address on her
            # own line ("Studio manager: Harriet Okafor (harriet@...)"), not the general one
            # above it that the word "Email" labels.
            typed = [s for s in typed if _names_any(s.candidate, about)] or typed
        if typed and asks_for_person(form) and not typed[0].signals.get("kind"):
            # "who do i pay it to": a sentence naming someone ("... handed to Gareth at
            # rehearsal"), nearly as good, answers it; "You can pay each term ..." does not.
            floor = evidence.RUNNER_UP_SHARE * typed[0].score
            naming = next((s for s in typed if s.signals.get("kind") and s.score >= floor), None)
            if naming is not None:
                typed = [naming, *(s for s in typed if s is not naming)]
        if typed and asks_whom_to_reach(form) and not _names_a_person(typed[0], question, context, self.synonyms):
            # "Who should I speak to about getting library books delivered?": the sentence
            # naming the coordinator ("... contact the coordinator, Janet Okafor, on ..."),
            # nearly as good, answers it; the one on the delivery service itself does not,
            # though a service is a name. In the best sentence's passage, which is on what the
            # question asks about, it need hold none of the question's words and score less
            # ("who do i talk to about getting books delivered").
            passage = typed[0].candidate.hit
            naming = next(
                (
                    s
                    for s in scored
                    if (s.candidate.hit is passage and s.score >= WHOM_SHARE * typed[0].score)
                    or (s.coverage > 0.0 and s.score >= evidence.RUNNER_UP_SHARE * typed[0].score)
                    if _names_a_person(s, question, context, self.synonyms)
                ),
                None,
            )
            if naming is not None:
                typed = [naming, *(s for s in typed if s is not naming)]
        if not typed and scored and _titled(scored[0]):
            typed = scored[:1]  # a section titled as the question answers it (below)
        if not typed:
            return abstention()
        if _asks_for_one(question) and not aged_lead:
            # (Rows led by the age band holding the age given are in order of fit, not of
            # score: their order stands.)
            typed = self._break_ties(question, typed)
            if typed[0] is not scored[0] and scored[0].score - typed[0].score <= TIE:
                scored = [typed[0], *(s for s in scored if s is not typed[0])]
        if answer_type == "hours" and typed:
            # "what are the opening hours?": "Reception is open Monday to Friday from 8:30am to
            # 5:30pm" gives them; "This service runs in the evenings, at weekends ..." only
            # names when, and "phone us as soon as we open at 8:30am" one time: they lead only
            # when no sentence nearly as good gives the hours from one time to another.
            # Not another thing's times: "Morning break ... runs from 10:30am to 10:45am" for
            # "what time do they open the gates?", over "The school gates open at 8:40am".
            # The words may be in the heading over the hours: "Saturday: 9:00am to 5:00pm"
            # under "Opening hours" says when it opens.
            # A follow-up asks what the question before asked, and a table's column may say
            # it: "what about sundays" after "what time does the gym open" is answered by the
            # cell under "Doors open" ("08:00"), not by the staffed hours beside it, though
            # both sit under "Opening hours".
            asked = set(evidence.terms_of(form))
            opening = _OPENING_TERMS & _with_headings(typed[0]) & asked
            column = _OPENING_TERMS & _column_terms(typed[0].candidate) & asked
            timed = [
                s
                for s in typed
                if s.score >= HOURS_SHARE * typed[0].score
                and opening <= _with_headings(s)
                and column <= _column_terms(s.candidate)
                and _gives_hours(s)
            ]
            # Of those, the hours holding most of the question's own words ("what time does
            # it open on a saturday": "[Saturday] 9:00am to 5:00pm", not a bank holiday's),
            # the first of them on a tie.
            best = max(timed, key=lambda s: s.own, default=None)
            if best is not None and (not _gives_hours(typed[0]) or best.own > typed[0].own):
                typed = [best, *(s for s in typed if s is not best)]
        # "What's the second one going to cost?": the sentence the second one stands for
        # is what is asked about, not an answer the typed one must come near.
        top = next((s for s in scored if not (about and _is_the_item(s.candidate, about))), scored[0])
        # Hours from one time to another, nearly as good as the best sentence and holding
        # half its words, are no distant figure that merely happens to be there.
        ranged = (
            answer_type == "hours"
            and _gives_hours(typed[0])
            and typed[0].score >= HOURS_SHARE * top.score
            and typed[0].coverage >= HOURS_COVERAGE * top.coverage
        )
        coverage = typed[0].coverage / top.coverage if top.coverage > 0 else 1.0
        if top.loose > 0:
            # "how long do they hold it for me" after a reservation: "Reserved items are kept
            # for you ... for 7 days" holds "hold" in other words, as the best sentence ("Each
            # member can hold up to 10 reservations") holds it in the same.
            coverage = max(coverage, typed[0].loose / top.loose)
        pointed = {t for m in _DEMONSTRATIVE.finditer(question) for t in evidence.terms_of(m.group(1))}
        if context and pointed and pointed <= typed[0].candidate.terms and top.own > 0:
            # "how high were those tariffs?" after the answer on past frictions: a sentence
            # on the tariffs pointed at is no weaker for lacking the earlier question's
            # words ("These past frictions ..." holds them), if it holds as much of the
            # follow-up's own.
            coverage = max(coverage, typed[0].own / top.own)
        if context and top.own == 0.0 and typed[0].own >= FOLLOW_UP_OWN and typed[0].candidate.leaned:
            # "how long does it take?" after "do i need a belay check to top rope?": the best
            # sentence ("[Belay competency check] needed to top-rope ...") holds only the
            # conversation's words, and "It takes about 15 minutes", which leans on it, the
            # follow-up's own. Only such a sentence: one about something else ("parking permits
            # for new staff take 3 weeks") is no answer for holding a span.
            coverage = 1.0
        lead = typed[0]
        # A telephone number in the best sentence's own passage is no figure that merely
        # happens to be there: "whats the number to ring?" about a stolen laptop is answered
        # by "Call the IT helpdesk on 01632 960 418 ...", though the sentence on reporting
        # the theft holds more of the question's words.
        dialled = answer_type in _ADDRESSES and lead.candidate.hit is top.candidate.hit
        if context and answer_type in _ADDRESSES:
            # "whats his number" after a question on access needs: the contact line
            # "Access officer: Sam Okafor, 01632 960 512" holds fewer of the conversation's
            # words than the sentences on access, but a follow-up asking for a telephone
            # number wants the number nearest the conversation, not more of its words (it
            # must still score nearly as well as the best sentence, below).
            coverage = 1.0
        if asks_how_long(form) and _same_paragraph(lead, top):
            # "how long can i leave my car there?" after the parking: "Parking is limited to two
            # hours", in the same list item as the best sentence ("there are 24 free spaces in
            # the car park ..."), is about what it is about, though it holds fewer of the words.
            coverage = 1.0
        if _same_row(lead, top):
            # "when is the level 2 course on this year": the level 2 row's "Improver" under
            # "Level" holds "level" twice over, as the row's and as its column's word, but
            # the row is what the question names, and its date under "Dates" gives it.
            coverage = 1.0
        # A row whose age band holds the age given is what the question asks about, though
        # it shares fewer of its words than the best sentence (``AGE_SHARE``).
        if (
            answer_type != "any"
            and not (dialled or ranged or aged_lead)
            and min(typed[0].score / top.score, coverage) < TYPED_SHARE
        ):
            if not _titled(top):
                return abstention()
            # "How fast are exceptions?" over "A try/except block is extremely efficient if
            # no exceptions are raised": a section titled as the question answers it where
            # it opens, in whatever words, rather than a figure found elsewhere.
            lead = top
        if context and not more and not lead.repeated:
            # "Should I put the full domain name in there?" after the answer that said "This
            # file should contain only the system hostname, not a fully qualified domain
            # name": a sentence already given that holds far more of the follow-up's own
            # words than the lead, and scores nearly as well, is what it asks about again.
            floor = evidence.RUNNER_UP_SHARE * lead.score
            again = [
                s
                for s in typed
                if s.repeated and s.score >= floor and s.own >= max(FOLLOW_UP_OWN, AGAIN_OWN * lead.own)
            ]
            if again:
                lead = again[0]
        if (
            context
            and evidence.terms_of(question)
            and lead.own < FOLLOW_UP_OWN
            and not more
            and not _is_the_item(lead.candidate, about)
        ):
            # A follow-up answered only by what the conversation already named ("Which
            # state does she represent?" quoting the sentence that named her) is not
            # answered at all, unless it asks about the last answer and a sentence of it,
            # nearly as good, holds the follow-up's own words ("What does the second one
            # say about Asia?" when the second one quoted said nothing of Asia).
            floor = evidence.RUNNER_UP_SHARE * typed[0].score
            again = [s for s in typed if s.repeated and s.own >= FOLLOW_UP_OWN and s.score >= floor]
            # "What did she do for a living before that?" has no words of its own for the
            # answer to hold ("work" is what it asks for): a sentence naming a line of work does.
            work = (
                [s for s in typed if s.score >= floor and names_work(s.candidate.text)]
                if asks_for_work(question)
                else []
            )
            if again or work:
                lead = (again or work)[0]
            elif lead.own < FOLLOW_UP_WEAK or not (
                _names_any(lead.candidate, about) if about else _on_topic(lead.candidate, context)
            ):
                # A weak lead answers only about what the follow-up points back to:
                # "How old is he?" (Farrant) is not answered by a sentence on Quarrie;
                # after an ellipsis, only from a passage on what the question before asked.
                # A sentence nearly as good that holds the follow-up's own words does
                # ("Is India happy just buying kit from them, or does it want more?" is
                # answered by "India will expect more than just purchase deals ..."
                # though passages on why India buys from the U.S. rank higher), if it is
                # about what the follow-up points back to (its passage names it: "[^A c]
                # create a new window" under "key bindings for screen"); when that is
                # unknown, if it does not itself point back ("He previously ..." may be
                # someone else).
                # A sentence that points back is about the conversation's subject when it
                # comes from the document the last answer quoted: "It returned to service
                # after 37 days." answers "how long was it out of action" after "During
                # its first full year of operation, Phase 1 ...".
                own = [
                    s
                    for s in typed
                    if s.own >= FOLLOW_UP_OWN
                    and s.score >= floor
                    and (
                        _passage_names(s.candidate, about)
                        if about
                        else s.candidate.refers is None or s.candidate.hit.chunk.source in sources
                    )
                ]
                if not own and meant and asks_how_long(form):
                    # "how long does it go on for" after "when is rhyme time on?": a span in a
                    # sentence naming in full what "it" stands for ("Rhyme Time ... lasts 30
                    # minutes"), though the answer before quoted it for the day. A span, not
                    # the time it starts ("Story Time ... every Saturday at 11:00am").
                    own = [
                        s
                        for s in typed
                        if s.score >= floor
                        and _names_in_full(s.candidate, meant)
                        and satisfies(evidence.as_read(s.candidate), "span")
                    ]
                if not own and _ARE_THERE.search(question) and not counted(question):
                    # "what about the ones u have, how many are there" after "can i use my own
                    # glazes": a number counting a thing the conversation named ("There are 18
                    # shared cone 6 glazes ..."), in the document it is about, though the answer
                    # before quoted it. Not "how many of them are women?", which names what it
                    # counts.
                    before = [t for t in content_terms(context) if len(t) > 2]
                    own = [
                        s
                        for s in typed
                        if s.score >= floor
                        and s.candidate.hit.chunk.source in sources
                        and counts(evidence.as_read(s.candidate), before)
                    ]
                    # Only counts join it: "Wax the bottom of every piece ..." says nothing of
                    # how many.
                    scored = [s for s in scored if not own or counts(evidence.as_read(s.candidate), before)]
                if not own and (answer_type in _TELLING_KINDS or asks_for_person(question) or weekday):
                    # "whats the number to ring?" after the answer on a stolen phone, "who paid
                    # for it?" after the one on the defibrillator: the follow-up's words are
                    # not in the sentence, but the kind of thing it asks for is (a telephone
                    # number, a name the questions lack), in the document the conversation is
                    # about. Not a count or a date: "Kelsey Bridge Rowing Club has rowed on the
                    # River Wenlow since 1952" holds a number, no answer to "how many of them
                    # are women?".
                    own = [
                        s
                        for s in typed
                        if s.score >= floor
                        and s.candidate.hit.chunk.source in sources
                        and (not about or _passage_names(s.candidate, about))
                        and (
                            answer_type in _TELLING_KINDS
                            or (weekday and names_a_weekday(s.candidate.text))
                            or evidence.names_someone_new(s.candidate.text, question, context, bodies=None)
                        )
                    ]
                if not own:
                    return abstention()
                lead = own[0]
        if _MEASURES.search(question) and not _ACTS.match(lead.candidate.text):
            # "What are they doing about it?" after the supply chain worry: what someone
            # does about it ("The company has asked Norrland Turbinverk to qualify a second
            # bearing supplier ..."), in the lead's own passage and nearly as good, answers
            # it; the sentence stating the problem does not.
            floor = ACTING_SHARE * lead.score
            acting = next(
                (
                    s
                    for s in typed
                    if s.score >= floor and s.candidate.hit is lead.candidate.hit and _ACTS.match(s.candidate.text)
                ),
                None,
            )
            if acting is not None:
                lead = acting
        if context and shifts_subject(question):
            # "What about from inside vim?" asks the question before of something new:
            # of the sentences nearly as good, the one holding most of the question's own
            # words is about it (not the answer before, on script(1), nor screen's).
            floor = evidence.RUNNER_UP_SHARE * lead.score
            near = [s for s in typed if s.score >= floor and not s.repeated]
            other = max(near, key=lambda s: s.own, default=None)
            if other is not None and other.own > lead.own:
                lead = other
        named_terms = set(evidence.terms_of(" ".join(names(question))))
        if named_terms and asks_for_person(question) and not named_terms <= lead.candidate.terms:
            # "Who met Danly?" is answered by a sentence that names Danly, when one is
            # nearly as good as a sentence that only shares "met", and covers as much of
            # the question (a place named in passing, "on the Port Caddoway project",
            # does not outweigh "chief turbine engineer").
            naming = next((s for s in typed if named_terms <= s.candidate.terms), None)
            if naming is not None and naming.score >= NAMED_SHARE * lead.score and naming.coverage >= lead.coverage:
                lead = naming
        if context and asks_where(form) and not asks_for_path(form) and not lead.signals.get("kind"):
            # "Where's that company based?" wants a place the question does not name: a
            # sentence that gives one ("... a manufacturer based in Sweden ...") and holds
            # as much of the question's own words, though the conversation gave it already.
            placed = next(
                (
                    s
                    for s in typed
                    if s.signals.get("kind")
                    and s.own >= max(FOLLOW_UP_OWN, lead.own)
                    and s.score >= PERSON_SHARE * lead.score
                ),
                None,
            )
            if placed is not None:
                lead = placed
        name_of_a_role = asks_the_name_of_a_role(question)
        if (
            asks_for_person(question)
            and not evidence.names_someone_new(lead.candidate.text, question, context)
            and not evidence.first_named(lead.candidate.text, hits, question)
        ):
            # "Who ...?" wants a name the question lacks: a sentence that repeats the
            # question's words without one does not answer it.
            # "The name of the CEO" is given by a sentence that says who the CEO is, not
            # by one naming anyone else the question's people met.
            role = set(evidence.terms_of(role_asked(question))) if name_of_a_role else set()
            named = next(
                (
                    s
                    for s in typed
                    if role <= s.candidate.terms
                    and (
                        evidence.names_someone_new(s.candidate.text, question, context, bodies=False)
                        # A body only when it holds at least RUNNER_UP_COVERAGE of the lead's share
                        # of the question's own words: "These
                        # checks are carried out by Calder Heating Ltd" for "who does the gas
                        # safety checks?"; "The University of Westmarch runs the ... laboratory"
                        # does not say who runs the turbine maker.
                        or (
                            s.own >= evidence.RUNNER_UP_COVERAGE * lead.own
                            and evidence.names_someone_new(s.candidate.text, question, context)
                        )
                    )
                ),
                None,
            )
            # One that holds none of the question's own words only names someone:
            # "Who does she send her findings to?" is answered by "to the regional
            # wildlife agency", not by whoever else the passage names.
            if named is not None and named.score >= PERSON_SHARE * lead.score and named.own >= FOLLOW_UP_OWN:
                lead = named
        if (
            asks_for_person(question)
            and not _WHOSE.match(question)
            and names(question)
            and _only_about(lead.candidate.text, question)
            and not evidence.names_someone_new(lead.candidate.text, question, context)
        ):
            # "Who runs Norrland Turbinverk AB?" is not answered by what the company does:
            # a sentence about the subject the question names, naming nobody and nothing
            # else, says nothing of who. ("... funded by the European Investment Bank" names
            # who, though no person.)
            return abstention()
        if name_of_a_role and not evidence.names_someone_new(lead.candidate.text, question, context):
            # "What is the name of the CEO the ambassador met?" answered by the sentence
            # on the meeting, which names only the ambassador: the name is not there.
            return abstention()
        if (
            asks_for_person(question)
            and not _WHOSE.match(question)  # "Whose rise ...?" may want a country
            and lead.repeated
            and not evidence.names_someone_new(lead.candidate.text, question, " ".join([context, *said]))
        ):
            # "What's the name of its CEO?" answered by the sentence that already said
            # "the CEO of Lockheed Martin": the name was never given.
            return abstention()
        # By identity: comparing Scored records field by field made this the answerer's
        # slowest line.
        kept = {id(s) for s in typed}
        chosen = self._select(
            question,
            lead,
            scored if answer_type == "any" else [s for s in scored if id(s) in kept],
            max_passages,
            about,
            how=asks_how(form),
            context=context,
        )
        # "Ambassador Kwatra" answers "who" better as "Ambassador [Vinay Mohan] Kwatra" when
        # the same document names him in full: only its passages, since a namesake in
        # another document may be someone else.
        known: list[str] = []
        if asks_for_person(question) and not any(given_names(n) for n in full_names(chosen[0].candidate.text)):
            # "Ambassador Kwatra" answers "who" better with his full name, when the same
            # document gives it (a namesake in another document may be someone else): in
            # brackets from the lead's own passage ("Ambassador [Vinay Mohan] Kwatra"), or
            # by quoting the sentence of another passage that names him in full.
            known = full_names(chosen[0].candidate.hit.chunk.text)
            if with_full_names(chosen[0].candidate.text, known) == chosen[0].candidate.text:
                naming = _naming_in_full(chosen[0], scored)
                if naming is not None and naming not in chosen:
                    chosen = [*chosen[: self.max_sentences - 1], naming]
        if asks_for_person(question) and any(_role_of_another_country(c.candidate.text, question) for c in chosen):
            # "Who's the American ambassador in New Delhi?" is not answered by "India's
            # Ambassador to the U.S., Vinay Mohan Kwatra": the role is another country's.
            return abstention()
        items = (
            chosen[0].candidate.items or _announced(chosen[0].candidate, hits, self.following)
            if answer_type == "any" and not _asks_for_one(question)
            else []
        )
        if (
            answer_type == "any"
            and not chosen[0].candidate.items
            and (listed := _the_list(question, chosen[0], scored))
        ):
            chosen = listed
        # "Tell me more." brings no antecedent the last answer just gave; any other
        # answer reads on its own.
        return _compose(chosen, known, items, said if more else (), asks_yes_or_no(question))

    def respelled(self, question: str, hits: list[Hit]) -> str:
        """``question`` with a misspelt word read as the word of ``hits`` it was meant
        for (``spelling.respelled``); as it is without a dictionary to tell a misspelt
        word from a rare one."""
        if self.synonyms is None or not self.synonyms.available:
            return question
        words_of = self.synonyms
        mentions = self.mentions

        def known(word: str) -> bool:
            return bool(words_of.parts(word))

        def indexed(word: str) -> bool:
            return mentions is not None and any(mentions(form) for form in (word, word.capitalize(), word.upper()))

        return respelled(question, [h.chunk.text for h in hits], known, indexed)

    def overview(self, question: str, hits: list[Hit]) -> Answer:
        """What the documents are about, from their opening passages (``hits``, each
        document's in order): a sentence that speaks of the document ("This report covers
        ...") if one opens it, and its first full statement; one sentence a document when
        there are several."""
        scored = self.score(question, hits, ties=False)
        documents = list(dict.fromkeys(h.chunk.source for h in hits))
        per_document = min(OVERVIEW_SENTENCES, self.max_sentences) if len(documents) == 1 else 1
        order = {id(h): i for i, h in enumerate(hits)}
        chosen: list[Scored] = []
        for source in documents:
            own = sorted(
                (s for s in scored if s.candidate.hit.chunk.source == source and _can_open(s.candidate)),
                key=lambda s: (order[id(s.candidate.hit)], s.candidate.index),
            )
            speaking = [s for s in own if about_the_text(s.candidate.text)][:1]
            # A short line is a byline or a date, unless it says what the document is.
            own = [s for s in own if s in speaking or len(words(s.candidate.text)) >= OVERVIEW_MIN_WORDS]
            picked = speaking + [s for s in own if s not in speaking][: per_document - len(speaking)]
            chosen += sorted(picked, key=lambda s: (order[id(s.candidate.hit)], s.candidate.index))
        chosen = chosen[: self.max_sentences]
        return _compose(chosen) if chosen else abstention()

    def speaks_of(self, question: str, texts: Sequence[str]) -> bool:
        """Whether ``texts`` use each noun ``question`` asks about, as a form of the word, a
        synonym or a word at least ``LOOSELY_NEAR`` it (``unheard``): "trips" is near
        "visits", "homework" nothing in the passages on the tip."""
        return not any_unheard_of(question, texts, nowhere, self.synonyms, self.vectors, LOOSELY_NEAR)

    def off_topic(self, question: str, hits: list[Hit], context: str = "") -> bool:
        """Whether nothing retrieved is about the question (then no answerer should try)."""
        return self._off_topic(question, hits, self.score(question, hits, context))

    def _off_topic(self, question: str, hits: list[Hit], scored: list[Scored], about: Sequence[str] = ()) -> bool:
        if not hits or not scored or _missing_names(question, hits, self.mentions):
            return True
        if scored[0].coverage < KNOWN_REST and _unknown_terms(question, hits, self.mentions, self.pieces):
            return True
        if self.vectors is not None and _unknown_name_typed_lower(
            question, hits, self.mentions, self.pieces, self.vectors
        ):
            return True
        # A short, name-heavy question can sit far from every passage in embedding
        # space while a sentence covers it word for word, or names everyone it asks
        # about ("Who met Danly?"): only all of these failing together mean that
        # nothing here is about the question.
        # Hits come in fused order: the nearest passage may be second.
        if max(h.score for h in hits) >= self.min_relevance or scored[0].coverage >= STRONG_LEXICAL:
            return False
        # A follow-up is about what its pronouns stand for: "Who does she send her
        # findings to?" is answered by "She reports her findings ..." about Saoirse
        # Blackwood; "How old is he?" is not by any sentence about Farrant.
        # So is "how long does it go on for" about Rhyme Time, by "... and lasts 30 minutes",
        # which holds none of its words but the kind of answer it asks for.
        kind = expected_type(plain(question))
        if about and any(
            (s.own >= FOLLOW_UP_OWN and _names_any(s.candidate, about))
            or (kind != "any" and satisfies(evidence.as_read(s.candidate), kind) and _names_in_full(s.candidate, about))
            for s in scored[:NAMED_CANDIDATES]
        ):
            return False
        # A name typed in lower case ("how long does rhyme time go on for") as it is written.
        typed = typed_lower(question, [s.candidate.text for s in scored[:NAMED_CANDIDATES]])
        asked = [name.lower() for name in names(question)] or [w for name in typed for w in words(name)]
        return not asked or not any(
            all(name in words(s.candidate.text) for name in asked) for s in scored[:NAMED_CANDIDATES]
        )

    def score(
        self,
        question: str,
        hits: list[Hit],
        context: str = "",
        said: Sequence[str] = (),
        context_share: float | None = None,
        ties: bool = True,
        sources: frozenset[str] = frozenset(),
    ) -> list[Scored]:
        """Every quotable sentence, best first; with ``ties``, those tied for best in
        their order by meaning when the question asks for one thing."""
        found = candidates(hits)
        if self.following is not None:
            # By passage, then place in it: the order ties are read in.
            found = sorted([*found, *_lead_ins(hits, self.following)], key=lambda c: (c.rank, c.start))
        scored = evidence.rank(
            question, found, hits, context, said, context_share, self.vectors, sources, self.synonyms
        )
        if self.following is not None:
            scored = self._no_false_opening(scored)
        if not ties:
            return scored
        # A question for one thing (a command, a number, a date, a person) wants the row of
        # a table that fits it, and rows tie; sentences that tie for an open question ("What
        # did the delegation agree on?") are items of one list, all answers, read in order.
        return self._break_ties(question, scored) if _asks_for_one(question) else scored

    def _no_false_opening(self, scored: list[Scored]) -> list[Scored]:
        """``scored`` with a lead that seemed to open its section (``evidence``'s
        ``opening``) scored as opening nothing when the store shows its passage goes on a
        section begun in the passage before it, which was not retrieved. Only the lead's
        passage is looked up (the passages before are kept per version of the index), a
        few times at most, as each look may bring up another lead."""
        assert self.following is not None
        looked: set[str] = set()
        while scored and scored[0].signals.get("opening") and len(looked) < MAX_OPENINGS_LOOKED_UP:
            chunk = scored[0].candidate.hit.chunk
            if chunk.index == 0 or chunk.id in looked:
                break
            looked.add(chunk.id)
            # The passage before it is the one after the passage two before it.
            probe = Chunk(f"{chunk.id}<", "", chunk.source, chunk.title, (), chunk.index - 2, 0, 0)
            before = self.following(probe, 1)
            if not before or before[0].index != chunk.index - 1 or before[0].headings != chunk.headings:
                break
            scored = evidence.without_opening(scored, chunk.id)
        return scored

    def _break_ties(self, question: str, scored: list[Scored]) -> list[Scored]:
        """The sentence holding the question's words as it does, else the one nearest it
        in meaning, first among those tied for best.

        Two rows of a table ("last(1) shows listing of last logged in user", "lastb(1)
        shows listing of last bad logged in users") share the same question words and
        passage, so every signal is alike; document order would pick the first. Only
        exact ties are reordered, which costs one small embedding call when they occur.
        """
        if len(scored) < 2 or scored[0].score - scored[1].score > TIE:
            return scored
        tied = [s for s in scored[:MAX_TIED] if scored[0].score - s.score <= TIE]
        if not any(s.coverage for s in tied):
            # None holds a word of the question, so none can lead an answer (``answer``
            # wants one that does): their order decides nothing worth a model call.
            return scored
        # "how many docking stations ...?": the sentence holding the question's words in
        # its order ("38 docking stations") over those holding them apart ("a 24-dock
        # hub outside the railway station"); meaning decides among the rest.
        phrased = [_phrases(question, s.candidate.text) for s in tied]
        others = [s for s, n in zip(tied, phrased, strict=True) if n < max(phrased)]
        after = scored[len(tied) :]
        tied = [s for s, n in zip(tied, phrased, strict=True) if n == max(phrased)]
        if len(tied) == 1 or self.meaning is None:
            return [*tied, *others, *after]
        # The question alone: retrieval embedded it already (``RecentQueries``), and in one
        # batch with long sentences it would be padded to their length.
        asked = np.asarray(self.meaning([question]), dtype=np.float32)[0]
        vectors = np.asarray(self.meaning([s.candidate.text for s in tied]), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        nearness = vectors @ (asked / max(float(np.linalg.norm(asked)), 1e-12))
        # Meaning picks the lead only: near-identical sentences (one template, other
        # numbers) differ in meaning by noise, and the rest read in their own order.
        nearest = int(np.argmax(nearness))
        return [tied[nearest], *tied[:nearest], *tied[nearest + 1 :], *others, *after]

    def rerank(
        self,
        question: str,
        hits: list[Hit],
        context: str = "",
        context_share: float | None = None,
        sources: frozenset[str] = frozenset(),
    ) -> list[Hit]:
        """``hits`` ordered by their best sentence's score: the passage that holds the
        answer first, not merely the one nearest the question as a whole."""
        best: dict[str, float] = {}
        for item in self.score(question, hits, context, context_share=context_share, sources=sources):
            best.setdefault(item.candidate.hit.chunk.id, item.score)
        order = {hit.chunk.id: rank for rank, hit in enumerate(hits)}
        return sorted(hits, key=lambda h: (-best.get(h.chunk.id, -1.0), order[h.chunk.id]))

    def _select(
        self,
        question: str,
        best: Scored,
        scored: list[Scored],
        max_passages: int | None = None,
        about: Sequence[str] = (),
        how: bool = False,
        context: str = "",
    ) -> list[Scored]:
        """The lead sentence, the one after it when the lead is short, then runners-up
        that are nearly as good and add words of their own, in document order; after a
        follow-up, only from passages about what it points back to (``about``), and
        never about another numbered thing than the one asked about."""
        chosen = [best]
        lead = best.candidate
        following = [s for s in scored if s.candidate.hit is lead.hit and s.candidate.index == lead.index + 1]
        # A short lead sentence ("Domestic politics can affect ties.") usually introduces
        # the specifics in the sentence right after it, and one that ends "by the
        # following" always does; in a manual, the sentence after an explanation often
        # holds the command or package a how-to question asks for.
        # A keyed entry of a list ("Wednesday: closed all day") introduces no other: the next
        # entry is another day, there only if it holds words of the question too.
        keyed = (
            evidence.listed(lead.hit.chunk.text, lead.start)
            and bool(_KEYED_ENTRY.match(evidence.as_read(lead)))
            and not (following and set(evidence.terms_of(question)) & following[0].candidate.terms)
        )
        # Nor does a table's cell ("[Spring, Starts] Monday 4 January 2027"): the next is
        # another column's, which joins only as a runner-up would.
        short = len(words(lead.text)) <= SHORT_SENTENCE_WORDS and not keyed and not _first_cell(lead)
        introduces = short or bool(_INTRODUCES.search(lead.text))
        shows_how = (
            how
            and not evidence.code_like(lead.text)
            and bool(following)
            and evidence.code_like(following[0].candidate.text)
        )
        if asks_for_person(question) and best.signals.get("kind") and following:
            # A lead that holds what was asked (a name for "who") introduces nothing: the
            # next list item ("Priya Okonkwo-Lisle, who manages ...") is another answer.
            introduces = introduces and evidence.adds_an_answer(following[0].candidate.text, [lead.text], question)
        numbered = _numbered_asked(f"{question} {context}")
        if (introduces or shows_how) and self.max_sentences > 1:
            chosen += [s for s in following[:1] if not (numbered and _numbers_another(s.candidate, numbered))]
        extra: list[Scored] = []
        floor = evidence.runner_up_floor(best)
        # Asked what is being done about something, with someone acting in the lead, what
        # others do joins it; a sentence stating the problem does not.
        doing = bool(_MEASURES.search(question)) and bool(_ACTS.match(lead.text))
        asked_gender = pronoun_gender(question, standing=True)
        # A cell of the row the question names ("[Fixed Desk] 8 credits" for the credits of
        # a fixed desk) is the answer; another row's ("[Hot Desk] 4 credits") is not.
        lead_row = _first_cell(lead)
        asked_terms = set(evidence.terms_of(f"{question} {context}")) if lead_row else set()
        row_named = bool(lead_row) and _word_terms(lead_row) <= asked_terms
        # Of the row's figures, the column the question names ("start" for "Starts") is the
        # answer; another column's figure beside it answers something else.
        # The question's own words name the column: "how long is the loan" after the deposit
        # asks the loan period alone.
        own_terms = set(evidence.terms_of(plain(question))) if lead_row else set()
        lead_column = bool(lead_row) and bool(_column_terms(lead) & own_terms)
        for item in scored:
            if len(chosen) + len(extra) >= self.max_sentences or item.score < floor:
                break
            if evidence.unopened(item) < floor:
                continue  # what opening its section adds decides the lead, not who joins it
            if item in chosen or item.coverage < evidence.RUNNER_UP_COVERAGE * best.coverage or item.repeated:
                continue
            given = [*about, *(c.candidate.referent for c in chosen + extra if c.candidate.referent)]
            if not evidence.adds_an_answer(
                item.candidate.text, [c.candidate.text for c in chosen + extra], question, given
            ):
                continue
            if about and not _passage_names(item.candidate, about):
                continue  # "Which grouping does it give as an example there?" is about the Indo-Pacific
            if about and _another_gender(item.candidate, asked_gender, about):
                continue  # "... he taught geography ..." does not join an answer about what she did
            if numbered and _numbers_another(item.candidate, numbered):
                continue  # "[Phase 3 cost] £104 million" does not join an answer on Phase 2's cost
            if row_named and _another_row(item.candidate, lead, lead_row, asked_terms):
                continue
            if lead_column and _another_column(item.candidate, lead, lead_row, own_terms):
                continue  # "[Spring, Ends]" does not join "[Spring, Starts]" for when the term starts
            if doing and not _ACTS.match(item.candidate.text):
                continue  # "Strong currents can wash away ..." says what the problem is, not what is done
            if any(_redundant(item.candidate, c.candidate) for c in chosen + extra):
                continue
            cited = {c.candidate.hit.chunk.id for c in chosen + extra}
            if max_passages and item.candidate.hit.chunk.id not in cited and len(cited) >= max_passages:
                continue  # top_k caps the passages an answer cites
            extra.append(item)
        extra.sort(key=_document_order)
        picked = chosen + extra
        if extra and all(abs(best.score - s.score) <= TIE for s in picked):
            # Items of one list that score alike ("What are the benefits listed?") read in
            # the document's order, whichever of them is nearest the question in meaning;
            # one holding the question's words in their order still leads ("38 docking
            # stations" for "how many docking stations ...?").
            ordered = sorted(picked, key=_document_order)
            phrased = _phrases(question, best.candidate.text)
            if all(_phrases(question, s.candidate.text) < phrased for s in picked if s is not best):
                ordered = [best, *(s for s in ordered if s is not best)]
            picked = ordered
        if _MEASURES.search(question):
            # Asked what is done about something, what someone does comes first when it
            # scores alike: "Renwick's team cleans each turbine ..." before "Marine growth
            # on the blades ... reduces efficiency", the two sentences under "Biofouling".
            acting = next(
                (s for s in picked if abs(best.score - s.score) <= TIE and _ACTS.match(s.candidate.text)), None
            )
            if acting is not None:
                picked = [acting, *(s for s in picked if s is not acting)]
        return picked


# How near a word of the passages a question's noun must be for ``speaks_of``: looser
# than the decline rule's ``KNOWN_NEAR``, as the passages were found by the question
# ("trips" / "visits" 0.47; "homework" / "week" 0.06).
LOOSELY_NEAR = 0.4


_WHOSE = re.compile(r"\s*whose\b", re.I)
_OF_THEM = re.compile(r"\bhow\s+many\s+of\s+(?:those|them|these|they)\b", re.I)


def _names_a_person(scored: Scored, question: str, context: str, synonyms: Synonyms | None) -> bool:
    """Whether the sentence names a person the conversation has not: a name of two words or
    more whose last is no word of the language WordNet knows ("Janet Okafor"; not "Main
    Library", "Prescriptions Team", nor, missed, "Gareth Price"). Without WordNet, none."""
    if synonyms is None or not synonyms.available:
        return False
    asked = set(words(f"{question} {context}"))
    return any(
        len(name.split()) >= 2
        and not name.isupper()
        and not set(words(name)) <= asked
        and not synonyms.of(name.split()[-1].lower())
        for name in evidence.people(scored.candidate.text)
    )


# "how many are there", "how many have you got": a count of nothing named.
_ARE_THERE = re.compile(
    r"\bhow\s+many\s+(?:are\s+there|is\s+that|do\s+(?:you|u)\s+have|have\s+(?:you|u)\s+got)\b", re.I
)
# Kinds of answer no sentence holds by chance: a follow-up asking for one is answered by a
# sentence holding one in the document the conversation is about, in whatever words.
_TELLING_KINDS = frozenset({"phone", "email", "contact", "clock", "hours", "money"})
# Where someone is reached: a telephone number, an email address.
_ADDRESSES = frozenset({"phone", "email", "contact"})
# "Phone: ", "WhatsApp (bookings only): ": a short label before what it names.
_ADDRESS_LABEL = re.compile(r"[A-Z][^:.!?\n]{0,40}:\s+")
_REACHED_BY = re.compile(
    r"\b(?:phone|telephone|tel|mobile|call|ring|whats\s?app|text|sms|fax|contact|helpline|hotline|office|reception"
    r"|enquiries|bookings?|emergenc(?:y|ies))\b",
    re.I,
)
# What a question asking how to reach someone says ("contact", "email", "phone", "ring").
_REACHING = frozenset(evidence.terms_of("contact email phone number call ring"))
# "those tariffs", "that loan": a thing the conversation named, pointed at by its noun.
_DEMONSTRATIVE = re.compile(r"\b(?:those|these|that|this)\s+([a-z][\w-]{2,})\b", re.I)
# "What is being done about cable scour?", "How are they handling biofouling?": what
# someone does about a problem.
_MEASURES = re.compile(
    r"\bwhat\s+(?:is|are|was|were|has\s+been|have\s+been)\s+(?:being\s+)?done\s+(?:about|against|to)\b"
    r"|\bwhat\s+(?:is|are|was|were|will)\s+(?:\w+\s+){0,3}?(?:doing|do|going\s+to\s+do)\s+(?:about|against)\b"
    r"|\bhow\s+(?:is|are|do|does|did|was|were|will|would)\s+(?:\w+\s+){0,3}?"
    r"(?:handl|tackl|deal|address|manag|mitigat|counter|combat|fight)\w*",
    re.I,
)
# A sentence whose subject is someone acting: "Renwick's team cleans ...", "The company has
# asked ...", "Dr. Blackwood's monitoring programme uses ...".
_ACTS = re.compile(
    r"(?:Dr\.\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?['’]s\s+(?:\w+\s+)?(?:team|crew|staff|programme|program|engineers|department)\b"
    r"|(?i:the\s+)?(?i:company|board|team|council|operator|owners?|crew|engineers?|staff|government|authorities|we|they)\b"
)


# A country's role: "India’s Ambassador", "U.S. Deputy Secretary", "American ambassador"
# (the country right before the role, no punctuation between).
_COUNTRY_ROLE = re.compile(rf"([\w.]+)(?:['’]s)?\s+(?:(?:deputy|vice|chief|senior)\s+)?({ROLES})\b", re.I)


def _countries_of_roles(text: str) -> dict[str, set[str]]:
    """The countries each role in ``text`` is said to be of, by role (singular, lower case)."""
    found: dict[str, set[str]] = {}
    for before, role in _COUNTRY_ROLE.findall(text):
        country = places(fold(before[:1].upper() + before[1:]))
        if country:
            found.setdefault(role.lower().rstrip("s"), set()).update(country)
    return found


def _role_of_another_country(sentence: str, question: str) -> bool:
    """Whether the question asks for the holder of a country's role ("the American
    ambassador") and ``sentence`` gives that role only as another country's."""
    asked = _countries_of_roles(question)
    if not asked:
        return False
    given = _countries_of_roles(sentence)
    return any(role in given and not given[role] & countries for role, countries in asked.items())


def _only_about(sentence: str, question: str) -> bool:
    """Whether ``sentence`` opens with a name the question gives and names nothing else
    with a capital ("Norrland Turbinverk AB supplies the turbines ..." for "Who runs
    Norrland Turbinverk AB?")."""
    asked = {w.lower() for w in names(question)}
    capitalised = [w for w in re.findall(r"\b[A-Z][\w&-]*", sentence)]
    return bool(capitalised) and capitalised[0].lower() in asked and all(w.lower() in asked for w in capitalised)


def _numbered_asked(text: str) -> dict[str, str]:
    """The numbered things a question (with what it points back to) asks about, by noun,
    where it names one of that noun: {"phase": "phase#2"} for "the second phase"."""
    by_noun: dict[str, set[str]] = {}
    for term in evidence.terms_of(text):
        if "#" in term:
            by_noun.setdefault(term.split("#")[0], set()).add(term)
    return {noun: next(iter(terms)) for noun, terms in by_noun.items() if len(terms) == 1}


def _numbers_another(candidate: Candidate, asked: dict[str, str]) -> bool:
    """Whether a sentence, its label or headings name another of a numbered thing asked
    about ("Phase 3" when Phase 2 is asked about) and not the one asked about."""
    titles = [evidence.title_terms(h) for h in (*candidate.hit.chunk.headings, candidate.asked, candidate.label) if h]
    held = candidate.terms.union(*titles)
    return any(term.split("#")[0] in asked and asked[term.split("#")[0]] not in held for term in held if "#" in term)


def _can_open(candidate: Candidate) -> bool:
    """A sentence that can open an overview: no label cut from it, no line announcing what
    follows, nor a byline or version line ("Prepared by ... .", "Version 3.2 | Approved ...")."""
    text = candidate.text.rstrip()
    return (
        not candidate.label
        and not text.endswith(":")
        and not _INTRODUCES.search(text)
        and "|" not in text
        and not _BYLINE.match(text)
    )


_BYLINE = re.compile(
    r"\W*(?:prepared|written|published|compiled|edited|posted|updated|last\s+updated|approved|reviewed|produced|"
    r"issued|revised|authored|presented)\s+(?:by|for|on|in)\b",
    re.I,
)


def _document_order(item: Scored) -> tuple[str, int]:
    return item.candidate.hit.chunk.source, item.candidate.hit.chunk.start + item.candidate.start


def _asks_for_one(question: str) -> bool:
    """A how-to, a question for a number, date, amount or place, or "who" about one person."""
    if asks_how(question) or asks_where(question) or expected_type(question) != "any":
        return True
    return asks_for_person(question) and not asks_for_people(question)


def _naming_in_full(lead: Scored, scored: list[Scored]) -> Scored | None:
    """The best sentence of another passage of the lead's document that gives the full
    name of someone the lead calls only by title and surname, if one person has it."""
    source = lead.candidate.hit.chunk.source
    for item in scored:
        c = item.candidate
        if c.hit.chunk.source != source or c.hit is lead.candidate.hit:
            continue
        if with_full_names(lead.candidate.text, full_names(c.text)) != lead.candidate.text:
            return item
    return None


def candidates(hits: list[Hit]) -> list[Candidate]:
    """The statements of every passage; questions, lead-ins and links are not quotable."""
    return [Candidate(rank, hit, *sentence) for rank, hit in enumerate(hits) for sentence in _statements(hit.chunk)]


# Splitting, labels and terms depend on the passage alone; popular passages come back
# question after question, so they are worked out once.
@functools.lru_cache(maxsize=1024)
def _statements(chunk: Chunk) -> tuple[tuple[Any, ...], ...]:
    out = []
    asked = ""  # the last question in the passage: a FAQ title over its answer
    # Each cell of a table row is a line here, as it is a sentence (the same length, so
    # offsets hold).
    flat = chunk.text.replace("\t", "\n")
    lines = flat.split("\n")
    spans = list(sentence_spans(chunk.text))
    # "Cable scour. Strong currents ...": the paragraph's own heading names what each of
    # its sentences is about, and is not itself quoted.
    headed = run_in_headings(flat)
    joined = -1  # the last line quoted with the words that lead into a command
    contents = False  # in a list of what the text covers
    signature, described = "", -1  # an API entry's signature line, and the sentence under it
    kinds: dict[int, str] = {}  # the header over each table row's first cell, by the row's start
    for index, (start, end, text) in enumerate(spans):
        if index <= joined:
            continue
        if index == len(spans) - 1 and _INTRODUCES.search(text):
            continue  # "... looks like the following." with what follows in the next passage
        if asks(text):
            asked = text
            continue
        line_number = flat.count("\n", 0, start)
        line = lines[line_number]
        figure = _figure_cell(chunk.text, start)
        if figure is None:
            continue
        # A figure in a table ("£90") is read with its row and column, and is no title
        # though it is a line of its own.
        cell = f"{' '.join(x for x in figure if x)}: " if any(figure) else ""
        # A figure in a row of other cells ("£326.70" beside what it covers) is a cell too,
        # though not the row's first (what the row is about).
        row_start = chunk.text.rfind("\n", 0, start) + 1
        row = chunk.text[row_start:].split("\n", 1)[0]
        # So is a name under a table's header ("Mr Osei" under "Run by", "Wednesday" under
        # "Day"), which its row and column make a statement of; not a bare count ("V:31,
        # I:230"), nor a manual's lower-case description ("character device node").
        header = _header_cell(chunk.text, row_start, start) if "\t" in chunk.text[row_start:start] else None
        # An address or a number to ring under its header ("Contact") is a cell of its row too.
        # A date too ("7–8 and 14–15 June" under "Dates").
        in_row = header is not None and (
            _MEASURE_CELL.search(text) is not None
            or is_a_date(text)
            or (bool(header) and (_named(text) or _counted_cell(text) or is_an_address(text)))
        )
        if header is None and not cell and _priced(row):
            # A row's first cell ("Studio (2–4 people)") names what the row's figures are
            # for: it is read with them ("[Studio (2–4 people)] £950"), not quoted alone.
            continue
        if not (cell or in_row) and looks_like_title(text, line):
            continue
        if index + 1 < len(spans) and _term(text, line) and reference(spans[index + 1][2]) == "thing":
            continue  # "the `testing' distribution" over "This is where ...": a term, defined next
        if index + 1 < len(spans) and _signature(text, line) and "\n" in chunk.text[end : spans[index + 1][0]]:
            # "os.getcwd()" on its own line over "Return a string representing ...": the
            # signature heads the description, which says nothing of which function without it.
            signature, described = text, index + 1
            continue
        heading = headed.get(line_number, "")
        if heading and text.rstrip(".") == heading:
            continue
        cut = label_end(text)
        quote = text[cut:]
        if said := _SAID_SO.match(quote):
            # "No. Packages can be upgraded ..." (one sentence to the splitter, "No." being
            # also "number"): the answer to a yes-or-no question, quoted only for one.
            cut += said.end()
            quote = text[cut:]
        refers = reference(quote)
        if refers == "connective" and index == 0:
            # Nothing before it in the passage to connect to: the connective goes, as a label does.
            cut += connective_end(quote)
            quote = text[cut:]
            refers = reference(quote)
        last = index
        if index + 1 < len(spans) and _leads_into(quote, chunk.text[end : spans[index + 1][0]], spans[index + 1][2]):
            # "... purge its package with:" at the end of a line and "bootctl purge image-NNN"
            # on the next are one sentence that a manual set out on two lines: neither reads
            # alone ("... using [1]." then a bare command). "... use the", "lsb_release -a",
            # "command." are one too.
            last = index + 1
            if last + 1 < len(spans) and _ENDS_A_SENTENCE.fullmatch(spans[last + 1][2]):
                last += 1
            quote = " ".join([quote, *(spans[i][2] for i in range(index + 1, last + 1))])
            end = spans[last][1]
            joined = last
        stated = _ENDS_A_STATEMENT.search(quote) is not None
        if contents and not stated and len(quote.split()) <= MAX_TITLE_WORDS:
            continue  # "The challenges and headwinds" under "In this blog, we'll explore:"
        # A line announcing what the text covers ("In this blog, we'll explore:") opens a
        # list of its sections, which name topics and state nothing, until a statement.
        contents = about_the_text(quote) if quote.endswith(":") else contents and not stated
        # "Phone: 01632 960771" in a list of contacts: the number its label names is an answer
        # (a label over a bare number is not found as one over a sentence is).
        # Only a line that would be dropped: one read as a statement keeps its label in the quote.
        statement, addressed = _is_statement(quote), False
        if (
            not statement
            and (named_by := _ADDRESS_LABEL.match(quote))
            and is_an_address(quote[named_by.end() :])
            # A number only under a label naming a way to reach someone: not "Order number:".
            and ("@" in quote or _REACHED_BY.search(named_by.group(0)) is not None)
        ):
            cut, quote, addressed = cut + named_by.end(), quote[named_by.end() :], True
            statement = _is_statement(quote)
        if not (statement or ((cell or in_row or addressed) and _is_cell(quote))) or points_at_a_table(quote):
            continue
        referent = (person_before(chunk.text[:start], quote) or "") if refers == "person" else ""
        label = text[:cut] or cell or (f"{heading}: " if heading else "")
        # "This file should contain only the hostname": the file is the path the sentence
        # before names, which is quoted with it (``_readable``), so it counts as its word.
        named = " ".join(PATH.findall(spans[index - 1][2])) if refers == "thing" and index > 0 else ""
        head = signature if index == described else ""
        named = f"{named} {head}".strip()
        # "This work is due to be completed in June 2026." after "Building a new connection
        # between Stenwick reservoir and ...": what "this" stands for is the sentence before
        # in its paragraph, quoted with it (``_readable``), so its words are this one's too
        # (``Candidate.leaned``).
        # In the same paragraph as the sentence before.
        after = index > 0 and "\n" not in chunk.text[spans[index - 1][1] : start]
        leaned = spans[index - 1][2] if after and _THIS_NOUN.match(quote) else ""
        if after and not leaned and refers == "thing" and _IT.match(quote) and not _IT_TO.match(quote):
            # An opening "It" after a labelled sentence is what the label names: "It takes
            # about 15 minutes" after "Belay competency check: needed to top-rope ..." is the
            # check's time. Only the label: the rest of the sentence before is not "it".
            before = spans[index - 1][2]
            leaned = before[: label_end(before)]
        # A date of several words ("7–8 and 14–15 June") is no statement either.
        if not leaned and in_row and not cell and (not _is_statement(quote) or is_a_date(quote)):
            # "£326.70" in "Band 3 | £326.70 | Everything in Bands 1 and 2 plus crowns ...":
            # what the figure is for is the rest of its row, which "and a crown?" after a
            # question for a price names.
            leaned = " ".join([*(part for part in row.split("\t") if part.strip() != quote.strip()), header or ""])
        # Joined without empty parts: most sentences have no label and no referent, and
        # the quote alone has its words cached already (asked for just above).
        terms = frozenset(evidence.terms_of(plain(" ".join(x for x in (label, referent, named, quote) if x))))
        leaned_terms = frozenset(evidence.terms_of(plain(leaned))) - terms if leaned else frozenset()
        if leaned and in_row:
            # "Everything in Band 1 plus fillings" in Band 2's row names another row: "how
            # much is a band 1 treatment?" asks Band 1's price, not Band 2's.
            leaned_terms -= _other_keys(chunk.text, row_start)
        # A cell is what its row's first cell and its column's last word name: "£1.50" in
        # Kestley's row under "Delivery charge" is a charge, "4 credits" under "Meeting room
        # credits" credits, no meeting room.
        # The header over the rows' first cells says what each row is ("Membership type"
        # over "Adult", "Concession"): a cell of a row is about that too.
        keyed: frozenset[str] = frozenset()
        meets: frozenset[str] = frozenset()
        if in_row or cell:
            if row_start not in kinds:
                kinds[row_start] = _header_cell(chunk.text, row_start, row_start)
            words_of = [kinds[row_start]]
            if in_row and not cell:
                words_of += [row.split("\t", 1)[0], *(header or "").split()[-1:]]
            # What a row of words and figures lists ("Tents, gazebo, folding tables, urn"
            # under "Examples") names it as well as its first cell: "£25" under "Deposit"
            # is a tent's deposit.
            words_of += [part for part in row.split("\t")[1:] if _lists_things(part) and part.strip() != quote.strip()]
            keyed = frozenset(evidence.terms_of(plain(" ".join(words_of)))) - terms
            # Worked out here, once per passage, not for every question.
            meets = frozenset(evidence.terms_of(plain(quote))).union(evidence.terms_of(plain(header or "")))
            if in_row and is_an_address(quote):
                # An address under "How to reach" is one to contact its row's person at:
                # "hows best to contact Gareth Lowther" names his row.
                meets |= _REACHING
        out.append(
            (
                index,
                start + cut,
                end,
                quote,
                label,
                asked,
                refers,
                referent,
                terms,
                last,
                head,
                leaned_terms,
                (),
                keyed,
                meets,
            )
        )
    return tuple(out)


def _announced(
    lead: Candidate, hits: list[Hit], following: Callable[[Chunk, int], list[Chunk]] | None = None
) -> list[str]:
    """The items a lead sentence that closes its paragraph announces by their number, when
    the paragraphs after it open with run-in headings ("The board has identified five main
    risks." then "Biofouling. ...", "Cable scour. ..."): their headings, read on into the
    passage that continues this one (retrieved, or from ``following``), if they make that
    number."""
    chunk = lead.hit.chunk
    count = _COUNT.search(lead.text)
    line_start = chunk.text.rfind("\n", 0, lead.start) + 1
    if count is None or chunk.text[lead.end :].split("\n", 1)[0].strip() or run_in_heading(chunk.text[line_start:]):
        return []  # no count of things announced, or the paragraph goes on, or is itself an item
    if not run_in_headings(chunk.text):
        return []
    wanted = _COUNTS.index(count.group(0).lower()) + 2
    items, ended = _run_in_items(chunk.text[lead.end :].split("\n")[1:])
    if not ended and len(items) < wanted:
        # The list runs to the passage's end: the next passage of the document goes on with it.
        after = next(
            (h.chunk for h in hits if h.chunk.source == chunk.source and 0 <= h.chunk.start - chunk.end <= 2), None
        )
        if after is None and following is not None:
            after = next(iter(following(chunk, 1)), None)
        if after is not None and 0 <= after.start - chunk.end <= 2:  # only a paragraph break between
            items += _run_in_items(after.text.split("\n"))[0]
    return items if len(items) == wanted else []


def _run_in_items(lines: list[str]) -> tuple[list[str], bool]:
    """The run-in headings of ``lines``' paragraphs up to the first paragraph without one,
    and whether there is such a paragraph (else the list may go on after ``lines``)."""
    items: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        heading = run_in_heading(line)
        if not heading:
            return items, True
        items.append(heading)
    return items, False


def _lead_ins(hits: list[Hit], following: Callable[[Chunk, int], list[Chunk]]) -> list[Candidate]:
    """The lines that close their passage announcing the sections under their heading
    ("Several factors are converging ...:"), quotable with those sections named; a line
    ending in a colon is otherwise no statement."""
    found = []
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        if not chunk.headings or not chunk.text.rstrip().endswith(":"):
            continue
        spans = list(sentence_spans(chunk.text))
        index = len(spans) - 1
        start, _, sentence = spans[index]
        cut = label_end(sentence)
        quote = sentence[cut:].rstrip().removesuffix(":").rstrip()
        if (
            not _is_statement(quote)
            or reference(quote) is not None
            or about_the_text(quote)
            or looks_like_title(sentence, chunk.text[chunk.text.rfind("\n", 0, start) + 1 :].split("\n", 1)[0])
        ):
            continue
        items = _sections_under(chunk, following)
        if len(items) >= 2:
            terms = frozenset(evidence.terms_of(plain(quote)))
            begin = start + cut
            found.append(
                Candidate(
                    rank,
                    hit,
                    index,
                    begin,
                    begin + len(quote),
                    quote,
                    "",
                    "",
                    None,
                    "",
                    terms,
                    index,
                    "",
                    items=tuple(items),
                )
            )
    return found


# Leads whose passage is looked up in the store to see whether it opens its section.
MAX_OPENINGS_LOOKED_UP = 3
# Passages read after a lead-in for the sections under it (at most ``MAX_LIST_ITEMS`` named).
SECTION_PASSAGES = 24
_ENUMERATED = re.compile(r"^\s*(?:\d{1,2}|[A-Za-z]|[IVXivx]{1,4})[.)]\s+")


def _sections_under(chunk: Chunk, following: Callable[[Chunk, int], list[Chunk]]) -> list[str]:
    """The titles of the sections right under ``chunk``'s heading that follow it ("1. Global
    Geopolitics ..." under "Why Now?"), without their numbers; empty unless the passages
    after it begin with one and the last is seen to end."""
    path = chunk.headings
    titles: list[str] = []
    after = following(chunk, SECTION_PASSAGES)
    for passage in after:
        if passage.headings[: len(path)] != path or len(passage.headings) <= len(path):
            return titles  # out of the lead-in's section: the list has ended
        title = _ENUMERATED.sub("", passage.headings[len(path)]).strip()
        if titles and title == titles[-1]:
            continue  # a section of several passages
        if title in titles or len(titles) == MAX_LIST_ITEMS:
            return []
        titles.append(title)
    # The document ended with the last section, or the list goes on past what was read.
    return titles if len(after) < SECTION_PASSAGES else []


_COUNTS = "two three four five six seven eight nine ten".split()
_COUNT = re.compile(rf"\b(?:{'|'.join(_COUNTS)})\b", re.I)
# "What are the three construction phases?": so many things, named by a plural.
_THE_COUNTED = re.compile(rf"\bthe\s+({'|'.join(_COUNTS)})\s+(?:[\w-]+\s+)?[\w-]+s\b", re.I)


def _the_list(question: str, lead: Scored, scored: list[Scored]) -> list[Scored]:
    """Every item of a list, when the question asks for the things it holds: "What are
    the three construction phases?" led by "Phase 2, ..." (as many items as it asks for),
    or "Which tools does e2fsprogs give me?" where the lead, or a sentence nearly as
    good, is an item or the sentence announcing them ("... provides the following.").
    The lines under a lead-in that ends with a colon or announces what follows, each
    quoted from its first sentence, in order. Empty when there is no such list."""
    asked = _THE_COUNTED.search(question)
    count = _COUNTS.index(asked.group(1).lower()) + 2 if asked else None
    # People are listed by the sentences naming them, each with what it says of them
    # ("Which senators did he meet?"), not by the bare items of a list.
    if count is None and (not asks_for_several(question) or asks_for_person(question)):
        return []
    anchors = [lead]
    if count is None:
        floor = evidence.RUNNER_UP_SHARE * lead.score
        # Only in the lead's own passage, and holding as much of the question: a list
        # elsewhere, or one that only shares the passage's topic, is about something else.
        hit = lead.candidate.hit
        anchors += [
            s
            for s in scored[:LIST_ANCHORS]
            if s is not lead and s.candidate.hit is hit and s.score >= floor and s.own >= lead.own
        ]
    terms = frozenset(evidence.terms_of(question))
    for anchor in anchors:
        if items := _list_of(anchor, scored, count, terms):
            return items
    return []


# Sentences nearly as good as the lead that may anchor a list "Which tools ...?" asks for,
# and the longest list quoted whole.
LIST_ANCHORS = 5
MAX_LIST_ITEMS = 8
_ANNOUNCES = re.compile(r"(?::|\b(?:the\s+following|as\s+follows)\W*)$", re.I)


def _list_of(
    anchor: Scored, scored: list[Scored], count: int | None, asked: frozenset[str] = frozenset()
) -> list[Scored]:
    """The items of the list ``anchor`` is an item of, or announces; ``count``: how many
    there must be (any number up to ``MAX_LIST_ITEMS`` when None). A passage that opens
    with labelled items under a section title made of the question's words (``asked``)
    is such a list, the title announcing it ("Benefits for India" for "What benefits does
    India get ...?")."""
    text = anchor.candidate.hit.chunk.text
    after = text[anchor.candidate.end :]
    if count is None and _ANNOUNCES.search(anchor.candidate.text) and after.lstrip(" ").startswith("\n\n"):
        # The sentence announcing the list, closing its paragraph: the list is the next one.
        block_start = anchor.candidate.end + after.index("\n\n") + 2
    else:
        start = text.rfind("\n\n", 0, anchor.candidate.start)
        block_start = start + 2 if start >= 0 else 0
        lead_in = text[:block_start].rstrip().rsplit("\n", 1)[-1]
        if not (lead_in.endswith(":") if count is not None else _ANNOUNCES.search(lead_in)) and not (
            count is None
            and block_start == 0
            and _labelled_items(text)
            and _titled_by(anchor.candidate.hit.chunk, asked)
        ):
            return []
    end = text.find("\n\n", block_start)
    lines = text[block_start : end if end >= 0 else len(text)].rstrip("\n").split("\n")
    if len(lines) != count if count is not None else not 2 <= len(lines) <= MAX_LIST_ITEMS:
        return []
    firsts: list[Scored] = []
    offset = block_start
    for line in lines:
        here = [
            s
            for s in scored
            if s.candidate.hit is anchor.candidate.hit and offset <= s.candidate.start < offset + len(line)
        ]
        if not here:
            return []
        firsts.append(min(here, key=lambda s: s.candidate.start))
        offset += len(line) + 1
    return firsts


def _titled_by(chunk: Chunk, asked: frozenset[str]) -> bool:
    """Whether the title of ``chunk``'s section is all words of the question."""
    title = evidence.title_terms(chunk.headings[-1]) if chunk.headings else frozenset()
    return bool(title) and title <= asked


def _labelled_items(text: str) -> bool:
    """Whether ``text`` opens with a list of labelled items, one a line ("Energy Security:
    Better ...", "Strategic Leverage: Enhanced ..."): a section that is a list, its
    heading the line that announces it."""
    end = text.find("\n\n")
    lines = text[: end if end >= 0 else len(text)].split("\n")
    return 2 <= len(lines) <= MAX_LIST_ITEMS and all(label_end(line) > 0 for line in lines)


def _compose(
    chosen: list[Scored],
    known: Sequence[str] = (),
    items: Sequence[str] = (),
    said: Sequence[str] = (),
    yes_or_no: bool = False,
) -> Answer:
    """The answer quoting ``chosen``, the lead's people named in full from ``known``, and
    the ``items`` it announces named after it; what ``said`` (earlier answers) holds is not
    brought again as what a quote refers to. Asked ``yes_or_no``, a lead right after the
    document's own "Yes." or "No." is quoted with it."""
    heard = " ".join(evidence.spoken(text) for text in said)
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    quoted: set[tuple[str, int]] = set()
    pending: tuple[str, int] | None = None  # the last quote, its marker held for the command it shows
    for previous, item in zip([None, *chosen], chosen, strict=False):
        candidate = item.candidate
        chunk = candidate.hit.chunk
        if chunk.id not in numbers:
            numbers[chunk.id] = len(numbers) + 1
            citations.append(
                Citation(
                    id=numbers[chunk.id], source=chunk.source, title=chunk.title, chunk_id=chunk.id,
                    text=chunk.text, start=chunk.start, end=chunk.end, score=candidate.hit.score,
                )
            )  # fmt: skip
        texts = _readable(candidate, quoted, heard)
        if (
            yes_or_no
            and item is chosen[0]
            and len(texts) == 1
            # The document's "No." answers the question its section title asks: only a
            # title asking the user's question makes it the user's answer.
            and _titled(item)
            and (said_so := _yes_or_no_before(candidate, quoted))
        ):
            texts[0] = f"{said_so} {texts[0]}"
        if known and item is chosen[0] and texts and not texts[-1].startswith("["):
            texts[-1] = with_full_names(texts[-1], list(known))
        if items and item is chosen[0] and texts:
            texts[-1] = with_items(texts[-1], list(items))
        elif item is not chosen[0] and candidate.items and texts:
            # A line announcing the sections under it ("Several factors are converging
            # ...:") says nothing without them, wherever it is quoted.
            texts[-1] = with_items(texts[-1], list(candidate.items))
        if pending and texts and _shows(previous, item):
            texts[0] = f"{pending[0]} {texts[0]}"
        elif pending:
            parts.append(_with_marker(*pending))
        pending = None
        parts += [_with_marker(text, numbers[chunk.id]) for text in texts[:-1]]
        if texts:
            pending = texts[-1], numbers[chunk.id]
    if pending:
        parts.append(_with_marker(*pending))
    return Answer(answer=" ".join(parts), citations=citations, abstained=False, mode="extractive")


_YES_OR_NO = re.compile(r"(?:yes|no)[.!]", re.I)
# How nearly a sentence's section title must ask the question (``evidence``'s ``opening``)
# for the section's answer to be the question's: quoted with the document's "Yes." or
# "No.", and led with though it lacks the kind of answer the question's words ask for.
# "Must I reboot after upgrading?" over "No. Packages can be upgraded in place ..." is 0.1
# for "Can packages be upgraded in place without a reboot?", whose answer is the opposite.
TITLED = 0.5


def _titled(scored: Scored) -> bool:
    """Whether ``scored`` opens a section whose title asks the question (``TITLED``)."""
    return scored.signals.get("opening", 0.0) >= TITLED


_SAID_SO = re.compile(r"(?:yes|no)[.!]\s+(?=[A-Z])", re.I)


def _yes_or_no_before(candidate: Candidate, quoted: set[tuple[str, int]]) -> str:
    """The document's "Yes." or "No." right before ``candidate``'s quote ("No. Packages
    can be upgraded in place ...", "Yes." over the paragraph that explains), so the quote
    reads on from it as the text does; else ""."""
    if _YES_OR_NO.fullmatch(candidate.label.strip()):
        return candidate.label.strip()
    if candidate.index == 0 or candidate.label:
        return ""
    _, end, before = list(sentence_spans(candidate.hit.chunk.text))[candidate.index - 1]
    if not _YES_OR_NO.fullmatch(before.strip()) or candidate.hit.chunk.text[end : candidate.start].strip():
        return ""
    quoted.add((candidate.hit.chunk.id, candidate.index - 1))
    return before.strip()


def _shows(previous: Scored | None, item: Scored) -> bool:
    """Whether ``item`` is the command line right under the prose sentence ``previous``
    ("... by the following." then "$ git config ..."): its example, cited with it, so
    that the sentence and what it shows read as one quote."""
    if previous is None:
        return False
    before, after = previous.candidate, item.candidate
    text = after.hit.chunk.text
    return (
        after.hit is before.hit
        and after.index == before.index + 1
        # A table's cell, or a line with its key ("Thursday: 9.30am to 7pm"), is no output.
        and not after.label
        and "\t" not in text[text.rfind("\n", 0, after.start) + 1 : after.start]
        and _output(after.text)
        and not evidence.code_like(before.text.split(" ", 1)[0])
        and not _output(before.text)
    )


def _readable(candidate: Candidate, quoted: set[tuple[str, int]], heard: str = "") -> list[str]:
    """The quote of ``candidate`` as it should be read, with what its first word refers to.

    "He ..." becomes "[Name] ..." when the passage named a person before it; any other
    back-reference ("These discussions ...", "Thus, ...") brings the sentence before it,
    unless the conversation just said it (``heard``: earlier answers' words).
    """
    chunk_text = candidate.hit.chunk.text
    # A quote taking in the command line under it takes in that line's sentence too.
    keys = {(candidate.hit.chunk.id, i) for i in range(candidate.index, max(candidate.last, candidate.index) + 1)}
    if keys & quoted:
        return []
    quoted |= keys
    text = candidate.text
    if row_key := _row_key(candidate):
        # A cell is read with what its row is about: "create a new window" answers only
        # beside "^A c", as "[^A c] create a new window and switch to it".
        return [f"[{row_key}] {text}"]
    if label := evidence.shown_label(candidate):
        return [f"[{label}] {text}"]
    if candidate.head:
        return [f"[{candidate.head}] {text}"]
    if candidate.refers is None and (announced := _announcing(candidate, quoted)):
        # "the major GNU applications ..." under "Debian GNU/Linux provides:": the list's
        # first item says whose it is only with the line announcing it.
        return [f"{announced} {text}"]
    if candidate.refers is None:
        # "In addition, a community share offer ...", "In short: the partnership is ...":
        # the connective or the label cut from the sentence, the quote starts as a
        # sentence does.
        label = candidate.label
        cut = bool(label) and chunk_text.startswith(label, candidate.start - len(label))
        return [_with_capital(text) if cut or label.rstrip().endswith(",") else text]
    if candidate.referent:
        return [bracketed(text, candidate.referent)]
    earlier: list[str] = []
    spans = list(sentence_spans(chunk_text))
    index = candidate.index
    # "Use --verbose in the above example" under "Tip" means the example before the tip;
    # a "This ..." under a heading means nothing of the section before it.
    above = points_above(text)
    for _ in range(MAX_ANTECEDENT_SENTENCES):
        index -= 1
        while index >= 0 and (
            spans[index][2].rstrip().endswith(":")
            or asks(spans[index][2])
            or (above and looks_like_title(spans[index][2], _line_at(chunk_text, spans[index][0])))
        ):
            index -= 1  # skip lead-ins ("Specifically:"), questions and, above, headings ("Tip")
        if index < 0 or (candidate.hit.chunk.id, index) in quoted:
            break
        start, end, sentence = spans[index]
        keyed = sentence[: label_end(sentence)]
        sentence = sentence[len(keyed) :]
        if heard and evidence.spoken(sentence) in heard:
            break  # the reader has just read it
        opening = earlier[0] if earlier else text
        if reference(opening) == "thing" and _term(sentence, _line_at(chunk_text, start)):
            # "the `unstable' distribution" on a line of its own, then "This is the version
            # currently under development": a definition, and the term is what "this" is.
            quoted.add((candidate.hit.chunk.id, index))
            if not earlier:
                return [f"[{sentence}] {text}"]
            earlier[0] = f"[{sentence}] {opening}"
            break
        command = sentence.startswith(_PROMPTS) and _quotable(sentence)
        if not command and (not _is_statement(sentence) or _output(sentence)):
            if keyed and not earlier and reference(text) == "thing" and "\n" not in chunk_text[end : candidate.start]:
                # "Swim Only: £26.50 a month. This covers ...": "this" is what the list
                # item is keyed by, shown as a row's key is.
                quoted.add((candidate.hit.chunk.id, index))
                return [f"[{keyed.strip().rstrip(':').strip()}] {text}"]
            break  # a command's output ("0% packet loss, time 0ms rtt ...") explains nothing
        quoted.add((candidate.hit.chunk.id, index))
        key = keyed.strip().rstrip(":").strip()
        # "Belay competency check: needed to top-rope with a partner.": the label names what
        # the words after it describe, and is shown with them.
        shown = sentence[:1].islower() and bool(key) and evidence.names_a_thing(key)
        earlier.insert(0, f"[{key}] {sentence}" if shown else sentence)
        if command:
            # "$ vim u-file.txt" then "This is possible since ...": the command is what
            # "this" means, and the sentence before it says what it does.
            continue
        if reference(sentence) is None:
            break
        if reference(sentence) == "person" and (name := person_before(chunk_text[:start], sentence)):
            earlier[0] = bracketed(sentence, name)
            break
    quotes = [*earlier, text]
    while len(quotes) > 1 and quotes[0].startswith(_PROMPTS):
        quotes.pop(0)  # a command alone, what introduced it out of reach, says nothing
    for i in range(len(quotes) - 1, 0, -1):
        if quotes[i].startswith(_PROMPTS):
            # "... by the following. $ vim u-file.txt": the command reads with its sentence.
            quotes[i - 1 : i + 1] = [f"{quotes[i - 1]} {quotes[i]}"]
    if reference(quotes[0]) == "connective":
        quotes[0] = _with_capital(quotes[0][connective_end(quotes[0]) :])  # nothing before it to connect to
    return quotes


def _announcing(candidate: Candidate, quoted: set[tuple[str, int]]) -> str:
    """The line announcing the list ``candidate`` is an item of, when the item opens in
    lower case on a line of its own, under it or under earlier such items ("You do not pay
    for prescriptions if you:" over "are aged 60 or over" and "are aged 16, 17 or 18 ...");
    else ""."""
    text = candidate.hit.chunk.text
    if candidate.index == 0 or candidate.label or not candidate.text[:1].islower():
        return ""
    if text.rfind("\n", 0, candidate.start) != candidate.start - 1:
        return ""  # not at the start of its line, so not under the line before
    spans = list(sentence_spans(text))
    at = candidate.index - 1
    # Up the list's earlier items, each a line of its own opening in lower case.
    while (
        at > 0
        and candidate.index - at < MAX_LIST_ITEMS_UP
        and spans[at][2][:1].islower()
        and not spans[at][2].endswith(":")
        and not evidence.code_like(spans[at][2])  # a code block is no list
        and text.rfind("\n", 0, spans[at][0]) == spans[at][0] - 1
        and "\n\n" not in text[spans[at][1] : spans[at + 1][0]]  # items are not paragraphs
    ):
        at -= 1
    before = spans[at][2]
    key = (candidate.hit.chunk.id, at)
    if not before.endswith(":") or key in quoted or not _quotable(before):
        return ""
    if len(words(before)) < 3 or asks(before) or reference(before):
        return ""  # "Their meanings are:" would need its own antecedent
    quoted.add(key)
    return before


def _term(sentence: str, line: str) -> bool:
    """Whether ``sentence`` is a term on a line of its own, as a definition list gives it
    before its definition: a few words, no closing punctuation, no command or markup."""
    text = sentence.strip()
    return (
        text == line.strip()
        and 0 < len(text.split()) <= MAX_TITLE_WORDS
        and text[-1] not in ".!?;:,"
        and not text.startswith(_PROMPTS)
        and _quotable(text)
        and "[" not in text
        and "]" not in text
    )


def _signature(sentence: str, line: str) -> bool:
    """Whether ``sentence`` is a callable's signature on a line of its own."""
    text = sentence.strip()
    return text == line.strip() and is_signature(text)


def _line_at(text: str, start: int) -> str:
    """The whole line of ``text`` that ``start`` is on."""
    end = text.find("\n", start)
    return text[text.rfind("\n", 0, start) + 1 : end if end >= 0 else len(text)]


# A plain word in lower case, not a command ("apt-get", "dpkg.cfg") or a code name.
_PLAIN_LOWER_START = re.compile(r"[a-z]+(?=[\s,;])")


def _with_capital(quote: str) -> str:
    """``quote`` opening with a capital, marked as an edit the way quotations mark one
    ("[A] community share offer ..."), when what opened its sentence was cut."""
    if _PLAIN_LOWER_START.match(quote):
        return f"[{quote[0].upper()}]{quote[1:]}"
    return quote


_IT = re.compile(r"it\s", re.I)
# "It costs £8 to hire a harness", "It is worth booking ahead": an "it" standing for what
# follows it, not for what the label before names.
_IT_TO = re.compile(
    r"it\s+(?:(?:costs?|takes?)\b[^.;]*?\bto\s+[a-z]+\s+(?:a|an|the|your|my|our|their|some|any)\b"
    r"|(?:is|was)\s+(?:worth|best|better)\b)",
    re.I,
)
# "This work ...", "These payments ...": a demonstrative and the noun it stands for, not
# "This can help ..." or "It is intended ...", whose subject may be anything before.
_THIS_NOUN = re.compile(
    r"(?:this|these|that|those|such)\s+(?!(?:is|are|was|were|can|could|will|would|may|might|has|have|had|should|must|"
    r"does|do|did|means|allows|makes|gives|helps|also|not|way|time)\b)[a-z][\w-]*\s",
    re.I,
)


# A cell giving a sum or a measure ("£326.70", "1 week", "50p", "8:00am", "17:00"), not a
# bare count (a package's popularity "V:31, I:230" or size "2025" in a manual's table).
_MEASURE_CELL = re.compile(
    r"[£$€]\s?\d|\b(?:[01]?\d|2[0-3]):[0-5]\d\b|\d\s*(?:%|p\b|(?:am|pm)\b|(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?"
    r"|metres?|meters?|km|cm|mm|miles?|feet|ft|inch(?:es)?|kg|grams?|g|tonnes?|litres?|liters?|ml|l|mb|gb|kb)\b)",
    re.I,
)


def _figure_cell(text: str, start: int) -> tuple[str, str] | None:
    """For a figure in a table of figures (cells are parted by tabs), what it is read
    with: its row's first cell and its column's header ("Board games", "Loan period" for
    "2 weeks"). None for what such a table never quotes on its own: its first cells (what
    a row is about, "No supply for more than 24 hours", whose answer is the figure after
    it) and its header row. ("", "") for everything else, a table of commands and what
    they do included, whose cells read as sentences. The header is the table's first row,
    when the passage holds the table from its start."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    row = text[line_start : len(text) if line_end < 0 else line_end].split("\t")
    lines = text[:line_start].split("\n")[:-1]
    following = text[line_end + 1 :].split("\n", 1)[0].split("\t") if line_end >= 0 else []
    if lines and "\t" not in lines[-1] and _heads(row, following):
        # The table's first line, over a row whose figures are of another kind: its header
        # ("Permit type | 12 months | 6 months" over "First resident permit | £60 | £35"),
        # whose figures name columns, not what a row costs or lasts.
        return None
    if not _figures(row):
        # The header over figures: the table's first line, cell for cell over the next.
        heads = len(row) >= 2 and len(following) == len(row) and not (lines and "\t" in lines[-1])
        return None if heads and _figures(following) else ("", "")
    if "\t" not in text[line_start:start]:
        return None  # the row's first cell
    return row[0].strip(), _header_cell(text, line_start, start)


def _heads(row: list[str], below: list[str]) -> bool:
    """Whether table line ``row`` is the header of the one ``below``: as many cells, and a
    column whose cell below holds a figure of another kind (a sum, a time) than its own
    ("£60" under "12 months", "8:30am" under "Time"). A table without a header starts with
    a row like the next ("Books | 3 weeks" over "DVDs | 1 week")."""
    if not len(row) == len(below) >= 2:
        return False
    kinds = [(_figure_kind(r), _figure_kind(b)) for r, b in zip(row, below, strict=True)]
    return any(any(under) and under != own for own, under in kinds)


# What a cell's figure is: a sum of money, a time of day, or a number of something.
_MONEY = re.compile(r"[£$€]\s?\d")
_CLOCK_TIME = re.compile(_CLOCK, re.I)


def _figure_kind(cell: str) -> tuple[bool, bool, bool]:
    """Whether ``cell`` holds a sum, a time of day, a number (all False for words alone)."""
    return (_MONEY.search(cell) is not None, _CLOCK_TIME.search(cell) is not None, any(c.isdigit() for c in cell))


def _rows_above(text: str, line_start: int) -> tuple[list[str], str]:
    """The rows of the table above the line at ``line_start`` (nearest first), less its
    header, and the header: the table's first line, when the passage holds the table from
    its start (a line that is no row comes before it); else ""."""
    lines = text[:line_start].split("\n")[:-1]
    above = []
    while lines and "\t" in lines[-1]:
        above.append(lines.pop())
    if above and (lines or _opens_with_header(text)):
        return above[:-1], above[-1]
    return above, ""


def _opens_with_header(text: str) -> bool:
    """Whether a passage that starts with a table row (a table under a heading) starts
    with the table's header: a row of words over a row with figures after its first cell
    ("Club | Day | Cost" over "Football | Monday | £3.50"), or over rows of which a later
    one has figures ("Day | Open | Close" over "Monday | Closed | Closed", then "Tuesday |
    10:00 | 21:00"). A passage may also start mid-table, with a row like any other."""
    first, _, rest = text.partition("\n")
    rows = list(itertools.takewhile(lambda line: "\t" in line, rest.split("\n")))
    if "\t" not in first or not rows or any(c.isdigit() for c in first):
        return False
    if any(c.isdigit() for c in rows[0].split("\t", 1)[1]):
        return True
    # A passage may start mid-table on rows of words ("Saturday | Closed | Closed" over
    # "Sunday | Closed | Closed"): a header holds none of the words its columns hold below.
    heads = [cell.strip().lower() for cell in first.split("\t")[1:]]
    below = {(i, cell.strip().lower()) for row in rows for i, cell in enumerate(row.split("\t")[1:])}
    return not any((i, head) in below for i, head in enumerate(heads)) and any(
        any(c.isdigit() for c in row.split("\t", 1)[1]) for row in rows
    )


def _named(cell: str) -> bool:
    """A cell of capitalised words and no figure: a name ("Mr Osei", "Coach Dan (Active
    Kids)", "Wednesday", "Free")."""
    tokens = cell.split()
    capitalised = any(t[0].isupper() for t in tokens)  # not "-rw-r--r--", which has no letter first
    return capitalised and title_cased(tokens) and not any(c.isdigit() for c in cell)


def _header_cell(text: str, row_start: int, start: int) -> str:
    """The header over the cell at ``start`` of the table row at ``row_start`` ("Run by"
    over "Mr Osei"); "" when the passage does not hold the table's header."""
    _, header = _rows_above(text, row_start)
    cells = header.split("\t") if header else []
    column = text.count("\t", row_start, start)
    row = text[row_start:].split("\n", 1)[0]
    return cells[column].strip() if len(cells) == row.count("\t") + 1 else ""


# What opening hours are the hours of doing ("open", "opening", "closes").
_OPENING_TERMS = frozenset(evidence.terms_of("open opens opening opened close closes closing closed"))


def _with_headings(scored: Scored) -> frozenset[str]:
    """The terms of a sentence and of the headings over it."""
    heads = scored.candidate.hit.chunk.headings
    return scored.candidate.terms.union(*(evidence.title_terms(h) for h in heads)) if heads else scored.candidate.terms


def _gives_hours(scored: Scored) -> bool:
    """Whether the sentence gives hours from one time to another ("from 8:30am to 5:30pm")."""
    return _TIME_RANGE.search(scored.candidate.text) is not None


def _other_keys(text: str, row_start: int) -> frozenset[str]:
    """The terms of the first cells of the other rows of the table whose row starts at
    ``row_start`` in ``text``, less those of its own first cell."""
    rows = _table_rows(text)
    if row_start not in rows:
        return frozenset()  # the header row
    table, own = rows[row_start]
    keys = {t for start, (other, terms) in rows.items() if other == table and start != row_start for t in terms}
    return frozenset(keys - own)


@functools.lru_cache(maxsize=256)
def _table_rows(text: str) -> dict[int, tuple[int, frozenset[str]]]:
    """Each table row of ``text`` by where it starts: where its table starts, and its first
    cell's terms. Read once per passage, not once per cell: a long table has many. A
    table's header ("Band | Charge | What it covers") is no row (``_rows_above``)."""
    rows: dict[int, tuple[int, frozenset[str]]] = {}
    start, table = 0, -1
    for line in text.split("\n"):
        if "\t" not in line:
            table = -1
        elif table < 0:
            table = start
            if start == 0 and not _opens_with_header(text):  # the passage starts mid-table
                rows[start] = (table, frozenset(evidence.terms_of(line.split("\t", 1)[0])))
        else:
            rows[start] = (table, frozenset(evidence.terms_of(line.split("\t", 1)[0])))
        start += len(line) + 1
    return rows


def _figures(row: list[str]) -> bool:
    """A row of a table of figures: a first cell, then only figures ("2 weeks", "£90",
    "Monday 4 January 2027": a date is one, though as many words as a short sentence). A
    cell left empty or holding a dash ("Friday | 10:00 | 17:00 | —") says nothing either way."""
    cells = [cell for cell in row[1:] if cell.strip(" -–—")]
    return (
        len(row) >= 2
        and bool(cells)
        and all(any(c.isdigit() for c in cell) and (not _is_statement(cell) or is_a_date(cell)) for cell in cells)
    )


def _is_cell(quote: str) -> bool:
    """A later cell of a table row holds a value ("2 weeks", "£90") that its row and column
    make a statement of, however short; not a question, nor what may not be quoted."""
    return bool(words(quote)) and _quotable(quote) and not asks(quote)


# A cell of a sum or a measure is a few words at most ("£15 per book", "3:15pm–4:15pm").
MAX_SUM_WORDS = 4


def _priced(row: str) -> bool:
    """Whether a later cell of table row ``row`` holds a sum, a measure or a count."""
    cells = row.split("\t")[1:]
    return any(_MEASURE_CELL.search(cell) is not None or _counted_cell(cell) for cell in cells)


def _counted_cell(cell: str) -> bool:
    """A count under a header: "8 credits" under "Meeting room credits", a few words."""
    return len(cell.split()) <= MAX_SUM_WORDS and _COUNTED_CELL.match(cell) is not None


_COUNTED_CELL = re.compile(r"\s*\d[\d,]*\s+[a-z]")  # "8 credits", not "3 Park Street"


def _another_row(candidate: Candidate, lead: Candidate, lead_row: str, asked: set[str]) -> bool:
    """Whether ``candidate`` is a cell of another row than ``lead_row`` of the lead's table
    that the question (``asked``: its terms and the conversation's) does not name."""
    row = _first_cell(candidate)
    return bool(row) and candidate.hit is lead.hit and row != lead_row and not _word_terms(row) <= asked


def _lists_things(cell: str) -> bool:
    """Whether a table's ``cell`` names things in words ("Cordless drills, jigsaws,
    sanders"): two words or more and no figure, unlike "7 days", "£20" or "No"."""
    return len(cell.split()) >= 2 and not any(c.isdigit() for c in cell)


def _column_terms(candidate: Candidate) -> set[str]:
    """The terms of the header over ``candidate``, a later cell of a table row whose header
    the passage holds ("Deposit" over "£20", beside "No" under "Induction needed"); else none."""
    if not _first_cell(candidate):
        return set()
    header = _header_cell(candidate.hit.chunk.text, row_start(candidate), candidate.start)
    # "Half-term break (no lessons)": what the bracket adds is no name of the column, nor
    # does "per" ("Children per teacher" is not asked by "how much is it per term").
    return _word_terms(_BRACKETED.sub(" ", header)) - _JOINS_COLUMNS


_BRACKETED = re.compile(r"\([^()]*\)")
_JOINS_COLUMNS = frozenset({"per", "each"})


def _another_column(candidate: Candidate, lead: Candidate, lead_row: str, asked: set[str]) -> bool:
    """Whether ``candidate`` is a cell of the lead's row under a column the question
    (``asked``) does not name."""
    return (
        candidate.hit is lead.hit
        and _first_cell(candidate) == lead_row
        and row_start(candidate) == row_start(lead)
        and not _column_terms(candidate) & asked
    )


def _another_row_named(candidate: Candidate, asked: set[str], named: dict[str, set[str]]) -> bool:
    """Whether ``candidate`` is a later cell of a table row that the question (``asked``:
    its terms and the conversation's) does not name, while it names another row of that
    table by its first cell; ``named`` keeps each passage's rows the question names."""
    row = _first_cell(candidate)
    if not row or _word_terms(row) <= asked:
        return False
    chunk = candidate.hit.chunk
    if chunk.id not in named:
        named[chunk.id] = _rows_named(chunk.text, asked)
    return bool(named[chunk.id] - {row})


def _rows_named(text: str, asked: set[str]) -> set[str]:
    """The first cells of the table rows in ``text`` that ``asked`` names (a table's first
    line, its header, aside)."""
    found = set()
    for before, line in itertools.pairwise(["", *text.split("\n")]):
        first = line.split("\t", 1)[0].strip()
        if "\t" in line and "\t" in before and (terms := _word_terms(first)) and terms <= asked:
            found.add(first)
    return found


# "whats the cheapest package", "how much is the most expensive one": of the sums in a
# table's column, the lowest or the highest.
_CHEAPEST = re.compile(r"\b(?:cheapest|least\s+expensive|lowest[\s-]+(?:price|priced|cost)|most\s+affordable)\b", re.I)
_DEAREST = re.compile(r"\b(?:most\s+expensive|priciest|dearest|highest[\s-]+(?:price|priced|cost))\b", re.I)
_SUM = re.compile(r"[£$€]\s?(\d[\d,]*(?:\.\d+)?)")


def _cheapest_or_dearest(question: str) -> bool | None:
    """True when ``question`` asks for the cheapest of something, False for the dearest,
    None for neither."""
    if _CHEAPEST.search(question):
        return True
    return False if _DEAREST.search(question) else None


_FREE = re.compile(r"\s*free\b", re.I)


def _sums_of(cell: str) -> list[float]:
    """The sums a table cell gives ("£165", "£5–£8", "Free" as nothing)."""
    if _FREE.match(cell):
        return [0.0]
    return [float(found.replace(",", "")) for found in _SUM.findall(cell)]


def _by_price(typed: list[Scored], lowest: bool, question: str) -> list[Scored]:
    """``typed`` with the lowest (or highest) sum of a table column first, and without the
    column's others: the column of the best sum in a table, so "Extra child" prices are not
    weighed against packages', and only its rows named alike ("the cheapest cat treatment"
    is among the cats')."""
    # The best sum in a table, nearly as good as the best sentence: a sentence that lists
    # sums in words ("£11 on Little Acorn, £12.50 on Mighty Oak ...") ranks no lowest.
    floor = evidence.RUNNER_UP_SHARE * typed[0].score
    lead = next(
        (s for s in typed if s.score >= floor and _first_cell(s.candidate) and _sums_of(s.candidate.text)), None
    )
    if lead is None:
        return typed
    text = lead.candidate.hit.chunk.text
    rows = _table_rows(text)
    asked = set(evidence.terms_of(question))

    def place(s: Scored) -> tuple[str, int, frozenset[str]]:
        """The cell's column, its table, and the question's words its row's key holds."""
        start = row_start(s.candidate)
        table = rows[start][0] if start in rows else -1
        return (
            _header_cell(text, start, s.candidate.start),
            table,
            frozenset(_word_terms(_first_cell(s.candidate)) & asked),
        )

    where = place(lead)
    same = [
        s
        for s in typed
        if s.candidate.hit is lead.candidate.hit
        and _first_cell(s.candidate)
        and _sums_of(s.candidate.text)
        and place(s) == where
    ]
    if not where[0] or len(same) < 2:
        return typed
    # A range ("£5–£8") is as cheap as its lowest and as dear as its highest.
    pick = (
        min(same, key=lambda s: min(_sums_of(s.candidate.text)))
        if lowest
        else max(same, key=lambda s: max(_sums_of(s.candidate.text)))
    )
    # The column's other sums are no answer: not runners-up either.
    others = {id(s) for s in same}
    return [pick, *(s for s in typed if id(s) not in others)]


def _range_text(candidate: Candidate) -> str:
    """Where a candidate's range is set: a cell's whole row ("Large dinghy park space | 4.5 m
    to 6 m | £165" for "£165"), else the sentence as read with its label."""
    if _first_cell(candidate):
        return row_line(candidate)
    return evidence.as_read(candidate)


def _age_cell(candidate: Candidate, only: bool = False) -> bool:
    """Whether ``candidate`` is a table cell whose column's header makes it an age band
    ("12 to 17" under "Ages"), which "how old do you have to be" asks for; with ``only``,
    one holding no other figure ("Ages 6 to 8, Saturdays 10:00–10:45" gives a time too)."""
    if not _first_cell(candidate):
        return False
    header = _header_cell(candidate.hit.chunk.text, row_start(candidate), candidate.start)
    if not header:
        return False
    return (ranges.only_ages if only else ranges.sets_ages)(f"{header} {candidate.text}")


def _with_header(candidate: Candidate) -> str:
    """``_range_text`` with each cell of a row after its column's header, where the passage
    holds it: "Ages 8 to 11" for the "8 to 11" under "Ages", a band no unit marks."""
    text = _range_text(candidate)
    if not _first_cell(candidate):
        return text
    _, header = _rows_above(candidate.hit.chunk.text, row_start(candidate))
    heads, cells = header.split("\t"), text.split("\t")
    if not header or len(heads) != len(cells):
        return text
    return "\t".join(f"{head.strip()} {cell.strip()}" for head, cell in zip(heads, cells, strict=True))


def _paragraph_terms(scored: Scored) -> set[str]:
    """The terms of the paragraph or list item the candidate is a sentence of."""
    text = scored.candidate.hit.chunk.text
    start = text.rfind("\n", 0, scored.candidate.start) + 1
    end = text.find("\n", scored.candidate.start)
    return set(evidence.terms_of(text[start : end if end >= 0 else len(text)]))


def _same_paragraph(one: Scored, other: Scored) -> bool:
    """Whether two candidates are sentences of one paragraph or list item of one passage."""
    a, b = sorted((one.candidate, other.candidate), key=lambda c: c.start)
    return a.hit is b.hit and "\n" not in a.hit.chunk.text[a.start : b.start]


def _same_row(one: Scored, other: Scored) -> bool:
    """Whether two candidates are later cells of one table row."""
    a, b = one.candidate, other.candidate
    return a.hit is b.hit and row_start(a) == row_start(b) and bool(_first_cell(a)) and bool(_first_cell(b))


def _word_terms(text: str) -> set[str]:
    """The terms of ``text``'s words, without the initials of the phrase they make ("fd" for
    "Fixed Desk", "tfd" with "The"), which hang on a word such as "The" before it."""
    return {t for word in text.split() for t in evidence.terms_of(word)}


def _first_cell(candidate: Candidate) -> str:
    """The first cell of the table row ``candidate`` is a later cell of (cells are parted
    by tabs); else ""."""
    text = candidate.hit.chunk.text
    start = text.rfind("\n", 0, candidate.start) + 1
    before = text[start : candidate.start]
    return before.split("\t", 1)[0].strip() if "\t" in before else ""


def _row_key(candidate: Candidate) -> str:
    """What a later cell of a table row is shown with: the row's first cell (the command,
    key or package the row is about), and its column where a row holds several figures;
    else ""."""
    key = _first_cell(candidate)
    if not key:
        return ""
    text = candidate.hit.chunk.text
    start = text.rfind("\n", 0, candidate.start) + 1
    row = text[start:].split("\n", 1)[0]
    figure = _figure_cell(text, candidate.start)
    column = figure[1] if figure and row.count("\t") >= 2 else ""
    # "None", "Free", "Included": a value that says nothing without its column ("[Junior]
    # None" for "is there a joining fee?"), shown with it as a sum is.
    valued = _VALUE_WORD.fullmatch(candidate.text.strip()) is not None
    if not column and (_MEASURE_CELL.search(candidate.text) or is_a_date(candidate.text) or valued):
        # A row of sums beside words ("£60 | £35 | Any eligible household"): the sum's
        # column too, if another cell is one ("within 7 days of the first visit" is a note).
        # Dates too: "[Spring, Starts] Monday 4 January 2027", of a start and an end.
        sums = sum(
            (_MEASURE_CELL.search(cell) is not None or is_a_date(cell)) and len(cell.split()) <= MAX_SUM_WORDS
            for cell in row.split("\t")[1:]
        )
        above, header = _rows_above(text, start)
        # Only under a line that is a header: a table without one starts with a row. A row of
        # words may come first ("Monday | Closed | Closed"): a header is over figures somewhere.
        headed = bool(header) and any(_heads(header.split("\t"), r.split("\t")) for r in [*above, row])
        column = _header_cell(text, start, candidate.start) if (sums >= 2 or valued) and headed else ""
    if column and _shown_key(f"{key}, {column}"):
        # "[Junior (under 16), Weekend price] £2.10", "[First resident permit, 6 months]
        # £35": of several figures in a row, which one; the row alone when its column cannot
        # be shown ("Joining fee [a]").
        key = f"{key}, {column}"
    return key if _shown_key(key) else ""


def _shown_key(key: str) -> bool:
    """Whether a row's key can be shown in brackets, as an insertion: a cell with brackets
    of its own would blur where it ends, and one with a space before a stop ("C-a :") would
    be respaced with the answer."""
    if not key or "[" in key or "]" in key or re.search(r"\s[.,;:!?]", key) or not _quotable(key):
        return False
    return opens_with_referent(f"[{key}] ")


_VALUE_WORD = re.compile(
    r"(?:none|free|included|n/?a|yes|no|nil|tbc|to be confirmed|varies|not available|not included)\.?", re.I
)
_PROMPTS = ("$ ", "# ")
# An entry keyed by a few words and a colon: "Wednesday: closed all day", "Adult: £5.20".
_KEYED_ENTRY = re.compile(r"[A-Z][\w’'()&/ -]{0,30}:\s")
_INTRODUCES = re.compile(r"\b(the following|as follows|below)\W*$", re.I)
_LINKISH = re.compile(r"https?://|www\.|!\[[^\]]*\]\(|\]\([^)]*\)|<[a-zA-Z/][^>]*>", re.I)


# An item of the last answer that a follow-up's ordinal points to is named by the words
# of its sentence ("Phase 2 expansion stage eight more 1.5 MW turbines ..."), at least
# these many, and not all capitalised (a name, "Senator Bill Hagerty", is a person).
ITEM_TERMS = 5


def _is_the_item(candidate: Candidate, about: Sequence[str]) -> bool:
    """Whether ``candidate`` is the sentence of the last answer that "the second one"
    stood for: it holds every word the follow-up's referent was named by. That sentence
    is what the follow-up asks about, though it holds few of the follow-up's own words
    ("how much capacity does the second one add?" after the construction phases: "Phase
    2, ... adding 12 MW ...")."""
    # A table's cell was named with its row's first cell ("[The Weaving Shed] seats 10").
    held = candidate.terms | _word_terms(_first_cell(candidate))
    for referent in about:
        # Words only: "array 18" in the referent was "the array to 18" in the sentence, and
        # its initials ("ws" for "Weaving Shed") depend on whether "The" came before it.
        terms = {t for t in _word_terms(referent) if "#" not in t}
        worded = any(word[:1].islower() for word in referent.split())
        if worded and len(terms) >= ITEM_TERMS and terms <= held:
            return True
    return False


def _counts_in_other_words(sentence: str, things: list[str]) -> bool:
    """Whether ``sentence`` counts what a "how many" question asks for in a general word
    ("places", "spots", "options") in its own words: "38 docking stations" for "how many
    places". Only such words are said otherwise; "how many doctors" is not answered by
    "14 nurses", nor "how many staff" by "12 consulting rooms"."""
    return bool(things) and things[0] in _GENERAL_COUNTED and counts_things(sentence)


def _seats(sentence: str, things: list[str]) -> bool:
    """Whether ``sentence`` says how many people a place takes ("seats 10", "sleeps six",
    "a capacity of 120"), which "how many people does it fit?" asks without the word."""
    return bool(things) and things[0] in _PEOPLE_COUNTED and _CAPACITY.search(sentence) is not None


# What "how many" may ask for in a word a document seldom uses for it (stems: "places").
_GENERAL_COUNTED = frozenset("plac spot location site option choic ways point stop".split())
# "How many people does it fit?" is answered by how many a place takes ("seats 10",
# "sleeps six", "a capacity of 120"), which counts people without naming them.
_PEOPLE_COUNTED = frozenset("people person guest visitor adult".split())
_CAPACITY = re.compile(
    r"\b(?:seats|sleeps|accommodates|capacity(?:\s+(?:of|for)|:)?|(?:room|seating)\s+for)\s+(?:up\s+to\s+)?"
    r"(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred)\b"
    r"(?!\s+(?:cars?|vehicles?|bikes?|bicycles?|boats?|tonnes?|litres?|kg)\b)",
    re.I,
)


def _another_gender(candidate: Candidate, asked: str, about: Sequence[str]) -> bool:
    """Whether ``candidate`` speaks of someone by the other pronoun than the question's
    ("he" when it asked about "she"), without naming whom the question means."""
    said = pronoun_gender(candidate.text)
    return bool(asked and said and said != asked) and not _names_any(candidate, about)


def _names_any(candidate: Candidate, about: Sequence[str]) -> bool:
    """Whether the sentence itself (or whom its opening "he" or "she" means) names
    something in ``about``."""
    # Its terms already hold the referent's (``_statements`` adds them).
    return any(set(evidence.terms_of(name)) & candidate.terms for name in about)


def _names_in_full(candidate: Candidate, about: Sequence[str]) -> bool:
    """Whether the sentence names something in ``about`` by all its words ("Rhyme Time",
    not "Story Time" for sharing "Time")."""
    return any(set(evidence.terms_of(name)) <= candidate.terms for name in about)


def _mentions(candidate: Candidate, about: Sequence[str]) -> bool:
    """Whether the candidate's passage (its text or headings) names something in ``about``,
    or the sentence itself opens with a reference to what came before."""
    return bool(candidate.refers) or _passage_names(candidate, about)


def _passage_names(candidate: Candidate, about: Sequence[str]) -> bool:
    """Whether the candidate's passage (its text or headings) names something in ``about``."""
    said = _passage_terms(candidate.hit.chunk)
    return any(set(evidence.terms_of(name)) & said for name in about)


def _on_topic(candidate: Candidate, context: str) -> bool:
    """Whether the candidate's passage holds most of the words of the earlier question an
    ellipsis leans on ("Is there a command that shows that along with other filesystem
    information?" after "How do I find the UUID of a partition?")."""
    topic = set(evidence.terms_of(context))
    return bool(topic) and 2 * len(topic & _passage_terms(candidate.hit.chunk)) > len(topic)


@functools.lru_cache(maxsize=1024)
def _passage_terms(chunk: Chunk) -> frozenset[str]:
    return frozenset(evidence.terms_of(" ".join([chunk.text, *chunk.headings])))


def abstention() -> Answer:
    return Answer(answer=ABSTAIN_TEXT, citations=[], abstained=True, mode="extractive")


def _missing_names(question: str, hits: list[Hit], mentions: Callable[[str], bool] | None) -> list[str]:
    """Names in the question that neither the retrieved passages nor the index mention.

    A name only has to appear somewhere, in any of its forms: "Washington" in a
    question about energy is fine when some passage mentions Washington, even if not the
    retrieved ones, and "American" is fine where the documents say "U.S.". Matching is
    by the name's stem, so "Russian" finds "Russia".
    """
    missing = []
    # A section's title names what its passages are about ("5. Institutionalising the
    # Partnership" over "Rather than ad-hoc cooperation ...").
    texts = [f"{hit.chunk.heading_path}\n{hit.chunk.text}" for hit in hits]
    # "New Delhi" is India, wherever the documents say India; a name typed in lower case is
    # not one ("brussels sprouts"): it is found or not as words.
    for name in names(fold(question, lower=False)):
        roots = {name_stem(form) for form in forms(name)}
        if any(root in text for text in texts for root in roots):
            continue
        if mentions is not None and any(mentions(root) for root in roots if re.fullmatch(r"\w+", root)):
            continue
        missing.append(name)
    for name in phrase_names(question):
        # Only the words together are the name: "Encryption" elsewhere is not "Let's Encrypt".
        spelled = {name, name.replace("’", "'"), name.replace("'", "’")}
        if not any(form in text for text in texts for form in spelled) and not (
            mentions is not None and any(mentions(form) for form in spelled)
        ):
            missing.append(name)
    return missing


def _unknown_terms(
    question: str, hits: list[Hit], mentions: Callable[[str], bool] | None, pieces: Callable[[str], int] | None
) -> list[str]:
    """Rare lower-case terms of the question ("ufw", "certbot") that no passage mentions.

    A word the model's vocabulary lacks, so that it cuts it into pieces, is a name or
    a piece of jargon; when the documents never use it, they are not about it. Common
    words are whole in the vocabulary and never decide this.
    """
    if mentions is None or pieces is None:
        return []
    texts = [hit.chunk.text.lower() for hit in hits]
    missing = []
    for word in dict.fromkeys(re.findall(r"(?<![\w.-])[a-z][a-z0-9]{2,}(?![\w-])", question)):
        # Cut into three pieces or more, and not an English word with an English ending
        # ("spewing", "tougher"): those are verbs and adjectives, not what a question is about.
        if word in STOPWORDS or pieces(word) < 3 or _ENGLISH_ENDING.search(word):
            continue
        if _used_nowhere(word, texts, mentions):
            missing.append(word)
    return missing


def _used_nowhere(word: str, texts: list[str], mentions: Callable[[str], bool]) -> bool:
    """Whether neither the passages' lower-cased ``texts`` nor the index hold ``word`` or
    its stem, in lower case or capitalised."""
    forms = {word, stem(word)}
    return not any(f in text for text in texts for f in forms) and not any(
        mentions(f) or mentions(f.capitalize()) for f in forms
    )


def _unknown_name_typed_lower(
    question: str,
    hits: list[Hit],
    mentions: Callable[[str], bool] | None,
    pieces: Callable[[str], int] | None,
    vectors: WordVectors,
) -> list[str]:
    """A name typed in lower case ("senator marco rubio") that no passage mentions: two
    or more words side by side that no document uses in any case, one of them cut into
    word pieces as names are (``_name_like``) and near no word the passages use. (A
    capitalised name is ``_missing_names``'s.) Common words alone never decide it:
    "semiconductor fabrication" may be said in other words, and "self-reliance
    initiative" is how one asks about "Atmanirbhar Bharat". One word alone never does
    either: "chomp", "culprit" and "benchmark" are as unknown to the documents as
    "wireguard", and questions using them are answered."""
    if mentions is None or pieces is None:
        return []
    texts = [hit.chunk.text.lower() for hit in hits]
    said: tuple[str, ...] | None = None
    run: list[str] = []
    end = 0
    for match in re.finditer(r"[^\s?!.,;:()\"“”]+", question):
        word, gap, end = match.group(0), question[end : match.start()], match.end()
        if gap.strip():
            run = []  # "rubio, kwatra": a comma parts two names
        if re.fullmatch(r"[a-z][a-z0-9-]{2,}", word) and word not in STOPWORDS and _used_nowhere(word, texts, mentions):
            run.append(word)
            if len(run) >= 2 and any(_name_like(w, pieces) for w in run):
                # A word near one the passages use is theirs said otherwise ("login" for
                # "logged in", "using" for "use"), not part of a name.
                if said is None:
                    said = tuple(dict.fromkeys(w for text in texts for w in re.findall(r"[a-z][a-z0-9-]+", text)))
                if all(n < evidence.NEAR_WORD for n in vectors.nearest(run, [said])[0]):
                    return run
            continue
        run = []
    return []


def _name_like(word: str, pieces: Callable[[str], int]) -> bool:
    """Cut into word pieces, and neither compound ("one-liners") nor an English word with
    an English ending ("tougher", "obfuscated"): "rubio", "kestrel"."""
    return pieces(word) >= 2 and "-" not in word and not _ENGLISH_ENDING.search(word)


_ENGLISH_ENDING = re.compile(r"(ing|ed|er|ers|est|ly|ise|ize|ised|ized|ness|ment|tion|sion|able|ible|ous|ive|ity)$")


def _quotable(text: str) -> bool:
    """Whether ``text`` may appear in an answer: no link, image or markup (a document
    cannot make an answer fetch or point anywhere), no instructions to the reader's
    assistant, and no "[2]" of the document's own, which would read as a citation marker."""
    return not (_LINKISH.search(text) or looks_like_injection(text) or MARKER.search(text))


def _is_statement(sentence: str) -> bool:
    """Lead-ins ("Key themes include:") and fragments say nothing on their own; a
    sentence carrying a link, an image or markup is never quoted, so a document
    cannot make an answer fetch or point anywhere."""
    if not _quotable(sentence) or _split_quotation(sentence):
        return False
    # A command line says what to run however short it is ("# dpkg-reconfigure tzdata").
    command = sentence.lstrip().startswith(_PROMPTS)
    count = len(words(sentence))
    return (
        count >= (2 if command else 4)
        and not sentence.rstrip().endswith(":")
        and not asks(sentence)
        and not (count <= MAX_TITLE_WORDS and _TITLE_QUESTION.match(sentence))
    )


# The words a manual ends a line with when the command it means is on the next:
# "... with:", "... by typing", "... using".
_LEADS_INTO_COMMAND = re.compile(
    r"(?::|\b(?:using|with|by|via|run|running|execute|executing|type|typing|enter|invoke|either|the|a|an|command))\s*$",
    re.I,
)
MAX_COMMAND_CHARS = 100
# What ends a sentence that a command interrupted: "use the", "lsb_release -a", "command.".
_ENDS_A_SENTENCE = re.compile(r"[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}[.!]")


def _leads_into(sentence: str, gap: str, following: str) -> bool:
    """Whether ``sentence`` is the start of one that ``following``, the next line, ends:
    a lead-in of a few words whose line stops where a command is to come, and a line that
    is a command (in lower case, as a command is typed, or after a prompt; one line, not a
    file's whole listing)."""
    return (
        "\n" in gap
        and len(words(sentence)) >= 4
        and _LEADS_INTO_COMMAND.search(sentence) is not None
        and not asks(sentence)
        and len(following) <= MAX_COMMAND_CHARS
        and (following.startswith(_PROMPTS) or re.match(r"[a-z]", following) is not None)
    )


def _split_quotation(sentence: str) -> bool:
    """Whether ``sentence`` is a piece of a longer one that a stop inside a quotation cut:
    '... See “I am making a distribution. Can I use Debian for it?” for more information.'
    splits into two pieces, one closing a quotation it never opened, one opening a
    quotation it never closes."""
    if "”" not in sentence and "“" not in sentence:
        return False  # most sentences: no character to walk
    depth = 0
    for ch in sentence:
        if ch == "“":
            depth += 1
        elif ch == "”":
            if depth == 0:
                return True
            depth -= 1
    return depth > 0


# "What we should watch going forward", "Why the deal matters": a title that names a
# question (a contents line, a heading), short, with no closing punctuation and no clause
# ("When prompted, enter your passphrase" instructs), answers nothing.
MAX_TITLE_WORDS = 8
_ENDS_A_STATEMENT = re.compile(r"[.!?][\"”’')\]]*$")
_TITLE_QUESTION = re.compile(r"\W*(?:what|why|how|when|where|which|who)\b[^.!?,;:]*$", re.I)


def _output(sentence: str) -> bool:
    """Whether ``sentence`` is a command line or its output rather than prose: a shell
    prompt, or digits for more than a fifth of its characters."""
    text = "".join(sentence.split())
    return sentence.lstrip().startswith(_PROMPTS) or sum(c.isdigit() for c in text) > 0.2 * len(text)


def _redundant(a: Candidate, b: Candidate) -> bool:
    """Two sentences that say nearly the same thing (one would only repeat the other)."""
    if not a.terms or not b.terms:
        return False
    return len(a.terms & b.terms) / min(len(a.terms), len(b.terms)) > 0.7


_LONE_STOPS = re.compile(r"(?<=[.!?])(?:\s+\.)+$")


def _with_marker(sentence: str, n: int) -> str:
    """Put ``[n]`` before the closing punctuation: "... Kwatra [1]." """
    # "... or removed. ." (a package description's " ." line, joined): one stop.
    text = _LONE_STOPS.sub("", sentence.rstrip())
    end = len(text)
    while end > 0 and text[end - 1] in "\"'”’)]":
        end -= 1
    if abbreviation_may_end(text):
        return f"{text} [{n}]"  # "... for the U.S. [1]": the abbreviation's stop ends the sentence
    if end > 0 and text[end - 1] in ".!?":
        # "... (said by Goyal.)" keeps its own stop inside the brackets.
        return f"{text[: end - 1]} [{n}]{text[end - 1]}" if end == len(text) else f"{text} [{n}]"
    # "... in a window (X)", a table cell or a phrase closing with a bracket or a quote
    # still ends the sentence.
    return f"{text} [{n}]."
