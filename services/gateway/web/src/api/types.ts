// What the REST API answers, as the dashboard reads it. The views come from @clocktower/contracts
// (types only: erased by esbuild); the few replies contracts does not describe are written here.
export type {
  ChangeEntry,
  ClusterAsOf,
  ClusterView,
  HistoryEntry,
  JobHistory,
  JobPendingTime,
  JobSortField,
  JobView,
  NodeHistory,
  NodeRecord,
  NodeView,
  ClusterStats,
} from '@clocktower/contracts';
import type {
  DATE_FORMATS as CONTRACT_DATE_FORMATS,
  ITEMS_PER_PAGE_CHOICES,
  LANGUAGES as CONTRACT_LANGUAGES,
  THEMES as CONTRACT_THEMES,
} from '@clocktower/contracts';

/** Every list route: a page of items, the total matching, and how to get the next. */
export interface ListReply<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly nextCursor: string | null;
  readonly limit: number;
  readonly page?: number;
}

/** The error body of every route; `issues` names each bad field of a 400. */
export interface ApiProblem {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string | readonly string[];
  readonly issues?: readonly { readonly path: string; readonly problems: readonly string[] }[];
}

export interface Me {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: 'admin' | 'user';
  readonly slurmUser: string;
  readonly access: { readonly jobsOfUser: string | null; readonly clusters: string[] | null };
}

/**
 * The settings' choices. Values (not only types) are needed in the page, and importing values from
 * contracts would bundle class-validator: so they are restated here, typed as contracts' own, so
 * the compiler refuses any drift.
 */
export const ITEMS_PER_PAGE: typeof ITEMS_PER_PAGE_CHOICES = [25, 50, 100, 200];
export const DATE_FORMATS: typeof CONTRACT_DATE_FORMATS = ['iso', 'local', 'relative'];
export const THEMES: typeof CONTRACT_THEMES = ['light', 'dark', 'system'];
export const LANGUAGES: typeof CONTRACT_LANGUAGES = ['en', 'fr'];

export type Language = (typeof LANGUAGES)[number];

export interface UserSettings {
  readonly itemsPerPage: (typeof ITEMS_PER_PAGE)[number];
  readonly dateFormat: (typeof DATE_FORMATS)[number];
  readonly theme: (typeof THEMES)[number];
  readonly language: Language;
}
