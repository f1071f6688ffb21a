-- Where Validation left a batch's typed columns (its columnar spill), so a training reads them instead of parsing the
-- raw object again. Batches remembered before this have none and are parsed as before.
ALTER TABLE batches ADD COLUMN columns_key text;
