-- What a push to Zervigo sends: each talent and their resumes as the resumes subgraph's latest
-- events carry them (this subgraph consumes them: subgraphs/integrations/projector.ts).
create table talents (
  id uuid primary key,
  name text not null,
  headline text,
  location jsonb,
  tags text[] not null default '{}',
  contact jsonb,
  -- When the talent or one of their resumes last changed: a push older than this is out of date.
  changed_at timestamptz not null
);
create index talents_tags_idx on talents using gin (tags);

create table resumes (
  id uuid primary key,
  talent_id uuid not null,
  updated_at timestamptz,
  document jsonb not null
);
create index resumes_talent_idx on resumes (talent_id, updated_at desc);

-- Skill names: resumes name skills by id, Zervigo by name.
create table skills (
  id uuid primary key,
  name text not null
);
