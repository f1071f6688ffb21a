-- The order in which versions of a dataset's model were made active (a stack): promote pushes, rollback pops, so
-- successive rollbacks step back through the history (v3 -> v2 -> v1) instead of toggling between the last two.
CREATE TABLE model_activations (
    dataset      text        NOT NULL,
    position     integer     NOT NULL,
    version      integer     NOT NULL,
    activated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset, position)
);

-- Versions promoted before the history was kept, in the order they were last promoted (the active one last).
INSERT INTO model_activations (dataset, position, version, activated_at)
SELECT dataset, row_number() OVER (PARTITION BY dataset ORDER BY promoted_at, version), version, promoted_at
FROM models WHERE promoted_at IS NOT NULL;
