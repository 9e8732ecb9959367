// The OpenAPI schemas of what the HTTP routes answer, written from the protocol's types
// (src/protocol/hokm-protocol.ts); openapi.spec.ts checks them against real answers.
import type { SchemaObject } from '@nestjs/swagger';

const int = (description?: string): SchemaObject => ({
  type: 'integer',
  ...(description ? { description } : {}),
});
const str = (description?: string): SchemaObject => ({
  type: 'string',
  ...(description ? { description } : {}),
});
const pair = (description: string): SchemaObject => ({
  type: 'array',
  items: { type: 'integer' },
  minItems: 2,
  maxItems: 2,
  description,
});
const team: SchemaObject = { type: 'integer', enum: [0, 1] };
const suit: SchemaObject = { type: 'string', enum: ['hearts', 'diamonds', 'clubs', 'spades'] };
const card: SchemaObject = {
  type: 'string',
  pattern: '^(10|[2-9JQKA])_(hearts|diamonds|clubs|spades)$',
  description: 'RANK_suit, e.g. A_hearts, 10_spades',
};
const phase: SchemaObject = {
  type: 'string',
  enum: ['waiting_for_players', 'hokm_selection', 'gameplay', 'game_over', 'abandoned'],
};

/** An object schema whose every property is required. */
function object(properties: Record<string, SchemaObject>, description?: string): SchemaObject {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
    ...(description ? { description } : {}),
  };
}

const move = (type: 'select_hokm' | 'play_card'): SchemaObject =>
  object({
    type: { type: 'string', enum: [type] },
    playerId: str(),
    ...(type === 'select_hokm' ? { suit } : { card }),
    at: int('ms since the epoch'),
    auto: { type: 'boolean', description: 'the turn clock acted for the player' },
  });

/** components.schemas of the document, by name. */
export const API_SCHEMAS: Record<string, SchemaObject> = {
  ErrorResponse: object(
    { error: object({ code: str('a protocol error code, e.g. MATCH_NOT_FOUND'), message: str() }) },
    'An error, as on the socket',
  ),
  MatchMove: { oneOf: [move('select_hokm'), move('play_card')] },
  MatchHand: object({
    handNumber: int(),
    hakem: str('playerId'),
    hokm: { ...suit, nullable: true, description: 'null if the match ended before it was named' },
    deal: {
      type: 'object',
      description: 'playerId → every card dealt to them this hand, in deal order',
      additionalProperties: { type: 'array', items: card },
    },
    moves: { type: 'array', items: { $ref: '#/components/schemas/MatchMove' } },
    tricks: pair('tricks taken in this hand by team 0 and team 1'),
    points: pair('match points this hand scored ([0, 0] for a hand cut short)'),
  }),
  MatchRecord: object(
    {
      matchId: str('GameView.matchId'),
      roomCode: str(),
      targetScore: int(),
      startedAt: int('ms since the epoch'),
      endedAt: int('ms since the epoch'),
      outcome: { type: 'string', enum: ['game_over', 'abandoned'] },
      winnerTeam: { ...team, nullable: true },
      scores: pair('match points of team 0 and team 1'),
      players: {
        type: 'array',
        items: object({
          playerId: str(),
          name: str(),
          seat: int(),
          team,
          bot: { type: 'boolean' },
        }),
      },
      hands: { type: 'array', items: { $ref: '#/components/schemas/MatchHand' } },
    },
    'Every card dealt and every action of a finished match, in order',
  ),
  RoomSummary: object({
    roomCode: str(),
    phase,
    targetScore: int(),
    players: {
      type: 'array',
      items: object({ name: str(), seat: int(), bot: { type: 'boolean' } }),
    },
    seatsFree: int('4 minus players.length'),
    spectators: int(),
  }),
  RoomList: object({
    rooms: { type: 'array', items: { $ref: '#/components/schemas/RoomSummary' } },
  }),
  Health: {
    type: 'object',
    description: 'terminus: status, and each indicator (redis names its provider and path)',
    properties: {
      status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
      info: { type: 'object', additionalProperties: true },
      error: { type: 'object', additionalProperties: true },
      details: { type: 'object', additionalProperties: true },
    },
    required: ['status'],
  },
  RedisMetrics: {
    type: 'object',
    description: "The migration guide's performance metrics",
    properties: {
      provider: { type: 'string', enum: ['async', 'hybrid'] },
      path: str(),
      total_operations: int(),
      total_errors: int(),
      error_rate: { type: 'number' },
      avg_latency: { type: 'number', description: 'ms' },
      p50_latency: { type: 'number', description: 'ms' },
      p99_latency: { type: 'number', description: 'ms' },
      fallbacks: int(),
      operations: { type: 'array', items: { type: 'object', additionalProperties: true } },
    },
    required: ['provider', 'path', 'total_operations', 'error_rate', 'avg_latency'],
  },
};
