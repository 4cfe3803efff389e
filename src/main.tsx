import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { reset } from './state/client';
import { registerOffline } from './ui/offline';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// Started outside React so StrictMode's double effects cannot post init twice.
reset();
// Production builds only: after one visit the page and the shipped datasets work offline.
registerOffline();
