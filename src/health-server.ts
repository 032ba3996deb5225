import { createServer, type Server } from 'node:http';

export interface HealthState {
  /** True once the gateway is ready and the database is open. */
  isReady(): boolean;
  /** True while this process is the one that sends scheduled posts. */
  isDispatcher(): boolean;
}

/**
 * /healthz answers while the process is up (for restarts); /readyz once the bot can do its work
 * (for monitoring and orchestrators).
 */
export async function startHealthServer(
  port: number,
  host: string,
  state: HealthState,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    const send = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path === '/readyz') {
      // Readiness stays per process; whether it sends is for operators, not for load balancers.
      const dispatcher = state.isDispatcher();
      return state.isReady()
        ? send(200, { status: 'ready', dispatcher })
        : send(503, { status: 'starting', dispatcher });
    }
    send(404, { error: 'not found; try /healthz or /readyz' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
