import type { SimJob } from './simulated-job.js';

const RECENT_JOBS_PER_USER = 5;
/** Ended jobs are forgotten in batches: one slice per this many, not one per job. */
const FORGET_BATCH = 1000;

/**
 * The controller's job list: every job by id (ids handed out in ascending order, so iteration
 * order is id order), the tasks split off each array, each user's latest jobs, and the ended jobs
 * kept for accounting until there are more than the cluster retains.
 */
export class JobTable {
  readonly #jobs = new Map<number, SimJob>();
  readonly #arrayTasks = new Map<number, SimJob[]>();
  readonly #recentByUser = new Map<number, number[]>();
  #endedOrder: number[] = [];
  #nextJobId: number;

  constructor(
    firstJobId: number,
    private readonly maxRetainedEnded: number,
  ) {
    this.#nextJobId = firstJobId;
  }

  get size(): number {
    return this.#jobs.size;
  }

  nextId(): number {
    return this.#nextJobId++;
  }

  values(): IterableIterator<SimJob> {
    return this.#jobs.values();
  }

  get(jobId: number): SimJob | undefined {
    return this.#jobs.get(jobId);
  }

  has(jobId: number): boolean {
    return this.#jobs.has(jobId);
  }

  /** A newly submitted job. */
  add(job: SimJob): void {
    this.#jobs.set(job.jobId, job);
    const recent = this.#recentByUser.get(job.user) ?? [];
    recent.unshift(job.jobId);
    if (recent.length > RECENT_JOBS_PER_USER) recent.pop();
    this.#recentByUser.set(job.user, recent);
  }

  /** A task split off an array's meta record. */
  addTask(arrayJobId: number, task: SimJob): void {
    this.#jobs.set(task.jobId, task);
    const tasks = this.#arrayTasks.get(arrayJobId) ?? [];
    tasks.push(task);
    this.#arrayTasks.set(arrayJobId, tasks);
  }

  tasksOf(arrayJobId: number): readonly SimJob[] {
    return this.#arrayTasks.get(arrayJobId) ?? [];
  }

  /** The user's latest jobs, newest first. */
  recentOf(user: number): SimJob[] {
    return (this.#recentByUser.get(user) ?? []).flatMap((id) => this.#jobs.get(id) ?? []);
  }

  ended(job: SimJob): void {
    this.#endedOrder.push(job.jobId);
    if (this.#endedOrder.length <= this.maxRetainedEnded + FORGET_BATCH) return;
    const excess = this.#endedOrder.length - this.maxRetainedEnded;
    for (const id of this.#endedOrder.slice(0, excess)) {
      this.#jobs.delete(id);
      this.#arrayTasks.delete(id);
    }
    this.#endedOrder = this.#endedOrder.slice(excess);
  }
}
