// Where each table goes when one PostgreSQL server is outgrown and Citus spreads the data over
// several nodes (docs/scale.md). The decision is data, in this one place: src/db/distribution.test.ts
// fails when a table of the database is in no list (or in two), or when the catalog breaks what
// Citus needs of its list.

/** The distribution column: the city (tenant) that every distributed row belongs to. */
export const DISTRIBUTION_COLUMN = 'city_code';

/**
 * Distributed by city_code and co-located with `orders`: a city's rows of all of them sit on one
 * node, so that a lifecycle transaction (order, event, round, timers, visit, suggestion) stays there.
 */
export const DISTRIBUTED = {
  orders: 'the work orders: the highest-volume table, and the one every other per-city table follows',
  order_assignments: "an order's units, written and read with the order in its transactions",
  order_scopes: 'which units may see an order: written with each assignment, probed with the order',
  events: "the log: every change of an order, appended in the order's transaction",
  order_rounds: "an order's deadline rounds, written under the order's lock",
  notices: "staff notices about a city's orders (written by the notices consumer) and its reports",
  sla_settings: "a city's deadline settings, read by the rounds in the order's transaction",
  return_visits: "an order's return visits, queued and recorded in the order's transactions",
  order_suggestions: "the classifier's suggestion per order, written with the order",
  order_text_keys: "an order's keywords for similar orders, written with the order",
  text_key_counts: "a city's keyword counts, read with its keywords",
  text_key_census: "a city's keyword census (one row per city), read with its counts",
  classifier_runs: "a city's training runs, referenced by its models",
  classifier_models: "a city's trained models, referenced by its orders' suggestions",
  timers: "deadline timers of a city's orders, fired under the order's lock",
  audit_log: "a city's audit trail: grows with its staff's reads and changes",
  attachments: "files sent with a city's orders (their bytes are in the file store), claimed in the order's registration",
  channel_counts: "a city's channel counters by day, written as each message is answered",
  outbox: "a city's messages to citizens, written beside the events of their orders",
  channel_conversations: "a city's citizens' latest requests by channel identity (WeChat, Weibo), written as each request arrives",
  channel_supplements: "the order each photo or place sent on a channel went to, written as it arrives",
  app_requests: "the requests each app citizen keeps in their list, written as they submit or follow one",
  channel_secrets: "a city's secrets for its channels (lookup codes, proof-of-work challenges), two rows per city",
  analytics_order_facts: "what each of a city's orders counts for in its rollups, written by the rollups consumer",
  analytics_daily: "a city's daily counts by dimension, read by its dashboards and written by the rollups consumer",
  analytics_unit_daily: "a city's daily counts by lead unit and dimension, read by its units' dashboards and written by the rollups consumer",
  analytics_unit_monthly: "a city's monthly counts by lead unit and dimension (its daily ones summed), read by its units' trends and written by the rollups consumer",
  analytics_callers: "a city's callers (pseudonyms) with their contacts, written by the rollups consumer",
  analytics_caller_groups: "a city's callers counted by how often they contact it, written by the rollups consumer",
  analytics_rebuilds: "a city's last rebuild of its rollups, from its start to its end",
  hot_topics: "a city's clusters of similar recent requests, written by the hot-topics consumer",
  hot_topic_orders: "the orders of a city's hot topics, written with them",
  analytics_words_daily: "a city's keywords counted by day, written by the hot-topics consumer",
  warning_settings: "a city's early-warning thresholds, read by its detector",
  warning_baselines: "a city's cells' report rates, written by the warnings consumer as each order is registered",
  warning_recent: "a city's recent reports by cell, written and counted by the warnings consumer",
  early_warnings: "a city's early warnings, raised by the warnings consumer beside their events",
  early_warning_reports: "the reports joined to a city's early warnings, written with them",
  calls: "a city's calls, each rewritten from its events as they arrive",
  call_events: "the events of a city's calls as its telephony posted them, read by call",
  call_orders: "the orders registered during a city's calls, written by the call-orders consumer",
  seats: "a city's call-centre seats and who is signed in to each, read as each call is answered",
  seat_states: "a city's seats' states over time, written as each changes",
  quality_sheets: "a city's scoring sheets for quality review",
  quality_work: "a city's orders and calls as the agents' work to sample, written by the quality-work consumer",
  quality_marks: "a city's orders mis-routed or reopened, for whom, written by the quality-work consumer",
  quality_reviews: "a city's samples of its agents' work and their scores",
  knowledge_articles: "a city's knowledge articles and their published content, searched by its agents",
  knowledge_versions: "every version of a city's knowledge articles, written and reviewed with the article",
  knowledge_uses: "a city's direct answers given with an article, written by the knowledge-usage consumer",
  knowledge_daily: "a city's orders registered and answered directly by day, written by the knowledge-usage consumer",
  surveys: "a city's opinion surveys and their questions",
  survey_respondents: "who a city's surveys ask (numbers kept to reach them, hashed to count them once)",
  survey_answers: "the answers to a city's surveys, one per respondent",
  survey_secrets: "a city's key of its survey respondents' number hashes, one row per city",
  knowledge_generations: "a city's count of changes to its searchable articles, one row per city, bumped with each publication",
} as const satisfies Record<string, string>;

/**
 * Reference tables, copied to every node: small, rarely written, read by every city's transactions
 * (distributed tables may reference them).
 */
export const REFERENCE = {
  areas: 'administrative areas: thousands of rows per city, written by the seed',
  units: 'the handling network: read by every dispatch and routing, edited rarely',
  unit_areas: 'which units serve which areas, for routing; edited with the units',
  staff: 'staff accounts: read by logins and notices, edited by admins',
  taxonomy_versions: 'versions of the category tree: a new one per edit or import',
  categories: 'the category tree: read by every registration, written only as a new version',
  calendar_years: 'the national holiday calendar: one row a year, not per city',
  calendar_days: 'holidays and adjusted working days: a few dozen rows a year, not per city',
  channels: 'the channels citizens reach the hotline by: a handful of rows, referenced by every order',
} as const satisfies Record<string, string>;

/**
 * Local to the coordinator: read across all cities, or looked up by a secret's hash without the
 * city. Sessions, tickets, keys and credentials are few (one per login, stream, system or person),
 * written per login or per request (api_keys.last_used_at, failed_logins): a reference table would
 * write every node each time, a distributed one would search every shard for a hash. One node
 * also keeps the secrets' hashes in one place.
 */
export const LOCAL = {
  event_consumers: "each consumer's cursor over the whole log, of all cities",
  schema_migrations: 'the migrations applied to the database, not to a city',
  dropped_indexes: "the indexes a bulk load dropped and has yet to build again: the database's schema, not a city's",
  unchecked_rows: "the tables a bulk load wrote without their foreign keys' checks, until one passes: the database's, not a city's",
  staff_credentials: 'password hashes and lock-outs, keyed by staff id and written at every login',
  sessions: 'bearer sessions, found by the token hash alone on every request, without the city',
  stream_tickets: 'live-stream tickets, found by the ticket hash alone, one per stream opened',
  api_keys: 'API keys, found by the key hash alone and stamped last_used_at on every request',
  sms_callback_nonces: "nonces of signed SMS callbacks, found by the nonce alone, kept while a callback's timestamp is within 5 minutes of the clock (at most 10 minutes)",
  channel_nonces: "nonces of WeChat's and Weibo's signed callbacks with their bodies' digests, found by channel and nonce alone, kept 10 minutes at most",
  citizens: 'app citizens, found by phone at sign-in and by id from their session, without the city',
  citizen_sign_in_codes: 'the one-time codes sent to phones, one row per phone, written at every code sent and every code tried',
  citizen_sessions: "app citizens' bearer sessions, found by the token hash alone on every request",
  portal_spent_challenges: 'proof-of-work challenges spent, found by their nonce alone, kept the 15 minutes a challenge lives',
  webhook_subscriptions: "each webhook's cursor over the whole log, as the consumers' are, found due by the sender across all cities",
  webhook_attempts: "each webhook's tries, written by the sender beside its cursor and kept 30 days",
} as const satisfies Record<string, string>;

/** The three lists, by table name: what the catalog check takes. */
export interface Placement {
  distributed: readonly string[];
  reference: readonly string[];
  local: readonly string[];
}

export const PLACEMENT: Placement = {
  distributed: Object.keys(DISTRIBUTED),
  reference: Object.keys(REFERENCE),
  local: Object.keys(LOCAL),
};
