-- Compressed history: samples older than the compaction age are moved out of samples_int/samples_real
-- into one chunk per (series, aligned time window, value kind). data is ChunkCodec's Gorilla-style
-- encoding (delta-of-delta timestamps; zig-zag integer deltas, scaled decimals or XOR'd doubles).
-- A (series_id, ts) is in at most one place: a row table or a chunk.
-- An ordinary rowid table on purpose: WITHOUT ROWID stores rows in index pages, whose ~1 KB local
-- payload limit left 60 % of each page empty with chunk-sized blobs; here leaf pages fill up.
CREATE TABLE chunks (
    id        INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    start_ts  BIGINT  NOT NULL,
    kind      INTEGER NOT NULL,
    end_ts    BIGINT  NOT NULL,
    n         INTEGER NOT NULL,
    data      BLOB    NOT NULL,
    CONSTRAINT chunks_key_uq UNIQUE (series_id, start_ts, kind)
);
