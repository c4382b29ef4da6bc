"""The :class:`Guide`: one per target and stream, from observations to :class:`Guidance`.

Per frame it (1) cleans the sensor reading, (2) assesses the observation into
problems in cue order (:mod:`.assess`), (3) settles the most important cue
with hysteresis in time, (4) decides the phase and auto-capture, (5) paces
speech (:mod:`.speech`: when it may speak, in which words), watching how the
person carries out the last cue (:mod:`.response`), and (6) computes the
continuous signal (:mod:`.signal`).

Pacing (all durations × the profile's timeout multiplier): at most one
utterance per ``min_utterance_interval_s``; an unchanged cue is repeated
after ``repeat_interval_s``; "nothing found" at most every
``searching_interval_s``; a directional cue only on a frame with a detection.
Auto-capture after ``capture_dwell_s`` inside tolerance, on one of the sharpest recent
frames (:mod:`.capture`); a hold cue is said once while the target stays in place;
manual capture offered after ``manual_capture_after_s``; human help after
``human_help_after_failures`` failures.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, cast

from barrierfree.accessibility.guidance.assess import RANKS, Assessment, capture_cue, centring_spot, cue
from barrierfree.accessibility.guidance.assess_card import assess_card
from barrierfree.accessibility.guidance.assess_face import assess_face
from barrierfree.accessibility.guidance.capture import AutoCapture
from barrierfree.accessibility.guidance.clock import lasted
from barrierfree.accessibility.guidance.fragments import CardScale
from barrierfree.accessibility.guidance.introduction import introduction_cues
from barrierfree.accessibility.guidance.model import Camera, Cue, Guidance, Target, Utterance
from barrierfree.accessibility.guidance.motion import TargetMotion, size_of
from barrierfree.accessibility.guidance.response import Response
from barrierfree.accessibility.guidance.sensing import clean
from barrierfree.accessibility.guidance.signal import signal_for
from barrierfree.accessibility.guidance.speech import Speech
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.errors import BadInput
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.card.observation import CardObservation
from barrierfree.vision.face.observation import FaceObservation
from barrierfree.voice.prompts import resolve_language

TARGETS = ("face", "card")
#: The camera each target is taken with unless told otherwise.
DEFAULT_CAMERA: dict[str, Camera] = {"face": "front", "card": "back"}
#: Cue kinds that tell the person where to move: never said without a detection on that frame.
_NEEDS_DETECTION = frozenset({"several", "partly_out", "off_centre", "distance", "tilt", "light", "side", "blur", "hold"})


class Guide:
    """Guides one person to bring one target (``face`` or ``card``) into the camera.

    >>> guide = Guide("face")
    >>> g = guide.step(FaceObservation(face_count=0, frame_size=(480, 640)), now_s=0.0)
    >>> g.phase, g.speak.cue.message_id
    ('searching', 'face.searching')
    """

    def __init__(self, target: Target = "face", profile: Profile | None = None,
                 settings: GuidanceSettings | None = None, camera: Camera | None = None,
                 expected_side: str | None = None, explain_tones: bool = True) -> None:
        if target not in TARGETS:
            raise BadInput("unknown-target", f"Target must be one of {', '.join(TARGETS)}, not {target!r}.")
        if camera is not None and camera not in ("front", "back"):
            raise BadInput("unknown-camera", f"Camera must be 'front' or 'back', not {camera!r}.")
        self.target: Target = target
        self.camera: Camera = camera or DEFAULT_CAMERA[target]
        self.profile = profile or Profile()
        self.settings = settings or GuidanceSettings()
        self.expected_side = expected_side
        #: Whether this step's introduction explains the tones: the journey's first camera step only.
        self.explain_tones = explain_tones
        self.language, fell_back = resolve_language(self.profile.language)
        self._m = self.profile.timeout_multiplier
        self._notices: list[Cue] = []
        self._notes_once: tuple[str, ...] = ()
        if fell_back:
            self._notices.append(Cue("guide.language_fallback", "notice", RANKS["notice"],
                                     params=(("requested", str(self.profile.language)),)))
            self._notes_once = ("language-fallback",)
        self._start: float | None = None
        self._last_t: float | None = None
        self._last_seen: float | None = None
        self._motion = TargetMotion(target, self.settings, self._m)
        self._card_scale = CardScale(self.settings, self._m) if target == "card" else None
        self._response = Response(target, self.settings, self._m)
        self._speech = Speech(self.language, self.profile, self.settings, self._m)
        self._active: frozenset[str] = frozenset()
        self._current: Cue | None = None
        self._candidate: Cue | None = None
        self._candidate_since = 0.0
        self._stale_since: float | None = None  # since when no frame has shown the current cue's problem
        self._capture = AutoCapture(target, self.settings, self._motion, self._m)
        self._bar = 0.0  # this frame's sharpness bar
        self._captured_at: float | None = None
        self._last_search_t: float | None = None
        self._search_heard: float | None = None  # when the last "lost" / "still looking" ended
        self._rejections = 0
        self._manual_offered = False
        self._help_offered = False
        self._last: Guidance | None = None
        self._tones_later = False  # the tones' explanation, kept for the first "hold it there" (``tones_when_first_needed``)

    # --- public -------------------------------------------------------------
    def introduction(self, full: bool = False) -> tuple[Cue, ...]:
        """What to say before the first frame: the task, and how the tones work (once per journey).

        By default (``short_introduction``) the short words: the detailed ones took 19-26 s at
        the journey's 160 words a minute, longer than the whole face target of 8 s, and every
        cue waits for them. The task in one sentence that still names the phone's moves (the
        brief cue words stand on it), and the tones in one sentence on the journey's first
        camera step only (``explain_tones``), or, with ``tones_when_first_needed``, said instead of
        the first "hold it there" (:meth:`_said`), when the steady tone has just started, by a guide
        whose introduction is said (:meth:`introduce`). ``full``: the detailed words, which the person can
        ask for at any time (the SDK's "hear the full instructions again" control); ``brief``
        verbosity has no introduction, but the full one is still there on request.
        """
        return introduction_cues(self.target, self.expected_side, self.profile, self.settings, self.explain_tones, full)

    def introduce(self, now_s: float) -> tuple[Cue, ...]:
        """The introduction, to be said from ``now_s`` (before the first frame's cue): the guide
        counts it as being said, so nothing else is said until it ends (at the profile's rate,
        with ``wait_for_introduction``). A cue decided at the first frame and heard after a
        10-25 s introduction (detailed, at the default 160 words a minute) was stale by then,
        and the guide, taking it as heard long before, had moved on to the next move."""
        cues = self.introduction()
        if cues and self.settings.wait_for_introduction and self.profile.speech:
            self._speech.said_before(cues, now_s)
        self.introduced()
        return cues

    def introduced(self) -> None:
        """The short introduction is being said (:meth:`introduce` tells it, or a caller that says it
        without holding the cues, as the SDK's on-device path does): with ``tones_when_first_needed``,
        the tones' explanation is kept for the first "hold it there"."""
        self._tones_later = bool(self.introduction()) and self.settings.short_introduction \
            and self.settings.tones_when_first_needed and self.profile.tones and self.explain_tones

    @property
    def failures(self) -> int:
        """Rejected captures plus manual-capture periods that passed without a capture."""
        if self._start is None or self._last_t is None:
            return self._rejections
        period = self.settings.manual_capture_after_s * self._m
        return self._rejections + int((self._last_t - self._start) // period)

    def record_failure(self, reason: str | None = None) -> None:
        """A capture was rejected downstream (unreadable card, failed match): guide again. ``reason``: the
        server's refusal code (``face-blurred``, ``reading-failed``...), answered with the cue that fits
        (:func:`~.capture.refusal_cue`), and a blurred one with a sharper next capture."""
        self._rejections += 1
        self.resume()
        self._capture.refused(reason)

    def resume(self) -> None:
        """Guide again after a capture that was no failure (another frame wanted, the other side in view)."""
        self._captured_at = None
        self._capture.reset()
        self._current = self._candidate = None

    def step(self, observation: FaceObservation | CardObservation, sensors: SensorReading | None = None,
             now_s: float | None = None) -> Guidance:
        """Guidance for one frame's observation at time ``now_s`` (default: the observation's timestamp)."""
        self._check_type(observation)
        t = self._time(observation, now_s)
        if self._last_t is not None and t < self._last_t:
            return self._unchanged(t, ("frame-out-of-order",))
        if self._start is None:
            self._start = t
        self._last_t = t
        reading, notes = clean(sensors)
        notes = self._notes_once + notes
        self._notes_once = ()
        if self._captured_at is not None:
            last = cast(Guidance, self._last)  # set on the frame that captured
            guidance = replace(last, timestamp_s=t, speak=None, captured=False, notes=notes,
                               signal=replace(last.signal, earcon=None, haptic=None))
            self._last = guidance
            return guidance
        if self._card_scale is not None and self._card_scale.fragment(observation, t):  # type: ignore[arg-type]
            return self._unchanged(t, notes + ("card-fragment",))
        assessment = self._assess(observation, reading, t)
        raw = self._raw_cue(assessment, t)
        current, true_now = self._settle(raw, t, assessment)
        phase, earcon = self._capture.decide(assessment, current, t, observation.sharpness if observation.found else None,
                                             self._bar)
        if phase == "captured":  # a card: "taking the photo" (the SDK says "captured" once the server accepts it)
            self._captured_at = t
            current, earcon = capture_cue(self.target)
            self._current = current
        self._queue_offers(t)
        # A cue from the phone's own sensors stands without a detection.
        speak = self._utterance(current, phase, assessment.found or current in assessment.cues, t, true_now)
        guidance = Guidance(
            phase=phase, target=self.target, timestamp_s=t, cue=current, speak=speak,
            signal=signal_for(assessment, phase, self.profile, self.settings, earcon),
            language=self.language, self_voice=self.profile.speech, captured=phase == "captured",
            manual_capture_offered=self._manual_offered, human_help_offered=self._help_offered,
            detected=assessment.found, notes=notes,
        )
        self._last = guidance
        return guidance

    # --- steps --------------------------------------------------------------
    def _check_type(self, observation: object) -> None:
        wanted = FaceObservation if self.target == "face" else CardObservation
        if not isinstance(observation, wanted):
            raise BadInput("wrong-observation", f"The {self.target} guide needs a {wanted.__name__}, got {type(observation).__name__}.")

    @staticmethod
    def _time(observation: FaceObservation | CardObservation, now_s: float | None) -> float:
        t = now_s if now_s is not None else observation.timestamp_s
        if t is None:
            raise BadInput("missing-timestamp", "Give the frame's time: now_s, or the observation's timestamp_s (seconds on the stream's clock).")
        try:
            t = float(t)
        except (TypeError, ValueError):
            t = math.nan
        if not math.isfinite(t):
            raise BadInput("bad-timestamp", "The frame's time must be a finite number of seconds.")
        return t

    def _unchanged(self, t: float, notes: tuple[str, ...]) -> Guidance:
        """A frame that must not steer anyone (older than one already seen, or a piece of the card
        taken for the card): repeat the state, say nothing."""
        if self._last is None:  # pragma: no cover - both need an earlier frame, so _last is set
            raise BadInput("frame-out-of-order", "This frame is older than the previous one.")
        return replace(self._last, timestamp_s=t, speak=None, captured=False, notes=notes,
                       signal=replace(self._last.signal, earcon=None))

    def _assess(self, observation: Any, reading: SensorReading | None, t: float) -> Assessment:
        bar = self._bar = self._motion.sharpness_bar(observation, t)
        # A smeared frame is a moving hand too: far from the face, a phone moving 18 cm/s
        # crosses only 0.12 of the frame a second, under the limit, yet blurs the picture
        # (a simulated user's move was measured half-way and taught a gain of 0.5). But only
        # when the picture travels: a tremor smears a card seen from 17 cm every other frame,
        # and such a person was never still, so never told what was left of their move.
        # "Hold still" is for a hand on the move, not for a card's outline jumping on one frame.
        self._motion.moving(observation, reading, t)
        moving = self._motion.on_the_move()
        # "Hold still" and the capture go by the target's own limit (a face's is higher than a card's).
        too_fast = self._motion.too_fast_for_a_photo()
        sharpness = observation.sharpness if observation.found else None
        smeared = sharpness is not None and math.isfinite(sharpness) and sharpness < bar and self._motion.travelling()
        self._response.saw(t, (moving or smeared) and not self._motion.at_rest(), observation.found,
                           reading.beta_deg if reading is not None else None)
        active = self._active
        frame_mm = self._card_scale.frame_mm(observation, t) if self._card_scale is not None else None

        def assess(gain: float) -> Assessment:
            if self.target == "face":
                return assess_face(observation, reading, self.settings, active, self.camera, too_fast, bar, gain)
            return assess_card(observation, reading, self.settings, active, self.camera, too_fast,
                               self.expected_side, bar, gain, frame_mm)

        assessment = assess(self._response.hand.value)
        if self._response.learn(t, assessment.needed_mm):  # what is said next already knows this person's hand
            assessment = assess(self._response.hand.value)
        self._response.now((observation.center, size_of(observation)) if observation.found else None,
                           assessment.needed_mm)
        self._active = assessment.keys
        if assessment.found:
            self._last_seen = t
        return assessment

    def _raw_cue(self, assessment: Assessment, t: float) -> Cue:
        if assessment.found:
            return assessment.cues[0] if assessment.cues else cue(self.target, "hold_there", "hold")
        lost_after = self.settings.lost_after_s * self._m
        if self._current is not None and self._last_seen is not None and not lasted(self._last_seen, t, lost_after):
            return self._current  # a missed frame or two: keep the cue (but say nothing directional)
        if assessment.cues:  # the phone's own tilt: straightening it is what brings the target into view
            return assessment.cues[0]
        return cue(self.target, "searching", "searching")

    def _settle(self, raw: Cue, t: float, assessment: Assessment) -> tuple[Cue, bool]:
        """Hysteresis in time: a new cue replaces the current one only after it persisted.

        Returns the current cue, and whether this frame still shows the problem it names.
        A hand on the move can keep every new cue from persisting (each frame finds a
        different problem), and the current one then goes stale: a simulated user told
        "4 cm closer" went 9 cm, stopped too close, and heard "3 cm closer" (the old cue,
        with the distance left before the move); they did it and lost the card. So a stale
        cue is not said, and once no frame has shown it for ``cue_settle_s``, the newest
        problem replaces it.
        """
        settle = self.settings.cue_settle_s * self._m
        # Reaching the target is taken at once (space hysteresis already guards it): the phase
        # and the cue must agree the moment the steady tone starts.
        if self._current is None or raw.message_id == self._current.message_id or raw.kind == "hold":
            self._current, self._candidate, self._stale_since = raw, None, None
            return raw, True
        true_now = any(c.message_id == self._current.message_id for c in assessment.cues)
        if true_now:
            self._stale_since = None
        elif self._stale_since is None:
            self._stale_since = t
        if self._candidate is None or self._candidate.message_id != raw.message_id:
            self._candidate, self._candidate_since = raw, t
        if lasted(self._candidate_since, t, settle) or (self._stale_since is not None and lasted(self._stale_since, t, settle)):
            self._current, self._candidate, self._stale_since = raw, None, None
            return raw, True
        return self._current, true_now

    def _queue_offers(self, t: float) -> None:
        s = self.settings
        if not self._manual_offered and self._start is not None and lasted(self._start, t, s.manual_capture_after_s * self._m):
            self._manual_offered = True
            self._notices.append(Cue("guide.manual_capture_offer", "offer", RANKS["offer"]))
        if not self._help_offered and self.failures >= s.human_help_after_failures:
            self._help_offered = True
            self._notices.append(Cue("guide.human_help_offer", "offer", RANKS["offer"],
                                     params=(("attempts", self.failures),)))

    def _utterance(self, current: Cue, phase: str, detected: bool, t: float, true_now: bool) -> Utterance | None:
        wait = self._speech.wait(t)
        if phase == "captured":  # always said; scheduled so it keeps the gap
            # Not held until the last cue ends: the speech queue plays it next anyway, and it stays
            # true. Held back further, it would hold the SDK's own "card read" behind it.
            return self._said(current, t, wait)
        # Speech queues (speechSynthesis, a screen reader's live region): a cue started before the
        # last one ends is heard late, and stale. So nothing new is said until the last one ends.
        if self._speech.busy(t):
            return None
        if self._notices and self._notices[0].kind == "notice":  # e.g. the language fallback comes first
            return self._said(self._notices.pop(0), t)
        if current.kind == "searching":
            return None if self._carrying_out(t) else self._searching(t)
        answer = self._capture.answer() if detected else None
        if answer is not None:  # what the last refusal asks for, before anything else
            return self._said(answer, t)
        if self._capture.quiet(current):  # held in place: said once, the steady tone carries it
            return self._said(self._notices.pop(0), t) if self._notices else None
        speakable = (detected or current.kind not in _NEEDS_DETECTION) and true_now
        if speakable and not current.same_instruction(self._response.last) and not self._awaiting_response(current, t) \
                and not self._passing_through(current):
            return self._said(current, t)
        if speakable and current != self._response.last and self._response.stopped_after_moving(t):
            return self._said(current, t)  # same way, new distance: the person moved, stopped short or went past
        if self._notices:
            return self._said(self._notices.pop(0), t)
        if speakable and self._response.due_for_repeat(t, not self._in_response_window(t)):
            return self._said(current, t, repeat=True)
        return None

    def _passing_through(self, current: Cue) -> bool:
        """Whether ``current`` asks to hold a target that is in place only on its way past: at the
        speed it travels now, it would be out of the centring tolerance before the cue had been
        said and the quickest person had acted on it (``min_reaction_s``).

        A spoken move is over in under a second; "hold still" heard a second or two after the
        face came into place stopped people wherever they were by then, often past the spot,
        and the cue that would have brought them back had to wait for the pacing gap.
        Someone sliding the phone slowly still hears it in time to stop.
        """
        s = self.settings
        where = self._response.where
        if not s.quiet_while_passing or current.kind not in ("blur", "hold") or where is None:
            return False
        vx, vy = self._motion.velocity()
        ahead = self._speech.seconds_to_say(current) + s.min_reaction_s * self._m
        (x, y), _ = where
        aim, tolerance = centring_spot(self.target, s)
        return abs(x + vx * ahead - aim[0]) > tolerance[0] or abs(y + vy * ahead - aim[1]) > tolerance[1]

    def _awaiting_response(self, current: Cue, t: float) -> bool:
        """Whether a new move must wait: the last cue asked for a move the person has not
        started yet, and they are still within ``response_window_s`` of hearing it; or they
        are still making it (the hand moved within ``cue_settle_s``).

        Said now, a second move is not instead of the first: the person, still reacting
        to the first, makes both (the simulated users did, and lost the target doing it).
        Said in the middle of the move, it is added to it: a simulated user a third of the
        way through "8 cm away" was told "3 cm lower", did both, and lost the card.
        A helper gives one instruction, watches it being carried out, then gives the next.
        """
        last = self._response.last
        if last is None or last.direction is None or current.direction is None:
            return False
        if not self._response.moved_since_cue():
            return self._in_response_window(t)
        return self.settings.finish_move_first and self._response.moving(t, self.settings.cue_settle_s * self._m)

    def _carrying_out(self, t: float) -> bool:
        """Whether the person may still be carrying out the last cue, a move or a tilt: within
        ``response_window_s`` of hearing it in full. The target often leaves the picture while
        they do (straightening a phone swings it); "still looking" then is taken for a new
        instruction, and a simulated user went back to where they started."""
        last = self._response.last
        return last is not None and (last.direction is not None or last.kind == "tilt") and self._in_response_window(t)

    def _in_response_window(self, t: float) -> bool:
        """Whether the last utterance was heard in full less than ``response_window_s`` ago."""
        return self._speech.heard_within(t, self.settings.response_window_s * self._m)

    def _searching(self, t: float) -> Utterance | None:
        every = self.settings.searching_interval_s * self._m
        if self._last_search_t is not None and not lasted(self._last_search_t, t, every):
            return self._said(self._notices.pop(0), t) if self._notices else None
        if self._last_search_t is None:
            # Lost after being seen, the person knows how to hold the phone and where the target is:
            # they are told it is lost, in a breath, not the whole set-up again (6 s at 300 wpm).
            name = "searching" if self._last_seen is None else "lost"
        else:
            name = "searching_again"
        self._last_search_t = t
        return self._said(cue(self.target, name, "searching"), t)

    def _said(self, spoken: Cue, t: float, delay: float = 0.0, repeat: bool = False) -> Utterance:
        # A move said within response_window_s of hearing "lost" or "still looking" is not measured:
        # the person may still be bringing the phone back, and that jump is not their move. Taken
        # for it, a simulated user's gain was learnt as 0.5, and every distance after was doubled.
        window = self.settings.response_window_s * self._m
        measure = self._search_heard is None or lasted(self._search_heard, t + delay, window)
        words = spoken
        if spoken.kind == "hold" and self._tones_later:  # the steady tone has just started: what the tones mean
            self._tones_later, words = False, Cue("guide.tones_short", "notice", RANKS["notice"])
        utterance = self._speech.say(words, t, delay, repeat)
        self._capture.said(spoken)
        if spoken.kind == "searching":
            self._search_heard = self._speech.ends
        if spoken.kind not in ("notice", "offer"):
            self._response.told(spoken, t + delay, measure)
        return utterance
