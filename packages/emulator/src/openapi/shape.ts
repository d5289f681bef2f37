import type { OpenApiDocument } from "./document.js";

type Schema = Record<string, unknown>;

/**
 * Shapes a stored record into the exact response schema of Polar's document: fields the
 * emulator models pass through (nested objects and lists shaped too); required fields it
 * does not model get their schema's neutral value (null where nullable, else false, 0, "",
 * [], {} or the first enum value). Fields the schema does not know are dropped. This keeps
 * every response valid for strict clients without hand-writing dozens of unused fields.
 */
export class Shaper {
  private readonly schemas: Record<string, Schema>;

  constructor(doc: OpenApiDocument) {
    this.schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  }

  /** Shapes `value` as the component schema `name` (e.g. "Product"). */
  shape<T = Record<string, unknown>>(name: string, value: unknown): T {
    const schema = this.schemas[name];
    if (!schema) throw new Error(`unknown schema ${name}`);
    return this.shapeValue(schema, value) as T;
  }

  private resolve(schema: Schema): Schema {
    let current = schema;
    for (let i = 0; i < 10 && typeof current.$ref === "string"; i++) {
      const name = (current.$ref as string).split("/").pop() ?? "";
      current = this.schemas[name] ?? {};
    }
    return current;
  }

  /** Picks the union branch that fits `value` (by discriminator, else by type). */
  private branch(schema: Schema, value: unknown): Schema {
    const options = ((schema.oneOf ?? schema.anyOf) as Schema[] | undefined) ?? [];
    if (options.length === 0) return schema;
    const nonNull = options.filter((o) => o.type !== "null");
    const discriminator = schema.discriminator as
      { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (discriminator && value && typeof value === "object") {
      const tag = (value as Record<string, unknown>)[discriminator.propertyName];
      const ref = discriminator.mapping?.[String(tag)];
      if (ref) return this.resolve({ $ref: ref });
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
      // The object branch whose consts match the value's fields, else the first object branch.
      const objects = nonNull.map((o) => this.resolve(o)).filter((o) => o.properties);
      const matching = objects.find((o) =>
        Object.entries(o.properties as Record<string, Schema>).every(
          ([key, prop]) =>
            prop.const === undefined || (value as Record<string, unknown>)[key] === prop.const,
        ),
      );
      return matching ?? objects[0] ?? this.resolve(nonNull[0] ?? {});
    }
    if (Array.isArray(value))
      return this.resolve(
        nonNull.find((o) => this.resolve(o).type === "array") ?? nonNull[0] ?? {},
      );
    return this.resolve(nonNull[0] ?? {});
  }

  private shapeValue(raw: Schema, value: unknown): unknown {
    if (value === null) return null;
    let schema = this.resolve(raw);
    if (value === undefined) return this.neutral(schema);
    if (schema.oneOf || schema.anyOf) schema = this.branch(schema, value);
    if (Array.isArray(value)) {
      const items = schema.items as Schema | undefined;
      return items ? value.map((item) => this.shapeValue(items, item)) : value;
    }
    if (typeof value === "object" && schema.properties) {
      const props = schema.properties as Record<string, Schema>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(props)) {
        if (key in input) out[key] = this.shapeValue(prop, input[key]);
        else if (required.has(key)) out[key] = this.neutral(this.resolve(prop));
      }
      return out;
    }
    return value;
  }

  private neutral(schema: Schema): unknown {
    const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (options) {
      if (options.some((o) => o.type === "null")) return null;
      return this.neutral(this.resolve(options[0] ?? {}));
    }
    if (schema.const !== undefined) return schema.const;
    if (Array.isArray(schema.enum)) return schema.enum[0];
    if (schema.default !== undefined) return schema.default;
    switch (schema.type) {
      case "string":
        return schema.format === "date-time" ? "1970-01-01T00:00:00.000Z" : "";
      case "integer":
      case "number":
        return 0;
      case "boolean":
        return false;
      case "array":
        return [];
      case "object":
        return schema.properties ? this.shapeValue(schema, {}) : {};
      default:
        return null;
    }
  }
}
