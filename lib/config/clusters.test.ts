import { describe, expect, it } from 'vitest';
import { configSchema } from './schema';

const node = (name: string) => ({ name, host: '127.0.0.1', user: 'sipha' });
const sip = (name: string, n: string) => ({ name, host: '127.0.0.1', udpPort: 5060, serverId: 1, node: n });

describe('clusters in the configuration', () => {
  it('a single-cluster configuration is the cluster "default", unchanged', () => {
    const cfg = configSchema.parse({
      nodes: [node('d1'), node('d2')],
      sipServers: [sip('p1', 'd1')],
      domains: ['x.test'],
    });
    expect(cfg.nodes.map((n) => n.name)).toEqual(['d1', 'd2']);
    expect(cfg.clusters).toEqual([{ name: 'default', nodes: cfg.nodes, sipServers: cfg.sipServers }]);
    expect(cfg.firstStages).toEqual([]);
  });

  it('with clusters[], the top-level keys are the home cluster', () => {
    const cfg = configSchema.parse({
      clusters: [
        { name: 'a', nodes: [node('d1'), node('d2')], sipServers: [sip('p1', 'd1')] },
        { name: 'b', nodes: [node('d3')], sipServers: [sip('p3', 'd3')] },
      ],
      firstStages: [{ name: 'f1', host: '127.0.0.1', udpPort: 5060, rpcUrl: 'http://127.0.0.1:5071/RPC' }],
      domains: ['x.test'],
    });
    expect(cfg.clusters.map((c) => c.name)).toEqual(['a', 'b']);
    expect(cfg.nodes.map((n) => n.name)).toEqual(['d1', 'd2']);
    expect(cfg.sipServers.map((s) => s.name)).toEqual(['p1']);
  });

  it('refuses duplicate names, foreign SIP servers and both shapes at once', () => {
    const bad = configSchema.safeParse({
      nodes: [node('d9')],
      clusters: [
        { name: 'a', nodes: [node('d1')], sipServers: [sip('p1', 'd3')] },
        { name: 'a', nodes: [node('d1')] },
      ],
      domains: ['x.test'],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'clusters.1.name: duplicate cluster name',
        'clusters.1.nodes.0.name: duplicate node name',
        'clusters.0.sipServers.0.node: d3 is not a node of cluster a',
        'nodes: give either nodes/sipServers or clusters, not both',
      ]),
    );
  });
});

describe('the clusters example configuration', () => {
  it('is valid', async () => {
    const { readFileSync } = await import('node:fs');
    const raw = JSON.parse(
      readFileSync(new URL('../../sipha.config.clusters.example.json', import.meta.url), 'utf8'),
    );
    expect(configSchema.parse(raw).clusters.map((c) => c.name)).toEqual(['a', 'b']);
  });
});
