import type { OperationSpec } from "../openapi/document.js";

/** `/v1/products/{id}` → `/v1/products/:id` (Hono's syntax). */
export const toHonoPath = (path: string): string =>
  path.replace(/\{([^}]+)\}/g, ":$1").replace(/(.)\/$/, "$1");

/**
 * Orders operations so that a static segment wins over a parameter at the same place
 * (`/v1/customers/export` before `/v1/customers/{id}`): Hono matches in registration order.
 */
export function routingOrder(a: OperationSpec, b: OperationSpec): number {
  const sa = a.path.split("/");
  const sb = b.path.split("/");
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const x = sa[i];
    const y = sb[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const px = x.startsWith("{");
    const py = y.startsWith("{");
    if (px !== py) return px ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The documented success status of an operation (201 for creates, 204 for deletes …). */
export function successStatus(op: OperationSpec): number {
  const codes = Object.keys(op.operation.responses ?? {})
    .map(Number)
    .filter((code) => code >= 200 && code < 300);
  return codes[0] ?? 200;
}
