// Words for the full-text index. Until the classifier brings a segmenter (jieba, with the city's
// dictionary), Chinese is indexed as overlapping character pairs: 路灯不亮 → 路灯 灯不 不亮.
// Pairs find any query of two or more characters, on PGlite and PostgreSQL alike, with no
// locale-dependent parser involved: the index takes the space-separated words as they are
// (`minsheng_search_words`, array_to_tsvector), and a search's words are a tsquery as written.
// The index only narrows a search: every term is then checked against the text as written, so
// that 解放路112号 finds that address and not a 解放路 with a 112 somewhere else.

const CJK = /[\u3400-\u9fff\uf900-\ufaff]+/g;
const WORD = /[a-z0-9]+/g;
const TRACKING_NO = /^\d{8}-\d{8}$/;

/** Enough tokens for the longest title and text (20,000 characters): a token left out is a search that misses. */
const MAX_TOKENS = 25_000;
/**
 * A longer ASCII word is indexed by its first 64 characters, and a search narrows by a term's first
 * 64 (the check on the text is exact): the index takes a word of up to 2,046 bytes, no more.
 */
const MAX_WORD = 64;

/** Space-separated distinct tokens of a text: CJK character pairs and lower-cased ASCII words. */
export function searchTokens(text: string, maxTokens = MAX_TOKENS): string[] {
  const tokens = new Set<string>();
  const lower = text.toLowerCase();
  for (const run of lower.match(CJK) ?? []) {
    if (run.length === 1) tokens.add(run);
    for (let i = 0; i + 1 < run.length; i++) tokens.add(run.slice(i, i + 2));
  }
  for (const word of lower.match(WORD) ?? []) tokens.add(word.slice(0, MAX_WORD));
  return [...tokens].slice(0, maxTokens);
}

/** How a search's `q` is matched. */
export interface TextSearch {
  /** q is a tracking number (20261125-00000042): the order with it */
  trackingNo: string | null;
  /** a tsquery (its words as written) that every match satisfies, narrowing by the index; null when no term can use it */
  tsquery: string | null;
  /** the space-separated terms, each to be found as written in the title or the text (case aside) */
  pieces: string[];
}

/**
 * The index's part of a search: pairs that cover each term's CJK runs (拖欠工资 → 拖欠 工资; the
 * overlapping 欠工 would add nothing the check on the text misses, and the planner, multiplying
 * each pair's rarity, would take the search for rarer than it is), and its ASCII words as prefixes
 * (the text's 112号 is indexed as 112, which a search for 11 must find). A single CJK character
 * between others is indexed only inside its pairs, so it narrows nothing; the check on the text finds it.
 */
export function textSearch(query: string): TextSearch {
  const q = query.trim();
  if (TRACKING_NO.test(q)) return { trackingNo: q, tsquery: null, pieces: [] };
  const pieces = [...new Set(q.toLowerCase().split(/\s+/).filter(Boolean))].slice(0, 16);
  const tokens = new Set<string>();
  for (const piece of pieces) {
    for (const run of piece.match(CJK) ?? []) {
      for (let i = 0; i + 1 < run.length; i += 2) tokens.add(`'${run.slice(i, i + 2)}'`);
      if (run.length > 2 && run.length % 2 === 1) tokens.add(`'${run.slice(-2)}'`);
    }
    for (const word of piece.match(WORD) ?? []) tokens.add(`'${word.slice(0, MAX_WORD)}':*`);
  }
  return { trackingNo: null, tsquery: tokens.size ? [...tokens].slice(0, 64).join(' & ') : null, pieces };
}
