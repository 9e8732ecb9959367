import { DeliveryOrder, PASSED_BY_MS, type OrderedChange } from './delivery-order';

const change = (version: number, roomCode = 'ROOM'): OrderedChange => ({ roomCode, version });

describe('DeliveryOrder', () => {
  let sent: string[];
  let skipped: Array<[string, number]>;
  let tracked: Set<string>;
  let order: DeliveryOrder<OrderedChange>;

  beforeEach(() => {
    jest.useFakeTimers();
    sent = [];
    skipped = [];
    tracked = new Set(['ROOM', 'OTHER']);
    order = new DeliveryOrder(
      (c) => sent.push(`${c.roomCode}:${c.version}`),
      (code) => tracked.has(code),
      (code, versions) => skipped.push([code, versions]),
      500,
    );
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('delivers versions in order and drops one as old as what was delivered', () => {
    expect(order.offer(change(7))).toBe('delivered');
    expect(order.offer(change(8))).toBe('delivered');
    expect(order.offer(change(8))).toBe('stale');
    expect(order.offer(change(6))).toBe('stale');
    expect(sent).toEqual(['ROOM:7', 'ROOM:8']);
    expect(order.newest('ROOM')).toBe(8);
  });

  it('holds a version that came before the one it follows, and delivers both in order', () => {
    order.offer(change(3));
    expect(order.offer(change(5))).toBe('held');
    expect(order.offer(change(6))).toBe('held');
    expect(order.offer(change(5))).toBe('stale');
    expect(sent).toEqual(['ROOM:3']);
    expect(order.offer(change(4))).toBe('delivered');
    expect(sent).toEqual(['ROOM:3', 'ROOM:4', 'ROOM:5', 'ROOM:6']);
    jest.advanceTimersByTime(1000);
    expect(skipped).toEqual([]);
    expect(sent).toHaveLength(4);
  });

  it('keeps rooms apart', () => {
    order.offer(change(1, 'ROOM'));
    order.offer(change(9, 'OTHER'));
    expect(order.offer(change(3, 'ROOM'))).toBe('held');
    expect(order.offer(change(10, 'OTHER'))).toBe('delivered');
    expect(sent).toEqual(['ROOM:1', 'OTHER:9', 'OTHER:10']);
  });

  it('gives up waiting after the hold: what waited goes out in order, the gap counted', () => {
    order.offer(change(3));
    order.offer(change(7));
    order.offer(change(5));
    jest.advanceTimersByTime(499);
    expect(sent).toEqual(['ROOM:3']);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual(['ROOM:3', 'ROOM:5', 'ROOM:7']);
    expect(skipped).toEqual([['ROOM', 2]]);
    expect(order.offer(change(6))).toBe('stale');
    expect(order.offer(change(8))).toBe('delivered');
  });

  it('with skipGap delivers what is held before it, then it, at once', () => {
    order.offer(change(3));
    order.offer(change(5));
    order.offer(change(9));
    expect(order.offer(change(7), { skipGap: true })).toBe('delivered');
    expect(sent).toEqual(['ROOM:3', 'ROOM:5', 'ROOM:7']);
    // 4 and 6 are given up; 9 still waits for 8.
    expect(skipped).toEqual([['ROOM', 2]]);
    expect(order.offer(change(8))).toBe('delivered');
    expect(sent).toEqual(['ROOM:3', 'ROOM:5', 'ROOM:7', 'ROOM:8', 'ROOM:9']);
  });

  it('with skipGap sends the held change of the same version instead (it has its events)', () => {
    const own = { ...change(6), events: ['card_played'] };
    order.offer(change(3));
    order.offer(change(5));
    expect(order.offer(own)).toBe('held');
    // A read of the room answers v6 without its events.
    expect(order.offer(change(6), { skipGap: true })).toBe('delivered');
    expect(sent).toEqual(['ROOM:3', 'ROOM:5', 'ROOM:6']);
    expect(order.last('ROOM')).toBe(own);
    expect(skipped).toEqual([['ROOM', 1]]);
  });

  it('counts the gap skipGap jumps when nothing was held', () => {
    order.offer(change(3));
    order.offer(change(6), { skipGap: true });
    expect(sent).toEqual(['ROOM:3', 'ROOM:6']);
    expect(skipped).toEqual([['ROOM', 2]]);
  });

  it('keeps no order for a room without a socket here', () => {
    tracked.clear();
    order.offer(change(3));
    expect(order.offer(change(9))).toBe('delivered');
    expect(order.offer(change(2))).toBe('delivered');
    expect(order.newest('ROOM')).toBeUndefined();
  });

  it('hands the change that reached no socket to the first socket to come, not an older one', () => {
    tracked.clear();
    expect(order.offer(change(3))).toBe('delivered');
    expect(order.offer(change(4))).toBe('delivered');
    expect(order.offer(change(2))).toBe('delivered');
    // A socket sits down; its seat's change (3, older than what went by) is offered.
    tracked.add('ROOM');
    expect(order.offer(change(3))).toBe('stale');
    expect(sent).toEqual(['ROOM:3', 'ROOM:4', 'ROOM:2', 'ROOM:4']);
    expect(order.newest('ROOM')).toBe(4);
    const mark = order.mark();
    expect(order.offer(change(5))).toBe('delivered');
    expect(order.deliveredSince('ROOM', mark, 5)).toBe(true);
  });

  it('hands over nothing when the socket brings a change as new, and only once', () => {
    tracked.clear();
    order.offer(change(4));
    tracked.add('ROOM');
    expect(order.offer(change(4))).toBe('delivered');
    expect(sent).toEqual(['ROOM:4', 'ROOM:4']);
    order.forget('ROOM');
    tracked.delete('ROOM');
    order.offer(change(6));
    tracked.add('ROOM');
    expect(order.offer(change(9))).toBe('delivered');
    order.forget('ROOM');
    // Kept no more: the first offer of the room now is delivered as it is.
    expect(order.offer(change(5))).toBe('delivered');
    expect(sent).toEqual(['ROOM:4', 'ROOM:4', 'ROOM:6', 'ROOM:9', 'ROOM:5']);
  });

  it('keeps what reached no socket for PASSED_BY_MS, and never across room incarnations', () => {
    tracked.clear();
    order.offer(change(4));
    jest.advanceTimersByTime(PASSED_BY_MS);
    tracked.add('ROOM');
    expect(order.offer(change(3))).toBe('delivered');

    tracked.clear();
    order.offer({ roomCode: 'OTHER', version: 8, epoch: 'first' });
    tracked.add('OTHER');
    expect(order.offer({ roomCode: 'OTHER', version: 2, epoch: 'second' })).toBe('delivered');
    expect(sent).toEqual(['ROOM:4', 'ROOM:3', 'OTHER:8', 'OTHER:2']);
  });

  it('forget drops the order and what was held (a later room may reuse the code)', () => {
    order.offer(change(3));
    order.offer(change(5));
    order.forget('ROOM');
    jest.advanceTimersByTime(1000);
    expect(sent).toEqual(['ROOM:3']);
    expect(order.offer(change(1))).toBe('delivered');
  });

  it('whenDelivered: nothing to wait for unless the version is held', async () => {
    order.offer(change(3));
    expect(order.whenDelivered('ROOM', 3)).toBeNull();
    expect(order.whenDelivered('ROOM', 9)).toBeNull();
    order.offer(change(5));
    const events: string[] = [];
    const waited = order
      .whenDelivered('ROOM', 5)!
      .then(() => events.push(`resolved, ${sent.join(' ')}`));
    order.offer(change(4));
    await waited;
    expect(events).toEqual(['resolved, ROOM:3 ROOM:4 ROOM:5']);
  });

  it('whenDelivered resolves when the hold gives up, or the room is forgotten', async () => {
    order.offer(change(3));
    order.offer(change(5));
    const released = order.whenDelivered('ROOM', 5)!;
    jest.advanceTimersByTime(500);
    await released;
    expect(sent).toEqual(['ROOM:3', 'ROOM:5']);
    order.offer(change(7));
    const forgotten = order.whenDelivered('ROOM', 7)!;
    order.forget('ROOM');
    await forgotten;
    expect(sent).toEqual(['ROOM:3', 'ROOM:5']);
  });

  it('deliveredSince: a change as new delivered after the mark, in that room only', () => {
    order.offer(change(3));
    order.offer(change(9, 'OTHER'));
    const mark = order.mark();
    // Delivered before the mark: a socket bound at the mark did not get it.
    expect(order.deliveredSince('ROOM', mark, 3)).toBe(false);
    order.offer(change(4));
    expect(order.deliveredSince('ROOM', mark, 4)).toBe(true);
    expect(order.deliveredSince('ROOM', mark, 3)).toBe(true);
    expect(order.deliveredSince('ROOM', mark, 5)).toBe(false);
    expect(order.deliveredSince('OTHER', mark, 9)).toBe(false);
    // Held is not delivered; forgotten is not either.
    order.offer(change(6));
    expect(order.deliveredSince('ROOM', mark, 6)).toBe(false);
    order.forget('ROOM');
    expect(order.deliveredSince('ROOM', mark, 1)).toBe(false);
  });
});
