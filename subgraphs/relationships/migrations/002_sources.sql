-- What the graph is derived from, so any talent's edges can be recomputed from scratch.

-- From the owners (a rebuild empties and refills these): each resume's experience and skills,
-- since a talent's WORKED_AT and HAS_SKILL edges merge all of their resumes.
create table resume_sources (
  resume_id uuid primary key,
  talent_id uuid not null,
  experience jsonb not null,
  skills jsonb not null
);
create index resume_sources_talent_idx on resume_sources (talent_id);

-- Project teams as last announced, so a team change knows who left.
create table project_members (
  project_id uuid not null,
  talent_id uuid not null,
  role text,
  primary key (project_id, talent_id)
);
create index project_members_talent_idx on project_members (talent_id);

-- Owned here (a rebuild keeps them and draws them again): explicit KNOWS links, one row per
-- pair in canonical order, and skill endorsements, one per endorser.
create table acquaintances (
  talent_id uuid not null,
  other_id uuid not null,
  strength float8 not null check (strength >= 0 and strength <= 1),
  created_by text,
  created_at timestamptz not null default now(),
  primary key (talent_id, other_id),
  check (talent_id < other_id)
);
create index acquaintances_other_idx on acquaintances (other_id);

create table endorsements (
  talent_id uuid not null,
  skill_id uuid not null,
  endorser_id text not null,
  created_at timestamptz not null default now(),
  primary key (talent_id, skill_id, endorser_id)
);
