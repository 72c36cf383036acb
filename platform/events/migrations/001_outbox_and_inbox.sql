-- Every subgraph schema gets these (platform/events): the outbox its writes record domain events
-- in, in the same transaction as the change, and the inbox its consumers mark events done in.
create table outbox (
  position bigserial primary key,
  event_id uuid not null unique,
  type text not null,
  aggregate_type text not null,
  aggregate_id text not null,
  payload jsonb not null,
  occurred_at timestamptz not null default now(),
  published_at timestamptz
);
create index outbox_unpublished_idx on outbox (position) where published_at is null;

create table inbox (
  consumer text not null,
  event_id uuid not null,
  handled_at timestamptz not null default now(),
  primary key (consumer, event_id)
);
