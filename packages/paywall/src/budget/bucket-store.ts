import type { Redis } from "ioredis";
import { take, type BucketParams, type BucketState, type TakeResult } from "./token-bucket.js";

/** Where a token bucket lives: this process, or Redis for a fleet of replicas. */
export interface BucketStore {
  take(name: string, params: BucketParams, floor: number): Promise<TakeResult>;
  /** Nothing may be sent before `untilMs` (a 429's Retry-After reached someone). */
  pause(untilMs: number): Promise<void>;
}

export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, BucketState>();
  private pausedUntil = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async take(name: string, params: BucketParams, floor: number): Promise<TakeResult> {
    let state = this.buckets.get(name);
    if (!state) {
      state = { tokens: params.capacity, at: this.now(), pausedUntil: 0 };
      this.buckets.set(name, state);
    }
    state.pausedUntil = this.pausedUntil;
    return take(state, this.now(), params, floor);
  }

  async pause(untilMs: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }
}

/** `take` of token-bucket.ts in Lua, on Redis's clock, so every replica draws from one bucket. */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local perMs = tonumber(ARGV[1]) / 60000
local capacity = tonumber(ARGV[2])
local floor = tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(s[1]) or capacity
local at = tonumber(s[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * perMs)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
local result
if now < paused then
  result = {0, paused - now}
elseif tokens - 1 >= floor then
  tokens = tokens - 1
  result = {1, 0}
else
  result = {0, math.max(1, math.ceil((floor + 1 - tokens) / perMs))}
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 600000)
return result
`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = tonumber(ARGV[1]) - tonumber(ARGV[2]) + now
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if ms > current then redis.call('SET', KEYS[1], tostring(ms), 'PX', math.max(1, ms - now)) end
return 1
`;

/** The fleet's bucket: one Redis hash per bucket, changed only inside Lua scripts. */
export class RedisBucketStore implements BucketStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async take(name: string, params: BucketParams, floor: number): Promise<TakeResult> {
    const [granted, waitMs] = (await this.redis.eval(
      TAKE,
      2,
      `${this.prefix}budget:${name}`,
      `${this.prefix}budget:paused`,
      params.perMinute,
      params.capacity,
      floor,
    )) as [number, number];
    return granted === 1 ? { granted: true } : { granted: false, waitMs: Number(waitMs) };
  }

  /** `untilMs` is on this process's clock; the script moves it onto Redis's. */
  async pause(untilMs: number): Promise<void> {
    await this.redis.eval(PAUSE, 1, `${this.prefix}budget:paused`, untilMs, Date.now());
  }
}
