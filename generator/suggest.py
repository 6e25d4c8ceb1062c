"""Names close to a misspelt one ("did you mean …?") and names that look alike (a key under which
'Acme AI', 'ACME ai' and a Cyrillic 'Аcme AI' collide)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any


def _squash(s: str) -> str:
    return "".join(ch for ch in s.casefold() if ch.isalnum())


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def similarity(word: str, option: str) -> float:
    """How close a misspelt word is to a known option, 0..1.

    Plain difflib misses typos of one part of a long compound name ('valuaton' is only 0.57 like
    'post_money_valuation'), so the word is also compared, case and separators aside, with every run
    of the option's parts ('valuation', 'money_valuation', ...); such a partial match counts a little
    less than a whole one.
    """
    w, o = str(word).casefold(), str(option).casefold()
    best = max(_ratio(w, o), _ratio(_squash(w), _squash(o)))
    parts = [p for p in re.split(r"[_\-\s./]+", o) if p]
    if len(parts) > 1 and len(_squash(w)) >= 3:
        for i in range(len(parts)):
            for j in range(i + 1, len(parts) + 1):
                if j - i == len(parts):
                    continue
                r = _ratio(_squash(w), "".join(parts[i:j]))
                if r >= 0.8:
                    best = max(best, 0.9 * r)
    return best


def suggest(word: str, options: list[str] | set[str] | Any, *, cutoff: float = 0.6) -> str:
    """'; did you mean 'x'?' (or 'x' or 'y', when two are equally close), or '' if nothing is close."""
    scored = sorted(((similarity(word, o), str(o)) for o in set(options) if str(o) != str(word)),
                    key=lambda so: (-so[0], so[1]))
    if not scored or scored[0][0] < cutoff:
        return ""
    top = scored[0][0]
    close = [o for s, o in scored if s >= top - 0.02][:3]
    return "; did you mean " + " or ".join(f"'{o}'" for o in close) + "?"


_CONFUSABLES = str.maketrans({
    # Cyrillic and Greek letters that look like Latin ones
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ո": "n", "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h",
    "О": "o", "Р": "p", "С": "c", "Т": "t", "Х": "x", "α": "a", "ο": "o", "ρ": "p", "ν": "v",
    "Α": "a", "Β": "b", "Ε": "e", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o", "Ρ": "p",
    "Τ": "t", "Χ": "x", "Υ": "y", "Ζ": "z", "0": "o", "1": "l", "I": "l",
})


_SAME_SHAPE = str.maketrans({"l": "i", "1": "i", "|": "i", "0": "o"})


def skeleton(name: str) -> str:
    """A key under which names that look alike collide (case, spaces, width, homoglyphs).

    'Acme AI', 'ACME ai', 'Acme  AI', 'Acme Al' and 'Аcme AI' (Cyrillic А) share one skeleton.
    """
    s = unicodedata.normalize("NFKC", name).translate(_CONFUSABLES)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold().translate(_CONFUSABLES).translate(_SAME_SHAPE)
    return "".join(ch for ch in s if ch.isalnum())
