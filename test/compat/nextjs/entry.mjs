// What the compatibility matrix drives of @polar-sh/nextjs (resolved from this folder).
// Next.js bundles route handlers and resolves `next/server` itself; plain Node's ES module
// resolver cannot (next has no exports map), so the adapter's CommonJS build is loaded, as
// Next's own server runtime loads `next/server`.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const { Checkout, CustomerPortal, Webhooks } = require("@polar-sh/nextjs");
export const { NextRequest } = require("next/server");
