// Builds the shipped default category tree (src/modules/taxonomy/default-tree.csv) from the public
// three-level government-message classification in ../shared/data/gov-messages/taxonomy-3level.csv.
// Each node gets a code (two digits per level), the kind of handling unit that takes it by default,
// and a handling time limit in working days. Run: npx tsx scripts/build-default-taxonomy.ts [source.csv]
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

if (process.argv.includes('--help')) {
  console.log('usage: npx tsx scripts/build-default-taxonomy.ts [taxonomy-3level.csv]');
  process.exit(0);
}
const source = process.argv[2] ?? new URL('../../shared/data/gov-messages/taxonomy-3level.csv', import.meta.url).pathname;
const target = new URL('../src/modules/taxonomy/default-tree.csv', import.meta.url).pathname;

// Default unit kind by first-level category; deeper rules override.
const LEVEL1_KIND: Record<string, string> = {
  城乡建设: 'housing', 党务政务: 'district_government', 国土资源: 'natural_resources', 环境保护: 'environment',
  纪检监察: 'discipline', 交通运输: 'transport', 经济管理: 'development', 科技与信息产业: 'science',
  民政: 'civil_affairs', 农村农业: 'agriculture', 商贸旅游: 'commerce', 卫生计生: 'health',
  政法: 'public_security', 教育文体: 'education', 劳动和社会保障: 'hr_social_security',
};
const LEVEL2_KIND: Record<string, string> = {
  安全生产: 'emergency', 城市建设和市政管理: 'urban_management', 城乡规划: 'natural_resources',
  村镇建设: 'district_government', 住房保障与房地产: 'housing', 海洋气象地震: 'emergency',
  出租车管理: 'transport', 邮政管理: 'postal', 保险证券期货: 'finance', 金融财税: 'finance',
  国资监管: 'state_assets', 电信: 'telecom', 复退安置: 'veterans', 优抚: 'veterans',
  基层选举和社区建设: 'street_office', 林业管理: 'landscaping', 野生资源管理: 'landscaping',
  水利水电: 'water', 水库移民: 'water', 旅游管理: 'culture_tourism', 市场监管: 'market',
  质监检验检疫: 'market', 食品药品监管: 'market', 法律服务: 'justice', 法制建设: 'justice',
  行政复议: 'justice', 仲裁与调解: 'justice', 交通管理: 'traffic_police', 体育: 'sports',
  文化: 'culture_tourism', 文物管理: 'culture_tourism', 城镇居民社会保险: 'medical_insurance',
};
const LEVEL3_KIND: Record<string, string> = {
  燃气供应: 'gas', 自来水供应: 'water_supply', 电力供应: 'power', 冬季采暖: 'heating', 公共汽车: 'transit',
  地铁城铁: 'transit', 园林绿化: 'landscaping', 公园管理: 'landscaping', 园林绿化环卫: 'landscaping',
  小区管理: 'street_office', 环境卫生: 'urban_management',
};
// Working days. Safety and utility outages are short; investigations and reviews are long.
const FAST = new Set(['燃气供应', '自来水供应', '电力供应', '冬季采暖']);
function timeLimit(level1: string, level2: string, level3: string): number {
  if (level2 === '安全生产' || level3 === '安全隐患') return 1;
  if (FAST.has(level3)) return 2;
  if (level1 === '纪检监察') return 15;
  if (['诉讼', '行政复议', '刑案侦破'].includes(level2)) return 10;
  return 5;
}

const rows = parse(readFileSync(source, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as
  { level1: string; level2: string; level3: string }[];
const out: (string | number)[][] = [['code', 'parent_code', 'level', 'name', 'unit_kind', 'time_limit_days']];
const codes = new Map<string, string>();
const childCount = new Map<string, number>();
function codeFor(parent: string, key: string): { code: string; isNew: boolean } {
  const existing = codes.get(key);
  if (existing) return { code: existing, isNew: false };
  const n = (childCount.get(parent) ?? 0) + 1;
  childCount.set(parent, n);
  const code = parent + String(n).padStart(2, '0');
  codes.set(key, code);
  return { code, isNew: true };
}
for (const { level1, level2, level3 } of rows) {
  const c1 = codeFor('', level1);
  if (c1.isNew) out.push([c1.code, '', 1, level1, LEVEL1_KIND[level1] ?? 'district_government', 5]);
  const kind2 = LEVEL2_KIND[level2] ?? LEVEL1_KIND[level1] ?? 'district_government';
  const c2 = codeFor(c1.code, `${level1}/${level2}`);
  if (c2.isNew) out.push([c2.code, c1.code, 2, level2, kind2, timeLimit(level1, level2, '')]);
  const c3 = codeFor(c2.code, `${level1}/${level2}/${level3}`);
  if (c3.isNew) out.push([c3.code, c2.code, 3, level3, LEVEL3_KIND[level3] ?? kind2, timeLimit(level1, level2, level3)]);
}
writeFileSync(target, stringify(out));
console.log(`wrote ${out.length - 1} categories to ${target}`);
