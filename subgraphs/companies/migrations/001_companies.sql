create table companies (
  id uuid primary key,
  name text not null,
  industry text,
  size text,
  website text,
  location jsonb,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index companies_name_idx on companies (lower(name));
create index companies_industry_idx on companies (industry);
