/**
 * The accessibility check the journeys share: axe-core's WCAG 2 A/AA rules on the page as it is,
 * failing on serious or critical violations with where they are (up to three nodes each).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** `include`: CSS selectors to limit the check to (default: the whole page). */
export async function expectNoSeriousAxeViolations(page: Page, where: string, include: readonly string[] = []): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']);
  for (const selector of include) builder = builder.include(selector);
  const results = await builder.analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    ),
  ).toEqual([]);
}
