create table users (
  id uuid primary key,
  -- Always stored lower-case, so the unique index below makes emails unique whatever their case.
  email text not null check (email = lower(email)),
  name text not null,
  role text not null check (role in ('super_admin', 'admin', 'data_admin', 'user', 'guest')),
  status text not null check (status in ('active', 'inactive', 'suspended', 'pending')),
  -- scrypt$N$r$p$salt$hash (see password.ts); never exposed through GraphQL.
  password_hash text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_login_at timestamptz
);
create unique index users_email_key on users (lower(email));
create index users_name_idx on users (lower(name));
create index users_created_at_idx on users (created_at);
