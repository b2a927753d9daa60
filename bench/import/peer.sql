-- The peer: DuckDB alone loads the same CSV into the same table shape (read_csv + INSERT), no validation.
CREATE TABLE trace_rows AS SELECT * FROM read_csv('bench/out/import-1m.csv', header = true, auto_detect = true) LIMIT 0;
INSERT INTO trace_rows SELECT * FROM read_csv('bench/out/import-1m.csv', header = true, auto_detect = true);
SELECT count(*) FROM trace_rows;
