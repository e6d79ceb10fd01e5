import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The global sheets first, in cascade order: tokens and base, the app shell, the shared primitives.
// Each feature's own sheet is imported by its entry component, so it comes later and may refine them.
import './base.css';
import './app/app.css';
import './ui/ui.css';
import { App } from './app/App';
import { connect } from './client';

// Pick the transport before the first render: in the browser this also takes the
// access token out of the address bar as early as possible.
connect();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
