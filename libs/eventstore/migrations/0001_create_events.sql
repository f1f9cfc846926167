-- The PostgreSQL event store of one service. `{{schema}}` is replaced by the service's
-- (validated, quoted) schema name by migratePostgresEventStore.
--
-- Gap safety: `position` is NOT a sequence. It is derived from the writing transaction's id:
--   position = xid8 * 2^20 + n   (n = 0, 1, … within the transaction)
-- so `$all` order is (transaction id, order inside the transaction). A reader only returns
-- rows below `pg_snapshot_xmin(pg_current_snapshot()) * 2^20` in the same statement: every
-- transaction with a smaller id has finished, and every transaction that has not finished
-- (or has not started) has a larger id, so it can only ever add rows ABOVE what the reader
-- returned. A sequence-based position cannot give that guarantee (see README.md).

CREATE TABLE IF NOT EXISTS {{schema}}.events (
  position     bigint      NOT NULL PRIMARY KEY,
  event_id     uuid        NOT NULL UNIQUE,
  stream_name  text        NOT NULL,
  revision     bigint      NOT NULL,
  type         text        NOT NULL,
  data         jsonb       NOT NULL,
  metadata     jsonb       NOT NULL,
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  tx_id        xid8        NOT NULL DEFAULT pg_current_xact_id(),
  UNIQUE (stream_name, revision)
);

-- One round trip per append. Returns one row:
--   ('ok', last revision, last position, null)             appended (or nothing to append)
--   ('replayed', last revision, last position, null)       every event id already stored in this stream
--   ('wrong_expected_version', actual revision, null, null)
--   ('duplicate_event_id', null, null, the offending id)   an id stored in another stream
-- It may also fail with a unique violation (23505) when it raced another append; the adapter
-- then calls it again, and the second call sees the winner's committed rows.
-- p_expected: 'any' | 'no_stream' | 'stream_exists' | a revision in decimal.
-- p_check_ids: look the event ids up before inserting. The adapter passes false first: a new
--   id is the common case, an old one then fails on the event_id index and the adapter retries
--   with true. Failed expectations always look the ids up (a retried append is not a conflict).
-- p_notify_channel: NOTIFY inside the transaction (off by default: PostgreSQL serialises the
--   commits of all notifying transactions cluster-wide, which defeats group commit; the adapter
--   notifies right after commit instead).
CREATE OR REPLACE FUNCTION {{schema}}.append_to_stream(
  p_stream text, p_expected text,
  p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[],
  p_check_ids boolean DEFAULT true, p_notify_channel text DEFAULT NULL)
RETURNS TABLE (outcome text, out_revision bigint, out_position bigint, out_event_id uuid)
LANGUAGE plpgsql
AS $fn$
DECLARE
  v_count    int := coalesce(cardinality(p_ids), 0);
  v_found    int;
  v_foreign  uuid;
  v_actual   bigint;
  v_holds    boolean;
  v_own_xid  xid8;
  v_base     bigint;
  v_first    bigint;
  v_position bigint;
BEGIN
  -- Concurrency. An exact expectation (a revision or no_stream) needs no lock: two appenders
  -- expecting the same revision both insert revision+1, the second blocks on the first's
  -- entry in UNIQUE (stream_name, revision) and fails when it commits (all such losers wake at
  -- once). `any` and `stream_exists` compute the revision from the stream itself, so they
  -- serialise per stream on a transaction-scoped advisory lock on the stream's hash and never
  -- collide with each other; they can only collide with an exact appender, and then retry.
  IF p_expected IN ('any', 'stream_exists') THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('{{schema_literal}}.' || p_stream, 0));
  END IF;

  SELECT max(e.revision) INTO v_actual FROM {{schema}}.events e WHERE e.stream_name = p_stream;
  v_actual := coalesce(v_actual, -1);
  v_holds := CASE p_expected
               WHEN 'any' THEN true
               WHEN 'no_stream' THEN v_actual = -1
               WHEN 'stream_exists' THEN v_actual >= 0
               ELSE v_actual = p_expected::bigint
             END;

  IF v_count > 0 AND (p_check_ids OR NOT v_holds) THEN
    -- Idempotency by event id: a retried append stores nothing new.
    SELECT count(*)::int, (array_agg(e.event_id) FILTER (WHERE e.stream_name <> p_stream))[1]
      INTO v_found, v_foreign
      FROM {{schema}}.events e
     WHERE e.event_id = ANY (p_ids);
    IF v_foreign IS NOT NULL THEN
      RETURN QUERY SELECT 'duplicate_event_id'::text, NULL::bigint, NULL::bigint, v_foreign;
      RETURN;
    END IF;
    IF v_found = v_count THEN
      RETURN QUERY
        SELECT 'replayed'::text, e.revision, e.position, NULL::uuid
          FROM {{schema}}.events e WHERE e.event_id = ANY (p_ids)
         ORDER BY e.revision DESC LIMIT 1;
      RETURN;
    END IF;
    IF v_found > 0 THEN -- some stored here, some not: not a retry of one append
      RETURN QUERY
        SELECT 'duplicate_event_id'::text, NULL::bigint, NULL::bigint, e.event_id
          FROM {{schema}}.events e WHERE e.event_id = ANY (p_ids) LIMIT 1;
      RETURN;
    END IF;
  END IF;

  IF NOT v_holds THEN
    RETURN QUERY SELECT 'wrong_expected_version'::text, v_actual, NULL::bigint, NULL::uuid;
    RETURN;
  END IF;

  IF v_count = 0 THEN
    SELECT e.position INTO v_position FROM {{schema}}.events e
     WHERE e.stream_name = p_stream AND e.revision = v_actual;
    RETURN QUERY SELECT 'ok'::text, v_actual, coalesce(v_position, -1), NULL::uuid;
    RETURN;
  END IF;

  -- Positions come from this transaction's id, taken only now: the appender of the stream's
  -- previous revision has committed (we read its row), so its id is smaller and the stream's
  -- events stay in revision order in `$all`. A transaction that already had an id (a caller's
  -- transaction that appended before) continues after its own highest position.
  v_own_xid := pg_current_xact_id_if_assigned();
  v_base := (pg_current_xact_id()::text::bigint) << 20;
  v_first := v_base;
  IF v_own_xid IS NOT NULL THEN
    SELECT coalesce(max(e.position) + 1, v_base) INTO v_first
      FROM {{schema}}.events e
     WHERE e.position >= v_base AND e.position < v_base + 1048576;
  END IF;
  IF v_first + v_count > v_base + 1048576 THEN
    RAISE EXCEPTION 'one transaction can append at most 1048576 events' USING ERRCODE = '54000';
  END IF;

  INSERT INTO {{schema}}.events (position, event_id, stream_name, revision, type, data, metadata)
  SELECT v_first + t.ord - 1, t.id, p_stream, v_actual + t.ord, t.type, t.data, t.metadata
    FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS t(id, type, data, metadata, ord);

  IF p_notify_channel IS NOT NULL THEN
    PERFORM pg_notify(p_notify_channel, '');
  END IF;

  RETURN QUERY SELECT 'ok'::text, v_actual + v_count, v_first + v_count - 1, NULL::uuid;
END
$fn$;

-- A gap-safe page of `$all` (see the top of this file): positions after p_after and below the
-- horizon of the statement's own snapshot, in position order, optionally filtered (NULL arrays
-- match everything). Sorts and bitmap scans are disabled for the function: the planner cannot
-- estimate the horizon and would otherwise sort the whole tail of the table for one page,
-- whereas walking the primary key in order stops after p_limit rows.
CREATE OR REPLACE FUNCTION {{schema}}.read_all(
  p_after bigint, p_limit int,
  p_categories text[] DEFAULT NULL, p_stream_prefixes text[] DEFAULT NULL,
  p_types text[] DEFAULT NULL, p_type_prefixes text[] DEFAULT NULL)
RETURNS SETOF {{schema}}.events
LANGUAGE plpgsql STABLE
SET enable_sort = off
SET enable_bitmapscan = off
SET enable_seqscan = off
AS $fn$
BEGIN
  RETURN QUERY
    SELECT e.*
      FROM {{schema}}.events e
     WHERE e.position > p_after
       AND e.position < ((pg_snapshot_xmin(pg_current_snapshot())::text::bigint) << 20)
       AND (p_categories IS NULL OR split_part(e.stream_name, '-', 1) = ANY (p_categories))
       AND (p_stream_prefixes IS NULL OR e.stream_name ^@ ANY (p_stream_prefixes))
       AND (p_types IS NULL OR e.type = ANY (p_types))
       AND (p_type_prefixes IS NULL OR e.type ^@ ANY (p_type_prefixes))
     ORDER BY e.position
     LIMIT p_limit;
END
$fn$;
