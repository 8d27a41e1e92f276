import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceContext } from '@clocktower/platform';
import type { PipelineOrchestratorConfig } from './config.js';

/**
 * pipeline-orchestrator: accepts pipeline graphs as commands and advances them from job events. Its deciders arrive with the pipelines issue.
 * Today it joins the bus, answers GetServiceHealth and serves /healthz and /readyz.
 */
@Module({})
export class PipelineOrchestratorModule {
  static forContext(_context: ServiceContext<PipelineOrchestratorConfig>): DynamicModule {
    return { module: PipelineOrchestratorModule };
  }
}
