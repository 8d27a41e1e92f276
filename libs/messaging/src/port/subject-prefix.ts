import { DEFAULT_SUBJECT_PREFIX, SUBJECT_TOKEN } from '@clocktower/contracts';

/** An adapter's subject prefix option, checked: one NATS subject token, the default if absent. */
export function checkedSubjectPrefix(prefix: string | undefined): string {
  if (prefix === undefined) return DEFAULT_SUBJECT_PREFIX;
  if (!SUBJECT_TOKEN.test(prefix)) {
    throw new RangeError(
      `subject prefix ${JSON.stringify(prefix)} is not one NATS subject token (letters, digits, - and _)`,
    );
  }
  return prefix;
}
