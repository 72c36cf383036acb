create table skills (
  id uuid primary key,
  name text not null,
  category text not null,
  -- display spellings; their normalised keys live in skill_keys
  aliases text[] not null default '{}',
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index skills_name_idx on skills (lower(name));
create index skills_category_idx on skills (category, lower(name));

-- Every name and alias by normalised key: a key names at most one skill.
create table skill_keys (
  key text primary key,
  skill_id uuid not null references skills (id) on delete cascade
);
create index skill_keys_skill_idx on skill_keys (skill_id);

-- A symmetric relation, stored in both directions so either side is one index lookup.
create table skill_relations (
  skill_id uuid not null references skills (id) on delete cascade,
  related_id uuid not null references skills (id) on delete cascade,
  primary key (skill_id, related_id),
  check (skill_id <> related_id)
);
create index skill_relations_related_idx on skill_relations (related_id);
