/**
 * A user command that breaks a rule. Each failure is its own class with a stable `code`, so the
 * admin API can map it to a status and the CLI can print it, without matching message text.
 */
export class UserRuleError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class DuplicateEmailError extends UserRuleError {
  constructor(readonly email: string) {
    super('DUPLICATE_EMAIL', `a user with the email ${email} already exists`);
  }
}

export class UnknownUserError extends UserRuleError {
  /** `who`: the user id or email that was asked for. */
  constructor(readonly who: string) {
    super('UNKNOWN_USER', `no user ${who}`);
  }
}

export class UnknownApiKeyError extends UserRuleError {
  constructor(readonly keyId: string) {
    super('UNKNOWN_API_KEY', `no API key ${keyId}`);
  }
}

export class ApiKeyAlreadyRevokedError extends UserRuleError {
  constructor(readonly keyId: string) {
    super('API_KEY_ALREADY_REVOKED', `API key ${keyId} is already revoked`);
  }
}

/** A freshly generated key id that the user already has: astronomically rare, but never silent. */
export class DuplicateApiKeyError extends UserRuleError {
  constructor(readonly keyId: string) {
    super('DUPLICATE_API_KEY', `API key id ${keyId} is already taken; create the key again`);
  }
}

/** Demoting the only admin would leave nobody able to manage users through the API. */
export class LastAdminError extends UserRuleError {
  constructor(readonly userId: string) {
    super(
      'LAST_ADMIN',
      `user ${userId} is the only admin: make another user admin before changing this one's role`,
    );
  }
}

/** Appends kept conflicting with concurrent writers; nothing was written by this attempt. */
export class UserWriteConflictError extends UserRuleError {
  constructor(
    readonly userId: string,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(
      'USER_WRITE_CONFLICT',
      `user ${userId} kept changing under ${attempts} attempts to write; try again`,
      options,
    );
  }
}
