// Response schemas of the category-tree endpoints: validation and OpenAPI from one source.
import { Type } from 'typebox';
import { Content, DateTime, Nullable, StringEnum } from '../../http/schemas.js';
import { REQUEST_TYPES, type RequestType } from './index.js';

export const RequestTypeOut = Type.Object({
  code: StringEnum(Object.keys(REQUEST_TYPES) as RequestType[]), zh: Type.String(), en: Type.String(),
});

export const TreeVersionOut = Type.Object({
  version: Type.Integer(), note: Type.String(), createdAt: DateTime(),
  categories: Type.Integer({ description: 'how many categories the version has' }),
});

export const CategoryOut = Type.Object({
  id: Type.Integer({ description: 'this node in this version: what an order filed under it keeps' }),
  code: Type.String(),
  parentCode: Nullable(Type.String(), { description: 'null: a top-level category' }),
  level: Type.Integer({ minimum: 1, maximum: 5 }),
  name: Type.String(),
  unitKind: Nullable(Type.String(), { description: 'the kind of handling unit that takes it by default (units.kind); null: none named' }),
  timeLimitDays: Nullable(Type.Integer(), { description: 'handling time limit in working days; null: the default of the deadline settings' }),
  version: Type.Integer(),
});

export const TreeOut = Content('the tree of one version, in tree order: JSON, or CSV with ?format=csv', {
  'application/json': Type.Array(CategoryOut),
  'text/csv': Type.String({ description: 'a header line, then one line per category: code,parent_code,level,name,unit_kind,time_limit_days' }),
});

export const NewVersionOut = Type.Object({ version: Type.Integer({ description: 'the version the change wrote' }) });
