import { Injectable, Logger } from '@nestjs/common';
import { RoomsService } from '../rooms/rooms.service';
import type { RegisteredConnection } from '../rooms/seat-registry.port';

/**
 * Writes around a seat change whose failure must not fail the request: the change itself has
 * landed (or a later one corrects it), so a failure here is logged and the flow goes on.
 */
@Injectable()
export class SeatBookkeeping {
  private readonly logger = new Logger(SeatBookkeeping.name);

  constructor(private readonly rooms: RoomsService) {}

  /** Puts a socket of this instance on record, so survivors free its seat if this one dies. */
  register(connection: RegisteredConnection): Promise<void> {
    return this.bestEffort(this.rooms.registerConnection(connection));
  }

  unregister(connection: RegisteredConnection): Promise<void> {
    return this.bestEffort(this.rooms.unregisterConnection(connection));
  }

  /** Waits for a write, logging instead of throwing if it fails. */
  bestEffort(write: Promise<unknown>): Promise<void> {
    return write.then(
      () => undefined,
      (error: unknown) => {
        this.logger.warn({ err: error }, 'bookkeeping after a committed change failed');
      },
    );
  }
}
