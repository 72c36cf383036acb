-- The open jobs asking for any of a talent's skills (matching's candidates beside the nearest
-- by embedding): found through this index, or by walking the primary key until enough match,
-- instead of expanding every job's required_skills (linear in the jobs: 111 ms per talent at
-- 50k jobs against 14 ms, bench/job-candidates.ts).
create index jobs_required_skill_ids on jobs using gin (jsonb_path_query_array(required_skills, '$[*].skillId'));
