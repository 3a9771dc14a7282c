"""What every benchmark script shares: the database it runs on, DEBUG off, timing percentiles, resident memory, the
planner statistics and the figures file that `bench/summary.py` gathers into one Markdown table.

Each script calls `configure(name)` before importing Django models. Without DATABASE_URL it uses a fresh SQLite file
`var/bench/<name>.sqlite3`; with it, that database as it is (scripts make their own rows with a per-run marker and
remove them, or flush a database that is theirs alone, so a second `make bench` on the same database works).

Figures file: `var/bench/<name>-<vendor>.json`, a JSON object with the script's own details and a `summary` list of
rows `{"figure", "ours", "baseline", "ratio", "goal", "met"}` (strings, except `met`: true, false or null when the
figure has no goal). `summary.py` reads only `summary`.
"""

import gc
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"


def configure(name: str, **environment: str) -> bool:
    """Point Django at the benchmark database with DEBUG off, then `django.setup()`.

    Returns True when the database is a fresh SQLite file of this script's own (nothing to clean up). Extra keyword
    arguments are set in the environment first unless already set (e.g. API_RATE for the API throttles).
    """
    sys.path.insert(0, str(ROOT))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitment.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    for key, value in environment.items():
        os.environ.setdefault(key, value)
    fresh = not os.environ.get("DATABASE_URL")
    if fresh:
        database = BENCH_DIR / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    return fresh


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would give a live database (both databases)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (`share` 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timings_ms(values: list[float]) -> dict:
    """Mean, p50, p95 and p99 in milliseconds of durations given in seconds."""
    return {
        "mean_ms": round(statistics.fmean(values) * 1000, 2),
        "p50_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
        "p99_ms": round(percentile(values, 0.99) * 1000, 2),
        "runs": len(values),
    }


def interleaved(variants: dict[str, Callable[[], object]], *, runs: int, warmup: int = 2) -> dict[str, dict]:
    """Time each variant `runs` times, taking them in turn (so machine noise falls on all alike); p50/p95 per variant.

    Each callable does one request or call and raises if its answer is wrong. The objects alive before the timing
    (Django, the loaded rows' leftovers) are frozen out of the garbage collector's reach first, as the production
    server does before forking its workers (gunicorn.conf.py, `when_ready`).
    """
    for _ in range(warmup):
        for call in variants.values():
            call()
    gc.collect()
    gc.freeze()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, call in variants.items():
            started = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - started)
    return {name: timings_ms(values) for name, values in samples.items()}


def query_count(call: Callable[[], object]) -> int:
    """Database queries one call makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def rss_bytes() -> int:
    """This process's resident set size now (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class RssSampler:
    """The highest resident size seen while it runs (sampled every 20 ms in a thread); `growth` is peak minus start."""

    def __init__(self) -> None:
        self.start = self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @property
    def growth(self) -> int:
        return self.peak - self.start

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_bytes())

    def __enter__(self):
        self.start = self.peak = rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())


def row(
    figure: str, ours: str, *, baseline: str = "", ratio: str = "", goal: str = "", met: bool | None = None
) -> dict:
    """One line of the summary table (see the module docstring)."""
    return {"figure": figure, "ours": ours, "baseline": baseline, "ratio": ratio, "goal": goal, "met": met}


def write_figures(name: str, figures: dict, summary: list[dict]) -> Path:
    """Write `var/bench/<name>-<vendor>.json` (the figures with their summary rows) and print it; returns the path."""
    from django.db import connection

    figures = {"database": connection.vendor, **figures, "summary": summary}
    output = BENCH_DIR / f"{name}-{connection.vendor}.json"
    output.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    print(f"written to {output.relative_to(ROOT)}")
    return output
