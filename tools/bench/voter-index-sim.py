#!/usr/bin/env python3
# The cost of the indexes of `votes` keyed by voter, in isolation (BENCHMARKS.md, "One index of votes
# keyed by voter"): 3 million vote rows inserted in batches of 250 (WAL, synchronous=FULL, a 64 MB
# page cache, 20,000 voters at random), with votes_voter and the partial idempotency index, then with
# the one unique index of migration 0012; prints the seconds per half million. Writes only under
# the directory given (default: a temporary one).
#   python3 tools/bench/voter-index-sim.py [dir]
import sqlite3, random, time, os, sys, tempfile
DIR = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix='voter-index-')
def run(drop_voter_index, path, total=3_000_000, batch=250):
    for f in [path, path+'-wal', path+'-shm']:
        if os.path.exists(f): os.remove(f)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL"); c.execute("PRAGMA cache_size=-65536")
    c.execute("""CREATE TABLE votes (id INTEGER PRIMARY KEY, voter_id INTEGER NOT NULL, episode_id INTEGER NOT NULL, contestant_id INTEGER NOT NULL,
      vote_type TEXT NOT NULL, vote_count INTEGER NOT NULL, amount_cents INTEGER NOT NULL DEFAULT 0, currency TEXT, payment_method TEXT NOT NULL,
      bundle_id INTEGER, transaction_id TEXT, idempotency_key TEXT, request_hash TEXT, loyalty_points INTEGER NOT NULL, ip TEXT, user_agent TEXT,
      device_id TEXT, app_version TEXT, created_at INTEGER NOT NULL)""")
    c.execute("CREATE INDEX votes_episode ON votes (episode_id, id)")
    if not drop_voter_index: c.execute("CREATE INDEX votes_voter ON votes (voter_id, id)")
    c.execute("CREATE UNIQUE INDEX votes_idempotency ON votes (voter_id, idempotency_key)" + ("" if drop_voter_index else " WHERE idempotency_key IS NOT NULL"))
    rnd = random.Random(1); n = 0; t0 = time.perf_counter(); marks = []
    sql = "INSERT INTO votes (id, voter_id, episode_id, contestant_id, vote_type, vote_count, amount_cents, payment_method, idempotency_key, request_hash, loyalty_points, ip, user_agent, device_id, app_version, created_at) VALUES (?,?,1,?,'paid',1,0,'wallet',?,?,1,'127.0.0.1','wrk','dev-123456','1.0',0)"
    while n < total:
        c.execute("BEGIN IMMEDIATE")
        rows = []
        for k in range(batch):
            n += 1; v = rnd.randrange(1, 20001)
            rows.append((n, v, rnd.randrange(1, 6), 'k-%d-%d' % (v, n), 'h%030d' % n))
        c.executemany(sql, rows)
        c.execute("COMMIT")
        if n % 500_000 == 0:
            t = time.perf_counter(); marks.append((n, t - t0)); t0 = t
    for f in [path, path + '-wal', path + '-shm']:
        if os.path.exists(f): os.remove(f)
    return marks
for drop in (False, True):
    m = run(drop, os.path.join(DIR, 'idx.db'))
    print("drop_voter_index" if drop else "three indexes   ", " ".join("%dk:%.1fs" % (n//1000, dt) for n, dt in m), flush=True)
