"""Declarative charts for the outcome dashboards: a spec (plain data) drawn as SVG by the
template outcomes/_chart.html, next to a table of the same figures and a one-sentence summary.

A `BarChart` is rows of (label, value, shown text); a hidden value (privacy) draws no bar and
reads "too few to show" in the table. Bars are scaled to the largest value, or to a target
when one is given (targets against actuals). The SVG is purely visual (aria-hidden); the table
carries the figures for screen readers, as in surveys/charts.py.
"""

from dataclasses import dataclass, field

ROW_HEIGHT = 28
BAR_HEIGHT = 18
WIDTH = 100


@dataclass
class BarRow:
    label: str
    value: float | None  # None: hidden by the privacy rules (or no data)
    text: str  # the value as shown in the table
    hidden: bool = False
    extra: list[str] = field(default_factory=list)  # further table columns
    link: str = ""  # the records behind the row, for those who may see them
    # Drawn:
    y: int = 0
    width: float = 0.0


@dataclass
class BarChart:
    title: str
    value_heading: str
    rows: list[BarRow]
    summary: str = ""
    definition: str = ""  # anchor of the definition on the definitions page
    extra_headings: list[str] = field(default_factory=list)
    target: float | None = None  # a line at the target, bars scaled so it fits
    css_class: str = "bar-actual"
    # Drawn:
    height: int = ROW_HEIGHT
    width: int = WIDTH
    target_x: float | None = None

    @property
    def has_links(self) -> bool:
        return any(row.link for row in self.rows)


def draw(chart: BarChart) -> BarChart:
    """Place the bars: widths are percentages of the largest value (or the target)."""
    values = [row.value for row in chart.rows if row.value is not None]
    scale = max([*values, chart.target or 0, 0])
    for index, row in enumerate(chart.rows):
        row.y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        row.width = round(WIDTH * row.value / scale, 2) if scale and row.value else 0.0
    if chart.target and scale:
        chart.target_x = round(WIDTH * chart.target / scale, 2)
    chart.height = max(1, len(chart.rows)) * ROW_HEIGHT
    return chart
