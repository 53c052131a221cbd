"""Export each chapter's code cells to a .py file, so that tools that read code see notebook code.

One file per chapter (chapters/01_importance.ipynb -> _build/chapter_code/01_importance.py); each
code cell starts with a `# %% [cell N]` marker, N its index in the notebook's cells (from 0).
IPython magics (%line, %%cell, !shell) are commented out, so every file is plain Python.

--with-package: also copy src/initlab/*.py to OUT/initlab/, so that `duplicates --repo OUT`
compares chapter code with the package too. duplicates reads no git-ignored file inside a checkout
(_build/ is ignored), so for it, export to a folder outside the checkout.

--check: fail (exit 1) when a function or class is defined in more than one chapter (at any
depth), listing each name with its chapters: a helper that two chapters need belongs in initlab.

Usage: python scripts/export_chapters.py [NOTEBOOK ...] [--out DIR] [--with-package] [--check]
e.g.   python scripts/export_chapters.py --with-package --out /tmp/initlab_code; duplicates --repo /tmp/initlab_code
"""
import argparse
import ast
import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAGIC = ("%", "!")


def cell_code(source):
    """A cell's source with IPython magics commented out."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):  # a cell magic: the whole cell is not Python
        return "\n".join(f"# {line}" for line in lines)
    return "\n".join(_comment(line) if line.lstrip().startswith(MAGIC) else line for line in lines)


def _comment(line):
    body = line.lstrip()
    return f"{line[:len(line) - len(body)]}# {body}"


def code_cells(notebook):
    """(index, code) of each non-empty code cell of a notebook file."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    for i, cell in enumerate(cells):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and source.strip():
            yield i, cell_code(source)


def export(notebook, out):
    """Write out/<stem>.py from a notebook's code cells; return its path."""
    notebook = Path(notebook)
    parts = [f"# Code cells of {notebook.name}, exported by scripts/export_chapters.py: do not edit."]
    parts += [f"# %% [cell {i}]\n{code}" for i, code in code_cells(notebook)]
    path = Path(out) / f"{notebook.stem}.py"
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


def definitions(notebook):
    """Names of the functions and classes a notebook defines, at any depth."""
    names = set()
    for i, code in code_cells(notebook):
        try:
            tree = ast.parse(code)
        except SyntaxError as err:
            raise SyntaxError(f"{Path(notebook).name} cell {i}: {err}") from None
        names |= {node.name for node in ast.walk(tree)
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return names


def shared_definitions(notebooks):
    """{name: [chapter stems]} for every name defined in two or more chapters."""
    where = defaultdict(list)
    for notebook in sorted(notebooks):
        for name in definitions(notebook):
            where[name].append(Path(notebook).stem)
    return {name: stems for name, stems in sorted(where.items()) if len(stems) > 1}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to export (default: chapters/*.ipynb)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "chapter_code")
    parser.add_argument("--with-package", action="store_true",
                        help="also copy src/initlab/*.py to OUT/initlab/")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a function or class is defined in two chapters")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    missing = [str(n) for n in notebooks if not n.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for notebook in notebooks:
        print(f"{notebook} -> {export(notebook, args.out)}")
    if args.with_package:
        (args.out / "initlab").mkdir(exist_ok=True)
        for module in sorted((ROOT / "src" / "initlab").glob("*.py")):
            shutil.copy2(module, args.out / "initlab" / module.name)
    if args.check:
        shared = shared_definitions(notebooks)
        for name, stems in shared.items():
            print(f"defined in {len(stems)} chapters: {name} ({', '.join(stems)})", file=sys.stderr)
        if shared:
            print("move each shared helper into initlab (or inline it in one chapter)", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
