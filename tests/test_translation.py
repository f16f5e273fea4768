"""The Traditional Chinese (zh-TW) edition stays in step with the English notebooks.

The English notebooks are the one source of truth. notebooks/zh-TW/build.py writes each zh-TW notebook from its
English notebook and a catalog (notebooks/zh-TW/catalog/NN_*.json) that translates every markdown cell, keyed by
the English cell's id and holding the SHA-256 of the English text it translates. These tests fail when
- an English markdown cell has no translation,
- a translation's hash no longer matches its English cell (the message names the cell and shows the English diff),
- a zh-TW notebook differs from what the build writes, or
- a zh-TW code cell (source, outputs, metadata) differs from the English one;
and they check each translation against its English cell: the same headings, inline code, math, numbers and
links, Traditional characters and Taiwanese usage, and Chinese text in every cell that has English prose.
"""
import copy
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ZH = ROOT / "notebooks" / "zh-TW"
ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BADGE = "https://colab.research.google.com/github/ml-fundamentals-course/ml-fundamentals/blob/main/notebooks/"

spec = importlib.util.spec_from_file_location("zh_build", ZH / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def pairs():
    """(English markdown text, translation, cell id) for every translated cell of every catalog."""
    out = []
    for path in ENGLISH:
        catalog = build.load_catalog(path)
        for entry in catalog["cells"]:
            if entry.get("zh-TW"):
                out.append(pytest.param(build.text_of({"source": entry["en"]}),
                                        build.text_of({"source": entry["zh-TW"]}), entry["id"],
                                        id=f"{path.stem[:2]}-{entry['id']}"))
    return out


@pytest.fixture(params=ENGLISH, ids=lambda p: p.stem)
def english(request):
    return request.param


# --- 1. the sync checks -----------------------------------------------------------------------------------------

def test_there_is_a_zh_tw_notebook_and_a_catalog_for_every_english_notebook():
    assert [p.name for p in sorted(ZH.glob("[0-9][0-9]_*.ipynb"))] == [p.name for p in ENGLISH], \
        "run python notebooks/zh-TW/build.py (and translate what build.py --todo lists)"
    assert sorted(p.stem for p in (ZH / "catalog").glob("*.json")) == [p.stem for p in ENGLISH]


def test_every_english_markdown_cell_has_an_up_to_date_translation(english):
    found = build.problems(load(english), build.load_catalog(english))
    assert not found, f"{english.name}: {len(found)} cells need their translation updated " \
                      "(python notebooks/zh-TW/build.py --todo lists them):\n" + "\n".join(found)


def test_the_zh_tw_notebook_is_exactly_what_the_build_writes(english):
    built = build.dumps(build.build(load(english), build.load_catalog(english)))
    target = ZH / english.name
    assert target.exists() and target.read_text(encoding="utf-8") == built, \
        f"notebooks/zh-TW/{english.name} differs from what the build writes: run python notebooks/zh-TW/build.py " \
        "(edit the catalog, never the zh-TW notebook itself)"


def test_zh_tw_code_cells_and_outputs_are_the_english_ones(english):
    en, zh = load(english), load(ZH / english.name)
    assert zh["metadata"] == en["metadata"] and len(zh["cells"]) == len(en["cells"])
    for a, b in zip(en["cells"], zh["cells"]):
        assert (a["id"], a["cell_type"]) == (b["id"], b["cell_type"]), f"{english.name}: the cells are out of order"
        if a["cell_type"] == "code":
            assert a == b, f"{english.name}: code cell {a['id']} differs from the English one"
        else:
            assert {k: v for k, v in a.items() if k != "source"} == {k: v for k, v in b.items() if k != "source"}


# --- 2. each translation against its English cell ----------------------------------------------------------------

CODE = re.compile(r"`[^`\n]+`")
MATH_BLOCK = re.compile(r"\$\$.+?\$\$", re.S)
MATH_INLINE = re.compile(r"\$[^$]+\$")        # inline math may run across a line break
URL = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6}) ", re.M)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
CJK = re.compile(r"[\u4e00-\u9fff]")
QUOTED_CJK = re.compile(r"「[^」]*」|\([^()]*[\u4e00-\u9fff][^()]*\)")
# Characters that exist only in Simplified Chinese (their Traditional forms in the comment); none of them is also a
# Traditional character.
SIMPLIFIED = set("们这个为学习过级说实现发计网络图练问题对没关从么还样开给让经进认应总种设输层权组结论导线确杂资讯读"
                 "写转换积选择测试验证长误视频术语义两带错显随机类标签训优终边决调节务处达动态数参复轮释损阶")
# Mainland usages, written in Traditional characters, with the Taiwanese word to use instead.
MAINLAND = {"數據": "資料", "默認": "預設", "運行": "執行", "網絡": "網路", "質量": "品質", "信息": "訊息 / 資訊",
            "視頻": "影片", "軟件": "軟體", "內存": "記憶體", "調用": "呼叫", "數組": "陣列", "變量": "變數",
            "(?<!演)算法": "演算法", "優化": "最佳化", "概率": "機率", "方差": "變異數", "代碼": "程式碼",
            "接口": "介面", "模塊": "模組", "字符": "字元", "硬件": "硬體", "屏幕": "螢幕", "打印": "印出",
            "示例": "範例", "批量": "批次", "歸一化": "標準化", "設置": "設定", "創建": "建立", "緩存": "快取",
            "線程": "執行緒", "兼容": "相容", "程序": "程式"}


def maths(text):
    """Every $$…$$ block and $…$ formula of a markdown text, with its white space normalised."""
    found = MATH_BLOCK.findall(text) + MATH_INLINE.findall(MATH_BLOCK.sub(" ", text))
    return sorted(" ".join(m.split()) for m in found)


def without_maths(text):
    return MATH_INLINE.sub("x", MATH_BLOCK.sub("x", text))


def without_quotes(text):
    """The text without the lecture's own words in 「」 and the Chinese the English text quotes in ( )."""
    return QUOTED_CJK.sub("", text)


def first_cell_links(english_text):
    """The links the first cell must carry in zh-TW: its own badge, and the way back to the English notebook."""
    name = re.search(BADGE + r"(\d\d_[a-z0-9_]+\.ipynb)", english_text).group(1)
    return name, [BADGE + "zh-TW/" + name, "../" + name]


@pytest.mark.parametrize("en, zh, cell", pairs())
def test_the_translation_keeps_headings_code_math_numbers_and_links(en, zh, cell):
    assert HEADING.findall(zh) == HEADING.findall(en), f"cell {cell}: headings must keep their levels and number"
    assert sorted(CODE.findall(zh)) == sorted(CODE.findall(en)), \
        f"cell {cell}: inline code must stay exactly as in English: {sorted(set(CODE.findall(en)) ^ set(CODE.findall(zh)))}"
    assert maths(zh) == maths(en), f"cell {cell}: $math$ must stay exactly as in English: " \
                                   f"{sorted(set(maths(en)) ^ set(maths(zh)))}"
    missing = set(NUMBER.findall(CODE.sub("", en))) - set(NUMBER.findall(CODE.sub("", zh)))
    assert not missing, f"cell {cell}: numbers of the English text missing from the translation: {sorted(missing)}"
    if BADGE in en:
        name, links = first_cell_links(en)
        assert URL.findall(zh)[:2] == ["https://colab.research.google.com/assets/colab-badge.svg", links[0]], \
            f"cell {cell}: the Colab badge must point to notebooks/zh-TW/{name}"
        assert f"[English]({links[1]})" in zh, f"cell {cell}: link back to the English notebook: [English](../{name})"
        extra = [u for u in URL.findall(zh) if u not in links and "colab-badge" not in u]
        expected = [u for u in URL.findall(en) if BADGE not in u and "colab-badge" not in u and not u.startswith("zh-TW/")]
        assert extra == expected, f"cell {cell}: the links must be the English cell's"
    else:
        assert URL.findall(zh) == URL.findall(en), f"cell {cell}: the links must be the English cell's, in order"


@pytest.mark.parametrize("en, zh, cell", pairs())
def test_the_translation_is_traditional_chinese_in_taiwanese_usage(en, zh, cell):
    simplified = sorted(SIMPLIFIED & set(without_quotes(zh)) - set(without_quotes(en)))
    assert not simplified, f"cell {cell}: Simplified characters {''.join(simplified)}: write them in Traditional"
    for word, use in MAINLAND.items():
        hit = re.search(word, without_quotes(zh))
        assert not hit or re.search(word, en), f"cell {cell}: '{hit.group(0)}' is mainland usage; in Taiwan: {use}"
    soft_break = re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]\n[ \t]*[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]",
                           without_maths(zh))
    assert not soft_break, f"cell {cell}: a line break between two Chinese characters shows as a stray space: " \
                           f"join the lines ({soft_break.group(0)!r})"
    prose = re.findall(r"[A-Za-z]{3,}", without_quotes(without_maths(CODE.sub("", URL.sub("", en)))))
    if len(prose) >= 3:
        assert len(CJK.findall(without_quotes(zh))) > len(CJK.findall(without_quotes(en))), \
            f"cell {cell}: the English prose is not translated"


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_each_zh_tw_notebook_opens_with_its_number_and_has_a_summary_and_exercises(english):
    if not (ZH / english.name).exists():
        pytest.fail(f"notebooks/zh-TW/{english.name} does not exist yet")
    cells = load(ZH / english.name)["cells"]
    first = build.text_of(cells[0])
    assert first.startswith(f"# {english.name[:2]} · ") and CJK.search(first.splitlines()[0])
    markdown = "\n".join(build.text_of(c) for c in cells if c["cell_type"] == "markdown")
    assert "## 總結" in markdown and "## 練習" in markdown


# --- 3. the set-up cell from notebooks/zh-TW/ ---------------------------------------------------------------------

def test_the_setup_cell_finds_the_course_from_the_zh_tw_folder():
    """The set-up and import cells, run as a student runs them: a fresh Python started in notebooks/zh-TW/."""
    cells = [c for c in load(ZH / ENGLISH[0].name)["cells"] if c["cell_type"] == "code"][:2]
    program = "\n".join(build.text_of(c) for c in cells) + "\nimport utils; print(Path(utils.__file__).resolve())"
    out = subprocess.run([sys.executable, "-c", program], cwd=ZH, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert Path(out.stdout.strip().splitlines()[-1]) == ROOT / "utils" / "__init__.py"


# --- 4. the build step itself, on a small made-up notebook --------------------------------------------------------

def tiny_notebook():
    def md(i, text):
        return {"cell_type": "markdown", "id": i, "metadata": {}, "source": build.lines_of(text)}
    code = {"cell_type": "code", "id": "c1", "metadata": {"tags": ["x"]}, "execution_count": 1,
            "source": ["print(1)"], "outputs": [{"name": "stdout", "output_type": "stream", "text": ["1\n"]}]}
    return {"cells": [md("m1", "# Title\n\nSome *prose*."), code, md("m2", "More prose.")],
            "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}


def translated(nb):
    catalog = build.todo(nb, {"notebook": "99_tiny.ipynb", "language": "zh-TW", "cells": []})
    for entry, text in zip(catalog["cells"], ["# 標題\n\n一些*文字*。", "更多文字。"]):
        entry["zh-TW"] = build.lines_of(text)
    return catalog


def test_build_replaces_only_the_markdown_and_copies_code_outputs_and_metadata():
    nb = tiny_notebook()
    zh = build.build(nb, translated(nb))
    assert [build.text_of(c) for c in zh["cells"]] == ["# 標題\n\n一些*文字*。", "print(1)", "更多文字。"]
    assert zh["cells"][1] == nb["cells"][1] and zh["metadata"] == nb["metadata"]
    assert build.text_of(nb["cells"][0]) == "# Title\n\nSome *prose*."        # the English is left alone


def test_problems_name_a_missing_translation_a_changed_english_cell_with_its_diff_and_a_stale_entry():
    nb = tiny_notebook()
    catalog = translated(nb)
    assert build.problems(nb, catalog) == []
    catalog["cells"][1]["zh-TW"] = None
    assert build.problems(nb, catalog) == ["cell m2: no translation yet (run build.py --todo, then translate its \"zh-TW\")"]
    catalog = translated(nb)
    nb["cells"][0]["source"] = build.lines_of("# Title\n\nSome *better* prose.")
    [message] = build.problems(nb, catalog)
    assert message.startswith("cell m1: the English text changed since it was translated")
    assert "-Some *prose*." in message and "+Some *better* prose." in message
    with pytest.raises(ValueError, match="cell m1"):
        build.build(nb, catalog)
    build.accept(nb, catalog, "m1")                              # the translator updated it and records that
    assert build.problems(nb, catalog) == []
    nb["cells"].pop()                                            # an English cell deleted: its entry is stale
    assert build.problems(nb, catalog) == ["cell m2: the catalog translates a cell the English notebook no longer has "
                                           "as markdown; delete the entry"]
    tampered = translated(tiny_notebook())
    tampered["cells"][0]["en"] = ["# Title edited by hand"]
    assert "does not match its sha256" in build.problems(tiny_notebook(), tampered)[0]


def test_accept_refuses_a_cell_without_translation_and_an_unknown_cell():
    nb = tiny_notebook()
    catalog = build.todo(nb, {"notebook": "99_tiny.ipynb", "language": "zh-TW", "cells": []})
    with pytest.raises(ValueError, match="no translation to accept"):
        build.accept(nb, catalog, "m1")
    with pytest.raises(ValueError, match="no markdown cell with id c1"):
        build.accept(nb, catalog, "c1")


def test_the_command_line_builds_checks_and_lists_what_to_translate(tmp_path, monkeypatch, capsys):
    english, zh = tmp_path / "notebooks", tmp_path / "notebooks" / "zh-TW"
    zh.mkdir(parents=True)
    nb = tiny_notebook()
    (english / "99_tiny.ipynb").write_text(build.dumps(nb), encoding="utf-8")
    for name, value in (("HERE", zh), ("ENGLISH", english), ("CATALOGS", zh / "catalog")):
        monkeypatch.setattr(build, name, value)
    assert build.main(["--todo"]) == 0 and "cell m1: no translation yet" in capsys.readouterr().out
    catalog = build.load_catalog(english / "99_tiny.ipynb")
    catalog["cells"] = translated(nb)["cells"]
    (zh / "catalog" / "99_tiny.json").write_text(build.dumps(catalog), encoding="utf-8")
    assert build.main(["--check"]) == 1                          # not built yet
    assert build.main([]) == 0 and (zh / "99_tiny.ipynb").exists()
    assert build.main(["--check"]) == 0
    hand_edit = load(zh / "99_tiny.ipynb")
    hand_edit["cells"][1]["outputs"][0]["text"] = ["2\n"]
    (zh / "99_tiny.ipynb").write_text(build.dumps(hand_edit), encoding="utf-8")
    assert build.main(["--check"]) == 1 and "differs from what the build writes" in capsys.readouterr().err
    changed = copy.deepcopy(nb)
    changed["cells"][2]["source"] = ["More prose, changed."]
    (english / "99_tiny.ipynb").write_text(build.dumps(changed), encoding="utf-8")
    assert build.main([]) == 1 and "cell m2: the English text changed" in capsys.readouterr().err


# --- 5. the two READMEs ---------------------------------------------------------------------------------------------

def test_each_readme_links_to_the_other_at_the_top_and_the_zh_tw_readme_lists_the_zh_tw_notebooks():
    en = (ROOT / "README.md").read_text(encoding="utf-8")
    zh = (ROOT / "README.zh-TW.md").read_text(encoding="utf-8")
    assert "(README.zh-TW.md)" in "\n".join(en.splitlines()[:3])
    assert "(README.md)" in "\n".join(zh.splitlines()[:3])
    assert re.findall(r"\]\(notebooks/zh-TW/(\d\d_[a-z0-9_]+\.ipynb)\)", zh) == [p.name for p in ENGLISH]
    for p in ENGLISH:
        assert BADGE + "zh-TW/" + p.name in zh, f"README.zh-TW.md: no Colab badge pointing to notebooks/zh-TW/{p.name}"
        en_row = next(line for line in en.splitlines() if f"(notebooks/{p.name})" in line)
        zh_row = next(line for line in zh.splitlines() if f"(notebooks/zh-TW/{p.name})" in line)
        assert re.search(r"\| \d+ s \|", en_row).group(0) == re.search(r"\| \d+ s \|", zh_row).group(0), \
            f"README.zh-TW.md: {p.name}'s run time differs from README.md's"
    assert not SIMPLIFIED & set(without_quotes(zh)), "README.zh-TW.md: Simplified characters"


def test_the_contributor_section_says_english_prose_changes_update_the_translation():
    en = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "same change" in en and "notebooks/zh-TW/build.py" in en
