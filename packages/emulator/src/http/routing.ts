import type { OperationSpec } from "../openapi/document.js";

/** The documented success status of an operation (201 for creates, 204 for deletes …). */
export function successStatus(op: OperationSpec): number {
  const codes = Object.keys(op.operation.responses ?? {})
    .map(Number)
    .filter((code) => code >= 200 && code < 300);
  return codes[0] ?? 200;
}
