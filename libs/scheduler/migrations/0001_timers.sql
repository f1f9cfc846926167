-- Durable timers of one service (libs/scheduler). `{{schema}}` is replaced by the service's
-- (validated, quoted) schema name by migrateScheduler, through the event store's migration
-- runner (recorded as `scheduler/0001_timers` in `<schema>.schema_migrations`).
--
-- A timer is keyed per tenant. `next_at` is when a pending timer may be claimed next: its due
-- time, then the end of its current lease, or the retry time after a failed attempt. Claiming
-- is one statement: UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING ….
-- (owner, generation, attempts) is the fencing token every completion is checked against.

CREATE TABLE IF NOT EXISTS {{schema}}.timers (
  tenant_id        text        NOT NULL,
  id               text        NOT NULL,
  kind             text        NOT NULL,
  due_at           timestamptz NOT NULL,
  payload          jsonb       NOT NULL,
  correlation_id   text,
  status           text        NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'fired', 'dead', 'cancelled')),
  generation       integer     NOT NULL DEFAULT 1,
  attempts         integer     NOT NULL DEFAULT 0,
  next_at          timestamptz NOT NULL,
  lease_owner      text,
  lease_expires_at timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

-- The claim scans pending timers in next_at order; finished timers stay out of the index.
CREATE INDEX IF NOT EXISTS timers_claimable ON {{schema}}.timers (next_at) WHERE status = 'pending';
