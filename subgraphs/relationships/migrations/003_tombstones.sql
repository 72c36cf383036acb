-- Entities their owners deleted (from the delete events). Ids are never reused, so a tombstone
-- is forever: an older event delivered late cannot bring the entity back, and a resume, job or
-- team that still names it draws no edge to it. A rebuild keeps them.
create table tombstones (
  kind text not null,
  id uuid not null,
  primary key (kind, id)
);
