import type { UserRole } from '@clocktower/contracts';

/** The authenticated caller of a request, as its API key says. */
export interface Principal {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: UserRole;
  /** Their login on the clusters: the `user` of their Slurm jobs. */
  readonly slurmUser: string;
  /** Clusters they may see; null: every cluster. */
  readonly clusters: readonly string[] | null;
  readonly keyId: string;
}

/** Where the auth guard leaves the caller on the (Express) request. */
export const PRINCIPAL_KEY = 'clocktowerPrincipal';

export interface RequestWithPrincipal {
  [PRINCIPAL_KEY]?: Principal;
}
