-- The phone views of each centre's tickets, as its uplink last sent them: what the hub's
-- ticket pages (/t/{centre}/{key}) show. A null view is a key that finds nothing any more,
-- kept with its version so that every hub process's copy learns of it. `version` is the
-- centre's board_version of the push that last set the row.
CREATE TABLE public_tickets (
    centre text NOT NULL REFERENCES centres (id),
    key text NOT NULL,
    view jsonb,
    version bigint NOT NULL,
    PRIMARY KEY (centre, key)
);
CREATE INDEX public_tickets_version ON public_tickets (centre, version);

-- Each centre's pushes of views, counted, and the centre's clock at its last one (the pages'
-- "updated at").
ALTER TABLE centres ADD COLUMN board_version bigint NOT NULL DEFAULT 0;
ALTER TABLE centres ADD COLUMN board_as_of timestamptz;
