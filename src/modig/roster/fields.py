"""The fields a staff list can hold, the header names that map to them, and job titles → SSYK.

Header names are compared after `normalise_header` (lower case, å/ä/ö folded, no spaces or
punctuation), so "Anst.nr", "ANSTNR" and "anst nr" are the same header.
"""

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field("employee_id", _("Employee id"), True, (
        "anställningsnummer", "anstnr", "anst nr", "anställningsnr", "anstallningsid",
        "personalnummer", "personalnr", "employee id", "employeeid", "employee number", "emp id",
    )),
    Field("first_name", _("First name"), True, ("förnamn", "tilltalsnamn", "first name",
                                               "firstname", "given name")),
    Field("last_name", _("Last name"), True, ("efternamn", "last name", "lastname", "surname",
                                             "family name")),
    Field("email", _("E-mail"), False, ("e-post", "epost", "e-postadress", "mejl", "mail",
                                        "email", "e-mail", "email address")),
    Field("mobile", _("Mobile"), False, ("mobil", "mobilnummer", "mobiltelefon", "telefon",
                                         "mobile", "mobile phone", "phone")),
    Field("identity_number", _("Identity number"), False, (
        "personnummer", "personnr", "pnr", "samordningsnummer", "identity number",
        "personal identity number", "ssn",
    )),
    Field("birth_year", _("Birth year"), False, ("födelseår", "född", "birth year",
                                                "year of birth")),
    Field("gender", _("Gender"), False, ("kön", "gender", "sex")),
    Field("job_title", _("Job title"), False, ("befattning", "yrke", "titel", "yrkestitel",
                                               "befattningsbenämning", "job title", "title",
                                               "occupation", "position")),
    Field("ssyk_code", _("SSYK code"), False, ("ssyk", "ssyk-kod", "ssyk kod", "ssyk 2012",
                                               "ssyk code")),
    Field("unit", _("Unit"), True, ("enhet", "arbetsplats", "kostnadsställe", "enhetsnamn",
                                    "unit", "workplace", "cost centre", "cost center")),
    Field("unit_parents", _("Parent units"), False, ("förvaltning", "område", "organisation",
                                                     "sökväg", "parent units", "department",
                                                     "area")),
    Field("operation_area", _("Operation area"), False, ("verksamhetsområde", "verksamhet",
                                                         "operation area")),
    Field("staff_category", _("Staff category"), False, ("personalkategori", "kategori",
                                                         "staff category")),
    Field("target_groups", _("Target groups"), False, ("målgrupp", "målgrupper",
                                                       "target group", "target groups")),
    Field("started_on", _("Start date"), False, ("startdatum", "anställd från", "från",
                                                 "start date", "start")),
    Field("ended_on", _("End date"), False, ("slutdatum", "anställd till", "till", "end date",
                                             "end")),
)
FIELDS_BY_KEY = {field.key: field for field in FIELDS}
REQUIRED_KEYS = tuple(field.key for field in FIELDS if field.required)
# Parent units in one cell are separated by ">" (or "/"): "Äldreomsorg > Område Nödinge".
# Several columns may hold parent units (Förvaltning, Område); they are read left to right.
MULTI_COLUMN_KEYS = frozenset({"unit_parents"})
PATH_SEPARATOR = re.compile(r"\s*[>/]\s*")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without diacritics: 'Förnamn' → 'fornamn'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(header or ""))


_ALIASES = {normalise_header(alias): field.key for field in FIELDS for alias in field.aliases}
_ALIASES.update({normalise_header(field.key): field.key for field in FIELDS})


def guess_field(header: str) -> str:
    """The field a header most likely holds, or '' when it is not one we know."""
    return _ALIASES.get(normalise_header(header), "")


def guess_mapping(headers: list[str], remembered: dict[str, str] | None = None) -> dict[str, str]:
    """{header: field} from the municipality's remembered mapping, then from known names."""
    remembered = remembered or {}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        normalised = normalise_header(header)
        key = remembered[normalised] if normalised in remembered else guess_field(header)
        if key and key in FIELDS_BY_KEY and key not in taken:
            mapping[header] = key
            if key not in MULTI_COLUMN_KEYS:
                taken.add(key)
        else:
            mapping[header] = ""
    return mapping


# Job title → SSYK 2012 code; a tuple gives (elderly care, disability support).
# See shared/domain/README.md, "Role → code mapping".
TITLE_CODES: dict[str, str | tuple[str, str]] = {
    "undersköterska": ("5321", "5322"),
    "usk": ("5321", "5322"),
    "vårdbiträde": "5330",
    "vårdare": "5342",
    "personlig assistent": "5343",
    "boendestödjare": "5342",
    "stödassistent": "5342",
    "stödpedagog": "3411",
    "socialpedagog": "3411",
    "behandlingsassistent": "3411",
    "skötare": "5341",
    "sjuksköterska": "2221",
    "distriktssköterska": "2224",
    "geriatriksjuksköterska": "2227",
    "fysioterapeut": "2272",
    "sjukgymnast": "2272",
    "arbetsterapeut": "2273",
    "biståndshandläggare": "2663",
    "biståndsbedömare": "2663",
    "utvecklingsledare": "2421",
    "utredare": "2422",
    "enhetschef": ("1532", "1522"),
    "verksamhetschef": ("1531", "1521"),
    "områdeschef": ("1531", "1521"),
    "avdelningschef": ("1531", "1521"),
    "omsorgspersonal": "5349",
}
_TITLES = sorted(((fold(title), code) for title, code in TITLE_CODES.items()),
                 key=lambda item: -len(item[0]))
TITLE_NAMES = list(TITLE_CODES)


def ssyk_for_title(title: str, *, disability_support: bool) -> str:
    """The SSYK code a job title maps to ('' when unknown); longest known prefix wins."""
    folded = " ".join(fold(title).split())
    for known, code in _TITLES:
        if folded == known or folded.startswith(known + " ") or folded.startswith(known + ","):
            if isinstance(code, tuple):
                return code[1] if disability_support else code[0]
            return code
    return ""


def closest(value: str, candidates: list[str]) -> str:
    """The candidate most like the value (for 'did you mean …'), or ''."""
    by_fold = {fold(candidate): candidate for candidate in candidates}
    match = difflib.get_close_matches(fold(value), list(by_fold), n=1, cutoff=0.6)
    return by_fold[match[0]] if match else ""
