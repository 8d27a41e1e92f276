/**
 * The message and code of anything thrown. Duck-typed on purpose: errors made by Node internals
 * (fetch, sockets) can come from another realm (Jest's VM contexts), where `instanceof Error` fails.
 */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
