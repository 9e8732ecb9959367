import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '../common/metrics-registry';

/**
 * Where a room change went besides this instance's sockets: nowhere (no other instance holds a
 * socket of the room), to the instances that do, or to every instance (the room did not say).
 */
export type ChangeRoute = 'none' | 'instances' | 'all';

/**
 * How another instance's room change became the state delivered here: its whole state came with
 * it, it came as a patch of the version held here, or it had to be read from Redis (a patch of a
 * version this instance did not hold).
 */
export type ChangeArrival = 'state' | 'patch' | 'read';

/** Socket and request figures of this instance, for `/metrics`. */
@Injectable()
export class GatewayMetrics {
  private readonly sockets: Gauge;
  private readonly requests: Counter<'event' | 'outcome'>;
  private readonly latency: Histogram<'event'>;
  private readonly changesSent: Record<ChangeRoute, Counter.Internal>;
  private readonly changesReceived: Record<ChangeArrival, Counter.Internal>;
  private readonly changesHeld: Counter;
  private readonly skippedVersions: Counter;
  private readonly seatsOvertaken: Counter;
  private readonly ackHolds: Histogram;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.sockets = new Gauge({
      name: 'hokm_sockets_connected',
      help: 'Socket.IO clients connected to this instance',
      registers,
    });
    this.requests = new Counter({
      name: 'hokm_requests_total',
      help: 'Client requests by event and outcome (ok or the error code)',
      labelNames: ['event', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'hokm_request_duration_seconds',
      help: 'Time from a request to its ack, by event',
      labelNames: ['event'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    const changes = new Counter<'to'>({
      name: 'hokm_room_changes_sent_total',
      help:
        'Room changes made here, by where they were sent besides local sockets: none (no other ' +
        'instance holds a socket of the room), instances (those that do), all (every instance)',
      labelNames: ['to'],
      registers,
    });
    this.changesSent = {
      none: changes.labels({ to: 'none' }),
      instances: changes.labels({ to: 'instances' }),
      all: changes.labels({ to: 'all' }),
    };
    const received = new Counter<'as'>({
      name: 'hokm_room_changes_received_total',
      help:
        "Other instances' room changes received here, by how each became the state delivered: " +
        'state (sent whole), patch (of the version held here), read (from Redis: a patch of a ' +
        'version not held here)',
      labelNames: ['as'],
      registers,
    });
    this.changesReceived = {
      state: received.labels({ as: 'state' }),
      patch: received.labels({ as: 'patch' }),
      read: received.labels({ as: 'read' }),
    };
    this.changesHeld = new Counter({
      name: 'hokm_room_changes_held_total',
      help:
        'Room changes that reached this instance before the change they follow, and waited for ' +
        'it before going to its sockets',
      registers,
    });
    this.skippedVersions = new Counter({
      name: 'hokm_room_versions_skipped_total',
      help:
        "Room versions this instance's sockets never got: the change did not come within the " +
        'wait (its sender died between commit and send, a Redis failover lost it)',
      registers,
    });
    this.seatsOvertaken = new Counter({
      name: 'hokm_seats_overtaken_total',
      help:
        'Seats taken here whose room moved on before their socket was bound (a newer change ' +
        'came in meanwhile): the seat got the room as this instance last had it',
      registers,
    });
    this.ackHolds = new Histogram({
      name: 'hokm_move_ack_held_seconds',
      help:
        "Time a move's ack waited for the mover's own state push, held here for the change " +
        'before it (moves whose push went out at once are not counted)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
  }

  /** A move's ack waited for its own held push since `startedAt` (performance.now()). */
  ackHeld(startedAt: number): void {
    this.ackHolds.observe((performance.now() - startedAt) / 1000);
  }

  changeHeld(): void {
    this.changesHeld.inc();
  }

  versionsSkipped(versions: number): void {
    this.skippedVersions.inc(versions);
  }

  seatOvertaken(): void {
    this.seatsOvertaken.inc();
  }

  changeSent(route: ChangeRoute): void {
    this.changesSent[route].inc();
  }

  changeReceived(arrival: ChangeArrival): void {
    this.changesReceived[arrival].inc();
  }

  socketConnected(): void {
    this.sockets.inc();
  }

  socketDisconnected(): void {
    this.sockets.dec();
  }

  request(event: string, outcome: string, startedAt: number): void {
    this.requests.inc({ event, outcome });
    this.latency.observe({ event }, (performance.now() - startedAt) / 1000);
  }
}
