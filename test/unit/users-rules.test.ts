import { describe, expect, it } from 'vitest';
import { fieldErrors } from '@/lib/field-errors';
import { userRules } from '@/lib/users/rules';

const rules = userRules({ domains: ['lab.sipha.test', '10.0.0.1'], passwordMinLength: 8 });

describe('user rules', () => {
  it('accepts RFC 3261 user parts, escapes included', () => {
    for (const u of ['alice', 'a.b-c_d', "o'neil", '+4930123', 'x%41y', 'a&b=c+d$e,f;g?h/i', '(~*!)'])
      expect(rules.username.safeParse(u).success, u).toBe(true);
  });

  it('refuses what is not a user part', () => {
    for (const u of [
      '',
      'a b',
      'a@b',
      'a:b',
      '<script>',
      'a%4',
      'a%zz',
      'x\u0000',
      'ａlice',
      'é',
      '"q"',
      'a'.repeat(65),
      'a#b',
      'a[b]',
    ])
      expect(rules.username.safeParse(u).success, JSON.stringify(u)).toBe(false);
  });

  it('accepts only configured domains that are host names or IP literals', () => {
    expect(rules.domain.safeParse('lab.sipha.test').success).toBe(true);
    expect(rules.domain.safeParse('LAB.sipha.test').success).toBe(true);
    expect(rules.domain.safeParse('10.0.0.1').success).toBe(true);
    expect(rules.domain.safeParse('other.test').error?.issues[0]?.message).toBe(
      'Not one of the configured domains',
    );
    expect(rules.domain.safeParse('bad_host!').error?.issues[0]?.message).toBe(
      'Not a host name or IP address',
    );
    expect(rules.domain.safeParse(`${'a'.repeat(60)}.test`).success).toBe(false);
  });

  it('checks password length and control bytes', () => {
    expect(rules.password.safeParse('short').success).toBe(false);
    expect(rules.password.safeParse('long enough').success).toBe(true);
    expect(rules.password.safeParse('abc\u0000defgh').success).toBe(false);
    expect(rules.password.safeParse('x'.repeat(65)).success).toBe(false);
    expect(
      userRules({ domains: ['d.test'], passwordMinLength: 12 }).password.safeParse('elevenchars').success,
    ).toBe(false);
  });

  it('add form: a password or "generate", with field errors', () => {
    expect(
      rules.addForm.parse({ username: 'bob', domain: 'lab.sipha.test', generate: 'on', password: '' }),
    ).toEqual({ username: 'bob', domain: 'lab.sipha.test', password: undefined });
    const r = rules.addForm.safeParse({ username: 'bob', domain: 'lab.sipha.test', password: 'x' });
    expect(r.success).toBe(false);
    expect(fieldErrors(r.error!)).toEqual({ password: ['At least 8 characters'] });
  });

  it('API bodies are strict: unknown keys and wrong types are refused', () => {
    expect(rules.apiCreate.safeParse({ username: 'bob', ha1: 'x' }).success).toBe(false);
    expect(rules.apiCreate.safeParse({ username: 12 }).success).toBe(false);
    expect(rules.apiCreate.safeParse({ username: 'bob' }).success).toBe(true);
    expect(rules.apiPatch.safeParse({ password: ['a'] }).success).toBe(false);
  });
});
