import { z } from 'zod';

/** A report bound in a query string: an instant (ISO 8601 with offset) or a UTC calendar date (its midnight). */
export const Instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((value) => new Date(value));

/** The OpenAPI description of an optional `from` or `to` that is an `Instant`. */
export const INSTANT_QUERY = { required: false, description: 'ISO 8601 instant or YYYY-MM-DD (UTC midnight); `from` inclusive, `to` exclusive' } as const;
