/** The one way a relocation is named across views, links and tests: "<section>#<index>". */
export function reloKey(section: string, index: number): string {
  return `${section}#${index}`;
}
