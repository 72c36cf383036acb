-- A sign-in session: what a refresh token renews and what logout ends.
create table sessions (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  -- sha256 of the current refresh secret, and of the one it replaced (to spot a stolen, reused token).
  refresh_hash text not null,
  previous_hash text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text
);
create index sessions_user_idx on sessions (user_id) where revoked_at is null;

-- ES256 keys that sign access tokens (see sessions/key-ring.ts for their life cycle).
create table signing_keys (
  kid text primary key,
  private_jwk jsonb not null,
  public_jwk jsonb not null,
  created_at timestamptz not null default now()
);
