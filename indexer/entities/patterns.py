"""The regular expressions of extraction: jurisdiction cues, qualifiers, generic posts, labels.

They describe the shapes releases use around a title ("of the ...", "for Mexico", "former ...",
"NAME, POST:"); the extractor (``extractor``, ``generic``, ``speakers``) applies them.
"""

from __future__ import annotations

import re

from ..analysis import fold_key
from .names import MX_STATES, UPPER, US_STATE_NAMES

JURISDICTION_PREFIX = re.compile(
    r"(?:(?P<us>u\.?s\.?|united states|american|the us|estadounidense)"
    r"|(?P<mx>mexican|mexico's|mexicos|mexico|mexicano))\s+$"
)
JURISDICTION_SUFFIX = re.compile(
    r"^\s+(?:(?P<us>of the united states|de (?:los )?estados unidos)|(?P<mx>of mexico|de mexico|de la republica))\b"
)
CUES = [
    (
        re.compile(
            r"\bfor mexico\b|\bpor mexico\b|\bmexican (?:delegation|government|side|officials)\b"
            r"|\bgobierno de mexico\b|\bdelegacion mexicana\b"
        ),
        "MX",
    ),
    (
        re.compile(
            r"\bunited states delegation\b|\bu\.?s\.? delegation\b|\bamerican delegation\b|\bfor the united states\b"
            r"|\bpor estados unidos\b|\bdelegacion (?:de )?estadounidense\b|\bgobierno de (?:los )?estados unidos\b"
        ),
        "US",
    ),
]
DISTRIBUTIVE = re.compile(
    r"\b(?:the\s+|los\s+|las\s+)?(?P<head>secretaries|secretarios|secretarias|undersecretaries|subsecretarios)\s+(?:of|de)\s+"
)
HEAD_SINGULAR = {
    "secretaries": "Secretary of",
    "secretarios": "Secretario de",
    "secretarias": "Secretaria de",
    "undersecretaries": "Undersecretary of",
    "subsecretarios": "Subsecretario de",
}
# Qualifier words run to a comma; a dot only ends them at a sentence end ("U.S." stays inside).
QUAL_CHAR = r"(?:[^,;:()\n.]|\.(?=\S)|(?<![A-Za-z][A-Za-z])(?<=[A-Z])\.)"
QUALIFIER = re.compile(
    rf"^(?:,\s+head)?\s+(?:at|of|for|to|in|with|from|de|del|en|para|por)\s+{QUAL_CHAR}{{1,80}}?(?=,|\.\s|\.$|;)"
)
AFTER_NAME_QUALIFIER = re.compile(
    rf"\s*,?\s+(?:head\s+of\s+)?(?:of|for|in|de|del|from|with|at|en|para)\s+(?:the\s+|la\s+|el\s+)?{QUAL_CHAR}{{2,100}}"
)
#: "Name, " before a title, with what may stand between: "the", "acting", "quien es el", "actual".
NAME_COMMA_BEFORE = re.compile(
    r"(?P<name>[^,;:()\n]{2,100}?),\s+(?:(?:quien|que|él|ella)\s+es\s+)?(?:the\s+|el\s+|la\s+|los\s+|nuestro\s+|nuestra\s+)?"
    r"(?:(?:U\.S\.|US|acting|interim|then|actual)\s+)?$",
    re.I,
)
STATE_BEFORE = re.compile(rf"(?<![\w.])(?P<state>{US_STATE_NAMES})(?:\s+State)?\s+$")
FORMER = re.compile(r"(?i)\b(?:former|ex|exsecretari[oa]|otrora)[\s-]+$")
#: A post of a state or of Mexico City rather than the federal one of the same name.
LOCAL_SUFFIX = re.compile(
    rf"\s+(?:de la Ciudad de México|del (?:estado|Estado) de (?:{MX_STATES})|de (?:{MX_STATES})\b)"
)
STATE_OF = re.compile(rf"(?:del (?:estado|Estado) de|de la) (?P<state>{MX_STATES}|Ciudad de México)\b")
#: English titles that, with "of the <organisation>", make a post outside the tables.
GENERIC_TITLE_EN = re.compile(
    r"(?<![\w.])(?P<title>(?:Chief|Superintendent|Commissioner|Chairwoman|Chairman|Chair|President|Director|Administrator|Sheriff|Commander))\b"
)
OF_ORGANISATION = re.compile(
    r"\s+of\s+the\s+(?P<org>(?:Mexican\s+|Canadian\s+)?(?:[A-Z][\w'’&.-]*|of|and|for|on|the)(?:\s+(?:[A-Z][\w'’&.-]*|of|and|for|on|the)){0,8}"
    r"\s+(?:Department|Police|Commission|Office|Service|Agency|Bureau|Administration|Patrol|Board|Authority|Council|Court))\b"
)

#: English titles that follow the organisation they serve in: "Brooklyn Supreme Court Justice
#: Evelyn LaPorte", "Santa Ana Police Department Chief David Valentin", "NYPD Commissioner ...".
ORG_TITLE_EN = re.compile(
    r"(?<![\w.])(?P<title>Deputy Commissioner|Inspector General|Justice|Judge|Detective|Commissioner|Chief"
    r"|Councilman|Councilwoman|Councilmember|Supervisor|Sheriff|Superintendent|Director|Captain|Lieutenant"
    r"|Sergeant)(?=[ \t]+[A-Z])"
)
_ORG_WORD = r"[A-Z][\w'’&.-]*"
#: The organisation just before such a title: capitalised words ending in what an organisation
#: is (a court, a department, a council, "City of ..."), or an acronym.
ORG_BEFORE = re.compile(
    rf"(?P<org>(?:{_ORG_WORD}[ \t]+(?:(?:of|the|and|for)[ \t]+)?)*?"
    rf"(?:Court|Police Department|Department(?:[ \t]+of[ \t]+{_ORG_WORD})?|Police|Office|Commission|Agency|Bureau"
    rf"|Council|City[ \t]+of[ \t]+{_ORG_WORD}(?:[ \t]+{_ORG_WORD})?)|(?<![\w.])[A-Z]{{2,6}})[ \t]+$"
)
#: The kind of court in a court's name ("Brooklyn Supreme Court" -> "Supreme Court").
COURT_KIND = re.compile(
    r"(?:Supreme|Superior|District|Criminal|Civil|Family|Appellate|Circuit|Municipal|Bankruptcy|Housing|"
    r"Surrogate['’]?s)(?:[ \t]+[A-Z]\w+)*[ \t]+Court$"
)

#: Spanish post words that open a post outside the tables, and the words that complete it.
GENERIC_POST = re.compile(
    r"(?<![\w])(?P<post>(?P<bare>(?:[Ss]ub)?[Ss]ecretari[oa]|[Dd]irector(?:a)?(?:\s+general)?|[Tt]itular"
    r"|[Gg]obernador(?:a)?(?:\s+constitucional)?|[Cc]oordinador(?:a)?(?:\s+(?:general|nacional))?|[Cc]omisionad[oa]"
    r"|[Jj]ef[ea]|[Pp]resident[ea]\s+municipal|[Ss]enador(?:a)?|[Dd]iputad[oa](?:\s+(?:federal|local))?"
    r"|[Pp]rocurador(?:a)?|[Ee]mbajador(?:a)?|[Aa]lcalde(?:sa)?|[Dd]elegad[oa]|[Ss]upervisor(?:a)?)"
    # what completes the post: "de ...", up to a comma, "y" before a new clause, "quien", "que"
    r"(?:\s+(?:de|del|para|en|por|ante)\s+"
    r"(?:(?!\s+(?:y\s+(?!el\s|la\s|los\s|las\s|[A-ZÁÉÍÓÚÑ])|quien\s|que\s|él\s|ella\s))[^,;:.()\n]){1,140})?)"
    r"(?=\s*[,;:.()\n]|\s+(?:y|quien|que)\s|[ \t]+[A-ZÁÉÍÓÚÑ])"
)
LABEL = re.compile(
    rf"^[ \t]*(?P<label>[{UPPER}][{UPPER} .'’\-]{{2,80}}?)(?:\s*[,.]\s*(?P<post>[^:\n]{{2,200}}?))?\s*:(?=\s)",
    re.MULTILINE,
)
NON_PERSON_LABELS = frozenset(
    fold_key(w)
    for w in [
        "PREGUNTA",
        "INTERLOCUTOR",
        "INTERLOCUTORA",
        "VOCES A CORO",
        "VOZ A CORO",
        "VOCES",
        "CORO",
        "MODERADOR",
        "MODERADORA",
        "PRESENTADOR",
        "PRESENTADORA",
        "MAESTRO DE CEREMONIAS",
        "MAESTRA DE CEREMONIAS",
        "ASISTENTE",
        "ASISTENTES",
        "PARTICIPANTE",
        "PARTICIPANTES",
        "INTERVENCION",
        "RESPUESTA",
        "NOTA",
        "VIDEO",
        "AUDIO",
        "LOCUTOR",
        "LOCUTORA",
        "PUBLICO",
        "SE ESCUCHA",
        "INTERPRETE",
        "TRADUCTOR",
        "TRADUCTORA",
        "REPORTERO",
        "REPORTERA",
        "PERIODISTA",
        "HOMBRE",
        "MUJER",
        "NINO",
        "NINA",
        "QUESTION",
        "ANSWER",
        "SPEAKER",
        "AUDIENCE",
        "ATTACHMENT",
        "ATTACHMENTS",
        "CONTACT",
        "NOTE",
        "PRESS",
        "MEDIA",
        "UPDATE",
        "WASHINGTON",
    ]
)
POST_HEADS = re.compile(
    r"^(?:secretari[oa]|subsecretari[oa]|director(?:a)?|titular|gobernador(?:a)?|coordinador(?:a)?|"
    r"comisionad[oa]|jef[ea]|president[ea]|fiscal|procurador(?:a)?|subprocurador(?:a)?|embajador(?:a)?|"
    r"consejer[oa]|comandante|vocero|vocera|senador(?:a)?|diputad[oa]|alcalde(?:sa)?|presidente municipal)\b"
)
