-- Long-lived credentials for scripts and integrations, acting for their owner with a role or a
-- narrower set of permissions. Only a hash of the secret is stored.
create table api_keys (
  id uuid primary key,
  owner_id uuid not null references users (id) on delete cascade,
  name text not null,
  secret_hash text not null,
  role text check (role in ('super_admin', 'admin', 'data_admin', 'user', 'guest')),
  permissions text[],
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  check ((role is null) <> (permissions is null))
);
create index api_keys_owner_idx on api_keys (owner_id, created_at);
