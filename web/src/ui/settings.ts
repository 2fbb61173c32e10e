/** Settings kept in localStorage under a versioned key; unknown or old shapes fall back to defaults. */
export type ThemeChoice = 'system' | 'light' | 'dark';

export interface Settings {
  readonly theme: ThemeChoice;
  /** fraction of the width given to the table */
  readonly split: number;
  /** fraction of the height given to the top row */
  readonly splitV: number;
}

const KEY = 'corelab.settings.v1';
const DEFAULTS: Settings = { theme: 'system', split: 0.5, splitV: 0.5 };

export function loadSettings(): Settings {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
    return {
      theme: s.theme === 'light' || s.theme === 'dark' || s.theme === 'system' ? s.theme : DEFAULTS.theme,
      split: typeof s.split === 'number' && s.split > 0.15 && s.split < 0.85 ? s.split : DEFAULTS.split,
      splitV: typeof s.splitV === 'number' && s.splitV > 0.15 && s.splitV < 0.85 ? s.splitV : DEFAULTS.splitV,
    };
  } catch {
    return DEFAULTS;
  }
}

export function saveSettings(s: Settings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // storage may be disabled; the choice then lasts for this page only
  }
}

export function effectiveTheme(choice: ThemeChoice): 'light' | 'dark' {
  if (choice !== 'system') return choice;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
