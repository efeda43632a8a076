import './app/styles-entry';
import './app/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { createQueryClient } from './app/query-client';
import { createAppRouter } from './app/router';
import { createI18n } from './shared/i18n';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <App i18n={createI18n()} queryClient={createQueryClient()} router={createAppRouter()} />
  </StrictMode>,
);
