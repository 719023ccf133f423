// What every route gets at the edge, before its own schema and handler: text PostgreSQL cannot
// store is refused as a validation error, integers are bounded as the columns they end in, and
// dates stay within the years the database and the product use.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Ajv } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { DomainError } from '../shared/errors.js';

/** PostgreSQL's `integer`: every integer the API takes ends in such a column unless its schema says otherwise. */
export const INT4 = { minimum: -2_147_483_648, maximum: 2_147_483_647 };

type Schema = { [keyword: string]: unknown };
const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Gives every integer of `schema` without bounds of its own the bounds of PostgreSQL's integer, in
 * place (version=99999999999 is then a 400, not an overflow in the database). Also in the document.
 */
export function boundIntegers(schema: unknown): void {
  if (!isSchema(schema)) return;
  if (schema.type === 'integer') {
    if (schema.maximum === undefined && schema.exclusiveMaximum === undefined) schema.maximum = INT4.maximum;
    if (schema.minimum === undefined && schema.exclusiveMinimum === undefined) schema.minimum = INT4.minimum;
  }
  for (const value of Object.values(schema)) {
    if (Array.isArray(value)) value.forEach(boundIntegers);
    else if (isSchema(value)) boundIntegers(value);
  }
}

/** Years a date may have: PostgreSQL has no year 0, and no hotline record predates 1900. */
const YEARS = { min: 1900, max: 9999 };

/**
 * The `date` and `date-time` formats of RFC 3339 (ajv-formats' full mode), limited to the years
 * PostgreSQL and the product can use: 0000-01-01 is a 400 at the edge, not an error in the database.
 */
export function boundDateFormats(ajv: Ajv): Ajv {
  for (const name of ['date', 'date-time'] as const) {
    const rfc = fullFormats[name] as { validate: (text: string) => boolean };
    ajv.addFormat(name, { type: 'string', validate: (text: string) => {
      const year = Number(text.slice(0, 4));
      return rfc.validate(text) && year >= YEARS.min && year <= YEARS.max;
    } });
  }
  return ajv;
}

/**
 * Text PostgreSQL cannot store: a NUL character, or half of a surrogate pair (JSON may escape one,
 * UTF-8 has no encoding for it).
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Nesting no request of the API needs; deeper JSON is refused before anything walks it. */
export const MAX_DEPTH = 32;

/**
 * Where the first unstorable text of `value` is (`$.reason`, `$.edits[2].name`; keys too), 'too deep'
 * past MAX_DEPTH levels, or null. A loop, not recursion: a body of [[[…]]] must not exhaust the stack.
 */
export function findUnstorable(value: unknown): string | 'too deep' | null {
  const stack: { value: unknown; at: string; depth: number }[] = [{ value, at: '$', depth: 0 }];
  while (stack.length > 0) {
    const { value: item, at, depth } = stack.pop()!;
    if (typeof item === 'string') {
      if (UNSTORABLE.test(item)) return at;
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_DEPTH) return 'too deep';
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], at: `${at}[${i}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(item);
    for (const [key] of entries) if (UNSTORABLE.test(key)) return `${at}.${JSON.stringify(key).slice(1, -1)}`;
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], at: `${at}.${entries[i]![0]}`, depth: depth + 1 });
  }
  return null;
}

/** Refuses a request that carries text PostgreSQL cannot store anywhere in its path, query or body. */
async function refuseUnstorable(request: FastifyRequest): Promise<void> {
  for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
    const found = findUnstorable(value);
    if (found === 'too deep') {
      throw new DomainError('VALIDATION_FAILED', { detail: { zh: `${part} 嵌套超过 ${MAX_DEPTH} 层`, en: `${part} is nested deeper than ${MAX_DEPTH} levels` } },
        { fields: [{ field: part, problem: `nested deeper than ${MAX_DEPTH} levels` }] });
    }
    if (found) {
      const field = `${part}${found.slice(1)}`;
      throw new DomainError('VALIDATION_FAILED', {
        detail: { zh: `${field} 含有无法存储的字符（NUL 或不成对的代理项）`, en: `${field} contains a NUL character or an unpaired surrogate` },
      }, { fields: [{ field, problem: 'NUL (\\u0000) / unpaired surrogate' }] });
    }
  }
}

/** Installs the edge on `app`: to be called before any route (and before swagger reads them) is registered. */
export function installEdge(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as Schema | undefined;
    if (schema) for (const part of ['querystring', 'params', 'body', 'headers']) boundIntegers(schema[part]);
  });
  app.addHook('preValidation', refuseUnstorable);
}
