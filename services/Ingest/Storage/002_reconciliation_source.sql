-- A reconciliation run stores its source next to its target (object_key).
ALTER TABLE runs ADD COLUMN source_object_key text;
