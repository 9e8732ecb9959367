// What a person reads for each of the protocol's error codes.
import type { ErrorBody } from '../../../src/protocol/hokm-protocol.js';

export function errorText(error: ErrorBody): string {
  switch (error.code) {
    case 'ROOM_NOT_FOUND':
      return 'No table has that code. Check it and try again.';
    case 'ROOM_FULL':
      return 'That table is already full.';
    case 'ALREADY_IN_ROOM':
      return 'You are already seated at a table.';
    case 'NOT_IN_ROOM':
      return 'You are not seated at a table any more.';
    case 'INVALID_SESSION':
      return 'Your seat has expired.';
    case 'WRONG_PHASE':
      return 'That is not possible at this point of the game.';
    case 'NOT_YOUR_TURN':
      return 'It is not your turn yet.';
    case 'CARD_NOT_IN_HAND':
      return 'That card is not in your hand.';
    case 'MUST_FOLLOW_SUIT':
      return 'You have to follow the suit that was led.';
    case 'RATE_LIMITED':
      return 'Too many actions at once. Wait a moment.';
    case 'SERVICE_UNAVAILABLE':
      return 'The server is busy or restarting. Try again in a moment.';
    case 'NOT_HOST':
      return 'Only the player who created the table can add bots.';
    case 'INVALID_PAYLOAD': {
      const text = error.message.replace(/^\w/, (c) => c.toUpperCase());
      return text.endsWith('.') ? text : `${text}.`;
    }
    default:
      return 'Something went wrong on the server. Try again.';
  }
}
