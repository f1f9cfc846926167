import type { CampaignVariant } from '@crm/contracts';

/**
 * Deterministic A/B split, pure and portable (no Node crypto, so any language can reproduce it):
 *
 *   h     = fmix32(fnv1a32(utf8(campaignId + ':' + leadId)))   // 32-bit unsigned
 *   point = floor(h * totalWeight / 2^32)                       // in [0, totalWeight)
 *   variant = the first variant, in the defined order, whose cumulative weight exceeds point
 *
 * FNV-1a alone has weak low bits (its last step is a multiply by an odd prime, so the lowest
 * bit is the parity of the input bytes' lowest bits); the MurmurHash3 finaliser `fmix32`
 * mixes every input bit into every output bit, and scaling by the high bits avoids modulo
 * bias. The result depends only on the two ids and on the variants' keys, weights and order:
 * it is stable across processes, restarts and releases (pinned by test vectors).
 */
export const variantFor = (campaignId: string, leadId: string, variants: readonly Pick<CampaignVariant, 'key' | 'weight'>[]): string => {
  if (variants.length === 0) throw new RangeError('variantFor needs at least one variant');
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  const point = splitPoint(campaignId, leadId, total);
  let cumulative = 0;
  for (const v of variants) {
    cumulative += v.weight;
    if (point < cumulative) return v.key;
  }
  return variants[variants.length - 1].key;
};

/** The lead's point in [0, totalWeight): exact while h * totalWeight < 2^53 (total weight ≤ 2^21). */
export const splitPoint = (campaignId: string, leadId: string, totalWeight: number): number =>
  Math.floor((fmix32(fnv1a32(`${campaignId}:${leadId}`)) * totalWeight) / 2 ** 32);

/** 32-bit FNV-1a over the UTF-8 bytes of `text` (encoded inline: no allocation per call). */
export const fnv1a32 = (text: string): number => {
  let h = 0x811c9dc5;
  const byte = (b: number) => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate encodes as U+FFFD, as TextEncoder does
    if (cp < 0x80) byte(cp);
    else if (cp < 0x800) {
      byte(0xc0 | (cp >> 6));
      byte(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      byte(0xe0 | (cp >> 12));
      byte(0x80 | ((cp >> 6) & 0x3f));
      byte(0x80 | (cp & 0x3f));
    } else {
      byte(0xf0 | (cp >> 18));
      byte(0x80 | ((cp >> 12) & 0x3f));
      byte(0x80 | ((cp >> 6) & 0x3f));
      byte(0x80 | (cp & 0x3f));
    }
  }
  return h >>> 0;
};

/** MurmurHash3's 32-bit finaliser (avalanche). */
export const fmix32 = (value: number): number => {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};
