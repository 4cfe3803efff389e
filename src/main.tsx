import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { openFromLocation, startLinkSync } from './state/link/sync';
import { registerOffline } from './ui/offline';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// Started outside React so StrictMode's double effects cannot post init twice; a share link in
// the address bar rebuilds its setup, anything else opens the default page.
void openFromLocation(location.hash).then(startLinkSync);
// Production builds only: after one visit the page and the shipped datasets work offline.
registerOffline();
