-- What each consumer knows of the aggregates it was told about: the outbox position of the
-- newest event it applied, so that an older one delivered late is ignored, and whether the
-- owner deleted it. Ids are never reused, so a deletion is forever: a late event cannot bring
-- the entity back, and whatever still names it draws nothing to it. A rebuild keeps these.
create table aggregate_versions (
  consumer text not null,
  aggregate_type text not null,
  aggregate_id text not null,
  position bigint not null,
  deleted boolean not null default false,
  primary key (consumer, aggregate_type, aggregate_id)
);

-- The owner's side: the newest event of an aggregate, which its snapshot entries carry.
create index outbox_aggregate_idx on outbox (aggregate_type, aggregate_id, position);

-- Derived stores built before versions were kept are built again at the next start, which
-- records the version of everything they hold.
delete from rebuilds;
