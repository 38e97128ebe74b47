"""The labelled requests stay routed as well as they were when the bar was set. The figures
are in docs/performance.md (bench/routing.py); raise the bars here when the router improves."""

from collections import Counter

from bench.routing import accuracy, evaluate, load_cases
from tests.directory.conftest import DemoDirectoryTestCase

# Reached on 2026-11-25: office top-1 95.5% (held-out half 93.0%), office top-3 99.3%.
OFFICE_TOP1_BAR = 0.95
OFFICE_TOP3_BAR = 0.99
HELD_OUT_TOP1_BAR = 0.93
TOPIC_TOP1_BAR = 0.94


class RoutingQualityTests(DemoDirectoryTestCase):
    def test_the_labelled_set_is_large_bilingual_and_points_at_real_entries(self):
        cases = load_cases()
        assert len(cases) >= 200
        languages = Counter(case["language"] for case in cases)
        assert languages["en"] >= 100 and languages["es"] >= 100
        for case in cases:
            assert self.topic(case["topic"])
            assert self.office(case["office"])

    def test_routing_accuracy_stays_above_the_bar(self):
        groups = evaluate(load_cases())["groups"]
        assert accuracy(groups["all"], "office_top1") >= OFFICE_TOP1_BAR
        assert accuracy(groups["all"], "office_top3") >= OFFICE_TOP3_BAR
        assert accuracy(groups["held-out"], "office_top1") >= HELD_OUT_TOP1_BAR
        assert accuracy(groups["all"], "topic_top1") >= TOPIC_TOP1_BAR
