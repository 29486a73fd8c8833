/**
 * The Lua scripts behind the Redis store. Each one reads and writes a single key inside Redis, so
 * every state change is atomic (no read-then-write races) and works on Redis Cluster,
 * where a script may only touch keys of one slot.
 *
 * A key holds `c:<token>` while claimed (with a `PX` lease) and `d:<token>` once done (with a `PX`
 * TTL covering Alipay's 25-hour retry window, https://opendocs.alipay.com/open/270/105902). An absent key means "never handled" or
 * "released": either way the next delivery may claim it. Expiry runs on Redis's clock, so the
 * instances' clocks never need to agree.
 */

/** KEYS[1] the key, ARGV[1] token, ARGV[2] lease in ms → 'claimed' | 'done' | 'in_progress'. */
export const CLAIM_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v then
  if string.sub(v, 1, 2) == 'd:' then return 'done' end
  return 'in_progress'
end
redis.call('SET', KEYS[1], 'c:' .. ARGV[1], 'PX', ARGV[2])
return 'claimed'
`;

/**
 * KEYS[1] the key, ARGV[1] token, ARGV[2] TTL in ms → 1 when the token still held the claim, else 0.
 * The key is marked done either way: the handler did succeed, so later retries must be
 * acknowledged, not run again. A 0 tells the caller that the lease had expired and another
 * delivery may have run the handler as well (the overlap is reported).
 */
export const COMPLETE_SCRIPT = `
local held = redis.call('GET', KEYS[1]) == 'c:' .. ARGV[1]
redis.call('SET', KEYS[1], 'd:' .. ARGV[1], 'PX', ARGV[2])
if held then return 1 end
return 0
`;

/** KEYS[1] the key, ARGV[1] token → 1 when our claim was removed, 0 when it was no longer ours. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == 'c:' .. ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

/** KEYS[1] the key → 'done' | 'in_progress' | 'absent'. A script so that no client transforms the reply. */
export const PEEK_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then return 'absent' end
if string.sub(v, 1, 2) == 'd:' then return 'done' end
return 'in_progress'
`;
