import { ServerError } from "../errors.js";
import type { JsonSchema, OpenApiDocument } from "./types.js";

/** Follows a local JSON pointer (`#/components/schemas/Customer`) inside the document. */
export function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) {
    throw new ServerError(
      "unsupported_ref",
      `Only local $refs are supported (got one that starts with "${ref.slice(0, 16)}"); bundle the OpenAPI document into one file.`,
    );
  }
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in node)) {
      throw new ServerError(
        "broken_ref",
        `The OpenAPI document has a $ref to ${ref} that points nowhere.`,
      );
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Returns the object itself, or what its `$ref` chain points to. */
export function deref<T>(doc: OpenApiDocument, value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let hops = 0; isRef(current); hops += 1) {
    if (hops > 32) throw new ServerError("broken_ref", "The OpenAPI document has a $ref cycle.");
    current = resolvePointer(doc, current.$ref);
  }
  return current as T;
}

export function isRef(value: unknown): value is { $ref: string } {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { $ref?: unknown }).$ref === "string"
  );
}

/** The schema name of a `#/components/schemas/<Name>` ref, else undefined. */
export function schemaRefName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  if (typeof ref !== "string") return undefined;
  const prefix = "#/components/schemas/";
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
}
