-- What the index is rendered from: each owner's aggregates as their latest events carry them
-- (Talent, Resume, Company, Job, Project, Skill), so a document can be drawn again when
-- something it shows changes (a company renamed, a skill's aliases edited).
create table sources (
  type text not null,
  id uuid not null,
  payload jsonb not null,
  primary key (type, id)
);
create index sources_talent_idx on sources ((payload->>'talentId')) where type = 'Resume';
create index sources_company_idx on sources ((payload->>'companyId')) where type in ('Job', 'Project');

-- Entities their owners deleted (ids are never reused): a late older event cannot bring one back.
create table tombstones (
  type text not null,
  id uuid not null,
  primary key (type, id)
);
