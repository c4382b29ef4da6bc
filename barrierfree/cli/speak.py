"""``barrierfree speak``: offline speech to a WAV file, or a whole prompt pack to a folder."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("text", required=False)
@click.option("--lang", default="zh-CN", show_default=True, help="Language tag: zh-CN or en.")
@click.option("--rate", "rate_wpm", type=int, default=None, help="Words per minute (default: the profile's 160).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="WAV file to write.")
@click.option("--message", is_flag=True, help="TEXT is a prompt id (e.g. face.move_left), rendered in --lang.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A prompt parameter (with --message).")
@click.option("--pack", type=click.Path(file_okay=False, path_type=Path), help="Pre-render every prompt of --lang into this folder.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def speak(text: str | None, lang: str, rate_wpm: int | None, output: Path | None, message: bool,
          params: tuple[str, ...], pack: Path | None, as_json: bool) -> None:
    """Speak TEXT with espeak-ng (Mandarin voice sit/cmn-Latn-pinyin, English gmw/en) into -o OUT.wav."""
    from barrierfree.accessibility.profile import Profile
    from barrierfree.cli import emit_json, runtime
    from barrierfree.errors import BadInput
    from barrierfree.voice import prompts
    from barrierfree.voice.cache import prerender_pack, speak_or_fallback

    rate = rate_wpm or Profile().speech_rate_wpm
    if pack is not None:
        index = prerender_pack(pack, lang, rate_wpm=rate)
        files = sum(1 for entry in index.values() if not entry.get("dynamic"))
        if as_json:
            emit_json({"folder": str(pack), "language": prompts.resolve_language(lang)[0], "files": files,
                       "dynamic": sorted(m for m, e in index.items() if e.get("dynamic"))})
        else:
            click.echo(f"wrote {files} prompts to {pack}")
        return
    if text is None or output is None:
        raise BadInput("missing-argument", "Give TEXT and -o OUT.wav (or --pack FOLDER).")
    if message:
        values = dict(_split(p) for p in params)
        text = prompts.render(text, lang, **values)
    wav, fell_back = speak_or_fallback(runtime().speaker, text, lang, rate)
    try:
        output.write_bytes(wav)
    except OSError as error:
        raise BadInput("cannot-write-output", f"Cannot write {output}: {error.strerror}.") from None
    if fell_back:
        click.echo("barrierfree: espeak-ng has no sound for this text; wrote the spoken fallback sentence instead.", err=True)
    if as_json:
        emit_json({"output": str(output), "bytes": len(wav), "language": lang, "rate_wpm": rate, "fell_back": fell_back})


def _split(pair: str) -> tuple[str, str]:
    from barrierfree.errors import BadInput

    name, sep, value = pair.partition("=")
    if not sep or not name:
        raise BadInput("bad-param", f"--param must look like NAME=VALUE, not {pair!r}.")
    return name, value


def register(group: click.Group) -> None:
    group.add_command(speak)
