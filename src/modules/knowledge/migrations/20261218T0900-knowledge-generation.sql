-- The generation at which each article last changed for search (published, withdrawn): a process
-- whose index is of an earlier generation reads only the articles changed since, not all of them.
ALTER TABLE knowledge_articles ADD COLUMN generation bigint NOT NULL DEFAULT 0;
CREATE INDEX knowledge_articles_generation ON knowledge_articles (city_code, generation);
