// frame.js: work for the settled picture runs once per frame, for the latest state only, or at once on settle().
import { test } from "node:test";
import assert from "node:assert/strict";

const frames = [];
globalThis.requestAnimationFrame = (fn) => frames.push(fn);
const { nextFrame, settle } = await import("../../static/js/frame.js");

test("jobs under one key keep only the latest, run once in the next frame", () => {
  const ran = [];
  nextFrame("formula", () => ran.push("step 1"));
  nextFrame("formula", () => ran.push("step 2"));
  nextFrame("url", () => ran.push("url"));
  assert.deepEqual(ran, []);
  assert.equal(frames.length, 1); // one frame asked for, however many jobs
  frames.shift()();
  assert.deepEqual(ran, ["step 2", "url"]);
});

test("settle runs what is pending at once, and the frame after it finds nothing", () => {
  const ran = [];
  nextFrame("formula", () => ran.push("typeset"));
  settle();
  assert.deepEqual(ran, ["typeset"]);
  frames.shift()();
  assert.deepEqual(ran, ["typeset"]);
  nextFrame("formula", () => ran.push("again"));
  assert.equal(frames.length, 1, "a new job asks for a new frame");
});
