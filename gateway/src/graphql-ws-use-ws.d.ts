// graphql-ws 6 publishes `graphql-ws/use/ws` only through package.json "exports",
// which the repo's `moduleResolution: node` does not read; Node and Jest do, so only
// the types need pointing at the file.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
