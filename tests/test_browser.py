"""Sliders proven in a real browser: JupyterLab + Debian's Chromium driven by Playwright.

nbval skips images and widget views; this test runs every notebook in JupyterLab, checks that no cell
errs, that every widget view renders, and that moving a slider changes its figure. It also runs zh-TW notebook 01
from notebooks/zh-TW/ and checks that its Chinese text renders. Skipped (with the reason) only when Chromium or
Playwright is missing."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# The Traditional Chinese edition: one of its notebooks, run from its own folder, with its text checked for rendering.
ZH_NOTEBOOKS = sorted((ROOT / "notebooks" / "zh-TW").glob("01_*.ipynb"))
CHROMIUM = "/usr/bin/chromium"

# .ci/run sets COURSE_REQUIRE_BROWSER=1: there, a missing browser is a failure, not a skip.
REQUIRED = os.environ.get("COURSE_REQUIRE_BROWSER") == "1"
if not Path(CHROMIUM).exists():
    if REQUIRED:
        raise RuntimeError(f"COURSE_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}: apt-get install -y chromium")
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed "
                                     "(python -m pip install -r requirements.txt installs it)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc):
    """Stop the server and every kernel it started (they share its process group)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def lab():
    """A JupyterLab server on a free localhost port, with all its settings and runtime files in a temp dir."""
    tmp = Path(tempfile.mkdtemp(prefix="course-lab-"))
    course = tmp / "course"   # a copy, so nothing the browser does can touch the repository's files
    for part in ("notebooks", "utils", "data"):
        shutil.copytree(ROOT / part, course / part, ignore=shutil.ignore_patterns("__pycache__"))
    settings = tmp / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               IPYTHONDIR=str(tmp / "ipython"), MPLCONFIGDIR=str(tmp / "mpl"))
    port = free_port()
    log = open(tmp / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
         f"--ServerApp.root_dir={course}", "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"JupyterLab did not start; its log: {tmp / 'lab.log'}")
                time.sleep(0.5)
        yield url, tmp
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                    "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


RUNNING = "() => [...document.querySelectorAll('.jp-Notebook .jp-InputPrompt')].some(p => p.textContent.includes('*'))"
ERRED = "() => !!document.querySelector(\".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']\")"
UNRUN = ("() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
         ".some(p => p.textContent.trim() === '[ ]:')")


def widget_cells(path):
    """How many code cells of the notebook build a widget (the cells nbval ignores and that call *_widget)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(1 for c in cells if c["cell_type"] == "code" and "nbval-ignore-output" in c.get("metadata", {}).get("tags", [])
               and re.search(r"_widget\(|interact\(", "".join(c["source"])))


def widget_image(page, index):
    """The PNG of the figure in the index-th widget output (its data: URL), or None."""
    return page.evaluate(
        """(i) => { const w = document.querySelectorAll('.jp-Notebook .widget-interact')[i];
                    const img = w && w.querySelector('img'); return img ? img.src : null; }""", index)


# Draw each of the given characters, in the font of the notebook's rendered text, on a canvas. Without a CJK font
# Chromium draws every one of them as the same empty box ("tofu"), so they would not all differ.
GLYPHS = """(chars) => {
    const el = document.querySelector('.jp-Notebook .jp-RenderedMarkdown p') || document.querySelector('.jp-Notebook');
    const style = getComputedStyle(el);
    const canvas = document.createElement('canvas'); canvas.width = 48; canvas.height = 48;
    const g = canvas.getContext('2d');
    const draw = (ch) => { g.clearRect(0, 0, 48, 48); g.font = '32px ' + style.fontFamily; g.textBaseline = 'top';
                           g.fillStyle = '#000'; g.fillText(ch, 4, 4);
                           return Array.from(g.getImageData(0, 0, 48, 48).data).join(','); };
    const blank = draw(' ');
    const drawn = chars.map(draw);
    return {font: style.fontFamily, distinct: new Set(drawn).size, blank: chars.filter((c, i) => drawn[i] === blank)};
}"""


def check_chinese_renders(page, notebook, shot):
    """The zh-TW notebook's text is Chinese, and Chromium has glyphs for it (no tofu boxes). A screenshot of its
    first cell is saved beside the others, to look at."""
    text = page.inner_text(".jp-Notebook")
    cjk = re.findall(r"[\u4e00-\u9fff]", text)
    assert len(cjk) > 500, f"{notebook.name}: only {len(cjk)} Chinese characters on the page"
    chars = list(dict.fromkeys(cjk))[:24]
    drawn = page.evaluate(GLYPHS, chars)
    page.locator(".jp-Notebook .jp-MarkdownCell").first.scroll_into_view_if_needed()
    page.screenshot(path=str(shot.with_name(shot.stem + "-text.png")), full_page=False)
    assert not drawn["blank"] and drawn["distinct"] == len(chars), \
        (f"{notebook.name}: {len(chars)} different Chinese characters draw as {drawn['distinct']} different glyphs "
         f"(blank: {drawn['blank']}) in the font {drawn['font']}: no CJK font? (Debian: apt-get install -y fonts-noto-cjk)")


@pytest.mark.parametrize("notebook", NOTEBOOKS + ZH_NOTEBOOKS,
                         ids=lambda p: ("zh-TW-" if p.parent.name == "zh-TW" else "") + p.stem)
def test_notebook_runs_and_its_sliders_move_its_figures(lab, browser, notebook):
    url, tmp = lab
    shots = tmp / "screenshots"
    shots.mkdir(exist_ok=True)
    folder = notebook.parent.relative_to(ROOT).as_posix()          # notebooks or notebooks/zh-TW
    shot = shots / f"{folder.replace('/', '-')}-{notebook.stem}.png"
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{url}/lab/tree/{folder}/{notebook.name}?reset", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_function("() => document.querySelector('.jp-Notebook')", timeout=60_000)
        page.wait_for_timeout(2000)  # let the kernel start
        page.click(".jp-Notebook")
        page.keyboard.press("Escape")
        # Run → Run All Cells, through the command palette so no menu layout is assumed.
        page.keyboard.press("Control+Shift+C")
        page.keyboard.type("Run All Cells")
        page.keyboard.press("Enter")
        # Run All stops at a cell that raises and leaves the rest unrun: stop waiting then and report the error.
        # 420 s: the slowest notebook runs in about a minute headless, but JupyterLab and Chromium share the 2 cores
        # with the kernel, and PyTorch's two threads then slow small models several-fold.
        page.wait_for_function(f"() => !({RUNNING})() && (!({UNRUN})() || ({ERRED})())", timeout=420_000, polling=500)
        page.wait_for_timeout(1500)
        errors = page.locator(".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, f"{notebook.name}: error output: {errors.first.text_content()[-1500:]}"
        views = page.locator(".jp-Notebook .widget-interact")
        assert views.count() >= 1, f"{notebook.name}: no slider app rendered"
        body = page.inner_text(".jp-Notebook")
        assert "Error displaying widget" not in body and "Loading widget" not in body
        # Every widget output of the notebook is a rendered view (controls on the page), not a placeholder.
        rendered = page.evaluate(
            """() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
                     .filter(o => o.querySelector(':scope > .jupyter-widgets'))
                     .map(o => o.querySelectorAll('input, button, select, .noUi-handle, .ui-slider-handle').length)""")
        expected = widget_cells(notebook)
        assert len(rendered) == expected, f"{notebook.name}: {len(rendered)} widget views on the page, {expected} widget cells"
        assert all(n > 0 for n in rendered), f"{notebook.name}: a widget view rendered without any control: {rendered}"
        # A training app behind a button: press it and wait for its figure (≤ 3 s of compute, ≤ 20 s in all).
        buttons = page.locator(".jp-Notebook .jupyter-widgets button", has_text=re.compile(r"^(Train|Run)"))
        if buttons.count():
            box = buttons.first.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
            images_before = box.locator("img").count()
            buttons.first.click()
            box.locator("img").nth(images_before).wait_for(timeout=20_000)
        # On a loaded machine the first figure can arrive a little after its controls: wait for it (≤ 30 s).
        try:
            page.wait_for_function(
                "() => { const w = document.querySelector('.jp-Notebook .widget-interact');"
                " return !!(w && w.querySelector('img')); }", timeout=30_000, polling=250)
        except playwright_api.TimeoutError:
            pass
        before = widget_image(page, 0)
        assert before, f"{notebook.name}: the first slider app shows no figure (waited 30 s)"
        handle = page.locator(".jp-Notebook .widget-interact").first.locator(
            ".noUi-handle, .ui-slider-handle").first
        handle.focus()
        for _ in range(5):
            handle.press("ArrowRight")
        page.wait_for_function(
            "([i, old]) => { const w = document.querySelectorAll('.jp-Notebook .widget-interact')[i];"
            " const img = w && w.querySelector('img'); return img && img.src !== old; }",
            arg=[0, before], timeout=5_000)
        if notebook.parent.name == "zh-TW":
            check_chinese_renders(page, notebook, shot)
        page.screenshot(path=str(shot), full_page=False)
    except Exception as err:
        page.screenshot(path=str(shot), full_page=False)
        raise AssertionError(f"{notebook.name}: {err}\nscreenshot: {shot}\nJupyterLab log: {tmp / 'lab.log'}") from err
    finally:
        page.close()
