"""Perception only: frames in, observations out. No I/O beyond decoding, no speech.

Coordinate convention everywhere in ``vision``: images are ``(H, W, 3)`` uint8
RGB arrays as the camera captured them (never mirrored); points are ``(x, y)``
in pixels with the origin at the top-left corner, x to the right, y down.

Subpackages by job: ``face`` (mesh, observations, face match), ``card`` (finding
the card in a frame), ``idcard`` (reading a resident ID card, and
``read_document`` for any card), ``mrz`` (ICAO 9303 zones), ``ocr`` (the text
engines), ``liveness`` (flash, active and passive checks).
"""
