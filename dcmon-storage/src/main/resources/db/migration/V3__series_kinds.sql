-- Which value kinds a series was ever written with, as bits: 1 = integer (samples_int), 2 = real (samples_real).
-- A sample's insert checks the other table for the same (series, ts) only when the series has both bits: a series
-- written with one kind has no rows in the other table, so that check (one index seek per sample) is skipped.
-- The bits only grow, in the transaction that first writes the other kind. Series created before this version
-- start with both (3): they may have rows in both tables, and for them the check runs as before.
ALTER TABLE series ADD COLUMN kinds INTEGER NOT NULL DEFAULT 3;
