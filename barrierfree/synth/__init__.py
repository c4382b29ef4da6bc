"""Generators of realistic test data from real photos and real fonts.

Used by the tests, the benchmarks and ``barrierfree doctor``; a bank can use
them to exercise its own integration. Nothing here is needed at run time.
"""
