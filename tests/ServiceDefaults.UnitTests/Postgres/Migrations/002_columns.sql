-- Second script.
ALTER TABLE a ADD COLUMN b text;
