"""Questions and problem reports: routing, timeline, transfers, answers, Open311."""
