import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// antd's styles as one static sheet (theme.zeroRuntime): no style is computed in the browser at each first render
import 'antd/dist/antd.css';
import './app/base.css';
import './shared/i18n';
import { App } from './app/app';

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
