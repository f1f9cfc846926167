import fc from 'fast-check';
import { monthsInterval, periodInterval } from './sales-period';

const iso = ({ start, end }: { start: Date; end: Date }) => [start.toISOString(), end.toISOString()];

describe('sales periods', () => {
  it.each([
    ['2026-11', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['2026-12', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026-Q1', '2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['2026-Q4', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ])('%s is [%s, %s) in UTC', (period, start, end) => {
    expect(iso(periodInterval(period))).toEqual([start, end]);
  });

  it('a year is its four quarters, a quarter its three months, back to back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 9999 }), fc.integer({ min: 1, max: 4 }), (year, quarter) => {
        const months = [0, 1, 2].map((i) => periodInterval(`${year}-${String((quarter - 1) * 3 + i + 1).padStart(2, '0')}`));
        const q = periodInterval(`${year}-Q${quarter}`);
        expect(months[0].start).toEqual(q.start);
        expect(months[2].end).toEqual(q.end);
        expect(months[1].start).toEqual(months[0].end);
        expect(months[2].start).toEqual(months[1].end);
        if (quarter === 1) expect(q.start).toEqual(periodInterval(String(year)).start);
        if (quarter === 4) expect(q.end).toEqual(periodInterval(String(year)).end);
      }),
    );
  });

  it('a month range includes both ends; backwards or longer than 60 months is invalid_period', () => {
    expect(iso(monthsInterval('2026-11', '2027-02'))).toEqual(['2026-11-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z']);
    expect(iso(monthsInterval('2026-11', '2026-11'))).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(iso(monthsInterval('2022-01', '2026-12'))).toEqual(['2022-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(() => monthsInterval('2026-11', '2026-10')).toThrow(expect.objectContaining({ code: 'invalid_period', kind: 'invalid' }));
    expect(() => monthsInterval('2022-01', '2027-01')).toThrow(expect.objectContaining({ code: 'invalid_period' }));
  });
});
