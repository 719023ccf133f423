// Words for the full-text index. Until the classifier brings a segmenter (jieba, with the city's
// dictionary), Chinese is indexed as overlapping character pairs: 路灯不亮 → 路灯 灯不 不亮.
// Pairs find any query of two or more characters, on PGlite and PostgreSQL alike, with no
// locale-dependent parser involved; the 'simple' configuration only splits on spaces.

const CJK = /[\u3400-\u9fff\uf900-\ufaff]+/g;
const WORD = /[a-z0-9]+/g;

/** Space-separated distinct tokens of a text: CJK character pairs and lower-cased ASCII words. */
export function searchTokens(text: string, maxTokens = 400): string[] {
  const tokens = new Set<string>();
  const lower = text.toLowerCase();
  for (const run of lower.match(CJK) ?? []) {
    if (run.length === 1) tokens.add(run);
    for (let i = 0; i + 1 < run.length; i++) tokens.add(run.slice(i, i + 2));
  }
  for (const word of lower.match(WORD) ?? []) tokens.add(word);
  return [...tokens].slice(0, maxTokens);
}

/**
 * A tsquery ('simple') that matches texts containing every token of the query, or null if none.
 * Each space-separated term must appear as written ("路灯 坏了" finds 路灯已经坏了; "路灯坏了" needs 灯坏).
 */
export function searchQuery(query: string): string | null {
  const tokens = searchTokens(query, 32);
  return tokens.length ? tokens.map((t) => `'${t}'`).join(' & ') : null;
}
