// The knowledge base (知识库): articles owned by units, reviewed and published by the hotline,
// searched in Chinese while the caller waits, used in direct answers and counted; the public FAQ.
export {
  createArticle, importArticles, writeVersion, submitVersion, reviewVersion, withdrawArticle, getArticle, articleVersions, workList, articleForAnswer, proposalFrom,
  EDITORS, KNOWLEDGE_REVIEWERS, VERSION_STATUSES, type Article, type ArticleContent, type Version, type WorkItem, type OrderForProposal,
} from './articles.js';
export { searchArticles, queryTerms, mark, snippet, type SearchQuery, type SearchResult, type Hit, type Marked } from './search.js';
export { forgetHeldIndexes } from './ranking.js';
export { knowledgeUsageConsumer, usageReport, type UsageReport, type ArticleUsage } from './usage.js';
export { expiryTimer, ensureExpiryCheck, noticeExpired, expiryReport, KNOWLEDGE_EXPIRY_TIMER, type ExpiryItem } from './expiry.js';
