-- The centres allowed to push (upserted from [[centres]] at every start), with how far each
-- has been received.
CREATE TABLE centres (
    id text PRIMARY KEY,
    name text NOT NULL,
    token_sha256 bytea NOT NULL UNIQUE,
    acked bigint NOT NULL DEFAULT 0,
    last_event_at timestamptz,
    last_received_at timestamptz
);

-- Every event of every centre, as the centre sent it (staff already stripped by the centre).
CREATE TABLE events (
    centre text NOT NULL REFERENCES centres (id),
    id bigint NOT NULL,
    at timestamptz NOT NULL,
    day date NOT NULL,
    ticket bigint,
    body jsonb NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (centre, id)
);
CREATE INDEX events_ticket ON events (centre, ticket) WHERE ticket IS NOT NULL;

-- One row per ticket, folded from its events by shared::report::visits: what reports read.
CREATE TABLE visits (
    centre text NOT NULL REFERENCES centres (id),
    ticket bigint NOT NULL,
    day date NOT NULL,
    number text NOT NULL,
    issued_service text NOT NULL,
    service text NOT NULL,
    priority text,
    issued_at timestamptz NOT NULL,
    first_called_at timestamptz,
    first_counter text,
    first_staff text,
    finished_counter text,
    finished_staff text,
    service_s integer,
    no_show boolean NOT NULL,
    transfers integer NOT NULL,
    rating text,
    PRIMARY KEY (centre, ticket)
);
CREATE INDEX visits_day ON visits (day, centre);

-- Dashboard sessions: the cookie's SHA-256, never the cookie.
CREATE TABLE sessions (
    token_sha256 bytea PRIMARY KEY,
    login text NOT NULL,
    expires_at timestamptz NOT NULL
);

-- Failed sign-ins, counted across every hub process.
CREATE TABLE sign_in_failures (
    login text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_login ON sign_in_failures (login, at);

-- The procedure catalogue published to the centres, newest version last.
CREATE TABLE catalogues (
    version bigserial PRIMARY KEY,
    etag text NOT NULL,
    body text NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now()
);
