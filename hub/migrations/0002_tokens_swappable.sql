-- Two centres' tokens may be exchanged in one edit of hub.toml: a token's uniqueness is
-- checked when the transaction that registers the centres commits, not row by row (which
-- refused the swap half-way and kept the hub from starting).
ALTER TABLE centres DROP CONSTRAINT centres_token_sha256_key;
ALTER TABLE centres ADD CONSTRAINT centres_token_sha256_key UNIQUE (token_sha256) DEFERRABLE INITIALLY DEFERRED;
