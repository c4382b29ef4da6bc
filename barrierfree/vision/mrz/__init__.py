"""ICAO 9303 machine-readable zones: parsing and check digits (:mod:`.zone`), and the
visual inspection zone read against them (:mod:`.visual_zone`).

Its own package, apart from :mod:`barrierfree.vision.idcard` (the resident ID card),
because an MRZ is a standard of its own (passports, TD1/TD2 cards of any country); the
shared reading types (:class:`~barrierfree.vision.idcard.reading.Check`) and
``read_document``, which reads either kind, stay in ``idcard``.
"""
