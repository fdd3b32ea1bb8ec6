#!/bin/sh
# Benchmark of the incident journal: events/s with fdatasync, append p50/p99, the replay of a
# 100,000-event journal (target under 200 ms), journal bytes per hour of a busy incident.
# Builds and runs tests/bench/bench_journal.c (APPENDS: how many synced appends, default 2000).
set -eu
make -s build/tests/bench/bench_journal >/dev/null
echo "== journal (tests/bench/bench_journal.c, under ${TMPDIR:-/tmp})"
./build/tests/bench/bench_journal "${APPENDS:-2000}"
