// Urgency and sentiment signals: texts that speak of danger (a gas smell, fire, someone hurt, flooding,
// a threat of self-harm or violence, a collapse or someone trapped) are flagged for priority; anger and
// repeated failure are flagged for the supervisor. A lexicon of patterns with negation, measured on the
// labelled sample in signals.test.ts (precision and recall printed there), not a model: no hotline
// history labels these, and a missed gas leak must be explainable by the words that were not there.
import { normalizeText } from './text.js';

export const SIGNAL_KINDS = ['gas', 'fire', 'injury', 'flooding', 'self_harm', 'violence', 'collapse', 'anger', 'repeated'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** danger: handle first (urgent); sentiment: the citizen's patience is gone (supervisor's attention) */
export const SIGNAL_GROUP: Record<SignalKind, 'danger' | 'sentiment'> = {
  gas: 'danger', fire: 'danger', injury: 'danger', flooding: 'danger', self_harm: 'danger', violence: 'danger', collapse: 'danger',
  anger: 'sentiment', repeated: 'sentiment',
};

export const SIGNAL_LABELS: Record<SignalKind, { zh: string; en: string }> = {
  gas: { zh: '燃气泄漏', en: 'gas leak' },
  fire: { zh: '火情', en: 'fire' },
  injury: { zh: '人员受伤', en: 'someone hurt' },
  flooding: { zh: '水淹内涝', en: 'flooding' },
  self_harm: { zh: '轻生倾向', en: 'threat of self-harm' },
  violence: { zh: '暴力威胁', en: 'violence or threat' },
  collapse: { zh: '坍塌被困', en: 'collapse or someone trapped' },
  anger: { zh: '情绪激动', en: 'anger' },
  repeated: { zh: '多次反映未解决', en: 'repeated without a solution' },
};

export interface Signal {
  kind: SignalKind;
  group: 'danger' | 'sentiment';
  /** the words that raised it */
  evidence: string;
}

const GAS = '(?:燃气|煤气|天然气|液化气|瓦斯)';
const PATTERNS: [SignalKind, RegExp][] = [
  ['gas', new RegExp(`${GAS}[^，。！？,.!?]{0,8}(?:泄漏|泄露|漏气|漏了|味|爆炸|爆燃)|漏气|闻到[^，。！？,.!?]{0,6}${GAS}`, 'g')],
  ['fire', /着火|起火|失火|火灾|火情|火势|烧起来|明火|(?<!排放|排出|工厂)浓烟(?!滚滚)|(?<!烟囱|烟筒)冒烟|(?<!烟花)爆炸(?!案)/g],
  // 死亡 alone is mostly a dispute about a past death (a hospital, an insurer): only a death just now counts
  ['injury', /受伤(?!害)|(?<!工)伤人(?!民)|流血(?!流汗)|骨折|昏迷|晕倒|摔伤|砸伤|撞伤|烫伤|咬伤|触电|打伤|被打|送医|(?:当场|有人|已经)(?:死亡|身亡)|生命危险|出人命/g],
  ['flooding', /被淹|淹了|淹没|倒灌|进水|水漫|漫进|积水[^，。！？,.!?]{0,4}(?:很深|过膝|齐腰|进屋|进家)|水管(?:爆裂|破裂|爆了|爆管)|爆管|内涝|决堤|溃堤/g],
  ['self_harm', /(?<!年)轻生|(?<!慢性)自杀|跳楼(?!机)|跳河|割腕|服毒|喝药|不想活|活不下去|寻死|一死了之|结束(?:自己的)?生命/g],
  // 威胁 alone is mostly "威胁生命安全" (a hazard): only a threat made to someone counts
  ['violence', /报复|同归于尽|杀了|砍人|持刀|打架|斗殴|殴打|(?:被|遭到|遭)[^，。！？,.!?]{0,4}(?:威胁|恐吓)|威胁(?:我|我们|说|要)|恐吓|家暴|炸掉/g],
  ['collapse', /坍塌|倒塌|塌陷|塌了|高空坠物|掉下来|电梯困人|被困|困在电梯/g],
  ['anger', /愤怒|气愤|忍无可忍|太过分|岂有此理|欺人太甚|无法忍受|不可理喻|天理何在|严重不满|极度不满|非常不满|强烈不满|!{2,}/g],
  ['repeated', new RegExp([
    '多次(?:反映|投诉|打电话|拨打|来电|举报|找|联系)', '反复(?:反映|投诉)', '屡次', '第[二三四五六七八九十0]+次(?:反映|投诉|来电|打)',
    '一直(?:没有|没|无)(?:人)?(?:处理|解决|回复|管)', '至今(?:没有|没|未|仍未|还没)(?:解决|处理|回复|答复)',
    '(?:还是|依然|仍然|仍)(?:没有|没|未)(?:解决|处理|回复)', '石沉大海', '踢皮球', '推诿', '敷衍', '不了了之', '无人问津',
  ].join('|'), 'g')],
];

// A cue right after one of these words is denied, not reported: 没有燃气味, 未发现明火, 无人受伤.
const NEGATION = /(?:没有|没|无|未|并未|不是|不存在|排除|未发现|没发现)[^，。！？,.!?]{0,3}$/;
// A danger only supposed is not happening: 万一起火, 如果发生漏气, 以免发生火灾.
const SUPPOSED = /(?:万一|如果|一旦|假如|倘若|若是|以免|防止|避免|预防)[^，。！？,.!?]{0,8}$/;

/** The signals in a text, each kind once, with the words that raised it. */
export function detectSignals(text: string): Signal[] {
  const normalized = normalizeText(text);
  const found = new Map<SignalKind, Signal>();
  for (const [kind, pattern] of PATTERNS) {
    for (const match of normalized.matchAll(pattern)) {
      const before = normalized.slice(Math.max(0, match.index - 10), match.index);
      if (NEGATION.test(before) || (SIGNAL_GROUP[kind] === 'danger' && SUPPOSED.test(before))) continue;
      found.set(kind, { kind, group: SIGNAL_GROUP[kind], evidence: match[0] });
      break;
    }
  }
  return [...found.values()];
}

/** Whether the signals call for handling first: any danger. */
export const isUrgent = (signals: Signal[]): boolean => signals.some((s) => s.group === 'danger');
