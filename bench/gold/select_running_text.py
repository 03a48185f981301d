"""Choose the passages of the running-text gold set (development files only), before hand labelling.

    python bench/gold/select_running_text.py ../shared/corpus > /tmp/passages.jsonl

Deterministic (seeded) and blind to the extractor, so the set is not chosen by what it finds:

- 30 transcript introductions from ``mx_presidencia_versiones_estenograficas``: in a transcript
  drawn at random, the first paragraph in which a speaker introduces others in running text
  (it gives the floor, greets the presidium or says who is present), names a post word and has
  two capitalised words in a row, with the rest of that speaker's turn up to 1,500 characters;
  the speaker labels are left out, so only running text is measured.
- 50 DOJ releases from ``doj_opa_press_releases`` drawn at random among those of at most
  4,000 characters (about two thirds of them; longer ones were too long to label by hand
  in the time), the whole body.

Each line: ``{"set", "id", "start", "end", "text"}``; the labels (``officials``: name, post,
agency) were then added by hand in ``running_text.jsonl``.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from pathlib import Path

TRANSCRIPTS = "mx_presidencia_versiones_estenograficas.jsonl.gz"
DOJ = "doj_opa_press_releases.jsonl.gz"
INTRO_CUES = re.compile(
    r"acompañan|presídium|le (?:damos|doy|cedo|pedimos|pido) (?:la palabra|el uso de la palabra)|"
    r"(?:hará|hace) uso de la palabra|nos acompaña|saludo (?:al|a la)|damos la bienvenida|presentes",
    re.I,
)
POST_WORDS = re.compile(
    r"\b(?:secretari[oa]|subsecretari[oa]|director(?:a)?|gobernador(?:a)?|titular|comandante|general|almirante|"
    r"coordinador(?:a)?|jef[ea]|presidente municipal|fiscal|procurador(?:a)?|embajador(?:a)?|comisionad[oa])\b",
    re.I,
)
CAPITALISED_PAIR = re.compile(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")
LABEL = re.compile(r"^[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ .,'’()\-]{2,200}:\s*")


def records(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def introduction(body: str) -> tuple[int, int] | None:
    """Offsets of the first introducing paragraph (without its speaker label) and the rest of
    its turn (to 1,500 characters, whole paragraphs), or None."""
    paragraphs: list[tuple[int, int]] = []
    pos = 0
    for para in body.split("\n\n"):
        paragraphs.append((pos, pos + len(para)))
        pos += len(para) + 2
    for i, (start, end) in enumerate(paragraphs):
        label = LABEL.match(body[start:end])
        text_start = start + (label.end() if label else 0)
        text = body[text_start:end]
        if len(text) > 40 and INTRO_CUES.search(text) and POST_WORDS.search(text) and CAPITALISED_PAIR.search(text):
            stop = end
            for nstart, nend in paragraphs[i + 1 :]:
                if LABEL.match(body[nstart:nend]) or nend - text_start > 1500:
                    break
                stop = nend
            return text_start, stop
    return None


def main(corpus: Path) -> None:
    rng = random.Random(20261128)
    transcripts = list(records(corpus / TRANSCRIPTS))
    rng.shuffle(transcripts)
    chosen = 0
    for r in transcripts:
        span = introduction(r["body"])
        if span is None:
            continue
        print(
            json.dumps(
                {
                    "set": "transcript",
                    "id": r["id"],
                    "start": span[0],
                    "end": span[1],
                    "text": r["body"][span[0] : span[1]],
                },
                ensure_ascii=False,
            )
        )
        chosen += 1
        if chosen == 30:
            break
    doj = [r for r in records(corpus / DOJ) if len(r["body"]) <= 4000]
    for r in rng.sample(doj, 50):
        print(
            json.dumps(
                {"set": "doj", "id": r["id"], "start": 0, "end": len(r["body"]), "text": r["body"]}, ensure_ascii=False
            )
        )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"))
