"""Pure figure builders: classes and colours of the map, charts."""

from __future__ import annotations

from dashboard import figures


def test_quantiles_with_no_data_class() -> None:
    values = [float(v) for v in range(100)] + [float("nan"), None]
    c = figures.classify(values, unit="%", k=5)
    assert c.method == "quantiles"
    assert c.k == 5
    assert c.classes[-2:] == (-1, -1)
    assert sorted(set(c.classes)) == [-1, 0, 1, 2, 3, 4]
    assert [e.count for e in c.entries] == [20, 20, 20, 20, 20, 2]
    assert c.entries[-1].colour == figures.NO_DATA
    assert "%" in c.entries[0].label
    assert c.entries[-1].label.startswith("geen gegevens")


def test_fixed_classes_for_stacking() -> None:
    c = figures.classify([0, 1, 1, 5, None], fixed=range(6))
    assert c.method == "fixed"
    assert c.classes == (0, 1, 1, 5, -1)
    assert [e.label for e in c.entries[:6]] == ["0", "1", "2", "3", "4", "5"]
    assert [e.count for e in c.entries] == [1, 2, 0, 0, 0, 1, 1]


def test_few_distinct_values_get_one_class_each() -> None:
    c = figures.classify([1, 1, 2, 3], k=5)
    assert c.method == "unique"
    assert c.classes == (0, 0, 1, 2)


def test_all_missing_gives_only_the_no_data_class() -> None:
    c = figures.classify([None, float("nan")])
    assert c.k == 0
    assert c.classes == (-1, -1)
    assert c.entries[-1].colour == figures.NO_DATA and c.colours == ()


def test_palettes_are_distinct_from_no_data() -> None:
    for palette in (figures.PROBLEM_PALETTE, figures.NEUTRAL_PALETTE):
        assert figures.NO_DATA not in palette
        assert len(set(palette)) == len(palette)


def test_profile_and_trend() -> None:
    fig = figures.profile(
        ["Wonen", "Onderwijs"], [("A", [10.0, None]), ("B", [float("nan"), 90.0])], threshold=80
    )
    assert [t["x"] for t in fig["data"]] == [[10.0, None], [None, 90.0]]
    assert fig["layout"]["shapes"][0]["x0"] == 80
    trend = figures.trend([2017, 2019], [("A", [1.0, None])], unit="%")
    assert trend["data"][0]["y"] == [1.0, None]


def test_more_fixed_classes_than_the_palette_has_get_blended_colours() -> None:
    levels = list(range(len(figures.PROBLEM_PALETTE) + 3))
    c = figures.classify(levels, fixed=levels)
    assert len(c.colours) == len(levels) == len(set(c.colours))
    assert (
        c.colours[0] == figures.PROBLEM_PALETTE[0] and c.colours[-1] == figures.PROBLEM_PALETTE[-1]
    )
    assert all(len(x) == 7 and x.startswith("#") for x in c.colours)
    assert list(c.classes) == levels
