import { type PipeTransform } from '@nestjs/common';
import { z } from 'zod';

/** Validates and converts a request part with a zod schema; failures become 400 problem+json. */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.infer<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(value: unknown): z.infer<Schema> {
    return this.schema.parse(value ?? {});
  }
}

/** The JSON schema of a zod schema, for `@ApiBody({ schema })` / `@ApiOkResponse({ schema })`. */
export const openApiSchema = (schema: z.ZodType): Record<string, unknown> => {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
};
