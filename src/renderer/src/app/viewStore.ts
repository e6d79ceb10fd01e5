/** Which top-level view (Library, Runs, Models) the window shows; nothing else. */
import { create } from 'zustand';

/** The top-level views: browsing the library, benchmark runs, and local models. */
export type View = 'library' | 'runs' | 'models' | 'compare' | 'review' | 'playground';
export const VIEWS: readonly View[] = ['library', 'runs', 'models', 'compare', 'playground'];

interface ViewState {
  view: View;
  setView(view: View): void;
}

export const useView = create<ViewState>()((set) => ({
  view: 'library',
  setView(view) {
    set({ view });
  },
}));
