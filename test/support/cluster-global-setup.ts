import buildOnce from './global-setup';
import { startRedisCluster, type RedisClusterHandle } from './redis-cluster';
import { CLUSTER_NODES_ENV } from './redis-target';

/** Where the teardown finds the cluster (jest runs both hooks in its own process). */
export const CLUSTER_HANDLE = '__HOKM_TEST_CLUSTER__';

/**
 * Jest globalSetup of the e2e-cluster project: builds dist/ (once per run, shared with the e2e
 * project's setup), then starts the run's 3-master Redis Cluster and hands its nodes to every
 * suite (and, through the environment, to the jest workers) in TEST_REDIS_CLUSTER_NODES.
 * cluster-global-teardown.ts stops it.
 */
export default async function clusterGlobalSetup(globalConfig: object): Promise<void> {
  buildOnce(globalConfig);
  const cluster: RedisClusterHandle = await startRedisCluster(3);
  (globalThis as Record<string, unknown>)[CLUSTER_HANDLE] = cluster;
  process.env[CLUSTER_NODES_ENV] = cluster.nodesEnv;
}
