"""Run a notebook's code cells (not its slider apps) with some lines replaced, and collect what its exercise
check cells print: how the notebook tests show that each check cell accepts a right answer."""
import contextlib
import io
import json

import matplotlib
import matplotlib.pyplot as plt


def check_cell_verdicts(notebook, replacements):
    """Run `notebook`'s code cells in order, each `stub → answer` of `replacements` applied, in one namespace, with
    the notebook's folder as the working directory; return the printed output of every check cell (a cell that can
    print both "Correct!" and "Not yet"). Fails if a stub is not found in the notebook."""
    matplotlib.use("Agg")
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    namespace, verdicts, found = {}, [], set()
    with contextlib.chdir(notebook.parent):
        for cell in cells:
            src = "".join(cell["source"])
            if "_widget(" in src or "widgets.show(" in src:
                continue
            for stub, answer in replacements.items():
                if stub in src:
                    found.add(stub)
                    src = src.replace(stub, answer)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(src, cell.get("id", "cell"), "exec"), namespace)
            plt.close("all")
            if "Correct!" in src and "Not yet" in src:
                verdicts.append(out.getvalue())
    assert found == set(replacements), f"stubs not in the notebook: {set(replacements) - found}"
    return verdicts
