// Schemas shared by every module's routes: validation and OpenAPI from one definition.
import { Type, type TSchema } from 'typebox';

export const Uuid = Type.String({ format: 'uuid', description: 'id (UUID)' });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable error code, see docs/errors.md' }),
      message: Type.String({ description: 'readable message, in Chinese or English by Accept-Language' }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse' },
);

/** A calendar month, YYYY-MM (a month's figures are counted in Beijing time). */
export const Month = Type.String({ pattern: '^(19|20)\\d{2}-(0[1-9]|1[0-2])$', description: 'YYYY-MM, 1900-01 to 2099-12' });

/** A page of a list: its items, how many match in all, and where the next page starts. */
export const PageOf = <T extends TSchema>(item: T) => Type.Object({
  items: Type.Array(item),
  total: Type.Integer({ minimum: 0, description: 'how many match in all: exact when totalExact, else at least this many (counted up to 10,000; a filtered list of orders, up to 1,000)' }),
  totalExact: Type.Boolean(),
  limit: Type.Integer({ minimum: 1 }),
  offset: Type.Integer({ minimum: 0 }),
  nextOffset: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'the offset of the next page; null on the last' }),
});

export const Page = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
};

/** Response map with the common error answers, for the OpenAPI document. */
export function responses(ok: Record<number, TSchema>, ...errors: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = { ...ok };
  for (const status of [400, 401, 403, ...errors]) out[status] = Type.Ref('ErrorResponse');
  return out;
}

/** `schema`, or null; say in `description` what null means. */
export function Nullable<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  return Type.Union([schema, Type.Null()], options);
}

/** An instant as ISO 8601 text in UTC (2026-11-25T02:30:00.000Z). */
export function DateTime(description?: string) {
  return Type.String({ format: 'date-time', ...(description ? { description } : {}) });
}

/** The answer of a route that answers 204: no body, and none in the OpenAPI document. */
export const NoContent = Type.Null({ description: 'done; no body' });

/**
 * A 2xx answer in other media types than JSON alone (a file, CSV): Fastify serialises by the
 * reply's media type, and the OpenAPI document lists each type with its schema.
 */
export function Content(description: string, media: Record<string, TSchema>) {
  return { description, content: Object.fromEntries(Object.entries(media).map(([type, schema]) => [type, { schema }])) };
}

/** A file's bytes, in the OpenAPI document. */
export const Binary = Type.String({ format: 'binary' });

export const Secured: { [scheme: string]: string[] }[] = [{ bearer: [] }, { apiKey: [] }];

/** A string that is one of `values`: one `enum` keyword, so that a wrong value gets one clear error. */
export function StringEnum<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** GET /healthz: the engine, the schema, and each durable consumer's place and lag. */
export const HealthOut = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], { description: 'degraded while a consumer is failing' }),
  engine: Type.String(),
  schemaVersion: Type.Union([Type.String(), Type.Null()]),
  cityCode: Type.String(),
  consumers: Type.Array(Type.Object({
    name: Type.String(),
    position: Type.Integer({ description: 'the last event handled' }),
    handled: Type.Integer(),
    behind: Type.Integer({ description: 'events not yet handled (counted up to 10,000)' }),
    oldestPendingAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lagMs: Type.Integer({ description: 'how long the oldest event not yet handled has waited' }),
    failures: Type.Integer({ description: 'failed attempts in a row; retried with back-off' }),
    lastError: Type.Union([Type.String(), Type.Null()]),
    retryAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  })),
  liveStream: Type.Union([Type.Object({ position: Type.Integer(), clients: Type.Integer() }), Type.Null()]),
});
