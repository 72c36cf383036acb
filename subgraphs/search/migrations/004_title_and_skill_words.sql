-- A search considers at most a bounded number of matches (store.postgres.ts, `countUpTo`), so
-- that its work does not grow with the index. Past the bound it takes the documents whose title
-- matches first, then those whose skills do, before those matching only in their other text:
-- these columns, each with its own index, find them without reading every document's whole
-- text. Their words are the A-weighted parts of `document` (CJK bigrams count as title).
alter table documents
  add column title_words tsvector generated always as (
    to_tsvector('english', search_latin(title)) || to_tsvector('simple', cjk_a)
  ) stored,
  add column skill_words tsvector generated always as (
    to_tsvector('english', search_latin(search_skills_text(skills)))
  ) stored;
create index documents_title_words_idx on documents using gin (title_words);
create index documents_skill_words_idx on documents using gin (skill_words);

-- AND of tsqueries (tsquery_and is what `&&` calls): a document matching every word of the query.
create aggregate search_every(tsquery) (sfunc = tsquery_and, stype = tsquery);
