"""Write the evaluation table into docs/MATCHING.md between its markers."""
from __future__ import annotations

from bench.common import PROJECT_DIR, machine, utc_now

REPORT = PROJECT_DIR / "docs" / "MATCHING.md"
BEGIN, END = "<!-- eval:begin -->", "<!-- eval:end -->"


def table(results: list[dict]) -> str:
    lines = ["| set | split | queries | group | method | recall@10 | nDCG@10 | MRR | ms/query |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(f"| {r['set']} | {r['split']} | {r['queries']} | {r['group']} | {r['method']} | "
                     f"{r['recall@10']:.3f} | {r['ndcg@10']:.3f} | {r['mrr']:.3f} | {r['ms/query']:.1f} |")
    return "\n".join(lines)


def write_report(results: list[dict], encoder) -> None:
    m = machine()
    where = f"{m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.0f} GiB, Python {m['python']}"
    block = (f"{BEGIN}\nRun {utc_now()} on {where}; encoder: {getattr(encoder, 'name', 'none')}.\n\n"
             f"{table(results)}\n{END}")
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else f"# Matching quality\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    REPORT.write_text(head + block + tail, encoding="utf-8")
