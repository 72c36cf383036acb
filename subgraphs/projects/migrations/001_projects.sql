create table projects (
  id uuid primary key,
  name text not null,
  description text,
  company_id uuid,
  status text not null default 'PLANNED' check (status in ('PLANNED', 'ACTIVE', 'COMPLETED', 'CANCELLED')),
  -- YYYY-MM-DD text: the "C" collation makes text order calendar order.
  start_date text collate "C",
  end_date text collate "C",
  -- Lower-case skill uuids, in the order given.
  skill_ids text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint projects_dates_in_order check (start_date is null or end_date is null or end_date >= start_date)
);
create index projects_name_idx on projects (lower(name));
create index projects_company_idx on projects (company_id);
create index projects_start_date_idx on projects (start_date);
create index projects_skill_ids_idx on projects using gin (skill_ids);

create table project_members (
  project_id uuid not null references projects (id) on delete cascade,
  talent_id uuid not null,
  role text not null,
  joined_at timestamptz not null default now(),
  -- Keeps members added in one statement in the order they were listed.
  seq integer generated always as identity,
  primary key (project_id, talent_id)
);
create index project_members_talent_idx on project_members (talent_id);
