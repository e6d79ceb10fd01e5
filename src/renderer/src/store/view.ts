import { create } from 'zustand';

/** The two top-level views: browsing the library, and benchmark runs. */
export type View = 'library' | 'runs';
export const VIEWS: readonly View[] = ['library', 'runs'];

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
