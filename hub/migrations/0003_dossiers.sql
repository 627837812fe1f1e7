-- Ratings that count per dossier (DOMAIN.md): the receipt code each visit was linked to (its
-- last link) and the counter that linked it, folded like the rest of the visit.
ALTER TABLE visits ADD COLUMN dossier text, ADD COLUMN dossier_counter text;

-- The nine-criteria evaluations, once per dossier of a centre, by the service day given.
CREATE TABLE evaluations (
    centre text NOT NULL REFERENCES centres (id),
    dossier text NOT NULL,
    day date NOT NULL,
    at timestamptz NOT NULL,
    scores smallint[] NOT NULL CHECK (cardinality(scores) = 9),
    PRIMARY KEY (centre, dossier)
);
CREATE INDEX evaluations_day ON evaluations (day, centre);

-- What was received before this migration: each visit's last link, and every evaluation.
UPDATE visits v SET dossier = l.body->>'dossier', dossier_counter = l.body->>'counter'
FROM (
    SELECT DISTINCT ON (centre, ticket) centre, ticket, body
    FROM events WHERE body->>'type' = 'dossier_linked' AND ticket IS NOT NULL
    ORDER BY centre, ticket, id DESC
) l
WHERE l.centre = v.centre AND l.ticket = v.ticket;

INSERT INTO evaluations (centre, dossier, day, at, scores)
SELECT DISTINCT ON (centre, body->>'dossier') centre, body->>'dossier', day, at,
    ARRAY(SELECT jsonb_array_elements_text(body->'scores')::smallint)
FROM events WHERE body->>'type' = 'dossier_evaluated' AND jsonb_typeof(body->'scores') = 'array'
    AND jsonb_array_length(body->'scores') = 9
ORDER BY centre, body->>'dossier', id
ON CONFLICT DO NOTHING;
