import { chooseBotAction, chooseHokm } from './bot';
import { seededRng } from './rng';
import { applyAction, newRoom } from './rules';
import { applyOk, roomWith, tableState } from './testing';
import type { Card, PlayedCard, RoomState } from './types';

/** The card the bot in `seat` plays on a spades-trump table with the given trick so far. */
function botPlays(seat: number, hand: Card[], trick: PlayedCard[]): Card | null {
  const hands: [Card[], Card[], Card[], Card[]] = [[], [], [], []];
  hands[seat] = hand;
  const action = chooseBotAction(
    tableState({ hands, hokm: 'spades', currentTrick: trick, turnSeat: seat }),
    `p${seat}`,
  );
  return action?.type === 'play_card' ? (action.card as Card) : null;
}

const led = (...cards: Card[]): PlayedCard[] =>
  cards.map((card, i) => ({ playerId: `p${i}`, card }));

describe('chooseHokm', () => {
  it('names the suit the hand holds most of', () => {
    expect(chooseHokm(['2_clubs', '3_clubs', '4_clubs', 'A_spades', 'K_spades'])).toBe('clubs');
  });

  it('breaks a tie in favour of the higher cards', () => {
    expect(chooseHokm(['A_hearts', '2_clubs', '3_clubs', 'K_spades', 'Q_spades'])).toBe('spades');
    expect(chooseHokm(['A_diamonds', '2_diamonds', 'K_hearts', 'Q_hearts', '3_clubs'])).toBe(
      'diamonds',
    );
  });
});

describe('chooseBotAction', () => {
  it('names the hokm as hakem and waits otherwise', () => {
    const state = roomWith(4, seededRng(4));
    const hakem = state.match!.hakem;

    const action = chooseBotAction(state, hakem);

    expect(action).toEqual({
      type: 'select_hokm',
      playerId: hakem,
      suit: chooseHokm(state.match!.hands[hakem]!),
    });
    for (const p of state.players.filter((p) => p.playerId !== hakem)) {
      expect(chooseBotAction(state, p.playerId)).toBeNull();
    }
    expect(chooseBotAction(roomWith(2), 'p1')).toBeNull();
  });

  it('follows suit with the lowest card that wins', () => {
    expect(botPlays(1, ['2_hearts', 'J_hearts', 'A_hearts', '3_clubs'], led('10_hearts'))).toBe(
      'J_hearts',
    );
  });

  it('follows low when the partner is already winning', () => {
    expect(botPlays(2, ['K_hearts', '2_hearts', '5_clubs'], led('A_hearts', '3_hearts'))).toBe(
      '2_hearts',
    );
  });

  it('follows low when it cannot beat a trump already played', () => {
    expect(botPlays(2, ['A_hearts', '3_hearts'], led('K_hearts', '2_spades'))).toBe('3_hearts');
  });

  it('trumps with the lowest trump when void and an opponent is winning', () => {
    expect(botPlays(1, ['9_spades', '5_spades', '2_clubs'], led('K_hearts'))).toBe('5_spades');
    expect(botPlays(2, ['Q_spades', '5_spades', '2_clubs'], led('K_hearts', '9_spades'))).toBe(
      'Q_spades',
    );
  });

  it('discards its lowest side card when void and the partner is winning or it cannot win', () => {
    expect(botPlays(2, ['5_spades', '4_diamonds', '2_clubs'], led('A_hearts', '3_hearts'))).toBe(
      '2_clubs',
    );
    expect(botPlays(2, ['5_spades', '2_clubs'], led('K_hearts', 'A_spades'))).toBe('2_clubs');
  });

  it('leads a side-suit ace when it has one', () => {
    expect(botPlays(0, ['A_spades', '2_hearts', 'A_clubs'], [])).toBe('A_clubs');
  });

  it('otherwise leads the lowest card of its longest suit, keeping trumps on a tie', () => {
    expect(botPlays(0, ['A_spades', '2_hearts', '3_hearts', '4_clubs'], [])).toBe('2_hearts');
    expect(botPlays(0, ['5_spades', '6_spades', '9_hearts', 'Q_hearts'], [])).toBe('9_hearts');
  });

  it('drives four bots to game over, every move accepted', () => {
    const started = performance.now();
    for (let seed = 1; seed <= 150; seed++) {
      const rng = seededRng(seed);
      let state: RoomState = newRoom('BOTS22', 1 + (seed % 7), {
        playerId: 'b0',
        name: 'Bot 0',
        bot: true,
      });
      for (let i = 1; i < 4; i++) {
        state = applyOk(
          state,
          { type: 'join', playerId: `b${i}`, name: `Bot ${i}`, bot: true },
          rng,
        ).state;
      }

      // Plain checks in the hot loop: a jest expect per move would dominate the runtime.
      for (let steps = 0; state.phase !== 'game_over'; steps++) {
        if (steps > 5000) throw new Error(`seed ${seed}: no game over after 5000 moves`);
        const turn = state.match!.turn!;
        const idle = state.players.filter((p) => p.playerId !== turn);
        if (idle.some((p) => chooseBotAction(state, p.playerId) !== null)) {
          throw new Error(`seed ${seed}: a bot acted out of turn`);
        }
        const result = applyAction(state, chooseBotAction(state, turn)!, rng);
        if (!result.ok) throw new Error(`seed ${seed}: bot move refused: ${result.message}`);
        state = result.state;
      }

      expect(state.match!.scores[state.match!.winnerTeam!]).toBeGreaterThanOrEqual(
        state.targetScore,
      );
      expect(state.players.map((p) => chooseBotAction(state, p.playerId))).toEqual([
        null,
        null,
        null,
        null,
      ]);
    }
    expect(performance.now() - started).toBeLessThan(15000);
  });
});
