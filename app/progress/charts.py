"""The progress page's charts as inline SVG: pygal for bars and lines, a plain grid for the year heatmap.

No JavaScript and nothing fetched: pygal's tooltip script is switched off and its inline config script
removed, and the SVGs carry a viewBox without a fixed size, so they fit a phone's width. Each chart's
<style> block carries the request's CSP nonce (charts are drawn per request), so every page that shows
one keeps its styles under the Content-Security-Policy.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pygal
from markupsafe import Markup
from pygal.style import Style

from app.services.progress import WeekRetention
from app.templating import nonced_styles

STYLE = Style(
    background="transparent", plot_background="transparent",
    foreground="#1d1d1f", foreground_strong="#1d1d1f", foreground_subtle="#d9d9d4",
    colors=("#1a5fb4", "#1e6b35", "#b3261e", "#8a5a00", "#5f6368"),
    font_family='system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif',
    label_font_size=14, major_label_font_size=14, legend_font_size=14, value_font_size=14,
    tooltip_font_size=14, title_font_size=16,
)

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# The (unused) tooltip's inline style attribute, which no Content-Security-Policy nonce can allow;
# progress.css hides the tooltip instead.
_TOOLTIP_STYLE = ' style="opacity: 0"'


def _chart(kind, **options):
    settings = dict(
        style=STYLE, js=[], disable_xml_declaration=True, width=480, height=280,
        show_legend=False, margin=8, spacing=8, print_values=False, show_minor_x_labels=False,
        truncate_label=-1,
    )
    return kind(**(settings | options))


def _inline(chart) -> Markup:
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg)).replace(_TOOLTIP_STYLE, "")
    # The <figure> around each chart carries the text alternative; screen readers skip the drawing.
    return nonced_styles(Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)))


def _counts_axis(values) -> list[int]:
    """Whole-number ticks from 0 past the largest count, at most six of them: counts have no halves."""
    top = max(values, default=0)
    if top == 0:
        return [0, 1]
    step = 1
    for multiplier in itertools.cycle((2, 2.5, 2)):  # steps of 1, 2, 5, 10, 20, 50, 100...
        if top / step <= 5:
            break
        step = round(step * multiplier)
    return list(range(0, top + step, step))


def _day_label(day: date) -> str:
    return f"{day:%b} {day.day}"


def _every(n: int) -> int:
    return max(1, n // 6)  # about six labelled days on the x axis, whatever the range


LONG_RANGE = 90  # beyond this many days, bars are thinner than a pixel on a phone


def reviews_chart(points: list[tuple[date, int]]) -> Markup:
    """Bars for a month or a quarter; a filled line for a year (365 bars are unreadable, and five times slower)."""
    kind, extra = (pygal.Line, {"show_dots": False, "fill": True}) if len(points) > LONG_RANGE else (pygal.Bar, {})
    chart = _chart(kind, x_labels_major_every=_every(len(points)), y_title="reviews",
                   y_labels=_counts_axis(n for _, n in points), **extra)
    chart.x_labels = [_day_label(day) for day, _ in points]
    chart.add("Reviews", [count for _, count in points])
    return _inline(chart)


def forecast_chart(points: list[tuple[date, int]]) -> Markup:
    chart = _chart(pygal.Bar, x_labels_major_every=_every(len(points)), y_title="cards due",
                   y_labels=_counts_axis(n for _, n in points))
    chart.x_labels = [_day_label(day) for day, _ in points]
    chart.add("Due", [count for _, count in points])
    return _inline(chart)


def retention_chart(weeks: list[WeekRetention]) -> Markup:
    chart = _chart(pygal.Line, range=(0, 100), y_labels=[0, 20, 40, 60, 80, 100], y_title="% not Again",
                   show_legend=True, legend_at_bottom=True, allow_interruptions=True, dots_size=4,
                   x_labels_major_every=_every(len(weeks)) if len(weeks) > 6 else None)

    def percent(value):
        return None if value is None else round(100 * value, 1)

    chart.x_labels = [_day_label(week.start) for week in weeks]
    chart.add("Young", [percent(week.young) for week in weeks])
    chart.add("Mature", [percent(week.mature) for week in weeks])
    return _inline(chart)


def states_chart(states: dict[str, int]) -> Markup:
    chart = _chart(pygal.HorizontalBar, height=220, print_values=True, y_labels=_counts_axis(states.values()),
                   show_minor_x_labels=True, show_minor_y_labels=True)
    chart.x_labels = [name.capitalize() for name in states]
    chart.add("Cards", list(states.values()))
    return _inline(chart)


# ---- the year heatmap (a layout, not a chart: one square per study day) ------------------------

CELL = 11  # px in the viewBox, gap included
WEEKS = 53


@dataclass(frozen=True)
class HeatCell:
    day: date
    count: int
    level: int  # 0 (none) to 4 (the busiest days)
    x: int
    y: int


@dataclass(frozen=True)
class Heatmap:
    cells: list[HeatCell]
    months: list[tuple[int, str]]  # (x, "Jan") where a month starts
    width: int
    height: int
    busiest: int


def heatmap(per_day: dict[date, int], today: date) -> Heatmap:
    """The last 53 weeks, one column per week (Monday at the top), ending with today."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)
    busiest = max((per_day.get(first + timedelta(days=i), 0) for i in range((today - first).days + 1)), default=0)
    cells, months, last_month = [], [], None
    for i in range((today - first).days + 1):
        day = first + timedelta(days=i)
        count = per_day.get(day, 0)
        level = 0 if count == 0 else min(4, 1 + (4 * count - 1) // max(busiest, 1))
        x, y = 28 + (i // 7) * CELL, 16 + (i % 7) * CELL
        cells.append(HeatCell(day, count, level, x, y))
        if day.weekday() == 0 and day.month != last_month:
            months.append((x, f"{day:%b}"))
            last_month = day.month
    return Heatmap(cells, months, 28 + WEEKS * CELL, 16 + 7 * CELL, busiest)


# ---- the memory model: calibration, distributions, one card's forgetting curve ------------------

def calibration_chart(bins) -> Markup:
    """Mean predicted recall against the share recalled, one dot per bin; on the diagonal is perfect."""
    chart = _chart(pygal.XY, range=(0, 100), xrange=(0, 100), x_title="predicted recall %", y_title="recalled %",
                   x_labels=[0, 20, 40, 60, 80, 100], y_labels=[0, 20, 40, 60, 80, 100], show_legend=True,
                   legend_at_bottom=True, dots_size=5, show_x_guides=True, show_minor_x_labels=True)
    chart.add("Perfect prediction", [(0, 0), (100, 100)], show_dots=False, stroke_style={"dasharray": "4,4"})
    chart.add("Your reviews", [{"value": (round(100 * b.predicted, 1), round(100 * b.actual, 1)),
                                "label": f"{b.reviews} reviews"} for b in bins], stroke=False)
    return _inline(chart)


def buckets_chart(buckets, x_title: str) -> Markup:
    chart = _chart(pygal.Bar, y_title="cards", x_title=x_title, y_labels=_counts_axis(b.cards for b in buckets),
                   x_label_rotation=0)
    chart.x_labels = [b.label for b in buckets]
    chart.add("Cards", [b.cards for b in buckets])
    return _inline(chart)


def forgetting_curve_chart(curve) -> Markup:
    """Predicted recall over the card's life; dots mark its reviews (recalled, or forgotten: Again)."""
    last = max(1.0, max(x for x, _ in curve.points))
    chart = _chart(pygal.XY, range=(0, 100), xrange=(0, last), y_labels=[0, 20, 40, 60, 80, 100],
                   x_labels=_counts_axis([math.ceil(last)]), show_minor_x_labels=True,
                   x_title="days since the first review", y_title="predicted recall %", show_legend=True,
                   legend_at_bottom=True, dots_size=5)
    chart.add("Predicted recall", [(round(x, 3), round(100 * r, 2)) for x, r in curve.points], show_dots=False)
    recalled = [r for r in curve.reviews if r.recall_before is not None and r.rating > 1]
    forgot = [r for r in curve.reviews if r.recall_before is not None and r.rating == 1]
    chart.add("Recalled", [(round(r.day, 3), round(100 * r.recall_before, 2)) for r in recalled] or [None],
              stroke=False)
    chart.add("Forgot (Again)", [(round(r.day, 3), round(100 * r.recall_before, 2)) for r in forgot] or [None],
              stroke=False)
    return _inline(chart)


def desired_retention_chart(points, current: float, value, title: str) -> Markup:
    """One simulated figure (`value` of each point) by desired retention; the learner's own is labelled."""
    chart = _chart(pygal.Line, dots_size=4, y_title=title, x_title="desired retention", show_minor_x_labels=True,
                   x_label_rotation=0, value_formatter=lambda v: f"{v:,.0f}" if v >= 10 else f"{v:.1f}")
    chart.x_labels = [f"{p.retention:.2f}" + ("*" if abs(p.retention - current) < 1e-9 else "") for p in points]
    chart.add(title, [round(value(p), 1) for p in points])
    return _inline(chart)
