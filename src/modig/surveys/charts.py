"""Server-side SVG charts from declarative specs (no JavaScript, no inline styles).

A spec is plain data: rows of labelled bars made of segments. The template
surveys/results/_chart.html draws it; colours come from classes in results.css (each
meets 3:1 contrast against white, WCAG 1.4.11), and every chart sits next to a table
of the same figures.
"""

from dataclasses import dataclass, field

ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_WIDTH = 0  # labels are in the table next to the chart; the SVG is purely visual
WIDTH = 100


@dataclass
class Segment:
    x: float
    width: float
    css_class: str
    title: str


@dataclass
class Bar:
    label: str
    y: int
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    legend: list[tuple[str, str]] = field(default_factory=list)


def stacked_distribution(title: str, rows: list[tuple[str, list[tuple[str, float, str]]]],
                         legend: list[tuple[str, str]]) -> Chart:
    """One bar per row, split into segments by percentage: rows = [(label, [(class,
    percent, title), …])]."""
    bars = []
    for index, (label, parts) in enumerate(rows):
        bar = Bar(label=label, y=index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2)
        x = 0.0
        for css_class, percent, part_title in parts:
            if percent <= 0:
                continue
            width = min(percent, WIDTH - x)
            bar.segments.append(Segment(round(x, 2), round(width, 2), css_class, part_title))
            x += width
        bars.append(bar)
    return Chart(title=title, bars=bars, height=max(1, len(rows)) * ROW_HEIGHT, legend=legend)


def mean_bars(title: str, rows: list[tuple[str, list[tuple[str, float | None, str]]]],
              legend: list[tuple[str, str]], *, maximum: float = 5.0) -> Chart:
    """Grouped bars of means on a 0–maximum axis: rows = [(label, [(class, mean, title), …])]
    drawn one under the other within each row."""
    bars = []
    y = 0
    for label, series in rows:
        bar = Bar(label=label, y=y)
        step = BAR_HEIGHT // max(1, len(series))
        for index, (css_class, mean, part_title) in enumerate(series):
            if mean is None:
                continue
            segment = Segment(0, round(WIDTH * mean / maximum, 2), css_class, part_title)
            segment.y = y + index * step  # type: ignore[attr-defined]
            segment.height = step - 2  # type: ignore[attr-defined]
            bar.segments.append(segment)
        bars.append(bar)
        y += ROW_HEIGHT
    return Chart(title=title, bars=bars, height=max(1, len(rows)) * ROW_HEIGHT, legend=legend)
