-- What the AI subgraph matches and explains from: the owners' entities as their latest events
-- carry them (skills, talents, resumes, jobs), kept in the columns matching reads.
create table skills (
  id uuid primary key,
  name text not null,
  aliases text[] not null default '{}'
);

create table talents (
  id uuid primary key,
  name text not null,
  headline text,
  location jsonb
);

-- A talent's resumes, each as its current document; matching reads the latest one.
create table resumes (
  id uuid primary key,
  talent_id uuid not null,
  updated_at timestamptz,
  document jsonb not null
);
create index resumes_talent_idx on resumes (talent_id, updated_at desc);

create table jobs (
  id uuid primary key,
  title text not null,
  description text,
  status text,
  location jsonb,
  employment_type text,
  -- [{ skillId, level }]
  required_skills jsonb not null default '[]'
);
