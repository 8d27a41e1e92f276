/**
 * Quoting for a POSIX shell on the far side of ssh. An ssh exec request carries one string that the
 * remote user's login shell parses, so every argv element is wrapped in single quotes, inside which
 * the shell interprets nothing — no `$`, backticks, `\`, globs, `;` or newlines. The one character
 * that cannot appear inside single quotes, `'` itself, is written as `'\''` (close, escaped quote,
 * reopen). The result is the same for bash, dash, zsh and ksh.
 */
export function shellQuote(argument: string): string {
  if (argument.includes('\0')) {
    // A NUL cannot be passed in an argv at all; refusing beats silently truncating the argument.
    throw new TypeError('an argument for a remote command contains a NUL character');
  }
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/** An argv as one command line for a remote POSIX shell, every element quoted. */
export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new TypeError('an empty argv is not a command');
  return argv.map(shellQuote).join(' ');
}
