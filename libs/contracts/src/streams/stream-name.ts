import { createHash } from 'node:crypto';

/** Stream categories: the part of a stream name before the first `-` (EventStoreDB's $ce- rule). */
export const StreamCategory = {
  Job: 'job',
  Node: 'node',
  Cluster: 'cluster',
  Pipeline: 'pipeline',
  Service: 'service',
  User: 'user',
  /** The life of one command that must not take effect twice (a job submission). */
  Command: 'command',
  /** A user's own notes on a job (Clockwork's job-user props): `jobprops-<cluster>-<jobId>-<userId>`. */
  JobUserProps: 'jobprops',
} as const;
export type StreamCategory = (typeof StreamCategory)[keyof typeof StreamCategory];

export function streamName(category: string, id: string): string {
  if (!/^[a-z][a-z0-9]*$/.test(category)) {
    throw new Error(
      `stream category must be lowercase letters and digits, got ${JSON.stringify(category)}`,
    );
  }
  if (id.length === 0) {
    throw new Error('stream id must not be empty');
  }
  return `${category}-${id}`;
}

export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
}

/**
 * A UUID-shaped id derived from its parts (SHA-1, RFC 4122 version 5 layout), for events that the
 * same observation can produce twice: the second append of the same id is then a no-op.
 */
export function deterministicId(...parts: readonly (string | number)[]): string {
  const hash = createHash('sha1').update(parts.map(String).join('\u001f')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
