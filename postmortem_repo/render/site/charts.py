"""The site's charts: inline SVG drawn at build time, each with a text alternative and the
numbers it draws as a table beside it (a chart is never the only way to read them)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 64
# Colours told apart by people with the common colour-vision deficiencies (Okabe-Ito), all
# at 3:1 or more against white; the table beside each chart carries the same numbers.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56748F", "#8F7A00")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    dashed: bool = False


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    summary: str  # the text alternative: what the chart shows, in words
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    stacked: bool = False  # bars stacked; otherwise lines

    @property
    def headers(self) -> list[str]:
        return ["Quarter", *(series.name for series in self.series)]

    def rows(self) -> list[list[str]]:
        return [
            [category, *(_number(series.values[index], self.unit) for series in self.series)]
            for index, category in enumerate(self.categories)
        ]


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "\u2014"
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{text} {unit}".strip() if unit and unit != "%" else text + unit


def _scale(chart: Chart) -> tuple[float, float]:
    """(the axis top, the step between its ticks): the step is 1, 2 or 5 times a power of
    ten, and the top the first multiple of it at or above the highest value."""
    if chart.stacked:
        values = [
            sum(series.values[index] or 0 for series in chart.series)
            for index in range(len(chart.categories))
        ]
    else:
        values = [value or 0 for series in chart.series for value in series.values]
    highest = max(values, default=0) or 1
    step = _step(highest / 4)
    return step * math.ceil(highest / step), step


def _step(least: float) -> float:
    power = 10.0 ** math.floor(math.log10(least))
    return next(factor * power for factor in (1, 2, 5, 10) if factor * power >= least)


def render_svg(chart: Chart) -> str:
    """The chart as an SVG element, labelled by its title and described by its summary."""
    top, step = _scale(chart)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(chart.categories), 1)
    slot = plot_w / count
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart.slug}-title {chart.slug}-desc" class="chart">',
        f'<title id="{chart.slug}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart.slug}-desc">{escape(chart.summary)}</desc>',
    ]
    parts += _axes(top, step, plot_w, plot_h, chart.unit)
    if chart.stacked:
        parts += _bars(chart, top, slot, plot_h)
    else:
        parts += _lines(chart, top, slot, plot_h)
    parts += _labels(chart.categories, slot)
    parts += _legend(chart.series)
    parts.append("</svg>")
    return "\n".join(parts)


def _y(value: float, top: float, plot_h: float) -> float:
    return TOP + plot_h - plot_h * value / top


def _axes(top: float, step: float, plot_w: float, plot_h: float, unit: str) -> list[str]:
    lines = []
    for tick in range(round(top / step) + 1):
        value = tick * step
        y = _y(value, top, plot_h)
        lines.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" class="grid"/>'
        )
        lines.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{escape(_number(value, unit))}</text>"
        )
    return lines


def _bars(chart: Chart, top: float, slot: float, plot_h: float) -> list[str]:
    shapes = []
    width = max(slot * 0.6, 1)
    for index in range(len(chart.categories)):
        base = 0.0
        x = LEFT + slot * index + (slot - width) / 2
        for number, series in enumerate(chart.series):
            value = series.values[index] or 0
            if not value:
                continue
            y_top, y_base = _y(base + value, top, plot_h), _y(base, top, plot_h)
            shapes.append(
                f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{width:.1f}" '
                f'height="{y_base - y_top:.1f}" fill="{PALETTE[number % len(PALETTE)]}"/>'
            )
            base += value
    return shapes


def _lines(chart: Chart, top: float, slot: float, plot_h: float) -> list[str]:
    shapes = []
    for number, series in enumerate(chart.series):
        colour = PALETTE[number % len(PALETTE)]
        points = [
            (LEFT + slot * index + slot / 2, _y(value, top, plot_h))
            for index, value in enumerate(series.values)
            if value is not None
        ]
        dash = ' stroke-dasharray="6 4"' if series.dashed else ""
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            shapes.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            )
        shapes += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
    return shapes


def _labels(categories: tuple[str, ...], slot: float) -> list[str]:
    # With many quarters, every n-th label is written so that they do not overlap.
    every = max(1, round(len(categories) / 12))
    y = HEIGHT - BOTTOM + 16
    return [
        f'<text x="{LEFT + slot * index + slot / 2:.1f}" y="{y}" text-anchor="middle" '
        f'class="tick">{escape(category)}</text>'
        for index, category in enumerate(categories)
        if index % every == 0
    ]


def _legend(series: tuple[Series, ...]) -> list[str]:
    items = []
    x, y = LEFT, HEIGHT - 18
    for number, one in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if one.dashed else ""
        items.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="6"{dash}/>'
        )
        items.append(f'<text x="{x + 24}" y="{y}" class="legend">{escape(one.name)}</text>')
        x += 32 + 7 * len(one.name)
    return items
