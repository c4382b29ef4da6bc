"""The type of every prompt parameter, so that speech can only ever say catalog sentences.

A message's text is fixed by the catalog; its parameters are the only part a
caller chooses. Each parameter name has one type here: a whole number in a
range (centimetres, attempts) or a word from a closed list (a language tag).
:func:`check` refuses anything else with a :class:`BadInput` naming the
parameter, so ``/api/v1/speech`` cannot be used to synthesise free text, and a
request's audio is bounded by the longest catalog sentence.

>>> check("card.glare_left_by", {"cm": 4})
{'cm': 4}
>>> check("guide.human_help_offer", {"attempts": "3; rm -rf /"})
Traceback (most recent call last):
...
barrierfree.errors.BadInput: Parameter 'attempts' must be a whole number from 1 to 1000.
"""

from __future__ import annotations

from dataclasses import dataclass

from barrierfree.errors import BadInput
from barrierfree.voice import prompts


@dataclass(frozen=True)
class WholeNumber:
    low: int
    high: int

    def parse(self, name: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self._refused(name)
        try:
            number = float(value) if not isinstance(value, int) else value
        except ValueError:
            raise self._refused(name) from None
        if number != int(number) or not self.low <= number <= self.high:
            raise self._refused(name)
        return int(number)

    def _refused(self, name: str) -> BadInput:
        return BadInput("bad-params", f"Parameter {name!r} must be a whole number from {self.low} to {self.high}.", field="params")


@dataclass(frozen=True)
class Word:
    choices: frozenset[str]

    def parse(self, name: str, value: object) -> str:
        if not isinstance(value, str) or value not in self.choices:
            raise BadInput("bad-params", f"Parameter {name!r} must be one of the listed words (e.g. a language tag such as 'fr').",
                           field="params")
        return value


#: Language tags the guide may name when it falls back to Chinese (the person's requested language).
LANGUAGE_TAGS = frozenset({
    "ar", "bn", "bo", "de", "en", "en-GB", "en-US", "es", "fa", "fr", "hi", "id", "it", "ja", "kk", "ko", "ky", "mn",
    "ms", "nan", "pt", "pt-BR", "ru", "th", "tr", "ug", "uk", "ur", "vi", "yue", "za", "zh", "zh-CN", "zh-HK", "zh-TW",
})

#: The directions a guidance cue names (the guidance area's ``Direction``; a test keeps them equal).
DIRECTIONS = frozenset({"left", "right", "up", "down", "away", "toward", "closer", "farther"})

#: Every parameter name any catalog message uses, with its type (a test keeps this complete), and the
#: guidance cues' other parameters, which the SDK sends along but no sentence speaks.
TYPES: dict[str, WholeNumber | Word] = {
    "cm": WholeNumber(1, 200),
    "also_cm": WholeNumber(1, 200),
    "attempts": WholeNumber(1, 1000),
    "requested": Word(LANGUAGE_TAGS),
    "also": Word(DIRECTIONS),
}


def check(message_id: str, params: dict[str, object]) -> dict[str, object]:
    """``params`` typed for ``message_id``: every one of the message's parameters, each of its type.

    A known parameter the message does not speak (a cue's ``also`` direction) is checked and
    dropped; an unknown name is refused.
    """
    wanted = prompts.parameters(prompts.catalog(prompts.FALLBACK_LANGUAGE).get(message_id, ""))
    unknown = sorted(set(params) - set(TYPES))
    if unknown:
        raise BadInput("bad-params", f"Prompt {message_id!r} takes no parameter(s) {', '.join(repr(n)[:40] for n in unknown[:3])}.",
                       field="params")
    missing = sorted(wanted - set(params))
    if missing:
        raise BadInput("missing-message-parameter", f"Prompt {message_id!r} needs the parameter(s) {', '.join(missing)}.", field="params")
    typed = {name: TYPES[name].parse(name, value) for name, value in params.items()}
    return {name: value for name, value in typed.items() if name in wanted}
