import { ServiceName } from '@clocktower/contracts';
import type { ServiceDefinition } from '@clocktower/platform';
import { PipelineOrchestratorConfig } from './config.js';
import { PipelineOrchestratorModule } from './pipeline-orchestrator.module.js';

export const PipelineOrchestratorDefinition: ServiceDefinition<PipelineOrchestratorConfig> = {
  name: ServiceName.PipelineOrchestrator,
  configClass: PipelineOrchestratorConfig,
  needsStore: true,
  module: (context) => PipelineOrchestratorModule.forContext(context),
};
