// What the compatibility matrix drives of @polar-sh/express (resolved from this folder).
export { Checkout, CustomerPortal, Webhooks } from "@polar-sh/express";
export { default as express } from "express";
