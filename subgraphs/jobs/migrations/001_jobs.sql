-- Jobs and the applications to them. Status and stage histories are append-only jsonb arrays
-- on the row they describe, so a row and its history always change in the same statement.
create table jobs (
  id uuid primary key,
  -- Companies live in the companies subgraph: a plain reference, no foreign key.
  company_id uuid not null,
  title text not null,
  description text,
  -- [{ "skillId": uuid, "level": "BEGINNER" | ... }]
  required_skills jsonb not null default '[]',
  location jsonb,
  employment_type text not null
    check (employment_type in ('FULL_TIME', 'PART_TIME', 'CONTRACT', 'INTERNSHIP', 'TEMPORARY')),
  salary_min integer,
  salary_max integer,
  salary_currency text,
  salary_period text check (salary_period in ('YEAR', 'MONTH', 'HOUR')),
  status text not null default 'DRAFT' check (status in ('DRAFT', 'OPEN', 'CLOSED', 'FILLED')),
  -- [{ "from": status | null, "to": status, "at": timestamptz, "byUserId": uuid | null }]
  status_history jsonb not null default '[]',
  opened_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint jobs_salary_complete check (
    (salary_min is null and salary_max is null and salary_currency is null and salary_period is null)
    or (salary_min is not null and salary_max is not null and salary_currency is not null and salary_period is not null)
  ),
  constraint jobs_salary_range check (salary_min >= 0 and salary_max >= salary_min),
  constraint jobs_salary_currency check (salary_currency ~ '^[A-Z]{3}$')
);
create index jobs_company_idx on jobs (company_id, created_at);
create index jobs_status_idx on jobs (status);
create index jobs_title_idx on jobs (lower(title));
create index jobs_required_skills_idx on jobs using gin (required_skills jsonb_path_ops);

create table applications (
  id uuid primary key,
  job_id uuid not null references jobs (id) on delete cascade,
  -- Talents live in the resumes subgraph: a plain reference, no foreign key.
  talent_id uuid not null,
  stage text not null default 'APPLIED'
    check (stage in ('APPLIED', 'SCREENING', 'INTERVIEW', 'OFFER', 'HIRED', 'REJECTED')),
  -- [{ "from": stage | null, "to": stage, "at": timestamptz, "byUserId": uuid | null, "note": text | null }]
  history jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint applications_one_per_talent_and_job unique (job_id, talent_id)
);
create index applications_talent_idx on applications (talent_id, created_at);
create index applications_stage_idx on applications (stage);
