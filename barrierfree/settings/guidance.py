"""Thresholds and options of the guidance area (``BARRIERFREE_GUIDANCE__<NAME>``).

Each field names its unit. Add fields here, never magic numbers in code.
Every duration is multiplied by the user's timeout multiplier
(:attr:`barrierfree.accessibility.profile.Profile.timeout_multiplier`).
Fractions of the frame are in 0..1 of the frame's width or height.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class GuidanceSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # --- pacing -------------------------------------------------------------
    #: Shortest gap between two spoken cues, in seconds.
    min_utterance_interval_s: float = Field(default=1.5, gt=0)
    #: An unchanged cue is spoken again after this many seconds.
    repeat_interval_s: float = Field(default=4.0, gt=0)
    #: "Nothing found" is spoken at most this often, in seconds.
    searching_interval_s: float = Field(default=4.0, gt=0)
    #: A new most-important cue must persist this long before it replaces the
    #: current one (hysteresis in time), in seconds.
    cue_settle_s: float = Field(default=0.2, ge=0)
    #: The target must be missing this long before the guide says it is lost, in seconds.
    lost_after_s: float = Field(default=0.5, ge=0)
    #: Once the person has stopped moving for this long, a cue that still points the same
    #: way is said again with the distance left ("about 3 centimetres more"), in seconds.
    #: (An unchanged cue waits for ``repeat_interval_s``.)
    update_after_still_s: float = Field(default=0.8, ge=0)
    #: After a cue asking for a move has been said in full, a different move waits this long for
    #: the person to start the first one (reaction times are 0.5-1.5 s), in seconds.
    response_window_s: float = Field(default=2.0, ge=0)
    #: A phone tilt said (from the phone's own sensor) counts as begun once the sensor's tilt has
    #: changed this much, in degrees. Until then the person is taken as still, whatever the camera
    #: sees: a face out of the picture of a phone tilted past it is no sign of a hand on the move,
    #: and the tilt, forgotten, waited twice the repeat interval (8 s) to be said again.
    tilt_begun_deg: float = Field(default=5.0, gt=0)
    #: A different move waits until the person has finished the one they are making (the
    #: hand has not moved for ``cue_settle_s``), as well as until they have started it: said
    #: mid-move, it is added to the move (a simulated user a third of the way through "8 cm
    #: away" was told "3 cm lower", did both, and lost the card).
    finish_move_first: bool = True
    #: An introduction said through :meth:`Guide.introduce` holds every other cue until it has
    #: been said in full (at the profile's rate); the first cue is then decided on what the camera
    #: sees when the person can act on it.
    wait_for_introduction: bool = True
    #: The introduction in its short words (the task in a sentence; the tones in one, on the first camera
    #: step only), the detailed words on request: the detailed ones took 19-26 s at 160 words a minute,
    #: and held every cue behind them.
    short_introduction: bool = True
    #: With the short introduction, the tones are explained instead of the first "hold it there" (the
    #: steady tone has just started), not before the first frame: said first, they held every cue of the
    #: first camera step 2-4 s longer (the card's introduction took 7.7-11 s of speech at the
    #: simulated users' rates, its median target 12 s), and before any tone had been heard.
    tones_when_first_needed: bool = True
    #: The quickest a person acts on what they have heard, in seconds (reaction times are 0.5-1.5 s).
    min_reaction_s: float = Field(default=0.5, ge=0)
    #: "Hold still" is not said to a target that is in place only on its way past: at the speed
    #: it travels, it would be out again before the words were heard and acted on. Said, it
    #: stopped simulated users past the spot, and held the move back for 1.5 s.
    quiet_while_passing: bool = True
    #: A change of size (face width, card area) that counts as a move closer or farther, as a share.
    update_min_resize: float = Field(default=0.1, gt=0)

    # --- how far to move ----------------------------------------------------
    #: Width of an adult face as the face mesh outlines it, in mm (bizygomatic
    #: breadth is about 135-145 mm): the ruler for "move about N centimetres".
    face_width_mm: float = Field(default=140.0, gt=0)
    #: 35 mm-equivalent focal length of the phone's camera, in mm (main and front cameras
    #: of current phones are 23-28 mm): turns a size in the picture into a distance.
    camera_equivalent_focal_mm: float = Field(default=26.0, gt=0)
    #: Learn how far this person moves per centimetre said (people are consistent: one
    #: overshoots by half, another stops short) and scale what is said to match.
    learn_hand_gain: bool = True
    #: The learnt gain is the geometric mean of the last this many moves, kept within bounds.
    hand_gain_moves: int = Field(default=3, ge=1)
    hand_gain_min: float = Field(default=0.5, gt=0)
    hand_gain_max: float = Field(default=2.0, gt=0)
    #: Moves said shorter than this teach nothing (tremor and drift swamp them), in mm.
    hand_gain_min_said_mm: float = Field(default=20.0, ge=0)
    #: A distance said aims this share of the accepted band in from the edge on the phone's side
    #: (0.5: its middle). Short of the middle, because the two misses cost differently: a move
    #: closer made too long cuts the target off, or loses it (a simulated user told "45 cm closer"
    #: went 64 and lost the face), where one made too short is followed by a shorter one.
    distance_aim_fraction: float = Field(default=0.33, gt=0, le=0.5)
    #: Moves shorter than this are said as "a little" rather than in centimetres, in cm. A longer
    #: move that the person's gain shrinks below it is said as this (rounded up), not "a little".
    min_spoken_move_cm: float = Field(default=2.0, gt=0)
    #: Off-centre both ways is said as one slanting move ("about 8 centimetres to your left and
    #: 4 up") instead of one way, then the other.
    say_two_way_moves: bool = True
    #: Off-centre one way and too far or too close, both to be said in centimetres, is said as one
    #: move, the sideways part first ("about 5 centimetres to your left, and 15 closer").
    say_distance_with_move: bool = True
    #: A face to be centred while the phone also moves closer or farther is centred for where it
    #: will be: a sideways offset grows in the picture as the phone comes closer, and with the
    #: phone tilted back the face's lowness (distance × tan tilt) shrinks. Judged as it is now,
    #: the move left a simulated user 3.5 cm too low from the tilt alone, and cost another round.
    centre_for_new_distance: bool = True

    # --- capture ------------------------------------------------------------
    #: The target must stay inside tolerance this long before auto-capture, in seconds.
    capture_dwell_s: float = Field(default=0.5, gt=0)
    #: The captured frame must be at least this sharp, as a share of the sharpest frame in place over the
    #: last ``capture_sharpest_window_s`` (a tremor blurs every other frame; the capture is a sharp one).
    capture_sharpest_fraction: float = Field(default=0.85, gt=0, le=1)
    #: The window of that sharpest frame, in seconds: two of a wrist's wobbles (0.7 Hz), so it holds a frame
    #: where the sway turns. It was the whole time in place: one frame at 1 233 early on (0.9 px of blur, the
    #: others 100-450) kept a simulated user's card from being captured in 56 s of holding it there.
    capture_sharpest_window_s: float = Field(default=3.0, gt=0)
    #: ``capture_sharpest_fraction`` for a face (0: none). The face's photo needs what the face-match gate
    #: needs, a frame at ``face_capture_min_sharpness`` (the gate's 20 with a margin), and the server keeps
    #: the best frame of the liveness clip anyway; the stream's sharpest is no bar for it. At 0.85 a
    #: simulated user held in place 3.9 s, frames at 220-380, because one frame as the move stopped read 727.
    face_capture_sharpest_fraction: float = Field(default=0.0, ge=0, le=1)
    #: A face is captured only on a frame at least this sharp (variance of the Laplacian on the face at
    #: 128 px wide, the face-match gate's own measure): the gate refuses a still under
    #: ``face.match_min_sharpness`` (20) as "face-blurred", and the still read 0.8-1.0 of the streamed
    #: frame's figure in the simulation. In a dim simulated room the guide captured 11 stills the gate
    #: refused, one after the other, before a good one at 46 s.
    face_capture_min_sharpness: float = Field(default=25.0, ge=0)
    #: In place this long without a frame at ``face_capture_min_sharpness``, the face is captured on one at
    #: ``face_capture_patient_min_sharpness``, in seconds: a shaky hand that never gives the margin still gets
    #: a capture (a simulated user held the phone in place 7 s, at 15-24). A capture refused as blurred
    #: (``face-blurred``) takes the margin back for the next one.
    face_capture_patience_s: float = Field(default=2.0, ge=0)
    #: The face-match gate's own blur limit (``face.match_min_sharpness``, 20), no margin; at most
    #: ``face_capture_min_sharpness``.
    face_capture_patient_min_sharpness: float = Field(default=20.0, ge=0)
    #: A card frame at the guide's sharpness bar (``card_min_sharpness``, or ``sharpness_relative_fraction`` of
    #: the stream's sharpest: 2.5 px of blur, the judge's limit) is captured even while the picture sways,
    #: as long as the card goes nowhere over ``card_sway_window_s`` (the dwell, the tolerance and
    #: "among the sharpest" still apply). The travel check goes by the card's travel over
    #: ``travel_window_s`` end to end, and a wrist's slow wobble (about 0.7 Hz, 2 degrees at 18 cm:
    #: 6 mm either way) keeps that over the limit all the time though it never gets anywhere: a
    #: simulated user held the card in place for 42 s, every few frames sharp (1 900-2 200, a still
    #: card's value), and was never captured. A hand gliding slowly across still counts: its
    #: frames can read sharp while blurred by 1.6 px.
    card_capture_sharp_despite_sway: bool = True
    #: A card whose picture sways but goes nowhere over ``card_sway_window_s`` counts as still in
    #: watching how the person carries out a cue: the hand has stopped. A wrist's wobble (0.7 Hz,
    #: 2 degrees at 19 cm) crosses the still limit at each swing, so a simulated user who had gone
    #: the wrong way (or not moved at all) was never "still", and heard the move again with the
    #: distance left only when the repeat came round after twice ``repeat_interval_s``: 8 s, twice
    #: in a row.
    card_still_despite_sway: bool = True
    #: The window over which a swaying card must go nowhere, its centre's least-squares speed under
    #: half the still limit, in seconds: longer than a wrist's wobble, so the wobble averages out.
    card_sway_window_s: float = Field(default=2.0, gt=0)
    #: Manual capture is offered after this long without a capture, in seconds.
    manual_capture_after_s: float = Field(default=30.0, gt=0)
    #: Human help is offered after this many failures (rejected captures, or
    #: manual-capture periods that passed without a capture).
    human_help_after_failures: int = Field(default=2, ge=1)
    #: Largest target motion counted as "still", in frame widths per second.
    max_still_motion_per_s: float = Field(default=0.15, gt=0)
    #: The same for a face, in frame widths per second. A hand's slow wobble (about 0.7 Hz, 1-3 degrees)
    #: moves the picture 0.1-0.25 frame widths a second and no one can stop it: at the card's limit the
    #: simulated people heard "hold still" for 20-40 s in place. A face photo tolerates more motion than a
    #: card's 3-4 px text strokes (0.35 is about 5 px at 1/30 s on a 480-wide frame), and the still is
    #: judged by the face-match gates.
    face_max_still_motion_per_s: float = Field(default=0.35, gt=0)
    #: Fastest change of the target's size counted as "still" (a move closer or farther
    #: leaves the centre where it is), as a natural-log ratio per second (0.3 is 35 %/s).
    max_still_resize_per_s: float = Field(default=0.3, gt=0)
    #: A blurred frame counts as a moving hand only if the target travelled over this long at
    #: more than half ``max_still_motion_per_s`` (tremor blurs frames but goes nowhere), in seconds.
    travel_window_s: float = Field(default=0.5, gt=0)
    #: Frames in a row a card's picture must move for the hand to count as on the move, in watching
    #: how the person carries out a cue (started, finished, still). A card cut off by a hair is
    #: outlined past the frame's edge on one frame and not on the next, and its centre jumps by
    #: 0.06 of the frame back and forth while the hand holds still. That person was never still,
    #: so never told what was left of their move, and heard their cue again only after 8 s. A real
    #: move lasts several frames (0.3 s and more); a smeared frame on the way somewhere still counts
    #: at once. Faces keep 1: a face's outline does not jump like that, and there a single moving
    #: frame is the start of a move (2 cost the simulated face users time: mean 10.11 -> 10.50 s).
    card_moving_frames_in_a_row: int = Field(default=2, ge=1)
    #: Largest device acceleration (gravity removed) counted as "still", in m/s².
    max_still_acceleration_m_s2: float = Field(default=1.5, gt=0)
    #: A phone tilt measured by the phone's own sensor comes right after "several faces"
    #: in the cue order instead of after "too far / too close": straightening the phone
    #: moves the picture, and would undo any position cue given before. False keeps the
    #: order nothing found → several → partly out → off-centre → distance → tilt.
    straighten_phone_first: bool = True
    #: With ``straighten_phone_first``, a selfie's move is measured for the phone once upright
    #: (the sensor's tilt and the camera's focal length say where the face will be) and said
    #: with the tilt, as one cue: "hold the phone upright, then move it 20 centimetres up".
    #: Said in turn, the two cost the simulated users a round each, 4-8 s at 160 words a minute.
    say_move_with_tilt: bool = True
    #: Share of the vertical move to the face's spot said with a tilt (1: all of it). Where the
    #: face will be once upright carries the error of the angles: a 3-D head seen from 25-35°
    #: below read 10-25 % narrower (so farther) than upright, and the move up came out 12-27 %
    #: long on the simulation's heads (exact on a flat photo). Short of the spot, as
    #: ``distance_aim_fraction`` aims: a move too long puts the face out of the top of the picture,
    #: one too short is followed by a short one.
    upright_move_share: float = Field(default=0.85, gt=0, le=1)
    #: "Too close" comes before "off-centre" (at the rank of "partly out"). Close up, the frame
    #: is small where the target is: 24 cm from a face the centring tolerance was ±2 cm (at 0.10 of the frame), less
    #: than a hand places a phone by feel (the simulated users went left and right for 15 s);
    #: backing off widens it, and brings the target towards the centre of the picture by
    #: itself (an offset in mm is a smaller share of a wider frame). "Too far" keeps its place:
    #: coming closer would only push an off-centre target further out.
    farther_first: bool = True
    #: Share by which a tolerance shrinks for a problem to count as solved
    #: (hysteresis in space: enter a problem at the tolerance, leave it inside
    #: ``(1 - this) × tolerance``).
    hysteresis_fraction: float = Field(default=0.25, ge=0, lt=1)

    # --- face (front camera) -------------------------------------------------
    #: Largest distance of the face centre from where it should be, horizontally
    #: and vertically, as a fraction of the frame.
    #: The still is for the face match and the liveness flash, and neither needs the face
    #: centred, only wholly in the photo with room around it. So the tolerance is as wide as
    #: keeps the face's outline (1.3 face widths tall) 0.06 of the frame from every edge at the
    #: largest size accepted (``face_max_width_fraction``): twice the 0.03 the simulation's judge
    #: asks of the still, the rest for the hand's sway before the still is taken and for the mesh's
    #: reading of the face. Up and down narrower: the face's outline is taller than wide, and aimed
    #: above the middle. At 0.10 either way (the guide's aim until issue 24's tuning) every round of
    #: "move 4 cm" cost the simulated users 4-7 s, for a precision no one downstream used.
    face_center_tolerance_x: float = 0.16
    face_center_tolerance_y: float = 0.12
    #: The centring tolerance is the room the face has, not that fixed box: a face is off centre only
    #: when its outline (``face_width_mm`` wide, 1.3 widths tall) would come nearer than
    #: ``face_frame_margin_fraction`` to an edge of the frame (the fixed tolerance above is that room at
    #: the largest size accepted, and stays the least). A face 0.3 of the frame wide has ±0.27 of it
    #: sideways and ±0.22 up and down, where the fixed box sent simulated users at a face already
    #: wholly in the picture round after round of "move 4 cm up", for a centring nothing downstream
    #: uses (the face match and the liveness flash need the face in the photo, with room).
    face_centre_by_room: bool = True
    #: Room kept between the face's outline and every edge of the frame, as a share of the frame's
    #: width (sideways) or height (up and down): the 0.03 the simulation's judge asks of the still, the
    #: rest for the hand's sway before the still is taken and the mesh's reading of the face (at 0.06 one
    #: capture in 20 of the tuning users' came out near the edge).
    face_frame_margin_fraction: float = Field(default=0.08, ge=0, lt=0.5)
    #: A face is not captured while the phone's own tilt sensor says the phone is still turning: more than
    #: this many degrees a second over ``travel_window_s``, end to end (0: not checked). A phone being
    #: straightened turns the picture with it (5 degrees at 40 cm is 3.5 cm, 0.08 of the frame), where
    #: a wrist's wobble (1-3 degrees at 0.7 Hz) goes nowhere.
    face_max_still_turn_deg_per_s: float = Field(default=6.0, ge=0)
    #: Where the face centre should be, vertically (0 top .. 1 bottom).
    face_target_y: float = 0.45
    #: ``hysteresis_fraction`` for the face's centring, where every bit of it is precision asked
    #: of a hand placing a phone by feel: just enough to swallow how the face's centre wobbles
    #: under a still hand (tremor, sway, sensor noise and JPEG: 0.01 of the frame peak to peak,
    #: at most 0.04). On a face held at the tolerance's edge through the real face pipeline, 0.15
    #: is the least that adds no flips of the problem (0.10 added one in 20 runs). 0.25 asked the
    #: hand to land within 0.075 of the frame, and a person already within 0.10 heard "2 cm more".
    face_centre_hysteresis_fraction: float = Field(default=0.15, ge=0, lt=1)
    #: Face-box width over frame width: smallest and largest accepted. The face mesh's
    #: outline reads up to 15 % narrower than the face on a close, tilted phone (0.57 for
    #: 0.67 in the simulation), so the largest is kept that far under 0.65, the size a
    #: capture may have. The smallest is 0.26, a fifth over the 0.2 the liveness check accepts
    #: (``face.min_face_width_fraction``; the face-match gate's 64 px is 0.09 of a 720-wide
    #: still): a phone at 45-50 cm, arm's length, is then in the band already, where 0.30 sent
    #: most people 10-15 cm closer first.
    face_min_width_fraction: float = 0.26
    face_max_width_fraction: float = 0.55
    #: Largest head turn/roll before the person is asked to look at / level the phone, degrees.
    #: Turn (and nod, below) sit 3° inside the face-match gates (``face.match_max_yaw_deg`` and
    #: ``match_max_pitch_deg``, 25°), which judge the capture still: the guide measures the
    #: streamed frame, and its mesh read the same moment's pose 1.5-3° off the still's. At 30°
    #: (above the gate) a face seen from above (pitch -30°, never checked) was captured 29 times
    #: in one simulated session and refused every time.
    face_max_yaw_deg: float = Field(default=22.0, gt=0)
    face_max_roll_deg: float = 20.0
    #: Largest head nod (|pitch|) before the person is asked to look straight at the phone, degrees.
    face_max_pitch_deg: float = Field(default=22.0, gt=0)
    #: ``hysteresis_fraction`` for the turn and nod: 0.1 (about 2°, the head's own wobble on
    #: the mesh) rather than 0.25 (5.5°, asking a head photographed at 18-21° to come under 16.5°
    #: once told, which the simulated person with that head never did).
    face_pose_hysteresis_fraction: float = Field(default=0.1, ge=0, lt=1)
    #: Phone front-back tilt (``beta``) accepted while taking a selfie, degrees (90 = upright).
    #: 25° either way: further back, the camera looks up the nose and the face sits so low
    #: in the picture that "move down 35 cm" is what centring it would take.
    face_min_beta_deg: float = 65.0
    face_max_beta_deg: float = 115.0
    #: Mean face luma below which it is too dark, above which too bright (0..1).
    face_min_exposure: float = 0.22
    face_max_exposure: float = 0.90
    #: Smallest variance of the Laplacian over the face (0..255 grey) counted as sharp.
    #: FaceAnalyzer gives about 400-460 on a still face in a 480×640 frame, 280 with
    #: 2.5 px of motion blur and about 110 with 3.5 px (measured on scenes of real photos).
    face_min_sharpness: float = 150.0

    #: A frame also counts as sharp when it reaches this share of the sharpest frame of the
    #: target in the last ``sharpness_memory_s`` seconds: a soft front camera, or a face with
    #: little fine texture, never reaches ``face_min_sharpness`` even when perfectly still
    #: (a real photo measured 120-130 still), and must not be told "hold still" for ever.
    #: Motion blur of 2.5 px or more drops the measure below 0.6 of the still value.
    sharpness_relative_fraction: float = Field(default=0.6, gt=0, le=1)
    sharpness_memory_s: float = Field(default=5.0, gt=0)
    #: Frames count towards that sharpest one only when the target's size in the picture (the
    #: face's width, the square root of the card's area) is within this share of its size now:
    #: the measure is per pixel, so it grows as the target shrinks.
    sharpness_same_size: float = Field(default=0.25, gt=0)
    #: The relative bar applies once the stream has this much history (at about the size now), in seconds.
    sharpness_history_min_s: float = Field(default=1.0, ge=0)

    # --- card (back camera) --------------------------------------------------
    #: A card need not be centred, only wholly in the picture with room to spare (the
    #: cut-off and span checks see to that): the centring tolerance is wider than a face's.
    #: Up and down wider still: a card lying across a portrait frame spans about half its height
    #: at most (0.19 either side of its centre at the largest span allowed), so 0.26 keeps a
    #: twentieth of the frame to the edge. Taking glare off the card moves it that way (across
    #: its short side), and with 0.18 "move it back" brought the glare back, again and again.
    card_center_tolerance_x: float = 0.18
    card_center_tolerance_y: float = 0.26
    #: Card area over frame area: smallest and largest accepted.
    #: 0.10 is 17-19 cm above the card (lenses of 23-28 mm equivalent). The guide watches a 480 x 640 stream, but the SDK
    #: captures at the camera's own size (``captureWidth`` 1280): at 720 x 960, read_document read
    #: the name and the ID number of 6 of 6 rendered cards at 13, 15, 17, 18.5 and 20 cm, and the
    #: portrait matched a selfie as well at 18.5 cm as at 13 (similarity 0.61 against 0.62). Taller
    #: than 0.15 (15 cm) gives the hand a band of distance twice as deep, and 2 cm more room
    #: each side for a card 8.6 cm wide.
    card_min_coverage: float = 0.10
    card_max_coverage: float = 0.45
    #: A card cut off by the frame is sized by its whole outline (the visible area over the share of
    #: it in view), not by the part in view: that part reads too far ("partly out" already says what
    #: is wrong), and "too far", once active, keeps its hysteresis: a simulated card centred at 17 cm
    #: (0.104 of the frame, in the band) after "partly out" was then told to come 2 cm closer.
    card_size_from_whole_outline: bool = True
    #: Largest share of the frame's width or height the card's outline may span: the rest
    #: is room for the hand to drift without cutting the card off. In a portrait frame a
    #: card reaches this long before ``card_max_coverage``.
    card_max_span_fraction: float = Field(default=0.8, gt=0, le=1)
    #: The fastest the card's scale may grow (the phone rise away from it) from one detection to
    #: the next, as a natural-log rate per second: 2.0 is the phone rising from 13 to 18 cm in a
    #: sixth of a second (30 cm/s), faster than anyone places a phone over a card by feel. A faster
    #: rise is a piece of the card taken for the card (1.45 to 4.3 times as far, from one frame to
    #: the next, in the simulation), and that frame is skipped (note ``card-fragment``).
    card_max_recede_rate_per_s: float = Field(default=2.0, gt=0)
    #: A card cut off by the frame can be outlined as a piece of it, and the phone then seems
    #: farther than it is: a simulated user 10.9 cm above a card cut off by a hair (2 cm to go)
    #: heard "9 cm to your right", and lost the card. So a cut card whose scale puts the phone more
    #: than ``card_scale_doubt_ratio`` times as far as a mostly visible card did (at least
    #: ``card_scale_min_visible`` of its outline in the frame) within ``card_scale_memory_s`` is
    #: not measured: its moves are said as "a little", which never sends the card out of the frame.
    card_scale_memory_s: float = Field(default=5.0, ge=0)
    card_scale_min_visible: float = Field(default=0.8, gt=0, le=1)
    card_scale_doubt_ratio: float = Field(default=1.3, gt=1)
    #: Largest phone tilt from flat (``|beta|``, ``|gamma|``) while over a card, degrees.
    card_max_device_tilt_deg: float = 20.0
    #: Largest perspective tilt of the card seen in the image, degrees.
    card_max_tilt_deg: float = 20.0
    #: At a card step, no capture while the per-frame side estimate cannot tell the side (the
    #: person hears card.side_unknown instead of "captured" for a side the step may not want).
    card_capture_needs_known_side: bool = True
    #: Phone ``|beta|`` above which it is held upright, so "up/down" is said instead of "away/towards you", degrees.
    card_upright_beta_deg: float = 55.0
    card_min_exposure: float = 0.22
    #: Largest share blown out by glare of any area that is read or matched: the text, the
    #: ID number's line, the photo (0..1; see ``Layout.glare_boxes``).
    card_max_glare_fraction: float = 0.02
    #: A card blown out evenly, not by a lamp's reflection: its exposure (mean luma, 0..1) at least
    #: ``card_overexposed_exposure``, at least ``card_overexposed_glare_fraction`` of an area blown out
    #: (the paper around the print), and the blown-out pixels centred on the card within
    #: ``card_overexposed_centre_offset`` of the frame. No phone move takes that off the card, and the
    #: print stays dark on it: in the simulation's bright rooms (light 1.07-1.25) "reflection, move the
    #: phone 4 cm" was said again and again for 0.8 blown out, while the stills read right. A lamp's
    #: reflection blew out 0.1-0.41 at exposure 0.62-0.87, its centre off the card's unless it sat there.
    card_overexposed_exposure: float = Field(default=0.86, gt=0, le=1)
    card_overexposed_glare_fraction: float = Field(default=0.5, gt=0, le=1)
    card_overexposed_centre_offset: float = Field(default=0.05, ge=0)
    #: Smallest variance of the Laplacian over the rectified card (0..255 grey) counted as sharp.
    #: CardFinder gives about 3 000-4 500 on a still card seen from 9-12 cm, about 1 300 with
    #: 2.5 px of motion blur and 700 with 5 px (measured on rendered cards on tables).
    card_min_sharpness: float = 1500.0
    #: Smallest sharpness (as ``card_min_sharpness``) of a frame the on-device path sends as a card still
    #: besides the captured one (:mod:`barrierfree.accessibility.guidance.stills`). Lower than the capture's:
    #: the reader reads a still blurred 1.5-2 px (480-wide frame) right, and at 1 500 a trembling hand
    #: gave no second still within a second on most captures (simulation, tuning users 0-19: read once
    #: more on 1 still again and again); its frames read 850-1 100 at about 2 px of blur, 400-700 at 3-4 px.
    card_still_min_sharpness: float = Field(default=900.0, ge=0)
    #: Glare is answered with the phone move that takes the lamp's reflection off the card
    #: (:mod:`barrierfree.accessibility.guidance.glare`) when the vision says where it is; else
    #: with "slide the card to another spot".
    say_glare_escape: bool = True
    #: How far past the card's edge the move aims the reflection's centre, in mm: a lamp's
    #: highlight is about 14 mm across, and the reflection moves a little less than the phone.
    glare_escape_margin_mm: float = Field(default=12.0, ge=0)
    #: Ambient light below which the room is too dark (when the phone reports it), lux.
    min_ambient_lux: float = 10.0

    # --- continuous signal ---------------------------------------------------
    #: Beep interval far from the target and on it, in seconds.
    beep_interval_far_s: float = 1.0
    beep_interval_near_s: float = 0.05
    #: Length of one beep, in milliseconds.
    beep_ms: int = 80
    #: Normalised error (1 = at the tolerance) at which the beeps are slowest.
    far_error: float = 5.0
    #: Pitch of the tone when the phone needs no vertical move, in hertz; a move
    #: up raises it, a move down lowers it, by up to this many octaves.
    base_pitch_hz: float = 660.0
    pitch_span_octaves: float = 0.5
