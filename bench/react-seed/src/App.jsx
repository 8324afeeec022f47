// What a team would ship from the backend guide: a login form, the guide's hook as written
// (src/useNotificationsSocket.js is copied verbatim), the list of received messages and a counter.
import { useEffect, useState } from 'react';
import { useNotificationsSocket } from './useNotificationsSocket.js';

function Login({ api, onToken }) {
  const [error, setError] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const res = await fetch(`${api}/api/auth/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
    });
    if (!res.ok) {
      setError('Invalid credentials.');
      return;
    }
    onToken((await res.json()).token);
  };
  return (
    <form onSubmit={submit}>
      <label>Username <input name="username" autoComplete="username" /></label>
      <label>Password <input name="password" type="password" autoComplete="current-password" /></label>
      <button type="submit">Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

function Inbox({ host, token }) {
  const { status, messages } = useNotificationsSocket({ host, token });
  const [filter, setFilter] = useState('all');
  const notifications = messages.filter((m) => m.type === 'notification');
  return (
    <main>
      <p role="status">{status}</p>
      <p>Unread: <span>{notifications.length}</span></p>
      <div role="group" aria-label="Show">
        <button type="button" aria-pressed={filter === 'all'} onClick={() => setFilter('all')}>All</button>
        <button type="button" aria-pressed={filter === 'unread'} onClick={() => setFilter('unread')}>Unread</button>
      </div>
      <ul aria-label="Notifications">
        {notifications.map((m, i) => (
          <li key={i}>{m.message}</li>
        ))}
      </ul>
    </main>
  );
}

export function App() {
  const [api, setApi] = useState(null);
  const [token, setToken] = useState(null);
  useEffect(() => {
    fetch('config.json').then((r) => r.json()).then((c) => setApi(c.api_base_url.replace(/\/$/, '')));
  }, []);
  if (!api) return null;
  if (!token) return <Login api={api} onToken={setToken} />;
  return <Inbox host={new URL(api).host} token={token} />;
}
