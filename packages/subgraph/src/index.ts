// Runs a CEI subgraph: Apollo subgraph schema over a small node:http integration
// that accepts only requests the gateway signed, with role checks for resolvers.
export * from './server';
export * from './authorization';
export * from './scalars';
export * from './service';
export * from './http-body';
