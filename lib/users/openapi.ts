import { z } from 'zod';
import { importLimitWords } from './import-limit';
import type { RulesOptions } from './rules';
import { userRules } from './rules';

// The OpenAPI 3.1 document of /api/v1, written by hand around JSON Schemas generated from the
// same zod rules the forms and the import use, so the published rules cannot drift.

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

export function openApiDocument(opts: RulesOptions & { version: string }) {
  const r = userRules(opts);
  const domain = { ...json(r.domain), enum: [...opts.domains] };
  const err = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  const written = {
    node: { type: 'string', description: 'The node that took the write' },
    warning: { type: ['string', 'null'], description: 'Set when that is not the first configured node' },
  };
  const keyParams = [
    { name: 'domain', in: 'path', required: true, schema: domain },
    {
      name: 'username',
      in: 'path',
      required: true,
      schema: json(r.username),
      description: 'Percent-encode / ? ; and % in the path',
    },
  ];
  const common = {
    '400': err('Invalid input; `fields` says which'),
    '401': err('No or bad bearer token'),
    '403': err("The token's role is not enough"),
    '503': err('No database node can take the write'),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'sipha API',
      version: opts.version,
      description:
        "SIP users in Kamailio's subscriber table, through the connection list. Every mutation is audited with the token's name.",
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A token from the API tokens page or `npm run admin -- token create --role ROLE`',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'fields'],
              properties: {
                code: {
                  type: 'string',
                  examples: ['bad_request:input', 'conflict:user', 'not_found:user', 'forbidden:role'],
                },
                message: { type: 'string' },
                fields: {
                  type: 'object',
                  additionalProperties: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
        User: {
          type: 'object',
          required: ['id', 'username', 'domain'],
          properties: { id: { type: 'integer' }, username: { type: 'string' }, domain: { type: 'string' } },
        },
        NewUser: {
          ...json(r.apiCreate),
          properties: { ...(json(r.apiCreate).properties as object), domain },
        },
        PasswordChange: json(r.apiPatch),
      },
    },
    paths: {
      '/users': {
        get: {
          summary: 'One page of users, sorted by username (keyset pagination)',
          parameters: [
            { name: 'prefix', in: 'query', schema: { type: 'string', maxLength: 64 } },
            { name: 'domain', in: 'query', schema: domain },
            {
              name: 'after',
              in: 'query',
              schema: { type: 'string' },
              description: '`next` of the previous answer',
            },
            {
              name: 'before',
              in: 'query',
              schema: { type: 'string' },
              description: '`prev` of the previous answer',
            },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            },
          ],
          responses: {
            '200': {
              description: 'A page',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      users: { type: 'array', items: { $ref: '#/components/schemas/User' } },
                      next: { type: ['string', 'null'] },
                      prev: { type: ['string', 'null'] },
                      matching: { type: 'integer' },
                      total: { type: 'integer' },
                      node: { type: 'string' },
                      partial: {
                        type: 'boolean',
                        description:
                          'With more than one cluster: true when a cluster did not answer; users, counts and pages then cover the clusters that did',
                      },
                      unavailable: {
                        type: 'array',
                        description: 'With more than one cluster: the clusters that did not answer, and why',
                        items: {
                          type: 'object',
                          properties: { cluster: { type: 'string' }, reason: { type: 'string' } },
                          required: ['cluster', 'reason'],
                        },
                      },
                    },
                  },
                },
              },
            },
            ...common,
          },
        },
        post: {
          summary: 'Add a user (password omitted: one is generated and returned once)',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/NewUser' } } },
          },
          responses: {
            '201': {
              description: 'Added',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { user: { type: 'object' }, password: { type: 'string' }, ...written },
                  },
                },
              },
            },
            '409': err('Already exists (`fields.username`)'),
            ...common,
          },
        },
      },
      '/users/{domain}/{username}': {
        parameters: keyParams,
        get: {
          summary: 'One user',
          responses: {
            '200': {
              description: 'The user',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { user: { $ref: '#/components/schemas/User' } } },
                },
              },
            },
            '404': err('No such user'),
            ...common,
          },
        },
        patch: {
          summary: 'Change the password (recomputes ha1 and ha1b)',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PasswordChange' } } },
          },
          responses: {
            '200': {
              description: 'Changed',
              content: { 'application/json': { schema: { type: 'object', properties: written } } },
            },
            '404': err('No such user'),
            ...common,
          },
        },
        delete: {
          summary: 'Delete the user and its registrations (location rows)',
          responses: {
            '200': {
              description: 'Deleted',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { ...written, registrations: { type: 'integer' } } },
                },
              },
            },
            '404': err('No such user'),
            ...common,
          },
        },
      },
      '/users/import': {
        post: {
          summary: `Bulk import a CSV body \`username,password[,domain]\` (header optional); answers NDJSON progress then a summary. The body must carry a Content-Length of at most ${importLimitWords()} (larger or chunked uploads are refused with 400 before anything is read)`,
          parameters: [
            {
              name: 'domain',
              in: 'query',
              schema: domain,
              description: 'For lines without a domain (default: the first configured)',
            },
          ],
          requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
          responses: {
            '200': {
              description:
                'NDJSON: {"type":"progress",…} per batch, then {"type":"done",inserted,updated,unchanged,invalid,errors:[{line,reason}],noChange} or {"type":"error"}',
              content: { 'application/x-ndjson': { schema: { type: 'string' } } },
            },
            ...common,
          },
        },
      },
      '/users/export': {
        get: {
          summary: 'All users as CSV (username,domain), streamed',
          responses: {
            '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...common,
          },
        },
      },
      '/nodes': {
        get: {
          summary:
            "The connection list: order, role, reachability. With more than one cluster, every cluster's nodes, each with its `cluster` (or one cluster's with ?cluster=NAME; unknown: 404)",
          parameters: [{ name: 'cluster', in: 'query', required: false, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'Nodes', content: { 'application/json': { schema: { type: 'object' } } } },
            ...common,
          },
        },
      },
    },
  };
}
