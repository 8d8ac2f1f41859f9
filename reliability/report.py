"""Run the long reliability campaigns and write their figures to docs/RELIABILITY.md.

Run: `make reliability`. `--kill-json`/`--serve-kill-json`/`--load-json`/`--mixed-json`/
`--slow-json` reuse results already printed by `kill_campaign.py` /
`serve_kill_campaign.py` / `load_test.py` / `mixed_campaign.py` / `slow_clients.py`
instead of running them again. The LLM section comes from `make llama-check`'s
`reliability/llama_check.md` when it is there.
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


def llm_section() -> str:
    """The section `make llama-check` wrote, or how to get one."""
    written = ROOT / "reliability" / "llama_check.md"
    if written.exists():
        return written.read_text(encoding="utf-8").strip()
    return "Run `make llama-check` to try the LLM path against llama.cpp's server (not run for this report)."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kill-json", type=Path)
    parser.add_argument("--serve-kill-json", type=Path)
    parser.add_argument("--load-json", type=Path)
    parser.add_argument("--mixed-json", type=Path)
    parser.add_argument("--slow-json", type=Path)
    args = parser.parse_args()
    kill = json.loads(args.kill_json.read_text()) if args.kill_json else run("kill_campaign.py", "--kills", "30")
    serve_kill = (json.loads(args.serve_kill_json.read_text()) if args.serve_kill_json
                  else run("serve_kill_campaign.py", "--kills", "10"))  # fmt: skip
    load = json.loads(args.load_json.read_text()) if args.load_json else run("load_test.py", "--seconds", "60")
    mixed = json.loads(args.mixed_json.read_text()) if args.mixed_json else run("mixed_campaign.py", "--seconds", "60")
    slow = json.loads(args.slow_json.read_text()) if args.slow_json else run("slow_clients.py", "--seconds", "30")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    template = (ROOT / "reliability" / "RELIABILITY.template.md").read_text()
    text = template.format(
        date=datetime.date.today().isoformat(), commit=commit.stdout.strip() or "unknown",
        **{f"kill_{k}": v for k, v in kill.items()}, **{f"load_{k}": v for k, v in load.items()},
        **{f"serve_kill_{k}": v for k, v in serve_kill.items()},
        **{f"mixed_{k}": v for k, v in mixed.items()}, **{f"slow_{k}": v for k, v in slow.items()},
        load_rss_growth_pct=round(load["rss_growth"] * 100, 1),
        mixed_statuses_line=", ".join(f"{k}: {v}" for k, v in mixed["statuses"].items()),
        llm_section=llm_section(),
    )  # fmt: skip
    (ROOT / "docs" / "RELIABILITY.md").write_text(text, encoding="utf-8")
    print(text)
    ok = kill["converged"] == kill["kills_tried"] and load["errors"] == 0
    ok = ok and serve_kill["converged"] == serve_kill["kills_tried"]
    ok = ok and not mixed["problems"] and not mixed["dropped"] and mixed["listing_matches"]
    ok = ok and slow["keyed_ok_during"] == slow["keyed_during"] and slow["keyless_401"] == slow["keyless_requests"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
