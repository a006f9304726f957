"""Questions in the guidance's words that ask for what it never gives: law, employment procedure, money rules,
today's facts and forecasts, courses and bookings, templates and tools.

The guidance is about how to lead through partnerships. A question such as "What's the legal quorum for an LSP
board meeting?" shares its words (LSP, board, meeting) and lies close to it by every similarity the retriever
has, so the coverage rule answers it with sentences about who chairs an LSP. What gives such a question away is
what it asks for: a rule of law, a procedure, a figure, a fact of today. Those the guidance never states, so the
coach declines them and says what it can help with instead. The patterns name kinds of request, not questions:
they were written from the kinds of near miss in evals/decline_dev.yaml and issue 10 and checked against every
in-scope question of the gold and dev sets (none may match); evals/retrieval_holdout.yaml checks them once.
"""

from __future__ import annotations

import re

# kind of request -> what gives it away
_KINDS: dict[str, re.Pattern[str]] = {
    "law and regulation": re.compile(
        r"\b(?:(?<!no )legal(?:ly)?(?! powers? over)|by law|lawful(?:ly)?|unlawful|legislation|regulations?|"
        r"statutory (?:duty(?! to (?:collaborate|co-?operate|work in partnership))|members?|"
        r"guidance|requirements?)|under (?:the )?(?:section|s\.?) ?\d+|section \d+|(?-i:[A-Z]\w+ Act)\b|gdpr|"
        # a call-in of a decision, not "the judgment call in the 2008 article"
        r"data protection|freedom of information|foi|quorum|call-in|"
        r"call(?:s|ed|ing)? in (?:a|an|the|this|that|our|their) (?:[\w']+ ){0,2}decisions?|judicial review|"
        r"equality duty|code of conduct|declare an interest|register of interests|power of competence|"
        r"well-?being power|(?:power|right) of veto|veto (?:the|an?|their|his|her|any|our) \w+)\b",
        re.IGNORECASE),
    "employment and HR procedure": re.compile(
        r"\b(?:disciplinar\w*|(?:dismiss\w*|sack\w*|fire) (?:a|an|the|my|our|his|her|this|that) (?:\w+ ){0,2}"
        r"(?:chief executive|chief exec|officer|employee|director|manager|staff|member of staff)|grievances?|"
        r"redundanc\w*|tupe|salar(?:y|ies)|"
        r"pay (?:band|scale|grade)s?|salary band|job descriptions?|appraisals?|employment (?:law|tribunal)|"
        r"dbs checks?|(?:end|ending|terminat\w*) (?:his|her|their|the|a|an|my|our) (?:[\w']+ )?(?:contract|employment)|"
        r"(?:\w+'s?|staff|officers?|employees?) (?:pay|remuneration)(?! for)\b)\b", re.IGNORECASE),
    "money, tax and procurement rules": re.compile(
        r"\b(?:vat|council tax|business rates|precept|procurement|tender(?:ing)?|thresholds?|allowances?|"
        r"expenses|mileage|bid for|funding bids?|ring-?fenced?|travel costs|claim (?:back )?(?:for )?(?:my |our |the )?"
        r"(?:travel|costs|expenses|mileage|allowances?))\b",
        re.IGNORECASE),
    "today's facts and forecasts": re.compile(
        r"\b(?:who(?:'s| is) the current|current (?:chair|leader|chief executive|minister)|who (?:will|is going to) "
        r"win|next (?:general |local |county )?elections?|election results?|(?:likely|expected|tipped|going) to "
        r"(?:win|hold|lose|keep|take|gain)|hold on to (?:the )?(?:council|seat|control|power|majority)|"
        r"what(?:'s| is) the latest|latest (?:news|on|with)|(?:being|be) abolished|ratings?|"
        r"(?:best|top|highest)[- ]rated|rankings?|league tables?|highest scores?|"
        r"(?:figures|statistics|data|rates?|numbers|"
        r"population|turnout) (?:for|in|on|of) (?:our|my|the) (?:borough|district|county|area|city|ward|region))\b",
        re.IGNORECASE),
    "formal procedure": re.compile(
        r"\b(?:what(?:'s| is| are) the (?:formal |legal |correct |proper )?(?:process|procedures?) (?:for|to|when)|"
        r"what are the (?:formal |legal )?steps (?:to|for)|step[- ]by[- ]step)\b", re.IGNORECASE),
    "courses, events and bookings": re.compile(
        r"\b(?:how (?:do|can) (?:i|we) (?:sign up|register|enrol|book|apply) (?:for|on|to attend)|"
        r"sign up for (?:it|the|a|an|this))\b", re.IGNORECASE),
    "templates and tools": re.compile(
        r"\b(?:templates?|draft (?:me|us|our|a|the) |software|dashboard tool|spreadsheet|apps?|"
        r"(?:write|draft|compose) (?:me |us )?(?:a|an|the|my|our) (?:\w+ ){0,2}(?:speech|letter|email|press release|"
        r"foreword|tweet|blog|article|advert|minutes|agenda)|survey (?:questions?|wording|design|form)|"
        r"questionnaire)\b",
        re.IGNORECASE),
}


def outside_guidance(question: str) -> str | None:
    """The kind of request the guidance never answers, if the question is one ("law and regulation" ...)."""
    for kind, pattern in _KINDS.items():
        if pattern.search(question):
            return kind
    return None


HELP_WITH = (
    "I can help with leading and influencing partners (LSPs, the NHS, police, voluntary and business "
    "sectors), avoiding domination, shared vision, accountability you cannot delegate, whether a "
    "partnership adds value, and the attributes of a successful partnership leader."
)


# Who can answer each kind instead: a forecast or a speech is not a question for the monitoring officer.
_ASK_INSTEAD = {
    "law and regulation": "your monitoring officer or legal team",
    "employment and HR procedure": "your HR team",
    "money, tax and procurement rules": "your finance or procurement team",
    "today's facts and forecasts": "current sources or your policy and research team",
    "courses, events and bookings": "whoever runs the course or event, or your learning and development team",
    "formal procedure": "your monitoring officer or democratic services team",
    "templates and tools": "your communications, policy or IT team as fits",
}


def near_miss_decline(kind: str) -> str:
    """The decline for a near miss: what the guidance does not give, who can help, and what the coach can help
    with instead."""
    ask = _ASK_INSTEAD.get(kind, "the right team in your organisation")
    return (f"That asks about {kind}, which the partnership leadership guidance I draw on does not cover, so I "
            f"won't guess: please check with {ask}. {HELP_WITH}")
