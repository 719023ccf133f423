-- The knowledge base (知识库, after GB/T 44191-2024): articles owned by units, written in versions
-- that the hotline reviews before they are published; the published version of each article is
-- copied onto the article with its words for search. Uses in direct answers, and daily counts of the
-- orders registered and answered directly, are kept by the knowledge-usage consumer.

-- An article, and its published content (NULL version: never published yet), with the words jieba
-- finds in its title, the ways citizens ask it and its answer (space-separated): each process ranks
-- the live articles from these in memory (ranking.ts).
CREATE TABLE knowledge_articles (
  city_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  owner_unit_id uuid NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer,
  title text,
  questions text[] NOT NULL DEFAULT '{}',
  answer text,
  category_codes text[] NOT NULL DEFAULT '{}',
  area_codes text[] NOT NULL DEFAULT '{}',
  public boolean NOT NULL DEFAULT false,
  valid_from date,
  valid_until date,
  published_at timestamptz,
  withdrawn_at timestamptz,
  -- the owner unit was told the article expired (reset when a new version is published)
  expiry_noticed_at timestamptz,
  title_words text NOT NULL DEFAULT '',
  question_words text NOT NULL DEFAULT '',
  answer_words text NOT NULL DEFAULT '',
  PRIMARY KEY (city_code, id),
  UNIQUE (id, city_code)
);
CREATE INDEX knowledge_articles_live ON knowledge_articles (city_code, published_at) WHERE version IS NOT NULL AND withdrawn_at IS NULL;
CREATE INDEX knowledge_articles_owner ON knowledge_articles (city_code, owner_unit_id);
CREATE INDEX knowledge_articles_valid ON knowledge_articles (city_code, valid_until) WHERE version IS NOT NULL AND withdrawn_at IS NULL;

-- Every version of an article, as written and reviewed: draft → in_review → published (the one
-- before superseded) or rejected (back to its author with the reviewer's comment, to edit and
-- submit again). At most one version of an article is open (draft, in review or rejected).
CREATE TABLE knowledge_versions (
  city_code text NOT NULL,
  article_id uuid NOT NULL,
  version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'in_review', 'published', 'rejected', 'superseded')),
  title text NOT NULL,
  questions text[] NOT NULL,
  answer text NOT NULL,
  category_codes text[] NOT NULL,
  area_codes text[] NOT NULL,
  public boolean NOT NULL,
  valid_from date,
  valid_until date,
  -- the order an answer was proposed from (units kept giving it)
  source_order_id uuid,
  author_id uuid,
  author_name text,
  written_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  reviewer_id uuid,
  reviewer_name text,
  reviewed_at timestamptz,
  review_comment text,
  PRIMARY KEY (city_code, article_id, version),
  FOREIGN KEY (city_code, article_id) REFERENCES knowledge_articles (city_code, id)
);
CREATE UNIQUE INDEX knowledge_versions_open ON knowledge_versions (city_code, article_id) WHERE status IN ('draft', 'in_review', 'rejected');
CREATE INDEX knowledge_versions_review ON knowledge_versions (city_code, submitted_at) WHERE status = 'in_review';

-- An order answered directly with an article (直接办理), and whether the answer failed: the order
-- was reopened or the citizen unsatisfied (`failed`, the first time it did).
CREATE TABLE knowledge_uses (
  city_code text NOT NULL,
  order_id uuid NOT NULL,
  article_id uuid NOT NULL,
  version integer NOT NULL,
  at timestamptz NOT NULL,
  agent_id uuid,
  failed text CHECK (failed IN ('reopened', 'unsatisfied')),
  failed_at timestamptz,
  PRIMARY KEY (city_code, order_id)
);
CREATE INDEX knowledge_uses_article ON knowledge_uses (city_code, article_id, at);
CREATE INDEX knowledge_uses_at ON knowledge_uses (city_code, at);

-- Orders registered and answered directly each day (Beijing), with and without an article: the
-- direct-answer rate and the share of direct answers that rest on the knowledge base.
CREATE TABLE knowledge_daily (
  city_code text NOT NULL,
  day date NOT NULL,
  registered integer NOT NULL DEFAULT 0,
  answered_directly integer NOT NULL DEFAULT 0,
  with_article integer NOT NULL DEFAULT 0,
  PRIMARY KEY (city_code, day)
);

-- A city's count of changes to what search finds (a publication, a withdrawal, an import): a process
-- whose ranking index is of an older generation reads the live articles again.
CREATE TABLE knowledge_generations (
  city_code text PRIMARY KEY,
  generation bigint NOT NULL
);
