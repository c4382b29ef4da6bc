"""Simulated blind users bringing their face, then their ID card, into the camera (issue 24).

Each virtual person holds a virtual phone (:mod:`testkit.scenes`) over a real
face or a rendered ID card and reacts only to what the guidance lets them perceive;
frames go through the REAL vision and the REAL guide, paced as the SDK paces them
(:mod:`.phone`), and captures are judged on the still the phone really takes
(:mod:`.judge`). Parts: :mod:`.people` (the first and the main user models),
:mod:`.held_out` (a model written apart, never tuned on), :mod:`.hand` (the phone's
motion), :mod:`.listener` (what a person does with a cue), :mod:`.camera` (scenes,
light, noise, JPEG), :mod:`.setups`, :mod:`.session` (one run), :mod:`.report`.
"""
