// @vitest-environment node
import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';
import { expect, test } from 'vitest';

// Regenerate with `npm run gen:api` after the backend changes openapi/openapi.json.
test('src/api/schema.d.ts is what openapi-typescript generates from openapi/openapi.json', async () => {
  const spec = new URL('../../../openapi/openapi.json', import.meta.url);
  const generated = COMMENT_HEADER + astToString(await openapiTS(spec));
  await expect(generated, 'schema.d.ts is stale: run `npm run gen:api`').toMatchFileSnapshot(
    './schema.d.ts',
  );
});
