"""Normalization of place names into lookup keys, and cleaning of messy queries.

English news spells Arabic, Kurdish and Turkish names in many ways ("Deir ez-Zor",
"Dayr az Zawr", "Deir Ezzor"; "Raqqa", "Raqqah", "Ar-Raqqah"). Instead of enumerating
every spelling, each name gets two keys:

* ``exact_key``: case and accents folded, apostrophes dropped, punctuation to spaces.
  Two spellings with the same exact key are the same string for a reader.
* ``variant_key``: a transliteration skeleton that also drops the Arabic article, maps
  q/k/g, e/a, o/u, y/i, th/t, dh/d, a word's first short vowel e/i/a, collapses
  doubled letters, drops -ah/-a/-eh endings and removes spaces: the rows of
  ``WORD_FOLDS`` and ``SKELETON_FOLDS`` below (each with its example). Spellings of one
  Arabic name usually share it; ``tests`` pin each row by its example and check that
  distinct well-known places keep distinct skeletons.

``mention_fold`` is a *length-preserving* fold used to scan running text, so offsets
found in the folded text are offsets in the original.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Characters used as apostrophes, hamza or ayn marks in transliterations.
APOSTROPHES = "'’‘ʿʾ`´ʻʼʹ′"
_APOS_RE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")

#: Letters NFKD does not decompose into an ASCII base letter.
_SPECIAL = str.maketrans({
    "ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae",
    "œ": "oe", "ħ": "h", "ŧ": "t", "ə": "e", "ɛ": "e", "ɣ": "gh",
})

#: The Arabic definite article as transliterated in English (with its sun-letter forms).
ARTICLES = frozenset({
    "al", "el", "il", "ul", "ar", "er", "ash", "esh", "ath", "eth", "ad", "ed", "an", "en",
    "as", "es", "at", "et", "az", "ez", "adh", "edh",
})

# "Deir Ezzor", "Ar Raqqah" written "Arraqqah": a non-initial word starting with the
# article assimilated to a doubled sun letter.
_ATTACHED_ARTICLE_RE = re.compile(r"^[ae]([tdrsznl])\1(?=[a-z]{2})")

@dataclass(frozen=True)
class Fold:
    """One transliteration fold: ``pattern`` (a regex over the lowercase, accent-free
    spelling) becomes ``becomes``. Its example: ``spelling`` and ``same_as`` share a key
    because of the row, or (``joins`` False, a row that keeps letters apart) do not.
    Each row is pinned by a test on its example."""

    pattern: str
    becomes: str
    spelling: str
    same_as: str
    why: str
    joins: bool = True


#: Folds applied to each word on its own (word starts are lost once words are joined).
WORD_FOLDS: tuple[Fold, ...] = (
    Fold(r"^[ei](?=[^aeiouy])", "a", "Essa", "Issa",
         "a short first vowel is written e, i or a (Erbil, Irbil, Arbil; Edlib, Idlib)"),
)

#: Folds applied, in order, to the joined words: the transliteration skeleton.
SKELETON_FOLDS: tuple[Fold, ...] = (
    Fold(r"kh", "x", "Khan", "Kan", "kh kept apart from k/q/g", joins=False),
    Fold(r"sh", "$", "Shaddadi", "Saddadi", "sh kept apart from s", joins=False),
    Fold(r"ch", "$", "Chaddadi", "Shaddadi", "French/English transliteration of sh"),
    Fold(r"gh", "g", "Ghazaliya", "Gazaliya", "ghayn written gh or g"),
    Fold(r"th", "t", "Ath-Thawrah", "al-Tawrah", "tha written th or t"),
    Fold(r"dh", "d", "Dhuluiya", "Duluiya", "dhal written dh or d"),
    Fold(r"ph", "f", "Tal Aphar", "Tal Afar", "f written ph"),
    Fold(r"[qgc]", "k", "Karmah", "Garma", "qaf written q, k, g or c"),
    Fold(r"ck", "k", "Rackka", "Rakka", "ck for k"),
    Fold(r"ee", "i", "Heet", "Hit", "long i written ee"),
    Fold(r"ou|oo", "u", "Maqsoud", "Maqsud", "long u written ou or oo"),
    Fold(r"o", "u", "Mosol", "Mosul", "u written o"),
    Fold(r"e", "a", "Deir", "Dair", "a short vowel written e or a (Ein, Ain)"),
    Fold(r"aw(?=[^aiu]|$)", "u", "Zawr", "Zor", "the diphthong aw written o or u"),
    Fold(r"y", "i", "Ayn", "Ain", "ya written y or i (Bayji, Baiji)"),
    Fold(r"(.)\1+", r"\1", "Qayyarah", "Qayarah", "doubled letters written single"),
    Fold(r"[aiu]h$", "a", "Raqqah", "Raqqa", "-ah / -eh / -ih endings"),
    Fold(r"(?<=....)a$", "", "Saqlawiya", "Saqlawi",
         "-a ending, only after a stem of 4 letters or more"),
)

_WORD_RULES = tuple((re.compile(f.pattern), f.becomes) for f in WORD_FOLDS)
_SKELETON_RULES = tuple((re.compile(f.pattern), f.becomes) for f in SKELETON_FOLDS)

def fold(text: str) -> str:
    """Lowercase and strip accents ("Ḩalab" -> "halab"); not length-preserving."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character folded to exactly one character (for offset-preserving scans)."""
    if ch in APOSTROPHES:
        return "'"
    if ch in "-‐‑‒–—_/" or ch.isspace():
        return " "
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = unicodedata.normalize("NFKD", low.translate(_SPECIAL))
    base = "".join(c for c in base if not unicodedata.combining(c))
    if len(base) == 1 and base.isascii():
        return base
    if base[:1].isascii() and base[:1].isalpha():
        return base[0]
    return low if low.isalnum() else " "


_ASCII_MENTION = str.maketrans({c: _fold_char(c) for c in map(chr, range(128))
                                if _fold_char(c) != c.lower()})


def mention_fold(text: str) -> str:
    """Fold ``text`` one character to one character: lowercase, accents off, every
    apostrophe to ``'``, hyphens/dashes to spaces, other punctuation and non-Latin
    letters kept (so ``len(mention_fold(t)) == len(t)`` and offsets carry over)."""
    if text.isascii():
        return text.lower().translate(_ASCII_MENTION)
    return "".join(_fold_char(c) for c in text)


def mention_key(name: str) -> str:
    """The key a name is scanned for in ``mention_fold`` text (single spaces)."""
    return " ".join(mention_fold(name).split())


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is Latin script (drops Arabic, Cyrillic, ...)."""
    has_letter = False
    for ch in text:
        if ch.isalpha():
            has_letter = True
            if ord(ch) < 0x250:
                continue
            try:
                if not unicodedata.name(ch).startswith("LATIN"):
                    return False
            except ValueError:
                return False
    return has_letter


def exact_key(name: str) -> str:
    """Case, accents and apostrophes folded, punctuation to single spaces."""
    return " ".join(_NON_ALNUM_RE.split(_APOS_RE.sub("", fold(name)))).strip()


def strip_article(key: str) -> str:
    """``exact_key`` without a leading Arabic article ("al bab" -> "bab"); unchanged when
    the article is the whole name."""
    words = key.split(" ")
    if len(words) > 1 and words[0] in ARTICLES:
        return " ".join(words[1:])
    return key


@lru_cache(maxsize=200_000)
def variant_key(name: str) -> str:
    """Transliteration skeleton: the key shared by spellings of one Arabic name."""
    words = exact_key(name).split(" ")
    kept: list[str] = []
    for i, word in enumerate(words):
        if not word:
            continue
        if word in ARTICLES and len(words) > 1:
            continue
        if i > 0:
            word = _ATTACHED_ARTICLE_RE.sub(r"\1", word)
        for pattern, repl in _WORD_RULES:
            word = pattern.sub(repl, word)
        kept.append(word)
    skeleton = "".join(kept)
    for pattern, repl in _SKELETON_RULES:
        skeleton = pattern.sub(repl, skeleton)
    return skeleton


_VOWELS_RE = re.compile(r"(?<=.)[aiu]+")


@lru_cache(maxsize=200_000)
def loose_key(name: str) -> str:
    """The variant key without its inner vowels ("Kweires", "Kuwayris" -> "kwrs";
    "Huwayjah", "Hawija" -> "hwj"): vowels are what transliterations disagree on most
    (e/i/a for the same short vowel). Too coarse to stand alone; the gazetteer uses it
    only for notable places and after the spelling and variant keys found nothing."""
    return devowel(variant_key(name))


def devowel(vkey: str) -> str:
    """A variant key without its inner vowels (``loose_key`` of an already-made key)."""
    return _VOWELS_RE.sub("", vkey)
