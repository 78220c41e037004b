"""Register snapshots: taking one, immutability, the public pages and downloads, the API, and
the rule across snapshots (disclosure.py, "Across snapshots") under attack."""

import datetime
import hashlib
import itertools
import json
from collections import Counter

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from demo.register import PERIOD, build_demo_register
from tests.factories import AreaFactory, CasualtyFactory, IncidentFactory, UserFactory
from tests.victims.test_attacks import fixed_record_keys
from victims import disclosure, figures, snapshots
from victims.models import Casualty, ImmutableSnapshot, Incident, Snapshot

pytestmark = pytest.mark.django_db

START, END = PERIOD  # 10 November 2020 to 4 April 2024
TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def reviewer():
    return UserFactory(username="reviewer1", groups=["Register reviewers"])


@pytest.fixture
def register(settings):
    """The demonstration register, with record keys from a seeded generator so that every
    run attacks the same published figures."""
    settings.CASUALTY_MIN_CELL = 5
    call_command("load_areas", "AZ", verbosity=0)
    build_demo_register(TODAY)
    fixed_record_keys(seed=3)
    cache.clear()


def take(by, start=START, end=END, **options):
    return snapshots.take(period_from=start, period_to=end, by=by, **options)


# --- taking one ----------------------------------------------------------------------------------


def test_a_snapshot_records_its_period_its_rule_and_the_digest_of_its_canonical_json(
    register, reviewer
):
    snapshot = take(reviewer)

    content = snapshot.content
    assert snapshot.number == 1 and snapshot.taken_by == reviewer
    assert content["period"] == {"from": "2020-11-10", "to": "2024-04-04"}
    assert content["verification"] == ["reported", "verified"]
    assert content["min_cell"] == 5 and content["methodology_version"] == "1.0"
    assert content["synthetic_data"] is True
    assert snapshot.sha256 == hashlib.sha256(snapshots.canonical_json(content)).hexdigest()
    # The period starts with the register: national totals by outcome and status are exact.
    assert snapshot.figures["casualties"] == 350
    assert snapshot.figures["killed"] == 65
    assert snapshot.figures["killed.civilian"] == 50
    assert snapshot.figures["killed.military"] == 15
    # Every table: each dimension, each pair, the months of each year of the period.
    keys = {table["key"] for table in content["tables"]}
    assert {"area", "year,outcome", "area,outcome", "status,age_group"} <= keys
    assert {f"month,outcome:{year}" for year in range(2020, 2025)} <= keys
    assert len(keys) == 8 + 28 + 5


def test_numbers_follow_each_other_and_a_later_period_is_protected(register, reviewer):
    first = take(reviewer)
    later = take(reviewer, start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))

    assert (first.number, later.number) == (1, 2)
    assert later.content["exact_national_figures"] is False
    assert later.content["headline"]["exact"] == []


def test_a_snapshot_is_refused_for_a_period_in_the_wrong_order_or_the_future(register, reviewer):
    with pytest.raises(snapshots.SnapshotError, match="first day comes after its last"):
        take(reviewer, start=END, end=START)
    with pytest.raises(snapshots.SnapshotError, match="ends in the future"):
        take(reviewer, end=datetime.date.today() + datetime.timedelta(days=1))
    assert not Snapshot.objects.exists()


def test_superseding_needs_a_reason_and_happens_once(register, reviewer):
    first = take(reviewer)
    with pytest.raises(snapshots.SnapshotError, match="Say why"):
        take(reviewer, supersedes=first, reason="  ")

    second = take(reviewer, supersedes=first, reason="Two incidents were entered twice.")

    assert second.supersedes == first and first.superseded_by == second
    with pytest.raises(snapshots.SnapshotError, match="already superseded"):
        take(reviewer, supersedes=first, reason="Again.")


# --- immutable ---------------------------------------------------------------------------------


def test_the_model_refuses_to_change_or_delete_a_snapshot(register, reviewer):
    snapshot = take(reviewer)
    snapshot.reason = "changed"

    with pytest.raises(ImmutableSnapshot):
        snapshot.save()
    with pytest.raises(ImmutableSnapshot):
        snapshot.delete()
    with pytest.raises(ImmutableSnapshot):
        Snapshot.objects.filter(pk=snapshot.pk).update(reason="changed")
    with pytest.raises(ImmutableSnapshot):
        Snapshot.objects.filter(pk=snapshot.pk).delete()
    assert Snapshot.objects.get().reason == ""


def test_the_database_refuses_where_it_can(register, reviewer):
    """PostgreSQL refuses any UPDATE or DELETE of a snapshot row, by a trigger, whatever the
    client. SQLite has no such guard in this project (its trigger would also refuse the test
    runner's flush): there the model refuses (above) and the admin offers neither."""
    snapshot = take(reviewer)
    if connection.vendor == "postgresql":
        for sql in (
            "UPDATE victims_snapshot SET reason = 'x' WHERE id = %s",
            "UPDATE victims_snapshot SET figures = '{}' WHERE id = %s",
            "DELETE FROM victims_snapshot WHERE id = %s",
        ):
            with (
                pytest.raises(DatabaseError, match="cannot be changed or deleted"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [snapshot.pk])
    else:
        with pytest.raises(ImmutableSnapshot):
            Snapshot.objects.all().update(figures={})
    snapshot = Snapshot.objects.get()
    assert snapshot.reason == "" and snapshot.figures["casualties"] == 350


def test_the_admin_takes_a_snapshot_and_then_only_shows_it(client, register, reviewer):
    client.force_login(reviewer)
    added = client.post(
        "/admin/victims/snapshot/add/",
        {"period_from": "2020-11-10", "period_to": "2024-04-04", "reason": ""},
    )
    assert added.status_code == 302
    snapshot = Snapshot.objects.get()
    assert snapshot.taken_by == reviewer and snapshot.figures["casualties"] == 350

    page = client.get(f"/admin/victims/snapshot/{snapshot.pk}/change/")
    assert page.status_code == 200
    assert snapshot.sha256 in page.text and "[[killed.civilian]]" in page.text
    assert 'type="submit"' not in page.text.split('id="content-main"')[1].split("</form>")[0]
    changed = client.post(
        f"/admin/victims/snapshot/{snapshot.pk}/change/", {"period_to": "2024-04-05"}
    )
    assert changed.status_code == 403
    deleted = client.post(f"/admin/victims/snapshot/{snapshot.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert Snapshot.objects.get().period_to == END


def test_the_admin_names_what_is_wrong_with_a_period(client, register, reviewer):
    client.force_login(reviewer)
    page = client.post(
        "/admin/victims/snapshot/add/", {"period_from": "2024-04-04", "period_to": "2020-11-10"}
    )
    assert page.status_code == 200
    assert "The period&#x27;s first day comes after its last day." in page.text
    assert not Snapshot.objects.exists()


def test_editors_may_see_snapshots_but_not_take_one(client, register, editor, reviewer):
    take(reviewer)
    client.force_login(editor)
    assert client.get("/admin/victims/snapshot/").status_code == 200
    refused = client.post(
        "/admin/victims/snapshot/add/", {"period_from": "2020-11-10", "period_to": "2024-04-04"}
    )
    assert refused.status_code == 403
    assert Snapshot.objects.count() == 1


# --- public pages and downloads -------------------------------------------------------------


def test_the_snapshot_page_draws_the_frozen_figures(client, register, reviewer):
    snapshot = take(reviewer)

    page = client.get("/en/casualties/snapshots/1/")

    assert page.status_code == 200
    text = page.text
    assert "Register snapshot 1" in text
    assert "from 10 November 2020 to 4 April 2024, as the register stood on" in text
    assert snapshot.sha256 in text
    assert "Casualties by district" in text and "Casualties by month, 2024" in text
    assert 'href="/en/casualties/"' in text  # today's figures
    assert "Demonstration data." in text
    assert "<dd>350</dd>" in text and "<dd>65</dd>" in text


def test_the_json_download_is_the_canonical_json_whose_digest_the_page_shows(
    client, register, reviewer
):
    snapshot = take(reviewer)

    download = client.get("/en/casualties/snapshots/1.json")

    assert hashlib.sha256(download.content).hexdigest() == snapshot.sha256
    assert json.loads(download.content)["number"] == 1
    assert download["Cache-Control"] == "public, max-age=31536000, immutable"
    again = client.get("/en/casualties/snapshots/1.json", HTTP_IF_NONE_MATCH=download["ETag"])
    assert again.status_code == 304


def test_the_csv_download_has_one_figure_a_row(client, register, reviewer):
    take(reviewer)

    lines = client.get("/en/casualties/snapshots/1.csv").text.splitlines()

    assert lines[0] == "table,dimension_1,value_1,dimension_2,value_2,count,suppressed,exact"
    assert "headline,figure,casualties,,,350,False,True" in lines
    assert "headline,figure,killed.civilian,,,50,False,True" in lines
    killed = next(line for line in lines if line.startswith("outcome,outcome,killed,"))
    assert killed.endswith(",False,False")  # the tables cover whole years, protected


def test_what_changed_between_two_snapshots(client, register, reviewer):
    take(reviewer)
    take(reviewer, end=datetime.date(2025, 4, 4))

    page = client.get("/en/casualties/snapshots/1...2/")

    assert page.status_code == 200
    assert "What changed from snapshot 1 to snapshot 2" in page.text
    # 350 then 421 casualties, 65 then 80 killed (exact national figures).
    assert "<td>350</td><td>421</td><td>+71</td>" in page.text
    assert "<td>65</td><td>80</td><td>+15</td>" in page.text
    assert '<th scope="row">2025</th><td>not in the period</td>' in page.text
    assert "By district" in page.text
    lachin = page.text.split('<th scope="row">Lachin</th>')[1].split("</tr>")[0]
    assert "not in the period" not in lachin and "<td>" in lachin
    assert '<th scope="row">2023</th><td>not in the period</td>' not in page.text
    assert client.get("/en/casualties/snapshots/1/").text.count("What changed since") == 0
    assert "What changed since snapshot 1" in client.get("/en/casualties/snapshots/2/").text


@pytest.mark.parametrize(
    "path",
    [
        "/en/casualties/snapshots/9/",
        "/en/casualties/snapshots/99999999999999999999/",
        "/en/casualties/snapshots/9.json",
        "/en/casualties/snapshots/1...9/",
        "/api/v1/casualties/snapshots/9/",
        "/api/v1/casualties/snapshots/99999999999999999999/",
        "/api/v1/casualties/snapshots/x/",
    ],
)
def test_an_unknown_snapshot_is_not_found(client, register, reviewer, path):
    take(reviewer)
    assert client.get(path).status_code == 404


def test_the_list_of_snapshots_says_which_is_superseded(client, register, reviewer):
    first = take(reviewer)
    take(reviewer, supersedes=first, reason="Two incidents were entered twice.")

    page = client.get("/en/casualties/snapshots/").text
    old = client.get("/en/casualties/snapshots/1/").text

    assert "superseded by snapshot 2" in page
    assert "Superseded by snapshot 2." in old and "Two incidents were entered twice." in old


# --- API -------------------------------------------------------------------------------------


def test_the_api_lists_snapshots(client, register, reviewer):
    first = take(reviewer)
    second = take(reviewer, supersedes=first, reason="Corrected.")

    rows = client.get("/api/v1/casualties/snapshots/").json()["rows"]

    assert [row["number"] for row in rows] == [2, 1]
    assert rows[1] == {
        "number": 1,
        "period_from": "2020-11-10",
        "period_to": "2024-04-04",
        "taken_at": first.taken_at.isoformat(),
        "sha256": first.sha256,
        "supersedes": None,
        "superseded_by": 2,
        "url": "http://testserver/api/v1/casualties/snapshots/1/",
    }
    assert rows[0]["supersedes"] == 1 and rows[0]["sha256"] == second.sha256


def test_the_api_gives_every_table_in_json_csv_and_hxl_cached_for_good(client, register, reviewer):
    snapshot = take(reviewer)

    detail = client.get("/api/v1/casualties/snapshots/1/")
    csv = client.get("/api/v1/casualties/snapshots/1/?format=csv")
    hxl = client.get("/api/v1/casualties/snapshots/1/?format=hxl")

    data = detail.json()
    assert data["sha256"] == snapshot.sha256
    assert data["headline"]["figures"]["killed.civilian"] == 50
    assert len(data["tables"]) == 41
    assert detail["Cache-Control"] == "public, max-age=31536000, immutable"
    assert snapshot.sha256 in detail["ETag"]
    unchanged = client.get("/api/v1/casualties/snapshots/1/", HTTP_IF_NONE_MATCH=detail["ETag"])
    assert unchanged.status_code == 304
    assert csv.text.splitlines()[0] == (
        "table,dimension_1,value_1,dimension_2,value_2,count,suppressed,exact"
    )
    assert hxl.text.splitlines()[1].startswith("#meta+table,")
    assert csv["ETag"] != detail["ETag"]  # one representation, one tag


# --- the rule across snapshots, attacked ----------------------------------------------------------


def protected_figures(snapshot: Snapshot) -> dict[tuple, int | None]:
    """Every protected figure of a snapshot, by (table, row, column)."""
    found = {}
    for table in snapshot.content["tables"]:
        for row, column, value, exact in table["figures"]:
            if not exact:
                found[(table["key"], row, column)] = value
    for name, value in snapshot.content["headline"]["figures"].items():
        if name not in snapshot.content["headline"]["exact"]:
            found[("headline", name, "")] = value
    return found


def add_late_report(area: str = "AZ-LAC", count: int = 1) -> list[Casualty]:
    """A casualty reported late: an incident inside the first snapshot's period, in a district
    of the register, a girl killed by an improvised device while herding."""
    from victims.models import Area

    incident = IncidentFactory(
        area=Area.objects.get(code=area),
        occurred_on=datetime.date(2023, 6, 14),
        device_category="improvised",
        activity="herding",
        record_key=200,
    )
    return [
        CasualtyFactory(
            incident=incident,
            outcome="killed",
            status="civilian",
            sex="female",
            age_group="12-17",
            record_key=77 + n,
        )
        for n in range(count)
    ]


def isolates(before: dict, after: dict, dimension: str) -> set[str]:
    """The attacker's candidates for the new casualty's value of a dimension: the values of
    that dimension in every cell, of every table by it, whose published figure changed
    (hidden to shown counts as a change)."""
    found = set()
    for (table, row, column), value in after.items():
        dimensions = table.split(":")[0].split(",")
        if dimension not in dimensions or before.get((table, row, column)) == value:
            continue
        found.add(row if dimensions[0] == dimension else column)
    return found - {"total", "all"}


def test_one_new_casualty_between_two_snapshots_changes_no_protected_figure(register, reviewer):
    first = take(reviewer)
    add_late_report()
    second = take(reviewer, supersedes=first, reason="A late report.")

    before, after = protected_figures(first), protected_figures(second)

    # The attacker subtracts every protected figure: nothing moved, so nothing says where,
    # who or how the new casualty was.
    assert before.keys() == after.keys()
    assert [key for key in after if after[key] != before[key]] == []
    for dimension in ("area", "sex", "age_group", "device_category", "activity"):
        assert isolates(before, after, dimension) == set()
    # The exact national figures say what the office announces: one more civilian killed.
    assert second.figures["killed.civilian"] == first.figures["killed.civilian"] + 1
    assert second.figures["casualties"] == first.figures["casualties"] + 1


def test_without_the_hold_the_same_attack_finds_the_new_casualty(register, reviewer):
    """The attack is real: the same two snapshots with every figure drawn anew (the live
    rule, consistent per cell) single out the late report's district, sex and age group."""
    period = (START, END)
    first, _figures, _worksheet = snapshots.compute(period, {}, hold=False)
    add_late_report()
    second, _figures, _worksheet = snapshots.compute(period, {}, hold=False)

    def published(content):
        return protected_figures(Snapshot(content=content))

    before, after = published(first), published(second)
    assert isolates(before, after, "area") == {"AZ-LAC"}
    assert isolates(before, after, "sex") == {"female"}
    assert isolates(before, after, "age_group") == {"12-17"}


def test_figures_are_drawn_anew_once_the_register_has_moved_on(register, reviewer, settings):
    """Held figures do not stay frozen for good: once the national total has moved by 5 × K
    and a district's count by K or more, its figure is drawn again, within the
    perturbation of the truth; districts nobody came to keep theirs."""
    first = take(reviewer)
    before = {row: value for row, _c, value, _e in table_of(first, "area")["figures"]}
    add_late_report(count=snapshots.refresh_step())
    second = take(reviewer, supersedes=first, reason="Late reports.")

    after = {row: value for row, _c, value, _e in table_of(second, "area")["figures"]}
    changed = {row for row in after if row != "total" and after[row] != before[row]}
    true_count = Casualty.objects.filter(
        incident__area__code="AZ-LAC",
        incident__in=Incident.objects.public(),
        incident__occurred_on__range=(START, END),
    ).count()
    name = max(
        (key for key in second.worksheet if key.startswith("area=AZ-LAC|years=")), key=len
    )  # every year of the period, not one of them
    in_years = Casualty.objects.filter(
        incident__area__code="AZ-LAC",
        incident__in=Incident.objects.public(),
        incident__occurred_on__year__range=(START.year, END.year),
    ).count()
    assert second.worksheet[name][0] == in_years
    assert abs(after["AZ-LAC"] - in_years) <= disclosure.MAX_PERTURBATION
    assert in_years > true_count  # the tables are of whole years: 2024 to December
    assert changed == {"AZ-LAC"}


def table_of(snapshot: Snapshot, key: str) -> dict:
    return next(table for table in snapshot.content["tables"] if table["key"] == key)


def test_re_taking_a_snapshot_after_each_late_report_singles_no_one_out(register, reviewer):
    """The careless office: the same period is snapshotted again after every late report
    (all in one district). A per-figure threshold alone would redraw the district's figure
    with the report that makes its count cross K, and so point at that report. Here
    figures move only in a snapshot taken refresh_step() register changes or more after
    the last one that could move them: no change follows one report."""
    taken = [take(reviewer)]
    revisions = [snapshots.register_revisions()]
    for _report in range(3 * snapshots.refresh_step()):
        add_late_report()
        taken.append(take(reviewer, supersedes=taken[-1], reason="A late report."))
        revisions.append(snapshots.register_revisions())

    figures = [protected_figures(snapshot) for snapshot in taken]
    changed_at = [n for n in range(1, len(taken)) if figures[n] != figures[n - 1]]
    assert changed_at  # the figures do follow the register, in batches
    since = [0, *changed_at]
    for earlier, later in itertools.pairwise(since):
        assert revisions[later] - revisions[earlier] >= snapshots.refresh_step()


def test_exact_totals_are_not_given_for_end_days_close_together(register, reviewer):
    """Walking the end day one at a time would give every casualty's date, outcome and
    status: a cumulative snapshot ending within four weeks of another one's end has its
    national totals protected; a correction of the same period, or a month later, is exact."""
    first = take(reviewer)
    next_day = take(reviewer, end=END + datetime.timedelta(days=1))
    correction = take(reviewer, supersedes=first, reason="A correction.")
    month_later = take(reviewer, end=END + datetime.timedelta(days=snapshots.EXACT_SPACING_DAYS))

    assert first.content["exact_national_figures"] is True
    assert next_day.content["exact_national_figures"] is False
    assert next_day.content["headline"]["exact"] == []
    assert correction.content["exact_national_figures"] is True
    assert month_later.content["exact_national_figures"] is True


def test_an_empty_period_cannot_reset_figures_into_new_draws(register, reviewer):
    """An attack from the review: a snapshot of a period with nobody in it (every count 0)
    so that the next one redraws everything, again and again, to average the draws. The
    same people get the same figure whatever was taken in between."""
    first = take(reviewer)
    draws = []
    for shift in (1, 2, 3):
        take(reviewer, start=datetime.date(1990, 1, 1), end=datetime.date(1990, 1, 1))
        again = snapshots.compute(
            (START - datetime.timedelta(days=shift), END), snapshots.earlier_worksheet()
        )[0]
        draws.append(protected_figures(Snapshot(content=again)))
    assert all(draw == protected_figures(first) for draw in draws)


def test_a_snapshot_and_todays_figures_do_not_single_out_a_new_casualty(register, reviewer):
    """A snapshot of everything to today, then one new casualty: the attacker compares the
    snapshot's tables with today's live tables. Their figures are drawn under different
    names, so nearly every row differs, and "changed" no longer points at anyone."""
    snapshot = take(reviewer, end=datetime.date.today())
    add_late_report()
    cache.clear()
    live = {
        "area": figures.by_district(),
        "device_category": figures.by_device_category(),
        "activity": figures.by_activity(),
    }

    for key, table in live.items():
        ours = {
            row: value
            for row, column, value, _exact in next(
                t for t in snapshot.content["tables"] if t["key"] == key
            )["figures"]
            if row != "total"
        }
        today = {row: table.row_totals[row].value for row, _label in table.rows}
        candidates = {row for row in today if today[row] != ours.get(row)}
        assert len(candidates) >= 3, (key, candidates)


def test_a_year_of_the_register_is_the_same_figure_in_every_later_snapshot(register, reviewer):
    """The same people are never drawn twice in snapshots, so figures cannot be averaged:
    the year 2022 (closed, unchanged) has the same protected figures in each snapshot."""
    snapshots_taken = [take(reviewer, end=day) for day in (END, datetime.date(2025, 4, 4))]
    years = [
        {
            (row, column): value
            for row, column, value, _e in next(
                t for t in s.content["tables"] if t["key"] == "month,outcome:2022"
            )["figures"]
        }
        for s in snapshots_taken
    ]
    assert years[0] == years[1]


def test_areas_outside_the_register_do_not_appear(register, reviewer):
    AreaFactory(code="AZ-ZZZ", name="Nowhere")
    snapshot = take(reviewer)
    area = next(t for t in snapshot.content["tables"] if t["key"] == "area")
    assert "AZ-ZZZ" not in {row for row, *_rest in area["figures"]}


def test_the_snapshot_page_lists_every_figure_a_statement_can_cite(client, register, reviewer):
    snapshot = take(reviewer)

    page = client.get("/ru/casualties/snapshots/1/").text

    for name in snapshots.PLACEHOLDERS:
        assert f"<code>[[{name}]]</code>" in page
    share = snapshot.figures["share.outside_mapped_areas.last_year"]
    assert f"<td>{share}\xa0%</td>" in page  # as a Russian statement writes it
    assert "<td>50</td>" in page  # killed.civilian, which the statement's box shows


def test_the_csv_download_has_the_shares_of_incidents(client, register, reviewer):
    snapshot = take(reviewer)

    lines = client.get("/en/casualties/snapshots/1.csv").text.splitlines()

    share = snapshot.figures["share.outside_mapped_areas.last_year"]
    expected = f"shares,years,last_year:2023-2023,figure,outside_mapped_areas,{share}"
    assert any(line.startswith(expected + ",") for line in lines)


def test_years_outside_a_period_are_said_to_be_so_and_the_older_comes_first(
    client, register, reviewer
):
    take(reviewer)
    take(reviewer, end=datetime.date(2025, 4, 4))
    take(reviewer, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 4, 4))

    page = client.get("/en/casualties/snapshots/1...2/").text
    backwards = client.get("/en/casualties/snapshots/2...1/")

    assert '<th scope="row">2025</th><td>not in the period</td>' in page
    assert backwards.status_code == 302
    assert backwards["Location"] == "/en/casualties/snapshots/1...2/"
    assert client.get("/en/casualties/snapshots/1...1/").status_code == 404
    # Snapshot 3 starts on another day: it is compared with no earlier one; 2 with 1.
    assert "What changed since" not in client.get("/en/casualties/snapshots/3/").text
    assert "What changed since snapshot 1" in client.get("/en/casualties/snapshots/2/").text


def test_the_same_people_get_the_same_figure_in_snapshots_of_any_period(register, reviewer):
    """Repetition averages nothing away: windows that differ by days with no casualty in
    them, taken with or without the hold, publish every protected figure identically."""
    first_day = min(Incident.objects.values_list("occurred_on", flat=True))
    starts = [START - datetime.timedelta(days=5), START, first_day]  # the same people
    assert len(set(starts)) == 3
    contents = [snapshots.compute((start, END), {}, hold=False)[0] for start in starts]

    def published(content):
        return protected_figures(Snapshot(content=content))

    first = published(contents[0])
    for other in contents[1:]:
        assert published(other) == first


def test_in_a_period_within_one_year_the_year_is_not_a_second_name(register, reviewer):
    snapshot = take(reviewer, start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    tables = {table["key"]: table for table in snapshot.content["tables"]}
    by_area = {row: value for row, _c, value, _e in tables["area"]["figures"]}
    by_year_and_area = {
        column: value for row, column, value, _e in tables["year,area"]["figures"] if row == "2023"
    }
    assert by_area == {**by_year_and_area, "total": by_area["total"]}


def test_moving_a_periods_first_day_past_one_casualty_changes_no_protected_figure(
    register, reviewer
):
    """Two periods that differ by one day holding one casualty: subtracting them would say
    where that person was, if any figure moved. None does."""
    days = Counter(
        Casualty.objects.filter(incident__in=Incident.objects.public()).values_list(
            "incident__occurred_on", flat=True
        )
    )
    lone = next(day for day in sorted(days) if days[day] == 1 and day > datetime.date(2022, 1, 1))
    before = take(reviewer, start=lone, end=END)
    after = take(reviewer, start=lone + datetime.timedelta(days=1), end=END)

    assert protected_figures(after) == protected_figures(before)


def test_another_period_altogether_gets_its_own_figures(register, reviewer):
    """Holding is for small moves: a snapshot of one year, after one of everything since the
    conflict, shows that year's figures, not the earlier snapshot's."""
    take(reviewer)
    year = take(reviewer, start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))

    lachin = Casualty.objects.filter(
        incident__in=Incident.objects.public(),
        incident__area__code="AZ-LAC",
        incident__occurred_on__year=2023,
    ).count()
    shown = {row: value for row, _c, value, _e in table_of(year, "area")["figures"]}
    assert lachin >= disclosure.min_cell() + disclosure.MAX_PERTURBATION
    assert abs(shown["AZ-LAC"] - lachin) <= disclosure.MAX_PERTURBATION


def test_data_quality_compares_figures_of_the_same_people(client, register, reviewer):
    """The headline's exact total is the period's, day for day; the shares of known sex, age
    and status are of the whole years' protected figures, so none is above 100 %."""
    snapshot = take(reviewer)
    quality = snapshot.content["headline"]["quality"]
    assert all(value is not None and 50 <= value <= 100 for value in quality.values())
    assert quality["sex"] < 100  # the demo register has casualties of unknown sex
