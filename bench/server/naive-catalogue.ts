// The baseline: one tool per operation whose input schema inlines every $ref with all
// descriptions, titles and examples, as a generator that copies the document would.
import type { OpenApiDocument } from "@polar-mcp/server";

type Json = { [key: string]: unknown };
const METHODS = ["get", "post", "put", "patch", "delete"];

export function naiveCatalogue(doc: OpenApiDocument): Json[] {
  const tools: Json[] = [];
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const properties: Json = {};
      const required: string[] = [];
      for (const raw of (op.parameters as Json[] | undefined) ?? []) {
        const parameter = inline(doc, raw, []) as Json;
        properties[parameter.name as string] = {
          ...(parameter.schema as Json),
          description: parameter.description,
        };
        if (parameter.required) required.push(parameter.name as string);
      }
      const body = op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined;
      const schema = body?.content && Object.values(body.content)[0]?.schema;
      if (schema) {
        properties.body = inline(doc, schema, []);
        required.push("body");
      }
      tools.push({
        name: String(op.operationId).replace(/[^a-zA-Z0-9_]+/g, "_"),
        description: [op.summary, op.description].filter(Boolean).join("\n\n"),
        inputSchema: { type: "object", properties, required },
      });
    }
  }
  return tools;
}

function inline(doc: OpenApiDocument, value: unknown, stack: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => inline(doc, v, stack));
  if (value === null || typeof value !== "object") return value;
  const ref = (value as Json).$ref;
  if (typeof ref === "string") {
    if (stack.includes(ref)) return { type: "object" };
    let target: unknown = doc;
    for (const key of ref.slice(2).split("/")) target = (target as Json)[key];
    return inline(doc, target, [...stack, ref]);
  }
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) out[key] = inline(doc, child, stack);
  return out;
}
