-- The audit log: one row per root mutation field the gateway served, refused ones included.
-- Append-only, enforced here rather than trusted to the code: UPDATE, DELETE and TRUNCATE raise.
-- No foreign key to users: the record of what a deleted user did outlives them.
-- Argument values are never stored (passwords, tokens, personal data); entity_id is an ID.
create table audit_events (
  id uuid primary key,
  at timestamptz not null,
  actor_id text,
  actor_role text,
  client_address text not null,
  request_id text not null,
  action text not null,
  operation_name text,
  entity_type text,
  entity_id text,
  outcome text not null,
  recorded_at timestamptz not null default now()
);

create function audit_events_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_events is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_events_no_update_or_delete
  before update or delete on audit_events
  for each row execute function audit_events_append_only();

create trigger audit_events_no_truncate
  before truncate on audit_events
  for each statement execute function audit_events_append_only();

-- Newest first, alone or after a filter on one of these.
create index audit_events_at_idx on audit_events (at desc, id desc);
create index audit_events_actor_idx on audit_events (actor_id, at desc);
create index audit_events_action_idx on audit_events (action, at desc);
create index audit_events_entity_idx on audit_events (entity_type, entity_id, at desc);
create index audit_events_request_idx on audit_events (request_id);
create index audit_events_outcome_idx on audit_events (outcome, at desc);
