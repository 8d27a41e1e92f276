/** The little a source logs (connects, drops, retries); NestJS's LoggerService fits. Never given secrets. */
export interface SourceLogger {
  log(message: string): void;
  warn(message: string): void;
}
