-- Atomic appends to several streams in one call (and one transaction): `appendToStreams`.
-- The rules are those of append_to_stream (0001), per stream; what differs is that every
-- stream is checked before anything is inserted, and one failure writes nothing anywhere.
--
-- Streams come as parallel arrays (p_streams, p_expected, p_counts); their events are the
-- flat arrays p_ids/p_types/p_data/p_metadata, stream 1's p_counts[1] events first, then
-- stream 2's, and so on. Returns one row per stream (ord = its index), all 'ok' or 'replayed':
--   ('ok', last revision, position of its last event, null)   appended (or nothing to append)
--   ('replayed', …)                                           every id of that stream already stored there
-- or a single row naming the stream that failed, and nothing written:
--   ('wrong_expected_version', actual revision, null, null)
--   ('duplicate_event_id', null, null, the offending id)
-- Like append_to_stream it can fail with a unique violation (23505) when it raced another
-- append, and (mixing `any` locks with exact expectations across streams) with a deadlock
-- (40P01); the adapter then calls it again with p_check_ids = true.
CREATE OR REPLACE FUNCTION {{schema}}.append_to_streams(
  p_streams text[], p_expected text[], p_counts int[],
  p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[],
  p_check_ids boolean DEFAULT true, p_notify_channel text DEFAULT NULL)
RETURNS TABLE (ord int, outcome text, out_revision bigint, out_position bigint, out_event_id uuid)
LANGUAGE plpgsql
AS $fn$
DECLARE
  v_n        int := coalesce(cardinality(p_streams), 0);
  v_total    int := coalesce(cardinality(p_ids), 0);
  v_actual   bigint[];
  v_outcome  text[] := '{}';
  v_rev      bigint[] := '{}';
  v_pos      bigint[] := '{}';
  v_last_k   int[] := '{}';   -- per stream: rank of its last inserted event, 0 when none
  v_keep     int[] := '{}';   -- flat indexes of the events to insert, in position order
  v_kstream  text[] := '{}';
  v_krev     bigint[] := '{}';
  v_start    int := 1;
  v_count    int;
  v_holds    boolean;
  v_found    int;
  v_foreign  uuid;
  v_hash     bigint;
  v_own_xid  xid8;
  v_base     bigint;
  v_first    bigint;
  v_r        bigint;
  v_p        bigint;
  i          int;
  j          int;
BEGIN
  IF coalesce(cardinality(p_expected), 0) <> v_n OR coalesce(cardinality(p_counts), 0) <> v_n
     OR (SELECT coalesce(sum(c), 0) FROM unnest(p_counts) c) <> v_total THEN
    RAISE EXCEPTION 'append_to_streams: the stream and event arrays do not match' USING ERRCODE = '22023';
  END IF;

  -- `any` and `stream_exists` serialise per stream (see append_to_stream); the locks are taken
  -- in hash order, so two calls locking overlapping streams never wait on each other in a cycle.
  FOR v_hash IN
    SELECT DISTINCT hashtextextended('{{schema_literal}}.' || t.s, 0)
      FROM unnest(p_streams, p_expected) AS t(s, e)
     WHERE t.e IN ('any', 'stream_exists')
     ORDER BY 1
  LOOP
    PERFORM pg_advisory_xact_lock(v_hash);
  END LOOP;

  -- Every stream's current revision, in one statement.
  SELECT array_agg(coalesce((SELECT max(e.revision) FROM {{schema}}.events e WHERE e.stream_name = t.s), -1) ORDER BY t.i)
    INTO v_actual
    FROM unnest(p_streams) WITH ORDINALITY AS t(s, i);

  -- Check every stream before writing anything.
  FOR i IN 1 .. v_n LOOP
    v_count := p_counts[i];
    v_holds := CASE p_expected[i]
                 WHEN 'any' THEN true
                 WHEN 'no_stream' THEN v_actual[i] = -1
                 WHEN 'stream_exists' THEN v_actual[i] >= 0
                 ELSE v_actual[i] = p_expected[i]::bigint
               END;
    v_outcome[i] := 'ok';
    IF v_count > 0 AND (p_check_ids OR NOT v_holds) THEN
      -- Idempotency by event id, per stream: a retried append stores nothing new there.
      SELECT count(*)::int, (array_agg(e.event_id) FILTER (WHERE e.stream_name <> p_streams[i]))[1]
        INTO v_found, v_foreign
        FROM {{schema}}.events e
       WHERE e.event_id = ANY (p_ids[v_start : v_start + v_count - 1]);
      IF v_foreign IS NOT NULL THEN
        RETURN QUERY SELECT i, 'duplicate_event_id'::text, NULL::bigint, NULL::bigint, v_foreign;
        RETURN;
      END IF;
      IF v_found = v_count THEN
        v_outcome[i] := 'replayed';
        SELECT e.revision, e.position INTO v_r, v_p
          FROM {{schema}}.events e WHERE e.event_id = ANY (p_ids[v_start : v_start + v_count - 1])
         ORDER BY e.revision DESC LIMIT 1;
        v_rev[i] := v_r;
        v_pos[i] := v_p;
      ELSIF v_found > 0 THEN -- some stored here, some not: not a retry of one append
        RETURN QUERY
          SELECT i, 'duplicate_event_id'::text, NULL::bigint, NULL::bigint, e.event_id
            FROM {{schema}}.events e WHERE e.event_id = ANY (p_ids[v_start : v_start + v_count - 1]) LIMIT 1;
        RETURN;
      END IF;
    END IF;
    IF v_outcome[i] = 'ok' THEN
      IF NOT v_holds THEN
        RETURN QUERY SELECT i, 'wrong_expected_version'::text, v_actual[i], NULL::bigint, NULL::uuid;
        RETURN;
      END IF;
      v_rev[i] := v_actual[i] + v_count;
      FOR j IN 0 .. v_count - 1 LOOP
        v_keep := v_keep || (v_start + j);
        v_kstream := v_kstream || p_streams[i];
        v_krev := v_krev || (v_actual[i] + 1 + j);
      END LOOP;
      v_last_k[i] := cardinality(v_keep);
    ELSE
      v_last_k[i] := 0;
    END IF;
    v_start := v_start + v_count;
  END LOOP;

  IF cardinality(v_keep) > 0 THEN
    -- Positions as in append_to_stream: from this transaction's id, taken only now that every
    -- stream's previous revision was read as committed, so each stream stays in revision order
    -- in `$all`. They follow the order given (streams, then their events); the rows are inserted
    -- in stream-name order, so two calls writing the same streams meet on the same index entry
    -- first and never deadlock on each other.
    v_own_xid := pg_current_xact_id_if_assigned();
    v_base := (pg_current_xact_id()::text::bigint) << 20;
    v_first := v_base;
    IF v_own_xid IS NOT NULL THEN
      SELECT coalesce(max(e.position) + 1, v_base) INTO v_first
        FROM {{schema}}.events e
       WHERE e.position >= v_base AND e.position < v_base + 1048576;
    END IF;
    IF v_first + cardinality(v_keep) > v_base + 1048576 THEN
      RAISE EXCEPTION 'one transaction can append at most 1048576 events' USING ERRCODE = '54000';
    END IF;

    INSERT INTO {{schema}}.events (position, event_id, stream_name, revision, type, data, metadata)
    SELECT v_first + t.n - 1, p_ids[t.k], t.s, t.r, p_types[t.k], p_data[t.k], p_metadata[t.k]
      FROM unnest(v_keep, v_kstream, v_krev) WITH ORDINALITY AS t(k, s, r, n)
     ORDER BY t.s, t.r;

    IF p_notify_channel IS NOT NULL THEN
      PERFORM pg_notify(p_notify_channel, '');
    END IF;
  END IF;

  FOR i IN 1 .. v_n LOOP
    IF v_outcome[i] = 'ok' THEN
      IF v_last_k[i] > 0 THEN
        v_pos[i] := v_first + v_last_k[i] - 1;
      ELSE -- nothing to append: the stream's current last event
        v_p := NULL;
        SELECT e.position INTO v_p FROM {{schema}}.events e
         WHERE e.stream_name = p_streams[i] AND e.revision = v_actual[i];
        v_pos[i] := coalesce(v_p, -1);
      END IF;
    END IF;
  END LOOP;

  RETURN QUERY
    SELECT t.i::int, t.o, t.r, t.p, NULL::uuid
      FROM unnest(v_outcome, v_rev, v_pos) WITH ORDINALITY AS t(o, r, p, i)
     ORDER BY t.i;
END
$fn$;
