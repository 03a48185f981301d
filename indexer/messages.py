"""What Pressroom tells a reader about a request, in each interface language.

Errors and warnings carry a message id and its values; the web pages, the API (``ui=es``) and the
CLI (``--ui-lang es``) each ask here for the text in their language. The API's ``code`` and
``param`` never change with the language.

>>> message("page_min", "es")
"'page' debe ser 1 o más"
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    "date_format": {
        "en": "'{param}' must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}",
        "es": "'{param}' debe ser AAAA, AAAA-MM o AAAA-MM-DD, no {text!r}",
    },
    "date_unreal": {
        "en": "'{param}' is not a real date: {text!r}",
        "es": "'{param}' no es una fecha real: {text!r}",
    },
    "date_order": {
        "en": "'from' ({date_from}) is after 'to' ({date_to})",
        "es": "'from' ({date_from}) es posterior a 'to' ({date_to})",
    },
    "query_long": {
        "en": "the query is longer than {limit} characters",
        "es": "la búsqueda tiene más de {limit} caracteres",
    },
    "page_min": {"en": "'page' must be 1 or more", "es": "'page' debe ser 1 o más"},
    "range": {
        "en": "'{param}' must be between 1 and {limit}",
        "es": "'{param}' debe estar entre 1 y {limit}",
    },
    "one_of": {
        "en": "'{param}' must be one of {choices}",
        "es": "'{param}' debe ser uno de estos valores: {choices}",
    },
    "ui": {
        "en": "'ui' must be {choices}, not {value!r}",
        "es": "'ui' debe ser {choices}, no {value!r}",
    },
    "whole_number": {
        "en": "'{param}' must be a whole number, not {value!r}",
        "es": "'{param}' debe ser un número entero, no {value!r}",
    },
    "year": {
        "en": "'year' must be a four-digit year, not {value!r}",
        "es": "'year' debe ser un año de cuatro cifras, no {value!r}",
    },
    "unknown_facet": {
        "en": "unknown facet {name!r}; facets are {names}",
        "es": "no existe la faceta {name!r}; las facetas son {names}",
    },
    "leading_wildcard": {
        "en": "'{text}' starts with a wildcard, which would read every word of the index; "
        "start the pattern with a letter or digit",
        "es": "'{text}' empieza con un comodín, lo que obligaría a leer todas las palabras del índice; "
        "empiece el patrón con una letra o una cifra",
    },
    "too_broad": {
        "en": "'{text}' matches more than {limit:,} words; type more letters before the * or ?",
        "es": "'{text}' coincide con más de {limit:,} palabras; escriba más letras antes del * o ?",
    },
    "timeout": {
        "en": "the query took longer than {budget:g} s and was stopped; simplify it or try again later",
        "es": "la búsqueda tardó más de {budget:g} s y se detuvo; simplifíquela o vuelva a intentarlo más tarde",
    },
    "ts_phrase_limit": {
        "en": "the phrase {phrase} is in more than {limit:,} releases; on the Typesense backend "
        "a phrase under OR or NOT must be rarer: add words or use it without OR/NOT",
        "es": "la frase {phrase} está en más de {limit:,} publicaciones; en el motor Typesense "
        "una frase bajo OR o NOT debe ser más rara: añada palabras o úsela sin OR/NOT",
    },
    "ts_filter_limit": {
        "en": "this search asks too much of the Typesense backend at once ({size} filter terms; it takes "
        "at most {limit}): use fewer words, fewer OR alternatives, or fewer values of one filter",
        "es": "esta búsqueda pide demasiado a la vez al motor Typesense ({size} términos de filtro; admite "
        "como máximo {limit}): use menos palabras, menos alternativas con OR o menos valores de un filtro",
    },
    "ts_candidates": {
        "en": "'{text}' starts more than {limit:,} words (the Typesense backend's limit); "
        "type more letters (a query expands to at most {most:,} words)",
        "es": "'{text}' empieza más de {limit:,} palabras (el límite del motor Typesense); "
        "escriba más letras (una búsqueda se expande a {most:,} palabras como mucho)",
    },
    "no_such_value": {
        "en": "no release has the {param} {value!r}",  # param_label: the facet's name in Spanish
        "es": "ningún comunicado tiene {param_label} {value!r}",
    },
}


#: The CLI's own words (``pressroom search --ui-lang es``).
CLI: dict[str, dict[str, str]] = {
    "results": {"en": "{total} release(s)", "es": "{total} comunicado(s)"},
    "page_of": {"en": ", page {page} of {pages}", "es": ", página {page} de {pages}"},
    "sorted_by": {"en": ", sorted by {sort}", "es": ", ordenados por {sort}"},
    "sort_relevance": {"en": "relevance", "es": "relevancia"},
    "sort_newest": {"en": "newest", "es": "más recientes"},
    "sort_oldest": {"en": "oldest", "es": "más antiguas"},
    "did_you_mean": {"en": "Did you mean: {suggestion}", "es": "¿Quiso decir: {suggestion}?"},
    "no_date": {"en": "(no date)", "es": "(sin fecha)"},
    "officials": {"en": "officials", "es": "funcionarios"},
    "warning": {"en": "warning", "es": "aviso"},
    "bad_option": {"en": "Invalid value for {option}: {text}", "es": "Valor no válido para {option}: {text}"},
    "facet_agency": {"en": "agency", "es": "dependencia"},
    "facet_publisher": {"en": "publisher", "es": "emisor"},
    "facet_official": {"en": "official", "es": "funcionario"},
    "facet_role": {"en": "role", "es": "cargo"},
    "facet_lang": {"en": "language", "es": "idioma"},
    "facet_year": {"en": "year", "es": "año"},
    "facet_holder_of": {"en": "holder of", "es": "titular de"},
    "no_post_named": {"en": "no post named {post}", "es": "ningún cargo se llama {post}"},
    "seats_single": {"en": "one holder at a time", "es": "un titular a la vez"},
    "seats_multi": {"en": "several holders at a time", "es": "varios titulares a la vez"},
    "holder_term": {
        "en": "  {first} to {last}  {name}  ({acting}{releases})",
        "es": "  {first} a {last}  {name}  ({acting}{releases})",
    },
    "acting_mark": {"en": "acting, ", "es": "interino, "},
}
MESSAGES.update(CLI)


def releases_label(n: int, lang: str = "en") -> str:
    """``n`` releases, singular for one.

    >>> releases_label(1), releases_label(1234), releases_label(2, "es")
    ('1 release', '1,234 releases', '2 comunicados')
    """
    word = {"en": ("release", "releases"), "es": ("comunicado", "comunicados")}.get(lang) or ("release", "releases")
    return f"{n:,} {word[n != 1]}"


def message(key: str, lang: str = "en", **values: Any) -> str:
    """The message ``key`` in ``lang`` (English when it has no such translation), with ``values``."""
    texts = MESSAGES[key]
    return texts.get(lang, texts["en"]).format(**values)
