// A small history router: the hub serves index.html for every path that is not /api.
import { useEffect, useState } from "react";

export function navigate(path: string) {
  if (path === location.pathname + location.search) return;
  history.pushState(null, "", path);
  window.dispatchEvent(new Event("renkei:navigate"));
  window.scrollTo(0, 0);
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const read = () => ({ path: location.pathname, search: new URLSearchParams(location.search) });
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const update = () => setLoc(read());
    window.addEventListener("popstate", update);
    window.addEventListener("renkei:navigate", update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener("renkei:navigate", update);
    };
  }, []);
  return loc;
}

// A link that navigates without reloading (and still opens in a new tab with a modifier key).
export function onLinkClick(e: React.MouseEvent<HTMLAnchorElement>) {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(e.currentTarget.getAttribute("href") ?? "/");
}
