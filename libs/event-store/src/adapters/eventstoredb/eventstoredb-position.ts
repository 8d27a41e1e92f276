import type { Position } from '@eventstore/db-client';

/**
 * EventStoreDB orders $all by a pair of unsigned 64-bit transaction-log offsets, `{commit, prepare}`:
 * by commit first, then by prepare. The port wants one bigint that rises strictly in $all order, so
 * the pair is packed as `commit * 2^64 + prepare`, i.e. `(commit << 64n) | prepare`. Because
 * prepare < 2^64, comparing two packed numbers compares commit first and prepare second: exactly
 * $all's order, and the packing is reversible, so a checkpoint can be handed back as `fromPosition`.
 *
 * Since the gRPC API (v20+), one append is one implicit transaction in which every event has
 * commit = prepare = its own log offset, so packed positions also rise within one append. Events
 * that old TCP clients wrote in explicit transactions share a commit and differ in prepare: the
 * packing orders them as $all does too.
 *
 * 0n means "before everything": no event sits at log offset 0, where the first epoch record is.
 */
const PREPARE_BITS = 64n;
const U64_MASK = (1n << PREPARE_BITS) - 1n;

export function encodePosition(position: Position): bigint {
  if (
    position.commit < 0n ||
    position.commit > U64_MASK ||
    position.prepare < 0n ||
    position.prepare > U64_MASK
  ) {
    throw new RangeError(
      `EventStoreDB position ${String(position.commit)}/${String(position.prepare)} is not a pair of unsigned 64-bit offsets`,
    );
  }
  return (position.commit << PREPARE_BITS) | position.prepare;
}

export function decodePosition(position: bigint): Position {
  if (position < 0n || position >> PREPARE_BITS > U64_MASK) {
    throw new RangeError(
      `${String(position)} is not a position this EventStoreDB adapter produced`,
    );
  }
  return { commit: position >> PREPARE_BITS, prepare: position & U64_MASK };
}

/**
 * Whether the server actually told us where an event is. Servers before 22.6 leave the fields of
 * stream reads unset (0/0) or send -1/-1 (all bits set) for "no position".
 */
export function isKnownPosition(position: Position | undefined): position is Position {
  if (position === undefined) return false;
  if (position.commit === 0n && position.prepare === 0n) return false;
  return position.commit < U64_MASK && position.prepare < U64_MASK;
}
