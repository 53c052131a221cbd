"""Fetch the pinned web assets of the offline book from the npm registry into assets/.

assets/html/ is the book's `html_extra_path`, copied to the root of _build/html:
  _vendor/mathjax/   MathJax 3: tex-mml-chtml.js and the components and fonts it loads
assets/axe-core/axe.min.js is injected by the browser tests only.

Re-running is cheap: a package already unpacked at its pinned version is skipped.
Usage: python scripts/fetch_assets.py
"""
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
STAMP = ASSETS / "fetched.json"

# npm spec, its registry integrity, folder inside the tarball, destination, files kept (regex)
PACKAGES = [
    ("mathjax@3.2.2",
     "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
     "package/es5/", "html/_vendor/mathjax", r"tex-mml-chtml\.js|[^/]+/.+"),
    ("axe-core@4.11.4",
     "sha512-KunSNx+TVpkAw/6ULfhnx+HWRecjqZGTOyquAoWHYLRSdK1tB5Ihce1ZW+UY3fj33bYAFWPu7W/GRSmmrCGuxA==",
     "package/", "axe-core", r"axe\.min\.js"),
]


def fetch(spec, integrity, prefix, dest, keep, tmp):
    out = subprocess.run(["npm", "pack", spec, "--pack-destination", tmp, "--json"],
                         check=True, capture_output=True, text=True).stdout
    tarball = Path(tmp) / json.loads(out)[0]["filename"]
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != integrity:
        sys.exit(f"{spec}: integrity {digest} does not match the pinned {integrity}")
    shutil.rmtree(ASSETS / dest, ignore_errors=True)
    with tarfile.open(tarball) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith(prefix)
                   and re.fullmatch(keep, m.name[len(prefix):])]
        for m in members:
            m.name = m.name[len(prefix):]
        tar.extractall(ASSETS / dest, members=members, filter="data")
    print(f"fetched {spec}: {len(members)} files -> assets/{dest}")


def main():
    if not shutil.which("npm"):
        sys.exit("fetch_assets: npm (Node.js) is needed to fetch the book's web assets")
    done = json.loads(STAMP.read_text()) if STAMP.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        for spec, integrity, prefix, dest, keep in PACKAGES:
            if done.get(spec) == integrity and (ASSETS / dest).is_dir():
                continue
            fetch(spec, integrity, prefix, dest, keep, tmp)
            done[spec] = integrity
            STAMP.write_text(json.dumps(done, indent=1) + "\n")
    print("assets up to date:", ", ".join(spec for spec, *_ in PACKAGES))


if __name__ == "__main__":
    main()
