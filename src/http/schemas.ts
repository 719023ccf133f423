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

export const Secured: { [scheme: string]: string[] }[] = [{ bearer: [] }, { apiKey: [] }];

/** A string that is one of `values`: one `enum` keyword, so that a wrong value gets one clear error. */
export function StringEnum<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}
