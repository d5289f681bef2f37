import type { OpenApiDocument } from "./document.js";

type Schema = Record<string, unknown>;
type ShapeFn = (value: unknown) => unknown;

/**
 * Adds to an object shaped as one component schema the fields real Polar sends beside the
 * document's (deprecated fields kept for older SDKs, computed values). Runs after the
 * object's own fields, nested ones included, are shaped; `input` is what was shaped.
 */
export type ShapeExtension = (
  shaped: Record<string, unknown>,
  input: Record<string, unknown>,
) => void;

interface Field {
  key: string;
  shape: ShapeFn;
  required: boolean;
  /** The neutral value for a missing required field. */
  neutral: () => unknown;
}

/**
 * Shapes a stored record into the exact response schema of Polar's document: fields the
 * emulator models pass through (nested objects and lists shaped too); required fields it
 * does not model get their schema's neutral value (null where nullable, else false, 0, "",
 * [], {} or the first enum value). Fields the schema does not know are dropped. This keeps
 * every response valid for strict clients without hand-writing dozens of unused fields.
 *
 * Each schema compiles once, on first use, into a function (refs resolved, properties
 * listed, union branches indexed): every response of a hot endpoint is shaped, so the
 * per-call work is only the walk over the value itself.
 */
export class Shaper {
  private readonly schemas: Record<string, Schema>;
  private readonly compiled = new WeakMap<Schema, ShapeFn>();
  /** Each component schema object's name, so extensions apply wherever it is embedded. */
  private readonly names = new Map<Schema, string>();
  private readonly extensions = new Map<string, ShapeExtension[]>();

  constructor(doc: OpenApiDocument) {
    this.schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
    for (const [name, schema] of Object.entries(this.schemas)) this.names.set(schema, name);
  }

  /** Runs `extension` on every object shaped as one of `schemaNames`, wherever it is nested. */
  extend(schemaNames: readonly string[], extension: ShapeExtension): void {
    for (const name of schemaNames) {
      if (!this.schemas[name]) continue;
      const list = this.extensions.get(name) ?? [];
      list.push(extension);
      this.extensions.set(name, list);
    }
  }

  /** The component schemas whose properties include every one of `keys`. */
  schemasWith(...keys: string[]): string[] {
    return Object.entries(this.schemas)
      .filter(([, s]) => {
        const props = s.properties as Record<string, unknown> | undefined;
        return props !== undefined && keys.every((k) => k in props);
      })
      .map(([name]) => name);
  }

  /** Shapes `value` as the component schema `name` (e.g. "Product"). */
  shape<T = Record<string, unknown>>(name: string, value: unknown): T {
    const schema = this.schemas[name];
    if (!schema) throw new Error(`unknown schema ${name}`);
    return this.compile(schema)(value) as T;
  }

  private resolve(schema: Schema): Schema {
    let current = schema;
    for (let i = 0; i < 10 && typeof current.$ref === "string"; i++) {
      const name = (current.$ref as string).split("/").pop() ?? "";
      current = this.schemas[name] ?? {};
    }
    return current;
  }

  /** The shaping function of a (possibly `$ref`) schema; recursive schemas compile lazily. */
  private compile(raw: Schema): ShapeFn {
    const cached = this.compiled.get(raw);
    if (cached) return cached;
    const schema = this.resolve(raw);
    const union = schema.oneOf || schema.anyOf ? this.unionPicker(schema) : undefined;
    const bodies = new Map<Schema, ShapeFn>();
    const bodyOf = (s: Schema): ShapeFn => {
      let body = bodies.get(s);
      if (!body) bodies.set(s, (body = this.body(s)));
      return body;
    };
    const plain = union ? undefined : bodyOf(schema);
    const fn: ShapeFn = (value) => {
      if (value === null) return null;
      if (value === undefined) return this.neutral(schema);
      return (plain ?? bodyOf(union!(value)))(value);
    };
    this.compiled.set(raw, fn);
    return fn;
  }

  /** Shapes a value by one (already chosen) schema: lists item by item, objects by properties. */
  private body(schema: Schema): ShapeFn {
    const items = schema.items as Schema | undefined;
    let itemFn: ShapeFn | undefined;
    const shapeItem: ShapeFn = (item) => (itemFn ??= this.compile(items!))(item);
    const props = schema.properties as Record<string, Schema> | undefined;
    let fields: Field[] | undefined;
    const fieldsOf = (): Field[] => (fields ??= this.fields(schema, props!));
    const name = this.names.get(schema);
    // A map (`Checkout.prices`: product id → prices) shapes each of its values.
    const values =
      !props && typeof schema.additionalProperties === "object"
        ? (schema.additionalProperties as Schema)
        : undefined;
    let valueFn: ShapeFn | undefined;
    return (value) => {
      if (Array.isArray(value)) return items ? value.map(shapeItem) : value;
      if (values && typeof value === "object" && value !== null) {
        valueFn ??= this.compile(values);
        const out: Record<string, unknown> = {};
        for (const [key, entry] of Object.entries(value)) out[key] = valueFn(entry);
        return out;
      }
      if (typeof value === "object" && value !== null && props) {
        const input = value as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const field of fieldsOf()) {
          if (field.key in input) out[field.key] = field.shape(input[field.key]);
          else if (field.required) out[field.key] = field.neutral();
        }
        const extensions = name === undefined ? undefined : this.extensions.get(name);
        if (extensions) for (const extend of extensions) extend(out, input);
        return out;
      }
      return value;
    };
  }

  private fields(schema: Schema, props: Record<string, Schema>): Field[] {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    return Object.entries(props).map(([key, prop]) => {
      let fn: ShapeFn | undefined;
      // Computed on first need only: a neutral object shapes its own required fields, and
      // recursive schemas must not unfold at compile time.
      let sample: { value: unknown } | undefined;
      const neutral = () => {
        const value = this.neutral(this.resolve(prop));
        sample ??= { value };
        return value;
      };
      return {
        key,
        shape: (value: unknown) => (fn ??= this.compile(prop))(value),
        required: required.has(key),
        // A primitive neutral value is reused; an object or list is built fresh each time.
        neutral: () =>
          sample && (sample.value === null || typeof sample.value !== "object")
            ? sample.value
            : neutral(),
      };
    });
  }

  /** Picks the union branch that fits a value (by discriminator, else by type). */
  private unionPicker(schema: Schema): (value: unknown) => Schema {
    const options = ((schema.oneOf ?? schema.anyOf) as Schema[] | undefined) ?? [];
    const nonNull = options.filter((o) => o.type !== "null");
    const discriminator = schema.discriminator as
      { propertyName: string; mapping?: Record<string, string> } | undefined;
    const mapped = new Map<string, Schema>(
      Object.entries(discriminator?.mapping ?? {}).map(([tag, ref]) => [
        tag,
        this.resolve({ $ref: ref }),
      ]),
    );
    // Object branches with the consts that select them, else the first object branch. A
    // branch that is itself a union (`ProductPrice` inside `Product.prices`) contributes
    // its own branches, so nested unions are shaped too.
    const flatten = (list: Schema[], depth = 0): Schema[] =>
      list.flatMap((o) => {
        const resolved = this.resolve(o);
        const inner = (resolved.oneOf ?? resolved.anyOf) as Schema[] | undefined;
        return inner && depth < 5 ? flatten(inner, depth + 1) : [resolved];
      });
    const objects = flatten(nonNull).filter((o) => o.properties);
    const consts = objects.map((o) =>
      Object.entries(o.properties as Record<string, Schema>)
        .filter(([, prop]) => prop.const !== undefined)
        .map(([key, prop]) => [key, prop.const] as const),
    );
    const fallback = this.resolve(nonNull[0] ?? {});
    const arrayBranch = this.resolve(
      nonNull.find((o) => this.resolve(o).type === "array") ?? nonNull[0] ?? {},
    );
    return (value) => {
      if (discriminator && value && typeof value === "object") {
        const tag = (value as Record<string, unknown>)[discriminator.propertyName];
        const branch = mapped.get(String(tag));
        if (branch) return branch;
      }
      if (value && typeof value === "object" && !Array.isArray(value)) {
        const input = value as Record<string, unknown>;
        const index = consts.findIndex((list) => list.every(([key, c]) => input[key] === c));
        return objects[index] ?? objects[0] ?? fallback;
      }
      if (Array.isArray(value)) return arrayBranch;
      return fallback;
    };
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
        return schema.properties ? this.compile(schema)({}) : {};
      default:
        return null;
    }
  }
}
