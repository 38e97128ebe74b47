"""The process page and the proposal list profiled in this process, on a database
`bench/proposals.py --keep` left: CPU time per request (`time.thread_time`, median and mean of
`--runs`), which waiting for a busy machine's CPUs moves little, the query count, and with
`--profile` the functions that took the most of it (cProfile, cumulative).

Run `.venv/bin/python bench/proposals.py --sizes 100 --keep --no-write` first, then
`.venv/bin/python bench/proposals_cpu.py [--profile "process page, rendered"]`.
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="agora_bench_proposals")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--profile", default="", help="a page's name: profile it")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument("--only", default="", help="measure the pages whose name holds this")
    options = parser.parse_args()
    from bench.proposals import FreshInProcess, pages_to_measure, setup_django
    from bench.social import InProcess

    setup_django(options.database)
    from django.conf import settings

    from agora.accounts.models import User
    from bench import run

    resident = User.objects.get(handle="bench2")
    cookie = f"{settings.SESSION_COOKIE_NAME}={run.signed_in_session(resident)}"
    runner, fresh = InProcess(options.database), FreshInProcess(options.database)
    for who, name, path, page_cookie, expect in pages_to_measure(cookie):
        if options.only not in f"{who} {name}":
            continue
        chosen = fresh if name.endswith("rendered") else runner
        for _ in range(5):
            status, body = chosen.get(path, page_cookie)
            if not status.startswith("200") or expect not in body:
                raise RuntimeError(f"{path} answered {status}")
        queries = len(chosen.statements(path, page_cookie))
        cpu = []
        for _ in range(options.runs):
            started = time.thread_time()
            chosen.get(path, page_cookie)
            cpu.append((time.thread_time() - started) * 1000)
        print(
            f"{who:8} {name:24} CPU median {statistics.median(cpu):5.2f} ms "
            f"mean {statistics.fmean(cpu):5.2f} ms  {queries} queries",
            flush=True,
        )
        if options.profile and options.profile == name and who in ("visitor", "resident"):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(options.runs):
                chosen.get(path, page_cookie)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(options.sort).print_stats(options.lines)
            options.profile = ""
    return 0


if __name__ == "__main__":
    sys.exit(main())
