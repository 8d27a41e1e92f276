import { PlatformConfig } from '@clocktower/platform';

/** pipeline-orchestrator's configuration: the platform's keys (see the README), with its own default PORT. */
export class PipelineOrchestratorConfig extends PlatformConfig {
  override port = 8083;
}
