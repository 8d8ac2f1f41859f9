from __future__ import annotations

import pytest

from assistant.conversation import Standalone, Turn, instead_of, is_follow_up, quoted_documents, standalone
from assistant.evidence import names_someone_new, terms_of
from assistant.extractive import ExtractiveAnswerer
from assistant.idioms import plain
from assistant.question import (
    asked_as,
    asks_for_a_weekday,
    asks_for_more,
    asks_for_overview,
    asks_for_path,
    asks_for_people,
    asks_for_person,
    asks_for_several,
    asks_for_work,
    asks_how,
    asks_where,
    asks_yes_or_no,
    counted,
    counts,
    expected_type,
    gives_an_age,
    gives_measure,
    measured_in,
    name_stem,
    names,
    names_work,
    satisfies,
    sets_an_age,
    shifts_subject,
)
from assistant.word_vectors import WordVectors
from core.records import Chunk, Hit
from core.text import content_terms


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did the talks start?", "date"),
        ("On what date was the deal signed?", "date"),
        ("How many rounds were held?", "count"),
        ("How much LNG will be shipped?", "quantity"),
        ("At what speed does the tide flow?", "quantity"),
        ("What is the total dollar value of trade?", "money"),
        ("How much did the repair cost?", "money"),
        ("Who is the ambassador?", "any"),
        ("And when did the visitor centre open?", "date"),
        ("So how many turbines are there?", "count"),
        # A clause opening "When ..." or "If ..." sets the scene; the question follows it.
        ("When reconfiguring exim4 for a smarthost, which general mail configuration type should I choose?", "any"),
        ("When the deal is signed, how many jobs will it create?", "count"),
        ("If the array is finished late, when will Phase 3 start?", "date"),
        ("When the first turbine was lowered, who ran the vessel?", "any"),
        # A measure asked by its adjective wants a figure.
        ("How heavy are the turbine bases?", "quantity"),
        ("And how deep is the channel?", "quantity"),
        ("How tall is the tower?", "quantity"),
        ("How old was she when she joined?", "age"),
        ("How fast do the blades turn?", "quantity"),
        # Opening hours are times of day, not the date something opened.
        ("what are its opening hours?", "hours"),
        ("What time does the visitor centre open?", "hours"),
        ("When did the visitor centre open?", "date"),
        ("What time did the plant open in 2019?", "date"),
        ("How many office hours does a professor hold?", "count"),
        # "Who paid ...?" asks for whoever paid, not a sum.
        ("who paid for the original building?", "any"),
        ("And who funded the renovation?", "any"),
        # How long something has gone on: a start ("since 2015", "joined in 2021") answers too.
        ("how long has she been doing that?", "span"),
        ("How long have they run the scheme?", "span"),
        ("How long was it closed?", "quantity"),
        ("how thin had it got where it broke?", "quantity"),
        # An age, or when it was made.
        ("how old was the pipe that burst in ashcombe?", "age"),
        ("What age do you have to be to join?", "age"),
        # "how soon" asks how long until something happens ("within three working days").
        ("how soon will they come back", "quantity"),
        # "money off" is a discount, as often a share ("a 50% discount") as a sum; "my money
        # back" a refund, which a rule gives ("Between 10 and 30 days before: 50% refund").
        ("i'm on council tax reduction do i get money off", "any"),
        ("do i get my money back?", "any"),
        # A rate's price, not how much of something a day.
        ("how much per year for a family membership?", "money"),
        ("how much a month is the maker membership", "money"),
        ("how much is it per night", "money"),
        ("how much a day do i need to drink", "quantity"),
        ("how much to hire a kayak for 2 hours?", "money"),
        ("how much is it to join", "money"),
        # A way of paying, not a sum.
        ("can i pay rent in cash", "any"),
        ("can i pay by card", "any"),
        ("can we pay it in instalments?", "any"),
        ("do i have to pay for parking", "money"),
        # A measure named by its noun; not a level of its own, which a tier's name answers.
        ("at what river level is rowing stopped completely?", "quantity"),
        ("what height is the bridge?", "quantity"),
        ("what level of membership do i need", "any"),
        # A noun of a compound, or a measure an answer gives in words as often.
        ("what distance learning courses do you offer?", "any"),
        ("what weight limit is there for hand luggage?", "any"),
        ("what temperature should i wash it at?", "any"),
    ],
)
def test_expected_answer_type(question: str, kind: str) -> None:
    assert expected_type(question) == kind


def test_sentences_that_can_hold_each_type() -> None:
    assert satisfies("Five rounds have been completed.", "count")
    assert not satisfies("Rounds have been completed.", "count")
    assert satisfies("Tariffs of 50 per cent were imposed.", "quantity")
    assert not satisfies("The two countries are near a deal.", "quantity")
    assert satisfies("They met in March 2024.", "date")
    assert not satisfies("They met recently.", "date")
    assert satisfies("The centre is open daily from 10am to 4pm.", "hours")
    assert not satisfies("The mayor opened the visitor centre in May 2023.", "hours")
    # A manual page's section number counts nothing.
    assert not satisfies("With careful configuration, sudo(8) can grant limited privileges.", "quantity")
    assert not satisfies("Read apt-get(8) and fnmatch(3) first.", "count")
    assert satisfies("sudo(8) remembers the password for 15 minutes.", "quantity")
    # How long something has lasted: since when, or a span in words.
    assert satisfies("Margaret Osei has run the library since 2015.", "span")
    assert not satisfies("The bell has hung in the tower since 1850.", "quantity")
    assert not satisfies("The bridge was built in 1890 by the railway company.", "span")
    assert not satisfies("The lake freezes over a week or so each winter.", "quantity")
    assert satisfies("She managed the mobile library service for eight years.", "quantity")
    assert satisfies("The asbestos delayed the work by five months.", "quantity")
    assert not satisfies("The library opened in 1911.", "quantity")
    assert not satisfies("One of the two printers was broken.", "quantity")
    assert satisfies("She joined in January 2021, three months before the launch.", "span")
    assert satisfies("She has run the library for eight years.", "span")
    assert not satisfies("She runs the scheme day to day.", "span")
    # An age, or when something was made or began.
    assert satisfies("The main at Corrie Lane is a 450 mm cast-iron pipe laid in 1961.", "age")
    assert satisfies("The script checks the maturity (about 10 days old) of the packages.", "age")
    assert satisfies("The mill, built in 1820, still grinds flour.", "age")
    assert satisfies("She joined the crew at the age of 24.", "age")
    assert not satisfies("Installing 35 additional sensors so that we can find bursts more quickly.", "age")
    assert not satisfies("A replacement section of pipe, 6 metres long, was fitted in 2025.", "age")
    assert satisfies("A hold costs 60p for adult members.", "money")
    # Free is what it costs.
    assert satisfies("Membership is free for anyone who lives in the district.", "money")
    assert satisfies("Members can download e-books free of charge.", "money")
    assert not satisfies("Debian is a free operating system.", "money")
    assert not satisfies("Hold 60 pages for adult members.", "money")
    # A number that counts something else says nothing of how long.
    assert not satisfies("She had a team of 14 engineers and fitters, working in shifts.", "span")
    assert not satisfies("Telephone the main counter on 01632 960418.", "span")
    assert satisfies("Requests must be made in writing within 30 days of the charge.", "span")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how many megabytes of ram does it need exactly?", "data"),
        ("How much LNG, in million tonnes, will India import?", "mass"),
        ("How many more kilometres is the cable?", "length"),
        ("How many years did he work as a harbour pilot?", "time"),
        ("how much is the deal expected to be worth in dollars?", "dollars"),
        # Money per unit, or a count of things, is asked in no unit.
        ("how much per megawatt?", None),
        ("how much will the second phase cost?", None),
        # Energy, not power: "gigawatt-hours" are no gigawatts.
        ("How many gigawatt-hours did it generate?", "energy"),
        ("How many rounds of talks were held?", None),
        ("What happened in the coming months?", None),
    ],
)
def test_the_unit_a_measure_is_asked_in(question: str, kind: str | None) -> None:
    assert measured_in(question) == kind


@pytest.mark.parametrize(
    ("question", "things"),
    [
        ("how many seals has her team counted in the sound so far?", ["seal"]),
        ("How many more turbines will Phase 2 add?", ["turbin"]),
        ("roughly how many packages does debian have for amd64", ["packag"]),
        ("How many does it employ?", []),
    ],
)
def test_what_how_many_counts(question: str, things: list[str]) -> None:
    assert counted(question) == things


def test_a_number_counting_the_things_asked() -> None:
    assert counts("The project employs 46 people directly.", ["peopl"])
    assert counts("Phase 2: eight more 1.5 MW turbines adding 12 MW.", ["turbin"])
    assert counts("The offer raised £2.4 million from 1,150 local investors.", ["investor"])
    # A number counting something else, or a year before the word, does not.
    assert not counts("The team surveys the cable route twice a year.", ["seal"])
    assert not counts("In February 2024, a bearing seal on turbine T3 failed.", ["seal"])
    # Compared by stems: "companies" counts "company"; number words up to the hundreds.
    assert counts("Five companies are involved.", counted("How many companies are involved?"))
    assert counts("Sixteen turbines stand in the channel.", ["turbin"])
    assert counts("Hundreds of people attended.", ["peopl"])


def test_a_measure_in_a_unit_of_the_kind_asked() -> None:
    assert gives_measure("It needs 1.5 GB of memory.", "data")
    assert gives_measure("plus 28 bytes for the IPv4", "data")
    assert not gives_measure("There are 2 resources available to get the memory usage.", "data")
    assert not gives_measure("See free(1) for the memory in use.", "data")
    assert gives_measure("He was a harbour pilot from 2001 until 2019.", "time")
    assert gives_measure("The deal could be worth $500 billion.", "dollars")
    assert gives_measure("It was out of action for nine days.", "time")
    assert gives_measure("It generated 1,200 GWh last year.", "energy")
    assert not gives_measure("It generated 1,200 GWh last year.", "power")
    assert not gives_measure("The price should fall below £150 per megawatt-hour.", "dollars")


def test_names_skip_the_opening_word_and_stopwords() -> None:
    assert names("What did Kwatra discuss with Senator Marco Rubio?") == ["Kwatra", "Senator", "Marco", "Rubio"]
    assert names("Does the India-US deal cover LNG?") == ["India", "US", "LNG"]
    assert name_stem("Russian") == "Russi" and name_stem("Indian") == "Indi" and name_stem("Modi") == "Modi"


def test_follow_up_detection_and_standalone_query() -> None:
    history = [
        Turn(role="user", content="Who is India's ambassador to the U.S.?"),
        Turn(role="assistant", content="India’s Ambassador is Vinay Mohan Kwatra [1].\n\nSources:\n[1] a.txt"),
    ]
    assert is_follow_up("Which senators did he meet?")
    assert is_follow_up("And the tariffs?")
    assert not is_follow_up("Which senators did Kwatra meet in Washington?")
    asked = standalone("Which senators did he meet?", history)
    assert asked == Standalone(
        query="Which senators did Vinay Mohan Kwatra meet?",
        focus="Which senators did he meet?",
        context="Vinay Mohan Kwatra Who is India's ambassador to the U.S.?",
        referents=("Vinay Mohan Kwatra",),
    )
    assert standalone("Which senators did Kwatra meet in Washington?", history) == Standalone(
        "Which senators did Kwatra meet in Washington?", "Which senators did Kwatra meet in Washington?", ""
    )
    assert standalone("Which senators did he meet?", []).query == "Which senators did he meet?"


def _after(question: str, answer: str) -> list[Turn]:
    return [Turn(role="user", content=question), Turn(role="assistant", content=answer)]


@pytest.mark.parametrize(
    ("history", "follow_up", "query"),
    [
        pytest.param(
            _after("Who founded the Kestrel Lunar Outpost?", "Dr. Mira Okafor founded the outpost in 2031 [1]."),
            "How much power does its reactor produce?",
            "How much power does Kestrel Lunar Outpost’s reactor produce?",
            id="its-names-the-subject-asked-about",
        ),
        pytest.param(
            _after(
                "Which senators did Kwatra meet?", "[Ambassador Kwatra] met with Jeanne Shaheen and Bill Hagerty [1]."
            ),
            "What did the second one discuss?",
            "What did Bill Hagerty discuss?",
            id="ordinal-picks-from-the-answer-not-the-question",
        ),
        pytest.param(
            _after("Which company supplies the turbines?", "The turbines come from Norrland Turbinverk AB [1]."),
            "Which country is it based in?",
            "Which country is Norrland Turbinverk AB based in?",
            id="it-after-which-company-is-the-company-named",
        ),
        pytest.param(
            _after("Who is the mayor?", "[Rosalind Quarrie’s] predecessor, Mayor Duncan Ferrie, opposed it [1]."),
            "What did he oppose?",
            "What did Mayor Duncan Ferrie oppose?",
            id="bracketed-referent-is-not-the-answer",
        ),
        pytest.param(
            _after(
                "Who founded Halvard Tidal Energy?", "Halvard Tidal Energy was founded in 2016 by Ingrid Halvard [1]."
            ),
            "Where did she get her doctorate?",
            "Where did Ingrid Halvard get her doctorate?",
            id="the-person-is-named-once",
        ),
        pytest.param(
            _after(
                "Who founded Halvard Tidal Energy?", "Halvard Tidal Energy was founded in 2016 by Ingrid Halvard [1]."
            ),
            "What did her team build?",
            "What did Ingrid Halvard’s team build?",
            id="her-before-a-noun-is-possessive",
        ),
        pytest.param(
            _after("Who founded the Kestrel Lunar Outpost?", "Dr. Mira Okafor founded the outpost in 2031 [1]."),
            "What IT system does it run?",
            "What IT system does Kestrel Lunar Outpost run?",
            id="an-initialism-is-no-pronoun",
        ),
        pytest.param(
            _after("Who is India's ambassador to the U.S.?", "Vinay Mohan Kwatra [1]."),
            "Is there a way to list installed packages in Debian?",
            "Is there a way to list installed packages in Debian?",
            id="there-in-a-new-question-is-no-reference",
        ),
        pytest.param(
            _after("Who did Kwatra meet?", "He met Piyush Goyal and Jeanne Shaheen [1]."),
            "What did they discuss last?",
            "What did they discuss last? (Kwatra meet)",
            id="a-trailing-last-is-no-ordinal",
        ),
        pytest.param(
            _after("How do I list installed packages?", "Use dpkg -l [1]."),
            "And remove one of them?",
            "And remove one of them? (list installed packages)",
            id="ellipsis-gets-the-topic",
        ),
        pytest.param(
            _after("Which countries does India buy oil from?", "India buys from Russia, Iraq and Nigeria [1]."),
            "How did India react to questions about its imports from the first of those?",
            "How did India react to questions about its imports from Russia?",
            id="own-name-keeps-its-pronoun",
        ),
        pytest.param(
            _after("What tariff did the U.S. impose?", "The U.S. imposed tariffs of 50 per cent [1]."),
            "Who is the US Deputy Secretary of Energy?",
            "Who is the US Deputy Secretary of Energy?",
            id="topic-switch-stands-alone",
        ),
        pytest.param(
            _after("What did the ambassador discuss with the Lockheed Martin CEO?", "Defence industrial base [1]."),
            "Different question - overall, does the blog think this partnership is win-win?",
            "Overall, does the blog think this partnership is win-win?",
            id="a-said-topic-switch-drops-its-words-and-the-old-topic",
        ),
        pytest.param(
            _after("How do I make a raw image of a whole disk?", "# dd if=/dev/sdb of=disk.img [1]."),
            "Unrelated, but how do I change the system timezone on Debian?",
            "How do I change the system timezone on Debian?",
            id="unrelated-but",
        ),
        pytest.param(
            _after(
                "What should we keep an eye on in India-US relations?",
                "Finalisation of the India-US Bilateral Trade Agreement (BTA): watchers should monitor the terms [1].",
            ),
            "How would we know they are serious about following through on all this?",
            "How would we know they are serious about following through on all this? (keep eye India-US relations)",
            id="all-this-is-the-whole-topic-not-a-thing-named",
        ),
        pytest.param(
            _after(
                "What should we keep an eye on in India-US relations?",
                "Finalisation of the India-US Bilateral Trade Agreement (BTA): watchers should monitor the terms [1].",
            ),
            "Is any of that signed yet?",
            "Is any of that signed yet? (keep eye India-US relations)",
            id="any-of-that-points-back",
        ),
        pytest.param(
            _after(
                "How does working with the US help India's supply chains?",
                "India can reduce dependency on single sources in critical sectors [1].",
            ),
            "In which sectors specifically?",
            "In which sectors specifically? (working US help India's supply chains)",
            id="specifically-narrows-what-was-just-said",
        ),
        pytest.param(
            _after("How can I get fsck to run at reboot?", 'Set "enable_periodic_fsck" in "/etc/mke2fs.conf" [1].'),
            "Where do I find the results afterwards?",
            "Where do I find the results afterwards? (get fsck run reboot)",
            id="afterwards-is-after-what-was-just-done",
        ),
        pytest.param(
            _after(
                "Does the tidal project pay anything into a community fund?",
                "A community benefit fund receives £5,000 per installed megawatt each year [1].",
            ),
            "how much per megawatt?",
            "how much per megawatt? (tidal project pay anything community fund)",
            id="a-short-question-naming-nothing-leans-on-the-last",
        ),
        pytest.param(
            _after("Who is the mayor?", "Rosalind Quarrie [1]."),
            "Switching topics: how heavy are the turbine bases?",
            "How heavy are the turbine bases?",
            id="switching-topics",
        ),
        pytest.param(
            _after(
                "How do I list the kernel modules that are loaded right now?",
                "The lsmod(8) program shows what kernel modules are currently loaded [1].",
            ),
            "And how do I get details about one of them?",
            "And how do I get details about one of the kernel modules?",
            id="them-keeps-the-word-before-the-noun",
        ),
        pytest.param(
            _after(
                "whats the number to call if i have questions about my payment?",
                "If you have any questions about your payment, please call our customer incident line on "
                "0808 157 0392 [1].",
            ),
            "can i ring them on a sunday?",
            "can i ring them on a sunday? (number call if questions payment)",
            id="them-after-ring-is-whoever-is-rung-not-the-questions",
        ),
        pytest.param(
            _after("how do i get copies of my certificates?", "Copies of certificates can be posted for £5 [1]."),
            "can i email them instead?",
            "can i email the certificates instead?",
            id="them-after-a-verb-of-sending-is-what-is-sent",
        ),
        pytest.param(
            _after(
                "how do i report missed collections?",
                "Report missed collections by phone on 01632 960 100 within two working days [1].",
            ),
            "can i email them instead?",
            "can i email them instead? (report missed collections)",
            id="them-after-email-is-not-what-cannot-be-sent",
        ),
        pytest.param(
            _after("who are the coaches?", "The coaches are Sam Reid and Priya Shah [1]."),
            "can i ring them?",
            "can i ring the coaches?",
            id="them-after-ring-is-the-people-spoken-of",
        ),
        pytest.param(
            _after("How do I add a desktop user to the netdev group?", "$ sudo adduser foo netdev [1]."),
            "Which command shows who is logged in and what they are doing?",
            "Which command shows who is logged in and what they are doing?",
            id="they-after-a-subject-who-means-whoever-it-is",
        ),
        pytest.param(
            _after("Who founded the Kestrel Lunar Outpost?", "Dr. Amara Lindqvist founded the outpost in 2031 [1]."),
            "Who did she hire first?",
            "Who did Amara Lindqvist hire first?",
            id="she-as-the-subject-after-who-still-points-back",
        ),
        pytest.param(
            _after(
                "Who founded the company behind the Skerrow Sound tidal array?",
                "Halvard Tidal Energy was founded in 2016 by Ingrid Halvard [1].",
            ),
            "What did she do for a living before that?",
            "What did Ingrid Halvard do for a living before that?",
            id="before-that-is-a-time-not-the-subject",
        ),
        pytest.param(
            _after(
                "How do I log into a remote box over SSH without typing a password?",
                'Set "PubkeyAuthentication yes" on the remote system [1].',
            ),
            "Which config file on the server do I have to change for that?",
            "Which config file on the server do I have to change for that? (log remote box over SSH without typing password)",
            id="that-after-a-how-to-is-what-was-done",
        ),
        pytest.param(
            _after(
                "How many turbines go into the first phase of the tidal array?",
                "Phase 1, the demonstration stage: four 1.5 MW turbines [1].",
            ),
            "What about the second phase?",
            "What about the second phase? (many turbines go phase tidal array)",
            id="a-new-number-replaces-the-old-one",
        ),
        pytest.param(
            _after(
                "How can I see which process has /var/log/mail.log open?",
                'You can identify processes using files by fuser(1), e.g. for "/var/log/mail.log" [1].',
            ),
            "Can the same tool show what's listening on the SMTP port?",
            "Can fuser show what's listening on the SMTP port?",
            id="the-same-tool-is-the-command-the-answer-named",
        ),
        pytest.param(
            _after(
                "Who supplies the turbines for the array?",
                "The turbines are supplied by Norrland Turbinverk AB, a manufacturer based in Sweden [1].",
            ),
            "What's their contract worth?",
            "What's Norrland Turbinverk AB’s contract worth?",
            id="they-after-who-is-whoever-the-answer-named",
        ),
        pytest.param(
            _after(
                "Who supplies the turbines for the array?",
                "The turbines are supplied by Norrland Turbinverk AB, a manufacturer based in Sweden [1].",
            ),
            "What has the company asked them to do about the bearings?",
            "What has the company asked Norrland Turbinverk AB to do about the bearings?",
            id="them-after-who-is-not-what-the-question-named",
        ),
        pytest.param(
            _after(
                "What's on the agenda for the Norway-Sweden energy talks?",
                "The agenda covers grid links and hydrogen [1].",
            ),
            "does it include anything on fisheries?",
            "does it include anything on fisheries? (agenda Norway-Sweden energy talks)",
            id="it-is-not-two-countries-joined",
        ),
        pytest.param(
            _after(
                "How do I back up my home directory every night?",
                "Use cron(8) to schedule tasks regularly [1].",
            ),
            "what if the machine is off at night?",
            "what if the machine is off at night? (back up home directory every night)",
            id="what-if-changes-the-case-just-talked-about",
        ),
        pytest.param(
            _after(
                "who's priya okonkwo-lisle?",
                "Priya Okonkwo-Lisle, who manages the export cable and the onshore substation [1]. "
                "Mateo Farrant, who runs the vessels, the divers and the weather windows [1].",
            ),
            "how long is the export cable she designed?",
            "how long is the export cable Priya Okonkwo-Lisle designed?",
            id="she-after-who-is-x-typed-in-lower-case-is-x",
        ),
        pytest.param(
            _after(
                "what did tobias renwick do before joining?",
                "Ingrid Halvard hired Dr. Tobias Renwick in 2017 [1]. "
                "He worked on wind turbines in Denmark before [1].",
            ),
            "where did he study?",
            "where did Tobias Renwick study?",
            id="he-is-the-person-the-question-named-in-lower-case",
        ),
        pytest.param(
            [
                *_after(
                    "Who is India's ambassador to the US?",
                    "Recently, India’s Ambassador to the U.S., Vinay Mohan Kwatra, held meetings with key U.S. "
                    "figures [1].",
                ),
                *_after(
                    "Who did he meet from the Senate Foreign Relations Committee?",
                    "[Ambassador Kwatra] met with Jeanne Shaheen, the Ranking Member of the U.S. Senate Foreign "
                    "Relations Committee [1].",
                ),
            ],
            "And which senator from Tennessee did he talk to?",
            "And which senator from Tennessee did Vinay Mohan Kwatra talk to?",
            id="he-again-is-whom-the-last-question-s-he-meant",
        ),
        pytest.param(
            _after(
                "Who was John Smith's successor as chief executive?",
                "Mary Jones succeeded John Smith as chief executive in 2019 [1].",
            ),
            "When did she take over?",
            "When did Mary Jones take over?",
            id="who-was-x-s-successor-asks-for-the-successor",
        ),
        pytest.param(
            [
                *_after(
                    "how long do you get to keep board games?",
                    "Board games can be borrowed for two weeks [1].",
                ),
                *_after("can i extend that?", "Board games cannot be renewed [1]."),
            ],
            "why not?",
            "why not? (extend long get keep board games)",
            id="an-ellipsis-after-an-ellipsis-is-about-what-the-first-question-asked",
        ),
        pytest.param(
            _after("what do i need to bring with me to sign up?", "To join, bring one document [1]."),
            "my son is 12, can he join by himself?",
            "my son is 12, can he join by himself?",
            id="he-after-a-clause-of-the-asker-s-own-is-whom-it-named",
        ),
    ],
)
def test_standalone_query(history: list[Turn], follow_up: str, query: str) -> None:
    assert standalone(follow_up, history).query == query


def test_the_words_an_ellipsis_leans_on_are_those_of_the_question_it_follows_as_resolved() -> None:
    # "why not?" after "can i extend that?": the sentence that answers it is found by the
    # board games the first question named, which "can i extend that?" only points to.
    history = [
        *_after("how long do you get to keep board games?", "Board games can be borrowed for two weeks [1]."),
        *_after("can i extend that?", "I could not find the answer to that in the indexed documents."),
    ]
    assert standalone("why not?", history).context == "can i extend that? (long get keep board games)"
    # Each step once, however long the chain: the third short question is still about them.
    history += _after("why not?", "Board games cannot be renewed [1].")
    assert standalone("and is that fair?", history).query == "and is that fair? (not extend long get keep board games)"


def test_an_opening_conjunction_does_not_hide_what_is_asked() -> None:
    assert asks_how("And how do I get details about one of them?") is True
    assert asks_for_person("So who met the senator?") is True
    assert asks_where("But where is it built?") is True
    assert asks_how("Androids know how to do it?") is False


@pytest.mark.parametrize(
    "question",
    [
        "I created an SSH key without a passphrase. How do I add one now?",
        "Before a release upgrade, how can I dry-run it to gauge the impact?",
        "Android: how do I root it?",
    ],
)
def test_a_how_to_asked_after_a_clause_or_sentence_is_a_how_to(question: str) -> None:
    assert asks_how(question) is True


def test_how_inside_a_clause_is_no_how_to() -> None:
    assert asks_how("What does the manual say about how to configure it?") is False


def _risks_listed() -> list[Turn]:
    return [
        Turn(role="user", content="What are the main risks listed for the tidal array?"),
        Turn(
            role="assistant",
            content="The board has identified three main risks [Biofouling; Cable scour; Supply chain] [1].",
        ),
    ]


def test_the_second_one_is_the_second_item_named_in_brackets() -> None:
    history = _risks_listed()
    asked = standalone("What is being done about the second one?", history)
    assert (asked.query, asked.focus, asked.referents) == (
        "What is being done about Cable scour? (main risks listed tidal array)",
        "What is being done about Cable scour?",
        ("Cable scour",),
    )


def test_the_final_one_is_the_last_item() -> None:
    history = _risks_listed()
    asked = standalone("And the final one on that list, what's the worry there?", history)
    assert asked.referents == ("Supply chain",)
    assert asked.focus == "And Supply chain on that list, what's the worry there?"


def test_walking_a_list_the_next_ordinal_is_an_item_of_the_same_list() -> None:
    listing = "The board has identified three main risks [Biofouling; Cable scour; Supply chain] [1]."
    history = [
        Turn(role="user", content="What are the main risks listed for the tidal array?"),
        Turn(role="assistant", content=listing),
        Turn(role="user", content="What is being done about the second one?"),
        Turn(
            role="assistant", content="The survey team inspects the cable route twice a year [1]. It costs little [1]."
        ),
    ]
    asked = standalone("And the third?", history)
    assert (asked.query, asked.referents) == ("And Supply chain? (main risks listed tidal array)", ("Supply chain",))


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("How do I set the name that git records on my commits for all repositories?", False),
        ("Which package provides the tool that converts line endings?", False),
        ("How do I undo that?", True),
        ("Is that free?", True),
        ("What happened after that?", True),
        ("Who signed that agreement?", True),
    ],
)
def test_a_relative_that_after_a_noun_points_back_to_nothing(question: str, follows: bool) -> None:
    assert is_follow_up(question) is follows


@pytest.mark.parametrize(
    ("question", "how_to"),
    [
        ("Can fuser show what's listening on the SMTP port?", True),
        ("Can I keep the old kernel when I upgrade?", True),
        ("Could apt remove the configuration files too?", True),
        ("Can India afford to buy more oil?", False),
        ("Can the deal survive the election?", False),
        ("Can this deal survive?", False),
        ("Can we expect a deal this year?", False),
    ],
)
def test_whether_a_tool_or_i_can_do_something_is_a_how_to(question: str, how_to: bool) -> None:
    # "Can fuser show ...?" asks for the command line that does it, not for yes or no.
    assert asks_how(question) is how_to


def test_the_same_tool_is_part_of_what_the_follow_up_asks() -> None:
    # The answer is picked by the focus: without "fuser" in it, only "SMTP" is the
    # follow-up's own, and the earlier answer about the log file wins again.
    history = _after(
        "How can I see which process has /var/log/mail.log open?",
        'You can identify processes using files by fuser(1), e.g. for "/var/log/mail.log" [1].',
    )
    asked = standalone("Can the same tool show what's listening on the SMTP port?", history)
    assert (asked.focus, asked.referents) == ("Can fuser show what's listening on the SMTP port?", ("fuser",))


@pytest.mark.parametrize(
    ("question", "work"),
    [
        ("What did she work as before that?", True),
        ("What was his job before he joined?", True),
        ("Which profession did Renwick train for?", True),
        ("Which package turns APT's daily download job into automatic upgrades?", False),
        ("Which job runs the backup?", False),
        ("How do I schedule my job to run nightly?", False),
        ("Does anacron work as a replacement for cron?", False),
        # What someone did before a time is the work they did then.
        ("what did she do before her phd?", True),
        ("What did Ingrid Halvard do before founding the company?", True),
        ("What did the company do before 2020?", False),
        ("What did India do before the summit?", False),
        ("What did he do before the meeting?", False),
    ],
)
def test_a_question_for_someones_line_of_work(question: str, work: bool) -> None:
    assert asks_for_work(question) is work


@pytest.mark.parametrize(
    ("sentence", "work"),
    [
        ("She spent eleven years designing hulls as a naval architect.", True),
        ("Mateo Farrant, a former harbour pilot, schedules all offshore work.", True),
        ("Renwick joined as chief turbine engineer in 2017.", True),
        ("India insists it will not be rushed (said by Commerce Minister Piyush Goyal).", True),
        ("He met U.S. Deputy Secretary of Energy, James Danly.", True),
        ("The Minister's office did not reply.", False),
        ("As a result, the work was delayed.", False),
        ("She later completed a doctorate on turbulence.", False),
        ("Run the command as root.", False),
        ("Log in as the root user.", False),
    ],
)
def test_a_sentence_naming_a_line_of_work(sentence: str, work: bool) -> None:
    assert names_work(sentence) is work


@pytest.mark.parametrize(
    ("history", "follow_up", "query"),
    [
        pytest.param(
            _after(
                "Which college is the company working with on an apprenticeship course?",
                "Ingrid Halvard has said the town could train engineers, and the company is already working "
                "with Westmarch College on an apprenticeship course [1].",
            ),
            "When does it take its first students?",
            "When does Westmarch College take its first students?",
            id="which-college-is-the-name-ending-in-college",
        ),
        pytest.param(
            _after(
                "Which file holds the hostname that's set when the system boots?",
                'The system hostname is set at boot time to the name stored in "/etc/hostname" [1].',
            ),
            "Should I put the full domain name in there?",
            "Should I put the full domain name in /etc/hostname?",
            id="in-there-is-the-file-the-how-to-answer-named",
        ),
        pytest.param(
            _after(
                "Is there a way to keep my shell on a remote machine alive if the connection drops?",
                "screen(1) allows remote shell process to survive interrupted connections [1].",
            ),
            "Nice. How do I open a new window inside it?",
            "Nice. How do I open a new window inside screen?",
            id="it-is-the-command-the-how-to-answer-named",
        ),
        pytest.param(
            _after(
                "What's the difference between a hard link and a symbolic link?",
                "It is generally preferable to use symbolic links rather than hardlinks [1].",
            ),
            "Which of the two should I normally go for?",
            "Which of the two should I normally go for? (difference between hard link symbolic link)",
            id="the-two-are-the-things-just-compared",
        ),
        pytest.param(
            _after(
                "Did the Indian ambassador meet anyone from the US defence industry?",
                "Ambassador Kwatra held meetings with key U.S. figures including senators [1].",
            ),
            "What was the point of meeting them?",
            "What was the point of meeting them? (Indian ambassador meet anyone US defence industry)",
            id="meetings-are-no-noun-the-question-asked-about",
        ),
        pytest.param(
            _after(
                "How do I schedule a command to run regularly, like every night?",
                'Use cron(8) and "crontab -e" [1].',
            ),
            "My laptop isn't switched on all the time though, what should I use then?",
            "My laptop isn't switched on all the time though, what should I use then? "
            "(schedule command run regularly like every night)",
            id="then-at-the-end-is-in-that-case",
        ),
        pytest.param(
            _after(
                "What energy topics came up in the ambassador's talks?",
                "Kwatra held talks with U.S. Deputy Secretary of Energy James Danly on energy security [1]. "
                "Kwatra also met senators on trade [2].",
            ),
            "What could happen with the first of those?",
            "What could happen with the first of those? "
            "(Kwatra held talks U.S. Deputy Secretary Energy James Danly energy security)",
            id="the-first-of-those-is-one-phrase-and-the-first-sentence-whole",
        ),
    ],
)
def test_what_a_follow_up_points_back_to(history: list[Turn], follow_up: str, query: str) -> None:
    assert standalone(follow_up, history).query == query


def test_is_there_a_way_asks_how() -> None:
    assert asks_how("Is there a way to keep my shell alive if the connection drops?") is True
    assert asks_how("Is there a package that warns me about release-critical bugs?") is True
    assert asks_how("Is there a deal on the table?") is False
    assert asks_how("Is there a stimulus package?") is False


@pytest.mark.parametrize(
    "question",
    [
        "What are the two main tariffs?",
        "If the disk fills up, what happens then?",
        "Are both packages in main?",
        "Who signed the two agreements?",
    ],
)
def test_a_new_question_naming_its_own_things_stands_alone(question: str) -> None:
    history = _after("How do I install nginx?", 'Run "apt install nginx" [1].')
    assert standalone(question, history).query == question


@pytest.mark.parametrize(
    ("follow_up", "query"),
    [
        ("Should I put it in there?", "Should I put it in /etc/hostname?"),
        ("Is it possible to change it without a reboot?", "Is it possible to change /etc/hostname without a reboot?"),
    ],
)
def test_the_file_a_how_to_named_replaces_one_reference_to_it(follow_up: str, query: str) -> None:
    history = _after("Which file holds the hostname?", 'The name is stored in "/etc/hostname" [1].')
    assert standalone(follow_up, history).query == query


def test_a_quoted_phrase_is_no_command_an_it_could_mean() -> None:
    history = _after("How do I check the trade deal's status?", "The deal is said to be “very near” conclusion [1].")
    assert "very" not in standalone("When will it be signed?", history).query.split()[:3]


def test_the_first_ones_in_a_question_walk_nothing_back() -> None:
    history = _after(
        "Which turbines were the first ones installed?",
        "Four turbines went in first, in 2022 [1]. Two Nova turbines followed in March 2023 [1].",
    )
    assert standalone("And the second one?", history).query == (
        "And the second one? (Two Nova turbines followed March 2023)"
    )


def test_what_is_in_it_for_someone_has_no_it_to_resolve() -> None:
    history = _after(
        "What benefits does India get out of the partnership?",
        "Enhanced U.S. partnership gives India more strategic weight in global fora [1].",
    )
    asked = standalone("And what's in it for the US?", history)
    assert asked.query == "And what's in it for the US? (benefits India get out partnership)"
    assert asked.referents == ()
    assert plain("And what's in it for the US?") == "And what benefits for the US?"


def test_tell_me_more_is_about_the_last_question_as_it_was_resolved() -> None:
    history = [
        *_after(
            "How do I keep my shell alive if the connection drops?",
            "Please use the screen(1) program to enable remote shell process to survive the interrupted connection [1].",
        ),
        *_after("How do I open a new window inside it?", "[^A c] create a new window and switch to it [1]."),
    ]
    assert standalone("Tell me more.", history).query == "Tell me more. (open new window inside screen)"


@pytest.mark.parametrize(
    ("question", "more"),
    [
        ("Tell me more.", True),
        ("Can you tell me more about him?", True),
        ("Can you say more about the first of those?", True),
        ("What else did he do?", True),
        ("And what else?", True),
        ("Go on.", True),
        ("Can you show more details about the budget?", True),
        ("Which tells more about the budget?", False),
        ("How do I tell git to show more context lines?", False),
        ("Did the minister say more funding was needed?", False),
        ("Is there anything else I need to install?", False),
        # A question after the request is what is asked: "when would I need it?".
        ("tell me more, when would I actually need it?", False),
        ("Tell me more: why did they pick that site?", False),
        ("Tell me more about it, please.", True),
        ("Tell me more, please. I liked that.", True),
    ],
)
def test_only_a_request_for_more_asks_for_more(question: str, more: bool) -> None:
    assert asks_for_more(question) is more


@pytest.mark.parametrize(
    ("question", "again"),
    [
        ("What about the second phase?", True),
        ("And how about from inside vim?", True),
        ("What is the second phase about?", False),  # a question of its own
        ("How about we talk about the costs?", False),  # a new topic, not the same question
    ],
)
def test_what_about_asks_what_the_question_before_asked(question: str, again: bool) -> None:
    before = "How many turbines go into the first phase?"
    assert asked_as(question, before) == (before if again else question)
    assert expected_type(asked_as(question, before)) == ("count" if again else expected_type(question))
    assert asked_as(question, "") == question  # nothing before: the question itself


def test_a_question_using_the_word_more_is_still_the_topic_of_the_next_follow_up() -> None:
    history = [
        *_after("What did Kwatra discuss with the senators?", "Kwatra discussed a trade pact [1]."),
        *_after("How do I tell git to show more context lines?", 'Use "git diff -U10" [1].'),
    ]
    assert "Kwatra" not in standalone("Does it work for merges too?", history).query


def test_only_whats_in_it_for_leaves_its_it_unresolved() -> None:
    history = _after("How do I keep a shell alive?", "Please use the screen(1) program [1].")
    assert standalone("Can I set a scrollback limit in it for each window?", history).query == (
        "Can I set a scrollback limit in screen for each window?"
    )


@pytest.mark.parametrize(
    ("question", "path"),
    [
        ("What path does the river take?", False),
        ("Where were the prisoners kept?", False),
        ("Which file format does Chroma use?", False),
        ("Where are the log files kept?", True),
    ],
)
def test_questions_that_do_not_ask_for_a_path(question: str, path: bool) -> None:
    assert asks_for_path(question) is path


@pytest.mark.parametrize(
    "phrase",
    [
        "It brought to the table new ideas.",
        "What's in it for them?",
        "What does she do for a living?",
        "He sailed for a living.",
        "Can you sum up the plan?",
        "In a nutshell, it works.",
        "All in all, the trial worked.",
        "They keep an eye on costs.",
        "How do I get rid of it?",
        "The filter was turned on.",
        "It was switched off at night.",
        "How do I turn on logging?",
        "Switching off the pump stops it.",
        "Can you figure out why?",
        "They came up with a plan.",
        "Who was in charge of the vessel?",
        "When did the launch take place?",
        "What is the bottom line?",
        "How far off is the deal?",
        "Can I jump straight over the check?",
        "They put off the vote.",
        "Who carried out the survey?",
        "Which files are left out?",
        "What does that add up to?",
        "What is the price right now?",
        "How heavy is the base?",
        "Did both sides come out ahead?",
        "Which team is coming out on top?",
        "Why would it come down?",
        "What is ssh made up of on debian?",
        "How long was it out of action?",
        "How many places were in the running?",
        "How quickly does the tide flow?",
        "He is off sick.",
        "When did they come back?",
        "Is there money off?",
        "When are the subs due?",
    ],
)
def test_every_idiom_is_read_as_its_plain_words(phrase: str) -> None:
    # Each idiom is read, whatever words the quick check before the patterns looks for.
    assert plain(phrase) != phrase


@pytest.mark.parametrize(
    ("question", "several"),
    [
        ("Which tools does e2fsprogs give me for ext4 filesystems?", True),
        ("What commands can I use to list files?", True),
        ("What are the main risks?", True),
        ("Which file holds the hostname?", False),
        ("Which process uses the port?", False),
        ("What does the plan say?", False),
        ("what are its opening hours?", False),
        ("What is the status?", False),
        # Asked how something is split up, its parts.
        ("how is the construction split up?", True),
        ("What phases is the construction split into?", True),
        ("What does the array consist of?", True),
        ("how do I split a file?", False),
        ("what is a split view?", False),
        # A day of the week, in the plural, is the day asked about.
        ("what about sundays?", False),
    ],
)
def test_a_question_for_several_things(question: str, several: bool) -> None:
    assert asks_for_several(question) is several


def test_a_sentence_opening_adverb_is_no_name_an_it_could_mean() -> None:
    history = _after(
        "What formal talks are Norway and Sweden setting up?",
        "Rather than meeting now and then, the two governments are holding yearly talks on grids [1].",
    )
    asked = standalone("why bother formalising it though?", history)
    assert "Rather" not in asked.query
    assert asked.query == "why bother formalising it though? (formal talks Norway Sweden setting up)"


@pytest.mark.parametrize(
    "question",
    [
        # The pronoun's noun is the question's own: an earlier sentence of it, or the
        # subject of the clause that a "when" or "if" hangs on.
        "has the us hit indian goods with tariffs before? how high were they",
        "which export sectors does the post flag when it talks about tariffs",
        "Does the disk need checking before it fails?",
    ],
)
def test_a_pronoun_whose_noun_the_question_gives_stands_alone(question: str) -> None:
    history = _after("What did Goyal say about the trade deal?", "Goyal said India will not sign in a hurry [1].")
    assert is_follow_up(question) is False
    assert standalone(question, history).query == question


@pytest.mark.parametrize(
    ("follow_up", "query"),
    [
        ("how does sweden see norway's role there?", "how does sweden see norway's role Baltic Sea?"),
        ("how quick does the water get through there", "how quick does the water get through Baltic Sea"),
    ],
)
def test_there_closing_a_question_is_the_place_talked_about(follow_up: str, query: str) -> None:
    history = _after("Why does the Baltic Sea matter so much for Nordic ties?", "The Baltic Sea links their ports [1].")
    assert is_follow_up(follow_up) is True
    assert standalone(follow_up, history).query == query


def test_there_after_a_verb_of_being_is_no_place() -> None:
    assert is_follow_up("Is there any battery storage at the site?") is False
    assert is_follow_up("Which other tools for checking disks are there?") is False


def test_a_different_thing_switches_the_topic() -> None:
    history = _after("Which senators did Kwatra meet?", "Kwatra met Bill Hagerty [1].")
    asked = standalone("ok different thing - which export sectors does the post flag?", history)
    assert asked.query == "Which export sectors does the post flag?"


def test_the_second_one_after_which_senators_is_the_second_senator_named() -> None:
    # "the Ranking Member" is an office the answer names, not a person of the list.
    history = _after(
        "which US senators did he meet?",
        "[Ambassador Kwatra] met with Jeanne Shaheen, the Ranking Member of the Senate Committee [1]. "
        "[Ambassador Kwatra] also engaged with Senator Bill Hagerty from Tennessee [1].",
    )
    assert asks_for_people("which US senators did he meet?") is True
    assert standalone("where's the second one from", history).query == "where's Senator Bill Hagerty from"


def test_they_after_an_answer_naming_one_person_twice_is_that_person() -> None:
    history = _after(
        "Which US energy official did the Indian envoy talk to?",
        "India’s envoy, Ambassador Kwatra, met senior U.S. officials [1]. "
        "Recently, India’s Ambassador to the U.S., Vinay Mohan Kwatra, held meetings with energy officials [2].",
    )
    asked = standalone("What kind of energy trade did their conversation focus on?", history)
    assert asked.query == "What kind of energy trade did Ambassador Kwatra’s conversation focus on?"


@pytest.mark.parametrize("first", ["Who makes the turbines?", "Which company makes the turbines?"])
def test_that_company_is_the_company_the_answer_named(first: str) -> None:
    history = _after(first, "The turbines are supplied by Norrland Turbinverk AB, a manufacturer based in Sweden [1].")
    asked = standalone("who runs that company?", history)
    assert asked.query == "who runs Norrland Turbinverk AB?"
    assert asked.referents == ("Norrland Turbinverk AB",)


def test_the_last_one_of_quotes_opening_in_lower_case_is_the_last_quote() -> None:
    # A command opens each item in lower case, so only the markers end the quotes.
    history = _after(
        "Which tools does e2fsprogs give me for ext4 filesystems?",
        "mkfs.ext4(8) to create new ext4 filesystem [1]. fsck.ext4(8) to check and to repair existing ext4 "
        "filesystem [1]. tune2fs(8) to configure superblock of ext4 filesystem [1]. debugfs(8) to debug ext4 "
        "filesystem interactively [1].",
    )
    asked = standalone("what's handy about the last one?", history)
    assert asked.query == "what's handy about the last one? (debugfs 8 debug ext4 filesystem interactively)"
    assert asked.referents == ("debugfs 8 debug ext4 filesystem interactively",)


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("is there one with a full-screen text interface?", True),
        ("Are there ones that run without a window?", True),
        ("Is there a way to list the packages installed by hand?", False),
    ],
)
def test_is_there_one_asks_for_one_of_what_the_question_before_asked_for(question: str, follows: bool) -> None:
    assert is_follow_up(question) is follows


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("Who is Vinay Mohan Kwatra?", False),
        ("who's Jeanne Shaheen", False),
        ("Who was Danly?", False),
        ("Who is India's ambassador to the US?", True),
        ("Who is the CEO of Lockheed Martin?", True),
        ("Who met Danly?", True),
        ("Who is he?", True),
    ],
)
def test_who_is_a_name_asks_what_the_person_is_not_for_a_name(question: str, person: bool) -> None:
    assert asks_for_person(question) is person


@pytest.mark.parametrize(
    ("sentence", "question", "new"),
    [
        # A title and the surname the question gives: the same man.
        (
            "India’s envoy in Washington, Ambassador Kwatra, met with senior U.S. senators.",
            "which US senators did Vinay Mohan Kwatra meet?",
            False,
        ),
        ("He met with Jeanne Shaheen, the Ranking Member.", "which US senators did Vinay Mohan Kwatra meet?", True),
        # A given name makes her someone else than the company named after her.
        ("Halvard Tidal Energy was founded in 2016 by Ingrid Halvard.", "who started Halvard Tidal Energy?", True),
    ],
)
def test_someone_new_is_not_the_person_the_question_names_by_surname(sentence: str, question: str, new: bool) -> None:
    assert names_someone_new(sentence, question) is new


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Must I go into single user mode in order to upgrade a package?", True),
        ("Can I automatically update the system?", True),
        ("Is there a way to list installed packages?", True),
        ("and does it work on an SSD too?", True),
        ("How are packages upgraded in a running system?", False),
        ("What is the latest version of Debian?", False),
        ("Which tool should I use?", False),
        ("Do", False),
        ("Doesn't it work offline?", True),
        ("Does ls show sizes in bytes?", True),
        ("Do you know who wrote dpkg?", False),
        ("Can you explain how apt works?", False),
        ("May 2020 releases?", False),
    ],
)
def test_a_question_answered_yes_or_no_opens_with_its_verb(question: str, expected: bool) -> None:
    assert asks_yes_or_no(question) is expected


def test_it_after_what_caused_is_the_thing_asked_about_not_a_name_of_the_answer() -> None:
    # "[O]ne" is the quote's capital, not a name; "What caused ...?" asks with a verb, so
    # "A404", named in passing, is not what "it" means.
    history = _after(
        "what caused the battery fire?",
        "[O]ne e-bike battery caught fire while charging at the depot [1]. "
        "Most thefts happened at night at the three stations closest to the A404 [1].",
    )
    asked = standalone("when did it happen?", history)
    assert asked.query == "when did it happen? (caused battery fire)"
    assert asked.referents == ()


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        # Typed without apostrophes, "whats" is "what's"; "happen" names no event.
        ("whats the number to ring?", ["number", "ring"]),
        ("hows the scheme funded?", ["scheme", "fund"]),
        ("when did it happen?", []),
        ("what happened to the stolen bikes?", ["stolen", "bike"]),
    ],
)
def test_words_that_ask_nothing_are_not_content(question: str, terms: list[str]) -> None:
    assert content_terms(question) == terms


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("whats the number to ring?", "phone"),
        ("what is the helpdesk phone number?", "phone"),
        ("What number should I call about a repair?", "phone"),
        ("what number do i dial at night?", "phone"),
        ("How many numbers are there?", "count"),
        ("What number of staff work there?", "count"),
        # Someone's number is their telephone number, and whoever one calls is reached by one.
        ("whats his number", "phone"),
        ("ok, what's their phone number?", "phone"),
        ("what is her number at the office", "phone"),
        ("what is their number of staff", "count"),
        ("what is their number one priority", "any"),
        ("whats his number plate", "any"),
        # Whoever one calls may be named rather than numbered ("call your line manager").
        ("who do i call if i am ill", "any"),
        ("who do i speak to about a refund", "any"),
        ("who called the meeting", "any"),
    ],
)
def test_the_number_to_ring_asks_for_a_telephone_number(question: str, kind: str) -> None:
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # How much something is, pointed at or named after "for", is its price.
        ("how much is it", "money"),
        ("how much r they", "money"),
        ("how much are those?", "money"),
        ("how much for the beginners' course", "money"),
        ("how much is that in euros", "money"),
        ("how much is this bed?", "money"),
        # Not how much it does something.
        ("how much is it expected to grow", "quantity"),
        ("how much is it in kg?", "quantity"),
        ("how much for longer can i stay", "quantity"),
        ("how much clay comes with it", "quantity"),
        # Money back is a refund, which a rule gives, not a price.
        ("do i get my money back if i cancel", "any"),
        ("if i cancel 5 days before do i get my money back?", "any"),
    ],
)
def test_how_much_it_is_asks_for_a_price(question: str, kind: str) -> None:
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # What the asker says first is no part of what the question asks.
        ("my lad's 13, when does his club run?", "date"),
        ("hi, when does the club run?", "date"),
        ("im new here, what time do you open on sundays", "hours"),
        ("different topic, i want to learn to lead myself - whats the price of the course", "money"),
        # A scene set without its comma, before a verb and its subject, asks no date: "when
        # shes 14 can she come on her own" asks whether she can; "when can i come" asks when.
        ("and when shes 14 can she come climb on her own without me?", "any"),
        ("when can i come", "date"),
        ("when does the club run", "date"),
        ("when is it open and can i book", "date"),
        ("when does the course start and can i book it", "date"),
        # A first clause that is itself a question is what it asks.
        ("what did the report say, when was it", "any"),
        ("who runs it, when does it start", "any"),
        # Nor is a question about what the first clause names.
        ("the opening hours, what are they?", "hours"),
        ("your phone number, what is it?", "phone"),
    ],
)
def test_what_the_asker_says_first_does_not_type_the_question(question: str, kind: str) -> None:
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("sentence", "holds"),
    [
        ("Call the helpdesk on 01632 960 418 and then tell the manager.", True),
        ("Ring the repairs line on 01632 960418, which is staffed from 8am.", True),
        ("Phone +44 20 7946 0958 or (555) 010-4477.", True),
        ("In an emergency, call 999.", True),
        ("It was installed in March 2024 using a £1,450 grant.", False),
        ("The scheme counted 214,600 trips and 1,200 members in 2025.", False),
        ("Pass the crime reference number to the practice manager.", False),
        ("The gauge reads between 0.9 m and 1.3 m.", False),
    ],
)
def test_a_telephone_number_is_seven_digits_or_an_emergency_line(sentence: str, holds: bool) -> None:
    assert satisfies(sentence, "phone") is holds


@pytest.mark.parametrize(
    ("question", "weekday"),
    [
        ("which nights can i use it", True),
        ("what days is the clinic on?", True),
        ("which evenings do they run tours", True),
        ("which weekdays is it open", True),
        ("which day of the month is it", False),
        ("what day do they collect the bins", True),
        ("how many days does it take", False),
        ("what time does it open", False),
    ],
)
def test_which_nights_asks_for_a_day_of_the_week(question: str, weekday: bool) -> None:
    assert asks_for_a_weekday(question) is weekday
    if weekday:
        assert expected_type(question) == "date"


def test_what_time_asks_for_a_time_of_day() -> None:
    assert expected_type("what time do the server backups run?") == "clock"
    assert expected_type("what time have the bins got to be out") == "clock"
    assert expected_type("what time would the courier come?") == "clock"
    assert expected_type("what time of year is busiest?") == "date"
    assert satisfies("The account was locked at 10:52 am.", "date")
    assert not satisfies("A full backup runs every Sunday.", "clock")
    backups = (
        "A full backup runs every Sunday and is kept for 12 weeks. "
        "The file server is backed up every night at 11:30 pm to an encrypted storage unit."
    )
    hits = [Hit(Chunk("a", backups, "a.txt", "", (), 0, 0, len(backups)), score=0.6)]
    answer = ExtractiveAnswerer().answer("what time do the server backups run?", hits)
    assert answer.answer.startswith("The file server is backed up every night at 11:30 pm")


def test_it_after_what_hours_is_not_a_word_opening_the_answer() -> None:
    # "What hours ...?" is answered by times: "Outside", opening a sentence, names nothing.
    history = _after(
        "what hours is it manned?",
        "The repairs line is staffed from 8am to 6pm, Monday to Friday [1]. "
        "Outside office hours the same phone number puts you through to our emergency call handlers [1].",
    )
    asked = standalone("so who picks up if i ring it at night", history)
    assert asked.query == "so who picks up if i ring it at night (hours manned)"


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("what does that tell us?", []),
        ("This tells us that India wants more.", ["tell", "india", "want"]),
        # The country, typed in lower case or not.
        ("how did the us react?", ["us", "react"]),
        ("Trade with the US grew.", ["trade", "us", "grew"]),
    ],
)
def test_us_after_a_verb_is_the_pronoun_not_the_country(text: str, terms: list[str]) -> None:
    assert terms_of(text) == terms


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("how much of the plot has to be cultivated", "under cultivation"),
        ("is my dog vaccinated", "vaccination records"),
        ("can you accommodate a wheelchair", "accommodation"),
        ("how is it estimated", "an estimation"),
    ],
)
def test_a_word_in_ate_meets_its_noun_in_ation(asked: str, written: str) -> None:
    assert terms_of(written)[0] in terms_of(asked)


def test_short_words_in_at_and_ate_keep_their_ending() -> None:
    # "rate", "private", "format", "created" are whole words, not "r", "priv", "form", "cre".
    assert terms_of("rate private format created habit") == ["rate", "private", "format", "creat", "habit"]
    # A noun in "-ate" or "-at" is a word of its own: no doctor is a doctorate, no temple
    # a template, no habit a habitat; a PhD still is a doctorate.
    for one, other in [
        ("doctor", "doctorate"),
        ("temples", "template"),
        ("habit", "habitat"),
        ("candid", "candidates"),
    ]:
        assert set(terms_of(one)).isdisjoint(terms_of(other)), (one, other)
    assert terms_of("her phd") == terms_of("a doctorate")


@pytest.mark.parametrize(
    ("question", "follow_up", "overview"),
    [
        ("whats this document about?", False, True),
        ("What is this post about?", True, True),
        ("what are these documents about?", False, True),
        ("Can you summarize this document?", False, True),
        ("summarise the post", True, True),
        ("give me an overview", False, True),
        ("tl;dr", False, True),
        ("So what is this all about?", False, True),
        # In a conversation, "it" is what the conversation was on.
        ("what is it about?", False, True),
        ("what is it about?", True, False),
        # Something in the documents, not the documents.
        ("What is the BTA about?", False, False),
        ("How does the author sum up the partnership overall?", False, False),
        ("summarise the partnership", False, False),
    ],
)
def test_what_the_documents_are_about_is_an_overview(question: str, follow_up: bool, overview: bool) -> None:
    assert asks_for_overview(question, follow_up) is overview


@pytest.mark.parametrize(
    "question",
    ["how much is the yearly membership fee?", "what's the bus fare?", "how much is the rent on a flat?"],
)
def test_a_fee_fare_or_rent_asks_for_money(question: str) -> None:
    assert expected_type(question) == "money"


def test_whos_in_charge_asks_for_no_money() -> None:
    assert expected_type("whos in charge of safety at the rowing club?") == "any"


def test_they_after_which_company_is_the_company_not_a_title_named_first() -> None:
    history = _after(
        "which company actually does the day to day repairs?",
        "Our Head of Property, Ahmed Rashid, reports these figures to the board every quarter [1]. "
        "Most day-to-day repairs are carried out by Northgate Property Services, which has held our "
        "responsive repairs contract since April 2022 [2].",
    )
    asked = standalone("how long have they had the contract", history)
    assert asked.query == "how long have Northgate Property Services had the contract"


def test_fees_named_as_a_topic_ask_for_no_money() -> None:
    assert expected_type("What level did the committee set port fees for region 00?") == "any"


def test_what_time_without_a_time_of_day_is_answered_by_the_day() -> None:
    text = "The deadline for laptop returns is 31 March 2026. Laptops go back to the IT office."
    hits = [Hit(Chunk("a", text, "a.txt", "", (), 0, 0, len(text)), score=0.6)]
    answer = ExtractiveAnswerer().answer("What time is the deadline for laptop returns?", hits)
    assert answer.answer == "The deadline for laptop returns is 31 March 2026 [1]."
    assert expected_type("what times do the buses run?") == "clock"


def test_a_quote_opening_with_an_edited_capital_is_still_a_sentence_of_its_own() -> None:
    history = _after(
        "what happened at the depot?",
        "The fire broke out on 14 August 2025 in the depot [1]. [O]ne e-bike battery caught fire while charging [2].",
    )
    first = "The fire broke out on 14 August 2025 in the depot. One e-bike battery caught fire while charging."
    hits = [
        Hit(Chunk("a", first, "a.md", "", (), 0, 0, len(first)), score=0.6),
        Hit(Chunk("b", "Nothing else happened at the depot that year.", "b.md", "", (), 0, 0, 45), score=0.5),
    ]
    assert quoted_documents(history, hits) == frozenset({"a.md"})
    assert standalone("when did it start?", history).referents == ()


@pytest.mark.parametrize(
    ("sentence", "holds"),
    [
        # A span in words is a quantity, whatever word leads into it.
        ("Adults can join our waiting list, which is currently around nine months long.", True),
        ("You can cancel by giving one full calendar month's notice in writing.", True),
        ("We meet two weeks later.", True),
        # "one" alone is seldom a measure.
        ("One day you will thank us.", False),
        ("Your first year is free.", False),
    ],
)
def test_a_span_written_in_words_is_a_quantity(sentence: str, holds: bool) -> None:
    assert satisfies(sentence, "quantity") is holds


def test_how_much_notice_is_answered_by_the_sentence_giving_notice(word_vectors: WordVectors) -> None:
    # The figure asked for is notice: not the best sentence holding any figure ("a
    # 25-metre, six-lane main pool"), which names the centre the question names.
    title = "Millbrook Leisure Centre: Membership Terms"
    passages = [
        (
            "Monthly memberships have a minimum term of three months. After that, you can cancel at any time by "
            "giving one full calendar month's notice in writing, by email or using the form at reception.",
            "Cancelling your membership",
            0.53,
        ),
        (
            "Run by Millbrook District Council.\n\nMillbrook Leisure Centre has a 25-metre, six-lane main pool, "
            "a learner pool, a 60-station gym and a sports hall.",
            "",
            0.45,
        ),
    ]
    hits = [
        Hit(Chunk(f"c{i}", text, "centre.md", title, (title, heading) if heading else (title,), i, 0, len(text)), score)
        for i, (text, heading, score) in enumerate(passages)
    ]
    question = "i want to quit the leisure centre, how much notice do i have to give"
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(question, hits)
    assert answer.answer.startswith("After that, you can cancel at any time by giving one full calendar month's notice")


def test_how_much_of_something_is_answered_by_a_share_of_it(word_vectors: WordVectors) -> None:
    # "how much of the plot ...?" asks what part of it: "75%", "a quarter", not an age
    # ("A 16- or 17-year-old ...") in a passage ranked higher.
    passages = [
        (
            "Nobody under 18 can hold an adult plot in their own name. A 16- or 17-year-old can work an adult "
            "plot jointly with a parent or guardian, whose name must be on the tenancy.",
            "Young growers",
            0.62,
        ),
        (
            "The Warden inspects every plot four times a year. A plot passes if at least 75% of it is under "
            "cultivation (crops, fruit, green manure, or ground properly covered).",
            "Inspections",
            0.55,
        ),
    ]
    hits = [
        Hit(Chunk(f"c{i}", text, "rules.md", "Rules", ("Rules", heading), i, 0, len(text)), score)
        for i, (text, heading, score) in enumerate(passages)
    ]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("how much of the plot has to be cultivated", hits)
    assert answer.answer.startswith("A plot passes if at least 75% of it is under cultivation")


def test_a_share_is_asked_and_given_only_as_a_part_of_a_whole() -> None:
    from assistant.question import asks_a_share, gives_a_share

    assert asks_a_share("how much of the deposit do i get back") is True
    assert asks_a_share("how much of a deposit do I need to book the hall?") is False  # an amount
    given = ["at least 75% of it", "75 per cent", "a quarter of it must be", "half the rent"]
    assert [gives_a_share(t) for t in given] == [True] * 4
    others = ["a quarter past ten", "the first half-term", "open 24/7", "booked before 01/09", "the whole year",
              "all of the fees", "most of the members"]  # fmt: skip
    assert [gives_a_share(t) for t in others] == [False] * 7


def test_what_sets_you_back_is_a_sum() -> None:
    # Read through its idioms, as the answerer reads every question.
    assert expected_type(plain("how much will a filling set me back on the nhs")) == "money"
    assert expected_type("how much is a band 1 treatment") == "money"
    assert expected_type("how much are the adult lessons?") == "money"
    assert expected_type("how much water is there in the tank?") == "quantity"
    assert expected_type("how much is the notice period?") == "quantity"


@pytest.mark.parametrize(
    ("follow_up", "shifted"),
    [
        ("and a crown?", True),
        ("and for v6?", True),
        ("and on sundays?", True),
        # A question of its own, or what comes next.
        ("and is it free?", False),
        ("and then?", False),
        ("and who runs it?", False),
    ],
)
def test_a_few_words_after_and_ask_the_question_before_again(follow_up: str, shifted: bool) -> None:
    assert shifts_subject(follow_up) is shifted
    before = "how much will a filling set me back on the nhs"
    assert asked_as(follow_up, before) == (before if shifted else follow_up)


def test_a_closing_then_points_back_to_the_time_asked_about() -> None:
    history = _after("what are your saturday hours", "[Saturday] 8:00am to 6:00pm [1].")
    assert is_follow_up("can nhs patients get seen then") is True
    assert is_follow_up("when does the leisure centre pool open on saturdays then?") is True
    assert (
        standalone("can nhs patients get seen then", history).query == "can nhs patients get seen then (saturday hours)"
    )


def test_an_initialism_in_the_answer_to_which_dentist_is_not_what_that_means() -> None:
    history = _after(
        "which dentist runs the kids clinic",
        "[Dr Tomasz Nowak] sees both NHS and private patients and leads our children's clinic on Tuesday afternoons [1].",
    )
    assert standalone("what day's that on", history).query == "what day's that on (dentist runs kids clinic)"


def test_a_rate_is_no_count_of_years() -> None:
    # "how many years has she been doing it?" is not answered by how often.
    assert not gives_measure("It includes two examinations and two hygienist visits a year.", "time")
    assert gives_measure("She has worked here since March 2015.", "time")
    assert gives_measure("She worked there for a year.", "time")


def test_a_long_word_after_and_is_read_at_once() -> None:
    # No backtracking over the ways to split one long word into five.
    assert shifts_subject("and " + "a" * 5000 + ",") is False
    assert shifts_subject("and i lost my card") is False


@pytest.mark.parametrize(
    ("sentence", "hours"),
    [
        ("We are open 24 hours a day.", True),
        ("The line is staffed 24 hours, every day.", True),
        # Notice asked for is no opening hours.
        ("If you cannot attend, please give us at least 24 hours' notice.", False),
        ("Cancel 24 hours in advance.", False),
    ],
)
def test_24_hours_is_opening_hours_only_when_it_says_so(sentence: str, hours: bool) -> None:
    assert satisfies(sentence, "hours") is hours


@pytest.mark.parametrize(
    "question",
    [
        "ok and the flexi one?",
        "Right, and the flexi one?",
        "okay thanks, what about the flexi one?",
        "cool. and the flexi one",
        "thank you, and the flexi one?",
        "perfect, so what about the flexi one?",
    ],
)
def test_a_word_acknowledging_the_last_answer_opens_no_question(question: str) -> None:
    history = [
        Turn(role="user", content="can i change a saver ticket"),
        Turn(role="assistant", content="Saver Single tickets are non-refundable [1]."),
    ]
    assert is_follow_up(question) is True
    assert standalone(question, history).context == "can i change a saver ticket"
    # Not when what follows stands on its own, nor a name that opens with such a word.
    assert is_follow_up("ok, how much is a flexi single ticket to leeds?") is False
    assert standalone("Great Western: do they sell them too?", history).query.startswith("Great Western: do ")


def test_an_acknowledged_follow_up_is_searched_and_read_without_the_acknowledgement() -> None:
    history = [
        Turn(role="user", content="what time does the pharmacy open on a saturday"),
        Turn(role="assistant", content="[Saturday] 9:00am to 5:00pm [1]."),
    ]
    assert standalone("ok and on sundays?", history) == standalone("and on sundays?", history)
    assert standalone("ok and on sundays?", history).query == "and on sundays? (time pharmacy open saturday)"


def test_an_answer_of_table_cells_shown_with_their_row_quotes_the_table_s_document() -> None:
    # "[Coding Club] Mr Osei" is the row's first cell and a later one: not contiguous in the
    # passage, where the row reads "Coding Club | Wednesday | ... | Mr Osei".
    history = _after(
        "is there a coding club?",
        "[Coding Club] Wednesday [1]. [Coding Club, Time] 3:15pm–4:15pm [1]. [Coding Club] Mr Osei [1].",
    )
    table = "Club\tDay\tTime\tRun by\nCoding Club\tWednesday\t3:15pm–4:15pm\tMr Osei\nChess\tFriday\t3:15pm–4:15pm\tMrs Amis"
    other = "Mr Osei also coaches the football team on Wednesday afternoons."
    hits = [
        Hit(Chunk("b", other, "b.md", "", (), 0, 0, len(other)), score=0.6),
        Hit(Chunk("a", table, "a.md", "", (), 0, 0, len(table)), score=0.5),
    ]
    assert quoted_documents(history, hits) == frozenset({"a.md"})
    # A key and value found apart, or in a line of prose, tie no passage to the conversation.
    for text in ("Coding Club is popular.\nWednesday is busy.", "The Coding Club used to meet on Wednesday."):
        found = quoted_documents(history, [Hit(Chunk("c", text, "c.md", "", (), 0, 0, len(text)), score=0.5)])
        assert found == frozenset()


def test_a_list_item_quoted_with_the_line_announcing_it_quotes_its_document() -> None:
    # "Before you leave: return your gate key(s) ..." is the line announcing a list and one
    # of its items, which the passage holds apart, other items between.
    history = _after(
        "who do i give the key back to",
        "Before you leave: return your gate key(s) to the Lettings Officer [1].",
    )
    rules = (
        "If you decide to give up your plot, tell the Lettings Officer. Before you leave:\n\n"
        "- empty the shed;\n- return your gate key(s) to the Lettings Officer."
    )
    contacts = "Lettings Officer: Dev Chauhan, lettings@example.org. Dev manages the waiting list."
    hits = [
        Hit(Chunk("b", contacts, "b.md", "", (), 0, 0, len(contacts)), score=0.6),
        Hit(Chunk("a", rules, "a.md", "", (), 0, 0, len(rules)), score=0.5),
    ]
    assert quoted_documents(history, hits) == frozenset({"a.md"})
    # The item alone in another passage, without the line announcing it, is another text.
    alone = "Please return your gate key(s) to the Lettings Officer when asked."
    assert (
        quoted_documents(history, [Hit(Chunk("c", alone, "c.md", "", (), 0, 0, len(alone)), score=0.5)]) == frozenset()
    )


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("whats the last day to order one", True),
        ("how do i book one?", True),
        ("can i hire ones for the weekend", False),
        ("which bus goes to platform one on the north side of the station", False),
        ("what happens on day one of the course for new starters", False),
        ("i don't have a bike, where can i hire one", False),
        ("is the minimum order one", False),
        ("do you do buy one get one", False),
    ],
)
def test_one_that_ends_the_question_after_a_verb_is_one_of_what_the_conversation_is_about(
    question: str, follows: bool
) -> None:
    assert is_follow_up(question) is follows
    history = _after("when do the christmas veg boxes get delivered", "They are delivered on 22 December [1].")
    if follows:
        assert standalone(question, history).query == f"{question} (christmas veg boxes get delivered)"


def test_a_follow_up_after_a_topic_switch_leans_on_the_question_not_on_the_switch() -> None:
    history = [
        *_after("how much is the small veg box?", "[Small Box] £14.50 [1]."),
        *_after("ok different thing, where does the choir rehearse", "We rehearse at St Aldhelm's Church Hall [1]."),
    ]
    asked = standalone("is it ok for a wheelchair", history)
    assert asked.query == "is it ok for a wheelchair (choir rehearse)"
    assert asked.context == "Where does the choir rehearse"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("whats their email", "email"),
        ("what's the email address for bookings?", "email"),
        ("email address for the lessons?", "email"),
        ("what email do i use", "email"),
        # Asking whether, or how, to write is no question for an address.
        ("can i email them?", "any"),
        ("how do i email the office", "any"),
        ("what should i email them about", "any"),
    ],
)
def test_a_question_for_an_email_address_wants_one(question: str, kind: str) -> None:
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("hows best to contact him", "contact"),
        ("how do i contact the race office?", "contact"),
        ("how can i get in touch with them", "contact"),
        ("how do i get hold of the manager", "contact"),
        ("what's the best way to reach her?", "contact"),
        ("contact details for the coordinator?", "contact"),
        # A number or an address asked for by name keeps its own kind; directions, and
        # whom to contact, are no question for either.
        ("whats his phone number", "phone"),
        ("how do i reach the venue from the station", "any"),
        ("who do i contact about refunds", "any"),
        ("do i need to contact them first", "any"),
    ],
)
def test_a_question_for_how_to_contact_someone_wants_a_number_or_an_address(question: str, kind: str) -> None:
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    "question",
    [
        # What to obtain, the noun "contact", and where to go are no question for an address.
        "how can i get hold of a copy of the handbook",
        "how do i update my contact details",
        "do you share my contact details with anyone",
        "how should skin contact with bleach be treated",
        "how is contact between the cable and rock prevented",
        "how does the contact form work",
        "how can i get in touch with nature on the trail",
    ],
)
def test_contact_as_a_noun_or_another_sense_asks_for_no_address(question: str) -> None:
    assert expected_type(question) == "any"


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("whos the race director", True),
        ("what's the race director called", True),
        ("whats the coach called", True),
        # A name asked about, and a name that is no person's, are not.
        ("whos Gareth Lowther", False),
        ("what is the dog called", False),
    ],
)
def test_whos_and_what_a_role_is_called_ask_for_a_person(question: str, person: bool) -> None:
    assert asks_for_person(question) is person


def test_she_after_my_daughter_is_the_askers_daughter_not_a_name_the_answers_gave() -> None:
    # "Fun Run" is two capitalised words the last answer gave, no person: "she" is the
    # daughter the asker spoke of, whom no document names.
    history = [
        *_after("my daughter is 13 can she do the 10k", "10k: runners must be aged 15 or over on race day [1]."),
        *_after(
            "what about the fun run then",
            "Buggies are welcome in the Fun Run [1]. 3k Family Fun Run: open to all ages [1].",
        ),
    ]
    asked = standalone("does she need me with her?", history)
    assert asked.query == "does she need me with her? (fun run then daughter 13 10k)"
    assert asked.referents == ()
    # Someone an answer named doing something is whom "he" means, though "my son" was spoken of.
    club = _after("my son wants to join the chess club", "The chess club is run by Mr David Osei on Tuesdays [1].")
    assert standalone("how long has he been running it?", club).query == "how long has Mr David Osei been running it?"
    # Once a question asks who someone is, "she" is whom the answer named.
    named = [*history, *_after("who leads the warm-up", "Coach Bethan Price leads the warm-up [1].")]
    assert standalone("is she a runner too", named).query == "is Coach Bethan Price a runner too"


def test_it_is_followed_back_through_a_question_that_said_it_too() -> None:
    # "what time does it close for 10k ppl" has words of its own, but its "it" was bag
    # drop: a later "it" is bag drop too, not only the times and closing asked about.
    history = [
        *_after("where is bag drop", "Bag drop is in the white marquee beside the bandstand [1]."),
        *_after("what time does it close for 10k ppl", "For 10k runners it closes at 8:50am [1]."),
    ]
    asked = standalone("and if i dont get it back by 1pm what happens to it", history)
    assert asked.query == "and if i dont get it back by 1pm what happens to it (time close 10k ppl bag drop)"
    # "is it possible to ..." says "it" of nothing before: the question before stays behind.
    deferring = [
        *_after("how do i transfer my place", "Transfer your place through the online entry portal [1]."),
        *_after("is it possible to defer to next year instead", "Defer your place free of charge [1]."),
    ]
    assert standalone("how much does that cost?", deferring).query == (
        "how much does that cost? (possible defer next year instead)"
    )


@pytest.mark.parametrize(
    ("question", "given"),
    [
        ("can i take the van if im 23", True),
        ("my son is 12, can he join by himself?", True),
        ("can my 14 yr old use the jigsaw", True),
        ("and if theyre 16 do they need a parent to sign", True),
        # A time, a count or a distance is no age.
        ("im 5 minutes late", False),
        ("we are 4 people", False),
        ("i am 2 hours away", False),
        ("is bus 23 running", False),
        ("im 3 days late returning my book, is that ok?", False),
        ("i'm 10-15 minutes late", False),
        ("im 15 stone", False),
        # A place in a queue or a count in a group is no age; when an age is reached is.
        ("im 2 in the queue", False),
        ("theyre 4 in the group, how much to hire the room?", False),
        ("he turns 12 in june, can he join?", True),
        ("he is 10 on the day, which club?", True),
        ("he turns 12 in ten days", True),
    ],
)
def test_a_question_may_say_how_old_someone_is(question: str, given: bool) -> None:
    assert gives_an_age(question) is given


@pytest.mark.parametrize(
    ("sentence", "limit"),
    [
        ("Badger can only be booked by members aged 25 or over.", True),
        ("Children under 16 can join with the signature of a parent.", True),
        ("The 1k Mini Dash is for ages 4 to 7.", True),
        ("Anyone 16 or over can join.", True),
        ("Entry is free for under 5s.", True),
        # As guides write a limit, though no band of figures picks a row by it.
        ("Badger can only be booked by members who are 25 or over.", True),
        ("Drivers must be over the age of 25.", True),
        ("Adults (18+) pay the full fare.", True),
        # Not a limit of time or of number.
        ("Most calls are answered in under 5 minutes.", False),
        ("The array has over 30 turbines.", False),
    ],
)
def test_a_sentence_may_set_a_limit_of_age(sentence: str, limit: bool) -> None:
    assert sets_an_age(sentence) is limit


@pytest.mark.parametrize(
    ("question", "before", "replaced"),
    [
        # What the follow-up asks about instead takes the place of its like in the question before.
        ("what about for cats", "how much is a dog vaccination at fernbank", {"dog"}),
        ("and on saturdays?", "what time does fernbank open on weekdays", {"weekdays"}),
        ("what about over christmas", "is the tool library open on bank holidays", {"holidays"}),
        # The same word in another form is no other thing; a word unlike any of them replaces none.
        ("and the packages?", "where does aptitude keep its package states", set()),
        ("what about glaze firing for stoneware", "how much does it cost to fire stuff", set()),
        ("and for two people?", "how much is it per person", set()),
        # What is added to the thing takes no one's place.
        ("and with oat milk?", "how much is a coffee", set()),
        ("and the flexi one?", "can i change a saver ticket", set()),
        # A follow-up asking a question of its own is no "what about".
        ("and how much per mile on that plan", "whats the price per hour on the regular membership", set()),
    ],
)
def test_what_a_follow_up_asks_about_instead_takes_its_like_s_place(
    word_vectors: WordVectors, question: str, before: str, replaced: set[str]
) -> None:
    assert instead_of(question, before, word_vectors.nearest) == replaced


def test_a_word_taken_the_place_of_is_neither_searched_nor_read_as_the_conversation_s(
    word_vectors: WordVectors,
) -> None:
    history = _after("how much is a dog vaccination at fernbank", "[Dog vaccination booster] £58.00 [1].")
    asked = standalone("what about for cats", history, alike=word_vectors.nearest)
    assert asked.query == "what about for cats (much vaccination fernbank)"
    assert asked.context == "how much is a vaccination at fernbank"
    # A word dropped however it is written ("dog's").
    owned = _after("how much is my dog's vaccination", "[Dog vaccination booster] £58.00 [1].")
    assert standalone("what about for cats", owned, alike=word_vectors.nearest).query == (
        "what about for cats (much vaccination)"
    )
    # Without a word table, nothing is dropped.
    assert standalone("what about for cats", history).query == "what about for cats (much dog vaccination fernbank)"


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # A time of day is one term however it is written.
        ("by 1pm", ["t1300"]),
        ("by 1:00pm", ["t1300"]),
        ("at 1 pm", ["t1300"]),
        ("closes at 13:00", ["clos", "t1300"]),
        ("from 8.30am", ["t0830"]),
        ("until 12 noon", ["t1200"]),
        ("12am", ["t0000"]),
        ("10.30 until 16.00", ["t1030", "t1600"]),
        ("opens at 9.15", ["open", "t0915"]),
        # A figure with a point elsewhere may be a price or a number.
        ("what do i get for 12.50", ["get", "12", "50"]),
        ("Section 3.10", ["section", "3", "10"]),
        ("midnight", ["t0000"]),
        # A range's start in the half of the day its end has, when it comes before it.
        ("6:30-8pm", ["t1830", "t2000"]),
        ("9-5pm", ["t0900", "t1700"]),
        ("11-1pm", ["t1100", "t1300"]),
        # Not an hour past twelve with pm, a sum, an elapsed time, nor "am" the verb.
        ("13pm", ["13pm"]),
        ("£10 pm", ["10", "pm"]),
        ("£1.30pm", ["1", "30pm"]),
        ("2:15:00", ["2", "15", "00"]),
        ("12 am i ok", ["12", "ok"]),
        ("afternoon", ["afterno"]),
    ],
)
def test_a_time_of_day_is_one_term_however_it_is_written(text: str, terms: list[str]) -> None:
    assert terms_of(text) == terms


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        # A count of what it does not name, by whoever the conversation is about.
        ("How many can one adult take in at once?", True),
        ("how many can i bring along with me to the session", True),
        ("How many do you have in stock at the moment?", True),
        # Its subject says what it is about.
        ("how many can a superior room sleep in total?", False),
        ("How many staff work at the Harbourside sailing club?", False),
    ],
)
def test_a_count_naming_nothing_leans_on_the_conversation(question: str, follows: bool) -> None:
    assert is_follow_up(question) is follows
