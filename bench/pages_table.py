"""bench/pages.py's figures: one row per page, the table beside the targets and Hypha, the saved JSON, and the
comparison of runs at several sizes (do queries or times grow with the number of applications?)."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path

import common
from pages_list import HYPHA

TOLERANCE = 1.10  # "no slower": within 10% (the machine's noise between runs is about that)


def row(page, timing, load: float) -> dict:
    p50 = p95 = None
    if timing.timings:
        p50, p95 = common.median_p95_ms(timing.timings)
    counts = Counter(timing.queries)
    cpu = statistics.median(timing.cpu_ms) if timing.cpu_ms else None
    queries = counts.most_common(1)[0][0] if counts else None
    target = page.target
    if timing.status != 200:
        verdict = f"ERROR {timing.status}" + (f" to {timing.location}" if timing.location else "")
    elif target is None and page.max_queries is None:
        verdict = "-"
    else:
        problems = ["SLOW"] if target is not None and p50 >= target else []
        if page.max_queries is not None and queries is not None and queries > page.max_queries:
            problems.append("QUERIES")
        verdict = "+".join(problems) or "OK"
    return {
        "role": page.role,
        "url": page.url,
        "status": timing.status,
        "p50": p50,
        "p95": p95,
        "cpu_p50": cpu,
        "load": load,
        "queries": queries,
        "queries_min": min(counts) if counts else None,
        "queries_max": max(counts) if counts else None,
        "requests": len(timing.timings),
        "bytes": timing.size,
        "hypha": page.hypha,
        "hypha_ms": HYPHA.get(page.hypha),
        "target_ms": target,
        "max_queries": page.max_queries,
        "verdict": verdict,
    }


def _ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def _queries(r: dict) -> str:
    if r["queries"] is None:
        return "-"
    if r["queries_min"] != r["queries_max"]:
        return f"{r['queries']} ({r['queries_min']}-{r['queries_max']})"
    return str(r["queries"])


def _target(r: dict) -> str:
    parts = [f"< {r['target_ms']:.0f} ms"] if r["target_ms"] is not None else []
    parts += [f"<= {r['max_queries']} q"] if r["max_queries"] is not None else []
    return ", ".join(parts) or "-"


def progress_line(label: str, r: dict) -> str:
    return (
        f"  {label}: p50 {_ms(r['p50'])} ms, p95 {_ms(r['p95'])} ms, server CPU {_ms(r['cpu_p50'])} ms, "
        f"{_queries(r)} queries  {r['verdict']}  (load {r['load']:.1f})"
    )


def table(figures: dict) -> None:
    rows = figures["pages"]
    print()
    print(
        f"Pages at {figures['applications']:,} submitted applications ({figures['readers']} readers): "
        f"{figures['requests']} requests each (n: fewer for pages over {figures.get('budget', 0):.0f} s in all) after "
        f"{figures['warmups']} warm-ups, over HTTP to gunicorn "
        f"(2 sync workers, CONN_MAX_AGE={figures['conn_max_age']}); load average {figures['load_average']}"
    )
    header = ["Page", "Role", "n", "p50 ms", "p95 ms", "CPU ms", "Queries", "Target", "Hypha p50", "Hypha/ours"]
    header += ["Verdict", "Load"]
    lines = []
    for label, r in rows.items():
        ratio = f"{r['hypha_ms'] / r['p50']:.1f}x" if r["hypha_ms"] and r["p50"] else "-"
        hypha = f"{r['hypha_ms']} ({r['hypha']})" if r["hypha_ms"] else "-"
        lines.append(
            [label, r["role"], r.get("requests", "-"), _ms(r["p50"]), _ms(r["p95"]), _ms(r.get("cpu_p50"))]
            + [_queries(r), _target(r), hypha, ratio, r["verdict"], f"{r.get('load', 0):.1f}"]
        )
    _print(header, lines)
    print(
        "CPU ms: p50 of the gunicorn worker's own CPU time per request (the database server's not included), which a "
        "busy machine does not inflate as it does the wall clock; Load: the load average when the page was timed."
    )
    verdicts = Counter(r["verdict"].split(" ")[0] for r in rows.values())
    print("verdicts: " + ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())))
    if figures["build_seconds"]:
        build = figures["build_seconds"]
        print(
            f"build: {build['total']:.0f} s ({build['total'] / 60:.1f} min): "
            + "; ".join(f"{name} {seconds:.0f} s" for name, seconds in build.items() if name != "total")
        )
    if figures["malformed"]:
        print()
        print("Damaged snapshot (one submission's JSON edited, then restored): HTTP status of each page")
        pages = list(dict.fromkeys(m["page"] for m in figures["malformed"]))
        variants = list(dict.fromkeys(m["variant"] for m in figures["malformed"]))
        status = {(m["variant"], m["page"]): m["status"] for m in figures["malformed"]}
        _print(["Snapshot", *pages], [[v, *(str(status[v, p]) for p in pages)] for v in variants])
        for error in dict.fromkeys(f"{m['page']}: {m['error']}" for m in figures["malformed"] if m["error"]):
            print(f"  500 {error}")


def _print(header: list[str], lines: list[list[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    for cells in [header, ["-" * w for w in widths], *lines]:
        print(
            "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )


def _ratio(values: list) -> str:
    return f"{values[-1] / values[0]:.2f}" if values and values[0] and values[-1] else "-"


def dumps(figures: dict) -> str:
    return json.dumps(figures, indent=2, default=str)


def compare(paths: list[Path]) -> None:
    """Queries, p50 and server CPU of every page at each size, smallest first; a page whose queries differ between
    sizes is marked GROWS (or VARIES), and the score dashboard must be no slower at the largest size than at 2,000
    (by p50 and by server CPU, the figure a busy machine does not inflate)."""
    runs = sorted((json.loads(p.read_text()) for p in paths), key=lambda run: run["applications"])
    sizes = [f"{run['applications']:,}" for run in runs]
    labels = list(dict.fromkeys(label for run in runs for label in run["pages"]))
    header = ["Page", *(f"q@{s}" for s in sizes), *(f"p50@{s}" for s in sizes), *(f"cpu@{s}" for s in sizes)]
    header += ["Queries", "p50 last/first", "cpu last/first"]
    lines, grows = [], []
    for label in labels:
        rows = [run["pages"].get(label) or {} for run in runs]
        queries = [r.get("queries") for r in rows]
        times, cpu = [r.get("p50") for r in rows], [r.get("cpu_p50") for r in rows]
        known = [q for q in queries if q is not None]
        verdict = "same" if len(set(known)) <= 1 else ("GROWS" if known[-1] > known[0] else "VARIES")
        if verdict != "same":
            grows.append(label)
        lines.append(
            [label, *(str(q) if q is not None else "-" for q in queries), *map(_ms, times), *map(_ms, cpu), verdict]
            + [_ratio(times), _ratio(cpu)]
        )
    _print(header, lines)
    print(f"pages whose queries change with the number of applications: {', '.join(grows) or 'none'}")
    by_size = {run["applications"]: run for run in runs}
    if 2000 in by_size and max(by_size) > 2000:
        for figure in ("p50", "cpu_p50"):
            base = by_size[2000]["pages"].get("score dashboard", {}).get(figure)
            last = by_size[max(by_size)]["pages"].get("score dashboard", {}).get(figure)
            if base and last:
                verdict = "OK" if last <= base * TOLERANCE else "SLOWER"
                print(
                    f"score dashboard {figure}: {last:.1f} ms at {max(by_size):,} vs {base:.1f} ms at 2,000 "
                    f"({last / base:.2f}x; no slower within {TOLERANCE - 1:.0%}): {verdict}"
                )
    for run in runs:
        build = run.get("build_seconds") or {}
        if build:
            print(f"build of {run['applications']:,}: {build['total']:.0f} s ({build['total'] / 60:.1f} min)")
