/** The web host's token for this tab: taken once from the printed URL, then kept in sessionStorage (never a cookie). */
const STORAGE_KEY = 'medtask.token';

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage can be disabled: then a reload needs the printed URL again
  }
}

function store(token: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // see readStored
  }
}

/**
 * The web host opens the page as `/?token=…`. Keep the token for this tab, then drop it
 * from the address bar so it does not end up in history, bookmarks or screenshots.
 */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    store(fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return readStored();
}
