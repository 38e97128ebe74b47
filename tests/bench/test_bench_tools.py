"""The benchmark's own arithmetic and bookkeeping, checked without running a benchmark."""

import json

import pytest

from bench import tools


def wrk_run(latency, *, seconds=10, cpu_seconds=1.0):
    return tools.WrkRun(
        requests=sum(count for _value, count in latency),
        duration_us=seconds * 1_000_000,
        errors={"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0},
        latency=latency,
        cpu_seconds=cpu_seconds,
    )


def test_percentile_is_the_smallest_latency_that_covers_the_share_of_requests():
    histogram = [(1000, 50), (2000, 49), (9000, 1)]
    assert tools.percentile(histogram, 50) == 1000
    assert tools.percentile(histogram, 51) == 2000
    assert tools.percentile(histogram, 99) == 2000
    assert tools.percentile(histogram, 99.5) == 9000
    assert tools.percentile(histogram, 100) == 9000


def test_percentile_of_an_unsorted_histogram_counts_in_latency_order():
    assert tools.percentile([(300, 1), (100, 1), (200, 1)], 50) == 200


def test_percentile_of_a_single_request_is_its_latency():
    assert tools.percentile([(4321, 1)], 1) == 4321
    assert tools.percentile([(4321, 1)], 99) == 4321


@pytest.mark.parametrize("q", [0, -1, 100.1])
def test_percentile_outside_the_range_is_refused(q):
    with pytest.raises(ValueError, match="outside"):
        tools.percentile([(1, 1)], q)


def test_percentile_of_nothing_is_refused():
    with pytest.raises(ValueError, match="no latencies"):
        tools.percentile([], 50)


def test_merged_histograms_add_the_counts_of_equal_latencies():
    merged = tools.merge_histograms([(100, 2), (300, 1)], [(100, 1), (200, 4)])
    assert merged == [(100, 3), (200, 4), (300, 1)]


def test_the_wrk_report_line_is_found_after_wrks_own_summary():
    report = {
        "requests": 3,
        "duration_us": 2_000_000,
        "errors": {"connect": 0, "read": 1, "write": 0, "status": 2, "timeout": 0},
        "latency": [[150, 2], [900, 1]],
    }
    output = (
        "Running 2s test @ http://127.0.0.1:8000/\n  3 requests in 2.00s\n"
        f"{tools.WRK_REPORT_PREFIX}{json.dumps(report)}\n"
    )
    run = tools.parse_wrk_report(output)
    assert run.requests == 3
    assert run.duration_us == 2_000_000
    assert run.error_count == 3
    assert run.latency == [(150, 2), (900, 1)]


def test_wrk_output_without_the_report_line_is_an_error():
    with pytest.raises(ValueError, match="no report line"):
        tools.parse_wrk_report("Running 2s test @ http://127.0.0.1:8000/\n")


def test_a_measurement_over_rounds_pools_requests_time_and_latencies():
    measurement = tools.Measurement("home", "/")
    measurement.runs = [
        wrk_run([(1000, 900), (5000, 100)], seconds=10, cpu_seconds=1.5),
        wrk_run([(2000, 1000)], seconds=10, cpu_seconds=0.5),
    ]
    assert measurement.requests == 2000
    assert measurement.requests_per_second == 100
    assert measurement.cpu_us_per_request == 1000
    assert measurement.rounds_per_second == [100, 100]
    assert measurement.latency_us(50) == 2000
    assert measurement.latency_us(99) == 5000


def test_ratios_compare_throughput_as_a_share_and_latency_and_cpu_as_multiples():
    baseline = tools.Measurement("trivial", "/bench/trivial", [wrk_run([(1000, 1000)])])
    page = tools.Measurement("page", "/", [wrk_run([(4000, 250)], cpu_seconds=0.75)])
    assert tools.ratios(page, baseline) == {"rps": 0.25, "p50": 4.0, "p99": 4.0, "cpu": 3.0}
    assert set(tools.ratios(baseline, baseline).values()) == {1.0}


def test_cpu_spent_counts_new_processes_in_full_and_old_ones_by_their_growth():
    before = {10: 5.0, 11: 2.0, 12: 9.0}
    after = {10: 5.5, 11: 2.25, 13: 0.5}  # 12 ended, 13 started
    assert tools.cpu_spent(before, after) == 1.25


def test_the_results_table_has_a_row_per_endpoint_with_its_ratios():
    baseline = tools.Measurement("trivial", "/bench/trivial", [wrk_run([(1000, 1000)])])
    page = tools.Measurement("page", "/", [wrk_run([(4000, 250)], cpu_seconds=0.75)])
    table = tools.results_table([baseline, page], baseline).splitlines()
    assert len(table) == 4
    assert table[2].startswith("| trivial | `/bench/trivial` | 100 | 100–100 | 1.00 ms |")
    assert table[3].endswith("| 3.00 ms | 0.25 | 4.00 | 4.00 | 3.00 |")


def test_milliseconds_keep_two_decimals_below_ten():
    assert tools.format_ms(1234) == "1.23 ms"
    assert tools.format_ms(12345) == "12.3 ms"


DOCUMENT = """# Performance

Intro.

<!-- bench:foundation:start -->
## Foundation
old figures
<!-- bench:foundation:end -->

<!-- bench:feeds:start -->
## Feeds
kept
<!-- bench:feeds:end -->
"""


def test_rewriting_a_section_changes_only_that_section():
    rewritten = tools.replace_section(DOCUMENT, "foundation", "## Foundation\nnew figures\n")
    assert "new figures" in rewritten
    assert "old figures" not in rewritten
    assert rewritten.startswith("# Performance\n\nIntro.\n\n<!-- bench:foundation:start -->\n")
    assert rewritten.endswith(
        "<!-- bench:feeds:start -->\n## Feeds\nkept\n<!-- bench:feeds:end -->\n"
    )


def test_rewriting_a_section_twice_gives_the_same_document():
    once = tools.replace_section(DOCUMENT, "foundation", "## Foundation\nnew")
    assert tools.replace_section(once, "foundation", "## Foundation\nnew") == once


def test_a_missing_section_is_appended_with_its_markers():
    rewritten = tools.replace_section("# Performance\n", "foundation", "## Foundation\nfigures")
    assert rewritten == (
        "# Performance\n\n<!-- bench:foundation:start -->\n## Foundation\nfigures\n"
        "<!-- bench:foundation:end -->\n"
    )


@pytest.mark.parametrize(
    "document",
    [
        "<!-- bench:foundation:start -->\nno end\n",
        "<!-- bench:foundation:end -->\n<!-- bench:foundation:start -->\n",
        DOCUMENT + DOCUMENT,
    ],
)
def test_broken_markers_are_refused_rather_than_guessed(document):
    with pytest.raises(ValueError, match="foundation"):
        tools.replace_section(document, "foundation", "anything")


def test_the_trivial_view_answers_without_the_database(client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    response = client.get("/bench/trivial")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_memory_table_finds_gunicorns_workers_under_the_served_process():
    """`agora serve` becomes gunicorn's master: the workers are its children, and with
    `--with-worker` they are one level further down; either way they are the leaves."""
    from bench.run import MemorySampler

    sampler = MemorySampler(group=100)
    sampler.parents = {100: 1, 101: 100, 102: 100}  # master, two workers
    sampler.peaks_kib = {100: 50_000, 101: 90_000, 102: 80_000}
    assert sampler.web_worker_peaks_mb() == [90_000 * 1024 / 1e6, 80_000 * 1024 / 1e6]
    sampler.parents = {100: 1, 200: 100, 201: 200, 202: 200, 300: 100}
    sampler.peaks_kib = {100: 1, 200: 2, 201: 3, 202: 4, 300: 5}
    assert len(sampler.web_worker_peaks_mb()) == 3  # the two workers, and the task worker


def test_a_bench_that_did_not_measure_says_so_and_fails():
    from types import SimpleNamespace

    from bench.run import BenchError, check_every_message_written, measured_web_workers

    with pytest.raises(BenchError, match="found the memory of 0 of the 2 gunicorn workers"):
        measured_web_workers([], SimpleNamespace(web_workers=2))
    assert measured_web_workers([80.0, 90.0], SimpleNamespace(web_workers=2)) == [80.0, 90.0]
    with pytest.raises(BenchError, match="200 email tasks finished but 25 messages"):
        check_every_message_written(200, 25)
    check_every_message_written(200, 200)


def measured(cpu_seconds_by_name):
    baseline = tools.Measurement("trivial", "/bench/trivial", [wrk_run([(1000, 1000)])])
    pages = [
        tools.Measurement(name, "/", [wrk_run([(4000, 1000)], cpu_seconds=cpu)])
        for name, cpu in cpu_seconds_by_name.items()
    ]
    return [baseline, *pages], baseline


RECORDED = tools.replace_section(
    "# Performance\n", "foundation", tools.results_table(*measured({"page": 2.0, "home": 2.5}))
)


def test_the_recorded_cpu_ratios_are_read_from_the_sections_table():
    # What a previous run wrote: its table between the section's markers.
    assert tools.recorded_cpu_ratios(RECORDED, "foundation") == {
        "trivial": 1.0,
        "page": 2.0,
        "home": 2.5,
    }
    assert tools.recorded_cpu_ratios(RECORDED, "social") == {}
    assert tools.recorded_cpu_ratios("# Performance\n", "foundation") == {}


def test_a_page_that_grew_past_its_recorded_figure_by_more_than_the_margin_fails():
    measurements, baseline = measured({"page": 2.4, "home": 3.2})  # ratios 2.4 and 3.2
    problems = tools.slower_pages(
        measurements,
        baseline,
        recorded=tools.recorded_cpu_ratios(RECORDED, "foundation"),
        margin=0.25,
        targets={},
    )
    # 2.4 is within 25 % of 2.0; 3.2 is more than 25 % over 2.5.
    assert problems == ["home: CPU ratio 3.20, recorded 2.50 (more than 25% over)"]


def test_a_page_over_its_target_fails_even_when_it_was_recorded_so():
    measurements, baseline = measured({"home": 2.6})
    problems = tools.slower_pages(
        measurements, baseline, recorded={"home": 2.5}, margin=0.25, targets={"home": 2.5}
    )
    assert problems == ["home: CPU ratio 2.60, target 2.50"]


def test_a_page_as_fast_as_recorded_or_faster_passes_and_a_new_page_has_no_figure_to_grow_past():
    measurements, baseline = measured({"page": 1.0, "new page": 9.0})
    problems = tools.slower_pages(
        measurements, baseline, recorded={"page": 2.0}, margin=0.25, targets={}
    )
    assert problems == []


def test_the_proposals_bench_fails_on_a_slow_p99_or_queries_that_grow_with_the_size():
    from bench.proposals import problems
    from bench.social import Figures

    def figures(p99: float, queries: int) -> Figures:
        return Figures([1.0] * 98 + [p99] * 2, [1.0] * 100, 0.5, queries)  # p99: the 99th of 100

    steady = [(100, "visitor", "list", figures(20, 8)), (10_000, "visitor", "list", figures(24, 8))]
    assert problems(steady) == []
    slow = [*steady, (1_000_000, "visitor", "list", figures(25, 8))]
    assert problems(slow) == ["visitor, list at 1,000,000: p99 25.0 ms"]
    growing = [*steady, (1_000_000, "visitor", "list", figures(20, 9))]
    assert problems(growing) == ["visitor, list: queries [8, 9]"]
