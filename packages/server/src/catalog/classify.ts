import type { ParsedOperation } from "../openapi/operations.js";
import type { HttpMethod } from "../openapi/types.js";

/** What an operation does, in the vocabulary of the `methods` filter. */
export type OperationKind = "get" | "list" | "create" | "update" | "delete" | "custom";

/** The groups of the `methods` filter: read = get/list, write = create/update/delete. */
export type MethodCategory = "read" | "write" | "custom";

/**
 * MCP tool annotations the server derives from the HTTP method. `readOnlyHint` is always
 * present; `destructiveHint` and `idempotentHint` appear only where they differ from MCP's
 * defaults (true and false) and only on tools that are not read-only (MCP ignores them
 * there). Leaving defaults out saves ~10 tokens per tool in tools/list.
 */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
}

/**
 * GET is `list` when paginated or named `list…`, else `get`; PUT/PATCH is `update`; DELETE
 * is `delete`; POST is `create` or `update` when its operation id's last segment starts
 * with that verb, and `custom` otherwise (validate, activate, ingest, finalize …).
 */
export function operationKind(
  op: Pick<ParsedOperation, "method" | "operationId" | "paginated">,
): OperationKind {
  const action = op.operationId.split(":").pop() ?? "";
  switch (op.method) {
    case "get":
      return op.paginated || action.startsWith("list") ? "list" : "get";
    case "put":
    case "patch":
      return "update";
    case "delete":
      return "delete";
    case "post":
      if (action.startsWith("create")) return "create";
      if (action.startsWith("update")) return "update";
      return "custom";
  }
}

export function methodCategory(kind: OperationKind): MethodCategory {
  if (kind === "get" || kind === "list") return "read";
  if (kind === "custom") return "custom";
  return "write";
}

const ANNOTATIONS: Record<HttpMethod, ToolAnnotations> = {
  get: { readOnlyHint: true },
  post: { readOnlyHint: false, destructiveHint: false },
  put: { readOnlyHint: false, idempotentHint: true },
  patch: { readOnlyHint: false },
  delete: { readOnlyHint: false, idempotentHint: true },
};

/**
 * GET reads; POST adds (not destructive); PUT, PATCH and DELETE change or remove data
 * (destructive, MCP's default); GET, PUT and DELETE are idempotent per RFC 9110.
 */
export function annotationsFor(method: HttpMethod): ToolAnnotations {
  return { ...ANNOTATIONS[method] };
}
