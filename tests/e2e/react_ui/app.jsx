// SelfCommunity's own React UI, unchanged, as one page for tests/e2e/test_react_ui.py.
// The page is given only the server (?portal=https://host:port), a user's OAuth token
// (?token=...) and that token's application (?client_id=..., which react-core's validator
// requires of an OAuth session and never sends). Everything else (preferences, features, the
// user) SCContextProvider reads from the server. Pages are react-templates' own, reached by
// hash routes (#/, #/explore/, #/status/12/, ...) that SelfCommunity's default routes produce
// through `handleRoute`, so every link the UI renders navigates here.
import React, {useEffect, useState} from 'react';
import {createRoot} from 'react-dom/client';
import {SCContextProvider} from '@selfcommunity/react-core';
import {ExploreFeed, FeedObjectDetail, MainFeed, NotificationFeed, UserProfile} from '@selfcommunity/react-templates';

const query = new URLSearchParams(window.location.search);
const portal = query.get('portal');
const accessToken = query.get('token');
const clientId = query.get('client_id') || '';

function useHashPath() {
  const read = () => (window.location.hash || '#/').slice(1).split('?')[0] || '/';
  const [path, setPath] = useState(read);
  useEffect(() => {
    const changed = () => setPath(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return path;
}

// The contribution pages: SelfCommunity's default routes /post/:id/, /discussion/:id/,
// /status/:id/ (a comment's route ends in /comment/:id/ and opens its contribution).
const DETAIL = /^\/(post|discussion|status)\/(\d+)\/(?:[^/]*\/)?(?:comment\/(\d+)\/)?$/;
const PROFILE = /^\/user\/(\d+)\/$/;

function Page() {
  const path = useHashPath();
  let match = DETAIL.exec(path);
  if (match) {
    return (
      <FeedObjectDetail
        key={path}
        feedObjectType={match[1]}
        feedObjectId={Number(match[2])}
      />
    );
  }
  match = PROFILE.exec(path);
  if (match) {
    return <UserProfile key={path} userId={Number(match[1])} />;
  }
  if (path.startsWith('/notification')) {
    return <NotificationFeed key={path} />;
  }
  if (path.startsWith('/explore')) {
    return <ExploreFeed key={path} />;
  }
  return <MainFeed key="home" />;
}

function Navigation() {
  return (
    <nav
      id="duo-nav"
      style={{display: 'flex', gap: '1em', padding: '0.5em 1em', position: 'sticky', top: 0, zIndex: 1100, background: '#fff'}}>
      <a href="#/" id="nav-home">Home</a>
      <a href="#/explore/" id="nav-explore">Explore</a>
      <a href="#/notification/" id="nav-notifications">Notifications</a>
    </nav>
  );
}

const conf = {
  portal,
  session: {type: 'OAuth', clientId, authToken: {accessToken}},
  router: {
    // Every URL the UI builds becomes a hash route of this page.
    // (No `routes`: given any, react-core mixes in routes from the preferences too.)
    handleRoute: (name, url) => `#${url}`,
  },
};

function App() {
  if (!portal || !accessToken) {
    return <p id="duo-missing">Open this page with ?portal=https://host:port&amp;token=...</p>;
  }
  return (
    <SCContextProvider conf={conf}>
      <Navigation />
      <main id="duo-page" style={{padding: '1em', position: 'relative'}}>
        <Page />
      </main>
    </SCContextProvider>
  );
}

createRoot(document.getElementById('root')).render(<App />);
