"""The simulation tells the guide why a capture was refused as the journey does: the server's code, never what
only the simulation knows (a criterion judged on the scene's ground truth, a misread)."""

from __future__ import annotations

from testkit.blind_users.judge import Verdict, server_reason


def test_the_guide_hears_the_servers_code_and_nothing_the_server_cannot_know():
    assert server_reason(Verdict(True, False, "face-blurred")) == "face-blurred"
    assert server_reason(Verdict(True, False, "reading-failed")) == "reading-failed"
    # Not read (it failed a criterion), or accepted by the server though a field is wrong: no reason.
    assert server_reason(Verdict(False, False, "blurred")) is None
    assert server_reason(Verdict(True, False, "misread:name")) is None
    # Read all the same (the device path's stills, the face's clip frame): the server's code under the criterion.
    assert server_reason(Verdict(False, False, "near-edge", "face-turned")) == "face-turned"
