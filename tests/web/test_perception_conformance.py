"""The SDK's on-device perception agrees with the Python engines (issue 21, item 3's observation half).

A corpus is rendered with the virtual phone and observed by the Python engines
(:mod:`testkit.conformance`); the same JPEGs are then observed in headless Chromium by
the SDK's ES modules (``static/sdk/perception/``), on a page of the real app, so under its CSP.
Tolerances are the issue's: card corners within 1% of the frame width, yaw and pitch within 2°.

The face engine (face_cpu.js) runs MediaPipe's models in TensorFlow Lite's WebAssembly build with
MediaPipe's region logic ported (face_roi.js): detector ROI on the first frame or a lost face, then
the ROI from the previous frame's landmarks; a detection of a tracked face is kept as a second face
when it overlaps the tracked rect by no more than half, as in MediaPipe. Its default landmark model
is Python's (the attention model); its plain model (``model: "plain"``) is also held to Python's
video mesh with the same model (``refine_landmarks=False``): the region logic checked on a second
model whose crops (and duplicate-face quirk) differ.
"""

from __future__ import annotations

import pytest

from barrierfree.settings.document import DocumentSettings
from testkit.conformance import record
from tests.browser import launch, serve
from tests.perception_harness import (
    compare_cards,
    compare_faces,
    harness_app,
    harness_page,
    load_corpus,
    plain_mesh_sequences,
    run_corpus,
    run_faces,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    """A corpus recorded from the Python engines now."""
    folder = tmp_path_factory.mktemp("corpus")
    record(folder)
    return folder


@pytest.fixture(scope="module")
def observed(tmp_path_factory, corpus_dir):
    """(corpus, JS card observations, JS face observations, the page's errors, JS settings, plain model:
    (Python's observations, JS observations))."""
    corpus = load_corpus(corpus_dir)
    app = harness_app(tmp_path_factory.mktemp("data"), corpus_dir)
    with serve(app) as base, launch() as browser, harness_page(browser, base) as page:
        cards, faces = run_corpus(page, corpus)
        plain_js = run_faces(page, corpus, "plain")
        settings = page.evaluate("async () => (await import('/static/sdk/perception/card.js')).DOCUMENT_SETTINGS")
        errors = [e for e in page.errors if "favicon" not in e and "404" not in e]
    return corpus, cards, faces, errors, settings, (plain_mesh_sequences(corpus_dir, corpus), plain_js)


def test_the_engines_load_and_run_under_the_apps_csp(observed):
    *_, errors, _, _ = observed
    assert errors == []


def test_card_finder_thresholds_are_pythons(observed):
    *_, settings, _ = observed
    python = DocumentSettings().model_dump(mode="json")  # tuples as the JSON lists the page returns
    assert {key: python[key] for key in settings} == settings


def test_card_observations_agree(observed):
    corpus, cards, *_ = observed
    agreement = compare_cards(corpus["cards"], cards)
    print(agreement.line("card"))
    assert agreement.presence_agree == agreement.frames
    assert agreement.compared >= len(corpus["cards"]) - 2, "the corpus's cards are found (two frames are empty tables)"
    assert agreement.outside == []


def face_counts(sequences: list[dict], seen_js: list[list[dict]]) -> tuple[list[int], list[int]]:
    """(Python's, JS's) face count on every frame of the face sequences."""
    pairs = [(entry["observation"]["face_count"], js["face_count"])
             for sequence, js_frames in zip(sequences, seen_js, strict=True)
             for entry, js in zip(sequence["frames"], js_frames, strict=True)]
    return [p for p, _ in pairs], [j for _, j in pairs]


def test_face_observations_agree(observed):
    corpus, _, faces, *_ = observed
    agreement = compare_faces(corpus["face_sequences"], faces)
    print(agreement.line("face"))
    # The same models, crops and tracking as Python's mesh: the same faces on every frame (including
    # the frames where the face jumps and both lose it), the geometry within tolerance on every frame.
    assert agreement.presence_agree == agreement.frames
    assert agreement.compared >= 0.7 * agreement.frames
    assert agreement.outside == []
    python_counts, js_counts = face_counts(corpus["face_sequences"], faces)
    assert python_counts == js_counts


def test_the_plain_model_finds_the_same_faces_as_pythons_plain_mesh(observed):
    python, js = observed[-1]
    python_counts, js_counts = face_counts(python, js)
    assert any(python_counts), "the corpus has faces"
    assert python_counts == js_counts


def test_the_plain_models_pose_agrees_with_pythons_plain_mesh(observed):
    python, js = observed[-1]
    agreement = compare_faces(python, js)
    print(agreement.line("face (plain model vs Python's plain mesh)"))
    assert agreement.compared >= 0.7 * agreement.frames
    assert agreement.outside == []


def test_engines_fetch_nothing_off_origin_and_refuse_clearly_without_wasm(tmp_path):
    """Every request stays on the app's origin (no CDN); under a CSP that forbids WebAssembly the
    loader rejects with a readable error (the SDK's signal to fall back to the server path) instead
    of hanging."""
    corpus_dir = tmp_path / "corpus"
    (corpus_dir / "frames").mkdir(parents=True)
    app = harness_app(tmp_path / "data", corpus_dir)
    with serve(app) as base, launch() as browser:
        with harness_page(browser, base) as page:
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            page.evaluate("async () => { await (await import('/static/sdk/perception/face.js')).createFaceEngine(); }")
            assert requested and all(url.startswith(base) for url in requested), requested
        strict = browser.new_page()

        def without_wasm(route):
            response = route.fetch()
            headers = dict(response.headers)
            headers["content-security-policy"] = headers["content-security-policy"].replace(" 'wasm-unsafe-eval'", "")
            route.fulfill(response=response, headers=headers)

        strict.route(f"{base}/conformance/", without_wasm)
        strict.goto(base + "/conformance/")
        strict.wait_for_function("window.harness !== undefined")
        message = strict.evaluate("""async () => {
            const { loadOpenCv } = await import('/static/sdk/perception/vendor.js');
            try { await loadOpenCv(undefined, 20000); return 'loaded'; } catch (error) { return String(error); }
        }""")
        strict.close()
    assert message != "loaded" and "WebAssembly" in message, message


#: One finder observes frames of two sizes in turn (its scratch planes reused, then reallocated);
#: each observation must equal a fresh finder's, so nothing of one frame is left for the next.
REUSE_JS = """async (urls) => {
  const { CardFinder, createCardFinder } = await import('/static/sdk/perception/card.js');
  const shared = await createCardFinder();
  const frames = [];
  for (const url of urls) {
    const bitmap = await createImageBitmap(await (await fetch(url)).blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    for (const [width, height] of [[bitmap.width, bitmap.height], [400, 300]]) { // shrunk to 480 wide, then not at all
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      context.drawImage(bitmap, 0, 0, width, height);
      frames.push(context.getImageData(0, 0, width, height));
    }
  }
  const pairs = [];
  for (const pixels of [...frames, ...frames.reverse()]) {
    const fresh = new CardFinder(shared.cv);
    pairs.push([JSON.stringify(shared.observe(pixels, 1)), JSON.stringify(fresh.observe(pixels, 1))]);
    fresh.close();
  }
  return pairs;
}"""


def test_a_card_finder_reusing_its_planes_sees_what_a_fresh_one_sees(corpus_dir, tmp_path):
    urls = [f"/conformance/frames/{c['frame']}" for c in load_corpus(corpus_dir)["cards"][:8]]
    app = harness_app(tmp_path / "data", corpus_dir)
    with serve(app) as base, launch() as browser, harness_page(browser, base) as page:
        pairs = page.evaluate(REUSE_JS, urls)
    assert len(pairs) == 4 * len(urls)
    assert sum('"found":true' in reused for reused, _ in pairs) >= len(urls), "cards are found on most frames"
    assert [reused for reused, _ in pairs] == [fresh for _, fresh in pairs]
