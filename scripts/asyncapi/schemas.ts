import { IS_ISO8601 } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

type ClassTransformerStorage = typeof import('class-transformer/types/storage');
// class-transformer keeps the @Type metadata (element classes of nested arrays) out of its index.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const storage = require('class-transformer/cjs/storage') as ClassTransformerStorage;

export type JsonSchema = { [keyword: string]: unknown };

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

export const schemaRef = (name: string): JsonSchema => ({ $ref: `${SCHEMA_REF_PREFIX}${name}` });

const CONVERTERS = {
  // The default oneOf(date, date-time) fails a value that a format-blind validator matches twice.
  [IS_ISO8601]: { type: 'string' as const, anyOf: [{ format: 'date-time' }, { format: 'date' }] },
};

/** @IsOptional lets null through as well as a missing field (class-validator skips both). */
function withOptionalNullable(schema: JsonSchema): JsonSchema {
  const required = (schema.required as string[] | undefined) ?? [];
  const properties = Object.entries(schema.properties as Record<string, JsonSchema>).map(
    ([name, property]) => {
      if (required.includes(name)) return [name, property];
      return [
        name,
        typeof property.type === 'string'
          ? { ...property, type: [property.type, 'null'] }
          : { anyOf: [property, { type: 'null' }] },
      ];
    },
  );
  return { ...schema, properties: Object.fromEntries(properties) };
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([keyword, inner]) =>
    keyword === '$ref' && typeof inner === 'string'
      ? [inner.slice(SCHEMA_REF_PREFIX.length)]
      : refsIn(inner),
  );
}

/**
 * JSON schemas of the given class-validator classes and of the classes they nest, named after the
 * classes, in name order. Converted from the decorators, so they are the rules validation applies.
 */
export function classSchemas(roots: readonly (new () => object)[]): Record<string, JsonSchema> {
  const all = validationMetadatasToSchemas({
    classTransformerMetadataStorage: storage.defaultMetadataStorage,
    refPointerPrefix: SCHEMA_REF_PREFIX,
    additionalConverters: CONVERTERS,
  }) as Record<string, JsonSchema>;
  const picked = new Set<string>();
  const visit = (name: string) => {
    if (picked.has(name)) return;
    if (!all[name]) throw new Error(`no class-validator metadata for ${name}`);
    picked.add(name);
    refsIn(all[name]).forEach(visit);
  };
  roots.forEach((root) => visit(root.name));
  return Object.fromEntries(
    [...picked].sort().map((name) => [name, withOptionalNullable(all[name])]),
  );
}
