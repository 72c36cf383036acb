-- When each consumer last rebuilt its derived store from the owners' snapshots. No row means the
-- store was never built (e.g. the demo data was bulk-loaded without events): the consumer builds
-- it at start-up.
create table rebuilds (
  consumer text primary key,
  rebuilt_at timestamptz not null,
  events integer not null
);
