// The step player (static/js/player.js) on Node's mock timers: playback is ticked by hand, so
// nothing waits in real time.
import { test, mock, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createPlayer } from "../../static/js/player.js";

beforeEach(() => {
  // Node 20.11+ takes {apis}; Debian bookworm's Node 18.20 only the array form.
  try {
    mock.timers.enable({ apis: ["setTimeout"] });
  } catch {
    mock.timers.enable(["setTimeout"]);
  }
});
afterEach(() => mock.timers.reset());

// A player of `count` steps, 1000 ms a step at 1x, recording every onChange(index, playing).
function recorded(count) {
  const calls = [];
  const player = createPlayer({ count, baseInterval: 1000, onChange: (i, playing) => calls.push([i, playing]) });
  return { player, calls };
}

test("seeking clamps to the steps there are and reports each move", () => {
  const { player, calls } = recorded(5);
  player.seek(3);
  player.seek(99);
  player.seek(-2);
  player.seek("2");
  player.seek("nonsense");
  assert.deepEqual(calls, [[3, false], [4, false], [0, false], [2, false], [0, false]]);
  assert.equal(player.index, 0);
});

test("next, prev, first and last", () => {
  const { player } = recorded(5);
  player.next();
  player.next();
  assert.equal(player.index, 2);
  player.prev();
  assert.equal(player.index, 1);
  player.last();
  assert.equal(player.index, 4);
  player.next();
  assert.equal(player.index, 4, "no step past the last");
  player.first();
  player.prev();
  assert.equal(player.index, 0, "no step before the first");
});

test("playing moves one step per interval and stops on the last step", () => {
  const { player, calls } = recorded(3);
  player.play();
  assert.deepEqual(calls, [[0, true]]);
  mock.timers.tick(999);
  assert.equal(player.index, 0, "not before the interval is up");
  mock.timers.tick(1);
  assert.equal(player.index, 1);
  mock.timers.tick(1000);
  // The last step: playback ends there rather than looping.
  assert.deepEqual(calls, [[0, true], [1, true], [2, false]]);
  assert.equal(player.playing, false);
  mock.timers.tick(5000);
  assert.equal(calls.length, 3, "no tick after the end");
});

test("play on the last step replays from the start", () => {
  const { player, calls } = recorded(3);
  player.last();
  player.play();
  assert.deepEqual(calls.at(-1), [0, true]);
});

test("pause cancels the tick already queued", () => {
  const { player, calls } = recorded(5);
  player.play();
  mock.timers.tick(600);
  player.pause();
  mock.timers.tick(5000);
  assert.equal(player.index, 0);
  assert.deepEqual(calls, [[0, true], [0, false]]);
  player.pause();
  assert.equal(calls.length, 2, "pausing a paused player says nothing");
});

test("seeking while playing restarts the interval from the new step", () => {
  const { player } = recorded(10);
  player.play();
  mock.timers.tick(700);
  player.seek(5);
  mock.timers.tick(700);
  assert.equal(player.index, 5, "the old tick (due at 1000 ms) is gone");
  mock.timers.tick(300);
  assert.equal(player.index, 6);
  assert.equal(player.playing, true);
});

test("toggle plays and pauses", () => {
  const { player } = recorded(4);
  player.toggle();
  assert.equal(player.playing, true);
  player.toggle();
  assert.equal(player.playing, false);
});

test("speed divides the interval; it stays within 0.25x and 4x", () => {
  const { player } = recorded(10);
  player.setSpeed(2);
  player.play();
  mock.timers.tick(500);
  assert.equal(player.index, 1);
  player.setSpeed(0.5); // takes effect at once: the next step is 2000 ms away
  mock.timers.tick(1999);
  assert.equal(player.index, 1);
  mock.timers.tick(1);
  assert.equal(player.index, 2);
  for (const [asked, got] of [[10, 4], [0.1, 0.25], [4, 4], [0.25, 0.25], ["2", 2], ["fast", 1], [0, 1]]) {
    player.setSpeed(asked);
    assert.equal(player.speed, got, `setSpeed(${asked})`);
  }
});

test("a new trace keeps the step if it still exists, otherwise clamps it", () => {
  const { player, calls } = recorded(10);
  player.seek(7);
  player.setCount(20);
  assert.equal(player.index, 7);
  player.setCount(5);
  assert.equal(player.index, 4);
  player.setCount(8, 2);
  assert.equal(player.index, 2);
  player.setCount(0);
  assert.equal(player.index, 0, "an empty trace still has step 0");
  assert.deepEqual(calls, [[7, false], [7, false], [4, false], [2, false], [0, false]]);
});

test("a new trace while playing goes on playing from the kept step", () => {
  const { player } = recorded(10);
  player.play();
  // One interval per tick: a timer queued during a tick may not run in that same tick.
  mock.timers.tick(1000);
  mock.timers.tick(1000);
  assert.equal(player.index, 2);
  player.setCount(6);
  mock.timers.tick(1000);
  assert.equal(player.index, 3);
  assert.equal(player.playing, true);
});
