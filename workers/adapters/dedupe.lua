-- Atomic near-duplicate assign: idempotency check, candidate lookup, decision and insert in one step.
-- The decision mirrors workers/core/dedupe.py `compare` exactly (same thresholds, same arithmetic);
-- tests/adapters/test_dedupe_backends.py checks the two agree. Layout: see workers/adapters/dedupe_redis.py.
-- ARGV: 1 mode ('assign' | 'compare'), 2 prefix, 3 article_id, 4 record (packed fingerprint),
--       5 at (minutes), 6 window (minutes), 7 expire_at (unix s), 8 per-key cap,
--       9 article id hash (8 bytes), 10 keys (a 4-byte fragment per key)
-- compare mode: ARGV[2] and ARGV[3] are the two records.
local SLOT, GROUP, OVERFLOW = 544, 300, 65535  -- keep in step with dedupe_redis.py
local ITEMS_PER_KEY_SHARD, ITEMS_PER_ID_SHARD = 6, 40  -- ~50 entries (~450 B) a shard, whatever the bucket holds
local VERSION = 3

local FIELDS = 8  -- tgrams tbigrams twords tnums nums tapprox approx bwords
local formats = {}  -- '<HH…H' by count: one unpack call reads a whole set (a call per value costs 5x more)
local function u16s(r, off, count)
  if count == 0 then return {} end
  local f = formats[count]
  if not f then f = '<' .. string.rep('H', count); formats[count] = f end
  return {struct.unpack(f, r, off)}  -- the last value is the next offset; callers read 1..count
end
local function parse(r)
  local h = {struct.unpack('<BBBBBBBBBBBBI4I4', r)}
  if h[1] ~= VERSION then return nil end  -- a record of another fingerprint version is never a candidate
  local fp = {flags = h[2], nwords = h[3], nsig = h[12], source = h[13], at = h[14], sets = {}, n = {}}
  local off = 21
  for f = 1, FIELDS do
    local set, count = {}, h[3 + f]
    local values = u16s(r, off, count)
    for i = 1, count do set[values[i]] = true end
    fp.sets[f], fp.n[f] = set, count
    off = off + 2 * count
  end
  fp.sig = u16s(r, off, fp.nsig)
  return fp
end

local function inter(a, b, f)
  local c = 0
  for k in pairs(a.sets[f]) do if b.sets[f][k] then c = c + 1 end end
  return c
end
local function containment(a, b, f)
  local small = math.min(a.n[f], b.n[f])
  if small == 0 then return 0.0 end
  return inter(a, b, f) / small
end
local function jaccard(a, b, f)
  local i = inter(a, b, f)
  local union = a.n[f] + b.n[f] - i
  if union == 0 then return 0.0 end
  return i / union
end
local function coverage(a, b)  -- share of a's title words (3) found in b's title words or body words (8)
  if a.n[3] == 0 then return 0.0 end
  local c = 0
  for k in pairs(a.sets[3]) do if b.sets[3][k] or b.sets[8][k] then c = c + 1 end end
  return c / a.n[3]
end
local function any_common(a, fa, b, fb)
  for k in pairs(a.sets[fa]) do if b.sets[fb][k] then return true end end
  return false
end
local function word_order_kept(a, b)  -- the shorter title's word pairs (2) in the other, one miss allowed if >= 3
  local small = math.min(a.n[2], b.n[2])
  return containment(a, b, 2) >= 0.8 or (small >= 3 and inter(a, b, 2) >= small - 1)
end
local function exclusive(a, b)  -- a title word (3) that a's body (8) repeats, found nowhere in b
  for k in pairs(a.sets[3]) do
    if a.sets[8][k] and not b.sets[3][k] and not b.sets[8][k] then return true end
  end
  return false
end
local function numbers_conflict(a, b)
  if a.n[6] > 0 and b.n[6] > 0 and not any_common(a, 6, b, 7) and not any_common(b, 6, a, 7) then
    return true
  end
  local small = math.min(a.n[5], b.n[5])
  return small >= 2 and 2 * inter(a, b, 5) < small
end
local function body_similarity(a, b)
  if a.nsig == 0 or b.nsig == 0 then return 0.0 end
  local same, sa, sb = 0, a.sig, b.sig
  for i = 1, math.min(a.nsig, b.nsig) do
    if sa[i] == sb[i] then same = same + 1 end
  end
  return same / a.nsig
end

local function compare(a, b)
  local tj, bj = jaccard(a, b, 1), body_similarity(a, b)
  local score = math.max(tj, bj)
  local same_source_later = a.source ~= 0 and a.source == b.source and math.abs(a.at - b.at) >= 1080
  local titles_alike = math.min(a.nwords, b.nwords) >= 3
    and (a.flags >= 2) == (b.flags >= 2)
    and inter(a, b, 4) == math.min(a.n[4], b.n[4])
    and containment(a, b, 1) >= 0.9 and word_order_kept(a, b)
  local title_match = titles_alike and not same_source_later
  if a.nsig == 0 or b.nsig == 0 then
    if title_match then return true, math.max(score, containment(a, b, 1)) end
    return false, score
  end
  if numbers_conflict(a, b) then return false, score end
  if same_source_later and not (titles_alike and bj >= 0.9) then return false, score end
  local template = jaccard(a, b, 3) >= 0.5 and exclusive(a, b) and exclusive(b, a)
  local later, earlier = a, b
  if b.at > a.at then later, earlier = b, a end
  local follow_up = earlier.at > 0 and later.at - earlier.at >= 720 and exclusive(later, earlier)
  if not (template or follow_up) then
    local shared_copy = bj >= 0.30 or (bj >= 0.25 and jaccard(a, b, 8) >= 0.6)
    if shared_copy and math.max(coverage(a, b), coverage(b, a)) >= 0.45 then return true, score end
    if bj >= 0.18 and tj >= 0.55 then return true, score end
    if containment(a, b, 3) >= 0.8 and tj >= 0.45 and jaccard(a, b, 8) >= 0.15 then return true, score end
  end
  if any_common(a, 4, b, 4) and inter(a, b, 5) >= 2 and containment(a, b, 3) >= 0.4 and jaccard(a, b, 8) >= 0.1 then
    return true, score
  end
  if title_match and math.min(a.nwords, b.nwords) >= 5 and jaccard(a, b, 8) >= 0.12 then return true, score end
  return false, score
end

-- python's round(x, 4) for the scores we compare (exact quotients of small integers)
local function round4(x) return tonumber(string.format('%.4f', x)) end

if ARGV[1] == 'compare' then  -- test hook: decide two records without touching any key
  local dup, score = compare(parse(ARGV[2]), parse(ARGV[3]))
  return {dup and 1 or 0, string.format('%.4f', score)}
end

local p, aid, rec = ARGV[2], ARGV[3], ARGV[4]
local at, win, expire_at, cap = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local idhash, keys = ARGV[9], ARGV[10]
local span = 2 * win
local bucket = math.floor(at / span)
local first, last = math.floor((at - win) / span), math.floor((at + win) / span)
local nkeys = #keys / 4

-- Every aligned occurrence of `needle` in a packed string of fixed-size entries (C-speed plain find).
local function occurrences(s, needle, size)
  local found, pos = {}, 1
  while true do
    local i = string.find(s, needle, pos, true)
    if not i then return found end
    if (i - 1) % size == 0 then
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

-- stored value: u16 score*10000, u8 id length, cluster id, fingerprint; in a fixed slot after its u16 length
local function stored(seq)
  local g, i = math.floor(seq / GROUP), seq % GROUP
  local slot = redis.call('GETRANGE', p .. 'r:' .. g, i * SLOT, i * SLOT + SLOT - 1)
  if #slot < 2 then return nil end
  local n = struct.unpack('<H', slot)
  if n == 0 then return nil end
  if n == OVERFLOW then return redis.call('HGET', p .. 'x:' .. g, i) end
  return string.sub(slot, 3, 2 + n)
end
local function split_stored(v)
  local score, n = struct.unpack('<HB', v)
  return string.sub(v, 4, 3 + n), score / 10000, string.sub(v, 4 + n)
end

local idh = struct.unpack('<I4', idhash)
local frags = {}
for j = 1, nkeys do frags[j] = struct.unpack('<I4', keys, 4 * j - 3) end
-- The fields a bucket of `count` items files this item under: 'm<shard>' for its id, '<shard>' per key.
local function fields_for(count)
  local n = nshards(count, ITEMS_PER_ID_SHARD)
  local fields = {'m' .. shard_of(idh, n, level(n))}
  n = nshards(count, ITEMS_PER_KEY_SHARD)
  local top = level(n)
  for j = 1, nkeys do fields[j + 1] = tostring(shard_of(frags[j], n, top)) end
  return fields
end

-- Each bucket is one hash: 'n' its item count, 'm<shard>' id entries (u64 id hash, u32 seq), '<shard>' key
-- entries (u32 fragment, u32 seq). One HMGET per reachable bucket reads every field this lookup needs.
local shards, counts = {}, {}
for b = first, last do
  counts[b] = tonumber(redis.call('HGET', p .. 'h:' .. b, 'n') or 0)
  shards[b] = counts[b] > 0 and redis.call('HMGET', p .. 'h:' .. b, unpack(fields_for(counts[b]))) or {}
end

for b = first, last do
  local m = shards[b][1]
  if m then
    for _, i in ipairs(occurrences(m, idhash, 12)) do
      local v = stored(struct.unpack('<I4', m, i + 8))
      if v then
        local cluster, score = split_stored(v)
        return {cluster, string.format('%.4f', score), 1}
      end
    end
  end
end

local me = nil
local seen, full, best_seq, best_score, best_cluster = {}, {}, nil, -1, nil
for b = first, last do
  for j = 1, nkeys do
    local v = shards[b][j + 1]
    if v then
      local hits = occurrences(v, string.sub(keys, 4 * j - 3, 4 * j), 8)
      if b == bucket and #hits >= cap then full[j] = true end
      for _, i in ipairs(hits) do
        local seq = struct.unpack('<I4', v, i + 4)
        if not seen[seq] then
          seen[seq] = true
          local s = stored(seq)
          local other = s and parse(select(3, split_stored(s)))
          if other and math.abs(at - other.at) <= win then
            me = me or parse(rec)
            local dup, score = compare(me, other)
            score = round4(score)
            if dup and (score > best_score or (score == best_score and seq < best_seq)) then
              best_seq, best_score, best_cluster = seq, score, split_stored(s)
            end
          end
        end
      end
    end
  end
end

local seq = redis.call('INCR', p .. 'seq')
local cluster, score = aid, 0
if best_seq then cluster, score = best_cluster, best_score end
local value = struct.pack('<HB', math.floor(score * 10000 + 0.5), #cluster) .. cluster .. rec
local g, i = math.floor(seq / GROUP), seq % GROUP
local rk = p .. 'r:' .. g
if i == 0 or seq == 1 then
  -- size the group once: growing a string by SETRANGE would over-allocate it (Redis doubles on growth)
  redis.call('SETRANGE', rk, GROUP * SLOT - 1, '\0')
end
if #value + 2 <= SLOT then
  redis.call('SETRANGE', rk, i * SLOT, struct.pack('<H', #value) .. value)
else  -- rare: a long id with a long headline; kept whole in a hash beside the group
  redis.call('SETRANGE', rk, i * SLOT, struct.pack('<H', OVERFLOW))
  redis.call('HSET', p .. 'x:' .. g, i, value)
  redis.call('EXPIREAT', p .. 'x:' .. g, expire_at)
end
if i % 16 == 0 or seq == 1 then  -- the group lives as long as its newest items; the slack covers 16 of them
  redis.call('EXPIREAT', rk, expire_at)
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

-- One HSET files the item under its id and every key; two keys may share a shard. A key already holding `cap`
-- items of this bucket lets its oldest go (entries are in filing order): a re-post follows its original soon.
local entry, new = struct.pack('<I4', seq), {}
new[fields[1]] = (mine[1] or '') .. idhash .. entry
for j = 1, nkeys do
  local f, frag = fields[j + 1], string.sub(keys, 4 * j - 3, 4 * j)
  local cur = new[f] or mine[j + 1] or ''
  if full[j] then
    local first = occurrences(cur, frag, 8)[1]
    if first then cur = string.sub(cur, 1, first - 1) .. string.sub(cur, first + 8) end
  end
  if cap > 0 then new[f] = cur .. frag .. entry end
end
local args = {'n', before + 1}
for f, v in pairs(new) do args[#args + 1] = f; args[#args + 1] = v end
redis.call('HSET', hk, unpack(args))
redis.call('EXPIREAT', hk, expire_at)
return {cluster, string.format('%.4f', score), 0}
