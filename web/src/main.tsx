import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

performance.mark('corelab-start');
createRoot(document.getElementById('root')!).render(<App />);
