-- "Your turn is near": a phone number left on a ticket's page (`[notify]`), kept until the
-- message is taken for sending or the ticket ends, whichever comes first; the row then stays
-- without it until the day is over, so a ticket is told once.
CREATE TABLE near_requests (
    centre text NOT NULL REFERENCES centres (id),
    key text NOT NULL,
    day date NOT NULL,
    phone text,
    ahead integer NOT NULL,
    lang text NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    PRIMARY KEY (centre, key)
);
CREATE INDEX near_requests_waiting ON near_requests (centre) WHERE phone IS NOT NULL;

-- Messages due to the province's gateway, taken by any hub process (FOR UPDATE SKIP LOCKED)
-- and deleted, number and all, once delivered or given up.
CREATE TABLE near_outbox (
    id bigserial PRIMARY KEY,
    centre text NOT NULL,
    key text NOT NULL,
    body jsonb NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_try timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX near_outbox_due ON near_outbox (next_try);
