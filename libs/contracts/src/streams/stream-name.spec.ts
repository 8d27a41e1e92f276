import { describe, expect, it } from '@jest/globals';
import { categoryOf, deterministicId, streamName } from './stream-name.js';
import { Subjects } from '../subjects/subjects.js';
import { MessageKind } from '../messages/message-class.js';

describe('stream names', () => {
  it('takes the category from the part before the first dash', () => {
    expect(categoryOf(streamName('job', 'lab-1234-0'))).toBe('job');
    expect(categoryOf('nodash')).toBe('nodash');
    expect(() => streamName('Job', 'x')).toThrow(/category/);
  });

  it('derives the same UUID-shaped id from the same parts and another from others', () => {
    const a = deterministicId('lab', 1234, 'RUNNING');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicId('lab', 1234, 'RUNNING')).toBe(a);
    expect(deterministicId('lab', 12, '34RUNNING')).not.toBe(a);
  });
});

describe('Subjects', () => {
  class SubmitJob {
    static readonly type = 'SubmitJob';
    static readonly schemaVersion = 1;
    static readonly kind = MessageKind.Command;
    static readonly service = 'slurm-collector';
  }
  it('builds subjects from message classes only', () => {
    expect(Subjects.of(SubmitJob)).toBe('ct.command.slurm-collector.SubmitJob');
    expect(Subjects.event('job', 'JobStateChanged')).toBe('ct.event.job.JobStateChanged');
    expect(Subjects.events('job')).toBe('ct.event.job.>');
    expect(() => Subjects.event('job', 'a.b')).toThrow(/not a valid NATS subject token/);
  });
});
