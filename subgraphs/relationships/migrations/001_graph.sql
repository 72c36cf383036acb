-- The talent graph. Nodes are references to entities owned by other subgraphs (plus a label
-- for display); an edge may arrive before its endpoints, so the store inserts placeholder
-- nodes (label null) and the owner's event fills the label in later.
create table nodes (
  kind text not null check (kind in ('Talent', 'Company', 'Skill', 'Project', 'Job')),
  id uuid not null,
  label text,
  primary key (kind, id)
);

-- Directed edges. KNOWS is symmetric and stored ONCE per pair, with from_id < to_id (the store
-- canonicalises), so a pair can never hold two disagreeing strengths. Properties are a flat
-- object of scalars so the same edge maps onto a Neo4j relationship unchanged.
create table edges (
  kind text not null check (kind in ('WORKED_AT', 'HAS_SKILL', 'KNOWS', 'MEMBER_OF', 'REQUIRES')),
  from_kind text not null,
  from_id uuid not null,
  to_kind text not null,
  to_id uuid not null,
  properties jsonb not null default '{}',
  primary key (kind, from_kind, from_id, to_kind, to_id),
  foreign key (from_kind, from_id) references nodes (kind, id) on delete cascade,
  foreign key (to_kind, to_id) references nodes (kind, id) on delete cascade,
  check ((kind, from_kind, to_kind) in (
    ('WORKED_AT', 'Talent', 'Company'),
    ('HAS_SKILL', 'Talent', 'Skill'),
    ('KNOWS', 'Talent', 'Talent'),
    ('MEMBER_OF', 'Talent', 'Project'),
    ('REQUIRES', 'Job', 'Skill')
  )),
  check (kind <> 'KNOWS' or from_id < to_id)
);

create index edges_from_idx on edges (from_kind, from_id, kind);
create index edges_to_idx on edges (to_kind, to_id, kind);

-- Every edge seen from both ends: traversals treat the graph as undirected.
create view edge_ends as
  select kind, from_kind, from_id, to_kind, to_id, properties,
         from_kind as near_kind, from_id as near_id, to_kind as far_kind, to_id as far_id
    from edges
  union all
  select kind, from_kind, from_id, to_kind, to_id, properties,
         to_kind, to_id, from_kind, from_id
    from edges;
