/** COMPAT: walo's line for a private message to someone not connected (§4.6, D5), with `to` as sent. */
export const notConnectedText = (to: string): string => `L'utilisateur ${to} n'est pas connecté.`;

/**
 * Fills `{name}` placeholders from `values`, every occurrence. Unknown placeholders stay as
 * written, so an operator's typo shows in the text instead of vanishing.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key]! : whole));
}
