import type { JobRecord, Message, NodeRecord } from '@clocktower/contracts';
import type { ReplayPoll } from '../../adapters/sources/replay.source.js';
import { toMessages } from '../../adapters/store/decision-writer.js';
import {
  ClusterState,
  decideAccounting,
  decideNodes,
  decideQueue,
} from '../../domain/cluster-state.js';
import type { StreamDecision } from '../../domain/event-draft.js';
import { parseJobs, parseNodes } from '../../domain/parsers/index.js';
import type { RawOutput, SlurmCommandKind } from '../../domain/raw-output.js';

export interface ReplayedEvent extends Message<Record<string, unknown>> {
  readonly stream: string;
  readonly revision: number;
}

export interface ReplayFailure {
  readonly dir: string;
  readonly reason: string;
}

/** Nodes first, then the queue, then accounting: the order a live collector's polls settle in. */
const ORDER: readonly SlurmCommandKind[] = [
  'sinfo',
  'scontrol-nodes',
  'squeue',
  'scontrol-jobs',
  'sacct',
];

/**
 * What Clocktower makes of saved outputs, with no store and no server: each directory is one poll,
 * decided against the state the earlier ones left, exactly as the collector decides live. A
 * directory whose output is malformed is reported and changes nothing (the last good state stays).
 */
export class Replay {
  readonly state: ClusterState;
  readonly failures: ReplayFailure[] = [];

  constructor(readonly cluster: string) {
    this.state = new ClusterState(cluster);
  }

  async run(polls: AsyncIterable<ReplayPoll>, emit: (event: ReplayedEvent) => void): Promise<void> {
    for await (const poll of polls) {
      let decided: { decisions: StreamDecision[]; observedAt: string }[];
      try {
        decided = this.decidePoll(poll.outputs);
      } catch (error) {
        this.failures.push({
          dir: poll.dir,
          reason: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      for (const { decisions, observedAt } of decided) {
        for (const decision of decisions) {
          toMessages(decision, observedAt, `replay-${this.cluster}-${observedAt}`).forEach(
            (message, i) =>
              emit({
                ...message,
                data: message.data as Record<string, unknown>,
                stream: decision.stream,
                revision: decision.revision + 1 + i,
              }),
          );
        }
      }
    }
  }

  /** The folded state: `{ jobs, nodes }` in the normalized shape. */
  snapshot(): { jobs: JobRecord[]; nodes: NodeRecord[] } {
    const byId = (a: { jobId: string }, b: { jobId: string }): number =>
      a.jobId.localeCompare(b.jobId, 'en', { numeric: true });
    return {
      jobs: [...this.state.jobs.values()].map((j) => j.record).sort(byId),
      nodes: [...this.state.nodes.values()]
        .map((n) => n.record)
        .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })),
    };
  }

  /**
   * Parses the whole directory before deciding anything, so a malformed file leaves no half-poll.
   * Each step's decisions are folded at once: the next step of the same poll decides against them.
   */
  private decidePoll(
    outputs: readonly RawOutput[],
  ): { decisions: StreamDecision[]; observedAt: string }[] {
    const chosen = new Map<SlurmCommandKind, RawOutput>();
    for (const output of outputs) {
      // JSON wins over text when a directory holds both for one command.
      const had = chosen.get(output.kind);
      if (!had || (had.format === 'text' && output.format === 'json'))
        chosen.set(output.kind, output);
    }
    // One view of the queue and one of the nodes per poll, as a live collector takes: squeue over
    // scontrol's jobs, sinfo over scontrol's nodes.
    if (chosen.has('squeue')) chosen.delete('scontrol-jobs');
    if (chosen.has('sinfo')) chosen.delete('scontrol-nodes');
    const parsed = ORDER.filter((kind) => chosen.has(kind)).map((kind) => {
      const output = chosen.get(kind)!;
      try {
        return kind === 'sinfo' || kind === 'scontrol-nodes'
          ? { kind, output, nodes: parseNodes(output, this.cluster) }
          : { kind, output, jobs: parseJobs(output, this.cluster) };
      } catch (error) {
        throw new Error(
          `${kind} (${output.format}): ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    });
    const result: { decisions: StreamDecision[]; observedAt: string }[] = [];
    let vanished: string[] = [];
    for (const step of parsed) {
      let decisions: StreamDecision[];
      if (step.nodes) decisions = decideNodes(this.state, step.nodes);
      else if (step.kind === 'sacct') {
        decisions = decideAccounting(this.state, step.jobs, vanished);
        vanished = [];
      } else {
        const queue = decideQueue(
          this.state,
          step.jobs,
          step.kind === 'scontrol-jobs' ? 'scontrol' : 'squeue',
        );
        vanished = queue.vanished;
        decisions = queue.decisions;
      }
      // Later steps of this poll decide against the state the earlier ones left.
      for (const decision of decisions) this.state.applyDecision(decision);
      result.push({ decisions, observedAt: step.output.observedAt });
    }
    return result;
  }
}
