type Schema = Record<string, unknown>;

const COMPONENT_REF = "#/components/schemas/";

/**
 * Makes self-contained schemas out of the document's: a schema plus, under `$defs`, only the
 * component schemas it reaches. Handing ajv the whole `components` (2.7 MB document) costs
 * it a traversal of every schema at start; a bundle per operation costs only what that
 * operation uses, when it is first called.
 */
export class SchemaBundler {
  private readonly rewritten = new Map<string, { schema: unknown; refs: Set<string> }>();

  constructor(private readonly components: Record<string, unknown>) {}

  /** `schema` with its refs pointing into `$defs`, which holds every component it reaches. */
  bundle(schema: Schema): Schema {
    const root = rewrite(schema);
    const defs: Record<string, unknown> = {};
    const pending = [...root.refs];
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (name in defs) continue;
      const component = this.component(name);
      defs[name] = component.schema;
      pending.push(...component.refs);
    }
    return { ...(root.schema as Schema), $defs: defs };
  }

  /** A component schema, resolved through any chain of `$ref`s (for type inspection). */
  resolve(schema: unknown): Schema {
    let current = (schema ?? {}) as Schema;
    for (let i = 0; i < 10 && typeof current.$ref === "string"; i++) {
      const ref = current.$ref as string;
      current = (
        ref.startsWith(COMPONENT_REF) ? this.components[ref.slice(COMPONENT_REF.length)] : {}
      ) as Schema;
      current ??= {};
    }
    return current;
  }

  private component(name: string) {
    let entry = this.rewritten.get(name);
    if (!entry) {
      entry = rewrite(this.components[name] ?? {});
      this.rewritten.set(name, entry);
    }
    return entry;
  }
}

/** Rewrites `#/components/schemas/X` refs to `#/$defs/X`, collecting the names. */
function rewrite(schema: unknown): { schema: unknown; refs: Set<string> } {
  const refs = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT_REF)) {
        const name = value.slice(COMPONENT_REF.length);
        refs.add(name);
        out[key] = `#/$defs/${name}`;
      } else out[key] = walk(value);
    }
    return out;
  };
  return { schema: walk(schema), refs };
}
