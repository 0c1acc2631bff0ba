"""Worker processes for CPU-bound rendering and evaluation.

Every pool starts its workers as fresh interpreters (``spawn``), never as forks. A fork copies
the parent's memory with its locks as they were at that instant, but only the forking thread:
a parent that has already run torch (its intra-op thread pool), read crops on threads or
logged from one can hand a child a lock no thread will release, and the child hangs for good.
That happened to a promotion's second content evaluation and to ``train-content --promote``
after training (2026-11-28). Spawning costs each worker a second or two of imports; the work
items are seconds to minutes each.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def spawned_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool of ``workers`` spawned workers (the function and arguments submitted
    must be picklable: module-level functions and plain data)."""
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("spawn"))
