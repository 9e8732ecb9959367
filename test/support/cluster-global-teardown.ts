import { CLUSTER_HANDLE } from './cluster-global-setup';
import type { RedisClusterHandle } from './redis-cluster';
import { CLUSTER_NODES_ENV } from './redis-target';

/** Jest globalTeardown of the e2e-cluster project: stops the run's Redis Cluster. */
export default async function clusterGlobalTeardown(): Promise<void> {
  const state = globalThis as Record<string, unknown>;
  const cluster = state[CLUSTER_HANDLE] as RedisClusterHandle | undefined;
  delete state[CLUSTER_HANDLE];
  delete process.env[CLUSTER_NODES_ENV];
  await cluster?.stop();
}
