-- Each talent's state on Zervigo: the external ids Zervigo gave, and how the last push went.
-- Kept when a talent is deleted in Looma (their record on Zervigo is not deleted with them).
create table platform_links (
  talent_id uuid primary key,
  external_id text,
  external_resume_id text,
  last_synced_at timestamptz,
  last_attempt_at timestamptz not null,
  last_error text
);

-- Background pushes of many talents (syncAllTalents); each item is one talent, so a job that
-- stops (a restart) carries on from its first pending item.
create table sync_jobs (
  id uuid primary key,
  status text not null check (status in ('RUNNING', 'COMPLETED')),
  filter jsonb not null,
  requested_by text,
  total integer not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
-- At most one job runs at a time.
create unique index sync_jobs_one_running_idx on sync_jobs ((true)) where status = 'RUNNING';

create table sync_job_items (
  job_id uuid not null references sync_jobs (id) on delete cascade,
  position integer not null,
  talent_id uuid not null,
  status text not null default 'PENDING' check (status in ('PENDING', 'DONE', 'FAILED')),
  error text,
  attempted_at timestamptz,
  primary key (job_id, position)
);
create index sync_job_items_pending_idx on sync_job_items (job_id, position) where status = 'PENDING';
create index sync_job_items_status_idx on sync_job_items (job_id, status);
