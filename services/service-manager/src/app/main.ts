#!/usr/bin/env node
import { runStandalone } from '@clocktower/platform';
import { ServiceManagerDefinition } from './service-manager.definition.js';

// The one place this service reads its environment.
await runStandalone(ServiceManagerDefinition, process.env);
