"""Gather every benchmark's summary rows into one Markdown table: `var/bench/summary.md`.

Run by `make bench` after the scripts (or alone: `.venv/bin/python bench/summary.py`). Reads each
`var/bench/<name>-<database>.json` written by `common.write_figures`; files without a `summary` list are skipped.
The table notes the machine (cores, load average) as the figures were gathered, since they are only comparable on
a quiet machine.
"""

import datetime
import json
import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[1] / "var" / "bench"
MET = {True: "yes", False: "**no**", None: ""}


def main() -> None:
    lines = [
        "# Benchmark figures",
        "",
        f"Gathered {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, load average "
        f"{' / '.join(f'{value:.1f}' for value in os.getloadavg())} (1 / 5 / 15 min) when this table was written. "
        "Each script's JSON beside this file has the details.",
        "",
        "| script | database | figure | ours | baseline | ratio | goal | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for path in sorted(BENCH_DIR.glob("*-*.json")):
        figures = json.loads(path.read_text())
        script = path.stem.rsplit("-", 1)[0]
        for line in figures.get("summary", []):
            cells = [script, figures.get("database", ""), line["figure"], line["ours"], line["baseline"]]
            cells += [line["ratio"], line["goal"], MET[line["met"]]]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    output = BENCH_DIR / "summary.md"
    output.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten to {output}")


if __name__ == "__main__":
    main()
