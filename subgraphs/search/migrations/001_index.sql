-- The embedded search index (store.postgres.ts): one row per document, its text searchable
-- through a weighted tsvector, plus the vocabulary of indexed words for typo correction.

-- pg_trgm lives in `public`, never in this schema: an extension belongs to the schema it was
-- created in, and dropping that schema would drop it for every other schema that uses it.
-- Servers where it already lives elsewhere keep it there (the store looks it up). The lock
-- keeps two schemas migrating at once from both creating it.
select pg_advisory_xact_lock(hashtext('create extension pg_trgm'));
create extension if not exists pg_trgm schema public;

-- Text with its CJK characters blanked: PostgreSQL's parser does not split Chinese, Japanese or
-- Korean, so those are indexed as bigrams instead (computed in platform/text-analysis.ts, columns cjk_*).
-- The ranges follow platform/text-analysis.ts's scripts (Han, Hiragana, Katakana, Hangul).
create function search_latin(text) returns text
  language sql immutable parallel safe
  return regexp_replace($1, '[\u1100-\u11ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9d\uffa0-\uffdc\U00020000-\U0003134f]', ' ', 'g');

-- The skills as one text (array_to_string is only stable in general, but is immutable on text[]).
create function search_skills_text(text[]) returns text
  language sql immutable parallel safe
  return array_to_string($1, ' , ');

-- OR of tsqueries (tsquery_or is what `||` calls).
create aggregate search_any(tsquery) (sfunc = tsquery_or, stype = tsquery);

create table documents (
  type text not null,
  id text not null,
  title text not null,
  body text not null,
  skills text[] not null,
  location text,
  company text,
  employment_type text,
  seniority text,
  visibility text not null,
  -- The distinct non-CJK words of every field (platform/text-analysis.ts `words`): the vocabulary's
  -- liveness, and which words of a hit a highlight may mark.
  words text[] not null,
  -- CJK bigrams by weight: title and skills (A), company and location (B), body (C).
  cjk_a text not null,
  cjk_b text not null,
  cjk_c text not null,
  document tsvector generated always as (
    setweight(to_tsvector('english', search_latin(title)), 'A')
    || setweight(to_tsvector('english', search_latin(search_skills_text(skills))), 'A')
    || setweight(to_tsvector('english', search_latin(coalesce(company, '') || ' , ' || coalesce(location, ''))), 'B')
    || setweight(to_tsvector('english', search_latin(body)), 'C')
    || setweight(to_tsvector('simple', cjk_a), 'A')
    || setweight(to_tsvector('simple', cjk_b), 'B')
    || setweight(to_tsvector('simple', cjk_c), 'C')
  ) stored,
  primary key (type, id)
);
create index documents_document_idx on documents using gin (document);
create index documents_words_idx on documents using gin (words);
create index documents_skills_idx on documents using gin (skills);

-- Every non-CJK word ever indexed; words no document holds any more are skipped when
-- correcting (documents.words) and dropped when the index is replaced.
create table vocabulary (
  word text primary key
);

-- Trigram indexes need the extension's operator classes, named by its schema.
do $$
declare
  trgm text := (select extnamespace::regnamespace::text from pg_extension where extname = 'pg_trgm');
begin
  execute format('create index vocabulary_word_trgm_idx on vocabulary using gin (word %s.gin_trgm_ops)', trgm);
  execute format('create index documents_title_trgm_idx on documents using gin (lower(title) %s.gin_trgm_ops)', trgm);
end $$;
