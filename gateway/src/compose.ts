// Composes the four subgraph SDLs into the supergraph the gateway serves. The result
// is checked in, so a schema change shows up in review and CI can tell it is stale.
// Usage: pnpm compose            (writes gateway/supergraph.graphql)
//        pnpm compose --check    (exits 1 when the checked-in file differs)
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeServices, type CompositionResult } from '@apollo/composition';
import { parse } from 'graphql';
import { ACCESS_SUBGRAPH, readAccessSchema } from './access/schema';

export const SUBGRAPH_NAMES = ['ingestion', 'scoring', 'lifecycle', 'notification'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const REPO_ROOT = resolve(__dirname, '..', '..');
export const SUPERGRAPH_FILE = resolve(REPO_ROOT, 'gateway', 'supergraph.graphql');

/** The gateway's own subgraph (access/schema.graphql: workspaces and keys), served in-process. */
export const GATEWAY_SUBGRAPH = ACCESS_SUBGRAPH;

export function subgraphSchemaFile(name: SubgraphName): string {
  return resolve(REPO_ROOT, 'services', name, 'src', 'schema.graphql');
}

export type Composition =
  | { ok: true; supergraphSdl: string; result: Extract<CompositionResult, { errors?: undefined }> }
  | { ok: false; errors: { code: string; message: string }[] };

/**
 * Composes the subgraph SDLs as they are on disk. The urls in the supergraph are
 * placeholders: the gateway routes by subgraph name to its configured url.
 */
export function composeSupergraph(
  readSdl: (name: SubgraphName) => string = (name) => readFileSync(subgraphSchemaFile(name), 'utf8'),
): Composition {
  const services: { name: string; url: string; typeDefs: ReturnType<typeof parse> }[] = SUBGRAPH_NAMES.map((name) => ({
    name,
    url: `http://${name}/graphql`,
    typeDefs: parse(readSdl(name)),
  }));
  services.push({
    name: ACCESS_SUBGRAPH,
    url: `http://${ACCESS_SUBGRAPH}/graphql`,
    typeDefs: parse(readAccessSchema()),
  });
  const result = composeServices(services);
  if (result.errors) {
    return {
      ok: false,
      errors: result.errors.map((error) => ({
        code: String(error.extensions?.code ?? 'COMPOSITION_ERROR'),
        message: error.message,
      })),
    };
  }
  return { ok: true, supergraphSdl: ensureTrailingNewline(result.supergraphSdl), result };
}

function ensureTrailingNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** True when the checked-in supergraph equals what composition produces now. */
export function isSupergraphCurrent(supergraphSdl: string, file = SUPERGRAPH_FILE): boolean {
  return existsSync(file) && readFileSync(file, 'utf8') === supergraphSdl;
}

function main(argv: string[]): number {
  const composition = composeSupergraph();
  if (!composition.ok) {
    for (const error of composition.errors) console.error(`[${error.code}] ${error.message}`);
    console.error(`composition failed with ${composition.errors.length} error(s): fix the subgraph schemas above`);
    return 1;
  }
  if (argv.includes('--check')) {
    if (!isSupergraphCurrent(composition.supergraphSdl)) {
      console.error('supergraph.graphql is stale: run pnpm compose');
      return 1;
    }
    console.log('supergraph.graphql is up to date');
    return 0;
  }
  writeFileSync(SUPERGRAPH_FILE, composition.supergraphSdl);
  console.log(`wrote ${SUPERGRAPH_FILE}`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
