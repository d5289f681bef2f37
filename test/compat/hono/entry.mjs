// What the compatibility matrix drives of @polar-sh/hono (resolved from this folder).
export { Checkout, CustomerPortal, Webhooks } from "@polar-sh/hono";
export { Hono } from "hono";
