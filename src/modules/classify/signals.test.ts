import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSignals, isUrgent, SIGNAL_GROUP, SIGNAL_KINDS, type SignalKind } from './signals.js';

// The labelled sample: requests written for this test (not from any data set), each with the
// signals a supervisor would want raised. Plain requests that mention the same subjects without
// danger, and denials (没有燃气味), are here on purpose.
const SAMPLE: [string, SignalKind[]][] = [
  // gas
  ['楼道里燃气味很重，担心泄漏，请马上来人', ['gas']],
  ['家里天然气管道漏气了，嘶嘶响', ['gas']],
  ['单元门口闻到很浓的煤气味，已经半小时了', ['gas']],
  ['饭店后厨液化气罐泄漏，周围都是味道', ['gas']],
  ['小区燃气管道被挖断，燃气泄露', ['gas']],
  ['楼下燃气爆炸了，玻璃都震碎了，有人受伤', ['gas', 'injury']],
  ['请问燃气费在哪里缴纳', []],
  ['咨询天然气开户需要什么材料', []],
  ['燃气公司上门安检，检查后没有燃气味了，特此表扬', []],
  ['已经检查过，没有发现漏气', []],
  ['燃气表不走字，要求更换燃气表', []],
  // fire
  ['对面楼五层着火了，浓烟很大', ['fire']],
  ['垃圾站起火，火势蔓延很快', ['fire']],
  ['地下室电动车充电冒烟，快来人', ['fire']],
  ['小区配电箱起火，已经打了119', ['fire']],
  ['山上有明火，可能是有人烧荒', ['fire']],
  ['消防通道被私家车占用，建议清理', []],
  ['工厂烟囱冒烟，气味刺鼻，污染空气', []],
  ['春节期间燃放烟花爆竹的规定是什么', []],
  ['商场消防设施过期，存在安全隐患', []],
  ['昨天的火情已经扑灭，咨询后续赔偿', ['fire']],
  // injury
  ['路上井盖丢失，有老人掉进去摔伤了', ['injury']],
  ['工地高空坠物砸伤路人，流了很多血', ['injury', 'collapse']],
  ['小区里的狗把小孩咬伤了，狗主人不管', ['injury']],
  ['邻居被人打伤了，现在还在医院', ['injury']],
  ['电线杆倒了，有人触电，已经叫了120', ['injury', 'collapse']],
  ['学生在学校骨折，学校推卸责任', ['injury']],
  ['咨询工伤认定需要哪些材料', []],
  ['单位不给报销医药费', []],
  ['幸好没有人受伤，请尽快修好围墙', []],
  ['老人在家中晕倒，独居无人照顾，请社区帮忙', ['injury']],
  // flooding
  ['暴雨后地下车库被淹，车都泡在水里', ['flooding']],
  ['小区积水很深，已经进屋了', ['flooding']],
  ['楼上水管爆裂，水漫到我家，天花板在滴水', ['flooding']],
  ['主干道水管爆管，路面全是水', ['flooding']],
  ['下水道倒灌，一楼住户家里全是污水', ['flooding']],
  ['雨天路口积水，建议改造排水', []],
  ['咨询自来水费阶梯价格', []],
  ['家里停水两天了，什么时候恢复', []],
  ['河堤有渗漏，担心决堤', ['flooding']],
  // self-harm
  ['工资拖欠半年，我已经活不下去了', ['self_harm']],
  ['我姐姐说不想活了，要从楼上跳下去', ['self_harm']],
  ['有人站在桥上要跳河，快来人', ['self_harm']],
  ['再不解决我就喝药，一死了之', ['self_harm']],
  ['楼顶有人要跳楼，围了很多人', ['self_harm']],
  ['咨询心理咨询热线的电话', []],
  ['跳广场舞的音响太吵', []],
  // violence
  ['讨薪被包工头威胁，说要找人打我', ['violence']],
  ['门口有人持刀闹事，非常危险', ['violence']],
  ['邻居经常家暴，半夜听到哭喊', ['violence']],
  ['烧烤店门口有人打架斗殴', ['violence']],
  ['他说要报复我们全家', ['violence']],
  ['建议加强小区治安巡逻', []],
  ['举报有人在小区里散发传单', []],
  // collapse / trapped
  ['老楼外墙塌了一块，下面是人行道', ['collapse']],
  ['电梯困人半小时了，物业电话打不通', ['collapse']],
  ['路面塌陷出现大坑，车辆差点掉进去', ['collapse']],
  ['有人被困在电梯里，快来救人', ['collapse']],
  ['危房的阳台随时可能倒塌', ['collapse']],
  ['电梯经常停运，建议更换', []],
  ['小区路面破损，坑坑洼洼', []],
  // anger
  ['物业太过分了，简直欺人太甚！！', ['anger']],
  ['我对处理结果严重不满，要求重新调查', ['anger']],
  ['这种服务态度让人忍无可忍', ['anger']],
  ['我非常气愤，办事人员态度恶劣', ['anger']],
  ['感谢社区工作人员的耐心帮助', []],
  ['建议延长公交末班车时间', []],
  ['希望有关部门尽快处理，谢谢', []],
  // repeated failure
  ['这个问题我已经多次反映，一直没有人处理', ['repeated']],
  ['第三次投诉了，问题至今没有解决', ['repeated']],
  ['去年反映的路灯问题还是没有解决', ['repeated']],
  ['打了好几次电话，部门之间互相踢皮球', ['repeated']],
  ['上次的投诉石沉大海，没有任何回复', ['repeated']],
  ['反复投诉都被敷衍，到底谁来管', ['repeated']],
  ['这是我第一次反映这个问题', []],
  ['感谢上次及时处理了路灯问题', []],
  // both kinds
  ['多次反映楼道燃气味，一直没人管，出了事谁负责！！', ['gas', 'repeated', 'anger']],
  ['水管爆裂三天了还是没有处理，家里被淹，太过分了', ['flooding', 'repeated', 'anger']],
  // dangers only supposed, and words that look like a cue but are not
  ['消防通道被堵，万一起火消防车进不来', []],
  ['建议加装防护网，以免发生触电事故', []],
  ['如果燃气管道漏气导致爆炸，谁来负责', []],
  ['电梯带故障运行，严重威胁居民生命安全', []],
  ['游乐场的跳楼机是否属于特种设备', []],
  ['工厂排放浓烟滚滚，空气污染严重', []],
  ['年轻生命不应该浪费在网络游戏上', []],
  ['乱收会费的做法太伤人民的心了', []],
  ['包工头恐吓工人，不许他们讨薪', ['violence']],
  // ordinary requests with no signal
  ['小区门口垃圾桶满了没人清运', []],
  ['孩子入学需要哪些材料', []],
  ['公司拖欠工资三个月', []],
  ['夜间施工噪音扰民，影响休息', []],
  ['超市销售过期食品，要求退货被拒绝', []],
  ['公交车班次太少，等车时间太长', []],
  ['社保转移怎么办理', []],
  ['医院挂号难，专家号挂不上', []],
  ['路灯不亮，晚上出行不方便', []],
  ['表扬公园工作人员认真负责', []],
];

function figures(group: 'danger' | 'sentiment') {
  let tp = 0; let fp = 0; let fn = 0;
  const misses: string[] = [];
  for (const [text, expected] of SAMPLE) {
    const want = new Set(expected.filter((k) => SIGNAL_GROUP[k] === group));
    const got = new Set(detectSignals(text).filter((s) => s.group === group).map((s) => s.kind));
    for (const k of got) if (want.has(k)) tp++; else { fp++; misses.push(`+${k}: ${text}`); }
    for (const k of want) if (!got.has(k)) { fn++; misses.push(`-${k}: ${text}`); }
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), tp, fp, fn, misses };
}

test('raises danger signals on the labelled sample with precision and recall of at least 0.9', () => {
  const f = figures('danger');
  console.log(`danger signals on ${SAMPLE.length} labelled texts: precision ${f.precision.toFixed(3)}, recall ${f.recall.toFixed(3)} ` +
    `(tp ${f.tp}, fp ${f.fp}, fn ${f.fn})${f.misses.length ? `; wrong: ${f.misses.join(' | ')}` : ''}`);
  assert.ok(f.precision >= 0.9 && f.recall >= 0.9, f.misses.join('\n'));
});

test('raises anger and repeated-failure signals on the labelled sample with precision and recall of at least 0.9', () => {
  const f = figures('sentiment');
  console.log(`sentiment signals on ${SAMPLE.length} labelled texts: precision ${f.precision.toFixed(3)}, recall ${f.recall.toFixed(3)} ` +
    `(tp ${f.tp}, fp ${f.fp}, fn ${f.fn})${f.misses.length ? `; wrong: ${f.misses.join(' | ')}` : ''}`);
  assert.ok(f.precision >= 0.9 && f.recall >= 0.9, f.misses.join('\n'));
});

test('a gas smell denied is not raised, and any danger makes the request urgent', () => {
  assert.deepEqual(detectSignals('检查后没有燃气味'), []);
  assert.equal(isUrgent(detectSignals('楼道燃气味很重')), true);
  assert.equal(isUrgent(detectSignals('我已经多次反映了')), false);
  assert.equal(detectSignals('楼道燃气味很重')[0]!.evidence, '燃气味');
});

test('every kind is exercised by the sample', () => {
  const used = new Set(SAMPLE.flatMap(([, kinds]) => kinds));
  assert.deepEqual(SIGNAL_KINDS.filter((k) => !used.has(k)), []);
});
