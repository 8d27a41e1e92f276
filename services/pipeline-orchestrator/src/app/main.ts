#!/usr/bin/env node
import { runStandalone } from '@clocktower/platform';
import { PipelineOrchestratorDefinition } from './pipeline-orchestrator.definition.js';

// The one place this service reads its environment.
await runStandalone(PipelineOrchestratorDefinition, process.env);
