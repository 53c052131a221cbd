"""Links: a Sphinx linkcheck run over the book, notebooks not executed (their committed outputs are
checked). Cross-references are the nitpicky `-n` build's job; linkcheck catches links to missing
local files and, when LINKCHECK_EXTERNAL=1 (the weekly CI run), broken external URLs.
Offline, _config.yml's linkcheck_ignore skips every http(s) URL."""
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_linkcheck(tmp_path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    # the copied config lives in tmp_path: point local extensions back at the repository
    local = config["sphinx"].get("local_extensions") or {}
    config["sphinx"]["local_extensions"] = {k: str(ROOT / v) for k, v in local.items()}
    if os.environ.get("LINKCHECK_EXTERNAL") == "1":
        config["sphinx"]["config"]["linkcheck_ignore"] = []
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config))
    run = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--builder",
         "linkcheck", "--config", str(tmp_path / "_config.yml"), "--path-output", str(tmp_path)],
        capture_output=True, text=True, timeout=900)
    outputs = list(tmp_path.glob("_build/*/output.json"))  # jupyter-book writes _build/html/
    assert outputs, run.stdout[-2000:] + run.stderr[-2000:]
    entries = [json.loads(line) for line in outputs[0].read_text().splitlines()]
    broken = [f"{e['filename']}:{e['lineno']} {e['uri']} {e['info']}"
              for e in entries if e["status"] in ("broken", "timeout")]
    assert broken == []
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
