/** Collects a stream's bytes up to a limit, decoding once at the end (no split UTF-8 sequences). */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  constructor(readonly limit: number) {}

  /** Keeps the chunk; false once the total passed the limit (the chunk is then dropped). */
  push(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return false;
    this.chunks.push(chunk);
    return true;
  }

  get overflowed(): boolean {
    return this.bytes > this.limit;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
