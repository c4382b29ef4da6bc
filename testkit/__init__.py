"""Generators of realistic test data from real photos and real fonts (the test kit).

Used by the tests and the benchmarks, which run from the project root (so
``import testkit`` finds this folder); a bank can use them to exercise its own
integration. It is not part of the installed ``barrierfree`` package: nothing
here is needed at run time, and it brings scipy and scikit-image (the ``test``
extra). ``barrierfree doctor`` uses probe images shipped in
``barrierfree/assets/probe`` instead (made by :mod:`testkit.probes`).
"""
