"""One chart per question, drawn with matplotlib from published figures only.

matplotlib is imported inside :func:`write_chart` (with the Agg backend, no
display needed), so ``pspn --help`` and every other command stay light.
Suppressed figures are never drawn as bars: they are labelled "suppressed".
With a breakdown, a second panel shows each group's shares as a grid, with
suppressed cells hatched.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from pspn_core.surveys.model import QuestionKind
from pspn_core.surveys.tables import QuestionTable

__all__ = ["write_chart"]

BAR = "#2a6f97"
HIDDEN = "#d9d9d9"


def write_chart(table: QuestionTable, path: Path) -> Path:
    """Draw ``table`` as a PNG at ``path`` (its parent is created)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MaxNLocator

    labels = [textwrap.fill(c, 28) for c in table.labels]
    rows = len(labels)
    panels = 2 if table.groups else 1
    width = 6.5 + 0.75 * len(table.groups) if table.groups else 7.0
    figure, axes = plt.subplots(
        1,
        panels,
        figsize=(width, 1.2 + 0.5 * rows),
        squeeze=False,
        gridspec_kw={"width_ratios": [3, max(2, 0.8 * len(table.groups))]} if panels == 2 else {},
    )
    overall = axes[0][0]
    figures = [table.figure(i) for i in range(rows)]
    counts = [f.count or 0 for f in figures]
    positions = list(range(rows))
    overall.barh(positions, counts, color=BAR)
    top = max(counts, default=0) or 1
    for y, shown in zip(positions, figures, strict=True):
        if shown.count is None:
            overall.text(top * 0.01, y, "suppressed", va="center", color="#666666", style="italic")
        else:
            overall.text(shown.count + top * 0.01, y, str(shown), va="center", fontsize=9)
    overall.set_yticks(positions, labels)
    overall.invert_yaxis()
    overall.set_xlim(0, top * 1.3)
    overall.set_xlabel("people")
    overall.xaxis.set_major_locator(MaxNLocator(integer=True))
    answered = table.figure(None)
    notes = [] if answered.count is None else [f"{answered.count} answered"]
    if table.question.kind is QuestionKind.MULTIPLE:
        notes.append("several answers allowed")
    overall.set_title("Everyone" + (f" ({'; '.join(notes)})" if notes else ""), fontsize=10)
    for side in ("top", "right"):
        overall.spines[side].set_visible(False)
    if table.groups:
        grid = axes[0][1]
        cells = [[table.figure(i, g) for g in range(len(table.groups))] for i in range(rows)]
        values = [[f.share if f.share is not None else float("nan") for f in row] for row in cells]
        colours = LinearSegmentedColormap.from_list("shares", ["#f4f9fc", BAR])
        grid.imshow(values, cmap=colours, vmin=0, vmax=1, aspect="auto")
        for i, row in enumerate(cells):
            for g, shown in enumerate(row):
                if shown.count is None:
                    grid.add_patch(
                        Rectangle(
                            (g - 0.5, i - 0.5),
                            1,
                            1,
                            facecolor=HIDDEN,
                            hatch="///",
                            edgecolor="white",
                        )
                    )
                    continue
                share = shown.share
                text = str(shown.count) if share is None else f"{share:.0%}"
                colour = "white" if share is not None and share > 0.55 else "black"
                grid.text(g, i, text, ha="center", va="center", fontsize=8, color=colour)
        grid.set_xticks(
            range(len(table.groups)),
            [textwrap.fill(g, 12) for g in table.groups],
            fontsize=8,
            rotation=45,
            ha="right",
        )
        grid.set_yticks([])
        grid.set_title(
            "Share of each group\nhatched: suppressed; a bare number is a count whose group "
            "size is suppressed",
            fontsize=9,
        )
    figure.suptitle(textwrap.fill(table.question.text, 80), fontsize=11, x=0.01, ha="left")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
