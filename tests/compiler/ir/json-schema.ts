/**
 * A validator for the subset of JSON Schema (2020-12) that ir.schema.json
 * uses: type, properties, required, additionalProperties: false, items, enum,
 * const, oneOf, anyOf, allOf, $ref to #/$defs, minimum, maximum, pattern. Returns
 * the errors as `path: problem` lines; an unknown keyword is itself an error,
 * so the schema cannot silently use more than this checks.
 */
type Schema = { readonly [key: string]: unknown };

const ANNOTATIONS = new Set(["$schema", "$id", "title", "description", "$defs"]);
const KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "oneOf",
  "anyOf",
  "allOf",
  "$ref",
  "minimum",
  "maximum",
  "pattern",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

export function validate(root: Schema, value: unknown): string[] {
  return validateAt(root, root, value, "$");
}

function validateAt(root: Schema, start: Schema, value: unknown, at: string): string[] {
  const errors: string[] = [];
  const check = (schema: Schema, v: unknown, path: string): void => {
    for (const key of Object.keys(schema)) {
      if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) errors.push(`${path}: schema uses unsupported keyword '${key}'`);
    }
    if (typeof schema.$ref === "string") {
      const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
      const target = name ? (root.$defs as Record<string, Schema>)[name] : undefined;
      if (!target) errors.push(`${path}: unresolved $ref ${schema.$ref}`);
      else check(target, v, path);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      const t = typeOf(v);
      if (!types.includes(t) && !(t === "integer" && types.includes("number"))) {
        errors.push(`${path}: expected ${types.join(" or ")}, got ${t}`);
        return;
      }
    }
    if ("const" in schema && v !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(v))
      errors.push(`${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(schema.enum)}`);
    if (typeof schema.minimum === "number" && typeof v === "number" && v < schema.minimum)
      errors.push(`${path}: ${v} < ${schema.minimum}`);
    if (typeof schema.maximum === "number" && typeof v === "number" && v > schema.maximum)
      errors.push(`${path}: ${v} > ${schema.maximum}`);
    if (typeof schema.pattern === "string" && typeof v === "string" && !new RegExp(schema.pattern, "u").test(v)) {
      errors.push(`${path}: ${JSON.stringify(v)} does not match ${schema.pattern}`);
    }
    if (Array.isArray(schema.allOf)) for (const s of schema.allOf as Schema[]) check(s, v, path);
    if (Array.isArray(schema.oneOf)) {
      const matches = (schema.oneOf as Schema[]).filter((s) => validateAt(root, s, v, path).length === 0).length;
      if (matches !== 1) errors.push(`${path}: matches ${matches} of the oneOf alternatives, not exactly 1`);
    }
    if (
      Array.isArray(schema.anyOf) &&
      !(schema.anyOf as Schema[]).some((s) => validateAt(root, s, v, path).length === 0)
    ) {
      errors.push(`${path}: matches none of the anyOf alternatives`);
    }
    if (typeOf(v) === "object") {
      const obj = v as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[])
        if (!(key in obj)) errors.push(`${path}: missing '${key}'`);
      for (const [key, child] of Object.entries(obj)) {
        if (props[key]) check(props[key], child, `${path}.${key}`);
        else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property '${key}'`);
      }
    }
    if (Array.isArray(v) && schema.items) v.forEach((item, i) => check(schema.items as Schema, item, `${path}[${i}]`));
  };
  check(start, value, at);
  return errors;
}
