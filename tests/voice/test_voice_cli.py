"""``barrierfree speak``: text or a prompt id to WAV, a prompt pack, clear errors."""

from __future__ import annotations

import json

from barrierfree.cli import main
from barrierfree.voice.tts import is_silent


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_speak_chinese_text_to_a_wav(capsys, tmp_path):
    out_wav = tmp_path / "out.wav"
    code, out, _ = run(capsys, "speak", "请把手机往左移一点", "--lang", "zh-CN", "-o", str(out_wav), "--json")
    doc = json.loads(out)
    assert code == 0 and doc["fell_back"] is False and doc["bytes"] == out_wav.stat().st_size
    assert out_wav.read_bytes()[:4] == b"RIFF" and not is_silent(out_wav.read_bytes())


def test_speak_a_prompt_id_with_parameters(capsys, tmp_path):
    out_wav = tmp_path / "help.wav"
    code, _, _ = run(capsys, "speak", "guide.human_help_offer", "--message", "--param", "attempts=3",
                     "--lang", "en", "-o", str(out_wav))
    assert code == 0 and not is_silent(out_wav.read_bytes())


def test_unspeakable_text_writes_the_fallback_and_says_so(capsys, tmp_path):
    out_wav = tmp_path / "emoji.wav"
    code, _, err = run(capsys, "speak", "🙂", "-o", str(out_wav))
    assert code == 0 and "fallback" in err and not is_silent(out_wav.read_bytes())


def test_speak_pack(capsys, tmp_path):
    code, out, _ = run(capsys, "speak", "--pack", str(tmp_path), "--lang", "zh-CN", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["files"] == len(list((tmp_path / "zh-CN").glob("*.wav"))) > 40
    assert "guide.human_help_offer" in doc["dynamic"]


def test_speak_errors(capsys, tmp_path):
    code, _, err = run(capsys, "speak", "hello", "--lang", "tlh", "-o", str(tmp_path / "x.wav"))
    assert code == 2 and "No voice for language 'tlh'" in err
    code, _, err = run(capsys, "speak", "face.nope", "--message", "-o", str(tmp_path / "x.wav"))
    assert code == 2 and "No prompt 'face.nope'" in err
    code, _, err = run(capsys, "speak", "hello")
    assert code == 2 and "Give TEXT and -o OUT.wav" in err
