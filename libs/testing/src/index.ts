export {
  labComponent,
  readLabInfo,
  DEFAULT_LAB_FILE,
  type Availability,
  type LabComponent,
  type LabInfo,
} from './lab.js';
export { until } from './until.js';
export { chromiumExecutable, DEFAULT_CHROMIUM } from './chromium.js';
export { freePort, runNode, type ChildRun } from './process.js';
export {
  recordedHistory,
  syntheticHistory,
  type SyntheticEvent,
  type SyntheticHistoryOptions,
  type SyntheticRecordedEvent,
} from './synthetic-history.js';
