// What a player asks of the turn clock: to be back at the table after it played for them.
import { request } from './connection/socket.js';
import { errorText } from './ui/messages.js';
import { toast } from './ui/toast.js';

/** "I'm back": the seat is no longer away; the next `state` push redraws the table. */
export async function resumePlay(): Promise<void> {
  const ack = await request('resume', {});
  if (!ack.ok) toast(errorText(ack.error), 'error');
}
