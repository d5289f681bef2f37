import {
  PolarClientError,
  PolarNetworkError,
  PolarRateLimitError,
  PolarServerError,
} from "@polar-sh/sdk";
import { PaywallError } from "../errors.js";

/** How the paywall reads a failed Polar request. */
export type PolarFailure =
  | { kind: "not_found"; detail: string }
  | { kind: "bad_request"; detail: string }
  | { kind: "auth"; status: number }
  | { kind: "unavailable"; reason: string; retryAfterSeconds?: number };

function detailOf(body: unknown): string {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  return typeof detail === "string" ? detail : "";
}

/** Maps an SDK error to what the paywall does about it; never echoes secrets. */
export function classifyPolarError(error: unknown): PolarFailure {
  if (error instanceof PaywallError) {
    if (error.code === "polar_auth") return { kind: "auth", status: 401 };
    return { kind: "unavailable", reason: error.message };
  }
  if (error instanceof PolarRateLimitError) {
    return {
      kind: "unavailable",
      reason: "Polar rate limit",
      ...(error.retryAfter !== null ? { retryAfterSeconds: error.retryAfter } : {}),
    };
  }
  if (error instanceof PolarClientError) {
    if (error.statusCode === 404) return { kind: "not_found", detail: detailOf(error.error) };
    if (error.statusCode === 400) return { kind: "bad_request", detail: detailOf(error.error) };
    if (error.statusCode === 401 || error.statusCode === 403)
      return { kind: "auth", status: error.statusCode };
    if (error.statusCode === 422) return { kind: "bad_request", detail: "invalid request" };
    return { kind: "unavailable", reason: `Polar answered ${error.statusCode}` };
  }
  if (error instanceof PolarServerError)
    return { kind: "unavailable", reason: "Polar server error" };
  if (error instanceof PolarNetworkError)
    return { kind: "unavailable", reason: "Polar unreachable" };
  return { kind: "unavailable", reason: "unexpected error" };
}
