"""Strip noisy metadata from chapter notebooks, keeping their outputs (nbval's reference).

Usage: python scripts/clean_notebooks.py [--check] [NOTEBOOK ...]   (default: chapters/*.ipynb)
Removes execution timings, widget state and per-machine kernel details; drops the saved output of
cells tagged `live-explorer` (a widget view means nothing without a kernel); merges consecutive
prints into one stream (how a kernel chunks them depends on timing); numbers cell ids.
With --check, exits 1 if any notebook would change.
"""
import json
import pathlib
import sys

KEEP_CELL_METADATA = {"tags", "mystnb", "editable", "deletable"}


def clean(nb):
    nb["metadata"] = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{i:02d}"
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items()
                            if k in KEEP_CELL_METADATA}
        if cell["cell_type"] != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            continue
        if "live-explorer" in cell["metadata"].get("tags", []):
            cell["outputs"] = []
        for out in cell.get("outputs", []):
            out.get("metadata", {}).pop("execution", None)
        cell["outputs"] = _merge_streams(cell.get("outputs", []))
    return nb


def _merge_streams(outputs):
    merged = []
    for out in outputs:
        if out.get("output_type") == "stream":
            text = "".join(out["text"]) if isinstance(out["text"], list) else out["text"]
            last = merged[-1] if merged else {}
            if last.get("output_type") == "stream" and last["name"] == out["name"]:
                text = "".join(last["text"]) + text
                merged.pop()
            out = {**out, "text": text.splitlines(keepends=True)}
        merged.append(out)
    return merged


def main(argv):
    check = "--check" in argv
    paths = [pathlib.Path(p) for p in argv if p != "--check"]
    paths = paths or sorted(pathlib.Path("chapters").glob("*.ipynb"))
    changed = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        new = json.dumps(clean(json.loads(text)), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        if new != text:
            changed.append(str(path))
            if not check:
                path.write_text(new, encoding="utf-8")
    if changed:
        print(("would change: " if check else "cleaned: ") + ", ".join(changed))
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
