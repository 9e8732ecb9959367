/** Token of the InstanceMail the broadcaster sends room changes through. */
export const INSTANCE_MAIL = Symbol('INSTANCE_MAIL');

/**
 * Messages to one instance by its id: each instance reads only its own, so a change costs only
 * the instances it concerns (a broadcast makes every instance read every change). Messages from
 * one sender to one receiver arrive in the order they were sent.
 */
export interface InstanceMail {
  /** Sends `message` to instance `instanceId`: fire and forget, a failure is logged. */
  send(instanceId: string, message: string): void;
  /** From now on, hands every message sent to `instanceId` (this instance) to `receive`. */
  open(instanceId: string, receive: (message: string) => void): Promise<void>;
}
