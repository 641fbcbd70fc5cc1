import { describe, expect, it } from 'vitest';
import { openApiDocument } from '@/lib/users/openapi';
import { USER_PART } from '@/lib/users/rules';

describe('OpenAPI document', () => {
  const doc = openApiDocument({ domains: ['lab.sipha.test'], passwordMinLength: 10, version: '1.0.0' });

  it('is OpenAPI 3.1 with every /api/v1 route', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/nodes',
      '/users',
      '/users/export',
      '/users/import',
      '/users/{domain}/{username}',
    ]);
    expect(() => JSON.stringify(doc)).not.toThrow();
  });

  it('carries the zod rules: user part pattern, lengths, domain enum, strict bodies', () => {
    const s = doc.components.schemas.NewUser as {
      properties: Record<
        string,
        { pattern?: string; maxLength?: number; minLength?: number; enum?: string[] }
      >;
      additionalProperties?: boolean;
      required?: string[];
    };
    expect(s.properties.username?.pattern).toBe(USER_PART.source);
    expect(s.properties.username?.maxLength).toBe(64);
    expect(s.properties.password?.minLength).toBe(10);
    expect(s.properties.domain?.enum).toEqual(['lab.sipha.test']);
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(['username']);
  });
});
