/** The MatchRecordStore port (match-record-store.port.ts), implemented by src/redis. */
export const MATCH_RECORD_STORE = Symbol('MATCH_RECORD_STORE');
