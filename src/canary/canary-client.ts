import { AdminClient } from '../admin-client/client.js';
import type { CanaryAction } from './admin-handlers.js';
import type { CanaryStatusView } from './status-view.js';

/**
 * The canary commands' view of the gateway's admin API: the same AdminClient as `llmops
 * deployments|promote|rollback`, so errors, exit codes and the audit actor are the same.
 */
export class CanaryClient {
  private readonly admin: AdminClient;
  constructor(baseUrl: string, token: string | undefined) {
    this.admin = new AdminClient(baseUrl, token);
  }

  call(action: CanaryAction, deployment: string, body?: unknown): Promise<CanaryStatusView> {
    return this.admin.canary<CanaryStatusView>(deployment, action, body ?? {});
  }
}
