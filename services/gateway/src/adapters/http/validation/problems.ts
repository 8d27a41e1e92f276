import { ValidationFailedError, type FieldIssue } from '@clocktower/contracts';

/**
 * Rules between fields that class-validator does not express (a range's start after its end, two
 * exclusive parameters), gathered so one 400 names every bad field, as the validators' do.
 */
export class Problems {
  private readonly issues = new Map<string, string[]>();

  add(path: string, problem: string): this {
    const problems = this.issues.get(path) ?? [];
    problems.push(problem);
    this.issues.set(path, problems);
    return this;
  }

  /** Throws ValidationFailedError (a 400) when any problem was added. */
  throwIfAny(what: string): void {
    if (this.issues.size === 0) return;
    const issues: FieldIssue[] = [...this.issues].map(([path, problems]) => ({ path, problems }));
    throw new ValidationFailedError(what, issues);
  }
}
