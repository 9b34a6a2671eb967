import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  chromiumOrSkip,
  WEB_DIR,
  launchBrowser,
  newPage,
  SCREENSHOTS,
  signIn,
  signInRequest,
  startServer,
  step,
  summary,
} from './harness';
import { request } from 'playwright-core';
import { runAccessMatrix } from './access-matrix';
import {
  checkCsrf,
  checkHeaders,
  checkInertMarkup,
  checkSessionCookie,
  checkSignInRateLimit,
  checkSqlInjection,
} from './security-checks';
import { checkBadAddresses } from './bad-address-checks';
import { checkNotFound } from './not-found-checks';
import { KNOWN_ORDERS, seedDemoStore } from './seed';

/**
 * Browser end-to-end run against the production build (`next start`) on an
 * embedded store seeded with purchases: each role signs in and does its job;
 * a role without the right gets 403. Screenshots go to docs/screenshots/.
 */
const PASSWORD = 'e2e-password-1';
const users = {
  admin: 'admin@weft.test',
  operator: 'operator@weft.test',
  analyst: 'analyst@weft.test',
  manager: 'manager@weft.test',
};

async function main(): Promise<number> {
  rmSync(path.join(WEB_DIR, 'test-results', 'e2e.json'), { force: true });
  if (chromiumOrSkip() === null) return 0;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'weft-e2e-'));
  const dbUrl = `sqlite:${path.join(dataDir, 'weft.db')}`;
  mkdirSync(SCREENSHOTS, { recursive: true });
  console.log(`seeding ${dbUrl}`);
  await seedDemoStore(dbUrl, Date.now());
  const server = await startServer({ WEFT_DATA_DIR: dataDir, WEFT_DB: dbUrl });
  const browser = await launchBrowser();
  const shot = (name: string) => path.join(SCREENSHOTS, `${name}.png`);
  try {
    await step(
      'admin: first-run setup creates the admin, who creates one user per role',
      async () => {
        const { page, context } = await newPage(browser, server.url);
        await page.goto('/login');
        await page.waitForURL('**/setup');
        await page.fill('input[name=email]', users.admin);
        await page.fill('input[name=password]', PASSWORD);
        await page.click('button[type=submit]');
        await page.waitForURL('**/login');
        await signIn(page, users.admin, PASSWORD);
        await page.goto('/admin');
        for (const role of ['operator', 'analyst', 'manager'] as const) {
          await page.fill('form[aria-label="Create a user"] input[name=name]', role);
          await page.fill('form[aria-label="Create a user"] input[name=email]', users[role]);
          await page.fill('form[aria-label="Create a user"] input[name=password]', PASSWORD);
          await page.selectOption('form[aria-label="Create a user"] select[name=role]', role);
          await page.click('form[aria-label="Create a user"] button[type=submit]');
          await page.getByText(`Created ${users[role]}.`).waitFor();
        }
        await page.getByRole('cell', { name: users.manager }).waitFor();
        await page.screenshot({ path: shot('admin-users'), fullPage: true });
        const again = await context.request.post('/api/setup', {
          data: { name: 'x', email: 'x@weft.test', password: PASSWORD },
        });
        assert.equal(again.status(), 403, 'setup must close once an account exists');
        await context.close();
      },
    );

    await step(
      'operator: searches an order with a known fault and sees the missing node and verdict',
      async () => {
        const { page, context } = await newPage(browser, server.url);
        await signIn(page, users.operator, PASSWORD);
        assert.match(page.url(), /\/search$/);
        await page.locator('h1').click(); // leave the autofocused box, then come back with `/`
        await page.keyboard.press('/');
        await page.keyboard.type(KNOWN_ORDERS.paidNotDelivered);
        await page.keyboard.press('Enter');
        const results = page.getByTestId('results');
        await results.waitFor();
        await page.screenshot({ path: shot('operator-search'), fullPage: true });
        await results.focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('verdict').waitFor();
        assert.match((await page.getByTestId('verdict').textContent()) ?? '', /paid/i);
        assert.equal(
          await page.getByTestId('node-delivery').getAttribute('data-status'),
          'missing',
        );
        assert.equal(
          await page.getByTestId('node-pay_done').getAttribute('data-status'),
          'present',
        );
        await page.locator('canvas').first().waitFor();
        // The chart says when it has drawn (the browser bench times search → tree by it).
        await page.getByTestId('behavior-tree').locator('[data-chart-state=finished]').waitFor();
        // The tree opens on the missing step; the keyboard list selects another one.
        await page.getByTestId('node-detail').getByText('No record reached this step').waitFor();
        await page.getByTestId('node-pay_done').getByRole('button').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('node-detail').getByText('Payment complete').waitFor();
        await page.getByTestId('node-detail').getByText('"trans_id"').first().waitFor();
        await page.waitForTimeout(800);
        await page.screenshot({ path: shot('operator-session'), fullPage: true });
        await page.fill('input[name=note]', 'confirmed with the game server');
        await page.getByRole('button', { name: 'Verdict is right' }).click();
        await page.getByText('Annotation saved.').waitFor();
        await page.getByRole('cell', { name: 'annotate' }).waitFor();
        await context.close();
      },
    );

    await step(
      'operator: opens an entity page from a field value in the behavior tree',
      async () => {
        const { page, context } = await newPage(browser, server.url);
        await signIn(page, users.operator, PASSWORD);
        await page.goto(`/sessions/${encodeURIComponent(`s-${KNOWN_ORDERS.paidNotDelivered}`)}`);
        await page.getByTestId('node-client_order').getByRole('button').click();
        const detail = page.getByTestId('node-detail');
        await detail.getByText('"device_id"').first().waitFor();
        // A plain field links to the sessions sharing its value, an entity field to its page.
        const channel = detail.getByTestId('value-link').first();
        assert.match((await channel.getAttribute('href')) ?? '', /^\/search\?q=/);
        const device = detail.getByTestId('entity-link').filter({ hasText: 'device' }).first();
        const href = (await device.getAttribute('href')) ?? '';
        const [, key = '', templateId = ''] =
          /^\/entities\/device\/([^?]+)\?template=(.+)$/.exec(href) ?? [];
        assert.ok(key !== '', `entity link of device_id: ${href}`);
        await device.click();
        await page.waitForURL(`**/entities/device/${key}?template=*`);
        const heading = page.locator('h1', { hasText: key });
        await heading.waitFor();
        assert.match((await heading.textContent()) ?? '', new RegExp(`Device\\s+${key}`));
        const charts = page.getByTestId('feature-chart');
        await charts.first().waitFor();
        assert.ok((await charts.count()) >= 1);
        await page.getByTestId('feature-charts').locator('canvas').first().waitFor();
        const graph = page.getByTestId('entity-graph');
        await graph.locator('canvas').waitFor();
        // Drawn without animations: finished before ECharts' events are bound, still reported.
        await graph.locator('[data-chart-state=finished]').waitFor();
        assert.ok(
          Number(await graph.getAttribute('data-nodes')) > 2,
          'the device links accounts and IPs',
        );
        await page.getByTestId('results').getByText(KNOWN_ORDERS.paidNotDelivered).waitFor();
        await page.waitForTimeout(800);
        await page.screenshot({ path: shot('operator-entity'), fullPage: true });
        // A linked account, from the list under the graph, opens its own entity page.
        await graph.getByRole('link').first().click();
        await page.waitForURL('**/entities/**');
        await page.getByTestId('results').waitFor();
        // The search box offers the entity page of an entity value.
        await page.goto(`/search?q=${encodeURIComponent(`device=${decodeURIComponent(key)}`)}`);
        await page.getByTestId('entity-matches').getByRole('link').first().click();
        await page.waitForURL(`**/entities/device/${key}?template=*`);
        // Unknown entity → the not-found page naming it (404); malformed address → the parameter named.
        const unknown = await page.goto(`/entities/device/NO-SUCH-DEVICE?template=${templateId}`);
        assert.equal(unknown?.status(), 404);
        await page
          .getByTestId('entity-not-found')
          .locator('code', { hasText: 'NO-SUCH-DEVICE' })
          .waitFor();
        assert.equal((await page.goto(`/entities/device/${key}`))?.status(), 400);
        assert.match((await page.getByTestId('bad-params').textContent()) ?? '', /template/);
        await context.close();
        // Managers read entity pages too, without the sessions they may not open.
        const manager = await newPage(browser, server.url);
        await signIn(manager.page, users.manager, PASSWORD);
        assert.equal((await manager.page.goto(href))?.status(), 200);
        await manager.page
          .getByText('Opening sessions needs an operator or analyst account')
          .waitFor();
        await manager.context.close();
      },
    );

    await step('operator: merges the two halves of a split session', async () => {
      const { page, context } = await newPage(browser, server.url);
      await signIn(page, users.operator, PASSWORD);
      const [first, second] = [`s-${KNOWN_ORDERS.split}-1`, `s-${KNOWN_ORDERS.split}-2`];
      await page.goto(`/sessions/${encodeURIComponent(first)}`);
      assert.equal(await page.getByTestId('node-pay_done').getAttribute('data-status'), 'missing');
      await page.fill('input[name=other]', second);
      await page.getByRole('button', { name: 'Merge into this session' }).click();
      await page.getByText('Sessions merged.').waitFor();
      await page.getByRole('cell', { name: 'merge', exact: true }).waitFor();
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=node-pay_done]')?.getAttribute('data-status') ===
          'present',
      );
      assert.doesNotMatch((await page.getByTestId('verdict').textContent()) ?? '', /abandoned/i);
      await page.goto(`/sessions/${encodeURIComponent(second)}`);
      await page.getByText('This session was merged into').waitFor();
      await context.close();
    });

    await step('operator: any field value, empty results and bad input', async () => {
      const { page, context } = await newPage(browser, server.url);
      await signIn(page, users.operator, PASSWORD);
      await page.goto(`/search?q=${encodeURIComponent(`trans_id=T${KNOWN_ORDERS.ok.slice(1)}`)}`);
      await page.getByTestId('results').getByText(KNOWN_ORDERS.ok).waitFor();
      await page.goto('/search?q=NO-SUCH-ORDER');
      await page.getByTestId('no-results').waitFor();
      const bad = await context.request.get('/api/sessions/search?q=x&limit=abc');
      assert.equal(bad.status(), 400);
      const body = (await bad.json()) as { issues: { field: string; reason: string }[] };
      assert.equal(body.issues[0]?.field, 'limit');
      assert.doesNotMatch(JSON.stringify(body), /at .*\.js/);
      await context.close();
    });

    await step('operator: 403 on dashboards and templates (page and API)', async () => {
      const { page, context } = await newPage(browser, server.url);
      await signIn(page, users.operator, PASSWORD);
      assert.equal((await page.goto('/dashboards'))?.status(), 403);
      await page.screenshot({ path: shot('forbidden') });
      assert.equal((await context.request.get('/api/dashboards')).status(), 403);
      assert.equal(
        (
          await context.request.post('/api/templates/publish', { data: { definition: {} } })
        ).status(),
        403,
      );
      await context.close();
    });

    await step('manager: opens a 30-day dashboard and drills down', async () => {
      const { page, context } = await newPage(browser, server.url, 1920);
      await signIn(page, users.manager, PASSWORD);
      assert.match(page.url(), /\/dashboards$/);
      await page.goto('/dashboards?range=30d');
      await page.getByTestId('chart-volume').locator('canvas').waitFor();
      for (const chart of ['volume', 'comparison', 'percentiles'])
        await page.getByTestId(`chart-${chart}`).locator('[data-chart-state=finished]').waitFor();
      const subtitle = (await page.getByTestId('chart-volume').textContent()) ?? '';
      const total = Number(/(\d+) sessions/.exec(subtitle)?.[1] ?? 0);
      assert.ok(total > 100, `30 days should hold hundreds of seeded sessions, saw ${total}`);
      await page.getByText('served from incremental rollups').waitFor();
      assert.match((await page.getByTestId('data-age').textContent()) ?? '', /^updated /);
      for (const [button, extension] of [
        ['PNG', 'png'],
        ['CSV', 'csv'],
      ] as const) {
        const download = page.waitForEvent('download');
        await page.getByTestId('chart-volume').getByRole('button', { name: button }).click();
        assert.equal((await download).suggestedFilename(), `weft-volume.${extension}`);
      }
      await page.waitForTimeout(800);
      await page.screenshot({ path: shot('manager-dashboards'), fullPage: true });
      const firstValue = page.getByTestId('drilldown').locator('tbody a').first();
      const value = (await firstValue.textContent()) ?? '';
      await firstValue.click();
      await page.getByTestId('drill-filter').getByText(value).waitFor();
      await page.waitForTimeout(800);
      await page.screenshot({ path: shot('manager-drilldown'), fullPage: true });
      const csv = await context.request.get('/api/dashboards?range=30d&format=csv');
      assert.equal(csv.status(), 200);
      assert.match(await csv.text(), /^bucket,/);
      assert.equal((await page.goto('/search'))?.status(), 403);
      assert.equal((await context.request.get('/api/sessions/search?q=x')).status(), 403);
      await context.close();
    });

    await step(
      'analyst: builds, previews and publishes a small template in the wizard',
      async () => {
        const { page, context } = await newPage(browser, server.url);
        await signIn(page, users.analyst, PASSWORD);
        await page.goto('/templates/wizard');
        const preview = page.getByTestId('preview');
        // The starter has no business key yet: the preview shows the error with its path.
        await preview.getByTestId('preview-errors').getByText('sources[0].fields').waitFor();
        await page.getByRole('button', { name: /^order_id: "O1"/ }).click();
        await page.getByRole('button', { name: /^amount_cents: 600/ }).click();
        // Valid now: @weft/engine correlates the two sample orders into two trees.
        await preview.getByText(/batch run over 2 samples: 2 sessions/).waitFor();
        await preview.locator('[data-testid=behavior-tree][data-key=O1] canvas').waitFor();
        await preview.locator('[data-testid=behavior-tree][data-key=O2]').waitFor();
        assert.equal(
          await preview
            .locator('[data-testid=behavior-tree][data-key=O1] [data-testid=node-checkout]')
            .getAttribute('data-status'),
          'present',
        );
        await preview.locator('[data-key=O1]').getByText('"amount_cents": 600').first().waitFor();
        // The tree step: one node, so no edge can be drawn yet.
        await page.getByRole('button', { name: /Behavior tree/ }).click();
        await page.getByTestId('tree-editor').getByText('No edges').waitFor();
        assert.equal(await page.getByRole('button', { name: 'Add edge' }).isDisabled(), true);
        // A baseline filter changes the draft: O1 (600 cents) is no longer a checkout step.
        await page.getByRole('button', { name: /Business key and baseline/ }).click();
        const baseline = page.locator('textarea[aria-label="Section baseline"]');
        const edited = JSON.parse(await baseline.inputValue()) as {
          nodes: Record<string, unknown>[];
        };
        edited.nodes[0] = { ...edited.nodes[0], filter: 'f.amount_cents > 1000' };
        await baseline.fill(JSON.stringify(edited, null, 2));
        await preview.getByText(/2 samples: 1 session, .*1 taken by no node/).waitFor();
        assert.equal(await preview.locator('[data-testid=behavior-tree][data-key=O1]').count(), 0);
        await preview.locator('[data-testid=behavior-tree][data-key=O2]').waitFor();
        await page.getByRole('button', { name: /Diff and publish/ }).click();
        await page.fill('textarea[aria-label="Section id"]', '"e2e-checkout"');
        await page.waitForTimeout(1_000);
        await page.screenshot({ path: shot('analyst-wizard'), fullPage: true });
        await page.getByRole('button', { name: 'Publish', exact: true }).click();
        await page.getByText('Published e2e-checkout version 1').waitFor();
        await page.goto('/templates');
        await page.getByRole('cell', { name: 'e2e-checkout' }).waitFor();
        // The example's item lookup: the seeded store has no item_catalog table, so
        // the preview names the lookup and the table, and the command that loads it.
        await page.goto('/templates/wizard?template=in-app-purchase');
        const notices = page.getByTestId('preview').getByTestId('preview-notices');
        await notices
          .locator('[data-lookup=item][data-table=item_catalog]')
          .getByText(/does not exist in this store/)
          .waitFor();
        await notices
          .locator('code')
          .getByText(/^weft dimension load --db /)
          .waitFor();
        assert.equal((await page.goto('/dashboards'))?.status(), 403);
        await context.close();
      },
    );

    const clients = {
      anonymous: await request.newContext({
        baseURL: server.url,
        extraHTTPHeaders: { origin: server.url },
      }),
      operator: await signInRequest(server.url, users.operator, PASSWORD),
      analyst: await signInRequest(server.url, users.analyst, PASSWORD),
      manager: await signInRequest(server.url, users.manager, PASSWORD),
      admin: await signInRequest(server.url, users.admin, PASSWORD),
    };
    await step(
      'every page and API route × every role and signed out (authorization table)',
      async () => {
        const { checked, mismatches } = await runAccessMatrix(
          clients,
          `s-${KNOWN_ORDERS.paidNotDelivered}`,
        );
        assert.deepEqual(mismatches, [], `${mismatches.length} of ${checked} probes disagree`);
        console.log(`    ${checked} probes as expected`);
      },
    );
    await step('a missing session or entity answers 404 with its not-found page', () =>
      checkNotFound(clients.operator),
    );
    await step('a malformed address answers 400 naming the parameter or path segment', () =>
      checkBadAddresses(clients),
    );
    await step('security: cross-site mutations and form posts are refused (CSRF)', () =>
      checkCsrf(clients.operator),
    );
    await step('security: SQL written into search values, field names and dimensions', () =>
      checkSqlInjection(clients.operator, clients.manager),
    );
    await step('security: markup in records and fields is inert in every view', () =>
      checkInertMarkup(browser, server.url, users.admin, PASSWORD),
    );
    await step('security: session cookie is HttpOnly and SameSite=Lax', () =>
      checkSessionCookie(browser, server.url, users.operator, PASSWORD),
    );
    await step('security: headers, nonce CSP, no CSP violation on any page of the run', () =>
      checkHeaders(server.url),
    );
    await step('security: a burst of sign-ins meets the rate limit (429)', () =>
      checkSignInRateLimit(server.url),
    );
    await Promise.all(Object.values(clients).map((c) => c.dispose()));
  } finally {
    await browser.close();
    server.process.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return summary();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
