-- Every text a carrier delivered, once per carrier and message id, with what it got and the reply
-- it was sent, so a redelivery (concurrent or days later) is answered as the first delivery was.
-- Written in the transaction of the vote batch that judged the text, with the vote, the reply's
-- outbox row and, for a counted vote, the carrier charge and its outbox row.
CREATE TABLE sms_messages (
    id                  INTEGER PRIMARY KEY,
    carrier             TEXT NOT NULL CHECK (carrier IN ('smart', 'cellcard', 'metfone')),
    message_id          TEXT NOT NULL,
    sender              TEXT NOT NULL,
    short_code          TEXT NOT NULL,
    text                TEXT NOT NULL,
    carrier_received_at INTEGER NOT NULL,
    arrived_at          INTEGER NOT NULL,
    episode_id          INTEGER,
    voter_id            INTEGER,
    vote_id             INTEGER,
    vote_count          INTEGER NOT NULL DEFAULT 0,
    outcome             TEXT NOT NULL,
    reply               TEXT NOT NULL,
    -- The sender's prefix belongs to another carrier than the one that delivered the text: a
    -- fraud signal on the vote, never a reason to refuse it.
    carrier_mismatch    INTEGER NOT NULL DEFAULT 0,
    -- Counted although it reached us after the close, because the carrier received it before.
    late                INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    UNIQUE (carrier, message_id)
);
CREATE INDEX sms_messages_episode ON sms_messages (episode_id, carrier);
CREATE INDEX sms_messages_vote ON sms_messages (vote_id) WHERE vote_id IS NOT NULL;
