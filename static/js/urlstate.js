// Pure encode/decode of the page state <-> URL hash. One table drives both directions;
// anything unparseable falls back to its default.

const PROPS = [
  { name: "step", fallback: 1, parse: (s) => (/^\d+$/.test(s) && Number(s) >= 1 ? Number(s) : null) },
];

export function decodeHash(hash) {
  const params = new URLSearchParams(String(hash ?? "").replace(/^#/, ""));
  const state = {};
  for (const p of PROPS) {
    const raw = params.get(p.name);
    const value = raw === null ? null : p.parse(raw.trim());
    state[p.name] = value === null ? p.fallback : value;
  }
  return state;
}

export function encodeHash(state) {
  const params = PROPS.filter((p) => state[p.name] != null).map((p) => `${p.name}=${encodeURIComponent(state[p.name])}`);
  return `#${params.join("&")}`;
}
