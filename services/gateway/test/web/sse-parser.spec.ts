import { describe, expect, it } from '@jest/globals';
import { SseParser } from '../../web/src/api/sse-parser.js';

/** The dashboard's text/event-stream parser, fed the way fetch() hands a body over: in pieces. */
describe('SseParser', () => {
  const STREAM =
    'retry: 2000\n\nid: 41\nevent: ready\ndata: {"after":"41"}\n\n: keep-alive\n\n' +
    'id: 42\nevent: JobStateChanged\ndata: {"a":1}\n\nid: 57\n\n';

  it('dispatches each event at its blank line, with the last id and the retry delay', () => {
    const parser = new SseParser();
    const messages = parser.push(STREAM);
    expect(messages).toEqual([
      { event: 'ready', data: '{"after":"41"}', lastEventId: '41' },
      { event: 'JobStateChanged', data: '{"a":1}', lastEventId: '42' },
    ]);
    expect(parser.retryMs).toBe(2000);
  });

  it('takes a lone id line as the position to resume from, without dispatching anything', () => {
    const parser = new SseParser();
    parser.push(STREAM);
    expect(parser.lastEventId).toBe('57');
  });

  it('gives the same events whatever the chunk boundaries, CRLF split included', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    const whole = new SseParser().push(crlf);
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const got = [];
      for (let i = 0; i < crlf.length; i += size) got.push(...parser.push(crlf.slice(i, i + size)));
      expect(got).toEqual(whole);
      expect(parser.lastEventId).toBe('57');
    }
  });

  it('joins several data lines with newlines and defaults the event name to message', () => {
    expect(new SseParser().push('data: a\ndata:b\n\n')).toEqual([
      { event: 'message', data: 'a\nb', lastEventId: '' },
    ]);
  });
});
