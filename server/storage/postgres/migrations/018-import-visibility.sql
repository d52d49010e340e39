-- A benchmark file is written in many short transactions, so a big import never holds a lock for long. While it is
-- 'importing' its records are stored but hidden: every query that reads records reads visible_records, which keeps
-- only records of 'done' files. The last, one-row transaction sets 'done'; a failed import, or one a crash left
-- 'importing' (removed at start-up), is deleted with everything it wrote.
ALTER TABLE benchmark_files ADD COLUMN status TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('importing', 'done'));
-- 1 when this import created its study: a failed import removes that study again (if nothing else was attached to it).
ALTER TABLE benchmark_files ADD COLUMN created_study INTEGER NOT NULL DEFAULT 0;
CREATE INDEX benchmark_files_importing ON benchmark_files(id) WHERE status = 'importing';

-- Unlike SQLite, PostgreSQL expands `r.*` when the view is made: a later migration that adds a column to records
-- must drop and create this view again (the schema-equivalence test compares the view's columns in both engines).
CREATE VIEW visible_records AS
  SELECT r.* FROM records r JOIN benchmark_files f ON f.id = r.file_id WHERE f.status = 'done';
