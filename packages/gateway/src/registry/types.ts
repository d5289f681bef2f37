/** Where an account's Polar API lives. */
export type PolarEnvironment = "production" | "sandbox" | "custom";

/** A connected Polar account. The credential is stored encrypted and never leaves the gateway. */
export interface AccountRecord {
  id: string;
  name: string;
  environment: PolarEnvironment;
  /** Polar API base URL calls go to. */
  baseUrl: string;
  /** The Polar token, sealed by the credential cipher. */
  credentialCiphertext: string;
  createdAt: string;
}

/** Which tools a managed server exposes: an upper bound applied at listing and at call time. */
export interface ServerConfig {
  methods?: string[];
  tags?: string[];
  tools?: string[];
  excludeTools?: string[];
  readOnly?: boolean;
  mode?: "static" | "dynamic";
}

/** `active` servers answer; the rest answer a clear error and serve nothing. */
export type ServerStatus = "active" | "expired" | "deleted";

/** A managed MCP server. Its URL secret is stored only as a SHA-256 hash. */
export interface ServerRecord {
  id: string;
  accountId: string;
  name: string;
  config: ServerConfig;
  expiresAt: string | null;
  requireApiTokenAuth: boolean;
  status: ServerStatus;
  tokenHash: string;
  createdAt: string;
  updatedAt: string;
}

/** What a URL secret's hash resolves to: the live token of a server, or one it replaced. */
export interface TokenLookup {
  server: ServerRecord;
  /** `current` for the server's live URL; `rotated` for a URL that rotation replaced. */
  state: "current" | "rotated";
  tokenHash: string;
}

/** A gateway API token: the second credential of servers with `requireApiTokenAuth`. */
export interface ApiTokenRecord {
  id: string;
  accountId: string;
  name: string;
  tokenHash: string;
  createdAt: string;
}

/** How one tool call ended. */
export type CallStatus =
  "ok" | "error" | "denied" | "upstream_rate_limited" | "rate_limited" | "unauthorized" | "expired";

/** One audit entry: no arguments or results unless the gateway is told to keep them. */
export interface AuditEntry {
  id: string;
  at: string;
  serverId: string;
  accountId: string;
  tool: string;
  status: CallStatus;
  /** HTTP status of Polar's answer, when Polar was called. */
  upstreamStatus: number | null;
  latencyMs: number;
  /** Arguments as JSON, only with `auditArguments: true`. */
  arguments: string | null;
}

/** Filters of {@link Registry.listCalls}; newest first. */
export interface CallQuery {
  accountId?: string;
  serverId?: string;
  /** Only entries strictly older than this ISO time (for paging). */
  before?: string;
  limit: number;
}

/** One fixed-window counter to add to: `amount` units, allowed up to `limit` in the window. */
export interface CounterHit {
  key: string;
  windowStart: number;
  /** Units to add (the tool calls of a request); 0 only reads the counter. */
  amount: number;
  /** Most units the window may hold. */
  limit: number;
}

/** What {@link Registry.take} did: every counter grew, or none did. */
export interface CounterTake {
  granted: boolean;
  /** Each counter's count afterwards (when refused: as it stands, without this request). */
  counts: number[];
}

/** Fields {@link Registry.updateServer} may change. */
export type ServerPatch = Partial<
  Pick<ServerRecord, "name" | "config" | "expiresAt" | "requireApiTokenAuth" | "status">
>;

/**
 * The gateway's storage: accounts, servers, API tokens, audit and rate-limit counters.
 * One contract test suite runs against every implementation (SQLite, PostgreSQL).
 */
export interface Registry {
  createAccount(account: AccountRecord): Promise<void>;
  getAccount(id: string): Promise<AccountRecord | undefined>;
  listAccounts(): Promise<AccountRecord[]>;
  /** Replaces an account's sealed credential (re-encryption under a newer key); false if unknown. */
  updateAccountCredential(id: string, credentialCiphertext: string): Promise<boolean>;
  /** Deletes the account and its API tokens, marks its servers deleted; false if unknown. */
  deleteAccount(id: string, at: string): Promise<boolean>;

  createServer(server: ServerRecord): Promise<void>;
  getServer(id: string): Promise<ServerRecord | undefined>;
  /** Servers of an account that are not deleted, oldest first. */
  listServers(accountId: string): Promise<ServerRecord[]>;
  updateServer(id: string, patch: ServerPatch, at: string): Promise<ServerRecord | undefined>;
  /** Replaces the URL hash; the old hash keeps resolving as `rotated`. */
  rotateServerToken(id: string, tokenHash: string, at: string): Promise<ServerRecord | undefined>;
  findByTokenHash(tokenHash: string): Promise<TokenLookup | undefined>;

  createApiToken(token: ApiTokenRecord): Promise<void>;
  listApiTokens(accountId: string): Promise<ApiTokenRecord[]>;
  findApiToken(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  deleteApiToken(id: string): Promise<boolean>;

  /** Writes audit entries in one transaction, in order (all or none). */
  recordCalls(entries: readonly AuditEntry[]): Promise<void>;
  listCalls(query: CallQuery): Promise<AuditEntry[]>;
  /** Deletes audit entries older than `before` (ISO time); returns how many. */
  pruneCalls(before: string): Promise<number>;

  /**
   * All or nothing: adds each counter's `amount` when every counter stays within its
   * `limit`, else adds nothing (distinct keys; counts in the same order). Shared by every
   * process on the same database, so limits hold behind a load balancer.
   */
  take(counters: readonly CounterHit[]): Promise<CounterTake>;
  /** Drops counters of windows that started before `windowStart`. */
  pruneCounters(windowStart: number): Promise<void>;

  /**
   * Readiness: resolves when the database can serve requests now, else throws (a
   * `DatabaseUnavailableError` when it is locked, removed or unreachable).
   */
  ping(): Promise<void>;

  close(): Promise<void>;
}
