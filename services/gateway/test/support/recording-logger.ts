import type { LoggerService } from '@nestjs/common';

/** A logger that keeps every line, so a test can check what was (and was not) logged. */
export class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];

  private record(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push(JSON.stringify({ level, message, rest }));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.record('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.record('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.record('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.record('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.record('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.record('fatal', message, rest);
  }

  text(): string {
    return this.lines.join('\n');
  }
}
