import type { ParsedOperation } from "../openapi/operations.js";

/** What an operation does, in the vocabulary of the `methods` filter. */
export type OperationKind = "get" | "list" | "create" | "update" | "delete" | "custom";

/** The groups of the `methods` filter: read = get/list, write = create/update/delete. */
export type MethodCategory = "read" | "write" | "custom";

/**
 * MCP tool annotations the server derives from the operation. Only hints that differ from
 * MCP's defaults (`readOnlyHint: false`, `destructiveHint: true`, `idempotentHint: false`)
 * are present, and `destructiveHint`/`idempotentHint` only on tools that are not
 * read-only (MCP ignores them there): every hint left out saves tokens in tools/list.
 */
export interface ToolAnnotations {
  readOnlyHint?: boolean;
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

// POST actions that remove, revoke or move money: destructive (MCP's default), not additive.
const IRREVERSIBLE_ACTION = /(revoke|cancel|reset|accept|finalize|remove|delete|refund|deactivate)/;

/**
 * GET reads; POST adds (not destructive) unless its action revokes, cancels, resets,
 * accepts, finalizes, removes, deletes or refunds (`refunds:create`, `disputes:accept`,
 * `webhooks:reset_webhook_endpoint_secret`), which keep MCP's default `destructiveHint`;
 * PUT, PATCH and DELETE change or remove data (destructive); PUT and DELETE are idempotent
 * per RFC 9110.
 */
export function annotationsFor(
  op: Pick<ParsedOperation, "method" | "operationId">,
): ToolAnnotations {
  switch (op.method) {
    case "get":
      return { readOnlyHint: true };
    case "post":
      return IRREVERSIBLE_ACTION.test(op.operationId) ? {} : { destructiveHint: false };
    case "put":
    case "delete":
      return { idempotentHint: true };
    case "patch":
      return {};
  }
}
