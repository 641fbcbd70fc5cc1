import { describe, expect, it } from 'vitest';
import { adminQuery } from '../../lab/index.ts';
import { useLab } from '../helpers/lab.ts';

describe('fresh lab (starting point of the setup wizard)', () => {
  const lab = useLab({ nodes: 2, fresh: true });

  it('d1 has the kamailio schema with 100 seed users, d2 has none', async () => {
    const { dir } = lab();
    const [count] = await adminQuery(dir, 'd1', 'SELECT COUNT(*) AS n FROM kamailio.subscriber');
    expect(Number(count.n)).toBe(100);
    const onD2 = await adminQuery(
      dir,
      'd2',
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'kamailio'",
    );
    expect(onD2).toEqual([]);
    expect(await adminQuery(dir, 'd2', "SHOW DATABASES LIKE 'kamailio'")).toEqual([]);
  });

  it('nodes are not replicated and keep the default auto_increment settings', async () => {
    const { dir } = lab();
    for (const node of ['d1', 'd2']) {
      const [v] = await adminQuery(
        dir,
        node,
        'SELECT @@auto_increment_increment AS inc, @@auto_increment_offset AS off, @@log_bin AS bin, @@server_id AS sid',
      );
      expect(v.inc).toBe(1);
      expect(v.off).toBe(1);
      expect(v.bin).toBe(1);
      expect(v.sid).toBe(Number(node.slice(1)));
      expect(await adminQuery(dir, node, 'SHOW SLAVE STATUS')).toEqual([]);
    }
  });

  it('the seed users are stored as kamctl does (ha1, ha1b, no plaintext)', async () => {
    const [u] = await adminQuery(
      lab().dir,
      'd1',
      "SELECT password, ha1, ha1b, MD5('user1000:lab.sipha.test:secret1000') AS h FROM kamailio.subscriber WHERE username = 'user1000'",
    );
    expect(u.password).toBe('');
    expect(u.ha1).toBe(u.h);
    expect(u.ha1b).toMatch(/^[0-9a-f]{32}$/);
  });
});
