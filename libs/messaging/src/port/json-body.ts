const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bodies are JSON; `undefined` travels as an empty body and comes back as undefined. */
export function encodeBody(data: unknown): Uint8Array {
  return data === undefined ? new Uint8Array(0) : encoder.encode(JSON.stringify(data));
}

export function decodeBody(bytes: Uint8Array): unknown {
  return bytes.length === 0 ? undefined : JSON.parse(decoder.decode(bytes));
}

/** What the other side of a real wire would see: the in-process bus copies through JSON too. */
export function jsonCopy(data: unknown): unknown {
  return data === undefined ? undefined : JSON.parse(JSON.stringify(data));
}
