export class BusError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Nobody listens on the subject: fails at once instead of waiting for a timeout. */
export class NoResponderError extends BusError {
  constructor(
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(
      'BUS_NO_RESPONDER',
      `no service answers on ${subject}: is it running and connected to the same bus?`,
      options,
    );
  }
}

export class RequestTimeoutError extends BusError {
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super('BUS_TIMEOUT', `no reply on ${subject} within ${timeoutMs} ms`, options);
  }
}

/** The handler on the other side failed; `code` and `details` are the handler's own. */
export class RemoteHandlerError extends BusError {
  constructor(
    readonly subject: string,
    code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(code, message);
  }
}

/** The bus itself cannot be used: not connected, closed, server unreachable. */
export class BusUnavailableError extends BusError {
  constructor(message: string, options?: ErrorOptions) {
    super('BUS_UNAVAILABLE', message, options);
  }
}
