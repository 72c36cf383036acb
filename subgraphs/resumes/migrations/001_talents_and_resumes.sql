-- Document-shaped on purpose (the production store is MongoDB): nested data lives in jsonb,
-- only what we filter or join on gets a column of its own.
create table talents (
  id uuid primary key,
  name text not null,
  headline text,
  contact jsonb not null default '{}'::jsonb,
  location jsonb,
  tags text[] not null default '{}',
  owner_id uuid,
  -- One profile per account: User.talentProfile is a single talent.
  user_id uuid unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index talents_name_idx on talents (lower(name));
create index talents_owner_idx on talents (owner_id);
create index talents_tags_idx on talents using gin (tags);

-- `document` is the current version, copied from resume_versions so reads need no join.
create table resumes (
  id uuid primary key,
  talent_id uuid not null references talents (id) on delete cascade,
  version integer not null,
  document jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index resumes_talent_idx on resumes (talent_id, created_at desc);
create index resumes_skills_idx on resumes using gin ((document -> 'skills') jsonb_path_ops);

-- Every saved version, the current one included; never updated, only appended.
create table resume_versions (
  resume_id uuid not null references resumes (id) on delete cascade,
  version integer not null,
  document jsonb not null,
  author_id uuid,
  created_at timestamptz not null default now(),
  primary key (resume_id, version)
);
