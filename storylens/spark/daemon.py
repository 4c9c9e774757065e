"""PySpark's Python worker daemon, with what storylens's tasks share loaded before it forks
its workers (``spark.python.daemon.module``, set by storylens.spark).

PySpark starts one daemon per executor, which forks a worker process for each task slot.
Each worker would otherwise import storylens and load the spaCy pipeline itself (seconds of
CPU each); forked from a daemon that holds them, the workers share them, as the in-process
ingest's forked workers do.
"""

from __future__ import annotations

import contextlib

from pyspark import daemon

from ..clean import warm_up as warm_up_cleaning
from ..errors import StorylensError
from ..extract.nlp import pipeline
from ..group.stories import warm_up

if __name__ == "__main__":
    warm_up_cleaning()
    warm_up()
    # a missing model is reported by the tasks that need it, with its reason
    with contextlib.suppress(StorylensError):
        pipeline()
    daemon.manager()
