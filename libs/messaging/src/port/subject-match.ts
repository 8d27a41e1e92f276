/**
 * NATS subject matching for the in-process bus: `*` matches exactly one token, `>` one or more
 * trailing tokens. Compiled once per subscription.
 */
export function subjectMatcher(pattern: string): (subject: string) => boolean {
  if (!pattern.includes('*') && !pattern.includes('>')) {
    return (subject) => subject === pattern;
  }
  const want = pattern.split('.');
  return (subject) => {
    const got = subject.split('.');
    for (let i = 0; i < want.length; i++) {
      const token = want[i];
      if (token === '>') return got.length > i;
      if (i >= got.length) return false;
      if (token !== '*' && token !== got[i]) return false;
    }
    return got.length === want.length;
  };
}
