-- Booking a number ahead (`[booking]`): the one-time codes that confirm a phone, and the
-- bookings, which each centre pulls after the last `seq` it holds. A phone is kept only as a
-- SHA-256 digest: enough to count one person's bookings of a day, not to call them.
CREATE TABLE booking_codes (
    phone_sha256 bytea PRIMARY KEY,
    code_sha256 bytea NOT NULL,
    sent_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    day date NOT NULL,
    sent_on_day integer NOT NULL
);
CREATE INDEX booking_codes_sent ON booking_codes (sent_at);

CREATE TABLE bookings (
    seq bigserial PRIMARY KEY,
    code text NOT NULL UNIQUE,
    centre text NOT NULL REFERENCES centres (id),
    service text NOT NULL,
    day date NOT NULL,
    -- The window, in minutes after local midnight.
    window_start integer NOT NULL,
    window_end integer NOT NULL,
    phone_sha256 bytea NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX bookings_slot ON bookings (centre, service, day, window_start);
CREATE INDEX bookings_phone ON bookings (phone_sha256, day);
CREATE INDEX bookings_centre ON bookings (centre, seq);
