import 'reflect-metadata';

export { ValidationFailedError, type FieldIssue } from './validation/validation-failed.error.js';
export { parseAs, type ClassOf, type ParseOptions } from './validation/parse.js';
export { ParseCache } from './validation/parse-cache.js';
export { MessageKind, type MessageClass, type RequestClass } from './messages/message-class.js';
export {
  checkEnvelope,
  createMessage,
  type EnvelopeShape,
  type CreateMessageOptions,
  type Message,
} from './messages/envelope.js';
export { UpcasterRegistry, UpcastError, type Upcaster } from './messages/upcaster-registry.js';
export { MessageRegistry } from './messages/message-registry.js';
export { StreamCategory, streamName, categoryOf, deterministicId } from './streams/stream-name.js';
export {
  Subjects,
  ServiceName,
  DEFAULT_SUBJECT_PREFIX,
  SUBJECT_TOKEN,
} from './subjects/subjects.js';
export {
  GetServiceHealth,
  getServiceHealthOf,
  type ServiceHealthReport,
  type ReadinessCheckResult,
} from './health/get-service-health.query.js';
export {
  JobRecord,
  JobResources,
  NodeRecord,
  JobState,
  FINAL_JOB_STATES,
} from './slurm/job-record.js';
export {
  JobSubmitted,
  JobStateChanged,
  JobPendingReasonChanged,
  JobStarted,
  JobRequeued,
  JobResourcesChanged,
  JobEnded,
  JobLeftController,
  NodeAdded,
  NodeStateChanged,
  NodeResourcesChanged,
  NodeAllocationChanged,
  NodeRemoved,
  ClusterReachable,
  ClusterUnreachable,
  JOB_EVENTS,
  NODE_EVENTS,
  CLUSTER_EVENTS,
  type JobEventData,
  type NodeEventData,
} from './slurm/slurm.events.js';
export {
  SubmitJob,
  CancelJob,
  JobSubmissionRequested,
  JobSubmissionAccepted,
  JobSubmissionRejected,
  type SubmitJobReply,
  type CancelJobReply,
} from './slurm/slurm.commands.js';
export {
  evolveJob,
  readField,
  GENERIC_JOB_FIELDS,
  type GenericJobField,
} from './slurm/job.fold.js';
export { evolveNode } from './slurm/node.fold.js';
export {
  compressHostList,
  expandHostList,
  formatRanges,
  HostListError,
  MAX_HOSTLIST_NAMES,
} from './slurm/hostlist.js';
export {
  JOB_STATE_GROUPS,
  JOB_STATE_FILTER_VALUES,
  expandJobStates,
  type JobStateGroup,
} from './projection/job-state-groups.js';
export {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  JOB_SORT_FIELDS,
  SORT_ORDERS,
  JobFilter,
  ListJobs,
  GetJob,
  GetJobHistory,
  GetJobPendingTime,
  ListNodes,
  GetNode,
  GetNodeHistory,
  ListClusters,
  GetCluster,
  ListClusterUsers,
  GetClusterAsOf,
  GetClusterChanges,
  GetClusterStats,
  MIN_STATS_STEP_SECONDS,
  MAX_STATS_POINTS,
  ReadChanges,
  ListProjections,
  RebuildProjection,
  JobRef,
  ListJobUserProps,
  PROJECTION_QUERIES,
  type JobSortField,
  type SortOrder,
  type JobView,
  type NodeView,
  type Page,
  type HistoryEntry,
  type ChangeEntry,
  type JobHistory,
  type PendingReasonTime,
  type JobPendingTime,
  type NodeHistory,
  type ClusterView,
  type UserJobCounts,
  type ClusterAsOf,
  type ClusterStats,
  type ClusterStatsPoint,
  type ChangeFeed,
  type RebuildProgress,
  type ProjectionStatus,
  type PageCacheStats,
  type JobUserPropsView,
  type JobUserPropsList,
} from './projection/projection.queries.js';
export { ProjectionAdvanced, ClusterPolled } from './projection/projection.notifications.js';
export {
  UserRole,
  USER_ROLES,
  UserCreated,
  UserUpdated,
  ApiKeyCreated,
  ApiKeyRevoked,
  UserSettingsChanged,
  ITEMS_PER_PAGE_CHOICES,
  DATE_FORMATS,
  THEMES,
  LANGUAGES,
  USER_EVENTS,
} from './users/user.events.js';
export {
  JobUserPropsSet,
  JobUserPropsDeleted,
  JOB_USER_PROPS_EVENTS,
  MAX_JOB_USER_PROPS_LENGTH,
  jobUserPropsStream,
} from './user-props/job-user-props.events.js';
export {
  evolveJobUserProps,
  type JobUserProps,
  type JobUserPropsEvent,
} from './user-props/job-user-props.fold.js';
export { pythonJsonLength } from './user-props/python-json-length.js';
