"""Choosing among a closed set of words with the recogniser's own per-frame probabilities.

Greedy CTC decoding reads each character on its own, so a rare character can
come out as a look-alike (``畲`` as ``窗``). When a field can only hold one
of a few words (the 56 ethnic groups, 男/女), the probability of each word
under the recogniser's output is computed with the CTC forward algorithm
(Graves et al. 2006) and the most probable word is taken — only if it clearly
beats the others, so a doubtful crop still reads as what greedy decoding saw.

``probs`` is ``(T, C)``: per time step, a distribution over the recogniser's
characters, index 0 being the CTC blank.

>>> import numpy as np
>>> probs = np.array([[0.1, 0.8, 0.1], [0.9, 0.05, 0.05], [0.2, 0.1, 0.7]])
>>> round(float(np.exp(word_log_prob(probs, [1, 2]))), 3)
0.572
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def word_log_prob(probs: np.ndarray, labels: Sequence[int]) -> float:
    """Log-probability of the label sequence under CTC (blank = 0)."""
    log = np.log(np.maximum(probs, 1e-12))
    extended = [0]
    for label in labels:
        extended += [label, 0]
    states = len(extended)
    alpha = np.full(states, -np.inf)
    alpha[0] = log[0, 0]
    if states > 1:
        alpha[1] = log[0, extended[1]]
    for t in range(1, log.shape[0]):
        previous = alpha.copy()
        for s in range(states):
            candidates = [previous[s]]
            if s >= 1:
                candidates.append(previous[s - 1])
            if s >= 2 and extended[s] != 0 and extended[s] != extended[s - 2]:
                candidates.append(previous[s - 2])
            alpha[s] = np.logaddexp.reduce(candidates) + log[t, extended[s]]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if states > 1 else alpha[-1])


def best_word(probs: np.ndarray, characters: Sequence[str], words: Sequence[str]) -> tuple[str | None, float]:
    """``(word, posterior)``: the most probable of ``words`` and its share of their total probability.

    A word with a character the recogniser does not know (``仫`` of ``仫佬``) is
    scored with that character as "any character" — an upper bound — so it
    still competes: if it comes out on top, no word is chosen (``None``), rather
    than its nearest known neighbour (``仡佬``). :func:`rank_words` tells that case apart.
    """
    word, posterior, spelled = rank_words([probs], characters, words)
    return (word, posterior) if spelled else (None, 0.0)


def rank_words(views: Sequence[np.ndarray], characters: Sequence[str], words: Sequence[str]) -> tuple[str | None, float, bool]:
    """``(word, posterior, spelled)``: like :func:`best_word`, over one or more ``views`` of the
    same text (``(T, C)`` probabilities of differently cropped images, taken as independent looks:
    their log-probabilities add up). A winner the recogniser cannot spell is returned too, with
    ``spelled=False`` (its score is an upper bound: the caller decides whether a closed
    vocabulary makes it the only sensible reading, and says so).

    >>> probs = np.array([[0.1, 0.8, 0.1], [0.9, 0.05, 0.05], [0.2, 0.1, 0.7]])
    >>> word, posterior, spelled = rank_words([probs], ["-", "a", "b"], ["xb", "b"])  # no "x" in the set
    >>> word, round(posterior, 2), spelled
    ('xb', 0.86, False)
    """
    index = {char: i for i, char in enumerate(characters)}
    labels = [[index.get(char, len(characters)) for char in word] for word in words]
    if not words or not views:
        return None, 0.0, False
    values = np.zeros(len(words))
    for probs in views:
        extended = np.concatenate([probs, probs[:, 1:].max(axis=1, keepdims=True)], axis=1)  # the wildcard
        values += [word_log_prob(extended, label) for label in labels]
    posterior = np.exp(values - np.logaddexp.reduce(values))
    best = int(np.argmax(values))
    return words[best], float(posterior[best]), all(char in index for char in words[best])


def greedy_in_alphabet(probs: np.ndarray, characters: Sequence[str], alphabet: str) -> tuple[str, float]:
    """Greedy CTC decoding restricted to ``alphabet`` (plus blank): ``(text, mean character probability)``.

    An MRZ holds only ``A``–``Z``, ``0``–``9`` and ``<``; restricting the argmax to
    them keeps a smudged ``<`` from coming out as ``く`` or ``〈``.

    >>> chars = ["blank", "A", "<", "く"]
    >>> probs = np.array([[0.1, 0.8, 0.05, 0.05], [0.1, 0.1, 0.3, 0.5], [0.9, 0.05, 0.03, 0.02]])
    >>> greedy_in_alphabet(probs, chars, "A<")[0]
    'A<'
    """
    allowed = [0] + [i for i, char in enumerate(characters) if char in alphabet]
    restricted = probs[:, allowed]
    best = restricted.argmax(axis=1)
    text, scores, previous = [], [], 0
    for step, choice in enumerate(best):
        if choice != 0 and choice != previous:
            text.append(characters[allowed[choice]])
            scores.append(float(restricted[step, choice]))
        previous = choice
    return "".join(text), float(np.mean(scores)) if scores else 0.0


def cells_in_alphabet(probs: np.ndarray, characters: Sequence[str], alphabet: str, count: int) -> str | None:
    """Decode a line of ``count`` monospaced characters (an MRZ in OCR-B): character ``i`` is the most
    probable non-blank character of ``alphabet`` within its cell, the cells being equal steps from the
    first to the last character greedy decoding found. ``None`` when fewer than two were found.

    Greedy CTC decoding drops a character now and then and merges doubled letters that get no blank
    between them (``ROSSI`` read ``ROSI``); the fixed pitch keeps every character in its place.

    >>> chars = ["blank", "A", "B", "<"]
    >>> probs = np.array([[0.1, 0.8, 0.05, 0.05], [0.9, 0.05, 0.03, 0.02], [0.2, 0.1, 0.6, 0.1],
    ...                   [0.3, 0.1, 0.5, 0.1], [0.9, 0.05, 0.03, 0.02], [0.1, 0.1, 0.1, 0.7]])
    >>> greedy_in_alphabet(probs, chars, "AB<")[0], cells_in_alphabet(probs, chars, "AB<", 4)
    ('AB<', 'ABB<')
    """
    allowed = [0] + [i for i, char in enumerate(characters) if char in alphabet]
    restricted = probs[:, allowed]
    found = np.nonzero(restricted.argmax(axis=1) != 0)[0]
    if len(found) < 2 or count < 2:
        return None
    first, last = int(found[0]), int(found[-1])
    pitch = (last - first) / (count - 1)
    text = []
    for i in range(count):
        centre = first + i * pitch
        lo = max(0, int(np.floor(centre - pitch / 2 + 0.5)))
        hi = min(len(restricted), max(int(np.floor(centre + pitch / 2 + 0.5)), lo + 1))
        text.append(characters[allowed[1 + int(restricted[lo:hi, 1:].max(axis=0).argmax())]])
    return "".join(text)


def greedy_with_steps(probs: np.ndarray, characters: Sequence[str]) -> list[tuple[str, float, int, int]]:
    """Greedy CTC decoding (as RapidOCR's own) that keeps where each character was seen:
    ``(character, probability, first step, last step)``; steps map to x in the line image
    (steps cover the line image evenly), which lets a caller split a label
    from its value by position.

    >>> chars = ["blank", "a", "b"]
    >>> probs = np.array([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.9, 0.05, 0.05], [0.1, 0.1, 0.8]])
    >>> [(c, first, last) for c, _, first, last in greedy_with_steps(probs, chars)]
    [('a', 0, 1), ('b', 3, 3)]
    """
    best = probs.argmax(axis=1)
    found: list[tuple[str, float, int, int]] = []
    previous = 0
    for step, choice in enumerate(best):
        if choice != 0 and choice < len(characters):
            if choice == previous and found:
                char, score, first, _ = found[-1]
                found[-1] = (char, max(score, float(probs[step, choice])), first, step)
            else:
                found.append((characters[choice], float(probs[step, choice]), step, step))
        previous = choice
    return found
