"""The prompt catalogs: complete in every language, same parameters, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from barrierfree.errors import BadInput
from barrierfree.voice import prompts

CATALOG_DIR = Path(prompts.__file__).resolve().parents[1] / "assets" / "prompts"


def _load(lang: str) -> dict[str, str]:
    return json.loads((CATALOG_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def test_both_catalogs_exist_and_are_the_languages_offered():
    assert prompts.languages() == ("en", "zh-CN")


def test_catalogs_have_exactly_the_same_message_ids():
    zh, en = _load("zh-CN"), _load("en")
    assert sorted(set(zh) - set(en)) == [], "messages missing in en.json"
    assert sorted(set(en) - set(zh)) == [], "messages missing in zh-CN.json"


def test_every_message_has_the_same_parameters_in_both_languages():
    zh, en = _load("zh-CN"), _load("en")
    differing = {key: (sorted(prompts.parameters(zh[key])), sorted(prompts.parameters(en[key]))) for key in zh
                 if prompts.parameters(zh[key]) != prompts.parameters(en.get(key, ""))}
    assert differing == {}


def test_messages_are_non_empty_plain_text_with_a_known_prefix():
    known = ("guide.", "face.", "card.", "liveness.", "journey.", "scheduler.")
    for lang in ("zh-CN", "en"):
        for key, text in _load(lang).items():
            assert key.startswith(known), key
            assert isinstance(text, str) and text.strip() and "<" not in text, (lang, key)


def test_chinese_messages_are_written_in_chinese_and_english_ones_are_not():
    for key, text in _load("zh-CN").items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), key
    for key, text in _load("en").items():
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), key


def test_render_fills_parameters_in_each_language():
    assert prompts.render("guide.human_help_offer", "en", attempts=3).startswith("We have tried 3 times.")
    assert prompts.render("guide.human_help_offer", "zh-CN", attempts=3).startswith("已经试了3次")


def test_unknown_language_falls_back_to_chinese_and_says_so():
    assert prompts.resolve_language("fr-FR") == ("zh-CN", True)
    assert prompts.resolve_language(None) == ("zh-CN", True)
    assert prompts.resolve_language("zh") == ("zh-CN", False)
    assert prompts.resolve_language("en_US") == ("en", False)
    assert prompts.render("face.move_left", "fr") == prompts.render("face.move_left", "zh-CN") == "手机左移一点。"


def test_unknown_message_and_missing_parameter_are_clear_errors():
    with pytest.raises(BadInput, match="No prompt 'face.fly_away'"):
        prompts.render("face.fly_away", "en")
    with pytest.raises(BadInput, match="needs the parameter"):
        prompts.render("guide.human_help_offer", "en")


def test_every_move_has_brief_words_with_the_same_parameters_and_fewer_of_them():
    """``<id>.brief``: the words of a move once the phone has been named (the Guide's Utterance.brief)."""
    for lang in ("zh-CN", "en"):
        messages = _load(lang)
        moves = [key for key in messages if key.startswith(("face.move_", "face.partly_out_", "card.move_",
                                                            "card.partly_out_")) and not key.endswith(".brief")]
        assert len(moves) > 60
        for key in moves:
            brief = messages[f"{key}.brief"]
            assert prompts.parameters(brief) == prompts.parameters(messages[key]), (lang, key)
            assert len(brief) < len(messages[key]), (lang, key)
        assert all(key[: -len(".brief")] in messages for key in messages if key.endswith(".brief"))
