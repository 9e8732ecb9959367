import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/app-config';
import { RoomsService } from './rooms.service';
import type { SeatRegistry } from './seat-registry.port';
import { SpectatorLimitError } from './rooms.errors';
import type { SpectatorRegistry, WatchResult } from './spectator-registry.port';
import { SpectatorsService } from './spectators.service';

/** The registry's contract in memory: counts per room and instance, notes per instance. */
class MemoryRegistry implements SpectatorRegistry {
  readonly counts = new Map<string, Map<string, number>>();
  readonly notes = new Map<string, Set<string>>();
  readonly rooms = new Set<string>();
  /** Every write in the order it was sent. */
  readonly log: string[] = [];
  failNext: string | null = null;

  private total(room: string): number {
    return [...(this.counts.get(room)?.values() ?? [])].reduce((a, b) => a + b, 0);
  }

  private fail(op: string): void {
    if (this.failNext !== op) return;
    this.failNext = null;
    throw new Error(`${op} unreachable`);
  }

  addSpectator(room: string, id: string, limit: number): Promise<WatchResult> {
    this.log.push(`add ${room}`);
    this.fail('add');
    if (!this.rooms.has(room)) return Promise.resolve({ status: 'not_found' });
    const total = this.total(room);
    if (total >= limit) return Promise.resolve({ status: 'full', spectators: total });
    const counts = this.counts.get(room) ?? new Map<string, number>();
    counts.set(id, (counts.get(id) ?? 0) + 1);
    this.counts.set(room, counts);
    return Promise.resolve({ status: 'watching', spectators: total + 1 });
  }

  removeSpectator(room: string, id: string): Promise<number> {
    this.log.push(`remove ${room}`);
    const counts = this.counts.get(room);
    const left = (counts?.get(id) ?? 0) - 1;
    if (left > 0) counts?.set(id, left);
    else counts?.delete(id);
    return Promise.resolve(this.total(room));
  }

  setSpectators(room: string, id: string, count: number): Promise<number> {
    this.log.push(`set ${room} ${count}`);
    const counts = this.counts.get(room) ?? new Map<string, number>();
    if (count > 0 && this.rooms.has(room)) counts.set(id, count);
    else counts.delete(id);
    this.counts.set(room, counts);
    return Promise.resolve(this.total(room));
  }

  countSpectators(room: string): Promise<number> {
    return Promise.resolve(this.total(room));
  }

  registerWatchedRoom(id: string, room: string): Promise<void> {
    this.log.push(`note ${room}`);
    this.notes.set(id, (this.notes.get(id) ?? new Set()).add(room));
    return Promise.resolve();
  }

  unregisterWatchedRoom(id: string, room: string): Promise<void> {
    this.log.push(`unnote ${room}`);
    this.notes.get(id)?.delete(room);
    return Promise.resolve();
  }

  watchedRooms(id: string): Promise<string[]> {
    return Promise.resolve([...(this.notes.get(id) ?? [])]);
  }
}

describe('SpectatorsService', () => {
  let registry: MemoryRegistry;
  let service: SpectatorsService;
  let rooms: RoomsService;
  const config: AppConfig = loadConfig({ SPECTATOR_LIMIT: '20' });

  beforeEach(() => {
    registry = new MemoryRegistry();
    registry.rooms.add('AAAAAA');
    rooms = new RoomsService({} as SeatRegistry, config);
    service = new SpectatorsService(registry, rooms, config);
  });

  it('counts spectators and notes a watched room once: with its first spectator, until its last', async () => {
    expect(await service.add('AAAAAA')).toBe(1);
    expect(await service.add('AAAAAA')).toBe(2);
    await service.remove('AAAAAA');
    expect(registry.notes.get(rooms.instanceId)).toEqual(new Set(['AAAAAA']));
    await service.remove('AAAAAA');

    expect(registry.notes.get(rooms.instanceId)).toEqual(new Set());
    expect(await service.count('AAAAAA')).toBe(0);
    expect(registry.log.filter((l) => l.includes('note'))).toEqual([
      'note AAAAAA',
      'unnote AAAAAA',
    ]);
  });

  it('notes the room before the count is sent, so a crash in between is still cleaned up', async () => {
    await service.add('AAAAAA');

    expect(registry.log.slice(0, 2)).toEqual(['note AAAAAA', 'add AAAAAA']);
  });

  it('answers null for no live room and ROOM_FULL at the limit, leaving no count and no note', async () => {
    expect(await service.add('ZZZZZZ')).toBeNull();
    for (let i = 0; i < 20; i++) await service.add('AAAAAA');

    await expect(service.add('AAAAAA')).rejects.toBeInstanceOf(SpectatorLimitError);
    await expect(service.add('AAAAAA')).rejects.toMatchObject({ code: 'ROOM_FULL' });

    expect(await service.count('AAAAAA')).toBe(20);
    expect(registry.notes.get(rooms.instanceId)).toEqual(new Set(['AAAAAA']));
  });

  it('a count that fails to land is not kept, and the note goes with it', async () => {
    registry.failNext = 'add';

    await expect(service.add('AAAAAA')).rejects.toThrow(/unreachable/);

    expect(registry.notes.get(rooms.instanceId)).toEqual(new Set());
    expect(await service.add('AAAAAA')).toBe(1);
  });

  it('drops a dead instance in every room it noted, and puts its own counts back when revived', async () => {
    registry.rooms.add('BBBBBB');
    await service.add('AAAAAA');
    await service.add('BBBBBB');
    await service.add('BBBBBB');

    expect(await service.dropInstance(rooms.instanceId)).toBe(2);
    expect([await service.count('AAAAAA'), await service.count('BBBBBB')]).toEqual([0, 0]);

    await service.restore(
      new Map([
        ['AAAAAA', 1],
        ['BBBBBB', 2],
      ]),
    );
    expect([await service.count('AAAAAA'), await service.count('BBBBBB')]).toEqual([1, 2]);
    expect(registry.notes.get(rooms.instanceId)).toEqual(new Set(['AAAAAA', 'BBBBBB']));
  });
});
