// The words of generated orders: phrase templates the project writes, per top-level category, with
// the place and the matter filled in, opened and closed as the request's type has it (a complaint,
// an enquiry, a praise), so that a generated history reads like a hotline's (and the classifier, the
// keyword search, similar orders and hot topics have words to work on). An incident's reports share
// its words, as neighbours reporting one burst water main do.
import type { REQUEST_TYPES } from './model.js';
import type { Random } from './random.js';

export interface TextSlots {
  /** the community (小区, 村) and its street */
  community: string;
  street: string;
  /** the category's own name, and its parent's when its own says nothing ("其他") */
  matter: string;
  season: 'heating' | 'rains' | 'other';
  /** what the caller wants: it shows in how they open and close (我要投诉… / 请问…) */
  requestType: RequestKind;
}

type RequestKind = (typeof REQUEST_TYPES)[number];

/** How a caller opens and closes, by what they want. */
const OPENINGS: Record<RequestKind, readonly string[]> = {
  complaint: ['我要投诉，', '投诉一下，', '我想反映一下，', '你好，我是附近居民，'],
  help: ['麻烦帮帮忙，', '您好，求助一下，', '你好，我是附近居民，', ''],
  enquiry: ['麻烦问一下，', '咨询一下，', '您好，想了解一下，'],
  report: ['我要举报，', '举报一个情况，', '实名反映，'],
  suggestion: ['提个建议，', '我有个建议，', '您好，'],
  praise: ['我要表扬，', '您好，想表扬一下，'],
  other: ['您好，', '反映个情况，', ''],
};
const ASKS: Record<RequestKind, readonly string[]> = {
  complaint: ['请尽快解决。', '多次反映没有结果，请督促解决。', '希望有关部门尽快处理。'],
  help: ['请尽快派人来看看。', '希望能帮忙协调一下。', '家里老人孩子等着，麻烦尽快。'],
  enquiry: ['请问该怎么办理？', '请问找哪个部门？', '想问问具体的规定。'],
  report: ['请有关部门依法查处。', '请相关部门核实处理。'],
  suggestion: ['建议有关部门统筹考虑。', '希望能采纳这个建议。'],
  praise: ['特此致谢！', '真心感谢他们！'],
  other: ['希望能给个答复。', '请相关部门核实处理。'],
};
/** What a caller asks about a matter, and what one suggests: the middle of an enquiry's or a suggestion's words. */
const ENQUIRIES = ['想了解{matter}的相关规定', '{matter}的事情不知道该找哪个部门', '{matter}需要办哪些手续', '想问问{matter}方面有什么政策'];
const SUGGESTIONS = ['{matter}方面还可以做得更好', '希望在{matter}方面多一些便民措施', '觉得{matter}的安排不太合理'];
/** What a thankful caller says of the people who handled a matter. */
const PRAISES = ['的工作人员服务热情，问题很快就解决了', '的师傅上门及时，态度很好', '的同志耐心细致，帮我们解决了大难题'];
const TIMES = ['最近一周', '这几天', '从上个月开始', '今天早上', '已经半个多月了', '最近两个月', '昨天晚上'];

/** What people say about a matter, by top-level category code (the default tree's 15). */
const PROBLEMS: Record<string, readonly string[]> = {
  '01': ['{matter}问题一直没有解决', '{matter}方面存在隐患，居民意见很大', '小区{matter}管理混乱', '{matter}的事情拖了很久'],
  '02': ['关于{matter}的政策想咨询一下', '{matter}方面的工作有意见'],
  '03': ['{matter}手续办不下来', '附近有人违规{matter}', '{matter}补偿标准不清楚'],
  '04': ['附近工厂{matter}严重，气味很大', '{matter}问题影响居民生活', '晚上有{matter}，噪音和异味扰民'],
  '05': ['反映{matter}问题', '有工作人员{matter}，请调查'],
  '06': ['{matter}服务差，司机态度恶劣', '{matter}班次太少，等车时间很长', '{matter}方面乱收费'],
  '07': ['{matter}方面遇到困难', '企业{matter}问题咨询', '{matter}收费不合理'],
  '08': ['{matter}信号很差', '{matter}服务收费有问题', '{matter}业务办理不了'],
  '09': ['{matter}补助一直没有发放', '咨询{matter}的申请条件', '{matter}办理流程太复杂'],
  '10': ['{matter}补贴没有到位', '村里{matter}不公开', '{matter}问题需要协调'],
  '11': ['商家{matter}，欺骗消费者', '{matter}价格不合理', '购买商品后{matter}，商家拒绝退换'],
  '12': ['医院{matter}问题', '{matter}方面有隐患', '咨询{matter}相关政策'],
  '13': ['{matter}办理遇到困难', '附近{matter}问题严重，晚上不安全', '{matter}纠纷需要调解'],
  '14': ['学校{matter}问题', '孩子{matter}的事情想咨询', '{matter}收费不合理'],
  '15': ['公司{matter}问题，多次协商无果', '咨询{matter}怎么办理', '单位不给办理{matter}', '{matter}待遇没有落实'],
};

/** The phrases that find fault (a complaint's, a report's, a call for help's): those that are not questions. */
const FAULTS: Record<string, readonly string[]> = Object.fromEntries(Object.entries(PROBLEMS).map(([code, phrases]) => [code, phrases.filter((p) => !p.includes('咨询'))]));

const SEASONAL: Record<TextSlots['season'], readonly string[]> = {
  heating: ['暖气不热，室温只有十五度左右', '供暖以来家里暖气一直不热', '暖气片温度很低，老人孩子受不了'],
  rains: ['下雨后路面积水很深，车辆无法通行', '暴雨后小区内涝，地下室进水', '雨水井堵塞，一下雨就积水'],
  other: [],
};

/** Heating in winter and standing water in the summer rains: the seasonal matters' own words. */
export function seasonalWords(season: TextSlots['season']): readonly string[] {
  return SEASONAL[season];
}

/** A title and a text for an ordinary request. */
export function compose(random: Random, topCode: string, slots: TextSlots): { title: string; body: string } {
  const kind = slots.requestType;
  const opening = random.pick(OPENINGS[kind]);
  const ask = random.pick(ASKS[kind]);
  const fill = (phrase: string) => phrase.replaceAll('{matter}', slots.matter);
  if (kind === 'praise') {
    return { title: `表扬${slots.community}${slots.matter}工作人员`.slice(0, 40),
      body: `${opening}${slots.street}${slots.community}${slots.matter}${random.pick(PRAISES)}，${ask}` };
  }
  if (kind === 'enquiry' || kind === 'suggestion') {
    const middle = fill(random.pick(kind === 'enquiry' ? ENQUIRIES : SUGGESTIONS));
    return { title: `${slots.community}${slots.matter}${kind === 'enquiry' ? '咨询' : '建议'}`.slice(0, 40),
      body: `${opening}我住在${slots.street}${slots.community}，${middle}，${ask}` };
  }
  const seasonal = SEASONAL[slots.season];
  const problem = seasonal.length ? random.pick(seasonal) : fill(random.pick(FAULTS[topCode] ?? FAULTS['01']!));
  const title = `${slots.community}${seasonal.length ? (slots.season === 'heating' ? '暖气不热' : '雨后积水') : slots.matter}`.slice(0, 40);
  return { title, body: `${opening}${slots.street}${slots.community}${random.pick(TIMES)}${problem}，${ask}` };
}

/** What the reports of one incident share: a matter, in the words neighbours use for it. */
const INCIDENTS = [
  { category: '010216', title: '突然停水', body: '小区突然停水，没有任何通知，家里老人孩子没水用' },
  { category: '010213', title: '燃气泄漏', body: '楼道里燃气味很重，担心泄漏，请马上派人来查看' },
  { category: '010215', title: '大面积停电', body: '小区整片停电，电梯里可能有人被困' },
  { category: '010211', title: '路面塌陷', body: '路面突然塌陷出一个大坑，非常危险，车辆无法通行' },
  { category: '010204', title: '污水外溢', body: '下水道堵塞，污水从井盖冒出来，臭味很大' },
  { category: '010208', title: '暖气管道爆裂', body: '暖气管道爆裂，楼道里全是热水，整栋楼没有暖气' },
] as const;

export const INCIDENT_KINDS = INCIDENTS.length;

/** The category an incident's reports are registered under (the default tree's code). */
export function incidentCategory(kind: number): string {
  return INCIDENTS[kind % INCIDENTS.length]!.category;
}

/** One report of incident `kind` at the community, in the words of one of its neighbours. */
export function composeIncident(random: Random, kind: number, slots: TextSlots): { title: string; body: string } {
  const incident = INCIDENTS[kind % INCIDENTS.length]!;
  return { title: `${slots.community}${incident.title}`.slice(0, 40),
    body: `${random.pick(OPENINGS.help)}${slots.street}${slots.community}${incident.body}，${random.pick(ASKS.help)}` };
}
