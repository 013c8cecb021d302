"""Members whose names are ordinary words: Grace, Joy, Hope, Rose, May, June, Will, Mark.

A roster name is the strongest evidence there is, so an occurrence the roster
detector turned down (a capital at the start of a sentence, or lower case) is
looked at again here, by where it stands:

* a line of its own (a sign-off: "Thanks,\\nJoy"), a roll-call line
  ("Present:", "Note-taker:", "Apologies:"), a table cell on its own
  ("| Send the pack | Heather | May |", where "May" is the owner unless the
  column is a date column);
* a sentence subject followed by a verb ("Grace closed the meeting");
* a vocative in lower case ("yes rose, i'll send it"), or an @-mention;
* a member who spoke in this note (a voice tag, chat header or speaker label).

The reverse also holds: a month ("in June", "June 2025", "3 June") is a date,
not the member called June. Findings made here carry low confidence, so that
review lists them first.
"""

from __future__ import annotations

import re

from pspn_core.notes.anonymiser.lexicon import words

__all__ = ["MONTHS", "calendar_use", "spoke", "word_name_confidence"]

MONTHS = words(
    "january february march april may june july august september october november december"
)
_BEFORE_MONTH = re.compile(
    r"(?:\b(?:in|since|until|till|during|early|mid|late|last|next|this|each|every|through"
    r"|throughout|before|after|from|by|of|to|and|or|end|start|beginning|middle|the)"
    r"|\d(?:st|nd|rd|th)?|\bof)[ \t-]*+$",
    re.IGNORECASE,
)
_AFTER_MONTH = re.compile(
    r"[ \t]*+(?:\d|[/–-][ \t]*+[A-Za-z]{3}|(?:and|or|to)[ \t]++[A-Z][a-z]{2}"
    r"|(?:meeting|session|newsletter|edition|deadline|cohort|board|forum|event|update|round"
    r"|half|intake|rota|report|issue|bulletin|workshop|conference|call|catch-up)s?\b)"
)
_NAME_BEFORE = re.compile(
    r"\b(?:thanks|thank[ \t]+you|thanking|grateful|credit|well[ \t]+done|congratulations"
    r"|congrats|welcome|over|handed|passed|asked|ask|tell|told)[ \t]+(?:to[ \t]+)?$"
    r"|\b(?:chaired|led|taken|written|presented|hosted|facilitated|minuted|raised|noted"
    r"|introduced|opened|closed|seconded|proposed|suggested|shared)[ \t]+by[ \t]+$",
    re.IGNORECASE,
)
_MONTH_WORD = re.compile(r"[A-Za-z]{3,9}$")
_ROLL_LINE = re.compile(
    r"[ \t>*•-]*+(?:\*\*)?(?:in[ \t]+the[ \t]+)?"
    r"(?:present|attendees|attending|in attendance|apologies|chair(?:ed by)?"
    r"|co-chairs?|notes?(?: by)?|note[- ]?taker|minutes(?: by)?|minute[- ]taker|facilitator"
    r"|host|guests?|speakers?|owner|lead|actions? (?:owner|by)|cc|to|from)\b[^\n:]{0,20}:",
    re.IGNORECASE,
)
_LIST_SO_FAR = re.compile(r"[^.!?;:\"“”()\n]{0,80}")
_ALONE = re.compile(r"[ \t]*+[,.!]?[ \t]*+(?:x+|xx)?[ \t]*+$")
_LINE_PREFIX = re.compile(r"[ \t>*•~–—-]*+$")
_VERB_AFTER = re.compile(
    r"[ \t]++(?:(?![a-z]*eed\b)[a-z]{3,}ed|agreed|said|says|thinks|feels|wants|needs|asks"
    r"|agrees|suggests|notes|disagreed|(?:[a-z]{3,}(?<!ss)s(?=[ \t]++(?:an?|the|his|her|their|our"
    r"|its|this|that|it|them|up|out|back)\b))"
    r"|explains|leads|chairs|works|knows|takes|took|sends|sent|shares|joins|joined|mentions"
    r"|went|came|gave|made|led|ran|spoke|wrote|told|tells|will|would|can|could|should|has"
    r"|had|was|is|also|then|kindly)\b"
)
_VOCATIVE_BEFORE = re.compile(
    r"(?:^|[\n.!?]|\b(?:yes|yeah|yep|no|nope|ok|okay|sure|thanks|thank you|ta|cheers|hi|hey"
    r"|hello|morning|sorry|agreed|oh|ah|bye|lol|welcome|congrats|go|well done|good luck))[ \t,]*+$"
)
_GREETING_BEFORE = re.compile(  # "hi may yes", "morning will": nothing but a name follows
    r"\b(?:hi|hey|hiya|hello|dear|morning|evening|night|bye|welcome)[ \t,]*+$", re.IGNORECASE
)
_SELF_BEFORE = re.compile(r"\b(?:it['’]?s|it[ \t]+is|this[ \t]+is|i['’]?m|i[ \t]+am)[ \t]++$", re.I)
_SELF_AFTER = re.compile(r"[ \t]++(?:here|from|speaking)\b|[ \t]*+(?:[,.!]|\n|$)")
_LINKED_BEFORE = re.compile(r"\b(?:with|and|to|for|from|cc|ask|tell|thank)[ \t]++$", re.I)
_LINKED_AFTER = re.compile(r"[ \t]*+(?:[,.!?;)]|\n|$)")
# what follows a member addressed: a number, a contraction, "at" ("mark 5", "grace you've got",
# "faith don't", "mark at the usual address")
_ADDRESS_AFTER = re.compile(r"[ \t]*+(?:\d|[A-Za-z]+['’][a-z]{1,2}\b|at\b|please\b|pls\b)")
# lower-case words that follow the ordinary use of a word that is also a name ("will do",
# "may be", "mark it", "faith in")
_WORD_USE_AFTER = re.compile(
    r"[ \t]++(?:be|do|have|not|send|get|go|try|see|check|look|need|let|call|come|take|make|keep"
    r"|it|this|that|these|those|them|him|her|us|me|you|i|we|they|the|a|an|as|also|just|well"
    r"|all|up|down|out|off|on|in|to|of|for|is|are|was|were|has|had|can|could|should|would"
    r"|will|may|might|must|shall|soon|too|if|so|because|or|and|but|then|than|with|by|into"
    r"|your|my|our|their|his|its|some|any|no|more|less|every|each|both|there|here|what|how"
    r"|when|where|which|who|why|about|over|after|before|again)\b|[ \t]*+[-–—:']",
    re.IGNORECASE,
)
_QUESTION_AFTER = re.compile(
    r"(?:[ \t]*+[,:–—-])?[ \t]++"
    r"(?:(?:can|could|would|will|do|did|are|have|were)[ \t]++you|pls|please)\b"
)
_TAIL_BEFORE = re.compile(r"(?:,|\bthen|\band|\bok|\bthanks)[ \t]*+$")  # "..., may", "then mark?"
_TAIL_AFTER = re.compile(r"[ \t]*+[?!.]*+[ \t]*+(?:\n|$)")
_LABEL_AFTER = re.compile(r"[ \t]*+:")  # "rose: agree with bill"
# what a member who spoke does in a lower-case chat: "bill said", "hope is joining"
_SPEECH_VERB = re.compile(r"[ \t]++(?:said|says|sent|asked|agreed|wrote|mentioned|told|thinks)\b")
_SPOKE_VERB = re.compile(
    r"[ \t]++(?:said|says|sent|asked|agreed|thinks|wrote|mentioned|told|has|had|did|is|was"
    r"|[a-z]{3,}ed)\b"
)
_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|my|your|his|her|our|their|its|this|that|no|any|some|every|each|of|at|in"
    r"|on|by|for|with|from)[ \t]++$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;.!?][ \t]*+$")
_ADDRESSED = re.compile(
    r"[ \t]*+(?:[,!?]|\n|$)|[ \t]++(?:i['’]m|im|i['’]ve|i['’]ll|i['’]d|it['’]s|that['’]s"
    r"|there['’]s|you['’]ve|you['’]re|you['’]ll)\b",
    re.IGNORECASE,
)
_SPOKE_PREFIX = re.compile(
    r"(?:^|\n)[ \t]*+(?:<v(?:\.[^\s>]++)?[ \t]++|\[\d{1,2}:\d{2}[^\]\n]{0,12}\][ \t]++)?$"
)
_DATE_HEADER = re.compile(r"due|date|when|deadline|by when|month|timescale|target|review", re.I)
_OWNER_HEADER = re.compile(r"owner|lead|who|by|responsible|name|person|assigned|contact", re.I)


_REACH = 400  # how far a line or a table is looked at, so that no input costs quadratic time


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line around ``start``..``end``, cut to ``_REACH`` characters either side."""
    lo, hi = max(0, start - _REACH), min(len(text), end + _REACH)
    before, after = text.rfind("\n", lo, start), text.find("\n", end, hi)
    return (before + 1 if before >= 0 else lo), (after if after >= 0 else hi)


def calendar_use(text: str, start: int, end: int, tables: dict[int, str] | None = None) -> bool:
    """Whether a month that is also a member's name is used as a month here."""
    if text[start:end].lower() not in MONTHS or text[end : end + 2] in ("'s", "’s"):
        return False
    before = text[max(0, start - 20) : start]
    if _NAME_BEFORE.search(before):
        return False  # "thank you to June", "over to May", "chaired by June"
    if _AFTER_MONTH.match(text, end):
        return True  # "June 2025", "June 3rd", "May/June", "May and June"
    if _VERB_AFTER.match(text, end):
        return False  # "and June said"
    if _BEFORE_MONTH.search(before):
        return True  # "in June", "3 June", "end of May", "mid-June"
    cell = _table_header(text, start, end, {} if tables is None else tables)
    return cell is not None and bool(_DATE_HEADER.search(cell))


def _table_header(text: str, start: int, end: int, tables: dict[int, str]) -> str | None:
    """The header of the table column whose cell holds only ``text[start:end]``.

    ``tables`` maps the lines already walked to their table's header row.
    """
    line_start, line_end = _line_bounds(text, start, end)
    line = text[line_start:line_end]
    if not line.lstrip().startswith("|"):
        return None
    offset = start - line_start
    column = line.count("|", 0, offset) - 1
    close = line.find("|", offset + end - start)
    if close < 0:
        return None
    cell = line[line.rfind("|", 0, offset) + 1 : close]
    word = text[start:end]
    if not any(
        piece.strip().split()[:1] == [word] and len(piece.split()) <= 3
        for piece in re.split(r"[/,&+]|\band\b", cell)
    ):
        return None  # the word is part of a longer cell ("Send the pack to Will")
    # walk up to the header row: the first line of the table (each line walked once)
    header, pos, walked = line, line_start, []
    while pos > 0:
        if pos in tables:
            header = tables[pos]
            break
        walked.append(pos)
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        prev = text[prev_start : pos - 1]
        if not prev.lstrip().startswith("|"):
            break
        if not re.fullmatch(r"[\s|:-]+", prev):
            header = prev
        pos = prev_start
    for pos in walked:
        tables[pos] = header
    cells = header.strip().strip("|").split("|")
    return cells[column] if 0 <= column < len(cells) else ""


def spoke(text: str, start: int) -> bool:
    """Whether a name at ``start`` is a speaker label (voice tag, chat header, "Name:")."""
    return bool(_SPOKE_PREFIX.search(text, max(0, start - 40), start))


def word_name_confidence(
    text: str,
    start: int,
    end: int,
    *,
    speaker: bool,
    frequent: bool = False,
    tables: dict[int, str] | None = None,
) -> float | None:
    """How likely a member's name that is also a word is the member here (``None``: a word).

    Called for occurrences the ordinary rules turned down. ``speaker`` tells
    whether the member spoke in this note; ``frequent`` that the word is a
    very common one ("Will", "May", "Hope"), which a speaker's presence alone
    does not make a name ("Will DM you"). ``tables`` is a cache of table
    headers, shared by the calls for one note.
    """
    tables = {} if tables is None else tables
    if calendar_use(text, start, end, tables):
        return None
    line_start, line_end = _line_bounds(text, start, end)
    if _LINE_PREFIX.fullmatch(text, line_start, start) and _ALONE.match(text, end, line_end):
        return 0.7  # a line of its own: a sign-off or a name under a greeting
    roll = _ROLL_LINE.match(text, line_start, start)
    if roll and _LIST_SO_FAR.fullmatch(text, roll.end(), start):
        return 0.8  # "Present: Ruairi, Rose, Bill" (not a sentence after "From x:")
    header = _table_header(text, start, end, tables)
    if header is not None:
        return 0.75 if _OWNER_HEADER.search(header) else 0.5
    if start > 0 and text[start - 1] == "@":
        return 0.8
    if text[start].isupper():
        if _VERB_AFTER.match(text, end):
            return 0.65  # "Grace closed the meeting"
        return 0.5 if speaker and not frequent else None
    before = text[max(0, start - 20) : start]
    vocative = _VOCATIVE_BEFORE.search(before)
    if vocative and _ADDRESSED.match(text, end):
        return 0.6  # "yes rose, i'll send it", "bill I'm in the car park"
    if vocative and text.startswith(" here", end) and not text[end + 5 : end + 6].isalnum():
        return 0.6  # "heather here from HVFT"
    if _SELF_BEFORE.search(before) and _SELF_AFTER.match(text, end):
        return 0.6  # "it's hope from Brackenmoor"
    if _GREETING_BEFORE.search(before) and not (frequent and _WORD_USE_AFTER.match(text, end)):
        return 0.55  # "hi may yes"
    if _LINKED_BEFORE.search(before) and _LINKED_AFTER.match(text, end):
        return 0.5  # "agree with pat.", "with joy and will"
    opens = _LINE_PREFIX.fullmatch(text, line_start, start) or _CLAUSE_END.search(before)
    if opens and _QUESTION_AFTER.match(text, end):
        return 0.55  # "heather can you send it round", "first, rose, can you share"
    if opens and speaker and _ADDRESS_AFTER.match(text, end):
        return 0.45  # a member who spoke here, addressed: "grace you've got 10 mins, mark 5"
    if speaker and _TAIL_BEFORE.search(before) and _TAIL_AFTER.match(text, end):
        return 0.45  # "yes i did say that, may", "will do the intro, then mark?"
    if (
        speaker
        and _LINE_PREFIX.fullmatch(text, line_start, start)
        and _LABEL_AFTER.match(text, end)
    ):
        return 0.5  # "rose: agree with bill"
    verb = _SPEECH_VERB if text[start:end].lower() in MONTHS else _SPOKE_VERB
    if (
        speaker
        and not _DETERMINER_BEFORE.search(before)
        and (verb if frequent else _VERB_AFTER).match(text, end)
    ):
        return 0.45  # "bill said the trust pays", "hope is joining later"
    return None
