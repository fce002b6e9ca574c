-- Vote packages bought in the app (issue 9): the catalog, purchases credited to the wallet once per
-- store transaction, refunds as debits, and store notifications each applied once.

-- voters is rebuilt (SQLite cannot alter a CHECK): a store refund of votes already spent may take
-- vote_balance below zero (the voter owes votes and cannot cast paid votes until it is positive);
-- every voter gets an account_token, the UUID the app hands the store (appAccountToken on iOS,
-- obfuscatedAccountId on Android) so a receipt names the voter it was bought for; loyalty_tier is
-- gone (the tier follows from lifetime points). The migration runner applies migrations with
-- foreign keys off and checks them before it commits (SQLite's table-rebuild procedure).
CREATE TABLE voters_new (
    id                INTEGER PRIMARY KEY,
    phone             TEXT NOT NULL UNIQUE,
    phone_verified_at INTEGER,
    display_name      TEXT,
    province          TEXT,
    gender            TEXT,
    date_of_birth     TEXT,
    vote_balance      INTEGER NOT NULL DEFAULT 0,
    account_token     TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    created_at        INTEGER NOT NULL
);
INSERT INTO voters_new (id, phone, phone_verified_at, display_name, province, gender, date_of_birth, vote_balance, created_at)
    SELECT id, phone, phone_verified_at, display_name, province, gender, date_of_birth, vote_balance, created_at FROM voters;
DROP TABLE voters;
ALTER TABLE voters_new RENAME TO voters;

CREATE TABLE vote_packages (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    vote_count         INTEGER NOT NULL CHECK (vote_count > 0),
    bonus_votes        INTEGER NOT NULL DEFAULT 0 CHECK (bonus_votes >= 0),
    price_cents        INTEGER NOT NULL CHECK (price_cents >= 0),
    currency           TEXT NOT NULL,
    badge_text         TEXT,
    sort_order         INTEGER NOT NULL DEFAULT 0,
    ios_product_id     TEXT UNIQUE,
    android_product_id TEXT UNIQUE,
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

-- One row per store transaction (Apple transactionId, Google orderId, a test-store id): the key
-- that makes a receipt credit once. votes and amount are what was credited and paid (package ×
-- quantity, at the catalog's price when credited); status moves credited -> refunded -> credited
-- with the store's notifications, each move one wallet entry.
CREATE TABLE purchases (
    id                      INTEGER PRIMARY KEY,
    voter_id                INTEGER NOT NULL REFERENCES voters (id),
    platform                TEXT NOT NULL CHECK (platform IN ('ios', 'android', 'test')),
    transaction_id          TEXT NOT NULL,
    original_transaction_id TEXT,
    purchase_token          TEXT,
    product_id              TEXT NOT NULL,
    package_id              INTEGER NOT NULL REFERENCES vote_packages (id),
    package_name            TEXT NOT NULL,
    quantity                INTEGER NOT NULL CHECK (quantity > 0),
    votes                   INTEGER NOT NULL CHECK (votes > 0),
    amount_cents            INTEGER NOT NULL,
    currency                TEXT NOT NULL,
    environment             TEXT NOT NULL,
    status                  TEXT NOT NULL DEFAULT 'credited' CHECK (status IN ('credited', 'refunded')),
    purchased_at            INTEGER NOT NULL,
    created_at              INTEGER NOT NULL,
    refunded_at             INTEGER,
    UNIQUE (platform, transaction_id)
);
CREATE INDEX purchases_voter ON purchases (voter_id, id);
CREATE INDEX purchases_created ON purchases (created_at);
CREATE UNIQUE INDEX purchases_token ON purchases (purchase_token) WHERE purchase_token IS NOT NULL;

-- The purchase a wallet entry credits or debits (null for operator credits).
ALTER TABLE wallet_entries ADD COLUMN purchase_id INTEGER REFERENCES purchases (id);
CREATE INDEX wallet_entries_purchase ON wallet_entries (purchase_id) WHERE purchase_id IS NOT NULL;

-- Store notifications (App Store Server Notifications V2, Google Play's Pub/Sub pushes and the
-- voided-purchases poll), each applied once: outcome says what it did.
CREATE TABLE store_notifications (
    id                INTEGER PRIMARY KEY,
    source            TEXT NOT NULL CHECK (source IN ('appstore', 'googleplay')),
    notification_id   TEXT NOT NULL,
    notification_type TEXT NOT NULL,
    purchase_id       INTEGER REFERENCES purchases (id),
    outcome           TEXT NOT NULL CHECK (outcome IN ('debited', 'credited', 'ignored')),
    received_at       INTEGER NOT NULL,
    UNIQUE (source, notification_id)
);
