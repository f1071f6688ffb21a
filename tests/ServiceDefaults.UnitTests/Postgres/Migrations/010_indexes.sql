-- Third script: declared first on disk on purpose.
CREATE INDEX c ON a (id);
