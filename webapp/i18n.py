"""Interface strings in English and Spanish; the language comes from ``?ui=`` or Accept-Language."""

from __future__ import annotations

from flask import request

from indexer.search import UI_LANGUAGES as LANGUAGES

STRINGS: dict[str, dict[str, str]] = {
    "app_tagline": {"en": "Search government press releases", "es": "Busca comunicados de gobierno"},
    "search": {"en": "Search", "es": "Buscar"},
    "query_label": {"en": "Search releases", "es": "Buscar comunicados"},
    "query_placeholder": {
        "en": 'e.g. Sánchez Cordero, "arms trafficking", fentanyl',
        "es": 'p. ej. Sánchez Cordero, "tráfico de armas", huachicol',
    },
    "results": {"en": "{n} releases", "es": "{n} comunicados"},
    "result_one": {"en": "1 release", "es": "1 comunicado"},
    "no_results": {"en": "No release matches this search.", "es": "Ningún comunicado coincide con esta búsqueda."},
    "no_results_filters": {
        "en": "These filters are active; dropping one may find releases:",
        "es": "Estos filtros están activos; quitar uno puede encontrar comunicados:",
    },
    "drop_filter": {"en": "Drop {what}", "es": "Quitar {what}"},
    "no_results_tips": {
        "en": "Tips: use fewer words, drop the quotes around a phrase, or check the spelling.",
        "es": "Sugerencias: usa menos palabras, quita las comillas de una frase o revisa la ortografía.",
    },
    "page_past_end": {"en": "This page is past the last one.", "es": "Esta página está más allá de la última."},
    "timeline_years": {"en": "Matching releases per year", "es": "Comunicados que coinciden, por año"},
    "timeline_months": {"en": "Matching releases per month", "es": "Comunicados que coinciden, por mes"},
    "timeline_bar": {
        "en": "{period}: {n} releases",
        "es": "{period}: {n} comunicados",
        "en_one": "{period}: 1 release",
        "es_one": "{period}: 1 comunicado",
    },
    "matched_forms": {"en": "Matched as", "es": "Coincide como"},
    "did_you_mean": {"en": "Did you mean", "es": "¿Quisiste decir"},
    "sort": {"en": "Sort", "es": "Ordenar"},
    "sort_relevance": {"en": "Relevance", "es": "Relevancia"},
    "sort_newest": {"en": "Newest", "es": "Más recientes"},
    "sort_oldest": {"en": "Oldest", "es": "Más antiguos"},
    "filters": {"en": "Filters", "es": "Filtros"},
    "active_filters": {"en": "Active filters", "es": "Filtros activos"},
    "clear_all": {"en": "Clear all", "es": "Quitar todos"},
    "remove_filter": {"en": "Remove filter", "es": "Quitar filtro"},
    "more": {"en": "More…", "es": "Más…"},
    "facet_agency": {"en": "Agency", "es": "Dependencia"},
    "facet_publisher": {"en": "Publisher", "es": "Emisor"},
    "facet_official": {"en": "Official", "es": "Funcionario"},
    "facet_role": {"en": "Post", "es": "Cargo"},
    "facet_lang": {"en": "Language", "es": "Idioma"},
    "facet_year": {"en": "Year", "es": "Año"},
    "date_range": {"en": "Date range", "es": "Rango de fechas"},
    "from": {"en": "From", "es": "Desde"},
    "to": {"en": "To", "es": "Hasta"},
    "date_hint": {"en": "YYYY, YYYY-MM or YYYY-MM-DD", "es": "AAAA, AAAA-MM o AAAA-MM-DD"},
    "apply": {"en": "Apply", "es": "Aplicar"},
    "previous": {"en": "Previous", "es": "Anterior"},
    "next": {"en": "Next", "es": "Siguiente"},
    "page_of": {"en": "Page {page} of {pages}", "es": "Página {page} de {pages}"},
    "pagination": {"en": "Pages", "es": "Páginas"},
    "no_date": {"en": "no date", "es": "sin fecha"},
    "date_inferred": {"en": "date inferred", "es": "fecha inferida"},
    "officials": {"en": "Officials", "es": "Funcionarios"},
    "agencies": {"en": "Agencies", "es": "Dependencias"},
    "topics": {"en": "Topics", "es": "Temas"},
    "publisher": {"en": "Publisher", "es": "Emisor"},
    "language": {"en": "Language", "es": "Idioma"},
    "date": {"en": "Date", "es": "Fecha"},
    "source": {"en": "Source", "es": "Fuente"},
    "source_id": {"en": "Id as published", "es": "Identificador original"},
    "original": {"en": "Original page", "es": "Página original"},
    "images": {"en": "Images", "es": "Imágenes"},
    "related": {"en": "Related releases", "es": "Comunicados relacionados"},
    "matches": {"en": "{n} matches", "es": "{n} coincidencias"},
    "matches_capped": {
        "en": "More than {n} matches; the first {n} are marked",
        "es": "Más de {n} coincidencias; se marcan las primeras {n}",
    },
    "match_nav": {"en": "Matches", "es": "Coincidencias"},
    "first_match": {"en": "First match", "es": "Primera coincidencia"},
    "back_to_results": {"en": "Back to results", "es": "Volver a los resultados"},
    "help": {"en": "Query syntax", "es": "Sintaxis de búsqueda"},
    "export_csv": {"en": "Export CSV", "es": "Exportar CSV"},
    "export_json": {"en": "Export JSON", "es": "Exportar JSON"},
    "feed": {"en": "Atom feed of this search", "es": "Canal Atom de esta búsqueda"},
    "facet_filter_label": {"en": "Narrow the list", "es": "Filtrar la lista"},
    "facet_filter_placeholder": {"en": "Type part of a name", "es": "Escribe parte de un nombre"},
    "facet_values_title": {"en": "All values: {facet}", "es": "Todos los valores: {facet}"},
    "no_values": {"en": "No value matches.", "es": "Ningún valor coincide."},
    "truncated_values": {
        "en": "Showing the first {n} values; type to narrow.",
        "es": "Se muestran los primeros {n} valores; escribe para filtrar.",
    },
    "switch_language": {"en": "Español", "es": "English"},
    "no_index_title": {"en": "No index yet", "es": "Aún no hay índice"},
    "no_index_body": {
        "en": "Pressroom has no index to search. Build one from release files:",
        "es": "Pressroom no tiene un índice. Constrúyelo a partir de archivos de comunicados:",
    },
    "not_found_title": {"en": "Not found", "es": "No encontrado"},
    "no_such_release": {
        "en": "Pressroom has no release with the id '{id}'.",
        "es": "Pressroom no tiene ningún comunicado con el identificador '{id}'.",
    },
    "no_such_facet": {
        "en": "There is no facet '{name}'; the facets are {names}.",
        "es": "No hay una faceta '{name}'; las facetas son {names}.",
    },
    "not_found_body": {
        "en": "There is no release or page at this address.",
        "es": "No hay un comunicado ni una página en esta dirección.",
    },
    "bad_request_title": {"en": "Bad request", "es": "Solicitud no válida"},
    "timeout_title": {"en": "This search took too long", "es": "Esta búsqueda tardó demasiado"},
    "unavailable_title": {"en": "The search servers do not answer", "es": "Los servidores de búsqueda no responden"},
    "unavailable_body": {
        "en": "Pressroom cannot reach its search cluster right now. Try again in a moment.",
        "es": "Pressroom no puede comunicarse ahora con su clúster de búsqueda. Inténtalo de nuevo en un momento.",
    },
    "loading_title": {"en": "The index is still loading", "es": "El índice aún se está cargando"},
    "loading_body": {
        "en": "The search servers are loading the releases after a restart. Until one holds them all, "
        "Pressroom answers nothing rather than part of them. Try again in a moment.",
        "es": "Los servidores de búsqueda están cargando los comunicados tras un reinicio. Hasta que uno los "
        "tenga todos, Pressroom prefiere no responder a responder con una parte. Inténtalo de nuevo en un momento.",
    },
    "error_title": {"en": "Something went wrong", "es": "Algo salió mal"},
    "error_body": {
        "en": "The error was logged. Please try again.",
        "es": "El error quedó registrado. Inténtalo de nuevo.",
    },
    "new_search": {"en": "New search", "es": "Nueva búsqueda"},
    "skip": {"en": "Skip to results", "es": "Saltar a los resultados"},
    "selected": {"en": "selected", "es": "seleccionado"},
    "rank": {"en": "Rank", "es": "Rango"},
    # Profiles, posts and their holders (webapp.tenure_views)
    "facet_holder_of": {"en": "Holder of", "es": "Titular de"},
    "no_such_official": {
        "en": "Pressroom has no official named '{name}'.",
        "es": "Pressroom no tiene ningún funcionario llamado '{name}'.",
    },
    "no_such_post": {
        "en": "Pressroom knows no holder of a post named '{post}'.",
        "es": "Pressroom no conoce a ningún titular de un cargo llamado '{post}'.",
    },
    "acting": {"en": "acting", "es": "interino"},
    "term_bar": {"en": "{who}: {first} to {last}", "es": "{who}: del {first} al {last}"},
    "month_bar": {
        "en": "{month}: {n} releases",
        "es": "{month}: {n} comunicados",
        "en_one": "{month}: 1 release",
        "es_one": "{month}: 1 comunicado",
    },
    "posts_held": {"en": "Posts held", "es": "Cargos ocupados"},
    "releases_per_month": {"en": "Releases per month", "es": "Comunicados por mes"},
    "appears_with": {"en": "Named with", "es": "Aparece con"},
    "also_written": {"en": "Also written", "es": "También escrito"},
    "releases_span": {
        "en": "{n} releases, {first} to {last}",
        "es": "{n} comunicados, del {first} al {last}",
    },
    "their_releases": {"en": "All their releases", "es": "Todos sus comunicados"},
    "latest_releases": {"en": "Latest releases", "es": "Comunicados más recientes"},
    "feed_official": {"en": "Atom feed of their releases", "es": "Canal Atom de sus comunicados"},
    "feed_post": {
        "en": "Atom feed of the releases naming whoever holds this post",
        "es": "Canal Atom de los comunicados que nombran a quien ocupa este cargo",
    },
    "holders": {"en": "Holders", "es": "Titulares"},
    "seats_single": {"en": "One holder at a time", "es": "Un titular a la vez"},
    "seats_multi": {"en": "Several holders at a time", "es": "Varios titulares a la vez"},
    "releases_in_post": {"en": "{n} releases in this post", "es": "{n} comunicados en este cargo"},
    "holder_of_search": {
        "en": "Releases naming whoever held this post at the time",
        "es": "Comunicados que nombran a quien ocupaba el cargo en su fecha",
    },
    "written_search": {"en": "Releases that write this post", "es": "Comunicados que escriben este cargo"},
    "profile": {"en": "Profile", "es": "Perfil"},
    "profile_of": {"en": "Profile of {name}", "es": "Perfil de {name}"},
    "tenure_note": {
        "en": "Dates are the first and last release that shows each term, not the legal dates.",
        "es": "Las fechas son el primer y el último comunicado que muestran cada periodo, no las fechas legales.",
    },
    "post_timeline": {"en": "Terms on a timeline", "es": "Periodos en una línea de tiempo"},
    "official_col": {"en": "Official", "es": "Funcionario"},
    "from_col": {"en": "First release", "es": "Primer comunicado"},
    "to_col": {"en": "Last release", "es": "Último comunicado"},
    "releases_col": {"en": "Releases", "es": "Comunicados"},
    "agency_col": {"en": "Agency", "es": "Dependencia"},
    "as_json": {"en": "JSON", "es": "JSON"},
    "post_word": {"en": "Post", "es": "Cargo"},
    "holders_shown": {
        "en": "Holders {first}–{last} of {total}, oldest first",
        "es": "Titulares {first}–{last} de {total}, del más antiguo al más reciente",
    },
    # Query words that named an entity (indexer.search.aliases)
    "also_matched": {"en": "Also matched: {label}, through its {how}", "es": "También se buscó: {label}, por su {how}"},
    "through_english": {"en": "English name", "es": "nombre en inglés"},
    "through_spanish": {"en": "Spanish name", "es": "nombre en español"},
    "through_acronym": {"en": "acronym", "es": "sigla"},
    "through_alias": {"en": "other name", "es": "otro nombre"},
}


def ui_lang() -> str:
    """The interface language: ``?ui=es|en`` if given, else the browser's Accept-Language, else English."""
    chosen = request.args.get("ui")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def translate(key: str, lang: str, **values: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``values``; where ``n`` is 1 and the entry
    has a singular form (``en_one``), that one ("1 release", not "1 releases")."""
    entry = STRINGS.get(key)
    if entry and values.get("n") == 1 and (entry.get(f"{lang}_one") or entry.get("en_one")):
        entry = {lang: entry.get(f"{lang}_one") or entry["en_one"]}
    text = entry.get(lang) or entry["en"] if entry else key
    return text.format(**values) if values else text
