"""Run the whole-pipeline property (``tests/fuzzing.py``) on demand, far beyond the test suite's 2,000.

    python bench/fuzz.py                 # 100,000 examples
    python bench/fuzz.py 20000 --seed 7  # a chosen number, another seed

Prints the number of examples run and the first failure (shrunk to a small example), if any.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzzing import check_pipeline, mutations
from hypothesis import HealthCheck, Phase, given, seed, settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", nargs="?", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    count = 0

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(mutations)
    def run(changes: list[tuple]) -> None:
        nonlocal count
        count += 1
        check_pipeline(changes)

    start = time.monotonic()
    try:
        run()
    except Exception as exc:  # the failure is the report
        print(f"FAILED after {count} examples ({time.monotonic() - start:.0f} s): {exc!r}")
        for failure in getattr(exc, "exceptions", [exc]):
            print(f"- {failure!r}", *getattr(failure, "__notes__", []), sep="\n  ")
        return 1
    print(f"{count} examples, no failure ({time.monotonic() - start:.0f} s, seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
