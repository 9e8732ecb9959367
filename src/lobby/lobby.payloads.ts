import { z } from 'zod';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './lobby.constants';
import { InvalidListLimitError } from './lobby.errors';

const LIMIT_MESSAGE = `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`;

/** `list_rooms`'s limit as a socket sends it: a JSON number. */
export const listLimit = z
  .number({ error: LIMIT_MESSAGE })
  .int({ error: LIMIT_MESSAGE })
  .min(1, { error: LIMIT_MESSAGE })
  .max(MAX_LIST_LIMIT, { error: LIMIT_MESSAGE });

// `GET /api/rooms?limit=N`: one query value, digits only (no sign, no exponent, no blank).
const queryLimit = z
  .string({ error: LIMIT_MESSAGE })
  .regex(/^\d{1,3}$/, { error: LIMIT_MESSAGE })
  .transform(Number)
  .pipe(listLimit)
  .optional();

/** The HTTP listing's limit from its query (Express's parsed object), or INVALID_PAYLOAD. */
export function parseQueryLimit(query: Record<string, unknown>): number {
  const parsed = queryLimit.safeParse(query.limit);
  if (!parsed.success) {
    throw new InvalidListLimitError(parsed.error.issues[0]?.message ?? LIMIT_MESSAGE);
  }
  return parsed.data ?? DEFAULT_LIST_LIMIT;
}
