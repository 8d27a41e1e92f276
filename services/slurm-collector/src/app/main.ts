#!/usr/bin/env node
import { runStandalone } from '@clocktower/platform';
import { SlurmCollectorDefinition } from './slurm-collector.definition.js';

// The one place this service reads its environment.
await runStandalone(SlurmCollectorDefinition, process.env);
