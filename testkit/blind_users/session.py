"""One person, one target, one path: the simulated clock from the first frame to a good capture (or 60 s).

Each step of :data:`STEP_S` the hand moves; when the pacer says so the phone grabs a
frame (rendered, finished like a phone's, JPEG at the SDK's quality), the REAL vision
observes it and the REAL :class:`~barrierfree.accessibility.guidance.Guide` steps on
it; its reply reaches the phone after the path's latency. There the SDK's behaviour is
reproduced: the introduction (:meth:`Guide.introduce`, as the journey calls it) is queued on the first reply, each utterance is said
after the ones before it (``speechSynthesis`` queues), the signal sounds at once, and
on "captured" the phone takes what the SDK takes on that path and it is judged as the
server judges it (:mod:`.capture`). The card, either path: its stills (the frame the guide
captured on and the frames the card finder judged usable, of its dwell and of the next
second; on the server path the server's guidance says which) read and fused as the server
does (the server path with the step's earlier readings, which its ``Streams`` remember);
the answer comes a round trip after the request. (``one_still``: the server-path SDK
before, one still drawn at the reply, read and fused with the earlier readings.) The face:
the server path judges one still at that moment (:mod:`.judge`); the device path the
liveness clip, of which the server keeps the best frame for the face match. A rejected capture: the
SDK says the refusal's cue, the guide is told (``record_failure`` with the server's reason,
as the journey does; ``resume`` for "read once more") and guidance goes on. A card capture
the server ACCEPTS ends the session there, as the product does (it says "captured" and moves on):
a failure when it is not good (a misread only the simulation knows of). A good
capture's time is when "captured" reached the phone: the card's, when the server's
acceptance did (the guide says only "taking the photo" when it decides); the face's, when
the guide decided.

The first model (``conditions.legacy_clock``) keeps the old benchmark's flattering
ways: no queue (a cue is heard while the previous one is still being said) and the
capture judged on the frame the guide saw.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from barrierfree.accessibility.guidance.assess import RANKS
from barrierfree.accessibility.guidance.model import Cue
from barrierfree.accessibility.guidance.stills import usable_still
from barrierfree.accessibility.profile import Profile
from barrierfree.onboarding.journey.device import capture_message
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from testkit.blind_users.camera import STILL_SIZE, Light, at_size, finish
from testkit.blind_users.capture import Capture, CardStills, Shot, card_shots, flash_shots, judge_card, judge_face
from testkit.blind_users.hand import Hand
from testkit.blind_users.held_out import HeldOutPerson, WaitingListener
from testkit.blind_users.judge import Judge, Verdict, server_reason
from testkit.blind_users.listener import Listener
from testkit.blind_users.people import Person
from testkit.blind_users.phone import SDK_FRAME_JPEG_QUALITY, SDK_STILL_JPEG_QUALITY, Pacer, Path
from testkit.blind_users.setups import SETUPS, TODAY
from testkit.blind_users.speech_lengths import hearing_s
from testkit.blind_users.trace import Step
from barrierfree.vision.frames import Frame

#: The session's time limit, seconds.
LIMIT_S = 60.0
#: Simulation step, seconds (the hand and the person; frames come when the pacer says).
STEP_S = 0.025
#: What the SDK says after a refused card capture (``capture_message``), as cues the person acts on.
_REFUSAL_CUES = {"card.hold_still": Cue("card.hold_still", "hold", RANKS["hold"]),
                 "card.turn_over": Cue("card.turn_over", "side", RANKS["side"])}
_RETRY = Cue("journey.sdk_card_retry", "notice", RANKS["notice"])


@dataclass(frozen=True)
class Conditions:
    """How a session is run: the path, the policy, and the first model's flattering ways (or not)."""

    path: Path
    policy: str = "all"
    hard_scene: bool = True
    legacy_clock: bool = False  # no speech queue, judged on the guided frame, nothing read
    read: bool = True  # card reader / face-match gates on the still (off: criteria only, for quick tests)
    held_still: bool = True  # device path: the card's first still is the frame the guide judged (the SDK holds it)
    blind_stills: bool = False  # device path: the card's other stills a frame apart, usable or not (the SDK before it chose them)
    carry_stills: bool = True  # device path: a capture read once more sends its stills again with the next (the SDK)
    one_still: bool = False  # server path: one card still drawn at the reply a capture (the SDK before it sent chosen stills)
    limit_s: float = LIMIT_S


@dataclass(frozen=True)
class Outcome:
    """What one session came to. ``time_s``: when a good capture was taken (``None``: not within the limit)."""

    time_s: float | None
    verdicts: tuple[Verdict, ...]
    utterances: int
    seconds: float
    frames: int
    grabs: tuple[float, ...] = ()  # when each frame was grabbed
    still_at: tuple[float, ...] = ()  # when each capture still was taken
    frame_at: tuple[float, ...] = ()  # when the frame the guide said "captured" on was grabbed
    intro_s: float = 0.0  # when the introduction had been said in full (0: none)
    steps: tuple[Step, ...] = ()  # each reply as it reached the phone (:mod:`.trace`)
    ended_s: float | None = None  # when a failed session ended before the limit (the server accepted a bad capture)


@dataclass(frozen=True)
class Grab:
    """A guided frame's moment: when it was grabbed, the pose and image speed then, its ground truth."""

    t: float
    shown: object  # PhonePose
    image_v: tuple[float, float]
    truth: object


def profile_for(person: Person, policy: str) -> Profile:
    """The journey's defaults (detailed, the introduction, tones and vibration) at the person's chosen rate;
    the first model's people had ``normal`` wording."""
    return Profile(language="zh-CN", tones=policy in ("tones", "all"), haptics=policy == "all",
                   speech_rate_wpm=person.listen_wpm, speech_enabled=policy in ("speech", "all"),
                   headphones=person.headphones, verbosity="detailed" if person.product_profile else "normal")


class Session:
    """One run (see the module docstring)."""

    def __init__(self, person: Person, target: str, conditions: Conditions, index: int,
                 runtime: Runtime | None = None) -> None:
        self.person, self.target, self.conditions = person, target, conditions
        runtime = runtime or Runtime.from_settings(Settings())
        self.settings = runtime.settings
        # Streams of their own per person and target, the same for every path and policy (paired).
        seeds = np.random.SeedSequence([person.seed, 1 if target == "face" else 2])
        hand_rng, act_rng, net_rng, scene_rng, clip_rng = (np.random.default_rng(s) for s in seeds.spawn(5))
        self.setup = SETUPS[target](person, index, conditions.hard_scene, runtime)
        self.hand = Hand(self.setup.start, person.shake, hand_rng)
        kind = WaitingListener if isinstance(person, HeldOutPerson) else Listener
        self.listener = kind(person, target, conditions.policy, self.hand, self.setup.scene, act_rng)
        self.profile = profile_for(person, conditions.policy)
        # As the journey: the card's portrait side is its first camera step, where the tones are explained.
        self.guide = runtime.guide(target, self.profile, camera="front" if target == "face" else "back",
                                   expected_side=None if target == "face" else "portrait", explain_tones=target == "card")
        self.pacer = Pacer(conditions.path, net_rng)
        self.scene_rng, self.clip_rng = scene_rng, clip_rng
        self.runtime = runtime
        self.capture: Capture | None = None
        self._held: Grab | None = None  # the guided frame a device capture started on
        self.stills = CardStills(self.settings.device.still_window_s, self.settings.device.max_stills)
        self.light = Light.draw(scene_rng) if conditions.hard_scene else Light()
        self.judge = Judge(target, self.settings, self.setup.expected, TODAY, read=conditions.read)
        self.speech_free = 0.0
        self.pending: list[tuple[float, object]] = []
        self.utterances = 0
        self.verdicts: list[Verdict] = []
        self.grabs: list[float] = []
        self.still_at: list[float] = []
        self.frame_at: list[float] = []
        self.intro_s = 0.0
        self.steps: list[Step] = []
        self.remembered: list = []  # the server's readings of this card step, fused with each capture's (server path)
        self.accepted_bad = False  # the server accepted a card capture that is not good: the session ends, failed
        self.intro: tuple = ()  # the introduction the journey sends with the first reply (the product's profile)

    def run(self) -> Outcome:
        try:
            return self._run()
        finally:
            self.setup.close()

    def _run(self) -> Outcome:
        t, next_grab, inflight, first = 0.0, 0.0, None, True
        while t <= self.conditions.limit_s:
            shown, image_v, accel = self.hand.advance(t, STEP_S)
            if self.capture is not None:  # the phone takes its pictures; no frame is guided but for them
                decided = self.capture.decided_s
                if self._shoot(t, shown, image_v, accel):
                    return self._outcome(t if self.target == "card" else decided)
                if self.accepted_bad:
                    return self._outcome(None, ended_s=t)
                next_grab = t if self.capture is None else next_grab
            elif inflight is None and t >= next_grab - 1e-9:
                inflight = self._grab(t, shown, image_v, accel)
            if inflight is not None and t >= inflight[0] - 1e-9:
                _, guidance, grab = inflight
                inflight = None
                for cue in self.intro if first else ():
                    self._say(cue, t, 0.0, act=False)
                    self.intro_s = self.speech_free
                first = False
                if self._deliver(guidance, t, shown, image_v, grab):
                    # The card's "captured" is said once the server's acceptance is back (server path: /capture).
                    card_answer = self.target == "card" and self.conditions.path.kind == "server"
                    return self._outcome(t + (self.pacer.round_trip() if card_answer else 0.0))
                if self.accepted_bad:
                    return self._outcome(None, ended_s=t)
                next_grab = self.pacer.next_grab(grab.t, t)
            for item in [a for a in self.pending if a[0] <= t]:
                self.pending.remove(item)
                self.listener.cue(item[1], t)
            if self.conditions.policy != "none":
                self.listener.tick(t, t < self.speech_free, bool(self.pending))
            t += STEP_S
        return self._outcome(None)

    def _grab(self, t: float, shown, image_v, accel: float):
        if not self.grabs and self.person.product_profile:  # the journey: the introduction, then the first frame
            self.intro = self.guide.introduce(t)
        observation, guidance, truth = self._observe(t, shown, image_v, accel)
        grab = Grab(t, shown, image_v, truth)
        if self._chosen_stills():  # the SDK keeps usable frames of a dwell
            self.stills.note(guidance.phase, guidance.captured, self._usable(observation), t, grab)
        return t + self.pacer.latency(), guidance, grab

    def _chosen_stills(self) -> bool:
        """Whether a card capture sends the SDK's chosen stills (:class:`.capture.CardStills`; either path)."""
        server = self.conditions.path.kind == "server"
        return self.target == "card" and not (server and self.conditions.one_still) and \
            (server or (self.conditions.held_still and not self.conditions.blind_stills))

    def _usable(self, observation) -> bool:
        return usable_still(observation, "portrait", self.settings.guidance)

    def _observe(self, t: float, shown, image_v, accel: float):
        """A frame grabbed at ``t``, finished as the phone does and observed; the guide steps on it."""
        frame, truth = self.setup.scene.render(shown, image_v, timestamp_s=t, light=self.light.at(t))
        quality = SDK_FRAME_JPEG_QUALITY if self.conditions.hard_scene else None
        pixels = finish(frame.pixels, self.light.at(t), quality, self.scene_rng)
        observation = self.setup.observe(Frame(pixels, t))
        pose = self.hand.pose
        sensors = SensorReading(beta_deg=(90.0 if self.target == "face" else 0.0) + pose.pitch_deg,
                                gamma_deg=pose.yaw_deg, acceleration_m_s2=accel)
        self.grabs.append(t)
        return observation, self.guide.step(observation, sensors, now_s=t), truth

    def _say(self, cue, t: float, delay_s: float, act: bool = True, text: str | None = None) -> None:
        """The SDK says it (after those queued before it); the person acts ``reaction_s`` after its end."""
        self.utterances += 1
        if self.conditions.policy not in ("speech", "all"):
            return
        due = t + delay_s
        start = due if self.conditions.legacy_clock else max(due, self.speech_free)
        end = start + hearing_s(text or cue.text("zh-CN"), self.person.listen_wpm)
        self.speech_free = max(self.speech_free, end)
        if act:
            self.pending.append((end + self.person.reaction_s, cue))

    def _deliver(self, guidance, t: float, shown, image_v, grab: Grab) -> bool:
        """The reply reaches the phone at ``t``; ``True`` when it ends the session with a good capture."""
        if guidance.speak is not None:
            self._say(guidance.speak.cue, t, guidance.speak.delay_s, text=guidance.speak.text("zh-CN"))
        self.listener.signal(t, guidance.signal)
        self.steps.append(Step(t, guidance.phase, guidance.cue.message_id if guidance.cue else "",
                               t < self.speech_free or bool(self.pending), t < self.intro_s))
        if not guidance.captured:
            return False
        if self.conditions.legacy_clock:
            self.verdicts.append(self.judge.frame(grab.truth))
            return True
        if self.conditions.path.kind == "device" or self._chosen_stills():
            self._start_capture(t, grab)
            self.frame_at.append(guidance.timestamp_s)
            return self._shoot(t, shown, image_v)  # a still due now is taken now, not a simulation step later
        scene = at_size(self.setup.scene, STILL_SIZE)
        still, still_truth = scene.render(shown, image_v, timestamp_s=t, light=self.light.at(t))
        pixels = finish(still.pixels, self.light.at(t), SDK_STILL_JPEG_QUALITY if self.conditions.hard_scene else None,
                        self.scene_rng)
        verdict = self.judge.still(pixels, still_truth) if self.target == "face" or not self.conditions.read else \
            self._judge_card(Capture(t, (), 0.0, pictures=[(pixels, still_truth)]))
        self.verdicts.append(verdict)
        self.still_at.append(t)
        self.frame_at.append(guidance.timestamp_s)
        return self._judged(verdict, t)

    def _judged(self, verdict: Verdict, t: float) -> bool:
        """Record a capture's verdict; a rejected one guides again (``True``: a good capture). A card capture
        the server accepts though it is not good (a misread, or a still failing a criterion only the
        simulation knows) ends the session as the product does ("captured", the next step): a failure."""
        if verdict.good:
            return True
        self.steps[-1] = replace(self.steps[-1], refused=verdict.problem or "refused")
        if self.target == "card" and self.conditions.read and verdict.refusal is None \
                and server_reason(verdict) is None and verdict.problem != "reading-once-more":
            self.accepted_bad = True
            return False
        if self.target == "card":  # the SDK says the refusal's own cue (the server names it)
            self._say(_REFUSAL_CUES.get(capture_message(False, verdict.problem), _RETRY), t, 0.0)
        if verdict.problem == "reading-once-more":
            self.guide.resume()  # the server wants another capture: no failure
        else:
            self.guide.record_failure(server_reason(verdict))  # the server's reason, as the journey passes it
        return False

    def _start_capture(self, t: float, grab: Grab) -> None:
        """The device path's capture starts at ``t``: the card's stills or the face's liveness clip (:mod:`.capture`)."""
        quality = SDK_STILL_JPEG_QUALITY if self.conditions.hard_scene else None
        path = self.conditions.path
        if self._chosen_stills():
            self._choose_stills(t, grab, quality)
            return
        if self.target == "card":
            shots = card_shots(grab.t, t, self.settings.device.max_stills, path.fps, STILL_SIZE, quality,
                               held=self.conditions.held_still)
            frames = 0
        else:
            shots, frames = flash_shots(t, self.pacer.round_trip(), self.settings, self.clip_rng,
                                        self.settings.onboarding.flash_record_fps)
        self.capture = Capture(t, shots, self.pacer.round_trip(), frames)
        self._held = grab
        self.still_at.append(shots[0].t)

    def _choose_stills(self, t: float, grab: Grab, quality: int | None) -> None:
        """The SDK's chosen card stills (:class:`.capture.CardStills`): the kept frames of the dwell now,
        then, while fewer than the server accepts on, usable frames a frame apart from the next grab on,
        for ``still_budget_s`` at most."""
        device = self.settings.device
        next_frame = self.pacer.next_grab(grab.t, t)
        enough = min(device.max_stills, self.settings.onboarding.card_frames_to_accept)  # the wire's stills_to_accept
        self.capture = Capture(t, (), self.pacer.round_trip(), until_s=next_frame + device.still_budget_s,
                               most=enough, next_frame_s=next_frame)
        for kept in self.stills.chosen():  # a carried still is a picture already taken
            self.capture.pictures.append(kept if isinstance(kept, tuple) else
                                         self._picture(Shot(kept.t, STILL_SIZE, quality, held=True), kept))
        self._held = grab
        self.still_at.append(grab.t)

    def _collect(self, t: float, shown, image_v, accel: float) -> None:
        """While the SDK looks for usable stills: at each frame's time, stop (and send) or judge one more frame."""
        capture = self.capture
        if t < capture.next_frame_s - 1e-9:
            return
        if len(capture.pictures) >= capture.most or t >= capture.until_s - 1e-9:
            capture.send(t)
            return
        observation, _, truth = self._observe(t, shown, image_v, accel)  # the guide is frozen until the answer
        if self._usable(observation):
            quality = SDK_STILL_JPEG_QUALITY if self.conditions.hard_scene else None
            capture.pictures.append(self._picture(Shot(t, STILL_SIZE, quality, held=True), Grab(t, shown, image_v, truth)))
        capture.next_frame_s = self.pacer.next_grab(t, t + self.pacer.latency())

    def _shoot(self, t: float, shown, image_v, accel: float = 0.0) -> bool:
        """Take the capture's pictures due by ``t``; once its answer is in, judge it (``True``: good)."""
        capture = self.capture
        if capture.collecting:
            self._collect(t, shown, image_v, accel)
        for shot in capture.due(t):
            grab = self._held if shot.held else Grab(t, shown, image_v, None)
            capture.pictures.append(self._picture(shot, grab))
        if capture.collecting or len(capture.pictures) < len(capture.shots) or t < capture.answer_at - 1e-9:
            return False
        self.capture = None
        if not self.conditions.read:
            pixels, truth = capture.pictures[0]
            verdict = self.judge.still(pixels, truth)
        elif self.target == "card":
            verdict = self._judge_card(capture)
        else:
            verdict = judge_face(capture, self.settings)
        self.verdicts.append(verdict)
        if verdict.problem == "reading-once-more" and self.conditions.carry_stills and self._chosen_stills() \
                and self.conditions.path.kind == "device":
            self.stills.carry(capture.pictures)  # the SDK sends them again with the next capture's
        return self._judged(verdict, t)

    def _judge_card(self, capture: Capture) -> Verdict:
        """A card capture's stills read and fused as the server does: on the server path with the
        step's earlier readings (``Streams.remember``), on the device path alone."""
        return judge_card(capture, lambda pixels: self.runtime.read_document(pixels, today=TODAY), self.setup.expected,
                          self.settings, self.remembered if self.conditions.path.kind == "server" else None)

    def _picture(self, shot: Shot, grab: Grab):
        """One picture the phone takes: the scene at ``grab``'s moment, at the shot's size and JPEG quality."""
        light = self.light.at(grab.t)
        picture, truth = at_size(self.setup.scene, shot.size).render(grab.shown, grab.image_v, timestamp_s=grab.t, light=light)
        return finish(picture.pixels, light, shot.quality if self.conditions.hard_scene else None, self.scene_rng), truth

    def _outcome(self, t: float | None, ended_s: float | None = None) -> Outcome:
        # The session lasts until the last utterance has had its slot.
        end = t if t is not None else ended_s if ended_s is not None else self.conditions.limit_s
        seconds = end + self.settings.guidance.min_utterance_interval_s
        return Outcome(t, tuple(self.verdicts), self.utterances, seconds, len(self.grabs), tuple(self.grabs),
                       tuple(self.still_at), tuple(self.frame_at), self.intro_s, tuple(self.steps), ended_s)
