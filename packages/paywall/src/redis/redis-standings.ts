import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { KeyDecision } from "../cache/key-decision.js";
import type { CustomerStanding } from "../ledger/standing-loader.js";
import type { SharedStandings } from "../standing/shared-standings.js";

/** Keys are stored by hash: Redis never holds a license key in clear. */
const digest = (key: string) => createHash("sha256").update(key).digest("base64url");

/**
 * Validation results and standings in Redis, beside the shared ledger: `kd` maps key hashes
 * to decisions, `ck:<customer>` lists a customer's key hashes, `st:<customer>` holds the
 * standing. Forgetting a customer is one script, so no replica reads half of it.
 */
const FORGET = `
local hashes = redis.call('SMEMBERS', KEYS[2])
for _, h in ipairs(hashes) do redis.call('HDEL', KEYS[1], h) end
redis.call('DEL', KEYS[2], KEYS[3])
return #hashes
`;

export class RedisStandings implements SharedStandings {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get decisions() {
    return `${this.prefix}kd`;
  }
  private keysOf = (customerId: string) => `${this.prefix}ck:${customerId}`;
  private standingOf = (customerId: string) => `${this.prefix}st:${customerId}`;

  async key(key: string): Promise<KeyDecision | undefined> {
    const json = await this.redis.hget(this.decisions, digest(key));
    return json ? (JSON.parse(json) as KeyDecision) : undefined;
  }

  async putKey(key: string, decision: KeyDecision): Promise<void> {
    const hash = digest(key);
    const multi = this.redis.multi().hset(this.decisions, hash, JSON.stringify(decision));
    if (decision.customerId) multi.sadd(this.keysOf(decision.customerId), hash);
    await multi.exec();
  }

  async forgetKey(key: string): Promise<void> {
    await this.redis.hdel(this.decisions, digest(key));
  }

  async standing(customerId: string): Promise<CustomerStanding | undefined> {
    const json = await this.redis.get(this.standingOf(customerId));
    return json ? (JSON.parse(json) as CustomerStanding) : undefined;
  }

  async putStanding(standing: CustomerStanding): Promise<void> {
    await this.redis.set(this.standingOf(standing.customerId), JSON.stringify(standing));
  }

  async forgetCustomer(customerId: string): Promise<void> {
    await this.redis.eval(
      FORGET,
      3,
      this.decisions,
      this.keysOf(customerId),
      this.standingOf(customerId),
    );
  }
}
