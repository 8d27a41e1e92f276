import { IsBoolean, IsISO8601, IsNotEmpty, IsString, Matches } from 'class-validator';
import { MessageKind } from '../messages/message-class.js';

/**
 * Notifications that are not stored: signals that something stored moved on. A lost one costs a
 * delay, never data, since every reader falls back to polling what is stored.
 */
const notification = { kind: MessageKind.Event, schemaVersion: 1 } as const;

/** job-projection folded events up to `position` (published after each committed batch). */
export class ProjectionAdvanced {
  static readonly type = 'ProjectionAdvanced';
  static readonly schemaVersion = notification.schemaVersion;
  static readonly kind = notification.kind;
  static readonly category = 'projection';

  @IsString() @IsNotEmpty() projection!: string;
  @IsString() @Matches(/^[0-9]{1,20}$/) position!: string;
}

/**
 * The collector finished a poll of a cluster (successfully or not). Not stored: one event per poll
 * would swamp the store with heartbeats; the projection keeps the latest in its read model.
 */
export class ClusterPolled {
  static readonly type = 'ClusterPolled';
  static readonly schemaVersion = notification.schemaVersion;
  static readonly kind = notification.kind;
  static readonly category = 'cluster';

  @IsString() @IsNotEmpty() cluster!: string;
  @IsBoolean() ok!: boolean;
  @IsISO8601({ strict: true }) polledAt!: string;
}
