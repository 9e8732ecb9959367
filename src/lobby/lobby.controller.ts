import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import type { RoomSummary } from '../protocol/hokm-protocol';
import { DomainErrorHttpFilter } from '../common/domain-error-http.filter';
import { parseQueryLimit } from './lobby.payloads';
import { LobbyService } from './lobby.service';

/** `GET /api/rooms?limit=N`: the public rooms, as `list_rooms` answers them. */
@Controller('api/rooms')
@UseFilters(DomainErrorHttpFilter)
export class LobbyController {
  constructor(private readonly lobby: LobbyService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<{ rooms: RoomSummary[] }> {
    return { rooms: await this.lobby.listRooms(parseQueryLimit(query)) };
  }
}
