"""Run the long reliability campaigns and write their figures to docs/RELIABILITY.md.

Run: `make reliability`. `--kill-json`/`--serve-kill-json`/`--load-json` reuse results
already printed by `kill_campaign.py` / `serve_kill_campaign.py` / `load_test.py`
instead of running them again.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(script: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, str(ROOT / "reliability" / script), *args], capture_output=True,
                            text=True, cwd=ROOT)  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kill-json", type=Path)
    parser.add_argument("--serve-kill-json", type=Path)
    parser.add_argument("--load-json", type=Path)
    args = parser.parse_args()
    kill = json.loads(args.kill_json.read_text()) if args.kill_json else run("kill_campaign.py", "--kills", "30")
    serve_kill = (json.loads(args.serve_kill_json.read_text()) if args.serve_kill_json
                  else run("serve_kill_campaign.py", "--kills", "10"))  # fmt: skip
    load = json.loads(args.load_json.read_text()) if args.load_json else run("load_test.py", "--seconds", "60")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    template = (ROOT / "reliability" / "RELIABILITY.template.md").read_text()
    text = template.format(
        date=datetime.date.today().isoformat(), commit=commit.stdout.strip() or "unknown",
        **{f"kill_{k}": v for k, v in kill.items()}, **{f"load_{k}": v for k, v in load.items()},
        **{f"serve_kill_{k}": v for k, v in serve_kill.items()},
        load_rss_growth_pct=round(load["rss_growth"] * 100, 1),
    )  # fmt: skip
    (ROOT / "docs" / "RELIABILITY.md").write_text(text, encoding="utf-8")
    print(text)
    ok = kill["converged"] == kill["kills_tried"] and load["errors"] == 0
    ok = ok and serve_kill["converged"] == serve_kill["kills_tried"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
