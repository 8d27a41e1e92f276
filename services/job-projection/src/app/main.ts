#!/usr/bin/env node
import { runStandalone } from '@clocktower/platform';
import { JobProjectionDefinition } from './job-projection.definition.js';

// The one place this service reads its environment.
await runStandalone(JobProjectionDefinition, process.env);
