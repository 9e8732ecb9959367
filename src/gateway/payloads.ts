import { z } from 'zod';
import { SUITS } from '../game-state/domain/types';
import type { ClientRequests, RequestEvent } from '../protocol/hokm-protocol';
import { InvalidPayloadError } from './gateway.errors';
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from '../rooms/room-codes';
import { listLimit } from '../lobby/lobby.payloads';

/** A player name: trimmed, 1 to 20 code points, no control characters. */
const name = z
  .string({ error: 'name must be a string' })
  .transform((s) => s.trim())
  .refine((s) => [...s].length >= 1 && [...s].length <= 20, {
    error: 'name must be 1 to 20 characters',
  })
  .refine((s) => !/\p{Cc}/u.test(s), { error: 'name must not contain control characters' });

const roomCode = z
  .string({ error: 'roomCode must be a string' })
  .max(32, { error: 'roomCode must be 6 characters' })
  .transform((s) => s.trim().toUpperCase())
  .refine((s) => new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`).test(s), {
    error: `roomCode must be ${ROOM_CODE_LENGTH} characters from ${ROOM_CODE_ALPHABET}`,
  });

const targetScore = z
  .number({ error: 'targetScore must be a number' })
  .int({ error: 'targetScore must be a whole number' })
  .min(1, { error: 'targetScore must be 1 to 7' })
  .max(7, { error: 'targetScore must be 1 to 7' })
  .optional();

// Unknown fields are ignored (zod objects strip them); a missing payload is not an object.
const empty = z.object({}, { error: 'payload must be an object' });

/** Every request's payload schema, by event: one per request, parsing to its protocol payload. */
export const PAYLOADS = {
  create_room: z.object(
    {
      name,
      targetScore,
      visibility: z
        .enum(['public', 'private'], { error: "visibility must be 'public' or 'private'" })
        .optional(),
    },
    { error: 'payload must be an object' },
  ),
  quick_match: z.object({ name, targetScore }, { error: 'payload must be an object' }),
  list_rooms: z.object({ limit: listLimit.optional() }, { error: 'payload must be an object' }),
  join: z.object({ roomCode, name }, { error: 'payload must be an object' }),
  watch: z.object({ roomCode }, { error: 'payload must be an object' }),
  reconnect: z.object(
    {
      sessionToken: z
        .string({ error: 'sessionToken must be a string' })
        .min(1, { error: 'sessionToken must not be empty' })
        .max(256, { error: 'sessionToken is too long' }),
    },
    { error: 'payload must be an object' },
  ),
  leave: empty,
  get_state: empty,
  select_hokm: z.object(
    { suit: z.enum(SUITS, { error: `suit must be one of ${SUITS.join(', ')}` }) },
    { error: 'payload must be an object' },
  ),
  play_card: z.object(
    {
      card: z
        .string({ error: 'card must be a string' })
        .max(16, { error: 'card must be a card such as A_hearts' }),
    },
    { error: 'payload must be an object' },
  ),
  add_bots: z.object(
    {
      count: z
        .number({ error: 'count must be a number' })
        .int({ error: 'count must be a whole number' })
        .min(1, { error: 'count must be 1 to 3' })
        .max(3, { error: 'count must be 1 to 3' })
        .optional(),
    },
    { error: 'payload must be an object' },
  ),
  resume: empty,
} as const satisfies { [E in RequestEvent]: z.ZodType<ClientRequests[E][0]> };

export type RequestName = keyof typeof PAYLOADS;
export type Payload<E extends RequestName> = z.infer<(typeof PAYLOADS)[E]>;

/** A JSON object as a client sends it: not an array, and not binary (a Buffer is an object too). */
function isPlainObject(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const proto: unknown = Object.getPrototypeOf(payload);
  return proto === Object.prototype || proto === null;
}

/** Parses a payload, or throws an InvalidPayloadError naming the first problem. */
export function parsePayload<E extends RequestName>(event: E, payload: unknown): Payload<E> {
  // zod takes arrays and binary attachments (Buffers) for objects: only a plain object is one.
  const parsed = PAYLOADS[event].safeParse(isPlainObject(payload) ? payload : null);
  if (!parsed.success) {
    throw new InvalidPayloadError(parsed.error.issues[0]?.message ?? 'invalid payload');
  }
  return parsed.data as Payload<E>;
}
