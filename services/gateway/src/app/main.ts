#!/usr/bin/env node
import { runStandalone } from '@clocktower/platform';
import { GatewayDefinition } from './gateway.definition.js';

// The one place this service reads its environment.
await runStandalone(GatewayDefinition, process.env);
