export { PipelineOrchestratorDefinition } from './app/pipeline-orchestrator.definition.js';
export { PipelineOrchestratorConfig } from './app/config.js';
