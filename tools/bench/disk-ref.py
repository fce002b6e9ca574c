#!/usr/bin/env python3
"""The disk's own write rate, as a reference for the stores in the same run (issue 13).

    python3 tools/bench/disk-ref.py DIR [SECONDS] [FRAMES_PER_COMMIT]

Two phases of SECONDS each (default 5), in a scratch file in DIR (deleted after):

log    frames appended as SQLite's WAL writes them (a 24-byte header, then a 4 KB page: two
       pwrite calls a frame), an fsync every FRAMES_PER_COMMIT frames (default 128, a commit);
pages  4 KB pages written at random places in a 256 MB file, 1,000 at a time in ascending order
       and then an fsync (a checkpoint copying WAL pages back into the database: SQLite's writes
       them sorted by page number; sorting doubles this disk's rate against random order).

Prints one line: RESULT log_mb_s=... log_frames_s=... log_fsync_ms=... pages_s=...
(log_mb_s in MB of 1,048,576 bytes, as vote-bench.sh's per-vote figures; log_fsync_ms: the mean
time of one fsync in the log phase). The log phase appends to a new file, which the file system
must also allocate: SQLite's WAL, once it has restarted, overwrites space it already has, so
this reads a little low for it. Pure Python's own cost per call is
about a microsecond, well under the disk's; nothing here is the project's code.
"""
import os
import random
import sys
import time

PAGE = 4096
HEADER = 24


def log_phase(path, seconds, per_commit):
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    page, header = os.urandom(PAGE), b"\0" * HEADER
    frames = fsyncs = 0
    fsync_time = 0.0
    offset = 0
    start = time.perf_counter()
    try:
        while time.perf_counter() - start < seconds:
            for _ in range(per_commit):
                os.pwrite(fd, header, offset)
                os.pwrite(fd, page, offset + HEADER)
                offset += HEADER + PAGE
            t = time.perf_counter()
            os.fsync(fd)
            fsync_time += time.perf_counter() - t
            frames += per_commit
            fsyncs += 1
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
        os.unlink(path)
    return frames * (HEADER + PAGE) / elapsed / 1048576, frames / elapsed, fsync_time / fsyncs * 1e3


def pages_phase(path, seconds):
    size = 256 * 1024 * 1024
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        chunk = os.urandom(1 << 20)
        for offset in range(0, size, len(chunk)):   # written, not sparse: a database file is
            os.pwrite(fd, chunk, offset)
        os.fsync(fd)
        page, slots, pages = os.urandom(PAGE), size // PAGE, 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            for slot in sorted(random.randrange(slots) for _ in range(1000)):
                os.pwrite(fd, page, slot * PAGE)
            os.fsync(fd)
            pages += 1000
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
        os.unlink(path)
    return pages / elapsed


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    per_commit = int(sys.argv[3]) if len(sys.argv) > 3 else 128
    if seconds <= 0 or per_commit <= 0:
        sys.exit("SECONDS and FRAMES_PER_COMMIT must be above 0")
    scratch = os.path.join(folder, f"disk-ref-{os.getpid()}.tmp")
    log_mb_s, log_frames_s, fsync_ms = log_phase(scratch, seconds, per_commit)
    pages_s = pages_phase(scratch, seconds)
    print(f"RESULT log_mb_s={log_mb_s:.1f} log_frames_s={log_frames_s:.0f} log_fsync_ms={fsync_ms:.2f} pages_s={pages_s:.0f}")


if __name__ == "__main__":
    main()
