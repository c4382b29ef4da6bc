"""An independent light model for judging liveness: 3-D heads, attacks, a phone's screen and camera.

Written apart from the verifier it evaluates (:mod:`barrierfree.vision.liveness`):
it imports nothing from :mod:`barrierfree.vision` (``tests/test_architecture.py``
checks), shares none of its constants and has its own physics: faces are 3-D
surfaces from a photo's mesh, the phone screen is an area light at the phone's
distance, the room has its own light, and the camera adapts exposure and white
balance, has a rolling shutter, noise, a tone curve and JPEG. See
:mod:`.clips` for the bona fide and attack clips.
"""
