"""The benchmark report's 500k-chunk targets and rows (bench/report.py), from sample figures."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "bench_report", Path(__file__).resolve().parents[1] / "bench" / "report.py"
)
assert _spec and _spec.loader
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)


def _figures(rss_mib: float, after_write_ms: float) -> dict:
    q = {"p50": 10.0, "p95": 20.0, "p99": 30.0}
    return {
        "build_s": 900.0,
        "insert_chunks_per_s": 560,
        "disk_bytes": 3 * 2**30,
        "open_ms": 500.0,
        "first_query_ms": 90000.0,
        "retrieval_ms": q,
        "answer_ms": q,
        "rss_bytes": rss_mib * 2**20,
        "after_write": {
            "write_ms": 200.0,
            "first_question_ms": after_write_ms,
            "first_question_cites_the_new_file": True,
            "retrieval_ms": q,
            "delete_and_first_question_ms": 300.0,
        },
    }


def test_large_targets_say_what_was_measured_and_whether_it_meets_them() -> None:
    large = {"sizes": {"500000": _figures(1400, 150)}, "commit": "abc1234", "date": "2026-12-03"}
    assert report.large_targets(large) == [
        ("resident memory at 500k chunks (after 220 answers)", "under 1.5 GiB", "1400 MiB", "met"),
        ("first answer after a one-file write at 500k chunks", "under 2 s", "150 ms", "met"),
    ]
    large["sizes"]["500000"] = _figures(1600, 2500)
    assert [row[3] for row in report.large_targets(large)] == ["**not met**", "**not met**"]
    assert [row[2:] for row in report.large_targets(None)] == [("not measured", "not measured")] * 2


def test_the_large_run_joins_the_scale_table_with_its_own_date_and_commit() -> None:
    scale = {"questions": 200, "sizes": {"10000": _figures(400, 100)}, "target": {"met": None}}
    large = {"sizes": {"500000": _figures(1400, 150)}, "commit": "abc1234", "date": "2026-12-03"}
    text = "\n".join(report.scale_section(scale, large, commit="def5678"))
    assert "| 500,000 | 900 | 560 | 3072 | 90500 | 10.0 / 20.0 / 30.0 | 10.0 / 20.0 / 30.0 | 1400 (0) |" in text
    assert "500,000 chunks ran on their own (on 2026-12-03 at `abc1234`)" in text
    assert "ran on their own (at the same commit)" in "\n".join(report.scale_section(scale, large, commit="abc1234"))
