// Vite's root is web/, where vite-plugin-svelte looks for its config; the project's lives one up.
export { default } from '../svelte.config.js';
