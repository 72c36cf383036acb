-- pgvector lives in `public`, never in this schema: an extension is installed once per database,
-- in one schema, and dropping that schema would drop it for every other. The lock keeps two
-- schemas migrating at once from both creating it.
select pg_advisory_xact_lock(hashtext('create extension vector'));
create extension if not exists vector schema public;

-- One vector per talent and per job, made by the embedder named in `model`. Any dimension: the
-- store indexes the one in use (HNSW on `vector::vector(n)`), see vectors/store.pgvector.ts.
-- The type is named by the schema pgvector is in (public, unless the server had it elsewhere).
do $$
declare
  vector_schema text := (select extnamespace::regnamespace::text from pg_extension where extname = 'vector');
begin
  execute format($table$
    create table embeddings (
      kind text not null check (kind in ('Talent', 'Job')),
      id uuid not null,
      model text not null,
      vector %s.vector not null,
      primary key (kind, id)
    )$table$, vector_schema);
end $$;
