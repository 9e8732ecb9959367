/** Injection token of the RoomStore port (see room-store.port.ts). */
export const ROOM_STORE = Symbol('ROOM_STORE');
