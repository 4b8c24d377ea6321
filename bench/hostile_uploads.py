"""Time and memory of the import's file step on hostile uploads (issue 12): `make bench-hostile`.

Each case runs in a child process (so peak RSS is its own): the child reads the file, resets its
peak RSS, runs `services.imports.parse_file` (what import_file does before touching the graph)
and reports wall time, the peak RSS increase and the size of the API's JSON answer. The section
"Hostile uploads" of docs/BENCHMARKS.md is rewritten; the "before" numbers were measured once at
commit 5fd07d5 (the code before the limits) with the same files and are kept as constants.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import common
from bench import hostile_files as hostile

# case -> (file builder, filename, mode, description)
CASES = {
    "bad-csv": (lambda: hostile.bad_csv(1_000_000), "bad.csv", "all_or_nothing",
                "9 MB CSV of 1,000,000 rejected rows, all_or_nothing"),
    "bad-csv-valid-rows": (lambda: hostile.bad_csv(1_000_000), "bad.csv", "valid_rows",
                           "the same, valid_rows (reads up to the 100,000-row limit)"),
    "xfd-xlsx": (lambda: hostile.xfd_xlsx(80_000), "xfd.xlsx", "all_or_nothing",
                 "415 KB XLSX, 80,000 rows with a cell in XFD, <dimension> declared"),
    "xfd-xlsx-undeclared": (lambda: hostile.xfd_xlsx(80_000, declared=False), "xfd.xlsx", "all_or_nothing",
                            "the same without <dimension>"),
    "commas-csv": (hostile.commas_csv, "commas.csv", "all_or_nothing", "20 MB CSV: a header, then one line of commas"),
}
# Measured at 5fd07d5 on this machine (2026-11-30, load ~12 on 2 cores) with the same files: read_table +
# parse_rows + the errors' JSON, in-process. The code then read every row in either mode, and reset the sheet's
# dimension, so both CSV cases and both XLSX cases behaved alike. (seconds, RSS increase, answer bytes or None)
_CSV_BEFORE = (132.5, 1616 * 2**20, 224 * 2**20)
_XFD_BEFORE = (200.0, None, None)  # killed after 200 s; under gunicorn the worker was killed at 180 s (a 500)
BEFORE = {"bad-csv": _CSV_BEFORE, "bad-csv-valid-rows": _CSV_BEFORE,
          "xfd-xlsx": _XFD_BEFORE, "xfd-xlsx-undeclared": _XFD_BEFORE,
          "commas-csv": (5.3, 296 * 2**20, None)}  # 20,000,001 cells split, then the blank row skipped: 0 rows


def child(case: str, path: str) -> None:
    from matchmaker.errors import Invalid
    from matchmaker.services.imports import ImportReport, parse_file
    from matchmaker.tabular.limits import TableLimits

    _make, filename, mode, _text = CASES[case]
    data = Path(path).read_bytes()
    common.reset_peak_rss()
    base = common.self_rss()
    start = time.perf_counter()
    report = ImportReport("supply", filename, mode)
    try:
        parse_file("supply", data, filename, TableLimits(), report)
        answer = json.dumps({"data": report.as_dict()})
        outcome = f"{report.rows:,} rows read, {report.errors_total:,} errors ({len(report.errors):,} kept)"
    except Invalid as exc:
        answer = json.dumps({"error": {"message": exc.message, "fields": exc.fields}})
        outcome = f"refused: {exc.fields['file'][0][:70]}…"
    seconds = time.perf_counter() - start
    peak = common.self_peak_rss_since_reset()
    print(json.dumps({"seconds": seconds, "rss_increase": max(0, peak - base), "answer": len(answer),
                      "outcome": outcome}))


def run(case: str, folder: Path) -> dict:
    make, filename, _mode, _text = CASES[case]
    path = folder / f"{case}-{filename}"
    data = make()
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-m", "bench.hostile_uploads", "--child", case, str(path)],
                          cwd=common.PROJECT_DIR, capture_output=True, text=True, check=True)
    return {"bytes": len(data), **json.loads(done.stdout.strip().splitlines()[-1])}


def section(info: common.RunInfo, results: dict[str, dict]) -> str:
    m = info.machine
    lines = ["## Hostile uploads (issue 12, `make bench-hostile`)", "",
             f"{info.started}, {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.1f} GiB, Python {m['python']}, "
             f"load {info.load_before} before, {info.load_after} after; revision {info.revision}.",
             "The import's file step (`services.imports.parse_file`) in a child process per file; "
             "RSS is the peak increase over the process after reading the file.", "",
             "| file | before: time, RSS +, answer | after: time | after: RSS + | after: answer | outcome |",
             "| --- | --- | --- | --- | --- | --- |"]
    for case, r in results.items():
        seconds, rss, answer = BEFORE[case]
        killed = rss is None
        was = f"> {seconds:,.0f} s (killed)" if killed else f"{seconds:,.1f} s, +{common.mib(rss)}"
        was += f", {common.mib(answer)}" if answer else ""
        ratio = f" ({'> ' if killed else ''}÷{seconds / r['seconds']:,.0f})"
        lines.append(f"| {CASES[case][3]} | {was} | {r['seconds']:.2f} s{ratio} | +{common.mib(r['rss_increase'])} "
                     f"| {_bytes(r['answer'])} | {r['outcome']} |")
    lines += ["", "Before: commit 5fd07d5 (before the limits), the same files, read_table + parse_rows + the errors' "
              "JSON in one process, on this machine the same day; it read every row in either mode and kept the "
              "whole table and every error (two a row). After: the XLSX reader stops at the first cell past column "
              "BL, or at once on a wider <dimension>; all_or_nothing stops validating at 1,000 errors; valid_rows "
              "reads rows as they come, keeps 1,000 errors and is refused at the 100,001st data row. Three such "
              "uploads in parallel made `/api/v1/health` take 37 s before (issue 12); not re-measured here."]
    return "\n".join(lines)


def _bytes(n: int) -> str:
    return f"{n:,} B" if n < 10_240 else f"{n / 1024:,.0f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("CASE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--report", action="store_true", help="rewrite the section of docs/BENCHMARKS.md")
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    info = common.RunInfo(args)
    with tempfile.TemporaryDirectory() as folder:
        results = {case: run(case, Path(folder)) for case in CASES}
    info.load_after = common.load_average()
    body = section(info, results)
    print(body)
    if args.report:
        common.write_section(common.DEFAULT_REPORT, "hostile-uploads", body)


if __name__ == "__main__":
    main()
