// Chinese text for the classifier: normalisation, word segmentation (jieba, with the city's place
// names and the hotline's own vocabulary), stop words, and character n-grams. Pure and synchronous:
// the same text always gives the same tokens, so a model trained today reads tomorrow's orders alike.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba, TfIdf } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';

const here = (file: string) => new URL(file, import.meta.url);

/**
 * Words the hotline uses that jieba's general dictionary cuts apart (路灯 → 路/灯不亮), one per line
 * (`#` comments). Kept as data beside the code; the directory's place names are added at run time.
 */
export const HOTLINE_VOCABULARY: readonly string[] = readWordList(here('./vocabulary.txt'));

// Kept although stopwords-zh lists them: negations say what is wrong (不亮, 无水), and 区, 大, 小, 多
// name places and amounts the topics turn on.
const NOT_STOP_WORDS = new Set(['不', '无', '非', '没奈何', '区', '大', '小', '多', '少', '上', '下', '内', '点', '起', '开始']);

/** Function words that carry no topic: the maintained stopwords-zh list (794 words), less NOT_STOP_WORDS. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (createRequire(import.meta.url)('stopwords-zh') as string[]).filter((w) => !NOT_STOP_WORDS.has(w)));

function readWordList(url: URL): string[] {
  return readFileSync(url, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

// A user word gets this frequency so that jieba keeps it whole against single characters around it
// (路灯 is 446 in the general dictionary, and 路/灯不亮 still wins at that weight).
const USER_WORD_FREQUENCY = 50_000;

const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const WORDISH = /^[\p{L}\p{N}]/u;

/**
 * Full-width to half-width (NFKC), lower case, masked digits (`****`) and runs of digits folded to
 * one `0`: numbers, dates and masked ID numbers are noise to a topic, their presence is not.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[0-9*＊]+/g, '0').replace(/\s+/g, ' ').trim();
}

/** A jieba segmenter with the hotline's vocabulary and any extra words (the city's place names). */
export class Segmenter {
  private readonly jieba: Jieba;
  private tfidf: TfIdf | null = null;
  /** the words given beyond the hotline vocabulary (place names): a model stores them, to read texts as it was trained */
  readonly extraWords: string[];

  private readonly stopWords: ReadonlySet<string>;

  /** `options` turn the hotline vocabulary or the stop words off, to measure what each brings (bench only). */
  constructor(extraWords: Iterable<string> = [], options: { vocabulary?: boolean; stopWords?: boolean } = {}) {
    this.jieba = Jieba.withDict(dict);
    this.extraWords = [...new Set(extraWords)].sort();
    this.stopWords = options.stopWords === false ? new Set() : STOP_WORDS;
    this.addWords([...(options.vocabulary === false ? [] : HOTLINE_VOCABULARY), ...this.extraWords]);
  }

  /**
   * The `k` words that best say what a text is about: term frequency × inverse document frequency
   * from jieba's general corpus (words it does not know weigh as its median), stop words left out.
   * Independent of any trained model, so an order's keywords never change when a model does.
   */
  keywords(text: string, k: number): { word: string; weight: number }[] {
    if (!this.tfidf) {
      this.tfidf = TfIdf.withDict(idf);
      // stop words are filtered here: the binding (2.0.3) fails to read a `stopWords` set
      this.tfidf.setConfig({ minKeywordLength: 2, useHmm: true });
    }
    return this.tfidf.extractKeywords(this.jieba, normalizeText(text), k + 8)
      .filter((kw) => WORDISH.test(kw.keyword) && !/^0+$/.test(kw.keyword) && !STOP_WORDS.has(kw.keyword))
      .slice(0, k)
      .map((kw) => ({ word: kw.keyword, weight: kw.weight }));
  }

  /** Adds words to keep whole; a word of one character is ignored. */
  private addWords(words: Iterable<string>): void {
    const lines: string[] = [];
    for (const word of words) {
      const w = word.trim();
      if (w.length > 1 && !/\s/.test(w)) lines.push(`${w} ${USER_WORD_FREQUENCY} n`);
    }
    if (lines.length) this.jieba.loadDict(Buffer.from(lines.join('\n') + '\n'));
  }

  /** Words of a normalised text, without punctuation and stop words; the HMM guesses unknown words. */
  words(normalized: string): string[] {
    return this.kept(this.jieba.cut(normalized, true));
  }

  /**
   * Words for a search index: as `words`, plus the shorter words inside each long one (住房公积金 also
   * gives 住房 and 公积金), so that a query cut either way finds it.
   */
  searchWords(normalized: string): string[] {
    return this.kept(this.jieba.cutForSearch(normalized, true));
  }

  private kept(tokens: string[]): string[] {
    const out: string[] = [];
    for (const token of tokens) {
      const t = token.trim();
      if (t && WORDISH.test(t) && !this.stopWords.has(t)) out.push(t);
    }
    return out;
  }
}

const segmenters = new Map<string, Segmenter>();

/**
 * A segmenter with these extra words, shared: jieba's dictionary takes about 170 ms and tens of MB
 * to load, so models trained with the same place names share one. The last two are kept.
 */
export function sharedSegmenter(extraWords: string[]): Segmenter {
  const key = [...new Set(extraWords)].sort().join('\n');
  let segmenter = segmenters.get(key);
  if (!segmenter) {
    segmenter = new Segmenter(extraWords);
    segmenters.set(key, segmenter);
    if (segmenters.size > 2) segmenters.delete(segmenters.keys().next().value!);
  }
  return segmenter;
}

/** Character n-grams of `min`..`max` characters within each run of Chinese characters. */
export function charNgrams(normalized: string, min: number, max: number): string[] {
  const out: string[] = [];
  for (const run of normalized.match(CJK_RUN) ?? []) {
    for (let n = min; n <= max; n++) {
      for (let i = 0; i + n <= run.length; i++) out.push(run.slice(i, i + n));
    }
  }
  return out;
}

/**
 * Character n-grams (up to 3) as numbers, two bytes a character: the same n-grams as charNgrams
 * without making a string for each, for scoring a text fast. Unigrams, bigrams and trigrams fall in
 * ranges of their own, since every Chinese character code is at least 0x3400.
 */
export function charNgramCodes(normalized: string, min: number, max: number): number[] {
  const out: number[] = [];
  for (const run of normalized.match(CJK_RUN) ?? []) {
    for (let n = min; n <= max; n++) {
      for (let i = 0; i + n <= run.length; i++) {
        let code = 0;
        for (let k = 0; k < n; k++) code = code * 65536 + run.charCodeAt(i + k);
        out.push(code);
      }
    }
  }
  return out;
}

/** The code charNgramCodes gives an n-gram string. */
export function charNgramCode(gram: string): number {
  let code = 0;
  for (let k = 0; k < gram.length; k++) code = code * 65536 + gram.charCodeAt(k);
  return code;
}
