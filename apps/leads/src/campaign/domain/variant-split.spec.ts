import fc from 'fast-check';
import { fmix32, fnv1a32, splitPoint, variantFor } from './variant-split';

const campaignId = '0190bbbb-0000-7000-8000-000000000001';
const lead = (n: number) => `0190aaaa-0000-7000-8000-${String(n).padStart(12, '0')}`;
/** `count` random UUID-shaped ids from a seed (mulberry32): a large random id set without fast-check's per-value cost. */
const randomUuids = (seed: number, count: number): string[] => {
  let t = seed >>> 0;
  const next = () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0).toString(16).padStart(8, '0');
  };
  return Array.from({ length: count }, () => {
    const h = next() + next() + next() + next();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  });
};
const variantsArb = fc
  .uniqueArray(fc.record({ key: fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), weight: fc.integer({ min: 1, max: 10_000 }) }), { minLength: 1, maxLength: 26, selector: (v) => v.key });

describe('variantFor: the deterministic A/B split', () => {
  it('is pinned: FNV-1a and fmix32 reference vectors, and known assignments (stable across releases)', () => {
    expect([fnv1a32(''), fnv1a32('a'), fnv1a32('foobar')]).toEqual([0x811c9dc5, 0xe40c292c, 0xbf9cf968]);
    expect(fmix32(1)).toBe(0x514e28b7);
    const abc = [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }, { key: 'C', weight: 2 }];
    expect([1, 2, 3, 4, 5, 6].map((n) => variantFor(campaignId, lead(n), abc))).toEqual(['C', 'B', 'A', 'C', 'C', 'C']);
    expect([1, 2, 3].map((n) => splitPoint(campaignId, lead(n), 1000))).toEqual([800, 298, 40]);
  });

  it('hashes the UTF-8 bytes of the text, as any other implementation would', () =>
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      let h = 0x811c9dc5;
      for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193);
      expect(fnv1a32(text)).toBe(h >>> 0);
    })));

  it('is deterministic and returns one of the given keys', () =>
    fc.assert(fc.property(fc.string(), fc.string(), variantsArb, (c, l, variants) => {
      const v = variantFor(c, l, variants);
      expect(variantFor(c, l, variants.map((x) => ({ ...x })))).toBe(v);
      expect(variants.map((x) => x.key)).toContain(v);
    })));

  it('puts every lead in the only variant when there is one', () =>
    fc.assert(fc.property(fc.string(), fc.uuid(), fc.integer({ min: 1, max: 10_000 }), (c, l, w) => expect(variantFor(c, l, [{ key: 'solo', weight: w }])).toBe('solo'))));

  it('depends on keys only through their position: renaming variants keeps every lead in the same slot', () =>
    fc.assert(fc.property(fc.string(), fc.uuid(), variantsArb, (c, l, variants) => {
      const renamed = variants.map((v, i) => ({ key: `slot-${i}`, weight: v.weight }));
      expect(variantFor(c, l, renamed)).toBe(`slot-${variants.findIndex((v) => v.key === variantFor(c, l, variants))}`);
    })));

  it('ignores subject and content: editing a variant’s content moves nobody', () =>
    fc.assert(fc.property(fc.uuid(), fc.uuid(), fc.string(), (c, l, subject) => {
      const plain = [{ key: 'A', weight: 1 }, { key: 'B', weight: 2 }];
      expect(variantFor(c, l, plain.map((v) => ({ ...v, subject, contentRef: subject })))).toBe(variantFor(c, l, plain));
    })));

  it('splits 20k random lead ids within ±3 percentage points of each variant’s weight share', () =>
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.integer(),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 5 }),
        (c, seed, weights) => {
          const leadIds = randomUuids(seed, 20_000);
          const variants = weights.map((weight, i) => ({ key: `V${i}`, weight }));
          const total = weights.reduce((a, b) => a + b, 0);
          const counts = new Map<string, number>();
          for (const l of leadIds) {
            const v = variantFor(c, l, variants);
            counts.set(v, (counts.get(v) ?? 0) + 1);
          }
          for (const v of variants) expect(Math.abs((counts.get(v.key) ?? 0) / leadIds.length - v.weight / total)).toBeLessThan(0.03);
        },
      ),
      { numRuns: 5 },
    ));

  it('splits sequential, near-identical lead ids evenly too (no structure leaks through the hash)', () => {
    const variants = [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }];
    const n = 20_000;
    const a = Array.from({ length: n }, (_, i) => variantFor(campaignId, lead(i), variants)).filter((v) => v === 'A').length;
    expect(Math.abs(a / n - 0.5)).toBeLessThan(0.02);
  });

  it('splits independently per campaign: one campaign’s group tells nothing about another’s', () => {
    const variants = [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }];
    const n = 20_000;
    const same = Array.from({ length: n }, (_, i) => lead(i)).filter((l) => variantFor('campaign-1', l, variants) === variantFor('campaign-2', l, variants)).length;
    expect(Math.abs(same / n - 0.5)).toBeLessThan(0.02);
  });

  it('refuses an empty variant list', () => expect(() => variantFor(campaignId, lead(1), [])).toThrow(RangeError));
});
