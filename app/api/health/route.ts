// Liveness of the console process itself (for the lab and Playwright's webServer): no
// database access, so it answers even when every node is down.
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
}
