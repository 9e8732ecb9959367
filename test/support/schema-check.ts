// Checks a value against an OpenAPI 3.0 schema of the served document: the subset the app's
// schemas use (type, properties, required, additionalProperties, items, enum, nullable, oneOf,
// $ref, pattern, minItems, maxItems). Returns every mismatch as `path: problem`.

type Schema = Record<string, unknown>;

/** Mismatches of `value` against `schema` (resolving `#/components/schemas/...` in `document`). */
export function schemaProblems(
  value: unknown,
  schema: Schema,
  document: { components?: { schemas?: Record<string, Schema> } },
  path = '$',
): string[] {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    return target ? schemaProblems(value, target, document, path) : [`${path}: no schema ${name}`];
  }
  if (value === null) return schema.nullable === true ? [] : [`${path}: null`];
  if (Array.isArray(schema.oneOf)) {
    const fits = (schema.oneOf as Schema[]).filter(
      (s) => schemaProblems(value, s, document, path).length === 0,
    );
    return fits.length === 1 ? [] : [`${path}: matches ${fits.length} of oneOf`];
  }
  const problems: string[] = [];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  }
  switch (schema.type) {
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${path}: not an integer`);
      break;
    case 'number':
      if (typeof value !== 'number') problems.push(`${path}: not a number`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: not a boolean`);
      break;
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: not a string`);
      else if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) {
        problems.push(`${path}: ${value} does not match ${schema.pattern}`);
      }
      break;
    case 'array': {
      if (!Array.isArray(value)) return [...problems, `${path}: not an array`];
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
        problems.push(`${path}: fewer than ${schema.minItems} items`);
      }
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
        problems.push(`${path}: more than ${schema.maxItems} items`);
      }
      const items = schema.items as Schema | undefined;
      if (items) {
        value.forEach((item, i) =>
          problems.push(...schemaProblems(item, items, document, `${path}[${i}]`)),
        );
      }
      break;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        return [...problems, `${path}: not an object`];
      }
      const record = value as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const name of (schema.required ?? []) as string[]) {
        if (!(name in record)) problems.push(`${path}.${name}: missing`);
      }
      for (const [name, field] of Object.entries(record)) {
        const known = properties[name];
        const extra = schema.additionalProperties;
        if (known) problems.push(...schemaProblems(field, known, document, `${path}.${name}`));
        else if (extra === false) problems.push(`${path}.${name}: not in the schema`);
        else if (typeof extra === 'object' && extra !== null) {
          problems.push(...schemaProblems(field, extra as Schema, document, `${path}.${name}`));
        }
      }
      break;
    }
    default:
      break;
  }
  return problems;
}
