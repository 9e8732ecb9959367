/** Injection token of the SeatRegistry port (see seat-registry.port.ts). */
export const SEAT_REGISTRY = Symbol('SEAT_REGISTRY');

/** Injection token of the SpectatorRegistry port (see spectator-registry.port.ts). */
export const SPECTATOR_REGISTRY = Symbol('SPECTATOR_REGISTRY');
