// What the compatibility matrix drives of each pinned @polar-sh/sdk (resolved from this folder).
export { Polar as Polar032 } from "sdk-0-32";
export { validateEvent as validateEvent032 } from "sdk-0-32/webhooks";
export { Polar as Polar042 } from "sdk-0-42";
export { validateEvent as validateEvent042 } from "sdk-0-42/webhooks";
export { Polar as Polar047 } from "sdk-0-47";
export { validateEvent as validateEvent047 } from "sdk-0-47/webhooks";
export { Polar as Polar049 } from "sdk-0-49";
export { validateEvent as validateEvent049 } from "sdk-0-49/webhooks";
export { createPolar as createPolar10, webhooks as webhooks10 } from "sdk-1-0/2026-10";
