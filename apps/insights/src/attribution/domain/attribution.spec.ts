import { aggregate, attribute, type AttributionCredit, type Conversion, type Touch } from './attribution';
import { AttributionError } from './attribution.errors';

const DAY_MS = 86_400_000;
const day0 = Date.parse('2026-03-01T00:00:00.000Z');
const day = (n: number): Date => new Date(day0 + n * DAY_MS);

/** Touchpoint ids and amounts of credits, for compact assertions. */
const split = (credits: readonly AttributionCredit[]): Array<[string, bigint]> => credits.map((credit) => [credit.touchpointId, credit.amountMinor]);

// The reference deal: 10,000.00 CNY = 1,000,000 fen, won on day 30 after four touches.
const webForm: Touch = { touchpointId: 'tp-web-form', at: day(0), channel: 'web_form', campaignId: 'camp-A' };
const emailClick: Touch = { touchpointId: 'tp-email-click', at: day(10), channel: 'email', campaignId: 'camp-B' };
const webinar: Touch = { touchpointId: 'tp-webinar', at: day(20), channel: 'webinar', campaignId: 'camp-B' };
const pricingPage: Touch = { touchpointId: 'tp-pricing-page', at: day(28), channel: 'web' };
const deal: Conversion = {
  amountMinor: 1_000_000n,
  currency: 'CNY',
  wonAt: day(30),
  // Given out of order on purpose: attribution orders touches by time.
  touches: [webinar, webForm, pricingPage, emailClick],
};

describe('attribute: the 10,000.00 CNY deal with four touches, won on day 30', () => {
  it('first-touch: everything to the day-0 web form (campaign A)', () => {
    const credits = attribute(deal, 'first_touch');
    expect(split(credits)).toEqual([
      ['tp-web-form', 1_000_000n],
      ['tp-email-click', 0n],
      ['tp-webinar', 0n],
      ['tp-pricing-page', 0n],
    ]);
    expect(credits.map((credit) => credit.weight)).toEqual([1, 0, 0, 0]);
    expect(credits[0]).toEqual({ touchpointId: 'tp-web-form', campaignId: 'camp-A', channel: 'web_form', currency: 'CNY', weight: 1, amountMinor: 1_000_000n });
  });

  it('last-touch: everything to the day-28 pricing-page visit (no campaign)', () => {
    const credits = attribute(deal, 'last_touch');
    expect(split(credits)).toEqual([
      ['tp-web-form', 0n],
      ['tp-email-click', 0n],
      ['tp-webinar', 0n],
      ['tp-pricing-page', 1_000_000n],
    ]);
    expect(credits[3]).toEqual({ touchpointId: 'tp-pricing-page', channel: 'web', currency: 'CNY', weight: 1, amountMinor: 1_000_000n });
    expect(credits[3]).not.toHaveProperty('campaignId');
  });

  it('linear: 1,000,000 / 4 = 250,000 each', () => {
    const credits = attribute(deal, 'linear');
    expect(split(credits)).toEqual([
      ['tp-web-form', 250_000n],
      ['tp-email-click', 250_000n],
      ['tp-webinar', 250_000n],
      ['tp-pricing-page', 250_000n],
    ]);
    expect(credits.map((credit) => credit.weight)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('U-shaped: 40% to each end, the middle 20% split over two → 400,000/100,000/100,000/400,000', () => {
    // 0.4·1,000,000 = 400,000; 0.2/2·1,000,000 = 100,000; 400,000+100,000+100,000+400,000 = 1,000,000.
    const credits = attribute(deal, 'u_shaped');
    expect(split(credits)).toEqual([
      ['tp-web-form', 400_000n],
      ['tp-email-click', 100_000n],
      ['tp-webinar', 100_000n],
      ['tp-pricing-page', 400_000n],
    ]);
    expect(credits.map((credit) => credit.weight)).toEqual([0.4, 0.1, 0.1, 0.4]);
  });

  it('time-decay, half-life 7 days: 37,123/99,927/268,984/593,966', () => {
    // Ages at wonAt (day 30): 30, 20, 10 and 2 days.
    //   w1 = 2^(−30/7) = 0.0512709597504773707
    //   w2 = 2^(−20/7) = 0.1380111892092265422
    //   w3 = 2^(−10/7) = 0.3714985722842371062
    //   w4 = 2^(−2/7)  = 0.8203353560076379312
    //   Σw             = 1.3811160772515789503
    // Normalised (wᵢ/Σw) and times 1,000,000 fen:
    //   w1 0.0371228462219530 →  37,122.846222
    //   w2 0.0999272917623758 →  99,927.291762
    //   w3 0.2689843224644226 → 268,984.322464
    //   w4 0.5939655395512485 → 593,965.539551
    // Floors 37,122 + 99,927 + 268,984 + 593,965 = 999,998 → 2 fen left over.
    // Remainders .846 (w1) > .540 (w4) > .322 (w3) > .292 (w2) → +1 to w1 and w4:
    //   37,123 + 99,927 + 268,984 + 593,966 = 1,000,000.
    const credits = attribute(deal, 'time_decay', { halfLifeDays: 7 });
    expect(split(credits)).toEqual([
      ['tp-web-form', 37_123n],
      ['tp-email-click', 99_927n],
      ['tp-webinar', 268_984n],
      ['tp-pricing-page', 593_966n],
    ]);
    const weights = credits.map((credit) => credit.weight);
    [0.037122846221953, 0.0999272917623758, 0.2689843224644226, 0.5939655395512485].forEach((expected, index) =>
      expect(weights[index]).toBeCloseTo(expected, 12),
    );
  });

  it('time-decay uses 7 days as the default half-life', () =>
    expect(attribute(deal, 'time_decay')).toEqual(attribute(deal, 'time_decay', { halfLifeDays: 7 })));

  it('aggregates the U-shaped split by campaign: A 400,000, B 200,000, (none) 400,000', () =>
    // A: web form 400,000; B: e-mail 100,000 + webinar 100,000; (none): pricing page 400,000.
    expect(aggregate(attribute(deal, 'u_shaped'), 'campaign')).toEqual([
      { currency: 'CNY', key: '(none)', amountMinor: 400_000n },
      { currency: 'CNY', key: 'camp-A', amountMinor: 400_000n },
      { currency: 'CNY', key: 'camp-B', amountMinor: 200_000n },
    ]));

  it('aggregates the time-decay split by campaign: B 368,911, A 37,123, (none) 593,966', () =>
    // B: 99,927 + 268,984 = 368,911.
    expect(aggregate(attribute(deal, 'time_decay'), 'campaign')).toEqual([
      { currency: 'CNY', key: '(none)', amountMinor: 593_966n },
      { currency: 'CNY', key: 'camp-B', amountMinor: 368_911n },
      { currency: 'CNY', key: 'camp-A', amountMinor: 37_123n },
    ]));

  it('aggregates the linear split by channel, one row per channel', () =>
    expect(aggregate(attribute(deal, 'linear'), 'channel')).toEqual([
      { currency: 'CNY', key: 'email', amountMinor: 250_000n },
      { currency: 'CNY', key: 'web', amountMinor: 250_000n },
      { currency: 'CNY', key: 'web_form', amountMinor: 250_000n },
      { currency: 'CNY', key: 'webinar', amountMinor: 250_000n },
    ]));

  it('keeps touched keys that earned nothing, with 0 (first-touch by campaign)', () =>
    expect(aggregate(attribute(deal, 'first_touch'), 'campaign')).toEqual([
      { currency: 'CNY', key: 'camp-A', amountMinor: 1_000_000n },
      { currency: 'CNY', key: '(none)', amountMinor: 0n },
      { currency: 'CNY', key: 'camp-B', amountMinor: 0n },
    ]));
});

describe('attribute: rounding remainders', () => {
  const three = (amountMinor: bigint | number): Conversion => ({
    amountMinor,
    currency: 'CNY',
    wonAt: day(10),
    touches: [
      { touchpointId: 't1', at: day(1), channel: 'email' },
      { touchpointId: 't2', at: day(2), channel: 'email' },
      { touchpointId: 't3', at: day(3), channel: 'email' },
    ],
  });

  it('linear 100 over 3 → 34/33/33 (the leftover fen goes to the earliest touch)', () =>
    // 100/3 = 33⅓ each → floors 99, 1 left; equal remainders → first touch in time order.
    expect(split(attribute(three(100), 'linear'))).toEqual([
      ['t1', 34n],
      ['t2', 33n],
      ['t3', 33n],
    ]));

  it('linear 200 over 3 → 67/67/66', () =>
    // 66⅔ each → floors 198, 2 left → the first two touches.
    expect(split(attribute(three(200n), 'linear'))).toEqual([
      ['t1', 67n],
      ['t2', 67n],
      ['t3', 66n],
    ]));

  it('U-shaped 1 fen over 3 touches → all to the first end', () =>
    // quotas 0.4/0.2/0.4 → floors 0, 1 left; remainders 0.4 = 0.4 > 0.2 → earliest of the tie.
    expect(split(attribute(three(1), 'u_shaped'))).toEqual([
      ['t1', 1n],
      ['t2', 0n],
      ['t3', 0n],
    ]));

  it('U-shaped with five touches: 400,000 / 66,667 / 66,667 / 66,666 / 400,000', () => {
    // middles: 200,000/3 = 66,666⅔ each → floors 199,998, 2 left → the first two middle touches.
    const five: Conversion = {
      amountMinor: 1_000_000,
      currency: 'CNY',
      wonAt: day(10),
      touches: [1, 2, 3, 4, 5].map((n) => ({ touchpointId: `t${n}`, at: day(n), channel: 'email' })),
    };
    expect(split(attribute(five, 'u_shaped'))).toEqual([
      ['t1', 400_000n],
      ['t2', 66_667n],
      ['t3', 66_667n],
      ['t4', 66_666n],
      ['t5', 400_000n],
    ]);
  });

  it('U-shaped with custom ends 0.3: 3 touches of 1,000 → 300/400/300', () =>
    expect(split(attribute(three(1_000), 'u_shaped', { uShapedEnds: 0.3 }))).toEqual([
      ['t1', 300n],
      ['t2', 400n],
      ['t3', 300n],
    ]));

  it('time-decay honours the half-life: touches one half-life apart weigh 1:2 → 100 splits 33/67', () => {
    // w = 2^(−14/7) = ¼ and 2^(−7/7) = ½ → ⅓ and ⅔ → 33⅓ and 66⅔ → floors 99; remainder ⅔ wins.
    const two: Conversion = {
      amountMinor: 100,
      currency: 'CNY',
      wonAt: day(14),
      touches: [
        { touchpointId: 'old', at: day(0), channel: 'email' },
        { touchpointId: 'new', at: day(7), channel: 'email' },
      ],
    };
    expect(split(attribute(two, 'time_decay', { halfLifeDays: 7 }))).toEqual([
      ['old', 33n],
      ['new', 67n],
    ]);
    // Half-life 3.5 days: 7 days apart = two half-lives → 1:4 → 20/80 exactly.
    expect(split(attribute(two, 'time_decay', { halfLifeDays: 3.5 }))).toEqual([
      ['old', 20n],
      ['new', 80n],
    ]);
  });
});

describe('attribute: edge cases', () => {
  const models = ['first_touch', 'last_touch', 'linear', 'time_decay', 'u_shaped'] as const;

  it('no touches → no credits (unattributed)', () =>
    models.forEach((model) => expect(attribute({ amountMinor: 500, currency: 'CNY', wonAt: day(1), touches: [] }, model)).toEqual([])));

  it('one touch gets 100% under every model', () =>
    models.forEach((model) =>
      expect(attribute({ amountMinor: 999, currency: 'CNY', wonAt: day(5), touches: [webForm] }, model)).toEqual([
        { touchpointId: 'tp-web-form', campaignId: 'camp-A', channel: 'web_form', currency: 'CNY', weight: 1, amountMinor: 999n },
      ]),
    ));

  it('two touches under U-shaped → 50/50', () => {
    const credits = attribute({ amountMinor: 1_001, currency: 'CNY', wonAt: day(30), touches: [webForm, emailClick] }, 'u_shaped');
    // 500.5 each → floors 1,000, 1 left; tie → the earlier touch.
    expect(split(credits)).toEqual([
      ['tp-web-form', 501n],
      ['tp-email-click', 500n],
    ]);
    expect(credits.map((credit) => credit.weight)).toEqual([0.5, 0.5]);
  });

  it('touches at the same instant keep their input order', () => {
    const x: Touch = { touchpointId: 'x', at: day(3), channel: 'email' };
    const y: Touch = { touchpointId: 'y', at: day(3), channel: 'social' };
    const later: Touch = { touchpointId: 'later', at: day(4), channel: 'phone' };
    const earlier: Touch = { touchpointId: 'earlier', at: day(1), channel: 'phone' };
    const conversion = (touches: Touch[]): Conversion => ({ amountMinor: 100, currency: 'CNY', wonAt: day(5), touches });
    expect(attribute(conversion([later, x, y]), 'first_touch')[0]).toMatchObject({ touchpointId: 'x', amountMinor: 100n });
    expect(attribute(conversion([later, y, x]), 'first_touch')[0]).toMatchObject({ touchpointId: 'y', amountMinor: 100n });
    expect(attribute(conversion([x, y, earlier]), 'last_touch')[2]).toMatchObject({ touchpointId: 'y', amountMinor: 100n });
    expect(attribute(conversion([y, x, earlier]), 'last_touch')[2]).toMatchObject({ touchpointId: 'x', amountMinor: 100n });
  });

  it('ignores touches before the 90-day lookback window and after wonAt; the window edges count', () => {
    const tooOld: Touch = { touchpointId: 'too-old', at: new Date(day(10).getTime() - 1), channel: 'email' };
    const atWindowStart: Touch = { touchpointId: 'window-start', at: day(10), channel: 'email' }; // exactly 90 days before
    const atWon: Touch = { touchpointId: 'at-won', at: day(100), channel: 'phone' };
    const afterWon: Touch = { touchpointId: 'after-won', at: new Date(day(100).getTime() + 1), channel: 'phone' };
    const conversion: Conversion = { amountMinor: 100, currency: 'CNY', wonAt: day(100), touches: [afterWon, tooOld, atWon, atWindowStart] };
    expect(split(attribute(conversion, 'linear'))).toEqual([
      ['window-start', 50n],
      ['at-won', 50n],
    ]);
    expect(split(attribute(conversion, 'first_touch'))[0]).toEqual(['window-start', 100n]);
    expect(split(attribute(conversion, 'last_touch'))[1]).toEqual(['at-won', 100n]);
  });

  it('honours a custom lookback: 25 days drops the day-0 web form from the reference deal', () =>
    // Window [day 30 − 25, day 30] = [day 5, day 30]: the web form (day 0) is out, three touches share linearly.
    // 1,000,000/3 = 333,333⅓ → floors 999,999, 1 left → the earliest eligible touch.
    expect(split(attribute(deal, 'linear', { lookbackDays: 25 }))).toEqual([
      ['tp-email-click', 333_334n],
      ['tp-webinar', 333_333n],
      ['tp-pricing-page', 333_333n],
    ]));

  it('all touches outside the window → unattributed', () =>
    expect(attribute({ ...deal, wonAt: day(200) }, 'linear')).toEqual([]));

  it('a zero amount gives zero credits that still carry the weights', () =>
    expect(attribute({ ...deal, amountMinor: 0 }, 'u_shaped').map((credit) => [credit.amountMinor, credit.weight])).toEqual([
      [0n, 0.4],
      [0n, 0.1],
      [0n, 0.1],
      [0n, 0.4],
    ]));

  it('is exact beyond 2^53 minor units', () => {
    const big = 2n ** 60n + 1n;
    const credits = attribute({ ...deal, amountMinor: big }, 'linear');
    expect(credits.reduce((sum, credit) => sum + credit.amountMinor, 0n)).toBe(big);
    expect(credits[0].amountMinor).toBe(2n ** 58n + 1n);
  });
});

describe('attribute: invalid input', () => {
  const expectCode = (run: () => unknown, code: string): void => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(AttributionError);
      expect((error as AttributionError).code).toBe(code);
      expect((error as AttributionError).kind).toBe('invalid');
      return;
    }
    throw new Error(`expected ${code}`);
  };

  it('refuses fractional, unsafe and negative amounts', () => {
    expectCode(() => attribute({ ...deal, amountMinor: 12.5 }, 'linear'), 'invalid_amount');
    expectCode(() => attribute({ ...deal, amountMinor: 2 ** 60 }, 'linear'), 'invalid_amount');
    expectCode(() => attribute({ ...deal, amountMinor: -1n }, 'linear'), 'invalid_amount');
  });
  it('refuses a currency that is not an ISO code', () => expectCode(() => attribute({ ...deal, currency: 'yuan' }, 'linear'), 'invalid_currency'));
  it('refuses invalid dates', () => {
    expectCode(() => attribute({ ...deal, wonAt: new Date('nope') }, 'linear'), 'invalid_date');
    expectCode(() => attribute({ ...deal, touches: [{ ...webForm, at: new Date(Number.NaN) }] }, 'linear'), 'invalid_date');
  });
  it('refuses out-of-range options and unknown models', () => {
    expectCode(() => attribute(deal, 'time_decay', { halfLifeDays: 0 }), 'invalid_options');
    expectCode(() => attribute(deal, 'u_shaped', { uShapedEnds: 0.6 }), 'invalid_options');
    expectCode(() => attribute(deal, 'linear', { lookbackDays: -1 }), 'invalid_options');
    expectCode(() => attribute(deal, 'w_shaped' as never), 'invalid_options');
  });
});

describe('aggregate', () => {
  it('adds credits of several deals per campaign, never across currencies', () => {
    const cny = attribute(deal, 'linear'); // A 250,000; B 500,000; (none) 250,000 CNY
    const usd = attribute(
      {
        amountMinor: 30_000, // 300.00 USD
        currency: 'USD',
        wonAt: day(30),
        touches: [
          { touchpointId: 'u1', at: day(25), channel: 'email', campaignId: 'camp-A' },
          { touchpointId: 'u2', at: day(26), channel: 'webinar', campaignId: 'camp-B' },
        ],
      },
      'first_touch',
    ); // A 30,000 USD; B 0 USD
    const moreCny = attribute({ amountMinor: 50_000, currency: 'CNY', wonAt: day(40), touches: [{ touchpointId: 'c1', at: day(39), channel: 'phone', campaignId: 'camp-A' }] }, 'linear');
    expect(aggregate([...cny, ...usd, ...moreCny], 'campaign')).toEqual([
      { currency: 'CNY', key: 'camp-B', amountMinor: 500_000n },
      { currency: 'CNY', key: 'camp-A', amountMinor: 300_000n }, // 250,000 + 50,000
      { currency: 'CNY', key: '(none)', amountMinor: 250_000n },
      { currency: 'USD', key: 'camp-A', amountMinor: 30_000n },
      { currency: 'USD', key: 'camp-B', amountMinor: 0n },
    ]);
    expect(aggregate([...cny, ...usd, ...moreCny], 'channel')).toEqual([
      { currency: 'CNY', key: 'email', amountMinor: 250_000n },
      { currency: 'CNY', key: 'web', amountMinor: 250_000n },
      { currency: 'CNY', key: 'web_form', amountMinor: 250_000n },
      { currency: 'CNY', key: 'webinar', amountMinor: 250_000n },
      { currency: 'CNY', key: 'phone', amountMinor: 50_000n },
      { currency: 'USD', key: 'email', amountMinor: 30_000n },
      { currency: 'USD', key: 'webinar', amountMinor: 0n },
    ]);
  });

  it('of nothing is empty', () => expect(aggregate([], 'channel')).toEqual([]));
});
