"""Language of a release: langdetect, seeded so results never vary, ``und`` when unsure."""

from __future__ import annotations

import re

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

# Seeded at import, so every process (also build workers) gets the same answer for the same text.
DetectorFactory.seed = 0

#: Fewer letters than this and the guess is noise: the release is ``und``.
MIN_LETTERS = 40
#: Enough text for a stable guess; transcripts run to 50,000+ characters.
SAMPLE_CHARS = 3000
#: A guess below this probability is ``und``.
MIN_PROBABILITY = 0.70

# ISO 639-1 codes langdetect knows (its profiles), plus 'und'.
KNOWN_CODES = frozenset(
    "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv mk ml mr "
    "ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur vi zh".split()
)

LANGUAGE_LABELS = {
    "en": {"en": "English", "es": "inglés"},
    "es": {"en": "Spanish", "es": "español"},
    "vi": {"en": "Vietnamese", "es": "vietnamita"},
    "fr": {"en": "French", "es": "francés"},
    "pt": {"en": "Portuguese", "es": "portugués"},
    "zh": {"en": "Chinese", "es": "chino"},
    "ko": {"en": "Korean", "es": "coreano"},
    "und": {"en": "Undetermined", "es": "indeterminado"},
}

_LETTER = re.compile(r"[^\W\d_]")


def normalize_lang(value: object) -> str | None:
    """A valid ISO 639-1 code from an input's ``lang`` (``"ES"``, ``"es-MX"`` -> ``"es"``), else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if code in KNOWN_CODES else None


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or ``und`` if it is too short or unclear.

    >>> detect_language("El secretario de la Defensa Nacional informó sobre la seguridad del país.")
    'es'
    >>> detect_language("OK")
    'und'
    """
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return "und"
    try:
        # Lower-cased: some sources shout whole releases, which langdetect reads poorly.
        best = detect_langs(sample.lower())[0]
    except LangDetectException:
        return "und"
    code = normalize_lang(best.lang)
    if code is None or best.prob < MIN_PROBABILITY:
        return "und"
    return code


def language_label(code: str, ui_lang: str = "en") -> str:
    """Human label of a language code in the interface language (falls back to the code)."""
    return LANGUAGE_LABELS.get(code, {}).get(ui_lang, code)
