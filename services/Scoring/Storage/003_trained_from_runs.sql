-- A model can be trained on several runs of its dataset; trained_from stays the first of them.
ALTER TABLE models ADD COLUMN trained_from_runs uuid[] NOT NULL DEFAULT '{}';
UPDATE models SET trained_from_runs = ARRAY[trained_from] WHERE trained_from_runs = '{}';
