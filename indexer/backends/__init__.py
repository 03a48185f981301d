"""Search backends: Whoosh (the embedded default) and Typesense (a replicated cluster).

``open_backend(name, index)`` picks one: the name given (``--backend``), else
``$PRESSROOM_BACKEND``, else ``whoosh``. The Typesense backend is imported only when asked for,
so Whoosh users never need the ``typesense`` extra.
"""

from __future__ import annotations

import os

from .base import Backend, SearchEngine

BACKEND_ENV = "PRESSROOM_BACKEND"
#: Backend names, the default first.
BACKENDS = ("whoosh", "typesense")


class BackendError(RuntimeError):
    """A backend cannot be used as configured (unknown name, extra not installed, cluster unset)."""


def backend_name(name: str | None = None) -> str:
    """The backend to use: ``name``, else ``$PRESSROOM_BACKEND``, else ``whoosh``."""
    chosen = (name or os.environ.get(BACKEND_ENV) or BACKENDS[0]).strip().lower()
    if chosen not in BACKENDS:
        raise BackendError(f"unknown backend {chosen!r}; use {' or '.join(BACKENDS)} (--backend or ${BACKEND_ENV})")
    return chosen


def open_backend(name: str | None = None, index: str | os.PathLike | None = None) -> Backend:
    """The backend called ``name`` (see ``backend_name``) over the local ``index`` folder."""
    chosen = backend_name(name)
    if chosen == "typesense":
        try:
            from .typesense import TypesenseBackend
        except ImportError as e:
            raise BackendError(
                f"the Typesense backend needs its extra ({e}); run: pip install 'pressroom[typesense]'"
            ) from None

        return TypesenseBackend(index)
    from .whoosh import WhooshBackend

    return WhooshBackend(index)


def open_engine(name: str | None = None, index: str | os.PathLike | None = None) -> SearchEngine:
    """A reader of ``index`` on the chosen backend."""
    return open_backend(name, index).engine()


__all__ = [
    "BACKENDS",
    "BACKEND_ENV",
    "Backend",
    "BackendError",
    "SearchEngine",
    "backend_name",
    "open_backend",
    "open_engine",
]
