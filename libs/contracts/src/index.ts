import 'reflect-metadata';

export { ValidationFailedError, type FieldIssue } from './validation/validation-failed.error.js';
export { parseAs, type ClassOf, type ParseOptions } from './validation/parse.js';
export { MessageKind, type MessageClass, type RequestClass } from './messages/message-class.js';
export {
  createMessage,
  EnvelopeShape,
  type CreateMessageOptions,
  type Message,
} from './messages/envelope.js';
export { UpcasterRegistry, UpcastError, type Upcaster } from './messages/upcaster-registry.js';
export { MessageRegistry } from './messages/message-registry.js';
export { StreamCategory, streamName, categoryOf, deterministicId } from './streams/stream-name.js';
export { Subjects, ServiceName, DEFAULT_SUBJECT_PREFIX } from './subjects/subjects.js';
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
