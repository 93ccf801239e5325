"""The report: a Markdown table and a PNG plot in ``bench/results/``.

The plot uses matplotlib (Agg backend, no display needed).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from bench.measure import Stats
from bench.runner import Row

DASH = "–"


def ms(value: float | None) -> str:
    if value is None:
        return DASH
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 10:
        return f"{value:.0f} ms"
    return f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"


def megabytes(stats: Stats | None) -> str:
    if stats is None or not stats.peak_rss_bytes:
        return DASH
    return f"{stats.peak_rss_bytes / 1e6:.0f} MB"


def throughput(stats: Stats | None) -> str:
    if stats is None or stats.unit == "op" or stats.throughput is None:
        return DASH
    return f"{stats.throughput:,.0f} {stats.unit}s/s"


def ratio(ours: Stats, other: Stats | None) -> str:
    if other is None or not other.p50_ms or ours.p50_ms is None:
        return DASH
    return f"{ours.p50_ms / other.p50_ms:.2f}×"


def markdown(rows: list[Row], meta: Mapping[str, str], plot_name: str | None) -> str:
    lines = [f"# Zweck benchmark: {meta.get('database', '?')}, {meta.get('persons', '?')} persons", ""]
    lines += ["| | |", "| --- | --- |"]
    lines += [f"| {key} | {value} |" for key, value in meta.items()]
    lines.append("")
    if plot_name:
        lines += [f"![p50 per operation, log scale]({plot_name})", ""]

    lines += ["## Targets", "", "| target | operation | measured | met |", "| --- | --- | --- | --- |"]
    for row in rows:
        if row.status != "measured":
            for target in row.operation.targets:
                lines.append(f"| {target.text} | {row.operation.key} | {row.status} | {DASH} |")
            continue
        for text, value, met in row.target_results:
            shown = DASH if value is None else (f"{value:,.0f}" if value >= 100 else f"{value:.1f}")
            lines.append(f"| {text} | {row.operation.key} | {shown} | {_met(met)} |")
    for row in rows:
        if row.status == "measured" and row.operation.api and row.outcome is not None:
            outcome = row.outcome
            if outcome.peer is not None and outcome.peer.p50_ms and outcome.ours.p50_ms is not None:
                met = outcome.ours.p50_ms < outcome.peer.p50_ms
                lines.append(
                    f"| faster than the peer (p50) | {row.operation.key} | "
                    f"{ms(outcome.ours.p50_ms)} vs {ms(outcome.peer.p50_ms)} | {_met(met)} |"
                )
            else:
                lines.append(
                    f"| faster than the peer (p50) | {row.operation.key} | {outcome.peer_reason or 'no peer number'} | {DASH} |"
                )
    lines.append("")

    lines += [
        "## Operations",
        "",
        "| operation | Zweck p50 | Zweck p95 | throughput | peak memory | floor p50 | Zweck ÷ floor | peer p50 | peer p95 | Zweck ÷ peer | n |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        title = f"{row.operation.title} (`{row.operation.key}`)"
        if row.status != "measured" or row.outcome is None:
            label = "not yet built" if row.status == "not built" else row.status
            lines.append(f"| {title} | {label}: {row.reason} |" + " |" * 10)
            continue
        o = row.outcome
        lines.append(
            f"| {title} | {ms(o.ours.p50_ms)} | {ms(o.ours.p95_ms)} | {throughput(o.ours)} | {megabytes(o.ours)} | "
            f"{ms(o.floor.p50_ms if o.floor else None)} | {ratio(o.ours, o.floor)} | "
            f"{ms(o.peer.p50_ms if o.peer else None)} | {ms(o.peer.p95_ms if o.peer else None)} | "
            f"{ratio(o.ours, o.peer)} | {o.ours.count} |"
        )
    lines.append("")

    missed = [(row, t) for row in rows if row.outcome for t in row.target_results if t[2] is False]
    if missed:
        lines += ["## Targets missed, and where the time goes", ""]
        for row, (text, _value, _met_flag) in missed:
            lines.append(f"- **{text}** ({row.operation.key}): {_diagnosis(row, memory='memory' in text)}")
        lines.append("")

    lines += ["## Details", ""]
    for row in rows:
        lines.append(f"### {row.operation.title} (`{row.operation.key}`)")
        if row.outcome is None:
            lines += [f"- {row.status}: {row.reason}", ""]
            continue
        o = row.outcome
        if o.floor_sql:
            lines.append(f"- floor: {o.floor_sql}")
        if o.peer is None:
            lines.append(f"- peer: {o.peer_reason or DASH}")
        if o.ours.memory_method:
            lines.append(f"- memory: {o.ours.memory_method}")
        if o.peer is not None and o.peer.peak_rss_bytes:
            lines.append(f"- peer peak memory: {megabytes(o.peer)} ({o.peer.memory_method})")
        lines += [f"- {note}" for note in o.notes]
        lines.append("")
    return "\n".join(lines)


def _met(met: bool | None) -> str:
    return DASH if met is None else ("met" if met else "**not met**")


def _diagnosis(row: Row, *, memory: bool) -> str:
    """Where the time (or memory) goes: in the database's own minimal work, or above it in Zweck."""
    o = row.outcome
    assert o is not None
    if memory:
        return f"peak RSS {megabytes(o.ours)} where the floor's stream peaks at {megabytes(o.floor)}"
    if o.floor is None or o.floor.p50_ms is None or o.ours.p50_ms is None:
        return "no floor to compare with"
    if o.floor.p50_ms >= o.ours.p50_ms:
        return (
            f"Zweck takes {ms(o.ours.p50_ms)}; the floor's SQL takes {ms(o.floor.p50_ms)}, so that SQL is not yet the "
            "minimum for this answer (Zweck finds it a cheaper way): the floor needs sharpening before it can say "
            "where Zweck's time goes"
        )
    overhead = o.ours.p50_ms - o.floor.p50_ms
    share = overhead / o.ours.p50_ms if o.ours.p50_ms else 0
    if share < 0.5:
        return (
            f"the minimal SQL alone takes {ms(o.floor.p50_ms)} of Zweck's {ms(o.ours.p50_ms)}: "
            "the database work itself is too slow here (a missing index or a scan), not the code above it"
        )
    return (
        f"Zweck takes {ms(o.ours.p50_ms)} where the minimal SQL takes {ms(o.floor.p50_ms)}: "
        f"{ms(overhead)} ({share:.0%}) is spent above the database (queries beyond the minimum, ORM, validation, "
        "audit, serialisation)"
    )


def plot(rows: list[Row], path: Path, title: str) -> bool:
    measured = [row for row in rows if row.outcome is not None and row.outcome.ours.p50_ms]
    if not measured:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    labels = [row.operation.key for row in measured]
    series = [
        ("Zweck", [row.outcome.ours.p50_ms for row in measured], "#1f6f5c"),  # type: ignore[union-attr]
        (
            "floor (raw SQL)",
            [row.outcome.floor.p50_ms if row.outcome.floor else 0 for row in measured],
            "#9fb8ad",
        ),  # type: ignore[union-attr]
        (
            "peer (BottleCRM)",
            [row.outcome.peer.p50_ms if row.outcome.peer else 0 for row in measured],
            "#c0603a",
        ),  # type: ignore[union-attr]
    ]
    figure, axes = pyplot.subplots(figsize=(10, 0.55 * len(labels) + 1.6), dpi=110)
    height = 0.26
    for offset, (name, values, colour) in enumerate(series):
        positions = [i + (offset - 1) * height for i in range(len(labels))]
        axes.barh(positions, [v or 0 for v in values], height=height, label=name, color=colour)
    axes.set_yticks(range(len(labels)), labels)
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("p50 in milliseconds (log scale; shorter is better)")
    axes.set_title(title)
    axes.legend(loc="lower right")
    axes.grid(axis="x", which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)
    return True


def write(rows: list[Row], meta: Mapping[str, str], out: Path, stem: str) -> Path:
    """Write ``<stem>.md`` and ``<stem>.png`` into ``out`` and copy them to ``LATEST.md``/``LATEST.png``."""
    out.mkdir(parents=True, exist_ok=True)
    png = out / f"{stem}.png"
    has_plot = plot(rows, png, f"{meta.get('database', '')}, {meta.get('persons', '')} persons")
    document = out / f"{stem}.md"
    document.write_text(markdown(rows, meta, png.name if has_plot else None))
    latest = out / "LATEST.md"
    latest.write_text(markdown(rows, meta, "LATEST.png" if has_plot else None))
    if has_plot:
        shutil.copyfile(png, out / "LATEST.png")
    return document
