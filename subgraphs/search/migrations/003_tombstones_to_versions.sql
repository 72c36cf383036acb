-- Deletions are now kept with every aggregate's version, by the runtime (platform/events,
-- aggregate_versions), for every consumer alike.
insert into aggregate_versions (consumer, aggregate_type, aggregate_id, position, deleted)
select 'search', type, id::text, 0, true from tombstones
on conflict (consumer, aggregate_type, aggregate_id) do update set deleted = true;
drop table tombstones;
