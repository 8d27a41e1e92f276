const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A body that is JSON text already. A handler that returns one has it sent as it is, and a
 * requester that asks with `raw: true` gets the reply as one, unparsed: a large answer that only
 * passes through (job-projection → gateway → HTTP) is then neither parsed nor stringified again.
 */
export class RawJson {
  private encoded: Uint8Array | undefined;
  private decoded: string | undefined;

  constructor(json: string | Uint8Array) {
    if (typeof json === 'string') this.decoded = json;
    else this.encoded = json;
  }

  /** The UTF-8 bytes (encoded once). */
  bytes(): Uint8Array {
    return (this.encoded ??= encoder.encode(this.decoded));
  }

  /** The JSON text (decoded once). */
  text(): string {
    return (this.decoded ??= decoder.decode(this.encoded));
  }

  /** Its value, as the requester would have had it without `raw`. */
  parse(): unknown {
    const text = this.text();
    return text.length === 0 ? undefined : JSON.parse(text);
  }
}

/** Bodies are JSON; `undefined` travels as an empty body and comes back as undefined. */
export function encodeBody(data: unknown): Uint8Array {
  if (data instanceof RawJson) return data.bytes();
  return data === undefined ? new Uint8Array(0) : encoder.encode(JSON.stringify(data));
}

export function decodeBody(bytes: Uint8Array): unknown {
  return bytes.length === 0 ? undefined : JSON.parse(decoder.decode(bytes));
}

/** What the other side of a real wire would see: the in-process bus copies through JSON too. */
export function jsonCopy(data: unknown): unknown {
  if (data instanceof RawJson) return data.parse();
  return data === undefined ? undefined : JSON.parse(JSON.stringify(data));
}

/** A reply as a requester that asked for `raw` gets it: JSON text, never parsed here. */
export function rawCopy(data: unknown): RawJson {
  if (data instanceof RawJson) return data;
  return new RawJson(data === undefined ? '' : JSON.stringify(data));
}
