export { createMemoryStore, MemoryStore } from './memory-store.js';
