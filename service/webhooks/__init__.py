"""Webhooks: subscriptions with filters, Standard Webhooks signatures, retries that survive
restarts, a delivery log with replay, and an SSRF guard (DESIGN.md §4 step 7, §5).

Entry points: `service.webhooks.routes.router` (the API) and
`service.webhooks.worker.run_webhooks_once` / `run_webhooks_forever` (the scheduler and worker).
"""
