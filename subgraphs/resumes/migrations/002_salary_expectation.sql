-- What the candidate expects to earn: { min, max, currency, period }, or null when not known.
-- Personal data like `contact`, so it lives with the talent document, not in a column per part.
alter table talents add column salary_expectation jsonb;
