-- The operator audit log: who (the name of the operator's key) did what to which thing, when, in
-- which request. Append-only: rows are never updated or deleted.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    details    TEXT
);
