import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `cargo xtask screenshots`: the README's pictures, produced from the real app so they stay true.
export default defineConfig({ ...base, testDir: './screenshots', reporter: [['list']] });
