import { Controller, Get, Param, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LookupLimitInterceptor } from '../abuse/lookup-limit.interceptor';
import { DomainErrorHttpFilter } from '../common/domain-error-http.filter';
import { RecordsService, recordText } from './records.service';

/** `GET /api/matches/:matchId`: the record of a finished match, never of one being played. */
@ApiTags('matches')
@Controller('api/matches')
@UseFilters(DomainErrorHttpFilter)
// Match ids are unguessable; guessing at them spends the address's failed-lookup budget anyway.
@UseInterceptors(LookupLimitInterceptor)
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Get(':matchId')
  @ApiOperation({
    summary: 'The record of a finished match',
    description:
      'Every card dealt and every action, in order, of a match that ended (game_over or ' +
      'abandoned), kept for HISTORY_TTL_SECONDS. Replaying the moves through the rules gives ' +
      'the tricks, points and scores it states. A match still being played is not found.',
  })
  @ApiParam({
    name: 'matchId',
    description: 'GameView.matchId: 22 base64url characters',
    example: 'q3Zr8u0XbP1yH7mWcK2dAg',
  })
  @ApiOkResponse({ description: 'The MatchRecord', schema: { $ref: getSchemaPath('MatchRecord') } })
  @ApiTooManyRequestsResponse({
    description: "RATE_LIMITED: the address's failed lookups used up their budget (Retry-After)",
    schema: { $ref: getSchemaPath('ErrorResponse') },
  })
  @ApiNotFoundResponse({
    description: 'MATCH_NOT_FOUND: an unknown or malformed id, or a match still in play',
    schema: { $ref: getSchemaPath('ErrorResponse') },
  })
  async record(
    @Param('matchId') matchId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const stored = await this.records.record(matchId);
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    // A record never changes once the match is over.
    response.setHeader('Cache-Control', 'private, max-age=3600');
    response.setHeader('Vary', 'Accept-Encoding');
    // Sent as it is kept to a client that takes gzip (every browser); unpacked for the rest.
    if (request.acceptsEncodings('gzip') === 'gzip') {
      response.setHeader('Content-Encoding', 'gzip');
      response.send(stored);
    } else {
      response.send(await recordText(stored));
    }
  }
}
