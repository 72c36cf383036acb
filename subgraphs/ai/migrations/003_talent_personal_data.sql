-- What questions about a talent may be answered from beyond their resumes: their tags, and
-- their personal data (contact, salary expectation) with the ids that decide who may read it
-- (the owning recruiter, the talent's own account). Filled by the next talent event or rebuild.
alter table talents
  add column tags text[] not null default '{}',
  add column contact jsonb,
  add column salary_expectation jsonb,
  add column owner_id text,
  add column user_id text;

-- Stores built before these columns existed are built again at the next start.
delete from rebuilds where consumer = 'ai';
