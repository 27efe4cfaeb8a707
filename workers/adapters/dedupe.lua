-- Atomic near-duplicate assign: idempotency check, candidate lookup, decision and insert in one step.
-- The decision mirrors workers/core/dedupe.py `compare` exactly (same thresholds, same arithmetic);
-- tests/adapters/test_dedupe_backends.py checks the two agree.
-- ARGV: 1 prefix, 2 article_id, 3 record (packed fingerprint), 4 at (minutes), 5 window (minutes),
--       6 expire_at (unix s), 7 map shard, 8 per-key cap, 9.. pairs of (key shard, 8-byte key)
local p, aid, rec = ARGV[1], ARGV[2], ARGV[3]
local at, win, expire_at = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local mshard, cap = ARGV[7], tonumber(ARGV[8])
local bucket = math.floor(at / win)
local GROUP = 256

local function record_key(seq) return p .. 'r:' .. math.floor(seq / GROUP) end

-- stored value: u16 score*10000, u8 id length, cluster id, fingerprint
local function split_stored(v)
  local score, n = struct.unpack('<HB', v)
  return string.sub(v, 4, 3 + n), score / 10000, string.sub(v, 4 + n)
end

for b = bucket - 1, bucket + 1 do
  local seq = redis.call('HGET', p .. 'm:' .. b .. ':' .. mshard, aid)
  if seq then
    local v = redis.call('HGET', record_key(tonumber(seq)), tonumber(seq) % GROUP)
    if v then
      local cluster, score = split_stored(v)
      return {cluster, string.format('%.4f', score), 1}
    end
  end
end

local FIELDS = 8  -- tgrams tbigrams twords tnums nums tapprox approx bwords
local function parse(r)
  local h = {struct.unpack('<BBBBBBBBBBBBI4I4', r)}
  local fp = {flags = h[2], nwords = h[3], nsig = h[12], source = h[13], at = h[14], sets = {}, n = {}}
  local off = 21
  for f = 1, FIELDS do
    local set, count = {}, h[3 + f]
    for i = 0, count - 1 do
      set[struct.unpack('<H', r, off + 2 * i)] = true
    end
    fp.sets[f], fp.n[f] = set, count
    off = off + 2 * count
  end
  fp.sig = string.sub(r, off, off + 2 * fp.nsig - 1)
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
local function sets_equal(a, b, f)
  return a.n[f] == b.n[f] and inter(a, b, f) == a.n[f]
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
  local same = 0
  for i = 1, 2 * a.nsig, 2 do
    if string.sub(a.sig, i, i + 1) == string.sub(b.sig, i, i + 1) then same = same + 1 end
  end
  return same / a.nsig
end

local function compare(a, b)
  local tj, bj = jaccard(a, b, 1), body_similarity(a, b)
  local score = math.max(tj, bj)
  local same_source_later = a.source ~= 0 and a.source == b.source and math.abs(a.at - b.at) >= 1080
  local title_match = (not same_source_later) and math.min(a.nwords, b.nwords) >= 3
    and (a.flags >= 2) == (b.flags >= 2)
    and not (a.n[4] > 0 and b.n[4] > 0 and not sets_equal(a, b, 4))
    and containment(a, b, 1) >= 0.9 and containment(a, b, 2) >= 0.8
  if a.nsig == 0 or b.nsig == 0 then
    if title_match then return true, math.max(score, containment(a, b, 1)) end
    return false, score
  end
  if numbers_conflict(a, b) then return false, score end
  if bj >= 0.30 and math.max(coverage(a, b), coverage(b, a)) >= 0.45 then return true, score end
  if bj >= 0.18 and tj >= 0.55 then return true, score end
  if containment(a, b, 3) >= 0.8 and tj >= 0.45 and jaccard(a, b, 8) >= 0.15 then return true, score end
  if title_match and math.min(a.nwords, b.nwords) >= 5 and jaccard(a, b, 8) >= 0.12 then return true, score end
  return false, score
end

-- python's round(x, 4) for the scores we compare (exact quotients of small integers)
local function round4(x) return tonumber(string.format('%.4f', x)) end

if ARGV[9] == 'compare' then  -- test hook: decide two records without touching any key
  local dup, score = compare(parse(rec), parse(ARGV[10]))
  return {dup and 1 or 0, string.format('%.4f', score)}
end

local me = parse(rec)
local seen, best_seq, best_score, best_cluster = {}, nil, -1, nil
for i = 9, #ARGV, 2 do
  for b = bucket - 1, bucket + 1 do
    local v = redis.call('HGET', p .. 'k:' .. b .. ':' .. ARGV[i], ARGV[i + 1])
    if v then
      for j = 1, #v, 4 do
        local seq = struct.unpack('<I4', v, j)
        if not seen[seq] then
          seen[seq] = true
          local stored = redis.call('HGET', record_key(seq), seq % GROUP)
          if stored then
            local cluster, _, r = split_stored(stored)
            local other = parse(r)
            if math.abs(me.at - other.at) <= win then
              local dup, score = compare(me, other)
              score = round4(score)
              if dup and (score > best_score or (score == best_score and seq < best_seq)) then
                best_seq, best_score, best_cluster = seq, score, cluster
              end
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
local rk = record_key(seq)
redis.call('HSET', rk, seq % GROUP, struct.pack('<HB', math.floor(score * 10000 + 0.5), #cluster) .. cluster .. rec)
redis.call('EXPIREAT', rk, expire_at)
local mk = p .. 'm:' .. bucket .. ':' .. mshard
redis.call('HSET', mk, aid, seq)
redis.call('EXPIREAT', mk, expire_at)
local packed = struct.pack('<I4', seq)
for i = 9, #ARGV, 2 do
  local kk = p .. 'k:' .. bucket .. ':' .. ARGV[i]
  local v = redis.call('HGET', kk, ARGV[i + 1])
  if v then
    v = v .. packed
    if #v > 4 * cap then v = string.sub(v, #v - 4 * cap + 1) end  -- newest members only: hot keys stay cheap
  else
    v = packed
  end
  redis.call('HSET', kk, ARGV[i + 1], v)
  redis.call('EXPIREAT', kk, expire_at)
end
return {cluster, string.format('%.4f', score), 0}
