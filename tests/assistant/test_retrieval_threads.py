"""The keyword search runs beside the question's embedding, on threads of its own process."""

from __future__ import annotations

import os

from assistant import retrieval


def test_a_forked_process_searches_on_threads_of_its_own() -> None:
    # A child forked after the parent searched inherits the parent's pool object but none
    # of its threads: work handed to that pool would wait forever.
    parent = retrieval._searches()
    assert parent.submit(lambda: 1).result(timeout=5) == 1
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if its own pool runs the work
        try:
            pool = retrieval._searches()
            ok = pool is not parent and pool.submit(lambda: 2).result(timeout=5) == 2
        except BaseException:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert retrieval._searches() is parent
