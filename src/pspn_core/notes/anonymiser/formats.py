"""Note formats, and the detector for who is speaking or writing.

Formats: plain text or Markdown (``text``), Teams WebVTT transcripts (``vtt``),
Teams chat copied out of the client (``teams-chat``) and e-mail threads
(``email``). Whatever the format, the :class:`SpeakerDetector` finds the names
in voice tags, chat headers, e-mail headers, quoted-reply lines, signatures
and minutes' attendance lines, so that no line stays attributable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.lexicon import ACRONYMS, lexicon, national_spans, words
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.scanning import LinePattern

__all__ = ["FORMATS", "SpeakerDetector", "detect_format"]

FORMATS = ("text", "vtt", "teams-chat", "email")

_VTT = re.compile(r"\A\ufeff?WEBVTT")
_EMAIL_HEADER = re.compile(r"^(?:From|To|Cc|Sent|Date|Subject)\s*:", re.MULTILINE | re.IGNORECASE)
_CHAT_TIME = re.compile(r"^\[\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?\]\s+\S", re.MULTILINE)
_CHAT_STAMP = re.compile(
    r"^[^\n,]{2,80},\s+\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}", re.MULTILINE
)


def detect_format(text: str) -> str:
    """Guess the format of a note: ``vtt``, ``email``, ``teams-chat`` or ``text``."""
    if _VTT.match(text):
        return "vtt"
    head = text[:4000]
    if re.search(r"^From\s*:", head, re.MULTILINE | re.IGNORECASE) and (
        len(_EMAIL_HEADER.findall(head)) >= 2
    ):
        return "email"
    if len(_CHAT_TIME.findall(head)) + len(_CHAT_STAMP.findall(head)) >= 2:
        return "teams-chat"
    return "text"


_VOICE = re.compile(r"<v(?:\.[^\s>]++)?\s++([^>\n]++)>")
_CHAT_HEADER = LinePattern(r"\[\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?\][ \t]++([^\n]++)$")
_STAMP_HEADER = LinePattern(r"([^\n]{2,120}?),[ \t]+\d{1,2}/\d{1,2}/\d{2,4},?[ \t]+\d{1,2}:\d{2}")
_MAIL_FIELD = LinePattern(
    r"(?:>[ \t]*)*(?:From|To|Cc|Bcc|Reply-To|Sender)[ \t]*:[ \t]*([^\n]+)$",
    re.IGNORECASE,
)
# Patterns here run on text anyone can write: possessive quantifiers (*+, ++) and
# single starting points keep every one of them linear on long runs of blanks.
_MAIL_NAME = re.compile(r"(?:^|;|>[ \t]*+,)[ \t]*+([^<>;\n\[]+)(?=<|\[mailto:)")
_WROTE = LinePattern(
    r"(?:>[ \t]*)*On[ \t][^\n]{4,60}?,[ \t]*([^,<>\n]+?)[ \t]*(?:<[^>\n]*>)?[ \t]*wrote:"
)
_ROLL = LinePattern(
    r"[ \t]*(?:[-*•][ \t]*)?(?:\*\*)?(?:Chair(?:ed by)?|Notes?(?: by)?|Note[- ]?taker|Minutes"
    r"(?: by)?|Minute[- ]taker|Present|Attendees|Attending|In attendance|Apologies|Facilitator"
    r"|Scribe|Guests?|Speakers?|Host|Organiser|Welcomed|New members?|Joined)"
    r"(?:\*\*)?[ \t]*(?:\([^)\n]*\))?[ \t]*[:–-][ \t]*([^\n]+)$",
    re.IGNORECASE,
)
_LABEL = LinePattern(
    r"[ \t]*(?:[-*•>][ \t]*)*(?:\*\*)?([A-Z][\w'’.-]*(?:[ \t][A-Z][\w'’.-]*){0,2})(?:\*\*)?"
    r"[ \t]?(?::|[ \t][–-][ \t])"
)
_SIGN_OFF = LinePattern(
    r"[ \t]*(?:Best wishes|Best|Kind regards|Regards|Warm regards|Many thanks|Thanks|Thank you"
    r"|Cheers|With thanks|Take care|Speak soon|All the best|Love|Sincerely|Yours sincerely"
    r"|Thanks again|Best regards|Warmest wishes|Warm wishes|Thx)\b[^\n]{0,60}$",
    re.IGNORECASE,
)
_LONE_INITIALS = LinePattern(r"[ \t]*+(?:[-–—~][ \t]*+)?((?:[A-Z]\.){1,3}|[A-Z]{1,3}\.?)[ \t]*+$")
# a signature on its own line after a dash: "– cat", "— Jo Bright", "~ sam"
_DASH_SIGNATURE = LinePattern(
    r"[ \t]*+[–—~][ \t]*+([A-Za-z][\w'’-]*+(?:[ \t][A-Z][\w'’-]*+)?)[ \t]*+$"
)
_GREETING_LINE = LinePattern(
    r"[ \t]*(?:Dear|Hi|Hello|Hey|Hiya|Morning|Evening|Afternoon|Good morning|Good afternoon"
    r"|Good evening|Thanks|Thank you)[ \t,]+([A-Z][^\n]{0,80}?)[ \t]*[,!.:]?[ \t]*$"
)
_SURNAME_FIRST = re.compile(  # the look-behind after the first capital: see .scanning
    r"([A-Z](?<![\w'’-][A-Z])[A-Z'’]{2,}+(?:[ -][A-Z][A-Z'’]++)*+,[ \t][A-Z][a-z][\w'’-]*+"
    r"(?:-[A-Z][\w'’]*+)?)"
)
# "Lowe, Dr K", "Okafor, Mrs J.", "Hartley-Moss, Prof Ann": found from ", Dr" (a literal
# start scans fast), then the surname before it is checked
_TITLE_AFTER_COMMA = re.compile(
    r",[ \t](?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sister|Rev|Revd)\.?[ \t]"
    r"(?:[A-Z][a-z][\w'’-]*+|[A-Z]\.?(?:[ \t]?[A-Z]\.?)*+)(?![\w'’])"
)
_SURNAME_BEFORE = re.compile(r"(?<![\w'’-])[A-Z][a-z][\w'’]*+(?:-[A-Z][\w'’]*+)?$")
_DECORATION = re.compile(
    r"(?<![ \t])[ \t]*+\((?:guest|external|unverified|he/him|she/her|they/them|host|organiser"
    r"|presenter|you)\)[ \t]*+$",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"(?<![ \t])[ \t]++(?:reacted|joined|left|has|was|is|added|removed|started|ended|changed"
    r"|renamed|shared|replied|edited|deleted)\b.*$"
)
_TITLE_PREFIX = re.compile(r"[ \t]*+(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sister|Rev)\.?[ \t]++")
_ROLE_LABELS = words(
    "facilitator chair chairs co-chair co-chairs attendees apologies notes minutes actions "
    "agenda guest guests host present action note summary update re fwd cc bcc link "
    "tel telephone phone mob mobile fax email e-mail web website"
)
_TITLE_WORDS = words("dr mr mrs ms miss mx prof professor sister rev revd")
_LONGEST_HEADER = 200
_ORG_IN_PARENS = re.compile(r"^(.+?)[ \t]*\(([^()]+)\)[ \t]*$")
_SPLIT = re.compile(r"(?<![ \t])[ \t]*+(?:,|;|\band\b|&|/)[ \t]*+")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def looks_like_name(words: list[str]) -> bool:
    """Whether capitalised ``words`` read as a person's name rather than ordinary words."""
    lex = lexicon()
    if not words or not all(w[:1].isupper() for w in words):
        return False
    return any(
        (not lex.is_common(w) or lex.could_be_name(w)) and w.rstrip(".") not in ACRONYMS
        for w in words
    )


class SpeakerDetector:
    """Names in voice tags, chat and e-mail headers, signatures and roll-call lines."""

    name = "speakers"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        parsed: dict[str, list[Finding]] = {}  # a transcript repeats its few speakers
        for m in _VOICE.finditer(text):
            who = m.group(1)
            if who not in parsed:
                parsed[who] = list(self._who(who, 0, len(who), 0.97))
            at = m.start(1)
            for f in parsed[who]:
                yield Finding(f.start + at, f.end + at, f.label, f.detector, f.confidence)
        for regex in (_CHAT_HEADER, _STAMP_HEADER):
            for m in regex.finditer(text):
                yield from self._who(text, m.start(1), m.end(1), 0.95)
        for m in _MAIL_FIELD.finditer(text):
            for n in _MAIL_NAME.finditer(m.group(1)):
                start = m.start(1) + n.start(1)
                yield from self._who(text, start, start + len(n.group(1)), 0.9, check=True)
            yield from self._bare_recipients(text, m.start(1), m.end(1))
        for m in _TITLE_AFTER_COMMA.finditer(text):  # "Lowe, Dr K" anywhere
            before = _SURNAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if before and looks_like_name([before.group()]):
                yield Finding(before.start(), m.end(), "PERSON", self.name, 0.85)
        for m in _WROTE.finditer(text):
            yield from self._who(text, m.start(1), m.end(1), 0.9)
        for m in _ROLL.finditer(text):
            yield from self._roll(text, m.start(1), m.end(1))
        for m in _LABEL.finditer(text):
            words = m.group(1).split()
            if not all(w.replace("'", "").replace("’", "").isalpha() for w in words) or any(
                w.lower() in _ROLE_LABELS for w in words
            ):
                continue
            if looks_like_name(words) or self._initials(words):
                yield Finding(m.start(1), m.end(1), "PERSON", self.name, 0.8)
        yield from self._signatures(text)
        for m in _LONE_INITIALS.finditer(text):
            if m.group(1).rstrip(".") not in ACRONYMS:
                yield Finding(m.start(1), m.end(1), "PERSON", self.name, 0.7)
        for m in _DASH_SIGNATURE.finditer(text):
            if not any(w.lower() in _ROLE_LABELS for w in m.group(1).split()):
                yield Finding(m.start(1), m.end(1), "PERSON", self.name, 0.7)
        for m in _GREETING_LINE.finditer(text):
            yield from self._roll(text, m.start(1), m.end(1))
        for m in _SURNAME_FIRST.finditer(text):
            surname = m.group(1).split(",")[0]
            if surname not in ACRONYMS and len(surname) > 1:
                yield Finding(m.start(1), m.end(1), "PERSON", self.name, 0.85)

    @staticmethod
    def _initials(words: list[str]) -> bool:
        word = words[0] if len(words) == 1 else ""
        return len(word) > 1 and word.isupper() and word not in ACRONYMS

    def _who(
        self, text: str, start: int, end: int, confidence: float, *, check: bool = False
    ) -> Iterator[Finding]:
        """A header's "Name", "SURNAME, First (ORG)" or "Name (Guest)"."""
        who = text[start:end].rstrip()
        if len(who) > _LONGEST_HEADER:  # not a name: redact the whole header, parse nothing
            stripped = who.lstrip()
            offset = start + len(who) - len(stripped)
            yield Finding(offset, offset + len(stripped), "PERSON", self.name, 0.5)
            return
        decoration = _DECORATION.search(who)
        if decoration:
            who = who[: decoration.start()]
        org = _ORG_IN_PARENS.match(who)
        if org and org.group(2).strip().rstrip(".").lower() in _TITLE_WORDS:
            who = org.group(1)  # "Lowe, Kate (Dr)": a title, not an organisation
        elif org:
            if not national_spans(org.group(2)):
                yield Finding(
                    start + org.start(2), start + org.end(2), "ORGANISATION", self.name, 0.9
                )
            who = org.group(1)
        if ":" in who:  # "[18:03] Name: message"
            who = who.split(":", 1)[0]
        who = _EVENT.sub("", who)
        title = _TITLE_PREFIX.match(who)
        if title:
            who = " " * title.end() + who[title.end() :]
        who = who.rstrip(" \t,\"'")
        stripped = who.lstrip(" \t\"'")
        offset = start + len(who) - len(stripped)
        if not stripped:
            return
        if check and not looks_like_name(_NAME_WORD.findall(stripped)):
            return
        yield Finding(offset, offset + len(stripped), "PERSON", self.name, confidence)

    def _bare_recipients(self, text: str, start: int, end: int) -> Iterator[Finding]:
        """Header names without an address: "Lowe, Dr K; Patel, Amir; Jo Bloggs"."""
        pos = start
        for piece in text[start:end].split(";"):
            at, pos = pos, pos + len(piece) + 1
            if "<" in piece or "@" in piece or "[mailto:" in piece or not piece.strip():
                continue
            yield from self._who(text, at, at + len(piece), 0.85, check=True)

    def _roll(self, text: str, start: int, end: int) -> Iterator[Finding]:
        """Names listed after "Present:", "Apologies:", "Chair:" and the like."""
        pos = start
        for piece in _SPLIT.split(text[start:end]):
            at = text.find(piece, pos, end) if piece else -1
            if at < 0:
                continue
            pos = at + len(piece)
            name = piece.split("(")[0].rstrip(" \t.")
            title = _TITLE_PREFIX.match(name)
            if title:
                at, name = at + title.end(), name[title.end() :]
            words = _NAME_WORD.findall(name)
            if any(w.lower() in _ROLE_LABELS for w in words):
                continue
            if words and (looks_like_name(words) or self._initials(words)):
                yield Finding(at, at + len(name), "PERSON", self.name, 0.85)

    def _signatures(self, text: str) -> Iterator[Finding]:
        """Up to two short name-like lines after a sign-off."""
        for m in _SIGN_OFF.finditer(text):
            pos, found = m.end(), 0
            for line in re.finditer(r"[^\n]*", text[pos : pos + 300]):
                body = line.group().strip()
                if not body:
                    continue
                words = body.split()
                if len(words) > 4 or not looks_like_name([w.strip(",.") for w in words]):
                    break
                at = pos + line.start() + line.group().index(body)
                yield Finding(at, at + len(body.rstrip(",.")), "PERSON", self.name, 0.8)
                found += 1
                if found == 2:
                    break
