/**
 * The length of Python's `json.dumps(value)` with its defaults — what Clockwork measures props by
 * (`len(json.dumps(props))`): `", "` between items, `": "` after keys, every character outside
 * ASCII 0x20–0x7E escaped as `\uXXXX` (one per UTF-16 unit). JSON.stringify's escapes are the same
 * below 0x20 and for `"` and `\`, so only what it leaves raw above 0x7E is recounted. Numbers follow
 * JavaScript's spelling: a float Python would print as `1.0` arrived here as 1, so the count can be
 * short by a few characters per such number; never on strings, which is what props are made of.
 */
export function pythonJsonLength(value: unknown): number {
  if (value === null || typeof value !== 'object') return scalarLength(value);
  if (Array.isArray(value)) {
    let length = 2 + Math.max(0, value.length - 1) * 2;
    for (const item of value) length += pythonJsonLength(item);
    return length;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  let length = 2 + Math.max(0, entries.length - 1) * 2;
  for (const [key, item] of entries) length += stringLength(key) + 2 + pythonJsonLength(item);
  return length;
}

function scalarLength(value: unknown): number {
  if (typeof value === 'string') return stringLength(value);
  // JSON.stringify turns undefined and functions into nothing; JSON input never holds them.
  return (JSON.stringify(value) ?? 'null').length;
}

function stringLength(text: string): number {
  const quoted = JSON.stringify(text);
  let length = quoted.length;
  for (let i = 0; i < quoted.length; i++) {
    // Lone surrogates are already \u-escaped by JSON.stringify; the rest above 0x7E is raw.
    if (quoted.charCodeAt(i) > 0x7e) length += 5;
  }
  return length;
}
