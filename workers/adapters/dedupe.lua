-- Storage primitive of the Redis duplicate index: file an item and return the items filed before it, read
-- an item back, write a decision back (first writer wins). No decision is taken here: thresholds, similarity
-- and what to keep or let go are Python's (workers/core/dedupe.py, retention.py, dedupe_index.py).
-- Layout: see workers/adapters/dedupe_redis.py. Modes and ARGV:
--   file    2 prefix, 3 article id, 4 record, 5 bucket, 6 first bucket, 7 last bucket, 8 expire_at (unix s),
--           9 file under keys (1/0), 10 article id hash (8 bytes), 11 keys (a 4-byte fragment each),
--           12 and 13 the decision (cluster id, score x10000) Python gives an item with nothing filed before it
--           -> {seq, its stored value if filed before, or its value as filed if written decided at once,
--               else ''; earlier seqs (u32 each), crowded, values...}
--           crowded: per key, u16 count and the u32 seqs filed under it in its own bucket, oldest first
--   earlier 2 prefix, 3 before seq, 4 first bucket, 5 last bucket, 6 keys -> {earlier seqs, values...}
--   get     2 prefix, 3 seq -> {value or '', undecided item's 'u8 id length, id, keys' or ''}
--   settle  2 prefix, 3 seq, 4 cluster id, 5 score (x10000), 6 bucket, 7 expire_at, 8 entries to drop
--           (u32 key fragment, u32 seq each, in `bucket`) -> {cluster id, score} as stored
-- A stored value: u16 score x10000 (UNDECIDED until written back), u8 id length, cluster id, record.
local SLOT, GROUP, OVERFLOW, UNDECIDED = 544, 300, 65535, 65535  -- keep in step with dedupe_redis.py
local ITEMS_PER_KEY_SHARD, ITEMS_PER_ID_SHARD = 6, 40  -- ~50 entries (~450 B) a shard, whatever the bucket holds

local mode, p = ARGV[1], ARGV[2]

-- Every aligned occurrence of `needle` in a packed string of fixed-size entries (C-speed plain find). Most
-- lookups find nothing: they share one empty table rather than each making its own (callers only read it).
local NONE = {}
local function occurrences(s, needle, size)
  local found, pos = nil, 1
  while true do
    local i = string.find(s, needle, pos, true)
    if not i then return found or NONE end
    if (i - 1) % size == 0 then
      found = found or {}
      found[#found + 1] = i
      pos = i + size
    else
      pos = i + 1
    end
  end
end

-- Linear hashing: a bucket holding `count` items has 1 + count // per shards, so a shard stays small at any
-- size. With 2^L <= n < 2^(L+1) shards, shards below n - 2^L are already split by one more bit.
local function level(n)
  local top = 1
  while top * 2 <= n do top = top * 2 end
  return top
end
local function shard_of(h, n, top)
  local i = h % (2 * top)
  if i >= n then i = h % top end
  return i
end
local function nshards(count, per) return 1 + math.floor(count / per) end
local function key_field(frag, count)
  local n = nshards(count, ITEMS_PER_KEY_SHARD)
  return tostring(shard_of(frag, n, level(n)))
end
-- Every key's field at once, from index 2 of `fields` on (the shard count and level worked out once).
local function key_fields(frags, count, fields)
  local n = nshards(count, ITEMS_PER_KEY_SHARD)
  local top = level(n)
  for j = 1, #frags do fields[j + 1] = tostring(shard_of(frags[j], n, top)) end
  return fields
end

-- A stored value lives in a fixed slot after its u16 length; the rare longer one in hash `x:{group}`.
local function stored(seq)
  local g, i = math.floor(seq / GROUP), seq % GROUP
  local slot = redis.call('GETRANGE', p .. 'r:' .. g, i * SLOT, i * SLOT + SLOT - 1)
  if #slot < 2 then return nil end
  local n = struct.unpack('<H', slot)
  if n == 0 then return nil end
  if n == OVERFLOW then return redis.call('HGET', p .. 'x:' .. g, i) end
  return string.sub(slot, 3, 2 + n)
end
local function store(seq, value, expire_at, was_overflow)
  local g, i = math.floor(seq / GROUP), seq % GROUP
  local rk = p .. 'r:' .. g
  if #value + 2 <= SLOT then
    redis.call('SETRANGE', rk, i * SLOT, struct.pack('<H', #value) .. value)
    if was_overflow then redis.call('HDEL', p .. 'x:' .. g, i) end
  else  -- rare: a long id with a long headline; kept whole in a hash beside the group
    redis.call('SETRANGE', rk, i * SLOT, struct.pack('<H', OVERFLOW))
    redis.call('HSET', p .. 'x:' .. g, i, value)
    redis.call('EXPIREAT', p .. 'x:' .. g, expire_at)
  end
end

-- The items filed before `before` under any of `keys` in buckets first..last: packed seqs and their values.
-- `shards[b]` holds each key's field of bucket b (read by the caller with one HMGET), from index 2 on. Most keys
-- find nothing, so a key costs a find and no table of its own (a table per key was a tenth of the script's time).
local ZERO = struct.pack('<H', 0)
local function collect(keys, nkeys, first, last, shards, before, own, crowded)
  local seen, seqs, values = {}, {}, {}
  for b = first, last do
    local row = shards[b]
    for j = 1, nkeys do
      local v = row[j + 1]
      local mine
      for _, i in ipairs(v and occurrences(v, string.sub(keys, 4 * j - 3, 4 * j), 8) or NONE) do
        local seq = struct.unpack('<I4', v, i + 4)
        if seq < before then
          if b == own then
            mine = mine or {}
            mine[#mine + 1] = struct.pack('<I4', seq)
          end
          if not seen[seq] then
            seen[seq] = true
            local s = stored(seq)
            if s then
              seqs[#seqs + 1] = struct.pack('<I4', seq)
              values[#values + 1] = s
            end
          end
        end
      end
      if crowded and b == own then
        crowded[j] = mine and (struct.pack('<H', #mine) .. table.concat(mine)) or ZERO
      end
    end
  end
  return table.concat(seqs), values
end

local function read_shards(first, last, fields_for)
  local shards, counts = {}, {}
  for b = first, last do
    counts[b] = tonumber(redis.call('HGET', p .. 'h:' .. b, 'n') or 0)
    shards[b] = counts[b] > 0 and redis.call('HMGET', p .. 'h:' .. b, unpack(fields_for(counts[b]))) or {}
  end
  return shards, counts
end

local function frags_of(keys)
  local frags = {}
  for j = 1, #keys / 4 do frags[j] = struct.unpack('<I4', keys, 4 * j - 3) end
  return frags
end

if mode == 'get' then
  local seq = tonumber(ARGV[3])
  return {stored(seq) or '', redis.call('GET', p .. 'u:' .. seq) or ''}
end

if mode == 'earlier' then
  local before, first, last, keys = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
  local frags = frags_of(keys)
  local shards = read_shards(first, last, function(count) return key_fields(frags, count, {'n'}) end)
  local seqs, values = collect(keys, #frags, first, last, shards, before, nil, nil)
  return {seqs, unpack(values)}
end

if mode == 'settle' then
  local seq, cluster, score = tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
  local bucket, expire_at, drops = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
  if #drops > 0 then  -- whoever wrote the decision, the filer lets go of what its filing crowded out
    local hk = p .. 'h:' .. bucket
    local count = tonumber(redis.call('HGET', hk, 'n') or 0)
    local fields = {}
    for o = 1, #drops, 8 do
      local entry = string.sub(drops, o, o + 7)
      local f = key_field(struct.unpack('<I4', entry), count)
      local cur = fields[f] or redis.call('HGET', hk, f) or ''
      local at = occurrences(cur, entry, 8)[1]
      if at then cur = string.sub(cur, 1, at - 1) .. string.sub(cur, at + 8) end
      fields[f] = cur
    end
    local args = {}
    for f, value in pairs(fields) do args[#args + 1] = f; args[#args + 1] = value end
    if #args > 0 then redis.call('HSET', hk, unpack(args)) end
  end
  local v = stored(seq)
  if not v then return {cluster, score} end  -- expired meanwhile: nothing left to write to
  local have, n = struct.unpack('<HB', v)
  if have ~= UNDECIDED then return {string.sub(v, 4, 3 + n), have} end  -- the first writer's stands
  local g, i = math.floor(seq / GROUP), seq % GROUP
  local slot = redis.call('GETRANGE', p .. 'r:' .. g, i * SLOT, i * SLOT + 1)
  store(seq, struct.pack('<HB', score, #cluster) .. cluster .. string.sub(v, 4 + n), expire_at,
        struct.unpack('<H', slot) == OVERFLOW)
  redis.call('DEL', p .. 'u:' .. seq)
  return {cluster, score}
end

-- mode 'file'
local aid, rec = ARGV[3], ARGV[4]
local bucket, first, last = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local expire_at, files_keys, idhash, keys = tonumber(ARGV[8]), ARGV[9] == '1', ARGV[10], ARGV[11]
local alone, alone_score = ARGV[12], tonumber(ARGV[13])
local nkeys = #keys / 4
local idh = struct.unpack('<I4', idhash)
local frags = frags_of(keys)
-- The fields a bucket of `count` items files this item under: 'm<shard>' for its id, '<shard>' per key.
local function fields_for(count)
  local n = nshards(count, ITEMS_PER_ID_SHARD)
  return key_fields(frags, count, {'m' .. shard_of(idh, n, level(n))})
end

-- Each bucket is one hash: 'n' its item count, 'm<shard>' id entries (u64 id hash, u32 seq), '<shard>' key
-- entries (u32 fragment, u32 seq). One HMGET per reachable bucket reads every field this lookup needs.
local shards, counts = read_shards(first, last, fields_for)

for b = first, last do
  local m = shards[b][1]
  if m then
    for _, i in ipairs(occurrences(m, idhash, 12)) do
      local seq = struct.unpack('<I4', m, i + 8)
      local v = stored(seq)
      if v then return {seq, v, '', ''} end
    end
  end
end

local crowded = {}
local seqs, values = collect(keys, nkeys, first, last, shards, math.huge, bucket, crowded)

local seq = redis.call('INCR', p .. 'seq')
local g, i = math.floor(seq / GROUP), seq % GROUP
local rk = p .. 'r:' .. g
if i == 0 or seq == 1 then
  -- size the group once: growing a string by SETRANGE would over-allocate it (Redis doubles on growth)
  redis.call('SETRANGE', rk, GROUP * SLOT - 1, '\0')
end
-- Nothing filed before it: the decision Python gave for that case is written at once (no second call).
local decided = #seqs == 0
local value = struct.pack('<HB', UNDECIDED, 0) .. rec
if decided then value = struct.pack('<HB', alone_score, #alone) .. alone .. rec end
store(seq, value, expire_at, false)
if i % 16 == 0 or seq == 1 then  -- the group lives as long as its newest items; the slack covers 16 of them
  redis.call('EXPIREAT', rk, expire_at)
end
if not decided then  -- until its decision is written back, what another worker needs to decide it in its place
  redis.call('SET', p .. 'u:' .. seq, struct.pack('<B', #aid) .. aid .. keys, 'EXAT', expire_at)
end

local hk = p .. 'h:' .. bucket
local before = counts[bucket] or 0
-- Growing by one shard splits one: shard n - 2^L moves the entries whose next hash bit is set to shard n.
local function grow(per, tag, size)
  local n = nshards(before + 1, per)
  if n == nshards(before, per) then return false end
  local old = n - 1
  local top = level(old)
  local src = old - top
  local v = redis.call('HGET', hk, tag .. src)
  if v then
    local keep, move = {}, {}
    for o = 1, #v, size do
      local e = string.sub(v, o, o + size - 1)
      if struct.unpack('<I4', e) % (2 * top) == src then keep[#keep + 1] = e else move[#move + 1] = e end
    end
    redis.call('HSET', hk, tag .. src, table.concat(keep), tag .. old, table.concat(move))
  end
  return true
end
local grew_ids, grew_keys = grow(ITEMS_PER_ID_SHARD, 'm', 12), grow(ITEMS_PER_KEY_SHARD, '', 8)
local fields, mine = fields_for(before + 1), shards[bucket] or {}
if grew_ids or grew_keys then mine = redis.call('HMGET', hk, unpack(fields)) end

-- One HSET files the item under its id and every key; two keys may share a shard.
local entry, new = struct.pack('<I4', seq), {}
new[fields[1]] = (mine[1] or '') .. idhash .. entry
if files_keys then
  for j = 1, nkeys do
    local f = fields[j + 1]
    new[f] = (new[f] or mine[j + 1] or '') .. string.sub(keys, 4 * j - 3, 4 * j) .. entry
  end
end
local args = {'n', before + 1}
for f, v in pairs(new) do args[#args + 1] = f; args[#args + 1] = v end
redis.call('HSET', hk, unpack(args))
redis.call('EXPIREAT', hk, expire_at)
local packed = {}
for j = 1, nkeys do packed[j] = crowded[j] or struct.pack('<H', 0) end
return {seq, decided and value or '', seqs, table.concat(packed), unpack(values)}
