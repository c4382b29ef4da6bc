"""When the guide may speak again, and in which words: the pacing gap and the speech queue.

Speech queues (the browser's ``speechSynthesis``, a screen reader's live
region): an utterance started before the last one ends is heard late, and
stale. So the guide keeps at least ``min_utterance_interval_s`` between the
starts of two utterances, and says nothing new until the last one has been
said in full, as long as :func:`~barrierfree.voice.duration.speaking_time_s`
says it takes at the profile's rate. Times are seconds on the stream's clock,
durations × the profile's timeout multiplier.
"""

from __future__ import annotations

import math

from barrierfree.accessibility.guidance.clock import CLOCK_SLACK_S, lasted
from barrierfree.accessibility.guidance.model import BRIEF_SUFFIX, Cue, Utterance
from barrierfree.accessibility.profile import Profile
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.voice.duration import speaking_time_s
from barrierfree.voice.prompts import catalog


class Speech:
    """What the guide has said, and when it may speak again.

    >>> speech = Speech("zh-CN", Profile(speech_rate_wpm=300, verbosity="normal"), GuidanceSettings())
    >>> move = Cue("face.move_left_by", "off_centre", 3, "left", (("cm", 5),))
    >>> speech.say(move, 0.0).text("zh-CN"), speech.busy(1.0), speech.busy(1.5)
    ('往左5厘米。', True, False)
    >>> detailed = Speech("zh-CN", Profile(speech_rate_wpm=300), GuidanceSettings())
    >>> detailed.say(move, 0.0).text("zh-CN")
    '手机左移5厘米。'
    """

    def __init__(self, language: str, profile: Profile, settings: GuidanceSettings, multiplier: float = 1.0) -> None:
        self.language, self.profile, self.settings, self._m = language, profile, settings, multiplier
        self._last_at: float | None = None  # when the last utterance starts
        self.ends = -math.inf  # when the last utterance will have been said in full (estimated)

    def wait(self, t: float) -> float:
        """Seconds until the pacing gap lets another utterance start (0 when it does)."""
        if self._last_at is None:
            return 0.0
        return max(0.0, self._last_at + self.settings.min_utterance_interval_s * self._m - t)

    def busy(self, t: float) -> bool:
        """Whether nothing new may start at ``t``: within the pacing gap, or the last one still being said."""
        return self.wait(t) > CLOCK_SLACK_S or t < self.ends - CLOCK_SLACK_S

    def heard_within(self, t: float, seconds: float) -> bool:
        """Whether the last utterance was heard in full less than ``seconds`` before ``t``."""
        return not lasted(self.ends, t, seconds)

    def seconds_to_say(self, spoken: Cue) -> float:
        """How long ``spoken`` takes to say, in the words it would be said in, at the profile's rate."""
        return self._seconds(Utterance(spoken, brief=self._brief(spoken)))

    def say(self, spoken: Cue, t: float, delay: float = 0.0, repeat: bool = False) -> Utterance:
        """Say ``spoken`` at ``t + delay``: the utterance, in brief words when they will do."""
        utterance = Utterance(spoken, delay, repeat, brief=self._brief(spoken))
        self._last_at = t + delay
        self.ends = t + delay + self._seconds(utterance)
        return utterance

    def said_before(self, cues: tuple[Cue, ...], t: float) -> None:
        """``cues`` (an introduction) are said one after another from ``t``: nothing new until they end."""
        self._last_at = t
        self.ends = max(self.ends, t + sum(speaking_time_s(c.text(self.language), self.language, self.profile.speech_rate_wpm)
                                           for c in cues))

    def _seconds(self, utterance: Utterance) -> float:
        return speaking_time_s(utterance.text(self.language), self.language, self.profile.speech_rate_wpm)

    def _brief(self, spoken: Cue) -> bool:
        """Whether to say ``spoken`` in its brief words ("往左5厘米。" for "手机左移5厘米。").

        The introduction names the phone once ("我会告诉您手机往哪边移、移多少。", "I will tell
        you which way to move the phone, and how far."), as a helper does before the first
        instruction; after it the phone goes without saying. ``brief`` verbosity skips the
        introduction, but whoever chose it has heard it before. ``detailed`` (the default, for
        a first try) names the phone every time. Two words fewer is 0.3-0.4 s a cue at a
        screen-reader user's rate, and a round is 3-4 s.
        """
        return self.profile.verbosity != "detailed" and spoken.message_id + BRIEF_SUFFIX in catalog(self.language)
