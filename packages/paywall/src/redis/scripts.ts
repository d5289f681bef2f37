/**
 * Lua scripts of the shared ledger: each runs atomically in Redis, so replicas can never
 * interleave inside a reservation, an acknowledgement or a standing update.
 * Account hashes: credited, consumed, pending, reserved, loaded.
 */

/** Drops reservations past their deadline (a crashed replica's), then reserves all or nothing. */
export const RESERVE = `
local now = tonumber(ARGV[1])
local prefix = ARGV[6]
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)
for _, rid in ipairs(expired) do
  local c = redis.call('HGET', KEYS[2], rid)
  if c then
    for acct, units in pairs(cjson.decode(c)) do
      redis.call('HINCRBYFLOAT', prefix .. acct, 'reserved', -units)
    end
  end
  redis.call('ZREM', KEYS[1], rid)
  redis.call('HDEL', KEYS[2], rid)
end
local n = tonumber(ARGV[5])
for i = 1, n do
  local v = redis.call('HMGET', KEYS[2 + i], 'loaded', 'credited', 'consumed', 'pending', 'reserved')
  if v[1] ~= '1' then return {0, i, 'unloaded'} end
  local units = tonumber(ARGV[6 + i])
  local available = (tonumber(v[2]) or 0) - (tonumber(v[3]) or 0) - (tonumber(v[4]) or 0) - (tonumber(v[5]) or 0)
  if units > 0 and available < units then return {0, i, tostring(available)} end
end
for i = 1, n do
  redis.call('HINCRBYFLOAT', KEYS[2 + i], 'reserved', tonumber(ARGV[6 + i]))
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
return {1, 0, ''}
`;

/** Ends a reservation; with ARGV[3] (actual costs) the units become pending usage. */
export const SETTLE = `
local prefix = ARGV[2]
local c = redis.call('HGET', KEYS[2], ARGV[1])
if c then
  for acct, units in pairs(cjson.decode(c)) do
    redis.call('HINCRBYFLOAT', prefix .. acct, 'reserved', -units)
  end
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[1], ARGV[1])
end
if ARGV[3] then
  for acct, units in pairs(cjson.decode(ARGV[3])) do
    redis.call('HINCRBYFLOAT', prefix .. acct, 'pending', units)
  end
end
return 1
`;

/** Polar acknowledged units: pending → consumed; ends the customers' running ingestions. */
export const ACKNOWLEDGE = `
local prefix = ARGV[1]
for acct, units in pairs(cjson.decode(ARGV[2])) do
  redis.call('HINCRBYFLOAT', prefix .. acct, 'pending', -units)
  redis.call('HINCRBYFLOAT', prefix .. acct, 'consumed', units)
end
for i = 1, #KEYS do
  local inflight = tonumber(redis.call('HGET', KEYS[i], 'inflight') or '0')
  if inflight > 0 then redis.call('HINCRBY', KEYS[i], 'inflight', -1) end
end
return 1
`;

/** Marks ingestions of customers as running; the marker expires if the replica dies. */
export const BEGIN_INGEST = `
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], 'inflight', 1)
  redis.call('HINCRBY', KEYS[i], 'epoch', 1)
  redis.call('PEXPIRE', KEYS[i], 60000)
end
return 1
`;

/** Applies Polar's standing only if no ingestion of the customer ran since the fence was read. */
export const LOAD = `
local f = redis.call('HMGET', KEYS[1], 'inflight', 'epoch')
if tonumber(f[1] or '0') > 0 or (f[2] or '0') ~= ARGV[1] then return 0 end
local prefix = ARGV[2]
for acct, s in pairs(cjson.decode(ARGV[3])) do
  redis.call('HSET', prefix .. acct, 'credited', s.credited, 'consumed', s.consumed, 'loaded', '1')
  redis.call('SADD', KEYS[2], acct)
end
return 1
`;

/** Forgets Polar-derived standing of a customer's accounts (spend caps stay). */
export const INVALIDATE = `
local prefix = ARGV[1]
for _, acct in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if string.sub(acct, 1, 4) ~= 'cap:' then redis.call('HSET', prefix .. acct, 'loaded', '0') end
end
return 1
`;
