/** Injection token of the SeatRegistry port (see seat-registry.port.ts). */
export const SEAT_REGISTRY = Symbol('SEAT_REGISTRY');
