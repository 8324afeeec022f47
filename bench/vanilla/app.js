// The vanilla baseline: sign in, open the socket, append one <li> per notification frame.
(async () => {
  const config = await (await fetch('config.json')).json();
  const api = config.api_base_url.replace(/\/$/, '');
  const $ = (id) => document.getElementById(id);
  for (const tab of document.querySelectorAll('[aria-pressed]')) {
    tab.addEventListener('click', () => {
      for (const t of document.querySelectorAll('[aria-pressed]')) t.setAttribute('aria-pressed', String(t === tab));
    });
  }
  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const res = await fetch(`${api}/api/auth/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
    });
    if (!res.ok) return;
    const { token } = await res.json();
    $('login').hidden = true;
    $('inbox').hidden = false;
    const ws = new WebSocket(`${api.replace(/^http/, 'ws')}/ws/notifications/?token=${encodeURIComponent(token)}`);
    let count = 0;
    ws.onopen = () => { $('status').textContent = 'connected'; };
    ws.onclose = () => { $('status').textContent = 'disconnected'; };
    ws.onmessage = (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch { return; }
      if (data.type !== 'notification') return;
      const li = document.createElement('li');
      li.textContent = data.message;
      $('list').append(li);
      $('count').textContent = String(++count);
    };
  });
})();
