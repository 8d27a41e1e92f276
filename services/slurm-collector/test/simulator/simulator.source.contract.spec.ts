import { SimulatorSource } from '../../src/adapters/simulator/simulator.source.js';
import { slurmSourceContract } from '../sources/slurm-source.contract.js';

// The SlurmSource contract every source passes, against the simulator on the real clock at speed 1
// (the contract compares observedAt with Date.now) and without the generated workload, so its test
// jobs start at once instead of queueing behind a busy cluster.
slurmSourceContract(
  'simulator',
  async () => new SimulatorSource({ now: Date.now, speed: 1, cluster: { arrivalsPerHour: 0 } }),
  {
    nodes: ['cn001', 'ga01', 'gv04'],
    deadlineMs: 30_000,
  },
);
