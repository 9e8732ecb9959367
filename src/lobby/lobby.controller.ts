import { Controller, Get, Query, UseFilters, UseInterceptors } from '@nestjs/common';
import { ListingLimitInterceptor } from '../abuse/listing-limit.interceptor';
import type { RoomSummary } from '../protocol/hokm-protocol';
import { DomainErrorHttpFilter } from '../common/domain-error-http.filter';
import { parseQueryLimit } from './lobby.payloads';
import { LobbyService } from './lobby.service';

/** `GET /api/rooms?limit=N`: the public rooms, as `list_rooms` answers them. */
@Controller('api/rooms')
@UseFilters(DomainErrorHttpFilter)
// Anyone may ask, so each address has a budget per second (LISTINGS_PER_SECOND).
@UseInterceptors(ListingLimitInterceptor)
export class LobbyController {
  constructor(private readonly lobby: LobbyService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<{ rooms: RoomSummary[] }> {
    return { rooms: await this.lobby.listRooms(parseQueryLimit(query)) };
  }
}
