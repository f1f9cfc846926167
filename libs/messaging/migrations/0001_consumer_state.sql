-- Consumer state of libs/messaging (embedded mode and relays): checkpoints and dead letters.
-- Applied by migrateMessaging() (the shared SQL migration runner) with search_path set to the schema.

CREATE TABLE IF NOT EXISTS consumer_checkpoints (
  consumer   text        NOT NULL,
  source     text        NOT NULL,
  -- $all position of the last event the consumer (or relay) finished with
  position   bigint      NOT NULL CHECK (position >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, source)
);

CREATE TABLE IF NOT EXISTS consumer_dead_letters (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer       text        NOT NULL,
  source         text        NOT NULL,
  event_id       text        NOT NULL,
  event_position bigint      NOT NULL,
  -- the event as a CloudEvent (structured JSON), the same form it has on the wire
  event          jsonb       NOT NULL,
  error          text        NOT NULL,
  attempts       integer     NOT NULL CHECK (attempts > 0),
  failed_at      timestamptz NOT NULL,
  UNIQUE (consumer, source, event_id)
);
