// Parts of a page that can wait a frame: drawn once the page's first paint is on the screen, so
// what the user needs first (a focused field) is not held back by what they read a moment later.
import { useEffect, useState, type ReactNode } from 'react';

export function AfterPaint({ children, fallback = null }: { children: ReactNode; fallback?: ReactNode }) {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    // the frame after next: the first paint has happened by then
    let second = 0;
    const first = requestAnimationFrame(() => { second = requestAnimationFrame(() => setPainted(true)); });
    return () => { cancelAnimationFrame(first); cancelAnimationFrame(second); };
  }, []);
  return painted ? children : fallback;
}
