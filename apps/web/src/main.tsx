import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<p>督办控制台</p>);
