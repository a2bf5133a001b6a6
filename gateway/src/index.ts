// @cei/gateway: what tests and the local launcher need to run a gateway in-process.
export { startGateway, type RunningGateway, type StartGatewayOptions } from './server';
export { gatewayConfig, loadGatewayConfig, type GatewayConfig } from './config';
export {
  createWorkspace,
  issueWorkspaceKeys,
  revokeApiKey,
  createAuthenticator,
  WorkspaceError,
  type WorkspaceKeys,
  type Authentication,
  type Authenticator,
} from './auth/api-keys';
export { composeSupergraph } from './compose';
export { CLOSE_FORBIDDEN } from './subscriptions/ws-server';
