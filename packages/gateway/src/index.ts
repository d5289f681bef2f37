export { GatewayError, GatewayHttpError } from "./errors.js";

export {
  createGateway,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  MIN_ADMIN_KEY_LENGTH,
  type Gateway,
} from "./gateway.js";
export {
  DEFAULT_GATEWAY_PORT,
  startGateway,
  type RunningGateway,
  type StartGatewayOptions,
} from "./serve.js";
export type { GatewayOptions } from "./options.js";
export type { OAuthClient } from "./connect/oauth.js";

export {
  createAdminClient,
  type AdminClient,
  type AdminClientOptions,
  type CreateServerBody,
} from "./client/admin-client.js";
export { API_TOKEN_PREFIX } from "./admin/api-tokens.js";

export { openRegistry, DEFAULT_DB_FILE } from "./registry/open.js";
export { createSqliteRegistry } from "./registry/sqlite/registry.js";
export {
  createPostgresRegistry,
  type PostgresRegistryOptions,
} from "./registry/postgres/registry.js";
export type {
  AccountRecord,
  ApiTokenRecord,
  AuditEntry,
  CallQuery,
  CallStatus,
  CounterHit,
  CounterTake,
  PolarEnvironment,
  Registry,
  ServerConfig,
  ServerPatch,
  ServerRecord,
  ServerStatus,
  TokenLookup,
} from "./registry/types.js";

export {
  createCredentialCipher,
  parseEncryptionKey,
  parseEncryptionKeys,
  type CredentialCipher,
  type EncryptionKey,
} from "./crypto/encryption.js";
export {
  DEFAULT_ACCOUNT_RATE_LIMIT,
  DEFAULT_PROTOCOL_RATE_LIMIT,
  DEFAULT_SERVER_RATE_LIMIT,
  type RateLimitPolicy,
  type RateLimitState,
} from "./rate-limit/limiter.js";
export { rateLimitHeaders } from "./rate-limit/headers.js";
