"""/progress: the learner's charts and figures; /progress/reviews.csv: their review history."""
from __future__ import annotations

import io

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user, login_required

from app import clock
from app.edge import parse_id
from app.progress import bp, charts
from app.services import memory_stats
from app.services import progress as progress_service
from app.services.export import SpreadsheetWriter


@bp.route("/progress")
@login_required
def dashboard():
    days = request.args.get("days", type=int)
    days = days if days in progress_service.RANGES else progress_service.RANGES[0]
    data = progress_service.progress(current_user, clock.now())
    per_day = data.reviews_per_day(days)
    weeks = data.weekly_retention()
    year = data.reviews_per_day(371)
    return render_template(
        "progress/dashboard.html", p=data, days=days, ranges=progress_service.RANGES,
        per_day=per_day, in_range=sum(count for _, count in per_day),
        active_days=sum(1 for _, count in per_day if count),
        weeks=weeks, has_retention=any(week.total is not None for week in weeks),
        last_30=data.since(30), heatmap=charts.heatmap(dict(year), data.today),
        # Only the charts with something to draw; the page says so where one is empty.
        charts={
            "reviews": any(n for _, n in per_day) and charts.reviews_chart(per_day),
            "retention": any(w.total is not None for w in weeks) and charts.retention_chart(weeks),
            "forecast": any(n for _, n in data.forecast) and charts.forecast_chart(data.forecast),
            "states": data.has_cards and charts.states_chart(data.card_states),
        },
        mature_days=progress_service.MATURE_DAYS,
    )


@bp.route("/progress/memory")
@login_required
def memory():
    """The progress page's memory view: calibration, stability and difficulty, one card's forgetting curve.

    Its own page because the calibration replays the whole review history (about a second for 100,000
    reviews), and the overview must stay fast."""
    user = current_user._get_current_object()
    card_id = parse_id(request.args.get("card"))
    calibration = memory_stats.calibration(user)
    stability = memory_stats.stability_distribution(user)
    difficulty = memory_stats.difficulty_distribution(user)
    choices = memory_stats.reviewed_cards(user)
    card_id = card_id if card_id is not None else (choices[0][0] if choices else None)
    curve = memory_stats.forgetting_curve(user, card_id, clock.now()) if card_id is not None else None
    if curve is not None and all(card_id != choice for choice, _ in choices):
        choices.append((card_id, f"{curve.card.term.simplified} · {curve.card.direction.value}"))
    return render_template("progress/memory.html", memory={
        "calibration": calibration, "stability": stability, "difficulty": difficulty, "choices": choices,
        "curve": curve,
        "charts": {
            "calibration": calibration.bins and charts.calibration_chart(calibration.bins),
            "stability": any(b.cards for b in stability) and charts.buckets_chart(stability, "stability"),
            "difficulty": any(b.cards for b in difficulty) and charts.buckets_chart(difficulty, "difficulty"),
            "curve": curve is not None and curve.points and charts.forgetting_curve_chart(curve),
        },
    })


@bp.route("/progress/reviews.csv")
@login_required
def reviews_csv():
    user = current_user._get_current_object()
    now = clock.now()

    def rows():
        buffer = io.StringIO()
        writer = SpreadsheetWriter(buffer)
        writer.writerow(progress_service.HISTORY_COLUMNS)
        for i, row in enumerate(progress_service.review_history(user), 1):
            writer.writerow(row)
            if i % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    filename = f"guitu-reviews-{now:%Y-%m-%d}.csv"
    return Response(stream_with_context(rows()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})
