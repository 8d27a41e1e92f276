/**
 * The simulator runs no script, but it reads two things from one so that a demo pipeline behaves
 * as written: the `sleep N` commands (how long the job works, summed) and the last `exit N` (how it
 * ends). A script without them works for a drawn time and exits as the workload mix says.
 */
export interface ScriptHints {
  readonly runtimeSeconds?: number;
  readonly exitCode?: number;
}

const SLEEP = /(?:^|[\s;&|(])sleep\s+(\d+(?:\.\d+)?)([smhd]?)(?=$|[\s;&|)])/gm;
const EXIT = /(?:^|[\s;&|(])exit\s+(\d{1,3})(?=$|[\s;&|)])/gm;
const UNIT: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

export function scriptHints(script: string): ScriptHints {
  const body = script
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  let runtime = 0;
  let sleeps = 0;
  for (const match of body.matchAll(SLEEP)) {
    runtime += Number(match[1]) * (UNIT[match[2] ?? ''] ?? 1);
    sleeps++;
  }
  let exitCode: number | undefined;
  for (const match of body.matchAll(EXIT)) exitCode = Number(match[1]) & 0xff;
  return {
    ...(sleeps > 0 ? { runtimeSeconds: Math.max(1, Math.round(runtime)) } : {}),
    ...(exitCode === undefined ? {} : { exitCode }),
  };
}
