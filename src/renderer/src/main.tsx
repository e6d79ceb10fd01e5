import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { getClient } from './client';
import './styles.css';

// Pick the transport before the first render: in the browser this also takes the
// access token out of the address bar as early as possible.
getClient();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
